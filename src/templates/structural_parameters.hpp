// Reading the parameters of structural (syntax-tree) tests. Every function throws
// std::invalid_argument naming the parameter when its value is missing or of the wrong kind: the
// test then scores 0 with that reason (a configuration problem).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/syntax_tree.hpp"
#include "autograder/config.hpp"
#include "autograder/templates.hpp"

namespace autograder::templates {

// The languages with functions, classes and control flow: python, java, javascript, c, cpp.
inline constexpr std::initializer_list<analysis::Language> kCodeLanguages = {
    analysis::Language::python, analysis::Language::java, analysis::Language::javascript, analysis::Language::c,
    analysis::Language::cpp};

// A list of strings (a single string counts as a list of one); required.
std::vector<std::string> string_list_parameter(const TestSpec& spec, std::string_view name);
// A non-empty string; required.
std::string string_parameter(const TestSpec& spec, std::string_view name);
// A non-empty string, or nullopt when the parameter is absent (or null).
std::optional<std::string> optional_string_parameter(const TestSpec& spec, std::string_view name);
// A whole number >= 0 (2, 2.0 and "2" are fine, 2.5 and -1 are not), or nullopt when absent.
std::optional<std::size_t> optional_count_parameter(const TestSpec& spec, std::string_view name);
// What these readers would refuse at grading time among the parameters `docs` describe that the
// test gives (a "string" must be non-empty, an "integer" a count, a "list" strings), so that
// check_parameters refuses it when the pipeline is made.
std::vector<ParameterProblem> reader_problems(const TestSpec& spec, const std::vector<ParameterDoc>& docs);
// A language with a grammar ("python", "java", "javascript"/"node"/"js", "c", "cpp"/"c++", "html", "css").
analysis::Language language_value(std::string_view name, std::string_view parameter);

// `source` compiled for `language`; a query that does not compile is an std::invalid_argument
// "PARAMETER: bad query: WHAT at line L, column C (byte offset N)".
analysis::Query compile_query(analysis::Language language, std::string_view source, std::string_view parameter);
// The 1-based line where a match starts (its earliest capture); 0 when the pattern captures nothing.
uint32_t match_line(const analysis::QueryMatch& match);

}  // namespace autograder::templates
