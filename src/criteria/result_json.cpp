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
    if (test.visibility != Visibility::visible) json["visibility"] = to_string(test.visibility);
    if (test.excluded) json["excluded"] = true;
    if (!test.cases.empty()) {
        json["cases"] = nlohmann::json::array();
        for (const auto& test_case : test.cases) {
            auto case_json = test_json(test_case);
            case_json.erase("parameters");
            case_json.erase("visibility");
            json["cases"].push_back(std::move(case_json));
        }
    }
    json["file_target"] = test.file_target ? nlohmann::json(*test.file_target) : nlohmann::json();
    json["resources"] = test.resources ? nlohmann::json{{"cpu_ms", test.resources->cpu_ms},
                                                        {"wall_ms", test.resources->wall_ms},
                                                        {"peak_memory_kb", test.resources->peak_memory_kb}}
                                       : nlohmann::json();
    return json;
}

// Counts what a view shows: a suite counts through its cases.
void count_shown(const TestResult& test, ResultSummary& summary) {
    if (test.cases.empty()) {
        ++summary.total;
        ++(test.score >= 100 ? summary.passed : summary.failed);
        return;
    }
    for (const auto& test_case : test.cases) count_shown(test_case, summary);
}

std::size_t count_tests(const TestResult& test) {
    return test.cases.empty() ? 1 : test.cases.size();
}

std::size_t count_tests(const NodeResult& node) {
    std::size_t count = 0;
    for (const auto& subject : node.subjects) count += count_tests(subject);
    for (const auto& test : node.tests) count += count_tests(test);
    return count;
}

// `summary` collects what the audience is shown and how many tests it is not.
nlohmann::json node_json(const NodeResult& node, Audience audience, ResultSummary& summary) {
    nlohmann::json json = {{"name", node.name},
                           {"type", node.is_category ? "category" : "subject"},
                           {"weight", rounded_score(node.weight)},
                           {"score", rounded_score(node.score)}};
    if (audience == Audience::teacher && node.visibility != Visibility::visible)
        json["visibility"] = to_string(node.visibility);
    json["subjects"] = nlohmann::json::array();
    for (const auto& subject : node.subjects) {
        if (shows(audience, subject.visibility))
            json["subjects"].push_back(node_json(subject, audience, summary));
        else
            summary.hidden += count_tests(subject);
    }
    json["tests"] = nlohmann::json::array();
    for (const auto& test : node.tests) {
        if (!shows(audience, test.visibility)) {
            summary.hidden += count_tests(test);
            continue;
        }
        count_shown(test, summary);
        auto shown = test_json(test);
        if (audience != Audience::teacher) shown.erase("visibility");
        json["tests"].push_back(std::move(shown));
    }
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

std::string_view to_string(Audience audience) {
    switch (audience) {
        case Audience::teacher:
            return "teacher";
        case Audience::student:
            return "student";
        case Audience::student_after_due_date:
            return "student_after_due_date";
    }
    return "student";
}

std::optional<Audience> audience_from_string(std::string_view text) {
    for (Audience audience : {Audience::teacher, Audience::student, Audience::student_after_due_date})
        if (text == to_string(audience)) return audience;
    return std::nullopt;
}

bool shows(Audience audience, Visibility visibility) {
    switch (visibility) {
        case Visibility::visible:
            return true;
        case Visibility::hidden:
            return audience == Audience::teacher;
        case Visibility::after_due_date:
            return audience != Audience::student;
    }
    return false;
}

nlohmann::json ResultTree::to_json(Audience audience) const {
    ResultSummary shown;
    nlohmann::json root = {{"base", node_json(base, audience, shown)}};
    if (bonus) root["bonus"] = node_json(*bonus, audience, shown);
    if (penalty) root["penalty"] = node_json(*penalty, audience, shown);
    nlohmann::json summary_json = {{"total", shown.total}, {"passed", shown.passed}, {"failed", shown.failed}};
    if (shown.hidden > 0) summary_json["hidden"] = shown.hidden;
    nlohmann::json json = {
        {"final_score", rounded_score(final_score)}, {"summary", std::move(summary_json)}, {"root", std::move(root)}};
    // Names, files and parameters come from the host's configuration, which C++ hosts may build
    // from any bytes.
    text::make_valid_utf8(json);
    return json;
}

std::set<std::string> unseen_paths(const ResultTree& result, Audience audience) {
    std::set<std::string> unseen;
    for (const auto& located : locate_tests(result))
        if (!shows(audience, located.test->visibility)) unseen.insert(located.path);
    return unseen;
}

nlohmann::json grading_result_json(const ResultTree& result, const Focus& focus, const ScoreVector& vector,
                                   Audience audience) {
    const auto unseen = unseen_paths(result, audience);
    Focus shown_focus;
    for (Category category : {Category::base, Category::bonus, Category::penalty}) {
        auto& shown = category == Category::base    ? shown_focus.base
                      : category == Category::bonus ? shown_focus.bonus
                                                    : shown_focus.penalty;
        for (const auto& entry : focus.category(category))
            if (!unseen.contains(entry.path)) shown.push_back(entry);
    }
    ScoreVector shown_vector;
    for (const auto& entry : vector)
        if (!unseen.contains(entry.first)) shown_vector.push_back(entry);
    return {{"final_score", rounded_score(result.final_score)},
            {"result_tree", result.to_json(audience)},
            {"focus", shown_focus.to_json()},
            {"score_vector", score_vector_to_json(shown_vector)}};
}

}  // namespace autograder
