// Compile-and-run of a set of source files in a sandbox: what `autograder run`, the stateless
// "execute" of the C ABI and the REST server, and the input_output template build on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "autograder/languages.hpp"
#include "autograder/run_report.hpp"
#include "autograder/sandbox.hpp"

namespace autograder {

struct SourceFile {
    std::string path;  // relative path inside the workspace
    std::string content;
    bool executable = false;
};

// Placeholder values for one submission ({main}, {files}, ...; see languages.hpp).
struct CommandContext {
    std::string main_file;
    std::vector<std::string> files;
    std::string main_class;  // Java only; derived from main_file's package declaration
    int64_t memory_mb = 256;
};
CommandContext command_context(const Language& language, const std::vector<SourceFile>& files,
                               const std::string& main_file = {});
std::vector<std::string> expand_command(const std::vector<std::string>& command, const CommandContext& context);

struct ExecuteOptions {
    std::optional<std::string> stdin_data;
    Limits limits;          // limits of the run (the language's factors are applied)
    std::string main_file;  // default: the language's default_main, else the first file
};

struct ExecuteResult {
    std::optional<RunReport> compile;  // present when the language compiles
    std::optional<RunReport> run;      // absent when the compile failed
    // "compile_error" when the compiler exited non-zero, else the status of the last report.
    std::string status;
    nlohmann::json to_json() const;  // the last report's fields, plus "phase" and "compile"
};

// Writes the files into the sandbox, compiles when the language needs it, then runs.
ExecuteResult execute(Sandbox& sandbox, const LanguageTable& table, const Language& language,
                      const std::vector<SourceFile>& files, const ExecuteOptions& options);

// Applies a language's factors to run limits.
Limits scaled_limits(const Language& language, const Limits& limits);

}  // namespace autograder
