// Running the student's program for a test: which command (program_command as a string, a
// per-language object or "CMD"), which stdin, which limits, and how a failed run reads to a
// student.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "autograder/pipeline.hpp"

namespace autograder::templates {

// The parameters of every test that runs the program: program_command, time_limit,
// wall_time_limit, memory_limit.
std::vector<ParameterDoc> program_run_parameter_docs();

// Throws std::invalid_argument when the command is missing for this language or malformed.
std::vector<std::string> program_command(const TestContext& context);
// `inputs` as a list of lines (joined by newlines, with a trailing newline) or one string.
std::string stdin_of(const nlohmann::json* inputs);
// The configuration's time_budget is used up: the test is not run (it scores 0 with the reason).
struct TimeBudgetSpent : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// Default limits, the language's factors, then the test's time_limit (CPU s), wall_time_limit
// (s) and memory_limit (MB); no run lasts past the configuration's time budget. Throws
// TimeBudgetSpent when the budget is already used up.
Limits test_limits(const TestContext& context);
RunReport run_program(const TestContext& context, const std::vector<std::string>& argv, const std::string& stdin_data);
TestResources resources_of(const RunReport& report);
// "The program exceeded the CPU time limit of 2 s." and the like; empty for ok.
std::string explain_run(Locale locale, const RunReport& report);
// At most max_bytes of `text` (saying how much was left out) as a fenced Markdown block that
// nothing inside can close.
std::string fenced(std::string_view text, size_t max_bytes = 4096);

}  // namespace autograder::templates
