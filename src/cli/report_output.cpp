#include "report_output.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "autograder/export.hpp"

namespace autograder::cli {
namespace fs = std::filesystem;

namespace {

ReportFormat chosen_format(const ReportOutputOptions& options, bool json_flag) {
    if (!options.format.empty()) return *report_format_from_string(options.format);
    return json_flag ? ReportFormat::json : ReportFormat::markdown;
}

bool write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    return static_cast<bool>(out.flush());
}

}  // namespace

void add_report_output_options(CLI::App& command, ReportOutputOptions& options) {
    command
        .add_option("--format", options.format,
                    "Report format: json, markdown, gradescope (results.json), junit (JUnit XML), tap (TAP 14)")
        ->check(CLI::IsMember({"json", "markdown", "gradescope", "junit", "tap"}));
    command.add_option("--output,-o", options.output,
                       "Write the report to FILE instead of stdout; with --batch, a folder that receives one "
                       "file per submission");
    command.add_option("--metadata", options.metadata,
                       "KEY=VALUE for the submission's metadata (exporters use it, e.g. external_user_id=alice); "
                       "repeatable. With --batch, submission and external_user_id are the folder's name");
}

std::string check_report_output(const ReportOutputOptions& options, bool json_flag, bool batch) {
    if (json_flag && !options.format.empty() && options.format != "json")
        return "--json and --format " + options.format + " ask for two formats; give one";
    if (batch && !options.format.empty() && options.output.empty())
        return "--batch with --format needs --output DIR, the folder for one report per submission";
    for (const auto& pair : options.metadata)
        if (pair.find('=') == std::string::npos || pair.front() == '=')
            return "--metadata " + pair + ": expected KEY=VALUE";
    return {};
}

bool wants_report(const ReportOutputOptions& options) {
    return !options.format.empty() || !options.output.empty();
}

nlohmann::json metadata_from_options(const ReportOutputOptions& options) {
    auto metadata = nlohmann::json::object();
    for (const auto& pair : options.metadata) {
        const auto equals = pair.find('=');
        const std::string key = pair.substr(0, equals), value = pair.substr(equals + 1);
        const bool whole_number = !value.empty() && value.size() < 16 &&
                                  value.find_first_not_of("0123456789") == std::string::npos &&
                                  (value == "0" || value[0] != '0');
        metadata[key] = whole_number ? nlohmann::json(std::stoll(value)) : nlohmann::json(value);
    }
    return metadata;
}

bool write_report(const ReportOutputOptions& options, bool json_flag, const GradingResult& result, Audience audience) {
    const auto text = render_result(result.to_json(audience), chosen_format(options, json_flag));
    if (options.output.empty() || options.output == "-") {
        std::cout << text;
        return true;
    }
    if (!write_text(options.output, text)) {
        std::cerr << "autograder grade: cannot write --output " << options.output << "\n";
        return false;
    }
    return true;
}

std::string failed_step_message(const GradingResult& result) {
    for (const auto& step : result.steps)
        if (result.failed_at_step && step.name == *result.failed_at_step) return step.message;
    return result.steps.empty() ? std::string() : result.steps.back().message;
}

std::string write_batch_report(const ReportOutputOptions& options, const std::string& submission,
                               const GradingResult& result) {
    return write_batch_report(options, submission, result.to_json());
}

std::string write_batch_report(const ReportOutputOptions& options, const std::string& submission,
                               const nlohmann::json& result_json) {
    const auto format = chosen_format(options, false);
    std::error_code error;
    fs::create_directories(options.output, error);
    const auto path = fs::path(options.output) / (submission + std::string(file_extension(format)));
    if (!write_text(path, render_result(result_json, format))) return "cannot write " + path.string();
    return {};
}

}  // namespace autograder::cli
