#include "queue/worker.hpp"

#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "autograder/sandbox.hpp"
#include "autograder/sandbox_pool.hpp"
#include "queue/job_grading.hpp"
#include "queue/pipeline_cache.hpp"

namespace autograder::queue {
namespace {

constexpr auto kCommandTimeout = std::chrono::seconds(10);
// How long a stopping worker keeps trying to publish what it graded while Redis is away; after
// that the job stays pending and another worker grades it again.
constexpr auto kPublishGraceWhenStopping = std::chrono::seconds(30);

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
    return name;
}

}  // namespace

Worker::Worker(WorkerOptions options, WorkerLog log) : options_(std::move(options)), log_(std::move(log)) {
    if (options_.name.empty()) options_.name = fmt::format("{}-{}", host_name(), ::getpid());
    options_.concurrency = std::max(options_.concurrency, 1);
    SandboxPoolOptions pool_options;
    pool_options.default_size = options_.pool_size > 0 ? options_.pool_size : options_.concurrency;
    pool_options.max_total = std::max(32, pool_options.default_size * 4);
    pool_ = std::make_shared<SandboxPool>(std::move(pool_options));
    pipelines_ = std::make_unique<PipelineCache>(pool_, 256);
    started_at_ = utc_now_iso8601();
}

Worker::~Worker() {
    request_stop();
    join();
}

void Worker::start() {
    for (const auto& problem : detect_host_support().problems)
        log_(LogLevel::warning, "sandboxes cannot be made here: " + problem);
    housekeeper_ = std::thread([this] { housekeeping_loop(); });
    for (int i = 0; i < options_.concurrency; ++i) graders_.emplace_back([this, i] { grade_loop(i); });
}

void Worker::request_stop() {
    stopping_ = true;
    stop_signal_.notify_all();
}

void Worker::join() {
    for (auto& thread : graders_)
        if (thread.joinable()) thread.join();
    graders_.clear();
    {
        std::lock_guard lock(mutex_);
        housekeeper_stop_ = true;
    }
    stop_signal_.notify_all();
    if (housekeeper_.joinable()) housekeeper_.join();
}

bool Worker::pause(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex_);
    return stop_signal_.wait_for(lock, duration, [this] { return stopping_.load(); });
}

WorkerStatus Worker::status(const std::string& state) {
    WorkerStatus status;
    status.name = options_.name;
    status.jobs_done = jobs_done_;
    status.jobs_failed = jobs_failed_;
    status.concurrency = options_.concurrency;
    status.host = host_name();
    status.pid = ::getpid();
    status.started_at = started_at_;
    std::lock_guard lock(mutex_);
    for (const auto& [entry, job] : current_) status.current_jobs.push_back(job);
    status.state = !state.empty() ? state : stopping_ ? "draining" : current_.empty() ? "idle" : "busy";
    return status;
}

bool Worker::with_reconnect(const std::string& what, const std::function<void()>& step) {
    auto wait = std::chrono::milliseconds(100);
    std::optional<std::chrono::steady_clock::time_point> give_up;
    bool reported = false;
    while (true) {
        try {
            step();
            if (reported) log_(LogLevel::info, fmt::format("Redis is back: {} done", what));
            return true;
        } catch (const RedisError& e) {
            if (!e.connection()) throw;
            if (!reported) log_(LogLevel::warning, fmt::format("{}: {}; trying again", what, e.what()));
            reported = true;
        }
        if (stopping_) {
            if (!give_up) give_up = std::chrono::steady_clock::now() + kPublishGraceWhenStopping;
            if (std::chrono::steady_clock::now() > *give_up) {
                log_(LogLevel::error, fmt::format("{}: Redis stayed away; another worker will take the job", what));
                return false;
            }
            std::this_thread::sleep_for(wait);
        } else {
            pause(wait);
        }
        wait = std::min(wait * 2, std::chrono::milliseconds(2000));
    }
}

void Worker::grade_loop(int index) {
    RedisClient client(options_.address, kCommandTimeout);
    RedisStreams streams(client, options_.names);
    const auto reclaim_every = std::max(options_.claim_idle / 4, std::chrono::milliseconds(200));
    auto last_reclaim = std::chrono::steady_clock::now() - reclaim_every;
    auto wait = std::chrono::milliseconds(100);
    bool groups_ready = false, outage_reported = false;
    while (!stopping_) {
        try {
            if (!groups_ready) {
                streams.create_groups();
                groups_ready = true;
            }
            std::optional<Reclaimed> reclaimed;
            if (std::chrono::steady_clock::now() - last_reclaim >= reclaim_every) {
                last_reclaim = std::chrono::steady_clock::now();
                reclaimed = streams.reclaim_job(options_.name, options_.claim_idle);
            }
            if (reclaimed) {
                log_(LogLevel::warning, fmt::format("reclaimed entry {} (delivered {} times) from a worker that "
                                                    "stopped answering",
                                                    reclaimed->entry.id, reclaimed->deliveries));
                handle(streams, reclaimed->entry, reclaimed->deliveries);
            } else if (auto entry = streams.read_job(options_.name, options_.block)) {
                handle(streams, *entry, 1);
            }
            if (outage_reported) log_(LogLevel::info, fmt::format("grader {}: Redis is reachable again", index));
            outage_reported = false;
            wait = std::chrono::milliseconds(100);
        } catch (const RedisError& e) {
            if (!outage_reported)
                log_(e.connection() ? LogLevel::warning : LogLevel::error,
                     fmt::format("grader {}: {}; trying again", index, e.what()));
            outage_reported = e.connection();
            if (!e.connection()) groups_ready = false;  // e.g. NOGROUP after Redis lost its data
            pause(wait);
            wait = std::min(wait * 2, std::chrono::milliseconds(2000));
        }
    }
}

void Worker::handle(RedisStreams& streams, const StreamEntry& entry, int deliveries) {
    int64_t job_id = 0;
    try {
        job_id = id_field(entry.fields, "job_id");
    } catch (const MessageError&) {
    }
    {
        std::lock_guard lock(mutex_);
        current_[entry.id] = job_id;
    }
    struct Done {
        Worker& worker;
        const std::string& id;
        ~Done() {
            std::lock_guard lock(worker.mutex_);
            worker.current_.erase(id);
        }
    } done{*this, entry.id};

    // The job's checked reply stream, once known: where its dead letter goes too.
    std::string reply_to;
    const auto give_up = [&](const std::string& reason, int attempts, const std::string& job_text) {
        DeadLetter letter;
        letter.job_id = job_id;
        if (auto found = entry.fields.find("submission_id"); found != entry.fields.end()) {
            try {
                letter.submission_id = id_field(entry.fields, "submission_id");
            } catch (const MessageError&) {
            }
        }
        letter.reason = reason;
        letter.attempts = attempts;
        letter.worker = options_.name;
        letter.failed_at = utc_now_iso8601();
        letter.job = job_text;
        ++jobs_failed_;
        log_(LogLevel::warning,
             fmt::format("job {} (entry {}) moved to the dead letters: {}", job_id, entry.id, reason));
        with_reconnect("moving a job to the dead letters", [&] { streams.dead_letter(entry.id, letter, reply_to); });
    };
    const auto job_text = [&] {
        auto found = entry.fields.find("job");
        return found == entry.fields.end() ? std::string() : found->second;
    };

    if (!entry.problem.empty()) return give_up("malformed job entry: " + entry.problem, deliveries, "");
    JobMessage job;
    try {
        job = JobMessage::from_fields(entry.fields);
    } catch (const MessageError& e) {
        return give_up(std::string("malformed job entry: ") + e.what(), deliveries,
                       job_text().size() <= (1u << 20) ? job_text() : std::string());
    }
    if (!job.reply_to.empty()) {
        if (auto problem = reply_to_problem(job.reply_to, options_.names.prefix); !problem.empty())
            return give_up("malformed job entry: " + problem, deliveries, "");
        reply_to = job.reply_to;
    }
    const int attempts_used = job.attempts + (deliveries - 1);
    if (deliveries > 1 && attempts_used >= job.max_attempts)
        return give_up(fmt::format("the worker grading it stopped {} times (killed, crashed or cut off); given up "
                                   "after {} attempts",
                                   deliveries - 1, attempts_used),
                       attempts_used, job_text());

    const auto started = std::chrono::steady_clock::now();
    JobGrading grading = grade_job(job, *pipelines_);
    switch (grading.outcome) {
        case JobGrading::Outcome::graded: {
            grading.result.worker = options_.name;
            if (with_reconnect(fmt::format("publishing the result of job {}", job.job_id),
                               [&] { streams.publish_result(entry.id, grading.result, reply_to); })) {
                ++jobs_done_;
                log_(LogLevel::info, fmt::format("graded job {} (submission {}): {} {} in {} ms", job.job_id,
                                                 job.submission_id, grading.result.status, grading.result.final_score,
                                                 std::chrono::duration_cast<std::chrono::milliseconds>(
                                                     std::chrono::steady_clock::now() - started)
                                                     .count()));
            }
            return;
        }
        case JobGrading::Outcome::transient_failure: {
            const int attempts = attempts_used + 1;
            if (attempts >= job.max_attempts)
                return give_up(fmt::format("{}; given up after {} attempts", grading.error, attempts), attempts,
                               job_text());
            JobMessage again = job;
            again.attempts = attempts;
            const auto backoff = retry_backoff(attempts);
            log_(LogLevel::warning,
                 fmt::format("job {}: {}; tried again in {} ms", job.job_id, grading.error, backoff.count()));
            with_reconnect("giving a job back for a retry", [&] { streams.retry_later(entry.id, again, backoff); });
            return;
        }
        case JobGrading::Outcome::failed:
            return give_up(grading.error, attempts_used + 1, job_text());
    }
}

void Worker::housekeeping_loop() {
    RedisClient client(options_.address, kCommandTimeout);
    RedisStreams streams(client, options_.names);
    const auto time_to_live = options_.heartbeat_interval * 3;
    bool outage_reported = false;
    while (true) {
        bool last = false;
        {
            std::lock_guard lock(mutex_);
            last = housekeeper_stop_;
        }
        try {
            WorkerStatus now = status(last ? "stopped" : "");
            streams.heartbeat(now, time_to_live);
            if (!last) {
                std::vector<std::string> entries;
                {
                    std::lock_guard lock(mutex_);
                    for (const auto& [entry, job] : current_) entries.push_back(entry);
                }
                streams.keep_alive(options_.name, entries);
                streams.promote_due_jobs();
            }
            outage_reported = false;
        } catch (const RedisError& e) {
            if (!outage_reported) log_(LogLevel::warning, fmt::format("heartbeat: {}", e.what()));
            outage_reported = true;
        }
        if (last) return;
        std::unique_lock lock(mutex_);
        stop_signal_.wait_for(lock, options_.heartbeat_interval, [this] { return housekeeper_stop_; });
    }
}

}  // namespace autograder::queue
