// TAP version 14: a plan, one test point per test, and a YAML diagnostic block (score, points,
// report) under each test point that did not score 100.
#include <fmt/format.h>

#include "autograder/export.hpp"
#include "formats/graded_tests.hpp"

namespace autograder {
namespace {

// A test point's description is one line, and '#' would start a directive (SKIP, TODO).
std::string description(std::string_view text) {
    std::string line;
    for (char c : text) {
        if (c == '#')
            line += "\\#";
        else if (c == '\\')
            line += "\\\\";
        else if (c == '\n' || c == '\r' || c == '\t')
            line += ' ';
        else
            line += c;
    }
    return line;
}

// A YAML double-quoted scalar: any text, any line breaks, on one line.
std::string yaml_quoted(std::string_view text) {
    std::string quoted = "\"";
    for (char c : text) {
        switch (c) {
            case '"':
                quoted += "\\\"";
                break;
            case '\\':
                quoted += "\\\\";
                break;
            case '\n':
                quoted += "\\n";
                break;
            case '\r':
                quoted += "\\r";
                break;
            case '\t':
                quoted += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 || c == '\x7f')
                    quoted += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
                else
                    quoted += c;
        }
    }
    return quoted + "\"";
}

}  // namespace

std::string to_tap(const nlohmann::json& result) {
    const auto graded = formats::read_graded_result(result);
    const bool stopped = graded.status != "SUCCESS";
    std::string tap = "TAP version 14\n";
    tap += fmt::format("1..{}\n", graded.tests.size() + (stopped ? 1 : 0));
    std::size_t number = 0;
    for (const auto& test : graded.tests) {
        const bool passed = test.score >= 100;
        tap += fmt::format("{} {} - {}\n", passed ? "ok" : "not ok", ++number, description(test.path));
        if (passed) continue;
        tap += "  ---\n";
        tap += fmt::format("  score: {:.2f}\n", test.score);
        tap += fmt::format("  points: {:.4f}\n", formats::test_points(test));
        tap += fmt::format("  max_points: {:.4f}\n", formats::test_max_points(test));
        tap += fmt::format("  report: {}\n", yaml_quoted(test.report));
        tap += "  ...\n";
    }
    if (stopped) {
        tap += fmt::format("not ok {} - {}\n", ++number, description(graded.failed_at_step.value_or("pipeline")));
        tap += "  ---\n";
        tap += fmt::format("  status: {}\n", yaml_quoted(graded.status));
        tap += fmt::format("  message: {}\n", yaml_quoted(graded.failure_message));
        tap += fmt::format("  report: {}\n", yaml_quoted(graded.feedback));
        tap += "  ...\n";
    }
    tap += fmt::format("# final score {:.2f} / 100\n", graded.final_score);
    return tap;
}

}  // namespace autograder
