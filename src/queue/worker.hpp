// `autograder worker`: takes grading jobs from the Redis Streams queue (redis_streams.hpp), grades
// them with its own sandbox pool, and publishes their results. Threads: `concurrency` graders, each
// with its own connection, reading one job at a time (XREADGROUP) and reclaiming jobs from workers
// that stopped answering (XAUTOCLAIM); one housekeeper sending heartbeats, keeping this worker's
// jobs alive (so none is reclaimed from a worker that is merely slow) and moving jobs whose backoff
// ended back onto the stream. A lost connection to Redis is waited out, never fatal.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "queue/redis_client.hpp"
#include "queue/redis_streams.hpp"

namespace autograder {
class SandboxPool;
}

namespace autograder::queue {

class PipelineCache;

struct WorkerOptions {
    RedisAddress address;
    StreamNames names;
    std::string name;                                    // the consumer's name in the group, and the heartbeat's
    int concurrency = 1;                                 // jobs graded at once
    int pool_size = 0;                                   // warm sandboxes per language; 0: `concurrency`
    std::chrono::milliseconds claim_idle{30000};         // a job idle this long is taken from its worker
    std::chrono::milliseconds heartbeat_interval{2000};  // its hash expires after three of them
    std::chrono::milliseconds block{1000};               // longest wait in XREADGROUP (stop latency)
};

enum class LogLevel { info, warning, error };
using WorkerLog = std::function<void(LogLevel, const std::string&)>;

class Worker {
public:
    Worker(WorkerOptions options, WorkerLog log);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void start();
    // Takes no new job; the jobs being graded finish and are published. Returns at once.
    void request_stop();
    // Waits until every thread ended (after request_stop).
    void join();

private:
    void grade_loop(int index);
    void housekeeping_loop();
    void handle(RedisStreams& streams, const StreamEntry& entry, int deliveries);
    // Runs `step` until it succeeds, waiting out a lost connection (up to a limit once stopping).
    bool with_reconnect(const std::string& what, const std::function<void()>& step);
    // Sleeps `duration` unless stopping (true when stopping).
    bool pause(std::chrono::milliseconds duration);
    WorkerStatus status(const std::string& state);

    WorkerOptions options_;
    WorkerLog log_;
    std::shared_ptr<SandboxPool> pool_;
    std::unique_ptr<PipelineCache> pipelines_;
    std::atomic<bool> stopping_{false};
    std::atomic<int64_t> jobs_done_{0}, jobs_failed_{0};
    std::string started_at_;
    std::mutex mutex_;
    std::condition_variable stop_signal_;
    std::map<std::string, int64_t> current_;  // entry id -> job id, being graded
    std::vector<std::thread> graders_;
    std::thread housekeeper_;
    bool housekeeper_stop_ = false;
};

}  // namespace autograder::queue
