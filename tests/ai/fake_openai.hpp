// An OpenAI-compatible chat-completions server on 127.0.0.1, started by the test: it records every
// request (body, Authorization header) and answers with what the test's responder returns. A
// responder may hold its answer until the test releases it (a reply slower than the client's
// time-out, without sleeping).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "loopback_port.hpp"

namespace ai_test {

constexpr const char* kApiKey = "sk-test-0123456789abcdefghij";

struct Answer {
    int status = 200;
    std::string body;
    httplib::Headers headers = {};
    bool hold = false;  // wait until release() before answering
};

struct Received {
    std::string path;
    std::string authorization;
    std::string raw_body;
    nlohmann::json body;           // the request JSON
    nlohmann::json user_document;  // the user message's content, parsed as JSON (null when it is not JSON)
    std::string system;            // the system message
};

// A chat completion whose message content is `content` (the model's text).
inline std::string completion(const std::string& content, int total_tokens = 321,
                              const std::string& finish_reason = "stop") {
    return nlohmann::json{
        {"id", "chatcmpl-test"},
        {"object", "chat.completion"},
        {"model", "test-model"},
        {"choices",
         {{{"index", 0},
           {"message", {{"role", "assistant"}, {"content", content}}},
           {"finish_reason", finish_reason}}}},
        {"usage", {{"prompt_tokens", total_tokens - 21}, {"completion_tokens", 21}, {"total_tokens", total_tokens}}}}
        .dump();
}

// The verdicts a batch request asks for, each test id given `score(id)`.
inline std::string verdicts_for(const Received& request, const std::function<double(const std::string&)>& score,
                                int total_tokens = 321) {
    nlohmann::json results = nlohmann::json::array();
    for (const auto& test : request.user_document["tests"])
        results.push_back({{"id", test["id"]},
                           {"score", score(test["id"].get<std::string>())},
                           {"justification", "Judged: " + test["id"].get<std::string>()}});
    return completion(nlohmann::json{{"results", results}}.dump(), total_tokens);
}

class FakeOpenAi {
public:
    using Responder = std::function<Answer(const Received& request, std::size_t index)>;

    explicit FakeOpenAi(Responder responder) : responder_(std::move(responder)) {
        server_.Post("/v1/chat/completions", [this](const httplib::Request& request, httplib::Response& response) {
            Received received;
            received.path = request.path;
            received.authorization = request.get_header_value("Authorization");
            received.raw_body = request.body;
            received.body = nlohmann::json::parse(request.body, nullptr, false);
            if (received.body.is_object() && received.body.contains("messages"))
                for (const auto& message : received.body["messages"]) {
                    if (message["role"] == "system") received.system = message["content"];
                    if (message["role"] == "user")
                        received.user_document =
                            nlohmann::json::parse(message["content"].get<std::string>(), nullptr, false);
                }
            std::size_t index;
            {
                std::lock_guard lock(mutex_);
                received_.push_back(received);
                index = received_.size() - 1;
            }
            Answer answer = responder_(received, index);
            if (answer.hold) {
                std::unique_lock lock(mutex_);
                released_signal_.wait(lock, [this] { return released_; });
            }
            response.status = answer.status;
            for (const auto& [name, value] : answer.headers) response.set_header(name, value);
            response.set_content(answer.body, "application/json");
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        REQUIRE(port_ > 0);
        thread_ = std::thread([this] { server_.listen_after_bind(); });
    }
    ~FakeOpenAi() {
        release();
        server_.stop();
        thread_.join();
    }
    FakeOpenAi(const FakeOpenAi&) = delete;
    FakeOpenAi& operator=(const FakeOpenAi&) = delete;

    std::string base_url() const { return fmt::format("http://127.0.0.1:{}/v1", port_); }
    // Points the engine at this server (the client reads the environment when a pipeline is made).
    void use() const {
        ::setenv("OPENAI_BASE_URL", base_url().c_str(), 1);
        ::setenv("OPENAI_API_KEY", kApiKey, 1);
    }
    void release() {
        {
            std::lock_guard lock(mutex_);
            released_ = true;
        }
        released_signal_.notify_all();
    }
    std::vector<Received> received() {
        std::lock_guard lock(mutex_);
        return received_;
    }

private:
    httplib::Server server_;
    Responder responder_;
    int port_ = 0;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable released_signal_;
    bool released_ = false;
    std::vector<Received> received_;
};

using testing::unused_loopback_port;

}  // namespace ai_test
