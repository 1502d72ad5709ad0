// Comparing a result with a baseline (e.g. the student's previous submission).
#include <cmath>
#include <map>
#include <stdexcept>

#include "autograder/criteria.hpp"

namespace autograder {

namespace {

constexpr double kSameScore = 1e-9;

double number_at(const nlohmann::json& json, const char* key, const char* what) {
    auto found = json.find(key);
    if (found == json.end() || !found->is_number())
        throw std::invalid_argument(std::string(what) + " has no numeric '" + key + "'");
    return found->get<double>();
}

}  // namespace

std::string_view to_string(ScoreChange change) {
    switch (change) {
        case ScoreChange::improved:
            return "improved";
        case ScoreChange::regressed:
            return "regressed";
        case ScoreChange::unchanged:
            return "unchanged";
        case ScoreChange::introduced:
            return "introduced";
        case ScoreChange::removed:
            return "removed";
    }
    return "unchanged";
}

ScoreSnapshot ScoreSnapshot::of(const ResultTree& result) {
    return {result.final_score, compute_score_vector(result)};
}

ScoreSnapshot ScoreSnapshot::from_result_json(const nlohmann::json& result) {
    if (!result.is_object()) throw std::invalid_argument("a result must be a JSON object");
    ScoreSnapshot snapshot;
    if (result.contains("final_score"))
        snapshot.final_score = number_at(result, "final_score", "the result");
    else if (auto tree = result.find("result_tree"); tree != result.end() && tree->is_object())
        snapshot.final_score = number_at(*tree, "final_score", "the result tree");
    else
        throw std::invalid_argument("the result has no final_score");

    auto vector = result.find("score_vector");
    if (vector == result.end() || !vector->is_object())
        throw std::invalid_argument("the result has no score_vector object");
    for (const auto& [path, score] : vector->items()) {
        if (!score.is_number()) throw std::invalid_argument("score_vector['" + path + "'] is not a number");
        snapshot.scores.emplace_back(path, score.get<double>());
    }
    return snapshot;
}

ResultComparison compare_results(const ScoreSnapshot& baseline, const ScoreSnapshot& current) {
    ResultComparison comparison;
    comparison.baseline_score = baseline.final_score;
    comparison.current_score = current.final_score;
    comparison.score_delta = current.final_score - baseline.final_score;

    std::map<std::string, double, std::less<>> baseline_scores(baseline.scores.begin(), baseline.scores.end());
    std::map<std::string, double, std::less<>> current_scores(current.scores.begin(), current.scores.end());
    for (const auto& [path, score] : current.scores) {
        auto before = baseline_scores.find(path);
        if (before == baseline_scores.end()) {
            comparison.paths.push_back({path, ScoreChange::introduced, std::nullopt, score});
            continue;
        }
        const double delta = score - before->second;
        const ScoreChange change = std::abs(delta) <= kSameScore ? ScoreChange::unchanged
                                   : delta > 0                   ? ScoreChange::improved
                                                                 : ScoreChange::regressed;
        comparison.paths.push_back({path, change, before->second, score});
    }
    for (const auto& [path, score] : baseline.scores)
        if (current_scores.find(path) == current_scores.end())
            comparison.paths.push_back({path, ScoreChange::removed, score, std::nullopt});
    return comparison;
}

nlohmann::json ResultComparison::to_json() const {
    auto optional_number = [](const std::optional<double>& value) {
        return value ? nlohmann::json(rounded_score(*value)) : nlohmann::json();
    };
    auto changes = nlohmann::json::array();
    for (const auto& entry : paths)
        changes.push_back({{"path", entry.path},
                           {"status", to_string(entry.change)},
                           {"baseline", optional_number(entry.baseline)},
                           {"current", optional_number(entry.current)}});
    return {{"baseline_score", rounded_score(baseline_score)},
            {"current_score", rounded_score(current_score)},
            {"score_delta", rounded_score(score_delta)},
            {"paths", std::move(changes)}};
}

}  // namespace autograder
