// A result JSON read back for the report formats: its header and every test with its place in
// the criteria tree and its share of the final score. Reading checks every field it uses and
// names the offending one (a result JSON may come from a file or across the C ABI).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace autograder::formats {

struct GradedTest {
    std::string category;                   // "base", "bonus", "penalty"
    std::vector<std::string> subject_path;  // subject names from the category down
    std::string name;
    std::string path;  // the score-vector path: "base/<subject>/.../<name>", "#2" on duplicates
    double score = 0;  // 0-100
    // Final-score points that one point of this test's score is worth: the product of the
    // normalised weight fractions along its path times the category factor (1 for base,
    // weight/100 for bonus and penalty).
    double effective_weight = 0;
    std::string report;
    std::string visibility = "visible";  // "hidden", "after_due_date" (a teacher's result says so)
    std::optional<double> wall_ms;  // from its run reports, when it ran programs
};

struct GradedResult {
    std::string status;  // "SUCCESS", "FAILED", "INTERRUPTED"
    std::optional<std::string> failed_at_step;
    std::string failure_message;  // the failed step's message
    double final_score = 0;
    std::string feedback;
    // The student's Markdown when a teacher's result holds tests a student may not see.
    std::optional<std::string> student_feedback;
    double execution_time_ms = 0;
    std::vector<GradedTest> tests;  // empty when the pipeline stopped before GRADE
};

// Throws std::invalid_argument("result_tree.root.base.tests[0].score: expected a number").
GradedResult read_graded_result(const nlohmann::json& result);

// The points a test contributes to the final score before clamping: score x weight for base and
// bonus, -(100 - score) x weight for penalty; and the most it can contribute (0 for penalty).
double test_points(const GradedTest& test);
double test_max_points(const GradedTest& test);

}  // namespace autograder::formats
