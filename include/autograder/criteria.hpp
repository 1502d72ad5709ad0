// The criteria tree and its exact scoring (docs/configuration.md, "Scoring"), the result tree,
// focus, the score vector and the comparison with a baseline.
//
// Use: build a CriteriaTree once per configuration (immutable, shareable between threads); for each
// submission, run tree.tests()[i] and put its outcome at outcomes[i]; call tree.grade(outcomes),
// which works only on per-call state and returns a ResultTree value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograder/config.hpp"

namespace autograder {

enum class Category { base, bonus, penalty };
std::string_view to_string(Category category);  // "base", "bonus", "penalty"

// Resource figures of the program runs a test made.
struct TestResources {
    std::int64_t cpu_ms = 0;
    std::int64_t wall_ms = 0;
    std::int64_t peak_memory_kb = 0;
};

// One case of a test that runs a suite (an instructor's unit test): it becomes a test of the
// result tree below the configured test.
struct CaseOutcome {
    std::string name;    // the case's name in the suite, e.g. "test_calc.py::test_add"
    double weight = 1;   // >= 0; the cases of a test are balanced to sum to 100 (all 0: equal shares)
    double score = 0;    // 0-100
    std::string report;  // student-readable; untrusted (any bytes)
};

// What running one test produced; filled in by the caller.
struct TestOutcome {
    double score = 0;                        // 0-100, partial credit allowed; grade() clamps it and rejects NaN
    std::string report;                      // student-readable; may hold untrusted program output (any bytes)
    std::optional<TestResources> resources;  // absent when the test ran no program
    // When not empty, the test's score is the weighted mean of its cases (`score` is ignored) and
    // each case is a test of the result tree (summary, focus, score vector, feedback).
    std::vector<CaseOutcome> cases = {};
    // The test does not count in the score: its weight is 0 and its siblings share the node's
    // weight (a node whose children are all excluded is itself excluded; an excluded penalty
    // category costs nothing). Set when an AI-judged test got no verdict and the configuration's
    // ai.fallback is "exclude".
    bool excluded = false;
};

// Who a result is shown to. The teacher sees everything; the student never sees hidden tests and
// sees after_due_date tests only in the student_after_due_date view. Scores never change.
enum class Audience { teacher, student, student_after_due_date };
std::string_view to_string(Audience audience);  // "teacher", "student", "student_after_due_date"
// "teacher", "student", "student_after_due_date"; nullopt otherwise.
std::optional<Audience> audience_from_string(std::string_view text);
bool shows(Audience audience, Visibility visibility);

// One test of the tree and where it sits.
struct TestSlot {
    Category category;
    std::vector<std::string> subject_path;  // subject names from the category down
    TestSpec spec;
};

struct TestResult {
    std::string name;
    std::string type;
    std::optional<std::string> file_target;  // nullopt: all submission files
    double weight = 0;                       // after balancing (scoring step 2): the weight used in the parent's mean
    double score = 0;                        // clamped to 0-100
    std::string report;                      // valid UTF-8 (invalid bytes replaced by U+FFFD)
    nlohmann::json parameters = nlohmann::json::object();  // {"name": value, ...}
    std::optional<TestResources> resources;
    // Effective: the stricter of the test's own and every enclosing subject's and category's.
    Visibility visibility = Visibility::visible;
    // The cases of a suite (see TestOutcome::cases), weights balanced to sum to 100. A test with
    // cases is located, counted and ranked through its cases, not by itself.
    std::vector<TestResult> cases = {};
    bool excluded = false;  // see TestOutcome::excluded ("excluded": true in JSON)
};

struct NodeResult {
    std::string name;          // "base" / "bonus" / "penalty", or the subject name
    bool is_category = false;  // "type": "category" or "subject" in JSON
    double weight = 0;         // categories: as configured; subjects: after balancing
    double score = 0;
    Visibility visibility = Visibility::visible;  // effective, as for TestResult
    std::vector<NodeResult> subjects;
    std::vector<TestResult> tests;
    bool excluded = false;  // every child is excluded (see TestOutcome::excluded)
};

// "Passed" means a score of exactly 100 (after clamping): the spec does not define it, and any
// partial credit means something is still missing. Tests of every category count.
struct ResultSummary {
    std::size_t total = 0;
    std::size_t passed = 0;
    std::size_t failed = 0;
    std::size_t hidden = 0;  // tests left out of a student's view (they still count in the score)
};

struct ResultTree {
    double final_score = 0;
    ResultSummary summary;
    NodeResult base;
    std::optional<NodeResult> bonus;
    std::optional<NodeResult> penalty;

    const NodeResult* category(Category which) const;  // nullptr when absent; lives with *this
    // {"final_score", "summary": {total, passed, failed, hidden?}, "root": {"base", "bonus"?,
    // "penalty"?}}. For a student audience, the tests and subjects not shown are left out (names,
    // parameters, reports and all); the summary counts the tests shown and how many are hidden.
    nlohmann::json to_json(Audience audience = Audience::teacher) const;
};

class CriteriaTree {
public:
    // Applies the build-time rescale of sibling subjects. Validates weights again (the config may
    // have been built in code): a negative, NaN or infinite weight throws ConfigError.
    static CriteriaTree build(const CriteriaConfig& config);

    // Every test, depth-first: category base, bonus, penalty; in a node its subjects, then its
    // tests.
    const std::vector<TestSlot>& tests() const noexcept { return tests_; }
    const CriteriaConfig& criteria() const noexcept { return criteria_; }  // after the rescale

    // outcomes.size() must equal tests().size(); a NaN score throws std::invalid_argument.
    ResultTree grade(std::span<const TestOutcome> outcomes) const;

private:
    CriteriaConfig criteria_;
    std::vector<TestSlot> tests_;
};

// A test of a result tree with its unique score-vector path and its share of the final score.
struct LocatedTest {
    Category category;
    std::string path;        // "base/<subject>/.../<test name>", "#2", "#3" ... on duplicates
    const TestResult* test;  // points into the ResultTree, valid while it lives unchanged
    // Product of the normalised weight fractions along the path times the category factor
    // (1 for base, weight/100 for bonus and penalty): the points one point of score is worth.
    double effective_weight;
};
std::vector<LocatedTest> locate_tests(const ResultTree& result);  // depth-first, as tests()

struct FocusEntry {
    std::string test;  // test name
    std::string path;  // its score-vector path (unique)
    double impact;     // (100 - score) x effective_weight: final-score points lost
};
struct Focus {
    std::vector<FocusEntry> base, bonus, penalty;  // each sorted by impact, highest first, stable
    const std::vector<FocusEntry>& category(Category which) const;
    nlohmann::json to_json() const;  // {"base": [{"test", "impact", "path"}], "bonus": [...], ...}
};
Focus compute_focus(const ResultTree& result);

// Path -> score, in depth-first order, keys unique.
using ScoreVector = std::vector<std::pair<std::string, double>>;
ScoreVector compute_score_vector(const ResultTree& result);
nlohmann::json score_vector_to_json(const ScoreVector& vector);

// A score, weight or impact as every output (JSON, Markdown, CSV) shows it: rounded to 1e-9, so
// that floating-point noise (20.000000000000004, 1.8e-15) never reaches a report. Grading itself
// keeps the exact value, which is within 1e-9 of this one.
double rounded_score(double value);

// The result JSON (docs/configuration.md, "Results") that this module owns: final_score,
// result_tree, focus, score_vector. For a student audience, focus entries and score-vector paths
// of tests not shown are left out.
nlohmann::json grading_result_json(const ResultTree& result, const Focus& focus, const ScoreVector& vector,
                                   Audience audience = Audience::teacher);
// The score-vector paths of the tests `audience` must not see.
std::set<std::string> unseen_paths(const ResultTree& result, Audience audience);

// A result reduced to what comparison needs.
struct ScoreSnapshot {
    double final_score = 0;
    ScoreVector scores;
    static ScoreSnapshot of(const ResultTree& result);
    // From a stored result JSON: {"final_score" or "result_tree": {"final_score"}, "score_vector"}.
    // Throws std::invalid_argument when a field is missing or not a number.
    static ScoreSnapshot from_result_json(const nlohmann::json& result);
};

enum class ScoreChange { improved, regressed, unchanged, introduced, removed };
std::string_view to_string(ScoreChange change);

struct PathComparison {
    std::string path;
    ScoreChange change;
    std::optional<double> baseline;  // absent when introduced
    std::optional<double> current;   // absent when removed
};
struct ResultComparison {
    double baseline_score = 0;
    double current_score = 0;
    double score_delta = 0;             // current - baseline
    std::vector<PathComparison> paths;  // current's order, then removed paths in baseline's order
    nlohmann::json to_json() const;
};
// Scores within 1e-9 of each other are unchanged.
ResultComparison compare_results(const ScoreSnapshot& baseline, const ScoreSnapshot& current);

}  // namespace autograder
