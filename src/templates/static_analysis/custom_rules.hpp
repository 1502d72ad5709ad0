// forbidden_keyword's custom rules: tree-sitter queries from the configuration, each for one
// language, whose every match is a violation.
//   "custom_rules": [{"name": "no_print", "language": "python",
//                     "query": "((call function: (identifier) @f) (#eq? @f \"print\"))",
//                     "message": "print nothing; return the result"}]
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/syntax_tree.hpp"
#include "autograder/config.hpp"

namespace autograder::templates {

struct CustomRule {
    std::string name;
    analysis::Language language;
    std::string message;  // "" when the rule has none
    analysis::Query query;
};

// The `custom_rules` parameter, compiled; an empty list when it is absent. A malformed rule (not
// an object, a missing or unknown key, a duplicate name, an unknown language, a query that does not
// compile) is an std::invalid_argument naming the rule, with the query error and its byte offset.
std::vector<CustomRule> custom_rules_parameter(const TestSpec& spec);

// The 1-based lines where `rule` matches in `tree` (0 for a match without captures); empty when the
// tree is in another language.
std::vector<uint32_t> violations(const CustomRule& rule, const analysis::SyntaxTree& tree);

}  // namespace autograder::templates
