// Building the criteria tree: weight validation and the build-time rescale of sibling subjects.
#include <cmath>

#include <fmt/format.h>

#include "autograder/criteria.hpp"

namespace autograder {

namespace {

class TreeBuilder {
public:
    void check_weight(double weight, const std::string& path, bool at_most_100) {
        if (!std::isfinite(weight))
            issues.push_back({path, "a weight must be a finite number"});
        else if (weight < 0)
            issues.push_back({path, fmt::format("a weight must not be negative (found {})", weight)});
        else if (at_most_100 && weight > 100)
            issues.push_back({path, fmt::format("must be between 0 and 100 (found {})", weight)});
    }

    // Validates `node` and rescales its child subjects' weights to sum to 100 (only when their sum
    // is > 0 and != 100), recursively; appends its tests to `slots`.
    void prepare(CriteriaNode& node, Category category, std::vector<std::string>& subject_path, const std::string& path,
                 std::vector<TestSlot>& slots) {
        check_weight(node.weight, path + ".weight", true);
        const bool mixed = !node.subjects.empty() && !node.tests.empty();
        if (node.subjects_weight) {
            check_weight(*node.subjects_weight, path + ".subjects_weight", true);
            if (mixed && *node.subjects_weight == 0)
                issues.push_back(
                    {path + ".subjects_weight", "must be greater than 0 on a node with both subjects and tests"});
        } else if (mixed) {
            issues.push_back({path, "'subjects_weight' is required on a node with both subjects and tests"});
        }

        double sum = 0;
        for (const auto& subject : node.subjects) sum += subject.weight;
        const bool sum_is_valid = std::isfinite(sum);
        if (sum_is_valid && sum > 0 && sum != 100)
            for (auto& subject : node.subjects) subject.weight *= 100 / sum;

        for (std::size_t i = 0; i < node.subjects.size(); ++i) {
            auto& subject = node.subjects[i];
            subject_path.push_back(subject.name);
            prepare(subject, category, subject_path, fmt::format("{}.subjects[{}]", path, i), slots);
            subject_path.pop_back();
        }
        for (std::size_t i = 0; i < node.tests.size(); ++i) {
            check_weight(node.tests[i].weight, fmt::format("{}.tests[{}].weight", path, i), false);
            slots.push_back({category, subject_path, node.tests[i]});
        }
    }

    std::vector<ConfigIssue> issues;
};

}  // namespace

std::string_view to_string(Category category) {
    switch (category) {
        case Category::base:
            return "base";
        case Category::bonus:
            return "bonus";
        case Category::penalty:
            return "penalty";
    }
    return "base";
}

CriteriaTree CriteriaTree::build(const CriteriaConfig& config) {
    CriteriaTree tree;
    tree.criteria_ = config;
    tree.criteria_.base.name = "base";
    if (tree.criteria_.bonus) tree.criteria_.bonus->name = "bonus";
    if (tree.criteria_.penalty) tree.criteria_.penalty->name = "penalty";

    TreeBuilder builder;
    std::vector<std::string> subject_path;
    builder.prepare(tree.criteria_.base, Category::base, subject_path, "criteria_config.base", tree.tests_);
    if (tree.criteria_.bonus)
        builder.prepare(*tree.criteria_.bonus, Category::bonus, subject_path, "criteria_config.bonus", tree.tests_);
    if (tree.criteria_.penalty)
        builder.prepare(*tree.criteria_.penalty, Category::penalty, subject_path, "criteria_config.penalty",
                        tree.tests_);
    if (!builder.issues.empty()) throw ConfigError(std::move(builder.issues));
    return tree;
}

}  // namespace autograder
