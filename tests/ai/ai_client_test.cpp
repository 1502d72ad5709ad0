// The chat-completions client's own rules, against the fake server: what it sends, what it refuses.
#include <doctest/doctest.h>

#include "ai/chat_client.hpp"
#include "ai/reply_schema.hpp"
#include "fake_openai.hpp"
#include "http/http_post.hpp"
#include "http/retry.hpp"

using namespace autograder;
using namespace ai_test;

namespace {

ai::ChatRequest small_request() {
    ai::ChatRequest request;
    request.system = "Answer with JSON.";
    request.user = R"({"question": "x"})";
    request.schema_name = "answer";
    request.schema = {{"type", "object"},
                      {"properties", {{"value", {{"type", "integer"}}}}},
                      {"required", {"value"}},
                      {"additionalProperties", false}};
    return request;
}

ai::ChatReply ask(FakeOpenAi& server, const std::string& api_key = kApiKey) {
    AiConfig config;
    config.model = "m";
    config.backoff_ms = 1;
    ai::ChatClient client(config, {server.base_url() + "/", api_key});
    ai::TokenBudget budget{5000, 0};
    return client.complete(small_request(), budget);
}

}  // namespace

TEST_CASE("ai client: a valid reply is parsed, its tokens spent and no key means no Authorization header") {
    FakeOpenAi server([](const Received&, std::size_t) { return Answer{200, completion(R"({"value": 7})", 99)}; });
    auto reply = ask(server, "");
    CHECK(reply.ok);
    CHECK(reply.content["value"] == 7);
    CHECK(reply.tokens == 99);
    auto requests = server.received();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].path == "/v1/chat/completions");  // a trailing slash on the base URL is fine
    CHECK(requests[0].authorization.empty());
    CHECK(requests[0].body["messages"][0]["role"] == "system");
    CHECK(requests[0].body["messages"][1]["content"] == R"({"question": "x"})");
}

TEST_CASE("ai client: replies cut at the token limit, refusals and extra keys are refused") {
    SUBCASE("cut") {
        FakeOpenAi server([](const Received&, std::size_t) {
            return Answer{200, completion(R"({"value": 7})", 50, "length")};
        });
        CHECK(ask(server).problem == "the reply was cut at the token limit");
    }
    SUBCASE("refusal") {
        FakeOpenAi server([](const Received&, std::size_t) {
            nlohmann::json body = nlohmann::json::parse(completion("null"));
            body["choices"][0]["message"]["refusal"] = "I cannot help with that";
            body["choices"][0]["message"]["content"] = nullptr;
            return Answer{200, body.dump()};
        });
        CHECK(ask(server).problem == "the model refused: I cannot help with that");
    }
    SUBCASE("another key") {
        FakeOpenAi server([](const Received&, std::size_t) {
            return Answer{200, completion(R"({"value": 7, "score": 100})")};
        });
        CHECK(ask(server).problem == "the reply does not have the requested format: unexpected key 'score'");
    }
    SUBCASE("not JSON at all") {
        FakeOpenAi server([](const Received&, std::size_t) { return Answer{200, "<html>proxy error</html>"}; });
        CHECK(ask(server).problem == "the answer is not a chat completion (not JSON)");
    }
}

TEST_CASE("ai client: the schema subset") {
    const nlohmann::json schema = {{"type", "object"},
                                   {"properties",
                                    {{"results",
                                      {{"type", "array"},
                                       {"items",
                                        {{"type", "object"},
                                         {"properties",
                                          {{"id", {{"type", "string"}, {"enum", {"a", "b"}}}},
                                           {"score", {{"type", "number"}, {"minimum", 0}, {"maximum", 100}}}}},
                                         {"required", {"id", "score"}},
                                         {"additionalProperties", false}}}}}}},
                                   {"required", {"results"}}};
    CHECK_FALSE(ai::schema_violation(nlohmann::json::parse(R"({"results": [{"id": "a", "score": 5}]})"), schema));
    CHECK(*ai::schema_violation(nlohmann::json::parse(R"({"results": [{"id": "c", "score": 5}]})"), schema) ==
          R"(results[0].id: "c" is not one of ["a","b"])");
    CHECK(*ai::schema_violation(nlohmann::json::parse(R"({"results": [{"id": "a", "score": 140}]})"), schema) ==
          "results[0].score: 140 is above 100");
    CHECK(*ai::schema_violation(nlohmann::json::parse(R"({"results": [{"id": "a"}]})"), schema) ==
          "results[0]: 'score' is missing");
    CHECK(*ai::schema_violation(nlohmann::json::parse(R"([1])"), schema) == "expected an object");
}

TEST_CASE("ai client: Retry-After as seconds or as an HTTP date") {
    CHECK(http::parse_retry_after("7") == std::chrono::milliseconds(7000));
    CHECK(http::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == std::chrono::milliseconds(0));  // past
    CHECK_FALSE(http::parse_retry_after(""));
    CHECK_FALSE(http::parse_retry_after("soon"));
    CHECK_FALSE(http::parse_retry_after("-3"));
}

TEST_CASE("ai client: an endless answer is cut off at the size bound and refused, not retried") {
    FakeOpenAi server([](const Received&, std::size_t) {
        return Answer{200, std::string(http::kMaxAnswerBytes + 1, 'x')};
    });
    auto reply = ask(server);
    CHECK_FALSE(reply.ok);
    CHECK(reply.problem == "the answer is larger than 4194304 bytes");
    CHECK(server.received().size() == 1);
}
