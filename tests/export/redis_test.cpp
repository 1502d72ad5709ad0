// The redis exporter against a real redis-server that the test starts on a free loopback port
// (with a password, so AUTH is exercised). A host without redis-server fails this test.
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "export_test_support.hpp"

extern char** environ;

using namespace autograder;
using export_test::python_submission;
using export_test::static_config;

namespace {

constexpr const char* kPasswordVariable = "AUTOGRADER_TEST_REDIS_PASSWORD";
constexpr const char* kPassword = "redis-test-password";

std::string find_redis_server() {
    for (const char* directory : {"/usr/bin", "/usr/local/bin", "/usr/sbin"}) {
        auto path = std::string(directory) + "/redis-server";
        if (::access(path.c_str(), X_OK) == 0) return path;
    }
    return {};
}

class RedisServer {
public:
    RedisServer() {
        const auto binary = find_redis_server();
        REQUIRE_MESSAGE(!binary.empty(), "redis-server is not installed (Debian: apt-get install redis-server)");
        port_ = export_test::unused_loopback_port();
        std::vector<std::string> arguments = {binary,
                                              "--port",
                                              std::to_string(port_),
                                              "--bind",
                                              "127.0.0.1",
                                              "--save",
                                              "",
                                              "--appendonly",
                                              "no",
                                              "--requirepass",
                                              kPassword,
                                              "--daemonize",
                                              "no",
                                              "--logfile",
                                              ""};
        std::vector<char*> argv;
        for (auto& argument : arguments) argv.push_back(argument.data());
        argv.push_back(nullptr);
        // Its log goes nowhere: the test's output is the test's.
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        const int spawned = ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        REQUIRE(spawned == 0);
        // Ready when it answers PING; a server that never comes up fails the test after 20 s.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (true) {
            if (auto* context = connect()) {
                redisFree(context);
                return;
            }
            int status = 0;
            REQUIRE_MESSAGE(::waitpid(pid_, &status, WNOHANG) == 0, "redis-server exited at start");
            REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "redis-server did not answer within 20 s");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    ~RedisServer() {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
    }
    int port() const { return port_; }

    // An authenticated connection, or nullptr while the server is not up.
    redisContext* connect() const {
        timeval timeout{2, 0};
        redisContext* context = redisConnectWithTimeout("127.0.0.1", port_, timeout);
        if (context == nullptr || context->err) {
            if (context) redisFree(context);
            return nullptr;
        }
        auto* reply = static_cast<redisReply*>(redisCommand(context, "AUTH %s", kPassword));
        const bool ok = reply != nullptr && reply->type != REDIS_REPLY_ERROR;
        if (reply) freeReplyObject(reply);
        if (!ok) {
            redisFree(context);
            return nullptr;
        }
        return context;
    }

    std::optional<std::string> hget(const std::string& key, const std::string& field) const {
        redisContext* context = connect();
        REQUIRE(context != nullptr);
        auto* reply = static_cast<redisReply*>(redisCommand(context, "HGET %s %s", key.c_str(), field.c_str()));
        REQUIRE(reply != nullptr);
        std::optional<std::string> value;
        if (reply->type == REDIS_REPLY_STRING) value = std::string(reply->str, reply->len);
        freeReplyObject(reply);
        redisFree(context);
        return value;
    }

private:
    pid_t pid_ = 0;
    int port_ = 0;
};

}  // namespace

TEST_CASE("redis: the final score lands in hash user:<external_user_id>, field score, through AUTH") {
    ::setenv(kPasswordVariable, kPassword, 1);
    RedisServer redis;
    nlohmann::json exporter = {{"kind", "redis"},
                               {"url", fmt::format("redis://127.0.0.1:{}", redis.port())},
                               {"password_env", kPasswordVariable}};
    auto pipeline = Pipeline::create(static_config({exporter}));
    GradingResult result = pipeline->grade(python_submission("alice"));
    REQUIRE(result.exports.size() == 1);
    INFO(result.exports[0].message);
    CHECK(result.exports[0].ok);
    CHECK(result.exports[0].attempts == 1);
    auto stored = redis.hget("user:alice", "score");
    REQUIRE(stored.has_value());
    CHECK(std::stod(*stored) == doctest::Approx(result.final_score));
    CHECK(std::stod(*stored) == doctest::Approx(50));
}

TEST_CASE("redis: key pattern, field and database are configurable") {
    ::setenv(kPasswordVariable, kPassword, 1);
    RedisServer redis;
    nlohmann::json exporter = {{"kind", "redis"},
                               {"url", fmt::format("redis://127.0.0.1:{}/0", redis.port())},
                               {"password_env", kPasswordVariable},
                               {"key", "course:{course}:student:{external_user_id}"},
                               {"field", "lab1"}};
    auto pipeline = Pipeline::create(static_config({exporter}));
    auto submission = python_submission("bob");
    submission.metadata["course"] = 101;
    GradingResult result = pipeline->grade(submission);
    REQUIRE(result.exports.size() == 1);
    INFO(result.exports[0].message);
    CHECK(result.exports[0].ok);
    auto stored = redis.hget("course:101:student:bob", "lab1");
    REQUIRE(stored.has_value());
    CHECK(std::stod(*stored) == doctest::Approx(50));
}

TEST_CASE("redis: a wrong password and a missing metadata field are reported, never retried, never fatal") {
    ::setenv(kPasswordVariable, "not-the-password", 1);
    RedisServer redis;
    nlohmann::json exporter = {{"kind", "redis"},
                               {"url", fmt::format("redis://127.0.0.1:{}", redis.port())},
                               {"password_env", kPasswordVariable}};
    auto pipeline = Pipeline::create(static_config({exporter}));
    GradingResult result = pipeline->grade(python_submission("carol"));
    CHECK(result.status == PipelineStatus::success);
    REQUIRE(result.exports.size() == 1);
    CHECK_FALSE(result.exports[0].ok);
    CHECK(result.exports[0].attempts == 1);
    CHECK(result.exports[0].message.find("AUTH") == 0);
    CHECK_FALSE(redis.hget("user:carol", "score").has_value());

    auto anonymous = python_submission();
    anonymous.metadata = nlohmann::json::object();
    result = pipeline->grade(anonymous);
    REQUIRE(result.exports.size() == 1);
    CHECK_FALSE(result.exports[0].ok);
    CHECK(result.exports[0].message.find("metadata.external_user_id") != std::string::npos);
}
