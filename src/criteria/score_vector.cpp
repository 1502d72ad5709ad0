// Locating the tests of a result tree: unique score-vector paths (duplicates get "#2", "#3" ...,
// **fix** of the reference, which overwrites them) and each test's share of the final score.
#include <set>

#include <fmt/format.h>

#include "autograder/criteria.hpp"
#include "criteria/score_vector_paths.hpp"

namespace autograder {

namespace {

class TestLocator {
public:
    explicit TestLocator(std::vector<LocatedTest>& located) : located_(located) {}

    // `share` is what one point of this node's score is worth in final-score points.
    void visit(const NodeResult& node, Category category, const std::string& path, double share) {
        double weight_sum = 0;
        for (const auto& subject : node.subjects) weight_sum += subject.weight;
        for (const auto& test : node.tests) weight_sum += test.weight;
        auto fraction = [&](double weight) { return weight_sum > 0 ? weight / weight_sum : 0.0; };

        for (const auto& subject : node.subjects)
            visit(subject, category, path + "/" + subject.name, share * fraction(subject.weight));
        for (const auto& test : node.tests) {
            const std::string test_path = path + "/" + test.name;
            if (test.cases.empty()) {
                located_.push_back({category, paths_.claim(test_path), &test, share * fraction(test.weight)});
                continue;
            }
            // A suite's cases stand for it; their balanced weights sum to 100.
            for (const auto& test_case : test.cases)
                located_.push_back({category, paths_.claim(test_path + "/" + test_case.name), &test_case,
                                    share * fraction(test.weight) * test_case.weight / 100});
        }
    }

private:
    std::vector<LocatedTest>& located_;
    criteria::ScoreVectorPaths paths_;
};

}  // namespace

std::vector<LocatedTest> locate_tests(const ResultTree& result) {
    std::vector<LocatedTest> located;
    TestLocator locator(located);
    for (Category category : {Category::base, Category::bonus, Category::penalty}) {
        const NodeResult* node = result.category(category);
        if (node == nullptr) continue;
        // The base weight does not scale the final score; bonus and penalty are worth weight/100.
        const double factor = category == Category::base ? 1.0 : node->weight / 100;
        locator.visit(*node, category, std::string(to_string(category)), factor);
    }
    return located;
}

ScoreVector compute_score_vector(const ResultTree& result) {
    ScoreVector vector;
    for (const auto& located : locate_tests(result)) vector.emplace_back(located.path, located.test->score);
    return vector;
}

nlohmann::json score_vector_to_json(const ScoreVector& vector) {
    auto json = nlohmann::json::object();
    for (const auto& [path, score] : vector) json[path] = rounded_score(score);
    return json;
}

}  // namespace autograder
