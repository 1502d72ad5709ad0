// The language table: languages are data, not code. Each entry gives a file extension, an
// optional compile command, a run command, the host paths its toolchain needs inside the sandbox,
// its environment and its limit factors. The default table ships with the library
// (data/languages.json); hosts can replace or extend it with their own JSON.
//
// Commands are argv lists with placeholders, expanded per submission:
//   {main}        the main source file ("main.py")       {files}   every source file, one argv each
//   {main_stem}   the main file without extension        {main_class} Java: package.Class of {main}
//   {memory_mb}   the run's memory limit in MiB
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "autograder/sandbox.hpp"

namespace autograder {

struct Language {
    std::string name;                        // "python"
    std::vector<std::string> aliases;        // "javascript" for node
    std::string extension;                   // ".py"
    std::vector<std::string> compile;        // empty: interpreted
    std::vector<std::string> run;            // the run command
    std::vector<std::string> paths;          // extra read-only host paths (globs allowed)
    std::map<std::string, std::string> env;  // the run's whole environment
    double time_factor = 1.0;                // multiplies CPU and wall limits of runs
    double memory_factor = 1.0;              // multiplies the memory limit of runs
    int extra_processes = 0;                 // added to the process limit (runtimes with many threads)
    std::string default_main;                // main file when none is named ("main.py")
    // Python: the tests of a submission run `python3 main.py` forked from a warm interpreter of
    // their sandbox instead of starting one each (docs/sandbox.md, "Warm interpreter").
    bool warm_interpreter = false;
};

class LanguageTable {
public:
    // The table shipped with the library.
    static const LanguageTable& defaults();
    // Parses a table document; throws std::invalid_argument naming the offending field.
    static LanguageTable from_json(const nlohmann::json& document);
    // Entries of `overrides` replace same-named entries of this table; others are added.
    LanguageTable merged_with(const LanguageTable& overrides) const;

    // Finds a language by name or alias; nullptr when unknown.
    const Language* find(std::string_view name) const;
    // The language whose extension matches the file name; nullptr when none.
    const Language* for_file(std::string_view file_name) const;
    std::vector<std::string> names() const;

    // Limits applied to compile runs (same for every language).
    Limits compile_limits;
    // Paths every sandbox sees read-only (besides /usr and the merged-/usr links).
    std::vector<std::string> common_paths;

private:
    std::vector<Language> languages_;
};

// Sandbox options for a language: its paths plus the table's common paths.
SandboxOptions sandbox_options_for(const LanguageTable& table, const Language& language, SandboxOptions base = {});

}  // namespace autograder
