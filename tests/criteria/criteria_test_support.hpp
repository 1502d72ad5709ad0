// Shared helpers of the grading tests: criteria trees from JSON, outcomes by test name.
#pragma once

#include <cmath>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/config.hpp"
#include "autograder/criteria.hpp"

namespace grading_test {

// Golden cases must match to 1e-9 (docs/configuration.md, "Scoring").
inline bool near(double actual, double expected) {
    return std::abs(actual - expected) <= 1e-9;
}

// A criteria tree from the "criteria_config" JSON, through the real parser (no test catalog).
inline autograder::CriteriaTree tree_from(const nlohmann::json& criteria) {
    auto parsed = autograder::parse_grading_config({{"template_name", "input_output"}, {"criteria_config", criteria}});
    return autograder::CriteriaTree::build(parsed.config.criteria);
}

// Outcomes in tree order, looked up by test name; every test of the tree must be named.
inline std::vector<autograder::TestOutcome> outcomes_by_name(const autograder::CriteriaTree& tree,
                                                             const std::map<std::string, double>& scores) {
    std::vector<autograder::TestOutcome> outcomes;
    for (const auto& slot : tree.tests()) {
        auto found = scores.find(slot.spec.name);
        if (found == scores.end()) throw std::logic_error("no score for test " + slot.spec.name);
        outcomes.push_back({found->second, "report of " + slot.spec.name, std::nullopt});
    }
    return outcomes;
}

inline autograder::ResultTree grade(const nlohmann::json& criteria, const std::map<std::string, double>& scores) {
    auto tree = tree_from(criteria);
    return tree.grade(outcomes_by_name(tree, scores));
}

// A test object of the criteria JSON.
inline nlohmann::json test(const std::string& name, double weight = 100) {
    return {{"name", name}, {"type", "expect_output"}, {"weight", weight}};
}

}  // namespace grading_test
