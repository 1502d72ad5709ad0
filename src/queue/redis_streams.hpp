// The grading queue on Redis Streams: which keys hold what, and every operation the server and the
// workers do on them. One stream per queue with a consumer group: a job entry is delivered to one
// worker at a time and stays in the group's pending list until the worker acknowledges it, so a
// worker that dies (SIGKILL, power cut) loses nothing: another one reclaims the entry once it has
// been idle for the claim time (XAUTOCLAIM). Living workers refresh their entries' idle time.
//
// Keys (prefix "autograder" by default):
//   <prefix>:jobs            stream   jobs to grade (group "workers"); job_id, submission_id, attempts,
//                                     max_attempts, job (JSON: configuration, files, ...)
//   <prefix>:results         stream   graded jobs (group "servers"); job_id, submission_id, worker,
//                                     status, final_score, result (JSON)
//   <prefix>:dead-letters    stream   jobs given up on (group "servers"); job_id, submission_id,
//                                     reason, attempts, worker, failed_at, job
//   <prefix>:jobs:delayed    sorted set  jobs waiting for their backoff, scored by due time (ms)
//   <prefix>:jobs:enqueued   hash     job id (a batch's: <reply stream>#<job id>) -> 1 while the job
//                                     is in Redis (enqueuing twice is a no-op)
//   <prefix>:replies:<id>    stream   one `grade --batch --queue` run's results and dead letters (its
//                                     jobs carry reply_to); fields as above plus outcome ("result",
//                                     "dead_letter"); made by the CLI, deleted when it is done, never
//                                     made again by a worker (XADD NOMKSTREAM)
//   <prefix>:workers         set      names of workers that sent a heartbeat
//   <prefix>:worker:<name>   hash     a worker's heartbeat; expires unless renewed
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "queue/job_messages.hpp"
#include "queue/redis_client.hpp"

namespace autograder::queue {

struct StreamNames {
    std::string prefix = "autograder";
    std::string jobs() const { return prefix + ":jobs"; }
    std::string results() const { return prefix + ":results"; }
    std::string dead_letters() const { return prefix + ":dead-letters"; }
    std::string delayed() const { return prefix + ":jobs:delayed"; }
    std::string enqueued() const { return prefix + ":jobs:enqueued"; }
    std::string workers() const { return prefix + ":workers"; }
    std::string worker(const std::string& name) const { return prefix + ":worker:" + name; }
    std::string replies(const std::string& id) const { return prefix + ":replies:" + id; }
    static constexpr const char* kWorkerGroup = "workers";
    static constexpr const char* kServerGroup = "servers";
};

// A job entry reclaimed from a worker that stopped answering.
struct Reclaimed {
    StreamEntry entry;
    int deliveries = 1;  // times the entry was handed to a worker, this one included
};

// A result or a dead letter for the server to record.
struct Outcome {
    enum class Kind { result, dead_letter } kind = Kind::result;
    StreamEntry entry;
};

struct QueueStats {
    int64_t length = 0;        // job entries in the stream: waiting or being graded
    int64_t pending = 0;       // delivered to a worker, not yet acknowledged
    int64_t delayed = 0;       // waiting for their backoff
    int64_t results = 0;       // results not yet collected by a server
    int64_t dead_letters = 0;  // entries of the dead-letter stream
    nlohmann::json to_json() const;
};

struct WorkerStatus {
    std::string name;
    std::string state;  // "starting", "idle", "busy", "draining", "stopped"
    int64_t jobs_done = 0;
    int64_t jobs_failed = 0;
    int concurrency = 1;
    std::vector<int64_t> current_jobs;
    std::string host;
    int64_t pid = 0;
    std::string started_at;
};

// The job's field in <prefix>:jobs:enqueued: its id, or for a batch's job "<reply_to>#<id>", so
// that a batch's ids never meet the server's.
std::string enqueued_mark(const JobMessage& job);

class RedisStreams {
public:
    RedisStreams(RedisClient& client, StreamNames names);
    const StreamNames& names() const { return names_; }

    // The consumer groups (and their streams), when missing.
    void create_groups();

    // --- the server ---------------------------------------------------------------------------
    // Adds the job unless it is already in Redis (enqueued, pending or delayed): false then.
    bool enqueue(const JobMessage& job);
    // The same, answering the job's entry id (nullopt when it was already there).
    std::optional<std::string> enqueue_entry(const JobMessage& job);
    // Results and dead letters for consumer `consumer` of group "servers": its own unacknowledged
    // ones when `own_pending`, else new ones (waiting up to `block`).
    std::vector<Outcome> read_outcomes(const std::string& consumer, bool own_pending, std::chrono::milliseconds block,
                                       int count);
    // Outcomes left unacknowledged by a server that stopped, idle for `min_idle`.
    std::vector<Outcome> reclaim_outcomes(const std::string& consumer, std::chrono::milliseconds min_idle, int count);
    // The outcome is recorded: acknowledged (a result is also deleted) and the job forgotten.
    void acknowledge(const Outcome& outcome, int64_t job_id);
    QueueStats stats();
    // Every worker whose heartbeat has not expired, by name.
    std::vector<nlohmann::json> workers();

    // --- the workers --------------------------------------------------------------------------
    // The next new job entry for `consumer`, waiting up to `block`.
    std::optional<StreamEntry> read_job(const std::string& consumer, std::chrono::milliseconds block);
    // One job entry idle for `min_idle` in another consumer's hands, now `consumer`'s.
    std::optional<Reclaimed> reclaim_job(const std::string& consumer, std::chrono::milliseconds min_idle);
    // The entries `consumer` is grading are alive: their idle time starts again.
    void keep_alive(const std::string& consumer, const std::vector<std::string>& entry_ids);
    // Publishes the result and acknowledges the job entry, in one transaction. With `reply_to` (a
    // job's checked JobMessage::reply_to) the result goes there, and is dropped when that stream
    // is gone (its batch gave up).
    void publish_result(const std::string& entry_id, const ResultMessage& result, const std::string& reply_to = {});
    // Moves the job to the dead-letter stream, or to `reply_to` (acknowledging its entry, when it
    // has one).
    void dead_letter(const std::string& entry_id, const DeadLetter& letter, const std::string& reply_to = {});
    // Gives the job back to be graded again after `delay` (acknowledging this entry).
    void retry_later(const std::string& entry_id, const JobMessage& job, std::chrono::milliseconds delay);
    // Moves the delayed jobs whose backoff has ended to the jobs stream; how many.
    int64_t promote_due_jobs();
    void heartbeat(const WorkerStatus& status, std::chrono::milliseconds time_to_live);

    // --- a batch of `grade --batch --queue` -------------------------------------------------------
    // Makes the reply stream (with a first entry, outcome "opened") and answers that entry's id:
    // read replies after it.
    std::string open_replies(const std::string& stream);
    // The entries after `after`, waiting up to `block` for one.
    std::vector<StreamEntry> read_replies(const std::string& stream, const std::string& after,
                                          std::chrono::milliseconds block, int count);
    // Deletes read entries of a stream (the reply stream, or job entries of a batch given up).
    void delete_entries(const std::string& stream, const std::vector<std::string>& entry_ids);
    // Forgets enqueued marks (enqueued_mark) of jobs that are done or given up.
    void forget_enqueued(const std::vector<std::string>& marks);
    // Deletes the reply stream: results still to come are dropped.
    void close_replies(const std::string& stream);

private:
    RedisClient& client_;
    StreamNames names_;
};

}  // namespace autograder::queue
