// The library's batch grader (autograder/batch.hpp), which the CLI, the C ABI and Python share.
#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/batch.hpp"

using namespace autograder;
using json = nlohmann::json;

namespace {

// A pipeline that needs no sandbox: one static check of main.py.
std::shared_ptr<const Pipeline> import_check_pipeline() {
    json config = {{"template_name", "static_analysis"},
                   {"include_feedback", false},
                   {"criteria_config",
                    {{"base",
                      {{"tests",
                        {{{"name", "no os"}, {"type", "forbidden_import"}, {"forbidden_imports", {"os"}}}}}}}}}};
    return Pipeline::create(config);
}

Submission python(const std::string& code) {
    Submission submission;
    submission.language = "python";
    submission.files = {{"main.py", code}};
    return submission;
}

}  // namespace

TEST_CASE("batch: every submission gets its own result, and one that cannot be read is FAILED alone") {
    auto pipeline = import_check_pipeline();
    std::vector<GradingResult> results(4);
    std::vector<size_t> progress;
    BatchCallbacks callbacks;
    callbacks.submission_at = [](size_t i) {
        if (i == 2) throw std::runtime_error("cannot read submission two");
        return python(i % 2 ? "import os\n" : "print(1)\n");
    };
    callbacks.on_result = [&](size_t i, GradingResult&& result) { results[i] = std::move(result); };
    callbacks.on_progress = [&](size_t, size_t done, size_t total) {
        CHECK(total == 4);
        progress.push_back(done);  // one call at a time: no lock needed
        return true;
    };
    BatchOutcome outcome = grade_batch(*pipeline, 4, callbacks, 3);
    CHECK(outcome.graded == 4);
    CHECK_FALSE(outcome.cancelled);
    CHECK(progress == std::vector<size_t>{1, 2, 3, 4});
    CHECK(results[0].final_score == doctest::Approx(100));
    CHECK(results[1].final_score == doctest::Approx(0));
    CHECK(results[3].final_score == doctest::Approx(0));
    CHECK(results[2].status == PipelineStatus::failed);
    CHECK(results[2].failed_at_step == "PRE_FLIGHT");
    REQUIRE(results[2].steps.size() == 1);
    CHECK(results[2].steps[0].message == "cannot read submission two");
}

TEST_CASE("batch: on_progress returning false cancels what has not started") {
    auto pipeline = import_check_pipeline();
    std::atomic<size_t> made{0};
    BatchCallbacks callbacks;
    callbacks.submission_at = [&](size_t) {
        ++made;
        return python("print(1)\n");
    };
    callbacks.on_result = [](size_t, GradingResult&&) {};
    callbacks.on_progress = [](size_t, size_t done, size_t) { return done < 2; };
    BatchOutcome outcome = grade_batch(*pipeline, 50, callbacks, 1);
    CHECK(outcome.cancelled);
    CHECK(outcome.graded == 2);
    CHECK(made == 2);  // one worker: nothing after the cancelling result was started
}

TEST_CASE("batch: an exception of a callback stops the batch and reaches the caller") {
    auto pipeline = import_check_pipeline();
    BatchCallbacks callbacks;
    callbacks.submission_at = [](size_t) { return python("print(1)\n"); };
    callbacks.on_result = [](size_t i, GradingResult&&) {
        if (i == 1) throw std::runtime_error("disk full");
    };
    CHECK_THROWS_WITH_AS(grade_batch(*pipeline, 5, callbacks, 2), "disk full", std::runtime_error);
    callbacks.submission_at = nullptr;
    CHECK_THROWS_AS(grade_batch(*pipeline, 1, callbacks), std::invalid_argument);
}
