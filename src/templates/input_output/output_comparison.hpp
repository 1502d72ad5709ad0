// How a program's output is compared with the expected output (the input_output template's
// `compare` modes). Pure functions: no sandbox, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "autograder/feedback.hpp"

namespace autograder::templates {

// CRLF and CR become LF, trailing spaces and tabs of every line go, and the whole text is
// stripped of leading and trailing whitespace (the reference engine's normalisation).
std::string normalize_output(std::string_view text);

enum class CompareMode { exact, whitespace, case_insensitive, float_tolerance, regex, contains, checker };
// Throws std::invalid_argument naming the known modes.
CompareMode compare_mode_from_string(std::string_view name);

struct CompareSpec {
    CompareMode mode = CompareMode::exact;
    bool normalize = true;
    double abs_tol = 1e-9;
    double rel_tol = 1e-9;
    // regex mode: true finds the pattern anywhere (Python's re.search, as expect_file_artifact
    // in the reference engine); false makes it match the whole text.
    bool search = false;
};

// Why `pattern` is not a usable regular expression (RE2 syntax; inline flag groups such as
// (?m), (?s), (?i) work), or nullopt when it compiles.
std::optional<std::string> regex_problem(std::string_view pattern);

struct Comparison {
    bool passed = false;
    std::string explanation;  // why not, in one sentence; empty when passed
};

// Every mode but checker. A bad regex throws std::invalid_argument. Linear time (RE2).
// The explanation is in `locale`.
Comparison compare_output(const CompareSpec& spec, std::string_view expected, std::string_view actual,
                          Locale locale = Locale::en);

}  // namespace autograder::templates
