// Results leaving the engine: the outcome of the EXPORT step's exporters (webhook, redis, file;
// configured in the "export" section) and the report formats that platforms and CI read.
//
// The formats work on a result JSON (GradingResult::to_json(), the C ABI's and the CLI's result,
// or one read back from a file), so every interface renders the same text. They are pure
// functions: thread-safe, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace autograder {

// What one exporter did with one result. A failed export never changes the score or the status.
struct ExportOutcome {
    std::string kind;    // "webhook", "redis", "file"
    std::string target;  // the URL or path from the configuration (never a secret)
    bool ok = false;
    int attempts = 0;                // deliveries tried (retries included)
    std::string message;             // "HTTP 200", "HSET user:42 score", or why it failed
    nlohmann::json to_json() const;  // {kind, target, ok, attempts, message}
};

enum class ReportFormat { json, markdown, gradescope, junit, tap };
std::string_view to_string(ReportFormat format);  // "json", "markdown", ...
std::optional<ReportFormat> report_format_from_string(std::string_view name);
std::string_view file_extension(ReportFormat format);  // ".json", ".md", ".json", ".xml", ".tap"

// Renders a result JSON in `format`: json (the document itself, indented), markdown (the
// student's feedback; a score line when the result has none), gradescope, junit, tap. Throws
// std::invalid_argument naming the offending field (e.g. "result_tree.root.base.tests[0].score")
// when the document is not a result JSON.
std::string render_result(const nlohmann::json& result, ReportFormat format);

// Gradescope's results.json: {score, execution_time, output, output_format, tests: [{name, score,
// max_score, status, output, visibility, tags}]}. Each test's points are its share of the final
// score under the criteria tree (base and bonus tests earn up to their weight; a penalty test
// costs up to its weight and has max_score 0), so they add up to final_score; where clamping to
// 0-100 (or a failed grading) makes them differ, `output` says by how much.
nlohmann::json to_gradescope(const nlohmann::json& result);
// JUnit XML as Jenkins, GitLab and GitHub read it: one <testsuite> per category, one <testcase>
// per test (time from its run reports), a <failure> carrying the report when the score is below 100.
std::string to_junit_xml(const nlohmann::json& result);
// TAP version 14: one test point per test, a YAML block with score, weight and report.
std::string to_tap(const nlohmann::json& result);

}  // namespace autograder
