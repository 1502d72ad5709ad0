// ag_pipeline_grade_batch: a batch of submissions over one pipeline, graded by worker threads
// that take the next submission from a shared counter (as `autograder grade --batch` does).
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "autograder.h"
#include "boundary.hpp"
#include "handles.hpp"
#include "json_requests.hpp"
#include "text/utf8.hpp"

namespace {

using autograder::c_abi::AbiError;

// What the workers share. The progress callback runs under `mutex`, so hosts need no locking.
struct Batch {
    Batch(const autograder::Pipeline& graded_by, const std::vector<autograder::Submission>& graded,
          ag_progress_fn progress_callback, void* callback_data)
        : pipeline(graded_by),
          submissions(graded),
          progress(progress_callback),
          user_data(callback_data),
          results(graded.size()) {}

    const autograder::Pipeline& pipeline;
    const std::vector<autograder::Submission>& submissions;
    ag_progress_fn progress;
    void* user_data;
    std::vector<std::string> results;
    std::atomic<size_t> next{0};
    std::atomic<bool> cancelled{false};
    std::mutex mutex;
    size_t done = 0;
    std::exception_ptr failure;  // the first exception of a worker, rethrown on the caller's thread

    // The submission's result as JSON. Whatever goes wrong while grading it becomes its own
    // INTERRUPTED result: one submission never costs the others theirs.
    std::string graded(const autograder::Submission& submission) const {
        try {
            return autograder::text::json_text(pipeline.grade(submission).to_json());
        } catch (const std::bad_alloc&) {
            throw;  // the process is short of memory, not this submission at fault
        } catch (const std::exception& e) {
            return interrupted(e.what());
        } catch (...) {
            return interrupted("unknown exception");
        }
    }

    static std::string interrupted(const std::string& why) {
        autograder::GradingResult result;
        result.status = autograder::PipelineStatus::interrupted;
        result.steps.push_back({"BATCH", autograder::PipelineStatus::interrupted, why, 0, {{"exception", why}}});
        return autograder::text::json_text(result.to_json());
    }

    void work() {
        try {
            for (size_t i; !cancelled && (i = next.fetch_add(1)) < submissions.size();) {
                std::string result = graded(submissions[i]);
                std::lock_guard lock(mutex);
                results[i] = std::move(result);
                ++done;
                if (progress && progress(user_data, i, done, submissions.size(), results[i].c_str()) != 0)
                    cancelled = true;
            }
        } catch (...) {
            std::lock_guard lock(mutex);
            if (!failure) failure = std::current_exception();
            cancelled = true;
        }
    }
};

}  // namespace

extern "C" int ag_pipeline_grade_batch(const ag_pipeline* pipeline, const char* submissions_json, int jobs,
                                       ag_progress_fn progress, void* user_data, char** results_json) {
    return autograder::c_abi::guarded([&] {
        autograder::c_abi::require(results_json, "results_json");
        *results_json = nullptr;
        autograder::c_abi::require(pipeline, "pipeline");
        if (jobs < 0) throw AbiError(AG_ERROR_INVALID_ARGUMENT, "jobs must be >= 0");
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

        Batch batch(*pipeline->pipeline, submissions, progress, user_data);
        size_t threads = jobs > 0 ? static_cast<size_t>(jobs) : std::max(1u, std::thread::hardware_concurrency());
        threads = std::min(threads, std::max<size_t>(1, submissions.size()));
        std::vector<std::thread> workers;
        for (size_t j = 0; j < threads; ++j) workers.emplace_back([&batch] { batch.work(); });
        for (auto& worker : workers) worker.join();

        if (batch.failure) std::rethrow_exception(batch.failure);
        if (batch.cancelled) throw AbiError(AG_ERROR_CANCELLED, "the batch was cancelled by its progress callback");
        std::string list = "[";
        for (size_t i = 0; i < batch.results.size(); ++i) list += (i ? "," : "") + batch.results[i];
        *results_json = autograder::c_abi::copy_for_caller(list + "]");
        return AG_OK;
    });
}
