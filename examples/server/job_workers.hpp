// The bounded set of threads that run durable jobs. Each claims the next ready job from the store
// (Store::claim_job), runs it (job_handlers.hpp) or, for a grade job, gives it to the job queue
// (job_queue.hpp: graded here, or handed to Redis), and when none is ready sleeps on a condition
// variable until a job is queued (wake()) or the earliest backoff ends: no polling.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "server_context.hpp"

namespace autograder::server {

class JobWorkers {
public:
    JobWorkers(ServerContext& context, int count);
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

    ServerContext& context_;
    int count_;
    std::mutex mutex_;
    std::condition_variable work_;
    uint64_t wakeups_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace autograder::server
