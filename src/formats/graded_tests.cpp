#include "formats/graded_tests.hpp"
#include "criteria/score_vector_paths.hpp"

#include <cmath>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

namespace autograder::formats {
namespace {

constexpr std::size_t kMaxDepth = 64;

[[noreturn]] void malformed(const std::string& path, std::string_view expected) {
    throw std::invalid_argument(fmt::format("{}: expected {}", path.empty() ? "$" : path, expected));
}

std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

const nlohmann::json& member(const nlohmann::json& object, std::string_view key, const std::string& path) {
    if (!object.is_object()) malformed(path, "an object");
    auto found = object.find(key);
    if (found == object.end()) malformed(join(path, key), "a value (the field is missing)");
    return *found;
}

double number(const nlohmann::json& value, const std::string& path) {
    if (!value.is_number()) malformed(path, "a number");
    double result = value.get<double>();
    if (!std::isfinite(result)) malformed(path, "a finite number");
    return result;
}

std::string text(const nlohmann::json& value, const std::string& path) {
    if (!value.is_string()) malformed(path, "a string");
    return value.get<std::string>();
}

const nlohmann::json& array(const nlohmann::json& value, const std::string& path) {
    if (!value.is_array()) malformed(path, "an array");
    return value;
}

class TreeReader {
public:
    explicit TreeReader(std::vector<GradedTest>& tests) : tests_(tests) {}

    // As locate_tests() does on a ResultTree: `share` is what one point of this node's score is
    // worth in final-score points.
    void visit(const nlohmann::json& node, const std::string& path, const std::string& category,
               std::vector<std::string> subjects, const std::string& vector_path, double share, std::size_t depth) {
        if (depth > kMaxDepth) malformed(path, fmt::format("at most {} levels of subjects", kMaxDepth));
        const auto& subject_nodes = array(member(node, "subjects", path), join(path, "subjects"));
        const auto& test_nodes = array(member(node, "tests", path), join(path, "tests"));
        double weight_sum = 0;
        for (std::size_t i = 0; i < subject_nodes.size(); ++i)
            weight_sum += number(member(subject_nodes[i], "weight", fmt::format("{}.subjects[{}]", path, i)),
                                 fmt::format("{}.subjects[{}].weight", path, i));
        for (std::size_t i = 0; i < test_nodes.size(); ++i)
            weight_sum += number(member(test_nodes[i], "weight", fmt::format("{}.tests[{}]", path, i)),
                                 fmt::format("{}.tests[{}].weight", path, i));
        auto fraction = [&](double weight) { return weight_sum > 0 ? weight / weight_sum : 0.0; };

        for (std::size_t i = 0; i < subject_nodes.size(); ++i) {
            const auto subject_path = fmt::format("{}.subjects[{}]", path, i);
            const auto& subject = subject_nodes[i];
            auto name = text(member(subject, "name", subject_path), subject_path + ".name");
            auto nested = subjects;
            nested.push_back(name);
            visit(subject, subject_path, category, std::move(nested), vector_path + "/" + name,
                  share * fraction(subject["weight"].get<double>()), depth + 1);
        }
        for (std::size_t i = 0; i < test_nodes.size(); ++i) {
            const auto test_path = fmt::format("{}.tests[{}]", path, i);
            const auto& test = test_nodes[i];
            GradedTest suite = read_test(test, test_path, category, subjects);
            const double test_share = share * fraction(test["weight"].get<double>());
            auto cases = test.find("cases");
            if (cases == test.end() || cases->is_null() || (cases->is_array() && cases->empty())) {
                suite.path = paths_.claim(vector_path + "/" + suite.name);
                suite.effective_weight = test_share;
                tests_.push_back(std::move(suite));
                continue;
            }
            // A suite's cases stand for it (as in the score vector): their balanced weights sum
            // to 100, and they take the suite's visibility.
            const auto& case_nodes = array(*cases, test_path + ".cases");
            for (std::size_t c = 0; c < case_nodes.size(); ++c) {
                const auto case_path = fmt::format("{}.cases[{}]", test_path, c);
                auto nested = subjects;
                nested.push_back(suite.name);
                GradedTest graded = read_test(case_nodes[c], case_path, category, std::move(nested));
                graded.path = paths_.claim(vector_path + "/" + suite.name + "/" + graded.name);
                graded.effective_weight =
                    test_share * number(member(case_nodes[c], "weight", case_path), case_path + ".weight") / 100;
                graded.visibility = suite.visibility;
                tests_.push_back(std::move(graded));
            }
        }
    }

private:
    // A test's own fields; its path and weight depend on where it stands.
    static GradedTest read_test(const nlohmann::json& test, const std::string& test_path, const std::string& category,
                                std::vector<std::string> subjects) {
        GradedTest graded;
        graded.category = category;
        graded.subject_path = std::move(subjects);
        graded.name = text(member(test, "name", test_path), test_path + ".name");
        graded.score = number(member(test, "score", test_path), test_path + ".score");
        if (auto report = test.find("report"); report != test.end() && !report->is_null())
            graded.report = text(*report, test_path + ".report");
        if (auto visibility = test.find("visibility"); visibility != test.end()) {
            graded.visibility = text(*visibility, test_path + ".visibility");
            if (graded.visibility != "visible" && graded.visibility != "hidden" &&
                graded.visibility != "after_due_date")
                malformed(test_path + ".visibility", "\"visible\", \"hidden\" or \"after_due_date\"");
        }
        if (auto resources = test.find("resources"); resources != test.end() && !resources->is_null())
            graded.wall_ms =
                number(member(*resources, "wall_ms", test_path + ".resources"), test_path + ".resources.wall_ms");
        return graded;
    }

    std::vector<GradedTest>& tests_;
    criteria::ScoreVectorPaths paths_;
};

}  // namespace

GradedResult read_graded_result(const nlohmann::json& result) {
    if (!result.is_object()) malformed("", "a result object");
    GradedResult graded;
    graded.status = text(member(result, "status", ""), "status");
    graded.final_score = number(member(result, "final_score", ""), "final_score");
    if (auto feedback = result.find("feedback"); feedback != result.end() && !feedback->is_null())
        graded.feedback = text(*feedback, "feedback");
    if (auto feedback = result.find("student_feedback"); feedback != result.end() && !feedback->is_null())
        graded.student_feedback = text(*feedback, "student_feedback");
    if (auto failed = result.find("failed_at_step"); failed != result.end() && !failed->is_null())
        graded.failed_at_step = text(*failed, "failed_at_step");
    if (auto pipeline = result.find("pipeline"); pipeline != result.end() && pipeline->is_object()) {
        if (auto time = pipeline->find("execution_time_ms"); time != pipeline->end())
            graded.execution_time_ms = number(*time, "pipeline.execution_time_ms");
        if (auto steps = pipeline->find("steps"); graded.failed_at_step && steps != pipeline->end()) {
            for (std::size_t i = 0; i < array(*steps, "pipeline.steps").size(); ++i) {
                const auto& step = (*steps)[i];
                if (step.is_object() && step.value("name", "") == *graded.failed_at_step)
                    graded.failure_message = step.value("message", "");
            }
        }
    }
    const auto tree = result.find("result_tree");
    if (tree == result.end() || tree->is_null()) return graded;
    const auto& root = member(*tree, "root", "result_tree");
    TreeReader reader(graded.tests);
    for (const char* category : {"base", "bonus", "penalty"}) {
        const auto node = root.find(category);
        if (node == root.end() || node->is_null()) {
            if (std::string_view(category) == "base") malformed("result_tree.root.base", "the base category");
            continue;
        }
        const auto path = fmt::format("result_tree.root.{}", category);
        // The base weight does not scale the final score; bonus and penalty are worth weight/100.
        const double factor =
            std::string_view(category) == "base" ? 1.0 : number(member(*node, "weight", path), path + ".weight") / 100;
        reader.visit(*node, path, category, {}, category, factor, 0);
    }
    return graded;
}

double test_points(const GradedTest& test) {
    if (test.category == "penalty") return -(100 - test.score) * test.effective_weight;
    return test.score * test.effective_weight;
}

double test_max_points(const GradedTest& test) {
    return test.category == "penalty" ? 0 : 100 * test.effective_weight;
}

}  // namespace autograder::formats
