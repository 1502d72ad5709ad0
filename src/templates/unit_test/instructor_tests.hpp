// What the unit_test template's functions (pytest, junit5, node_test) share: the instructor's files
// placed where the student's code cannot change them, per-case weights, a runner that proves it
// finished with a secret nonce, the report read back from the grader's folder, and the report's
// cases turned into the cases of the result.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "autograder/pipeline.hpp"
#include "templates/unit_test/junit_report.hpp"

namespace autograder::templates {

inline constexpr int64_t kMaxTestReportBytes = 8LL << 20;
inline constexpr std::size_t kMaxTestCases = 2000;

// test_files and support_files: paths relative to the assignment folder, normalised. Throws
// std::invalid_argument for a missing required list, an absolute path or one leaving the folder.
std::vector<std::string> assignment_paths(const TestSpec& spec, std::string_view name, bool required);

// Per-case weights: [{"pattern": "test_calc::test_add*", "weight": 3}, ...], the first pattern
// that matches the case's full name or its bare test name wins; default_case_weight otherwise.
class CaseWeights {
public:
    explicit CaseWeights(const TestSpec& spec);
    double of(const std::string& full_name, const std::string& bare_name) const;

private:
    std::vector<std::pair<std::string, double>> rules_;
    double default_weight_ = 1;
};

// The parameters every function of the template takes: test_files and support_files (described
// per framework), case_weights (with an example of the framework's case names),
// default_case_weight, then time_limit, wall_time_limit and memory_limit for the whole run.
std::vector<ParameterDoc> instructor_test_parameter_docs(std::string test_files, std::string support_files,
                                                         std::string case_name_example);

// Copies each assignment file into kGraderPath under its own file name, owned by root and
// read-only: not even the code under test (which runs as the grader) can change it. Returns the
// file names as placed.
std::vector<std::string> place_instructor_files(const TestContext& context, const std::vector<std::string>& paths);

// The limits of the whole test run: those of the test (test_limits), with at least `cpu_s` CPU
// and twice that wall time when the test sets no time_limit (a test framework's start-up costs).
Limits instructor_run_limits(const TestContext& context, double cpu_s);

// 128 random bits as hex, handed to a runner on stdin before any student code loads.
std::string random_nonce();

// The fields after "<marker> <nonce>" on the last non-empty line of the run's stdout: the runner's
// last words. std::nullopt when that line is anything else (the run was cut short from inside).
std::optional<std::vector<std::string>> runner_finished(const RunReport& run, std::string_view marker,
                                                        const std::string& nonce);

// The report the runner wrote under kGraderPath: read without following symlinks, a regular file
// of at most kMaxTestReportBytes. std::nullopt when there is none that qualifies.
std::optional<std::string> read_grader_report(Sandbox& sandbox, const std::string& path);

// Score 0, the reason, and the tails of the run's output.
TestOutcome no_points(Locale locale, std::string why, const RunReport& run);

// The runner's fields after "<marker> <nonce>" when the run finished and its last line is the
// runner's with `field_count` fields; otherwise no points, saying that the run did not finish (its
// status) or `cut_short` (the code under test ended the run from inside).
std::variant<std::vector<std::string>, TestOutcome> checked_runner_fields(Locale locale, const RunReport& run,
                                                                          std::string_view marker,
                                                                          const std::string& nonce,
                                                                          std::size_t field_count,
                                                                          const std::string& cut_short);

// The cases of a runner's report when it can be trusted; otherwise no points, saying why: there is
// no report, it cannot be read, holds more than `max_cases` cases or none, names a case
// `is_instructors` refuses, or `runner_saw_failure` (the runner's word: some case failed or
// erred) disagrees with the cases.
std::variant<std::vector<JunitCase>, TestOutcome> checked_report_cases(
    Locale locale, const RunReport& run, const std::optional<std::string>& report_xml, std::size_t max_cases,
    bool runner_saw_failure, const std::function<bool(const JunitCase&)>& is_instructors);

// One case of the result per report case, named by `full_name` (weights match it or the bare test
// name), passed = 100, failed/error/skipped = 0 with the message; the outcome's report counts them.
TestOutcome outcome_of_cases(Locale locale, const std::vector<JunitCase>& cases,
                             const std::function<std::string(const JunitCase&)>& full_name, const CaseWeights& weights,
                             const RunReport& run);

}  // namespace autograder::templates
