// ag_pipeline_grade_batch: the library's batch grader (autograder/batch.hpp) over submissions
// given as JSON, each result returned as the JSON of ag_pipeline_grade.
#include <string>
#include <vector>

#include "autograder.h"
#include "autograder/batch.hpp"
#include "boundary.hpp"
#include "handles.hpp"
#include "json_requests.hpp"
#include "text/utf8.hpp"

namespace {

using autograder::c_abi::AbiError;

std::vector<autograder::Submission> read_submissions(const ag_pipeline* pipeline, const char* submissions_json) {
    auto document = autograder::c_abi::parse_document(submissions_json, "submissions_json");
    if (!document.is_array())
        throw AbiError(AG_ERROR_INVALID_ARGUMENT, "submissions_json must be a JSON list of submissions");
    std::vector<autograder::Submission> submissions;
    for (size_t i = 0; i < document.size(); ++i) {
        const std::string where = "submissions_json[" + std::to_string(i) + "]";
        submissions.push_back(autograder::c_abi::read_submission(document[i], where));
        if (!submissions.back().language.empty())
            autograder::c_abi::find_language(pipeline->pipeline->options().languages, submissions.back().language);
    }
    return submissions;
}

}  // namespace

extern "C" int ag_pipeline_grade_batch(const ag_pipeline* pipeline, const char* submissions_json, int jobs,
                                       ag_progress_fn progress, void* user_data, char** results_json) {
    return autograder::c_abi::guarded([&] {
        autograder::c_abi::require(results_json, "results_json");
        *results_json = nullptr;
        autograder::c_abi::require(pipeline, "pipeline");
        if (jobs < 0) throw AbiError(AG_ERROR_INVALID_ARGUMENT, "jobs must be >= 0");
        const std::vector<autograder::Submission> submissions = read_submissions(pipeline, submissions_json);

        std::vector<std::string> results(submissions.size());
        autograder::BatchCallbacks callbacks;
        callbacks.submission_at = [&](size_t i) { return submissions[i]; };
        callbacks.on_result = [&](size_t i, autograder::GradingResult&& result) {
            results[i] = autograder::text::json_text(result.to_json());
        };
        // The library calls it one at a time, so hosts need no locking.
        if (progress)
            callbacks.on_progress = [&](size_t i, size_t done, size_t total) {
                return progress(user_data, i, done, total, results[i].c_str()) == 0;
            };
        auto outcome = autograder::grade_batch(*pipeline->pipeline, submissions.size(), callbacks, jobs);
        if (outcome.cancelled) throw AbiError(AG_ERROR_CANCELLED, "the batch was cancelled by its progress callback");
        std::string list = "[";
        for (size_t i = 0; i < results.size(); ++i) list += (i ? "," : "") + results[i];
        *results_json = autograder::c_abi::copy_for_caller(list + "]");
        return AG_OK;
    });
}
