#include "queue_batch.hpp"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "text/utf8.hpp"

namespace autograder::cli {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kCommandTimeout = 10s;
constexpr auto kReadBlock = 500ms;  // longest wait in XREAD: how soon Ctrl-C is seen
constexpr int kReadCount = 100;
constexpr auto kWorkerCheckEvery = 1s;
// Batch jobs are numbered from here: the server's job ids (database rows) never come near, so
// even a result that reached the server's stream (an older worker) names no job of the server.
constexpr int64_t kFirstJobId = int64_t{1} << 62;
constexpr int64_t kConfigIdRange = int64_t{1} << 61;

std::string random_id() {
    std::random_device device;
    return fmt::format("{:08x}{:08x}", device(), device());
}

// A job whose trip through the stream would change it is not sent: the worker reads the same
// checks back (JobMessage::from_fields), and JSON carries text only.
void check_sendable(const queue::JobMessage& job) {
    for (const auto& file : job.files) {
        if (!text::is_valid_utf8(file.filename))
            throw std::runtime_error(fmt::format("the file name '{}' is not UTF-8, which the queue cannot carry",
                                                 text::valid_utf8(file.filename)));
        if (!text::is_valid_utf8(file.content))
            throw std::runtime_error(
                fmt::format("the file '{}' is not UTF-8 text, which the queue cannot carry; "
                            "grade this batch without --queue",
                            file.filename));
    }
    const queue::EntryFields fields = job.to_fields();
    if (fields.at("job").size() > queue::kMaxFieldBytes)
        throw std::runtime_error(
            fmt::format("the submission is larger than a job of the queue may be ({} bytes)", queue::kMaxFieldBytes));
    try {
        queue::JobMessage::from_fields(fields);
    } catch (const queue::MessageError& e) {
        throw std::runtime_error(fmt::format("the workers would refuse this submission: {}", e.what()));
    }
}

class Batch {
public:
    Batch(const QueueBatchOptions& options, const QueueBatchCallbacks& callbacks)
        : options_(options),
          callbacks_(callbacks),
          client_(options.address, kCommandTimeout),
          streams_(client_, options.names),
          reply_to_(options.names.replies(random_id())) {}

    QueueBatchOutcome run(std::size_t count) {
        const auto start = Clock::now();
        try {
            send(count);
        } catch (const queue::RedisError&) {
            clean_up(false);
            throw;
        }
        QueueBatchOutcome outcome;
        outcome.end = collect();
        outcome.worker_slots = worker_slots_;
        for (const auto& [job_id, index] : outstanding_) outcome.unanswered.push_back(index);
        std::sort(outcome.unanswered.begin(), outcome.unanswered.end());
        clean_up(outcome.end == QueueBatchOutcome::End::finished);
        outcome.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
        return outcome;
    }

private:
    bool stop_requested() const { return callbacks_.stop_requested && callbacks_.stop_requested(); }

    void send(std::size_t count) {
        streams_.create_groups();
        last_read_ = streams_.open_replies(reply_to_);
        opened_ = true;
        for (std::size_t i = 0; i < count; ++i) {
            if (stop_requested()) return;
            queue::JobMessage job;
            try {
                job = callbacks_.job_at(i);
                job.job_id = kFirstJobId + static_cast<int64_t>(i) + 1;
                job.submission_id = static_cast<int64_t>(i) + 1;
                job.attempts = 0;
                job.config_id = batch_config_id(job.configuration);
                job.config_version = 1;
                job.reply_to = reply_to_;
                check_sendable(job);
            } catch (const std::exception& e) {
                callbacks_.on_unsent(i, text::valid_utf8(e.what()));
                continue;
            }
            const auto entry = streams_.enqueue_entry(job);
            marks_.push_back(queue::enqueued_mark(job));
            if (entry) job_entries_[job.job_id] = *entry;
            outstanding_[job.job_id] = i;
        }
    }

    QueueBatchOutcome::End collect() {
        auto last_reply = Clock::now();
        auto last_worker_seen = Clock::now();
        auto next_worker_check = Clock::now();
        bool warned = false, outage_reported = false;
        auto wait = 100ms;
        while (!outstanding_.empty()) {
            if (stop_requested()) return QueueBatchOutcome::End::interrupted;
            const auto timed_out = [&] {
                return options_.idle_timeout && Clock::now() - last_reply > *options_.idle_timeout;
            };
            try {
                if (Clock::now() >= next_worker_check) {
                    next_worker_check = Clock::now() + kWorkerCheckEvery;
                    if (count_workers() > 0) {
                        last_worker_seen = Clock::now();
                        if (warned) say("a worker is alive again; grading goes on");
                        warned = false;
                    } else if (!warned && Clock::now() - last_worker_seen >= options_.no_worker_warning) {
                        say(
                            fmt::format("warning: no worker heartbeat on {} for {:.0f} s: the {} jobs wait until an "
                                        "`autograder worker --redis {} --prefix {}` runs; still waiting{}",
                                        options_.names.workers(),
                                        std::chrono::duration<double>(Clock::now() - last_worker_seen).count(),
                                        outstanding_.size(), options_.address.to_string(), options_.names.prefix,
                                        options_.idle_timeout ? " (until --queue-timeout)" : " (Ctrl-C gives up)"));
                        warned = true;
                    }
                }
                // After the worker check, so a batch that times out without workers has said why.
                if (timed_out()) return QueueBatchOutcome::End::timed_out;
                const auto entries = streams_.read_replies(reply_to_, last_read_, kReadBlock, kReadCount);
                std::vector<std::string> read, done_marks;
                for (const auto& entry : entries) {
                    last_read_ = entry.id;
                    read.push_back(entry.id);
                    if (auto job_id = take_reply(entry)) {
                        last_reply = Clock::now();
                        done_marks.push_back(reply_to_ + "#" + std::to_string(*job_id));
                    }
                }
                if (!read.empty()) streams_.delete_entries(reply_to_, read);
                if (!done_marks.empty()) streams_.forget_enqueued(done_marks);
                if (outage_reported) say("Redis is reachable again");
                outage_reported = false;
                wait = 100ms;
            } catch (const queue::RedisError& e) {
                if (!outage_reported) say(fmt::format("warning: the queue's Redis: {}; trying again", e.what()));
                outage_reported = true;
                std::this_thread::sleep_for(wait);
                wait = std::min(wait * 2, std::chrono::milliseconds(2000));
                if (timed_out()) return QueueBatchOutcome::End::timed_out;
            }
        }
        return QueueBatchOutcome::End::finished;
    }

    // Hands a reply to the callbacks: its job id, or nullopt when it is none of this batch's
    // outstanding jobs (the "opened" entry, a second result of a job graded twice).
    std::optional<int64_t> take_reply(const queue::StreamEntry& entry) {
        const auto outcome = entry.fields.find("outcome");
        if (outcome == entry.fields.end() || outcome->second == "opened") return std::nullopt;
        int64_t job_id = 0;
        try {
            job_id = queue::id_field(entry.fields, "job_id");
        } catch (const queue::MessageError&) {
            return std::nullopt;  // names no job: nothing to wait for less
        }
        const auto found = outstanding_.find(job_id);
        if (found == outstanding_.end()) return std::nullopt;
        const std::size_t index = found->second;
        QueueReply reply;
        try {
            if (!entry.problem.empty()) throw queue::MessageError(entry.problem);
            if (outcome->second == "result") {
                const auto result = queue::ResultMessage::from_fields(entry.fields);
                reply.final_score = result.final_score;
                reply.body = result.body;
                if (!reply.body.contains("result") || !reply.body["result"].is_object() ||
                    !reply.body.contains("score_vector") || !reply.body["score_vector"].is_array())
                    throw queue::MessageError(
                        "the result has no 'result' object and 'score_vector' list (is the "
                        "worker older than this autograder?)");
            } else {
                const auto letter = queue::DeadLetter::from_fields(entry.fields);
                reply.kind = QueueReply::Kind::dead_letter;
                reply.reason = letter.reason;
            }
        } catch (const queue::MessageError& e) {
            reply = {};
            reply.kind = QueueReply::Kind::dead_letter;
            reply.reason = fmt::format("the worker's answer was unreadable: {}", e.what());
        }
        outstanding_.erase(found);
        job_entries_.erase(job_id);
        callbacks_.on_reply(index, std::move(reply));
        return job_id;
    }

    int count_workers() {
        int alive = 0, slots = 0;
        for (const auto& worker : streams_.workers()) {
            if (worker.value("state", "") == "stopped") continue;
            ++alive;
            slots += static_cast<int>(worker.value("concurrency", int64_t{1}));
        }
        worker_slots_ = std::max(worker_slots_, slots);
        return alive;
    }

    // What this batch leaves in Redis: its reply stream, its marks, and (given up) its jobs not
    // taken yet. Best effort: Redis may be away.
    void clean_up(bool finished) {
        try {
            if (!finished && !job_entries_.empty()) {
                std::vector<std::string> entries;
                for (const auto& [job_id, entry] : job_entries_) entries.push_back(entry);
                streams_.delete_entries(options_.names.jobs(), entries);
            }
            if (opened_) streams_.close_replies(reply_to_);
            streams_.forget_enqueued(marks_);
        } catch (const queue::RedisError& e) {
            say(fmt::format(
                "warning: could not clean up the batch's keys in Redis ({}): delete {} and the fields '{}#...' of {}",
                e.what(), reply_to_, reply_to_, options_.names.enqueued()));
        }
    }

    void say(const std::string& message) {
        std::cerr << (::isatty(STDERR_FILENO) == 1 ? "\n" : "") << "autograder grade: " << message << "\n"
                  << std::flush;
    }

    const QueueBatchOptions& options_;
    const QueueBatchCallbacks& callbacks_;
    queue::RedisClient client_;
    queue::RedisStreams streams_;
    const std::string reply_to_;
    std::string last_read_ = "0-0";
    bool opened_ = false;
    std::map<int64_t, std::size_t> outstanding_;  // job id -> student, sent and not answered
    std::map<int64_t, std::string> job_entries_;  // job id -> its entry on <prefix>:jobs
    std::vector<std::string> marks_;              // every job's enqueued mark
    int worker_slots_ = 0;
};

}  // namespace

void check_queue_reachable(const queue::RedisAddress& address) {
    queue::RedisClient client(address, kCommandTimeout);
    queue::Reply reply = client.command({"PING"});
    if (queue::reply_string(reply.get(), "PING") != "PONG")
        throw queue::RedisError(false, "Redis did not answer PING with PONG");
}

QueueBatchOutcome run_queue_batch(const QueueBatchOptions& options, std::size_t count,
                                  const QueueBatchCallbacks& callbacks) {
    Batch batch(options, callbacks);
    return batch.run(count);
}

int64_t batch_config_id(const nlohmann::json& configuration) {
    // FNV-1a over the document's text: stable across processes and machines.
    uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : configuration.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return kConfigIdRange + static_cast<int64_t>(hash % static_cast<uint64_t>(kConfigIdRange));
}

}  // namespace autograder::cli
