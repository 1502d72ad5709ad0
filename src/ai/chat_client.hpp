// A client of the chat-completions API that OpenAI and compatible servers (llama.cpp, Ollama,
// vLLM, hosted gateways) share: POST <base>/chat/completions with the model, a system message (our
// instructions) and a user message (the data), asking for a reply in JSON that matches a schema.
//
// - Where and who: OPENAI_BASE_URL (default https://api.openai.com/v1) and OPENAI_API_KEY (sent as
//   "Authorization: Bearer"; not needed by a local server), read when the client is made.
// - Retries (http/retry.hpp) on 429, honouring Retry-After, on 5xx, refused connections and
//   time-outs; the configuration's timeout_ms bounds one request, attempts and waits included.
// - A token budget per submission (TokenBudget): a request that cannot fit is not sent; the reply
//   may use what is left; the tokens the server reports (usage.total_tokens) are spent.
// - The reply must be the requested JSON: content that does not parse, does not match the schema,
//   or was cut at the token limit is refused.
// - The key never appears in a message: anything that quotes it (an error page) is redacted.
// - With AiConfig::cache, a validated reply is kept by (model, messages, schema) and reused.
// Thread-safe: one client serves every grading of a pipeline.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "autograder/config.hpp"
#include "http/http_post.hpp"

namespace autograder::ai {

struct Endpoint {
    std::string base_url = "https://api.openai.com/v1";
    std::string api_key;  // empty: no Authorization header
    // OPENAI_BASE_URL and OPENAI_API_KEY, when set and not empty.
    static Endpoint from_environment();
};

// Tokens one submission may still spend, every request of its grading together.
struct TokenBudget {
    int limit = 0;
    int used = 0;
    int remaining() const { return limit > used ? limit - used : 0; }
};

struct ChatRequest {
    std::string system;       // instructions
    std::string user;         // the data, as a JSON document
    std::string schema_name;  // ^[a-zA-Z0-9_-]+$
    nlohmann::json schema;    // the reply's JSON Schema (strict: every property required, no others)
};

struct ChatReply {
    bool ok = false;
    nlohmann::json content;  // the parsed reply, matching the schema, when ok
    std::string problem;     // why not, when not ok (a sentence, never holding the key)
    int attempts = 0;
    int tokens = 0;  // spent by this request (0 from the cache)
    bool from_cache = false;
};

class ChatClient {
public:
    ChatClient(AiConfig config, Endpoint endpoint);

    // One chat completion; spends from `budget`. Never throws for anything the server does.
    ChatReply complete(const ChatRequest& request, TokenBudget& budget) const;

    const AiConfig& config() const { return config_; }
    const std::string& model() const { return config_.model; }

    // A rough count of the tokens `text` takes (about 3 bytes per token, on the safe side for code).
    static int estimated_tokens(const std::string& text);

private:
    std::string redacted(std::string text) const;
    std::optional<ChatReply> cached(const std::string& key) const;
    void remember(const std::string& key, const ChatReply& reply) const;

    AiConfig config_;
    Endpoint endpoint_;
    http::SplitUrl url_;  // <base>/chat/completions
    mutable std::mutex cache_mutex_;
    mutable std::map<std::string, nlohmann::json> cache_;  // SHA-256 of (model, request) -> content
};

}  // namespace autograder::ai
