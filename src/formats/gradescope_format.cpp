// Gradescope's results.json (the autograder specification of Gradescope's documentation):
// top-level score, execution_time, output and output_format; one entry of tests[] per test.
#include <cmath>

#include <fmt/format.h>

#include "autograder/export.hpp"
#include "formats/graded_tests.hpp"

namespace autograder {
namespace {

// Points are written rounded to 1e-6: a gradebook shows two decimals, and floating-point noise
// such as 19.999999999999996 helps no one. The comparison below uses the same rounded figures.
double rounded(double points) {
    double value = std::round(points * 1e6) / 1e6;
    return value == 0 ? 0 : value;  // no -0
}

std::string test_name(const formats::GradedTest& test) {
    std::string name;
    for (const auto& subject : test.subject_path) name += subject + " / ";
    return name + test.name;
}

}  // namespace

nlohmann::json to_gradescope(const nlohmann::json& result) {
    const auto graded = formats::read_graded_result(result);
    nlohmann::json tests = nlohmann::json::array();
    double points_sum = 0;
    for (const auto& test : graded.tests) {
        const double points = rounded(formats::test_points(test));
        points_sum += points;
        nlohmann::json tags = nlohmann::json::array({test.category});
        for (const auto& subject : test.subject_path) tags.push_back(subject);
        tests.push_back({{"name", test_name(test)},
                         {"score", points},
                         {"max_score", rounded(formats::test_max_points(test))},
                         {"status", test.score >= 100 ? "passed" : "failed"},
                         {"output", test.report},
                         {"output_format", "md"},
                         {"visibility", test.visibility},  // Gradescope's own vocabulary
                         {"tags", std::move(tags)}});
    }
    const double final_score = rounded(graded.final_score);
    // Gradescope shows the top-level output to the student: never the teacher's Markdown.
    std::string output = graded.student_feedback.value_or(graded.feedback);
    if (graded.status != "SUCCESS") {
        output += fmt::format("{}Grading stopped at {}: {}\n", output.empty() ? "" : "\n\n",
                              graded.failed_at_step.value_or("a step"), graded.failure_message);
    }
    // Gradescope uses the top-level score; say why it differs from the sum of the tests' points.
    if (std::fabs(points_sum - final_score) > 1e-4) {
        std::string why = graded.status != "SUCCESS" ? "the grading did not finish"
                          : points_sum > 100         ? "the final score is capped at 100"
                          : points_sum < 0           ? "the final score is never below 0"
                                                     : "a subject without tests counts as 0";
        output += fmt::format("{}The test points add up to {:.2f}; the score is {:.2f} ({}).\n",
                              output.empty() ? "" : "\n\n", points_sum, final_score, why);
    }
    return {{"score", final_score},
            {"execution_time", std::round(graded.execution_time_ms / 10) / 100},
            {"output", std::move(output)},
            {"output_format", "md"},
            {"tests", std::move(tests)}};
}

}  // namespace autograder
