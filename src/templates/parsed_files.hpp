// The syntax trees a structural test looks at, from the STRUCTURAL_ANALYSIS step of its grading.
#pragma once

#include <initializer_list>
#include <vector>

#include "analysis/submission_trees.hpp"
#include "autograder/templates.hpp"

namespace autograder::templates {

// The parsed file named by the test's `file` parameter (by path, or by base name), or every parsed
// file when it has none; only those in `languages` when that list is not empty. A `file` that the
// submission does not have, or (when `languages` is given) that is in none of them, is an std::invalid_argument
// (a configuration problem: score 0 with the reason). Parses the submission when no
// STRUCTURAL_ANALYSIS step ran (a host calling the function on its own).
std::vector<const analysis::ParsedFile*> parsed_files(const TestContext& context,
                                                      std::initializer_list<analysis::Language> languages = {});

// Whether the submission has a file of that path or base name (how `file` finds its file).
bool submission_has_file(const TestContext& context, std::string_view name);

// "\n\nSyntax errors in `a.py` (line 3), ...: only what could be parsed was checked." or "".
std::string syntax_error_note(const TestContext& context, const std::vector<const analysis::ParsedFile*>& files);

}  // namespace autograder::templates
