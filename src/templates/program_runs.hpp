// Running the student's program for a test: which command (program_command as a string, a
// per-language object or "CMD"), which stdin, which limits, and how a failed run reads to a
// student.
#pragma once

#include <string>
#include <vector>

#include "autograder/pipeline.hpp"

namespace autograder::templates {

// Throws std::invalid_argument when the command is missing for this language or malformed.
std::vector<std::string> program_command(const TestContext& context);
// `inputs` as a list of lines (joined by newlines, with a trailing newline) or one string.
std::string stdin_of(const nlohmann::json* inputs);
// Default limits, the language's factors, then the test's time_limit (s) and memory_limit (MB).
Limits test_limits(const TestContext& context);
RunReport run_program(const TestContext& context, const std::vector<std::string>& argv, const std::string& stdin_data);
TestResources resources_of(const RunReport& report);
// "The program exceeded the CPU time limit of 2 s." and the like; empty for ok.
std::string explain_run(const RunReport& report);
// A fenced block safe for any content (the fence is longer than any backtick run inside).
std::string fenced(std::string_view text, size_t max_bytes = 4096);

}  // namespace autograder::templates
