#include "queue/redis_client.hpp"

#include <charconv>

#include <fmt/format.h>

namespace autograder::queue {
namespace {

timeval to_timeval(std::chrono::milliseconds duration) {
    return {static_cast<time_t>(duration.count() / 1000), static_cast<suseconds_t>(duration.count() % 1000 * 1000)};
}

int parse_number(std::string_view text, int low, int high, std::string_view what, const std::string& url) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < low || value > high)
        throw std::invalid_argument(
            fmt::format("'{}': the {} must be a number from {} to {}, not '{}'", url, what, low, high, text));
    return value;
}

// The URL as messages show it: a password (or credentials without a colon) replaced by ***.
std::string redacted(const std::string& url) {
    const auto start = url.find("://");
    if (start == std::string::npos) return url;
    const auto end = url.find('/', start + 3);
    const auto at = url.rfind('@', end);
    if (at == std::string::npos || at < start) return url;
    const auto colon = url.find(':', start + 3);
    // Without a colon, the whole of it may be a password given the wrong way.
    if (colon == std::string::npos || colon > at) return url.substr(0, start + 3) + "***" + url.substr(at);
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

// %XX escapes decoded (a password may hold '@', ':' or '/' that way).
std::string percent_decoded(std::string_view text, std::string_view what, const std::string& url) {
    std::string decoded;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            decoded += text[i];
            continue;
        }
        unsigned value = 0;
        const char* first = text.data() + i + 1;
        const auto [end, error] =
            std::from_chars(first, first + std::min<std::size_t>(2, text.size() - i - 1), value, 16);
        if (error != std::errc() || end != first + 2)
            throw std::invalid_argument(
                fmt::format("'{}': the {} has a '%' not followed by two hex digits", redacted(url), what));
        decoded += static_cast<char>(value);
        i += 2;
    }
    return decoded;
}

}  // namespace

std::string RedisAddress::to_string() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    return fmt::format("redis://{}{}{}:{}/{}", ipv6 ? "[" : "", host, ipv6 ? "]" : "", port, database);
}

RedisAddress parse_redis_url(const std::string& url) {
    constexpr std::string_view scheme = "redis://";
    if (url.rfind(scheme, 0) != 0)
        throw std::invalid_argument(fmt::format("'{}' is not a redis://host[:port][/database] URL", url));
    RedisAddress address;
    std::string_view rest = std::string_view(url).substr(scheme.size());
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos && slash + 1 < rest.size())
        address.database = parse_number(rest.substr(slash + 1), 0, 65535, "database number", redacted(url));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view credentials = authority.substr(0, at);
        authority = authority.substr(at + 1);
        const auto colon = credentials.find(':');
        if (colon == std::string_view::npos)
            throw std::invalid_argument(fmt::format(
                "'{}': give the password as redis://:password@host (or redis://user:password@host)", redacted(url)));
        address.username = percent_decoded(credentials.substr(0, colon), "user name", url);
        address.password = percent_decoded(credentials.substr(colon + 1), "password", url);
        if (address.password.empty())
            throw std::invalid_argument(fmt::format("'{}': the password is empty", redacted(url)));
    }
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {  // [::1]:6379
        const auto close = authority.find(']');
        if (close == std::string_view::npos)
            throw std::invalid_argument(fmt::format("'{}': ']' is missing", redacted(url)));
        address.host = std::string(authority.substr(1, close - 1));
        if (close + 1 < authority.size() && authority[close + 1] == ':') port = authority.substr(close + 2);
    } else {
        const auto colon = authority.rfind(':');
        address.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    }
    if (address.host.empty()) throw std::invalid_argument(fmt::format("'{}' names no host", redacted(url)));
    if (!port.empty()) address.port = parse_number(port, 1, 65535, "port", redacted(url));
    return address;
}

RedisClient::RedisClient(RedisAddress address, std::chrono::milliseconds timeout)
    : address_(std::move(address)), timeout_(timeout) {}

RedisClient::~RedisClient() {
    disconnect();
}

void RedisClient::disconnect() {
    if (context_) redisFree(context_);
    context_ = nullptr;
}

void RedisClient::connect() {
    if (context_) return;
    redisContext* context = redisConnectWithTimeout(address_.host.c_str(), address_.port, to_timeval(timeout_));
    if (!context) throw RedisError(true, "cannot connect to Redis: out of memory");
    if (context->err) {
        std::string message = fmt::format("cannot connect to Redis at {}: {}", address_.to_string(), context->errstr);
        redisFree(context);
        throw RedisError(true, message);
    }
    redisSetTimeout(context, to_timeval(timeout_));
    context_ = context;
    if (!address_.password.empty()) {
        try {
            if (address_.username.empty())
                command({"AUTH", address_.password});
            else
                command({"AUTH", address_.username, address_.password});
        } catch (const RedisError& e) {
            disconnect();
            // A refused password is not worth waiting out like a lost connection: it stays refused.
            throw RedisError(false,
                             fmt::format("Redis at {} refused the password: {}", address_.to_string(), e.what()));
        }
    }
    if (address_.database != 0) {
        const std::string database = std::to_string(address_.database);
        command({"SELECT", database});
    }
}

void RedisClient::append(const std::vector<std::string_view>& words) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    argv.reserve(words.size());
    lengths.reserve(words.size());
    for (auto word : words) {
        argv.push_back(word.data());
        lengths.push_back(word.size());
    }
    if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data()) != REDIS_OK) {
        const std::string message = fmt::format("Redis: {}", context_->errstr);
        disconnect();
        throw RedisError(true, message);
    }
}

Reply RedisClient::read_reply() {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
        const std::string message = fmt::format("Redis at {} did not answer: {}", address_.to_string(),
                                                context_->errstr[0] ? context_->errstr : "connection closed");
        disconnect();
        throw RedisError(true, message);
    }
    return Reply(static_cast<redisReply*>(raw));
}

Reply RedisClient::command(const std::vector<std::string_view>& words) {
    connect();
    append(words);
    Reply reply = read_reply();
    if (reply->type == REDIS_REPLY_ERROR)
        throw RedisError(
            false, fmt::format("{}: {}", words.empty() ? "" : words.front(), std::string_view(reply->str, reply->len)));
    return reply;
}

std::vector<Reply> RedisClient::pipeline(const std::vector<std::vector<std::string_view>>& commands) {
    connect();
    for (const auto& words : commands) append(words);
    std::vector<Reply> replies;
    for (std::size_t i = 0; i < commands.size(); ++i) replies.push_back(read_reply());
    for (std::size_t i = 0; i < replies.size(); ++i)
        if (replies[i]->type == REDIS_REPLY_ERROR)
            throw RedisError(false, fmt::format("{}: {}", commands[i].empty() ? "" : commands[i].front(),
                                                std::string_view(replies[i]->str, replies[i]->len)));
    return replies;
}

Reply RedisClient::blocking_command(const std::vector<std::string_view>& words, std::chrono::milliseconds block) {
    connect();
    redisSetTimeout(context_, to_timeval(timeout_ + block));
    Reply reply;
    try {
        reply = command(words);
    } catch (...) {
        if (context_) redisSetTimeout(context_, to_timeval(timeout_));
        throw;
    }
    redisSetTimeout(context_, to_timeval(timeout_));
    return reply;
}

std::string reply_string(const redisReply* reply, std::string_view what) {
    if (reply && (reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_STATUS))
        return std::string(reply->str, reply->len);
    if (reply && reply->type == REDIS_REPLY_INTEGER) return std::to_string(reply->integer);
    throw RedisError(false, fmt::format("Redis answered {} with something else than a string", what));
}

long long reply_integer(const redisReply* reply, std::string_view what) {
    if (reply && reply->type == REDIS_REPLY_INTEGER) return reply->integer;
    if (reply && reply->type == REDIS_REPLY_STRING) {
        long long value = 0;
        const auto [end, error] = std::from_chars(reply->str, reply->str + reply->len, value);
        if (error == std::errc() && end == reply->str + reply->len) return value;
    }
    throw RedisError(false, fmt::format("Redis answered {} with something else than a number", what));
}

bool reply_is_nil(const redisReply* reply) {
    return reply == nullptr || reply->type == REDIS_REPLY_NIL;
}

std::size_t reply_size(const redisReply* reply, std::string_view what) {
    if (reply && reply->type == REDIS_REPLY_ARRAY) return reply->elements;
    if (reply_is_nil(reply)) return 0;
    throw RedisError(false, fmt::format("Redis answered {} with something else than a list", what));
}

const redisReply* reply_element(const redisReply* reply, std::size_t index, std::string_view what) {
    if (index >= reply_size(reply, what))
        throw RedisError(false, fmt::format("Redis answered {} with a list too short", what));
    return reply->element[index];
}

}  // namespace autograder::queue
