#include "autograder/batch.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace autograder {

GradingResult result_without_grading(PipelineStatus status, const std::string& step, const std::string& why) {
    GradingResult result;
    result.status = status;
    result.failed_at_step = step;
    nlohmann::json details{{status == PipelineStatus::interrupted ? "exception" : "error", why}};
    result.steps.push_back({step, status, why, 0, std::move(details)});
    return result;
}

namespace {

// What the workers share.
class Batch {
public:
    Batch(const Pipeline& pipeline, std::size_t count, const BatchCallbacks& callbacks)
        : pipeline_(pipeline), count_(count), callbacks_(callbacks) {}

    void work() {
        try {
            for (std::size_t i; !cancelled_ && (i = next_.fetch_add(1)) < count_;) {
                callbacks_.on_result(i, graded(i));
                std::lock_guard lock(mutex_);
                ++done_;
                if (callbacks_.on_progress && !callbacks_.on_progress(i, done_, count_)) cancelled_ = true;
            }
        } catch (...) {
            std::lock_guard lock(mutex_);
            if (!failure_) failure_ = std::current_exception();
            cancelled_ = true;
        }
    }

    BatchOutcome finish() {
        if (failure_) std::rethrow_exception(failure_);
        return {done_, cancelled_, 0};
    }

private:
    GradingResult graded(std::size_t index) const {
        Submission submission;
        try {
            submission = callbacks_.submission_at(index);
        } catch (const std::bad_alloc&) {
            throw;
        } catch (const std::exception& e) {
            return result_without_grading(PipelineStatus::failed, "PRE_FLIGHT", e.what());
        }
        try {
            return pipeline_.grade(submission);
        } catch (const std::bad_alloc&) {
            throw;  // the process is short of memory, not this submission at fault
        } catch (const std::exception& e) {
            return result_without_grading(PipelineStatus::interrupted, "BATCH", e.what());
        } catch (...) {
            return result_without_grading(PipelineStatus::interrupted, "BATCH", "unknown exception");
        }
    }

    const Pipeline& pipeline_;
    const std::size_t count_;
    const BatchCallbacks& callbacks_;
    std::atomic<std::size_t> next_{0};
    std::atomic<bool> cancelled_{false};
    std::mutex mutex_;
    std::size_t done_ = 0;
    std::exception_ptr failure_;  // the first exception of a worker, rethrown on the caller's thread
};

}  // namespace

BatchOutcome grade_batch(const Pipeline& pipeline, std::size_t count, const BatchCallbacks& callbacks, int jobs) {
    if (!callbacks.submission_at || !callbacks.on_result)
        throw std::invalid_argument("grade_batch needs submission_at and on_result");
    const auto start = std::chrono::steady_clock::now();
    std::size_t threads = jobs > 0 ? static_cast<std::size_t>(jobs) : std::max(1u, std::thread::hardware_concurrency());
    threads = std::min(threads, std::max<std::size_t>(1, count));
    Batch batch(pipeline, count, callbacks);
    std::vector<std::thread> workers;
    for (std::size_t j = 0; j < threads; ++j) workers.emplace_back([&batch] { batch.work(); });
    for (auto& worker : workers) worker.join();
    BatchOutcome outcome = batch.finish();
    outcome.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return outcome;
}

}  // namespace autograder
