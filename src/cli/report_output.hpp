// `grade --format json|markdown|gradescope|junit|tap --output FILE` and, with --batch, one report
// file per submission: the CLI side of the report formats (include/autograder/export.hpp).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "autograder/pipeline.hpp"

namespace autograder::cli {

struct ReportOutputOptions {
    std::string format;                 // empty: the command's usual output
    std::string output;                 // a file (one submission) or a folder (--batch)
    std::vector<std::string> metadata;  // KEY=VALUE pairs for the submission's metadata
};

void add_report_output_options(CLI::App& command, ReportOutputOptions& options);

// Checks the combination before anything is graded; returns an error message, or "" when fine.
std::string check_report_output(const ReportOutputOptions& options, bool json_flag, bool batch);

// True when --format or --output asks for a report other than the command's usual output.
bool wants_report(const ReportOutputOptions& options);

// The submission's metadata from --metadata KEY=VALUE (values that are whole numbers stay numbers).
nlohmann::json metadata_from_options(const ReportOutputOptions& options);

// One submission: renders the result in the chosen format (markdown, or json with --json, when
// only --output is given) to --output or stdout. Returns false, having said why on stderr, when
// the file cannot be written.
bool write_report(const ReportOutputOptions& options, bool json_flag, const GradingResult& result,
                  Audience audience = Audience::teacher);

// The message of the step that failed (EXPORT, when present, comes after it), else of the last step.
std::string failed_step_message(const GradingResult& result);

// --batch: writes OUTPUT/<submission><extension>. Returns "" or why it could not.
std::string write_batch_report(const ReportOutputOptions& options, const std::string& submission,
                               const GradingResult& result);
// The same, from the result JSON (GradingResult::to_json, the teacher's).
std::string write_batch_report(const ReportOutputOptions& options, const std::string& submission,
                               const nlohmann::json& result_json);

}  // namespace autograder::cli
