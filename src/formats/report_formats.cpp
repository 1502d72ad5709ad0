// The format names and the one entry point every interface (CLI, C ABI, Python) renders through.
#include <stdexcept>

#include <fmt/format.h>

#include "autograder/export.hpp"
#include "formats/graded_tests.hpp"

namespace autograder {

std::string_view to_string(ReportFormat format) {
    switch (format) {
        case ReportFormat::json:
            return "json";
        case ReportFormat::markdown:
            return "markdown";
        case ReportFormat::gradescope:
            return "gradescope";
        case ReportFormat::junit:
            return "junit";
        case ReportFormat::tap:
            return "tap";
    }
    return "json";
}

std::optional<ReportFormat> report_format_from_string(std::string_view name) {
    for (auto format :
         {ReportFormat::json, ReportFormat::markdown, ReportFormat::gradescope, ReportFormat::junit, ReportFormat::tap})
        if (to_string(format) == name) return format;
    return std::nullopt;
}

std::string_view file_extension(ReportFormat format) {
    switch (format) {
        case ReportFormat::json:
        case ReportFormat::gradescope:
            return ".json";
        case ReportFormat::markdown:
            return ".md";
        case ReportFormat::junit:
            return ".xml";
        case ReportFormat::tap:
            return ".tap";
    }
    return ".txt";
}

std::string render_result(const nlohmann::json& result, ReportFormat format) {
    constexpr auto kReplaceInvalidUtf8 = nlohmann::json::error_handler_t::replace;
    switch (format) {
        case ReportFormat::json:
            formats::read_graded_result(result);  // the same checks as every other format
            return result.dump(2, ' ', false, kReplaceInvalidUtf8) + "\n";
        case ReportFormat::markdown: {
            const auto graded = formats::read_graded_result(result);
            if (!graded.feedback.empty()) return graded.feedback + (graded.feedback.back() == '\n' ? "" : "\n");
            if (graded.status != "SUCCESS")
                return fmt::format("**{}** at {}: {}\n", graded.status, graded.failed_at_step.value_or("-"),
                                   graded.failure_message);
            return fmt::format("> **{:.2f} / 100**\n", graded.final_score);
        }
        case ReportFormat::gradescope:
            return to_gradescope(result).dump(2, ' ', false, kReplaceInvalidUtf8) + "\n";
        case ReportFormat::junit:
            return to_junit_xml(result);
        case ReportFormat::tap:
            return to_tap(result);
    }
    throw std::invalid_argument("unknown report format");
}

}  // namespace autograder
