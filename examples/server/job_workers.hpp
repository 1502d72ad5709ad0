// The bounded set of threads that run durable jobs. Each claims the next ready job from the store
// (Store::claim_job), runs it (job_handlers.hpp) or, for a grade job, gives it to the job queue
// (job_queue.hpp: graded here, or handed to Redis), and when none is ready sleeps on a condition
// variable until a job is queued (wake()) or the earliest backoff ends: no polling on a database of
// its own. On a database other servers share (PostgreSQL), jobs they queue wake nobody here, and a
// server that died leaves its running jobs behind: there the threads also look for work every
// `shared_poll`, and every `shared_requeue` one of them queues again the jobs of servers that are
// gone (Store::requeue_abandoned_jobs, which leaves a live server's jobs alone).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "server_context.hpp"

namespace autograder::server {

class JobWorkers {
public:
    struct SharedStore {
        std::chrono::milliseconds poll{1000};
        std::chrono::milliseconds requeue{30000};
    };
    // `shared`: the store is shared with other servers (see above); nullopt: it is this server's.
    JobWorkers(ServerContext& context, int count, std::optional<SharedStore> shared = std::nullopt);
    ~JobWorkers();
    JobWorkers(const JobWorkers&) = delete;
    JobWorkers& operator=(const JobWorkers&) = delete;

    void start();
    void wake();
    // No new claims; jobs being run finish; a job claimed after stop() is handed back. Joins.
    void stop();

private:
    void loop(int index);
    // Waits for wake() after `seen`, stop(), or the next backoff's end.
    void wait_for_work(uint64_t seen);
    // On a shared store, when `shared_->requeue` has passed since the last time: the jobs of
    // servers that are gone are queued again (by one thread).
    void requeue_jobs_of_gone_servers();

    ServerContext& context_;
    int count_;
    std::optional<SharedStore> shared_;
    std::mutex requeue_mutex_;
    std::chrono::steady_clock::time_point last_requeue_ = std::chrono::steady_clock::now();
    std::mutex mutex_;
    std::condition_variable work_;
    uint64_t wakeups_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace autograder::server
