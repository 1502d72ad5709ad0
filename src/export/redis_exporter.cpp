// redis: the reference engine's exporter, through hiredis: HSET <key> <field> <final_score>, the
// key from a pattern over the submission's metadata ("user:{external_user_id}"). The password comes
// from the environment variable the configuration names. Connection failures and time-outs are
// tried again; an error answer (a wrong password, a key of another type) is final.
#include <hiredis/hiredis.h>

#include <cstdlib>
#include <memory>

#include <fmt/format.h>

#include "export/delivery.hpp"
#include "export/exporters.hpp"
#include "queue/redis_client.hpp"

namespace autograder::exporting {
namespace {

struct ContextDeleter {
    void operator()(redisContext* context) const { redisFree(context); }
};
struct ReplyDeleter {
    void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

timeval to_timeval(std::chrono::milliseconds duration) {
    return {static_cast<time_t>(duration.count() / 1000), static_cast<suseconds_t>(duration.count() % 1000 * 1000)};
}

// The metadata value of a placeholder: a string, or a number written as JSON writes it.
std::optional<std::string> metadata_text(const nlohmann::json& metadata, const std::string& name) {
    if (!metadata.is_object()) return std::nullopt;
    auto found = metadata.find(name);
    if (found == metadata.end()) return std::nullopt;
    if (found->is_string()) return found->get<std::string>();
    if (found->is_number_integer() || found->is_number_unsigned()) return found->dump();
    return std::nullopt;
}

class RedisExporter final : public Exporter {
public:
    explicit RedisExporter(ExporterConfig config)
        // The configuration's parser checked the URL (no credentials: they come from the environment).
        : config_(std::move(config)), address_(queue::parse_redis_url(config_.target)) {}

    ExportOutcome deliver(const ExportDocument& document) const override {
        std::string key;
        for (std::size_t i = 0; i < config_.key_pattern.size(); ++i) {
            if (config_.key_pattern[i] != '{') {
                key += config_.key_pattern[i];
                continue;
            }
            const auto close = config_.key_pattern.find('}', i);
            const auto name = config_.key_pattern.substr(i + 1, close - i - 1);
            auto value = metadata_text(*document.metadata, name);
            if (!value || value->empty() || value->size() > 256)
                return failed(
                    fmt::format("not sent: the key '{}' needs the submission's metadata.{} (a string or "
                                "a whole number, at most 256 bytes)",
                                config_.key_pattern, name));
            key += *value;
            i = close;
        }
        std::string password;
        if (!config_.password_env.empty()) {
            const char* value = std::getenv(config_.password_env.c_str());
            if (value == nullptr)
                return failed(
                    fmt::format("not sent: the environment variable {} (the password) "
                                "is not set",
                                config_.password_env));
            password = value;
        }
        const std::string score = fmt::format("{}", document.final_score);
        return exporting::deliver(
            config_, [&](std::chrono::milliseconds remaining) { return store(key, score, password, remaining); });
    }

private:
    ExportOutcome failed(std::string message) const { return {"redis", config_.target, false, 0, std::move(message)}; }

    AttemptResult store(const std::string& key, const std::string& score, const std::string& password,
                        std::chrono::milliseconds remaining) const {
        std::unique_ptr<redisContext, ContextDeleter> context(
            redisConnectWithTimeout(address_.host.c_str(), address_.port, to_timeval(remaining)));
        if (!context) return {false, true, "could not connect (out of memory)"};
        if (context->err) return {false, true, fmt::format("could not connect: {}", context->errstr)};
        redisSetTimeout(context.get(), to_timeval(remaining));
        auto command = [&](std::initializer_list<std::string_view> words) -> std::pair<Reply, std::string> {
            std::vector<const char*> argv;
            std::vector<size_t> lengths;
            for (auto word : words) {
                argv.push_back(word.data());
                lengths.push_back(word.size());
            }
            Reply reply(static_cast<redisReply*>(
                redisCommandArgv(context.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
            if (!reply) return {nullptr, fmt::format("no answer: {}", context->errstr)};
            if (reply->type == REDIS_REPLY_ERROR) return {nullptr, std::string(reply->str, reply->len)};
            return {std::move(reply), std::string()};
        };
        // A broken connection is worth another attempt; an error answer is not.
        auto failure = [&](const std::string& what, const std::string& error) {
            return AttemptResult{false, context->err != 0, fmt::format("{}: {}", what, error)};
        };
        if (!password.empty())
            if (auto [reply, error] = command({"AUTH", password}); !reply) return failure("AUTH", error);
        if (address_.database != 0)
            if (auto [reply, error] = command({"SELECT", std::to_string(address_.database)}); !reply)
                return failure("SELECT", error);
        if (auto [reply, error] = command({"HSET", key, config_.field, score}); !reply)
            return failure("HSET " + key, error);
        return {true, false, fmt::format("HSET {} {} {}", key, config_.field, score)};
    }

    ExporterConfig config_;
    queue::RedisAddress address_;
};

}  // namespace

std::unique_ptr<Exporter> make_redis_exporter(const ExporterConfig& config) {
    return std::make_unique<RedisExporter>(config);
}

}  // namespace autograder::exporting
