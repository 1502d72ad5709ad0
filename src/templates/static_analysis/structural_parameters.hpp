// What the structural (syntax-tree) tests share besides their parameters, which they read with
// ParameterReader: the languages they look at, queries, lines. A bad value is an
// std::invalid_argument naming the parameter: the test then scores 0 with that reason (a
// configuration problem).
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

// What the structural tests' reading would refuse at grading time among the parameters `docs`
// describe that the test gives (a "string" must be non-empty, an "integer" a whole number within
// its bounds, a "list" strings), so that check_parameters refuses it when the pipeline is made.
std::vector<ParameterProblem> reader_problems(const TestSpec& spec, const std::vector<ParameterDoc>& docs);
// A language with a grammar ("python", "java", "javascript"/"node"/"js", "c", "cpp"/"c++", "html", "css").
analysis::Language language_value(std::string_view name, std::string_view parameter);

// `source` compiled for `language`; a query that does not compile is an std::invalid_argument
// "PARAMETER: bad query: WHAT at line L, column C (byte offset N)".
analysis::Query compile_query(analysis::Language language, std::string_view source, std::string_view parameter);
// The 1-based line where a match starts (its earliest capture); 0 when the pattern captures nothing.
uint32_t match_line(const analysis::QueryMatch& match);

}  // namespace autograder::templates
