// The Redis queue: grade jobs go to `autograder worker` processes through Redis Streams
// (queue/redis_streams.hpp). The store stays the outbox: a job is claimed from it, enqueued in
// Redis (at most once while it is there), and stays `running` until its result or dead letter
// comes back, so a server that stops loses nothing: at its next start the job is claimed and
// enqueued again (a no-op when Redis still holds it). The collector reads results and dead letters
// through the consumer group "servers", writes each into the store (a result once per job: the
// store refuses a second) and only then acknowledges it.
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "job_queue.hpp"
#include "queue/redis_client.hpp"
#include "queue/redis_streams.hpp"
#include "server_context.hpp"
#include "server_log.hpp"

namespace autograder::server {
namespace {

using namespace std::chrono_literals;
constexpr auto kCommandTimeout = 10s;
constexpr auto kCollectorBlock = 1000ms;
constexpr int kCollectorBatch = 100;
constexpr auto kReclaimOutcomesAfter = 30s;  // a server silent that long has stopped

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
    return name;
}

class RedisJobQueue final : public JobQueue {
public:
    RedisJobQueue(ServerContext& context, queue::RedisAddress address, std::string prefix)
        : context_(context),
          address_(std::move(address)),
          names_{std::move(prefix)},
          client_(address_, kCommandTimeout),
          consumer_(fmt::format("server-{}-{}", host_name(), ::getpid())) {}

    ~RedisJobQueue() override { stop(); }

    void start() override {
        try {
            std::lock_guard lock(client_mutex_);
            queue::RedisStreams(client_, names_).create_groups();
        } catch (const queue::RedisError& e) {
            log_warning(fmt::format("the queue's Redis is not ready yet: {}", e.what()));
        }
        collector_ = std::thread([this] { collect(); });
    }

    void stop() override {
        {
            std::lock_guard lock(stop_mutex_);
            stopping_ = true;
        }
        stop_signal_.notify_all();
        if (collector_.joinable()) collector_.join();
    }

    void take(const Job& job) override {
        const auto stored = context_.store->submission(job.target_id, true);
        if (!stored) throw std::runtime_error(fmt::format("submission {} is gone", job.target_id));
        const auto config = context_.store->config(stored->config_id, stored->config_version);
        if (!config)
            throw std::runtime_error(
                fmt::format("configuration {} version {} is gone", stored->config_id, stored->config_version));
        queue::JobMessage message;
        message.job_id = job.id;
        message.submission_id = stored->id;
        message.max_attempts = job.max_attempts;
        message.config_id = config->id;
        message.config_version = config->version;
        message.configuration = queue::configuration_document(config->document);
        message.locale = stored->submission.locale.empty() ? "en" : stored->submission.locale;
        message.language = stored->submission.language;
        message.metadata = stored->submission.metadata;
        message.baseline_result_tree = stored->submission.baseline_result_tree;
        for (const auto& file : stored->submission.files) message.files.push_back({file.filename, file.content});
        bool added = false;
        try {
            std::lock_guard lock(client_mutex_);
            queue::RedisStreams streams(client_, names_);
            try {
                added = streams.enqueue(message);
            } catch (const queue::RedisError& e) {
                if (e.connection()) throw;
                streams.create_groups();  // Redis lost its data (no AOF) or was flushed
                added = streams.enqueue(message);
            }
        } catch (const queue::RedisError& e) {
            throw QueueUnavailable(fmt::format("cannot enqueue job {} in Redis: {}", job.id, e.what()));
        }
        log_info(added ? "enqueued" : "already in the queue", {{"job_id", job.id}, {"submission_id", stored->id}});
    }

    nlohmann::json status() override {
        nlohmann::json json = {{"backend", "redis"},
                               {"redis", address_.to_string()},
                               {"streams",
                                {{"jobs", names_.jobs()},
                                 {"results", names_.results()},
                                 {"dead_letters", names_.dead_letters()},
                                 {"delayed", names_.delayed()}}}};
        try {
            std::lock_guard lock(client_mutex_);
            queue::RedisStreams streams(client_, names_);
            json.update(streams.stats().to_json());
        } catch (const queue::RedisError& e) {
            throw QueueUnavailable(fmt::format("Redis: {}", e.what()));
        }
        json["jobs"] = context_.store->job_counts().by_status;
        return json;
    }

    nlohmann::json workers() override {
        try {
            std::lock_guard lock(client_mutex_);
            queue::RedisStreams streams(client_, names_);
            return {{"backend", "redis"}, {"workers", streams.workers()}};
        } catch (const queue::RedisError& e) {
            throw QueueUnavailable(fmt::format("Redis: {}", e.what()));
        }
    }

private:
    bool pause(std::chrono::milliseconds duration) {
        std::unique_lock lock(stop_mutex_);
        return stop_signal_.wait_for(lock, duration, [this] { return stopping_; });
    }

    bool stopping() {
        std::lock_guard lock(stop_mutex_);
        return stopping_;
    }

    void collect() {
        queue::RedisClient client(address_, kCommandTimeout);
        queue::RedisStreams streams(client, names_);
        bool own_pending = true;  // first what this consumer read and did not acknowledge
        auto wait = 100ms;
        bool reported = false;
        auto last_reclaim = std::chrono::steady_clock::now();
        while (!stopping()) {
            try {
                std::vector<queue::Outcome> outcomes;
                if (std::chrono::steady_clock::now() - last_reclaim > kReclaimOutcomesAfter / 2) {
                    last_reclaim = std::chrono::steady_clock::now();
                    outcomes = streams.reclaim_outcomes(consumer_, kReclaimOutcomesAfter, kCollectorBatch);
                }
                if (outcomes.empty()) {
                    outcomes = streams.read_outcomes(consumer_, own_pending, kCollectorBlock, kCollectorBatch);
                    if (own_pending && outcomes.empty()) own_pending = false;
                }
                for (const auto& outcome : outcomes)
                    if (!record(streams, outcome)) {
                        own_pending = true;  // left unacknowledged: read again after a pause
                        pause(500ms);
                        break;
                    }
                if (reported) log_info("the queue's Redis is reachable again");
                reported = false;
                wait = 100ms;
            } catch (const queue::RedisError& e) {
                if (!reported) log_warning(fmt::format("collecting results: {}; trying again", e.what()));
                reported = true;
                if (!e.connection()) {
                    try {
                        streams.create_groups();
                    } catch (const queue::RedisError&) {
                    }
                }
                own_pending = true;
                pause(wait);
                wait = std::min(wait * 2, std::chrono::milliseconds(2000));
            }
        }
    }

    // Writes one outcome into the store and acknowledges it. False when the store was busy (the
    // outcome stays pending and is read again).
    bool record(queue::RedisStreams& streams, const queue::Outcome& outcome) {
        int64_t job_id = 0;
        try {
            job_id = queue::id_field(outcome.entry.fields, "job_id");
        } catch (const queue::MessageError&) {
        }
        try {
            if (!outcome.entry.problem.empty()) throw queue::MessageError(outcome.entry.problem);
            if (outcome.kind == queue::Outcome::Kind::result) {
                const auto result = queue::ResultMessage::from_fields(outcome.entry.fields);
                StoredResult stored;
                stored.job_id = result.job_id;
                stored.final_score = result.final_score;
                stored.body = result.body;
                const bool written = context_.store->complete_grade_job(result.job_id, stored);
                if (written) {
                    context_.metrics.count_job_outcome("grade", "completed");
                    log_info("graded by a worker", {{"job_id", result.job_id},
                                                    {"submission_id", result.submission_id},
                                                    {"worker", result.worker},
                                                    {"status", result.status},
                                                    {"final_score", result.final_score}});
                } else {
                    log_info("a second result of the job was dropped", {{"job_id", result.job_id}});
                }
            } else {
                const auto letter = queue::DeadLetter::from_fields(outcome.entry.fields);
                const auto job = context_.store->job(letter.job_id);
                if (job && job->status != JobStatus::done && job->status != JobStatus::failed) {
                    context_.store->fail_job(letter.job_id, letter.reason);
                    context_.metrics.count_job_outcome("grade", "failed");
                }
                log_warning(fmt::format("a job was dead-lettered: {}", letter.reason),
                            {{"job_id", letter.job_id}, {"attempts", letter.attempts}, {"worker", letter.worker}});
            }
        } catch (const StoreError& e) {
            if (e.kind() == StoreError::Kind::busy) return false;
            log_error(fmt::format("the store refused an outcome of the queue: {}", e.what()), {{"job_id", job_id}});
        } catch (const queue::MessageError& e) {
            log_error(
                fmt::format("an unreadable entry on {}: {}",
                            outcome.kind == queue::Outcome::Kind::result ? names_.results() : names_.dead_letters(),
                            e.what()),
                {{"entry", outcome.entry.id}, {"job_id", job_id}});
            if (job_id > 0) {
                try {
                    const auto job = context_.store->job(job_id);
                    if (job && job->status == JobStatus::running)
                        context_.store->fail_job(job_id,
                                                 fmt::format("the worker's answer was unreadable: {}", e.what()));
                } catch (const StoreError&) {
                    return false;
                }
            }
        }
        streams.acknowledge(outcome, job_id);
        context_.events.publish();
        context_.wake_workers();  // the last grading of a grading run queues its post job
        return true;
    }

    ServerContext& context_;
    queue::RedisAddress address_;
    queue::StreamNames names_;
    std::mutex client_mutex_;  // the connection for enqueueing and the API's reads
    queue::RedisClient client_;
    std::string consumer_;
    std::thread collector_;
    std::mutex stop_mutex_;
    std::condition_variable stop_signal_;
    bool stopping_ = false;
};

}  // namespace

std::unique_ptr<JobQueue> make_redis_job_queue(ServerContext& context, const std::string& url,
                                               const std::string& prefix) {
    return std::make_unique<RedisJobQueue>(context, queue::parse_redis_url(url), prefix);
}

}  // namespace autograder::server
