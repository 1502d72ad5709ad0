// Grades many submissions over one pipeline: the one batch grader behind `autograder grade
// --batch`, the C ABI's ag_pipeline_grade_batch and the Python package's Pipeline.grade_batch.
#pragma once

#include <cstddef>
#include <functional>

#include "autograder/pipeline.hpp"

namespace autograder {

struct BatchCallbacks {
    // Makes the i-th submission, on the worker thread that grades it (so reading a folder from
    // disk happens in parallel too). An exception is that submission's FAILED result (at
    // PRE_FLIGHT, where files are checked, with the exception's message), not the batch's.
    std::function<Submission(std::size_t index)> submission_at;
    // Receives the i-th result on the worker thread that graded it, in parallel with the other
    // workers: keep or write what you need of it. An exception here stops the batch and is
    // rethrown by grade_batch.
    std::function<void(std::size_t index, GradingResult&& result)> on_result;
    // Then, one call at a time (no locking needed): `done` of `total` are graded. Returning false
    // cancels the batch: submissions not started yet are left ungraded. Optional.
    std::function<bool(std::size_t index, std::size_t done, std::size_t total)> on_progress;
};

// The result of a submission that was not graded, with `why` as its step's message: FAILED at
// PRE_FLIGHT when its files cannot be read, INTERRUPTED at BATCH when the host failed it.
GradingResult result_without_grading(PipelineStatus status, const std::string& step, const std::string& why);

struct BatchOutcome {
    std::size_t graded = 0;  // submissions whose result reached on_result
    bool cancelled = false;  // on_progress returned false
    double elapsed_s = 0;
};

// Grades submissions 0..count-1 on `jobs` worker threads (0: one per core; never more than
// `count`), each taking the next index from a shared counter. Whatever goes wrong while grading
// one submission becomes its own INTERRUPTED result (a step "BATCH" with the reason): one
// submission never costs the others theirs. Running out of memory, and exceptions of the
// callbacks, stop the batch and are rethrown here once every worker has ended.
BatchOutcome grade_batch(const Pipeline& pipeline, std::size_t count, const BatchCallbacks& callbacks, int jobs = 0);

}  // namespace autograder

namespace autograder {

// One graded (or failed) submission of a class, as a class summary counts it.
struct ClassSummaryRow {
    std::string status;  // the pipeline's: SUCCESS, FAILED, INTERRUPTED
    double score = 0;
    ScoreVector scores;  // per test path, for the pass rates
};

// A whole class at a glance: what `autograder grade --batch` prints after a batch and what a
// grading run of the service reports, computed once so the two always agree.
struct ClassSummary {
    struct PassRate {
        std::string test;
        int passed = 0;  // submissions scoring 100 on it
        int graded = 0;  // submissions that have it
    };
    std::size_t submissions = 0;
    std::size_t success = 0;  // status SUCCESS
    double mean = 0, median = 0, min = 0, max = 0;
    std::vector<int> histogram = std::vector<int>(10, 0);  // bins 0-9, 10-19, ..., 90-100
    std::vector<PassRate> pass_rates;                      // in the order tests are first met

    static ClassSummary of(const std::vector<ClassSummaryRow>& rows);
    // {submissions, success, not_success, mean, median, min, max (rounded to 2 decimals),
    //  histogram: [10 counts], pass_rates: [{test, passed, graded, pass_rate}]}
    nlohmann::json to_json() const;
};

}  // namespace autograder
