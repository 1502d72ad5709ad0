// What travels on the streams, and how it is checked when read back. Everything read from Redis
// is untrusted (another process, an operator's XADD, a corrupt file): sizes are limited, JSON is
// parsed and checked field by field, and a problem is reported as a MessageError naming the field,
// so the entry can be dead-lettered instead of crashing a worker.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace autograder::queue {

class MessageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Limits on entries read from Redis.
inline constexpr std::size_t kMaxFieldBytes = 64u << 20;  // one field of an entry (the job's JSON)
inline constexpr std::size_t kMaxFields = 32;             // fields of one entry
inline constexpr std::size_t kMaxFiles = 10000;           // files of one submission
inline constexpr std::size_t kMaxFilenameBytes = 4096;
inline constexpr std::size_t kMaxReplyToBytes = 512;

using EntryFields = std::map<std::string, std::string>;

// An entry of a stream: its id ("1732755391123-0") and its fields.
struct StreamEntry {
    std::string id;
    EntryFields fields;
    std::string problem;  // non-empty: the entry broke a limit (fields are then left out)
};

struct JobFile {
    std::string filename;
    std::string content;
    bool executable = false;  // the owner's x bit of the file on disk (`grade --batch --queue`)
};

// One grading job as the server hands it to the workers (stream `jobs`): everything a worker needs
// to grade, so that workers never read the server's database.
struct JobMessage {
    int64_t job_id = 0;
    int64_t submission_id = 0;
    int attempts = 0;      // attempts already used (transient failures and crashed workers)
    int max_attempts = 3;  // then the job goes to the dead-letter stream
    int64_t config_id = 0;
    int config_version = 0;
    nlohmann::json configuration;  // the configuration document (docs/configuration.md)
    std::string locale = "en";
    std::string language;
    nlohmann::json metadata = nlohmann::json::object();
    nlohmann::json baseline_result_tree;  // null when none
    std::vector<JobFile> files;
    // Empty: the result goes to <prefix>:results and a dead letter to <prefix>:dead-letters (the
    // server's). Else the stream the job's result and dead letter go to instead (`grade --batch
    // --queue`); it travels in the job's JSON, so retries and reclaimed entries keep it. Workers
    // accept only <prefix>:replies:<id> (reply_to_problem).
    std::string reply_to;

    // Fields: job_id, submission_id, attempts, max_attempts, job (the rest as JSON).
    EntryFields to_fields() const;
    // Throws MessageError naming the field at fault.
    static JobMessage from_fields(const EntryFields& fields);
};

// What a worker sends back (stream `results`).
struct ResultMessage {
    int64_t job_id = 0;
    int64_t submission_id = 0;
    std::string worker;
    double final_score = 0;
    std::string status;             // the pipeline's: SUCCESS, FAILED, ...
    nlohmann::json body;            // the stored result's body (job_grading.hpp)
    EntryFields to_fields() const;  // job_id, submission_id, worker, status, final_score, result
    static ResultMessage from_fields(const EntryFields& fields);
};

// A job given up on (stream `dead-letters`).
struct DeadLetter {
    int64_t job_id = 0;  // 0 when the entry was too broken to name its job
    int64_t submission_id = 0;
    std::string reason;
    int attempts = 0;
    std::string worker;
    std::string failed_at;  // ISO 8601 UTC
    std::string job;        // the job's JSON as it was (for a later replay), possibly empty
    EntryFields to_fields() const;
    static DeadLetter from_fields(const EntryFields& fields);
};

// Why `reply_to` may not receive results from the workers of `prefix` ("" when it may): only a
// key "<prefix>:replies:<id>", the id 1 to 64 letters, digits, '-' or '_', so that a job put on
// the stream by hand cannot make a worker write to any other key (the jobs, the server's results,
// another application's data).
std::string reply_to_problem(const std::string& reply_to, const std::string& prefix);

// A positive 64-bit id from the field `name`; throws MessageError.
int64_t id_field(const EntryFields& fields, const std::string& name);
std::string utc_now_iso8601();

}  // namespace autograder::queue
