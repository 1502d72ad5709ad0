// Where the server's grade jobs are graded. The store stays the durable record of every job; a
// JobQueue decides what happens to a grade job once one of the server's worker threads claimed it:
//   - the store queue (default): the thread grades it here, with the server's sandbox pool;
//   - the Redis queue (--queue redis://…): the thread hands it to `autograder worker` processes
//     through Redis Streams, and a collector thread writes their results back into the store
//     (once per job), or fails the job with the reason of its dead letter.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "autograder/store.hpp"

namespace autograder::server {

struct ServerContext;

// The job could not be handed on (Redis is unreachable); the caller gives it back to the store.
class QueueUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class JobQueue {
public:
    virtual ~JobQueue() = default;
    virtual void start() {}
    virtual void stop() {}
    // Grades `job` (claimed, running) or hands it on; throws QueueUnavailable (hand it back later)
    // or another exception (the job fails with it).
    virtual void take(const Job& job) = 0;
    // GET /api/v1/queue: {backend, length, pending, waiting, dead_letters, ...}
    virtual nlohmann::json status() = 0;
    // GET /api/v1/workers: {backend, workers: [{name, state, last_heartbeat, jobs_done, jobs_failed, ...}]}
    virtual nlohmann::json workers() = 0;
};

std::unique_ptr<JobQueue> make_store_job_queue(ServerContext& context, int threads);
// `url`: redis://host[:port][/database]; keys start with `prefix` (queue/redis_streams.hpp).
std::unique_ptr<JobQueue> make_redis_job_queue(ServerContext& context, const std::string& url,
                                               const std::string& prefix);

}  // namespace autograder::server
