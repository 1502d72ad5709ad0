#include "ai/chat_client.hpp"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "ai/reply_schema.hpp"
#include "http/retry.hpp"

namespace autograder::ai {
namespace {

// Room the reply needs at the least: a request that leaves less is not worth sending.
constexpr int kMinimumReplyTokens = 256;
// Replies kept by the cache at most; when full it starts again (regrading comes in waves).
constexpr std::size_t kMaxCachedReplies = 4096;

std::string without_trailing_slashes(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

// The error a server explains itself with ({"error": {"message": ...}}), else the start of its body.
std::string error_excerpt(const std::string& body) {
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_object() && json.contains("error")) {
        const auto& error = json["error"];
        if (error.is_object() && error.contains("message") && error["message"].is_string())
            return http::printable_excerpt(error["message"].get<std::string>());
        if (error.is_string()) return http::printable_excerpt(error.get<std::string>());
    }
    return http::printable_excerpt(body);
}

}  // namespace

Endpoint Endpoint::from_environment() {
    Endpoint endpoint;
    if (const char* base = std::getenv("OPENAI_BASE_URL"); base != nullptr && *base != '\0') endpoint.base_url = base;
    if (const char* key = std::getenv("OPENAI_API_KEY"); key != nullptr && *key != '\0') endpoint.api_key = key;
    return endpoint;
}

ChatClient::ChatClient(AiConfig config, Endpoint endpoint)
    : config_(std::move(config)),
      endpoint_(std::move(endpoint)),
      url_(http::split_url(without_trailing_slashes(endpoint_.base_url) + "/chat/completions")) {}

int ChatClient::estimated_tokens(const std::string& text) {
    return static_cast<int>(text.size() / 3) + 1;
}

std::string ChatClient::redacted(std::string text) const {
    if (endpoint_.api_key.empty()) return text;
    const std::string mark = "[redacted]";
    const auto replace_all = [&](const std::string& piece) {
        for (auto at = text.find(piece); at != std::string::npos; at = text.find(piece, at + mark.size()))
            text.replace(at, piece.size(), mark);
    };
    replace_all(endpoint_.api_key);
    // A server that quotes part of the key ("sk-abc...xyz") quotes its ends: never show a long piece.
    const auto& key = endpoint_.api_key;
    if (key.size() >= 12) {
        replace_all(key.substr(0, 8));
        replace_all(key.substr(key.size() - 8));
    }
    return text;
}

std::optional<ChatReply> ChatClient::cached(const std::string& key) const {
    std::lock_guard lock(cache_mutex_);
    auto found = cache_.find(key);
    if (found == cache_.end()) return std::nullopt;
    ChatReply reply;
    reply.ok = true;
    reply.content = found->second;
    reply.from_cache = true;
    return reply;
}

void ChatClient::remember(const std::string& key, const ChatReply& reply) const {
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= kMaxCachedReplies) cache_.clear();
    cache_[key] = reply.content;
}

ChatReply ChatClient::complete(const ChatRequest& request, TokenBudget& budget) const {
    ChatReply reply;
    nlohmann::json body = {
        {"model", config_.model},
        {"messages",
         {{{"role", "system"}, {"content", request.system}}, {{"role", "user"}, {"content", request.user}}}},
        {"response_format",
         {{"type", "json_schema"},
          {"json_schema", {{"name", request.schema_name}, {"strict", true}, {"schema", request.schema}}}}}};
    const auto dump = [](const nlohmann::json& json) {
        return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    // Without libautograder-http.so there is no key, and the POST below reports why.
    std::string cache_key;
    if (config_.cache) {
        try {
            cache_key = http::sha256_hex(config_.model + '\n' + dump(body));
        } catch (const std::runtime_error&) {
        }
    }
    if (!cache_key.empty())
        if (auto hit = cached(cache_key)) return *hit;

    const int prompt_tokens = estimated_tokens(request.system) + estimated_tokens(request.user) +
                              estimated_tokens(request.schema.dump()) + 16;
    const int reply_room = budget.remaining() - prompt_tokens;
    if (reply_room < kMinimumReplyTokens) {
        reply.problem = fmt::format(
            "not sent: the request needs about {} tokens and a reply at least {}, but {} of the submission's "
            "{}-token budget (ai.max_tokens) are left",
            prompt_tokens, kMinimumReplyTokens, budget.remaining(), budget.limit);
        return reply;
    }
    body["max_tokens"] = reply_room;
    const std::string body_text = dump(body);

    http::Headers headers{{"User-Agent", "autograder"}, {"Accept", "application/json"}};
    if (!endpoint_.api_key.empty()) headers.emplace_back("Authorization", "Bearer " + endpoint_.api_key);
    http::PostResult answer;
    const auto retried = http::retry(
        {config_.timeout_ms, config_.max_attempts, config_.backoff_ms},
        [&](std::chrono::milliseconds remaining) -> http::AttemptResult {
            answer = http::post(url_, body_text, "application/json", headers, remaining);
            if (!answer.answered) return {false, answer.retryable, answer.problem};
            const int status = answer.status;
            if (status >= 200 && status < 300) return {true, false, {}};
            const bool retryable = status == 429 || status == 408 || status >= 500;
            const std::string excerpt = error_excerpt(answer.body);
            return {false, retryable, fmt::format("HTTP {}{}{}", status, excerpt.empty() ? "" : ": ", excerpt),
                    http::parse_retry_after(answer.retry_after)};
        });
    reply.attempts = retried.attempts;
    if (!retried.ok) {
        reply.problem = redacted(retried.message);
        return reply;
    }

    const auto refuse = [&](std::string why) {
        reply.problem = redacted(std::move(why));
        return reply;
    };
    const auto completion = nlohmann::json::parse(answer.body, nullptr, false);
    if (!completion.is_object()) return refuse("the answer is not a chat completion (not JSON)");
    int spent = 0;
    if (auto usage = completion.find("usage"); usage != completion.end() && usage->is_object())
        if (auto total = usage->find("total_tokens"); total != usage->end() && total->is_number_integer())
            spent = static_cast<int>(std::clamp<long long>(total->get<long long>(), 0, 100000000));
    if (spent == 0) spent = prompt_tokens + estimated_tokens(answer.body);
    budget.used += spent;
    reply.tokens = spent;

    const auto choices = completion.find("choices");
    if (choices == completion.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object())
        return refuse("the answer is not a chat completion (no choices)");
    const auto& choice = (*choices)[0];
    const auto message = choice.find("message");
    if (message == choice.end() || !message->is_object())
        return refuse("the answer is not a chat completion (no message)");
    if (auto refusal = message->find("refusal"); refusal != message->end() && refusal->is_string())
        return refuse("the model refused: " + http::printable_excerpt(refusal->get<std::string>()));
    if (choice.value("finish_reason", nlohmann::json()) == "length")
        return refuse("the reply was cut at the token limit");
    const auto text = message->find("content");
    if (text == message->end() || !text->is_string()) return refuse("the reply has no text");
    reply.content = nlohmann::json::parse(text->get<std::string>(), nullptr, false);
    if (reply.content.is_discarded())
        return refuse("the reply is not the requested JSON: " + http::printable_excerpt(text->get<std::string>(), 120));
    if (auto violation = schema_violation(reply.content, request.schema))
        return refuse("the reply does not have the requested format: " + *violation);
    reply.ok = true;
    if (!cache_key.empty()) remember(cache_key, reply);
    return reply;
}

}  // namespace autograder::ai
