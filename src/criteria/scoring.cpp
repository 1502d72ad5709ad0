// Grade time (docs/configuration.md, "Scoring"): bottom-up balancing and weighted means, then the root formula.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "autograder/criteria.hpp"
#include "text/utf8.hpp"

namespace autograder {

namespace {

// Step 2: scale the weights to sum to `target`; when they sum to 0, each gets target/n. Excluded
// children get 0 and take no part: the others share the target as if they were alone.
template <typename Child>
void rescale(std::vector<Child>& children, double target) {
    double sum = 0;
    std::size_t counted = 0;
    for (auto& child : children) {
        if (child.excluded) {
            child.weight = 0;
            continue;
        }
        sum += child.weight;
        ++counted;
    }
    if (counted == 0) return;
    if (sum == 0) {
        const double each = target / static_cast<double>(counted);
        for (auto& child : children)
            if (!child.excluded) child.weight = each;
    } else {
        const double factor = target / sum;
        for (auto& child : children) child.weight *= factor;
    }
}

template <typename Child>
bool all_excluded(const std::vector<Child>& children) {
    return std::all_of(children.begin(), children.end(), [](const Child& child) { return child.excluded; });
}

double checked_score(const TestOutcome& outcome, const TestSlot& slot) {
    if (std::isnan(outcome.score))
        throw std::invalid_argument(fmt::format("test '{}' returned a score that is not a number", slot.spec.name));
    return std::clamp(outcome.score, 0.0, 100.0);
}

class Grader {
public:
    Grader(std::span<const TestOutcome> outcomes, const std::vector<TestSlot>& slots)
        : outcomes_(outcomes), slots_(slots) {}

    NodeResult grade(const CriteriaNode& node, bool is_category, Visibility enclosing = Visibility::visible) {
        NodeResult result;
        result.name = node.name;
        result.is_category = is_category;
        result.weight = node.weight;  // a subject's is rebalanced below by its parent
        result.visibility = stricter(enclosing, node.visibility);

        // Same order as CriteriaTree::tests(): subjects first, then the node's own tests.
        for (const auto& subject : node.subjects) result.subjects.push_back(grade(subject, false, result.visibility));
        for (const auto& test : node.tests) result.tests.push_back(make_test_result(test, result.visibility));

        // Step 1: the subjects/tests split applies only to a node with both kinds of children.
        // Step 2 targets 100*sf and 100*tf, written as subjects_weight and 100 - subjects_weight:
        // the same numbers, without the rounding noise of 100 * (1 - 0.7).
        // Excluded children are left out of the split too: a node whose tests are all excluded
        // is graded by its subjects alone.
        const bool subjects_count = !result.subjects.empty() && !all_excluded(result.subjects);
        const bool tests_count = !result.tests.empty() && !all_excluded(result.tests);
        result.excluded = (!result.subjects.empty() || !result.tests.empty()) && !subjects_count && !tests_count;
        const bool mixed = subjects_count && tests_count;
        const double subjects_target = mixed ? node.subjects_weight.value_or(0) : 100;
        const double tests_target = mixed ? 100 - subjects_target : 100;
        rescale(result.subjects, subjects_target);
        rescale(result.tests, tests_target);

        // Step 3: weighted mean over all children; an empty node scores 0.
        double weighted_sum = 0;
        double weight_sum = 0;
        for (const auto& subject : result.subjects) {
            weighted_sum += subject.score * subject.weight;
            weight_sum += subject.weight;
        }
        for (const auto& test : result.tests) {
            weighted_sum += test.score * test.weight;
            weight_sum += test.weight;
        }
        result.score = weight_sum > 0 ? weighted_sum / weight_sum : 0;
        return result;
    }

    ResultSummary summary() const { return summary_; }

private:
    TestResult make_test_result(const TestSpec& spec, Visibility enclosing) {
        const std::size_t index = next_++;
        const TestOutcome& outcome = outcomes_[index];
        TestResult result;
        result.name = spec.name;
        result.type = spec.type;
        result.file_target = spec.file;
        result.weight = spec.weight;
        result.report = text::valid_utf8(outcome.report);
        result.parameters = spec.parameters_json();
        result.resources = outcome.resources;
        result.visibility = stricter(enclosing, spec.visibility);
        result.excluded = outcome.excluded;
        if (outcome.cases.empty()) {
            result.score = checked_score(outcome, slots_[index]);
            count(result.score);
            return result;
        }
        // A suite: each case is a test below this one, balanced like sibling tests (§3 step 2).
        for (const auto& case_outcome : outcome.cases) {
            if (std::isnan(case_outcome.score) || std::isnan(case_outcome.weight) || case_outcome.weight < 0)
                throw std::invalid_argument(
                    fmt::format("test '{}' returned a case with a score or weight that is "
                                "not a number >= 0",
                                spec.name));
            TestResult test_case;
            test_case.name = text::valid_utf8(case_outcome.name);
            test_case.type = spec.type;
            test_case.file_target = spec.file;
            test_case.weight = case_outcome.weight;
            test_case.score = std::clamp(case_outcome.score, 0.0, 100.0);
            test_case.report = text::valid_utf8(case_outcome.report);
            test_case.visibility = result.visibility;
            count(test_case.score);
            result.cases.push_back(std::move(test_case));
        }
        rescale(result.cases, 100);
        double weighted_sum = 0;
        for (const auto& test_case : result.cases) weighted_sum += test_case.score * test_case.weight;
        result.score = weighted_sum / 100;
        return result;
    }

    void count(double score) {
        ++summary_.total;
        if (score >= 100)
            ++summary_.passed;
        else
            ++summary_.failed;
    }

    std::span<const TestOutcome> outcomes_;
    const std::vector<TestSlot>& slots_;
    std::size_t next_ = 0;
    ResultSummary summary_;
};

}  // namespace

ResultTree CriteriaTree::grade(std::span<const TestOutcome> outcomes) const {
    if (outcomes.size() != tests_.size())
        throw std::invalid_argument(
            fmt::format("grade() needs {} test outcomes, got {}", tests_.size(), outcomes.size()));
    Grader grader(outcomes, tests_);
    ResultTree result;
    result.base = grader.grade(criteria_.base, true);
    if (criteria_.bonus) result.bonus = grader.grade(*criteria_.bonus, true);
    if (criteria_.penalty) result.penalty = grader.grade(*criteria_.penalty, true);
    result.summary = grader.summary();

    // Root: the base weight does not scale the final score; bonus adds up to its weight; a penalty
    // category that fully passes costs nothing and fully failing costs its whole weight.
    double final_score = result.base.score;
    if (result.bonus) final_score += result.bonus->score / 100 * result.bonus->weight;
    // An excluded category (every test in it excluded) counts as if it were absent.
    if (result.penalty && !result.penalty->excluded)
        final_score -= (100 - result.penalty->score) / 100 * result.penalty->weight;
    result.final_score = std::clamp(final_score, 0.0, 100.0);
    return result;
}

}  // namespace autograder
