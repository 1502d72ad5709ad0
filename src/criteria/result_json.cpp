// The result tree as JSON (docs/configuration.md, "Results"), every number rounded to 1e-9.
#include <cmath>

#include "autograder/criteria.hpp"
#include "text/utf8.hpp"

namespace autograder {

namespace {

nlohmann::json test_json(const TestResult& test) {
    nlohmann::json json = {{"name", test.name},
                           {"type", test.type},
                           {"score", rounded_score(test.score)},
                           {"weight", rounded_score(test.weight)},
                           {"report", test.report},
                           {"parameters", test.parameters}};
    json["file_target"] = test.file_target ? nlohmann::json(*test.file_target) : nlohmann::json();
    json["resources"] = test.resources ? nlohmann::json{{"cpu_ms", test.resources->cpu_ms},
                                                        {"wall_ms", test.resources->wall_ms},
                                                        {"peak_memory_kb", test.resources->peak_memory_kb}}
                                       : nlohmann::json();
    return json;
}

nlohmann::json node_json(const NodeResult& node) {
    nlohmann::json json = {{"name", node.name},
                           {"type", node.is_category ? "category" : "subject"},
                           {"weight", rounded_score(node.weight)},
                           {"score", rounded_score(node.score)}};
    json["subjects"] = nlohmann::json::array();
    for (const auto& subject : node.subjects) json["subjects"].push_back(node_json(subject));
    json["tests"] = nlohmann::json::array();
    for (const auto& test : node.tests) json["tests"].push_back(test_json(test));
    return json;
}

}  // namespace

double rounded_score(double value) {
    if (!std::isfinite(value)) return value;
    double rounded = std::round(value * 1e9) / 1e9;
    return rounded == 0 ? 0.0 : rounded;  // never "-0.0"
}

const NodeResult* ResultTree::category(Category which) const {
    switch (which) {
        case Category::base:
            return &base;
        case Category::bonus:
            return bonus ? &*bonus : nullptr;
        case Category::penalty:
            return penalty ? &*penalty : nullptr;
    }
    return nullptr;
}

nlohmann::json ResultTree::to_json() const {
    nlohmann::json root = {{"base", node_json(base)}};
    if (bonus) root["bonus"] = node_json(*bonus);
    if (penalty) root["penalty"] = node_json(*penalty);
    nlohmann::json json = {
        {"final_score", rounded_score(final_score)},
        {"summary", {{"total", summary.total}, {"passed", summary.passed}, {"failed", summary.failed}}},
        {"root", std::move(root)}};
    // Names, files and parameters come from the host's configuration, which C++ hosts may build
    // from any bytes.
    text::make_valid_utf8(json);
    return json;
}

nlohmann::json grading_result_json(const ResultTree& result, const Focus& focus, const ScoreVector& vector) {
    return {{"final_score", rounded_score(result.final_score)},
            {"result_tree", result.to_json()},
            {"focus", focus.to_json()},
            {"score_vector", score_vector_to_json(vector)}};
}

}  // namespace autograder
