// The class summary shared by `grade --batch` and the service's grading runs.
#include <algorithm>
#include <cmath>
#include <map>

#include "autograder/batch.hpp"

namespace autograder {
namespace {

double two_decimals(double value) {
    return std::round(value * 100) / 100;
}

}  // namespace

ClassSummary ClassSummary::of(const std::vector<ClassSummaryRow>& rows) {
    ClassSummary summary;
    summary.submissions = rows.size();
    std::vector<double> scores;
    std::map<std::string, std::size_t> rate_of_test;  // test -> index in pass_rates
    for (const auto& row : rows) {
        scores.push_back(row.score);
        summary.histogram[std::min<std::size_t>(9, static_cast<std::size_t>(std::max(0.0, row.score) / 10))]++;
        if (row.status == "SUCCESS") ++summary.success;
        for (const auto& [test, score] : row.scores) {
            auto [it, added] = rate_of_test.try_emplace(test, summary.pass_rates.size());
            if (added) summary.pass_rates.push_back({test, 0, 0});
            PassRate& rate = summary.pass_rates[it->second];
            rate.graded++;
            if (score >= 100 - 1e-9) rate.passed++;
        }
    }
    if (scores.empty()) return summary;
    std::sort(scores.begin(), scores.end());
    for (double s : scores) summary.mean += s / static_cast<double>(scores.size());
    const std::size_t n = scores.size();
    summary.median = n % 2 ? scores[n / 2] : (scores[n / 2 - 1] + scores[n / 2]) / 2;
    summary.min = scores.front();
    summary.max = scores.back();
    return summary;
}

nlohmann::json ClassSummary::to_json() const {
    nlohmann::json rates = nlohmann::json::array();
    for (const auto& rate : pass_rates)
        rates.push_back({{"test", rate.test},
                         {"passed", rate.passed},
                         {"graded", rate.graded},
                         {"pass_rate", two_decimals(100.0 * rate.passed / std::max(1, rate.graded))}});
    return {{"submissions", submissions},
            {"success", success},
            {"not_success", submissions - success},
            {"mean", two_decimals(mean)},
            {"median", two_decimals(median)},
            {"min", two_decimals(min)},
            {"max", two_decimals(max)},
            {"histogram", histogram},
            {"pass_rates", rates}};
}

}  // namespace autograder
