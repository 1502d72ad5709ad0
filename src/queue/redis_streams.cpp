#include "queue/redis_streams.hpp"

#include <fmt/format.h>

namespace autograder::queue {
namespace {

using Words = std::vector<std::string_view>;

constexpr std::string_view kDeadLetterMaxLength = "100000";  // XADD MAXLEN ~: the oldest go first

// Adds the job unless its mark is already known: HSETNX and XADD in one atomic step.
constexpr std::string_view kEnqueueScript = R"lua(
if redis.call('HSETNX', KEYS[2], ARGV[6], '1') == 0 then return false end
return redis.call('XADD', KEYS[1], '*', 'job_id', ARGV[1], 'submission_id', ARGV[2], 'attempts', ARGV[3],
                  'max_attempts', ARGV[4], 'job', ARGV[5])
)lua";

// Moves the due members of the delayed set (JSON objects of string fields) onto the jobs stream.
constexpr std::string_view kPromoteScript = R"lua(
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
for _, member in ipairs(due) do
  local ok, job = pcall(cjson.decode, member)
  if ok and type(job) == 'table' then
    redis.call('XADD', KEYS[2], '*', 'job_id', tostring(job.job_id), 'submission_id', tostring(job.submission_id),
               'attempts', tostring(job.attempts), 'max_attempts', tostring(job.max_attempts), 'job', tostring(job.job))
  end
  redis.call('ZREM', KEYS[1], member)
end
return #due
)lua";

StreamEntry parse_entry(const redisReply* reply) {
    StreamEntry entry;
    entry.id = reply_string(reply_element(reply, 0, "a stream entry"), "a stream entry's id");
    if (entry.id.size() > 64) throw RedisError(false, "a stream entry's id is too long");
    const redisReply* fields = reply_element(reply, 1, "a stream entry");
    const std::size_t count = reply_size(fields, "a stream entry's fields");
    if (count / 2 > kMaxFields) {
        entry.problem = fmt::format("the entry has {} fields, more than {}", count / 2, kMaxFields);
        return entry;
    }
    for (std::size_t i = 0; i + 1 < count; i += 2) {
        const redisReply* name = fields->element[i];
        const redisReply* value = fields->element[i + 1];
        if (name->type != REDIS_REPLY_STRING || value->type != REDIS_REPLY_STRING) {
            entry.problem = "a field of the entry is not a string";
            entry.fields.clear();
            return entry;
        }
        if (value->len > kMaxFieldBytes || name->len > 256) {
            entry.problem =
                fmt::format("the field '{}' is larger than {} bytes",
                            std::string_view(name->str, std::min<std::size_t>(name->len, 64)), kMaxFieldBytes);
            entry.fields.clear();
            return entry;
        }
        entry.fields.emplace(std::string(name->str, name->len), std::string(value->str, value->len));
    }
    return entry;
}

std::vector<StreamEntry> parse_entries(const redisReply* reply) {
    std::vector<StreamEntry> entries;
    for (std::size_t i = 0; i < reply_size(reply, "stream entries"); ++i) {
        const redisReply* element = reply->element[i];
        // XAUTOCLAIM in Redis 6.2 answered nil for an entry deleted meanwhile.
        if (reply_is_nil(element) || reply_size(element, "a stream entry") < 2 || reply_is_nil(element->element[1]))
            continue;
        entries.push_back(parse_entry(element));
    }
    return entries;
}

// [[stream, [entries]], ...] of XREADGROUP.
std::vector<std::pair<std::string, StreamEntry>> parse_read(const redisReply* reply) {
    std::vector<std::pair<std::string, StreamEntry>> read;
    for (std::size_t i = 0; i < reply_size(reply, "XREADGROUP"); ++i) {
        const redisReply* stream = reply->element[i];
        const std::string name = reply_string(reply_element(stream, 0, "XREADGROUP"), "a stream's name");
        for (auto& entry : parse_entries(reply_element(stream, 1, "XREADGROUP")))
            read.emplace_back(name, std::move(entry));
    }
    return read;
}

Words xadd(const std::string& stream, const EntryFields& fields, Words prefix = {}) {
    Words words{"XADD", stream};
    words.insert(words.end(), prefix.begin(), prefix.end());
    words.push_back("*");
    for (const auto& [name, value] : fields) {
        words.push_back(name);
        words.push_back(value);
    }
    return words;
}

std::string millis(std::chrono::milliseconds duration) {
    return std::to_string(std::max<int64_t>(duration.count(), 0));
}

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

nlohmann::json QueueStats::to_json() const {
    return {{"length", length},
            {"pending", pending},
            {"waiting", std::max<int64_t>(length - pending, 0)},
            {"delayed", delayed},
            {"results_uncollected", results},
            {"dead_letters", dead_letters}};
}

RedisStreams::RedisStreams(RedisClient& client, StreamNames names) : client_(client), names_(std::move(names)) {}

void RedisStreams::create_groups() {
    const std::pair<std::string, const char*> groups[] = {{names_.jobs(), StreamNames::kWorkerGroup},
                                                          {names_.results(), StreamNames::kServerGroup},
                                                          {names_.dead_letters(), StreamNames::kServerGroup}};
    for (const auto& [stream, group] : groups) {
        try {
            client_.command({"XGROUP", "CREATE", stream, group, "0", "MKSTREAM"});
        } catch (const RedisError& e) {
            if (e.connection() || std::string_view(e.what()).find("BUSYGROUP") == std::string_view::npos) throw;
        }
    }
}

std::string enqueued_mark(const JobMessage& job) {
    return job.reply_to.empty() ? std::to_string(job.job_id) : job.reply_to + "#" + std::to_string(job.job_id);
}

bool RedisStreams::enqueue(const JobMessage& job) {
    return enqueue_entry(job).has_value();
}

std::optional<std::string> RedisStreams::enqueue_entry(const JobMessage& job) {
    const EntryFields fields = job.to_fields();
    const std::string jobs = names_.jobs(), enqueued = names_.enqueued(), mark = enqueued_mark(job);
    Reply reply =
        client_.command({"EVAL", kEnqueueScript, "2", jobs, enqueued, fields.at("job_id"), fields.at("submission_id"),
                         fields.at("attempts"), fields.at("max_attempts"), fields.at("job"), mark});
    if (reply_is_nil(reply.get())) return std::nullopt;
    return reply_string(reply.get(), "the enqueued entry's id");
}

std::vector<Outcome> RedisStreams::read_outcomes(const std::string& consumer, bool own_pending,
                                                 std::chrono::milliseconds block, int count) {
    const std::string results = names_.results(), dead = names_.dead_letters(), count_text = std::to_string(count),
                      block_text = millis(block);
    const std::string_view from = own_pending ? "0" : ">";
    Words words{"XREADGROUP", "GROUP", StreamNames::kServerGroup, consumer, "COUNT", count_text};
    if (!own_pending) {
        words.push_back("BLOCK");
        words.push_back(block_text);
    }
    words.insert(words.end(), {"STREAMS", results, dead, from, from});
    Reply reply = own_pending ? client_.command(words) : client_.blocking_command(words, block);
    std::vector<Outcome> outcomes;
    for (auto& [stream, entry] : parse_read(reply.get()))
        outcomes.push_back({stream == dead ? Outcome::Kind::dead_letter : Outcome::Kind::result, std::move(entry)});
    return outcomes;
}

std::vector<Outcome> RedisStreams::reclaim_outcomes(const std::string& consumer, std::chrono::milliseconds min_idle,
                                                    int count) {
    std::vector<Outcome> outcomes;
    const std::string idle = millis(min_idle), count_text = std::to_string(count);
    for (const auto& [stream, kind] : {std::pair{names_.results(), Outcome::Kind::result},
                                       std::pair{names_.dead_letters(), Outcome::Kind::dead_letter}}) {
        Reply reply = client_.command(
            {"XAUTOCLAIM", stream, StreamNames::kServerGroup, consumer, idle, "0-0", "COUNT", count_text});
        for (auto& entry : parse_entries(reply_element(reply.get(), 1, "XAUTOCLAIM")))
            outcomes.push_back({kind, std::move(entry)});
    }
    return outcomes;
}

void RedisStreams::acknowledge(const Outcome& outcome, int64_t job_id) {
    const std::string results = names_.results(), dead = names_.dead_letters(), enqueued = names_.enqueued(),
                      job = std::to_string(job_id);
    std::vector<Words> commands{{"MULTI"}};
    if (outcome.kind == Outcome::Kind::result) {
        commands.push_back({"XACK", results, StreamNames::kServerGroup, outcome.entry.id});
        commands.push_back({"XDEL", results, outcome.entry.id});
    } else {
        commands.push_back({"XACK", dead, StreamNames::kServerGroup, outcome.entry.id});
    }
    if (job_id > 0) commands.push_back({"HDEL", enqueued, job});
    commands.push_back({"EXEC"});
    client_.pipeline(commands);
}

QueueStats RedisStreams::stats() {
    const std::string jobs = names_.jobs(), delayed = names_.delayed(), results = names_.results(),
                      dead = names_.dead_letters();
    auto replies = client_.pipeline({{"XLEN", jobs},
                                     {"XPENDING", jobs, StreamNames::kWorkerGroup},
                                     {"ZCARD", delayed},
                                     {"XLEN", results},
                                     {"XLEN", dead}});
    QueueStats stats;
    stats.length = reply_integer(replies[0].get(), "XLEN");
    stats.pending = reply_integer(reply_element(replies[1].get(), 0, "XPENDING"), "XPENDING");
    stats.delayed = reply_integer(replies[2].get(), "ZCARD");
    stats.results = reply_integer(replies[3].get(), "XLEN");
    stats.dead_letters = reply_integer(replies[4].get(), "XLEN");
    return stats;
}

std::vector<nlohmann::json> RedisStreams::workers() {
    const std::string set = names_.workers();
    Reply members = client_.command({"SMEMBERS", set});
    std::vector<std::string> names;
    for (std::size_t i = 0; i < reply_size(members.get(), "SMEMBERS") && i < 10000; ++i)
        names.push_back(reply_string(members->element[i], "a worker's name"));
    std::sort(names.begin(), names.end());
    std::vector<nlohmann::json> workers;
    for (const auto& name : names) {
        const std::string key = names_.worker(name);
        Reply hash = client_.command({"HGETALL", key});
        const std::size_t size = reply_size(hash.get(), "HGETALL");
        if (size == 0) {  // its heartbeat expired: gone
            client_.command({"SREM", set, name});
            continue;
        }
        EntryFields fields;
        for (std::size_t i = 0; i + 1 < size && i < 64; i += 2)
            fields[reply_string(hash->element[i], "a field")] = reply_string(hash->element[i + 1], "a value");
        const auto number = [&](const char* field) -> int64_t {
            try {
                return std::stoll(fields[field]);
            } catch (const std::exception&) {
                return 0;
            }
        };
        nlohmann::json current = nlohmann::json::parse(fields["current_jobs"], nullptr, false);
        if (!current.is_array()) current = nlohmann::json::array();
        workers.push_back({{"name", name},
                           {"state", fields["state"]},
                           {"last_heartbeat", fields["last_heartbeat"]},
                           {"jobs_done", number("jobs_done")},
                           {"jobs_failed", number("jobs_failed")},
                           {"concurrency", number("concurrency")},
                           {"current_jobs", current},
                           {"host", fields["host"]},
                           {"pid", number("pid")},
                           {"started_at", fields["started_at"]}});
    }
    return workers;
}

std::optional<StreamEntry> RedisStreams::read_job(const std::string& consumer, std::chrono::milliseconds block) {
    const std::string jobs = names_.jobs(), block_text = millis(block);
    Reply reply = client_.blocking_command({"XREADGROUP", "GROUP", StreamNames::kWorkerGroup, consumer, "COUNT", "1",
                                            "BLOCK", block_text, "STREAMS", jobs, ">"},
                                           block);
    auto read = parse_read(reply.get());
    if (read.empty()) return std::nullopt;
    return std::move(read.front().second);
}

std::optional<Reclaimed> RedisStreams::reclaim_job(const std::string& consumer, std::chrono::milliseconds min_idle) {
    const std::string jobs = names_.jobs(), idle = millis(min_idle);
    Reply reply = client_.command({"XAUTOCLAIM", jobs, StreamNames::kWorkerGroup, consumer, idle, "0-0", "COUNT", "1"});
    auto entries = parse_entries(reply_element(reply.get(), 1, "XAUTOCLAIM"));
    if (entries.empty()) return std::nullopt;
    Reclaimed reclaimed{std::move(entries.front()), 1};
    // Its delivery count (XAUTOCLAIM counted this delivery): [[id, consumer, idle, deliveries]].
    Reply pending = client_.command(
        {"XPENDING", jobs, StreamNames::kWorkerGroup, reclaimed.entry.id, reclaimed.entry.id, "1", consumer});
    if (reply_size(pending.get(), "XPENDING") > 0)
        reclaimed.deliveries =
            static_cast<int>(reply_integer(reply_element(pending->element[0], 3, "XPENDING"), "XPENDING"));
    return reclaimed;
}

void RedisStreams::keep_alive(const std::string& consumer, const std::vector<std::string>& entry_ids) {
    if (entry_ids.empty()) return;
    const std::string jobs = names_.jobs();
    Words words{"XCLAIM", jobs, StreamNames::kWorkerGroup, consumer, "0"};
    for (const auto& id : entry_ids) words.push_back(id);
    words.push_back("JUSTID");  // does not count a delivery
    client_.command(words);
}

void RedisStreams::publish_result(const std::string& entry_id, const ResultMessage& result,
                                  const std::string& reply_to) {
    const std::string jobs = names_.jobs(), results = names_.results();
    EntryFields fields = result.to_fields();
    if (!reply_to.empty()) fields["outcome"] = "result";
    client_.pipeline({{"MULTI"},
                      reply_to.empty() ? xadd(results, fields) : xadd(reply_to, fields, {"NOMKSTREAM"}),
                      {"XACK", jobs, StreamNames::kWorkerGroup, entry_id},
                      {"XDEL", jobs, entry_id},
                      {"EXEC"}});
}

void RedisStreams::dead_letter(const std::string& entry_id, const DeadLetter& letter, const std::string& reply_to) {
    const std::string jobs = names_.jobs(), dead = names_.dead_letters();
    EntryFields fields = letter.to_fields();
    if (!reply_to.empty()) fields["outcome"] = "dead_letter";
    std::vector<Words> commands{{"MULTI"},
                                reply_to.empty() ? xadd(dead, fields, {"MAXLEN", "~", kDeadLetterMaxLength})
                                                 : xadd(reply_to, fields, {"NOMKSTREAM"})};
    if (!entry_id.empty()) {
        commands.push_back({"XACK", jobs, StreamNames::kWorkerGroup, entry_id});
        commands.push_back({"XDEL", jobs, entry_id});
    }
    commands.push_back({"EXEC"});
    client_.pipeline(commands);
}

void RedisStreams::retry_later(const std::string& entry_id, const JobMessage& job, std::chrono::milliseconds delay) {
    const EntryFields fields = job.to_fields();
    const nlohmann::json member(fields);  // an object of strings, read back by kPromoteScript
    const std::string jobs = names_.jobs(), delayed = names_.delayed(), due = std::to_string(now_ms() + delay.count()),
                      text = member.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    client_.pipeline({{"MULTI"},
                      {"ZADD", delayed, due, text},
                      {"XACK", jobs, StreamNames::kWorkerGroup, entry_id},
                      {"XDEL", jobs, entry_id},
                      {"EXEC"}});
}

int64_t RedisStreams::promote_due_jobs() {
    const std::string delayed = names_.delayed(), jobs = names_.jobs(), now = std::to_string(now_ms());
    Reply reply = client_.command({"EVAL", kPromoteScript, "2", delayed, jobs, now});
    return reply_integer(reply.get(), "the promotion of delayed jobs");
}

void RedisStreams::heartbeat(const WorkerStatus& status, std::chrono::milliseconds time_to_live) {
    const std::string key = names_.worker(status.name), set = names_.workers(), now = utc_now_iso8601(),
                      done = std::to_string(status.jobs_done), failed = std::to_string(status.jobs_failed),
                      concurrency = std::to_string(status.concurrency), pid = std::to_string(status.pid),
                      current = nlohmann::json(status.current_jobs).dump(), ttl = millis(time_to_live);
    client_.pipeline({{"HSET",
                       key,
                       "name",
                       status.name,
                       "state",
                       status.state,
                       "last_heartbeat",
                       now,
                       "jobs_done",
                       done,
                       "jobs_failed",
                       failed,
                       "concurrency",
                       concurrency,
                       "current_jobs",
                       current,
                       "host",
                       status.host,
                       "pid",
                       pid,
                       "started_at",
                       status.started_at},
                      {"PEXPIRE", key, ttl},
                      {"SADD", set, status.name}});
}

std::string RedisStreams::open_replies(const std::string& stream) {
    Reply reply = client_.command({"XADD", stream, "*", "outcome", "opened"});
    return reply_string(reply.get(), "XADD");
}

std::vector<StreamEntry> RedisStreams::read_replies(const std::string& stream, const std::string& after,
                                                    std::chrono::milliseconds block, int count) {
    const std::string count_text = std::to_string(count), block_text = millis(block);
    Reply reply =
        client_.blocking_command({"XREAD", "COUNT", count_text, "BLOCK", block_text, "STREAMS", stream, after}, block);
    std::vector<StreamEntry> entries;
    for (auto& [name, entry] : parse_read(reply.get())) entries.push_back(std::move(entry));
    return entries;
}

void RedisStreams::delete_entries(const std::string& stream, const std::vector<std::string>& entry_ids) {
    constexpr std::size_t kChunk = 500;
    for (std::size_t start = 0; start < entry_ids.size(); start += kChunk) {
        Words words{"XDEL", stream};
        for (std::size_t i = start; i < std::min(entry_ids.size(), start + kChunk); ++i) words.push_back(entry_ids[i]);
        client_.command(words);
    }
}

void RedisStreams::forget_enqueued(const std::vector<std::string>& marks) {
    constexpr std::size_t kChunk = 500;
    const std::string enqueued = names_.enqueued();
    for (std::size_t start = 0; start < marks.size(); start += kChunk) {
        Words words{"HDEL", enqueued};
        for (std::size_t i = start; i < std::min(marks.size(), start + kChunk); ++i) words.push_back(marks[i]);
        client_.command(words);
    }
}

void RedisStreams::close_replies(const std::string& stream) {
    client_.command({"DEL", stream});
}

}  // namespace autograder::queue
