// `grade --batch DIR --queue redis://…`: the Redis side of a batch graded by `autograder worker`
// processes. Each student is one job on <prefix>:jobs whose reply_to is this run's own stream
// <prefix>:replies:<random id>, so results never reach the server's <prefix>:results; the run
// waits for one reply per job, then deletes its stream and its marks in <prefix>:jobs:enqueued.
// What a reply means for the summaries is grade_command.cpp's business.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "queue/job_messages.hpp"
#include "queue/redis_client.hpp"
#include "queue/redis_streams.hpp"

namespace autograder::cli {

struct QueueBatchOptions {
    queue::RedisAddress address;
    queue::StreamNames names;
    // --queue-timeout: give up when no reply came for this long (nullopt: wait for ever).
    std::optional<std::chrono::milliseconds> idle_timeout;
    // A warning when no worker has sent a heartbeat for this long.
    std::chrono::milliseconds no_worker_warning{5000};
};

// What the workers answered for one student.
struct QueueReply {
    enum class Kind { result, dead_letter } kind = Kind::result;
    double final_score = 0;  // result: the pipeline's, unrounded
    nlohmann::json body;     // result: queue::batch_result_body
    std::string reason;      // dead_letter: why the workers gave up on the job
};

struct QueueBatchCallbacks {
    // The i-th student's job: files, language, locale, metadata, configuration. The batch sets ids
    // and the reply stream. An exception: the student is not sent (on_unsent, with its message).
    std::function<queue::JobMessage(std::size_t index)> job_at;
    std::function<void(std::size_t index, const std::string& why)> on_unsent;
    // One call per student sent, in the order replies come.
    std::function<void(std::size_t index, QueueReply&& reply)> on_reply;
    // Polled between steps: true stops the batch (Ctrl-C, SIGTERM).
    std::function<bool()> stop_requested;
};

struct QueueBatchOutcome {
    enum class End { finished, interrupted, timed_out } end = End::finished;
    std::vector<std::size_t> unanswered;  // students sent whose reply never came (not finished)
    double elapsed_s = 0;
    int worker_slots = 0;  // the most jobs the live workers could grade at once, as their heartbeats said
};

// Connects and checks that Redis answers (PING). Throws queue::RedisError.
void check_queue_reachable(const queue::RedisAddress& address);

// Sends students 0..count-1 to the workers and waits for their replies. Throws queue::RedisError
// only when Redis cannot be reached to send the jobs; once sent, an outage is waited out.
QueueBatchOutcome run_queue_batch(const QueueBatchOptions& options, std::size_t count,
                                  const QueueBatchCallbacks& callbacks);

// The configuration document's id in the workers' pipeline cache: a digest of the document in a
// range the server's configuration ids never reach, so a batch's pipeline is never mistaken for
// a stored configuration's, nor for another batch's other configuration.
int64_t batch_config_id(const nlohmann::json& configuration);

}  // namespace autograder::cli
