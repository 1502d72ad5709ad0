#include "job_workers.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include "job_handlers.hpp"
#include "server_log.hpp"

namespace autograder::server {

JobWorkers::JobWorkers(ServerContext& context, int count, std::optional<SharedStore> shared)
    : context_(context), count_(count), shared_(shared) {}

JobWorkers::~JobWorkers() {
    stop();
}

void JobWorkers::start() {
    for (int i = 0; i < count_; ++i) threads_.emplace_back([this, i] { loop(i); });
}

void JobWorkers::wake() {
    {
        std::lock_guard lock(mutex_);
        ++wakeups_;
    }
    work_.notify_all();
}

void JobWorkers::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    work_.notify_all();
    for (auto& thread : threads_)
        if (thread.joinable()) thread.join();
    threads_.clear();
}

void JobWorkers::wait_for_work(uint64_t seen) {
    std::optional<std::chrono::system_clock::time_point> backoff_end;
    try {
        backoff_end = context_.store->next_backoff_end();
    } catch (const StoreError&) {
        backoff_end = std::chrono::system_clock::now() + std::chrono::milliseconds(200);  // busy: look again soon
    }
    if (shared_) {
        const auto poll_end = std::chrono::system_clock::now() + shared_->poll;
        if (!backoff_end || *backoff_end > poll_end) backoff_end = poll_end;
    }
    std::unique_lock lock(mutex_);
    const auto woken = [&] { return stopping_ || wakeups_ != seen; };
    if (backoff_end)
        work_.wait_until(lock, *backoff_end, woken);
    else
        work_.wait(lock, woken);
}

void JobWorkers::requeue_jobs_of_gone_servers() {
    if (!shared_) return;
    std::unique_lock lock(requeue_mutex_, std::try_to_lock);
    if (!lock.owns_lock() || std::chrono::steady_clock::now() - last_requeue_ < shared_->requeue) return;
    last_requeue_ = std::chrono::steady_clock::now();
    try {
        if (const int64_t requeued = context_.store->requeue_abandoned_jobs(); requeued > 0) {
            log_info(fmt::format("{} jobs left running by a server that is gone are queued again", requeued));
            context_.events.publish();
        }
    } catch (const std::exception& e) {
        log_warning(fmt::format("could not look for jobs of servers that are gone: {}", e.what()));
    }
}

void JobWorkers::loop(int index) {
    const std::string worker = fmt::format("pid{}-worker{}", ::getpid(), index);
    while (true) {
        uint64_t seen = 0;
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            seen = wakeups_;
        }
        requeue_jobs_of_gone_servers();
        std::optional<Job> job;
        try {
            job = context_.store->claim_job(worker);
        } catch (const std::exception& e) {
            log_warning(fmt::format("could not claim a job: {}", e.what()), {{"worker", worker}});
        }
        if (!job) {
            wait_for_work(seen);
            continue;
        }
        {
            std::lock_guard lock(mutex_);
            if (stopping_) {
                context_.store->release_job(job->id);
                context_.events.publish();
                return;
            }
        }
        try {
            if (job->kind == JobKind::grade)
                context_.queue->take(*job);
            else
                run_run_job(context_, *job);
        } catch (const QueueUnavailable& e) {
            // Not the job's fault: it goes back to the store, its attempt not counted, and this
            // thread waits before claiming again.
            log_warning(fmt::format("{}; the job is given back", e.what()), {{"job_id", job->id}});
            try {
                context_.store->release_job(job->id);
            } catch (const std::exception& again) {
                log_error(fmt::format("the job could not be given back: {}", again.what()), {{"job_id", job->id}});
            }
            std::unique_lock lock(mutex_);
            work_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
        } catch (const StoreError& e) {
            log_warning(fmt::format("store error while running the job: {}", e.what()), {{"job_id", job->id}});
            try {
                if (e.kind() == StoreError::Kind::busy)
                    retry_later(context_, *job, e.what());
                else
                    context_.store->fail_job(job->id, e.what());
            } catch (const std::exception& again) {
                log_error(fmt::format("the job could not be recorded as failed: {}", again.what()),
                          {{"job_id", job->id}});
            }
        } catch (const std::exception& e) {
            log_error(fmt::format("the job failed: {}", e.what()), {{"job_id", job->id}});
            try {
                context_.store->fail_job(job->id, e.what());
                context_.metrics.count_job_outcome(std::string(to_string(job->kind)), "failed");
            } catch (const std::exception& again) {
                log_error(fmt::format("the job could not be recorded as failed: {}", again.what()),
                          {{"job_id", job->id}});
            }
        }
        context_.events.publish();
    }
}

}  // namespace autograder::server
