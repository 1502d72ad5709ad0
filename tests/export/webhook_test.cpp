// The webhook exporter against a real HTTP server on loopback (cpp-httplib's server, in the test):
// signatures checked with OpenSSL, retries on 5xx, none on 4xx, and receivers that hang or
// refuse never hold a grading past the configured time-out.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>

#include "export_test_support.hpp"

using namespace autograder;
using export_test::python_submission;
using export_test::static_config;

namespace {

constexpr const char* kSecretVariable = "AUTOGRADER_TEST_WEBHOOK_SECRET";
constexpr const char* kSecret = "s3cr3t-for-tests";

std::string expected_signature(const std::string& body) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), kSecret, static_cast<int>(std::strlen(kSecret)),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
    std::string hex = "sha256=";
    for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
    return hex;
}

// What the receiver saw of each request.
struct Delivery {
    bool signature_valid;
    std::string timestamp_header;
    nlohmann::json body;
    std::string delivery_id;
    std::string attempt;
};

// A receiver on 127.0.0.1 that answers with `statuses` in turn (the last one from then on).
class Receiver {
public:
    explicit Receiver(std::vector<int> statuses) : statuses_(std::move(statuses)) {
        server_.Post("/hook", [this](const httplib::Request& request, httplib::Response& response) {
            std::lock_guard lock(mutex_);
            deliveries_.push_back(
                {request.get_header_value("X-Autograder-Signature") == expected_signature(request.body),
                 request.get_header_value("X-Autograder-Timestamp"),
                 nlohmann::json::parse(request.body, nullptr, false), request.get_header_value("X-Autograder-Delivery"),
                 request.get_header_value("X-Autograder-Attempt")});
            const std::size_t index = std::min(deliveries_.size(), statuses_.size()) - 1;
            response.status = statuses_[index];
            response.set_content(response.status == 200 ? "thanks" : "not now", "text/plain");
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        REQUIRE(port_ > 0);
        // Bound before the thread starts: connections wait in the backlog until it accepts them.
        thread_ = std::thread([this] { server_.listen_after_bind(); });
    }
    ~Receiver() {
        server_.stop();
        thread_.join();
    }
    std::string url() const { return fmt::format("http://127.0.0.1:{}/hook", port_); }
    std::vector<Delivery> deliveries() {
        std::lock_guard lock(mutex_);
        return deliveries_;
    }

private:
    httplib::Server server_;
    std::vector<int> statuses_;
    int port_ = 0;
    std::thread thread_;
    std::mutex mutex_;
    std::vector<Delivery> deliveries_;
};

nlohmann::json webhook(const std::string& url, int timeout_ms = 10000, int max_attempts = 3) {
    return {{"kind", "webhook"},
            {"url", url},
            {"secret_env", kSecretVariable},
            {"timeout_ms", timeout_ms},
            {"max_attempts", max_attempts},
            {"backoff_ms", 20}};
}

}  // namespace

TEST_CASE("webhook: signed with HMAC-SHA256, tried again after two 500s, delivered on the 200") {
    ::setenv(kSecretVariable, kSecret, 1);
    Receiver receiver({500, 500, 200});
    auto pipeline = Pipeline::create(static_config({webhook(receiver.url())}));
    CHECK(pipeline->step_names().back() == "EXPORT");
    GradingResult result = pipeline->grade(python_submission("alice"));

    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(50));
    REQUIRE(result.exports.size() == 1);
    CHECK(result.exports[0].ok);
    CHECK(result.exports[0].kind == "webhook");
    CHECK(result.exports[0].target == receiver.url());
    CHECK(result.exports[0].attempts == 3);
    CHECK(result.exports[0].message == "HTTP 200");

    auto deliveries = receiver.deliveries();
    REQUIRE(deliveries.size() == 3);
    for (std::size_t i = 0; i < deliveries.size(); ++i) {
        CAPTURE(i);
        CHECK(deliveries[i].signature_valid);
        CHECK(deliveries[i].attempt == std::to_string(i + 1));
        CHECK(deliveries[i].delivery_id.size() == 32);
        CHECK(deliveries[i].delivery_id == deliveries[0].delivery_id);
        REQUIRE(deliveries[i].body.is_object());
        // The timestamp header is in the signed body too, so it cannot be altered for a replay.
        CHECK(deliveries[i].timestamp_header == std::to_string(deliveries[i].body["exported_at"].get<long long>()));
        CHECK(deliveries[i].body["final_score"] == 50.0);
        CHECK(deliveries[i].body["submission"]["metadata"]["external_user_id"] == "alice");
        CHECK(deliveries[i].body["result_tree"]["root"]["base"]["tests"].size() == 2);
    }
    // The result JSON reports the export and the pipeline summary has the step.
    auto json = result.to_json();
    CHECK(json["exports"][0]["ok"] == true);
    CHECK(json["exports"][0]["attempts"] == 3);
    CHECK(json["pipeline"]["steps"].back()["name"] == "EXPORT");
    CHECK(json["pipeline"]["steps"].back()["status"] == "SUCCESS");
}

TEST_CASE("webhook: a 4xx answer is final (no retry) and never changes the score or the status") {
    ::setenv(kSecretVariable, kSecret, 1);
    Receiver receiver({403});
    auto pipeline = Pipeline::create(static_config({webhook(receiver.url())}));
    GradingResult result = pipeline->grade(python_submission());
    CHECK(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(50));
    REQUIRE(result.exports.size() == 1);
    CHECK_FALSE(result.exports[0].ok);
    CHECK(result.exports[0].attempts == 1);
    CHECK(result.exports[0].message.find("HTTP 403") == 0);
    CHECK(receiver.deliveries().size() == 1);
    const auto& step = result.steps.back();
    CHECK(step.name == "EXPORT");
    CHECK(step.status == PipelineStatus::success);
    CHECK(step.message.find("1 of 1 exports failed") == 0);
    CHECK(step.error_details["failed_exports"][0]["kind"] == "webhook");
}

TEST_CASE("webhook: a refused connection is tried max_attempts times, then reported") {
    ::setenv(kSecretVariable, kSecret, 1);
    const int port = export_test::unused_loopback_port();
    auto pipeline = Pipeline::create(static_config({webhook(fmt::format("http://127.0.0.1:{}/hook", port), 10000, 3)}));
    GradingResult result = pipeline->grade(python_submission());
    CHECK(result.status == PipelineStatus::success);
    REQUIRE(result.exports.size() == 1);
    CHECK_FALSE(result.exports[0].ok);
    CHECK(result.exports[0].attempts == 3);
    CHECK(result.exports[0].message.find("could not connect") == 0);
}

TEST_CASE("webhook: a receiver that never answers holds the grading only until the time-out") {
    ::setenv(kSecretVariable, kSecret, 1);
    // The handler blocks until the test releases it, after grade() returned: if the grading waited
    // for the answer instead of giving up at its time-out, this test would never finish.
    std::mutex mutex;
    std::condition_variable released_signal;
    bool released = false;
    int requests = 0;
    httplib::Server server;
    server.Post("/hook", [&](const httplib::Request&, httplib::Response& response) {
        std::unique_lock lock(mutex);
        ++requests;
        released_signal.wait(lock, [&] { return released; });
        response.status = 200;
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    REQUIRE(port > 0);
    std::thread thread([&] { server.listen_after_bind(); });

    auto pipeline = Pipeline::create(static_config({webhook(fmt::format("http://127.0.0.1:{}/hook", port), 300, 5)}));
    GradingResult result = pipeline->grade(python_submission());
    {
        std::lock_guard lock(mutex);
        released = true;
        CHECK(requests >= 1);
    }
    released_signal.notify_all();
    server.stop();
    thread.join();

    CHECK(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(50));
    REQUIRE(result.exports.size() == 1);
    CHECK_FALSE(result.exports[0].ok);
    CHECK(result.exports[0].message.find("time-out") != std::string::npos);
}

TEST_CASE("webhook: without its secret in the environment nothing is sent, and the result says why") {
    ::unsetenv("AUTOGRADER_TEST_UNSET_SECRET");
    Receiver receiver({200});
    auto config = static_config({webhook(receiver.url())});
    config["export"][0]["secret_env"] = "AUTOGRADER_TEST_UNSET_SECRET";
    auto pipeline = Pipeline::create(config);
    CHECK(pipeline->warnings().size() == 1);
    GradingResult result = pipeline->grade(python_submission());
    REQUIRE(result.exports.size() == 1);
    CHECK_FALSE(result.exports[0].ok);
    CHECK(result.exports[0].attempts == 0);
    CHECK(result.exports[0].message.find("AUTOGRADER_TEST_UNSET_SECRET") != std::string::npos);
    CHECK(receiver.deliveries().empty());
}

TEST_CASE("webhook: https is built in, and a server certificate that does not verify is refused, not retried") {
    ::setenv(kSecretVariable, kSecret, 1);
    // A self-signed certificate for 127.0.0.1 (the openssl command of Debian's openssl package).
    auto directory = export_test::temporary_directory("webhook-tls");
    const auto key = (directory / "key.pem").string(), certificate = (directory / "certificate.pem").string();
    auto made = export_test::run_tool("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " +
                                      key + " -out " + certificate);
    INFO(made.out);
    REQUIRE(made.exit_code == 0);
    httplib::SSLServer server(certificate.c_str(), key.c_str());
    REQUIRE(server.is_valid());
    int requests = 0;
    std::mutex mutex;
    server.Post("/hook", [&](const httplib::Request&, httplib::Response& response) {
        std::lock_guard lock(mutex);
        ++requests;
        response.status = 200;
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    REQUIRE(port > 0);
    std::thread thread([&] { server.listen_after_bind(); });

    auto pipeline = Pipeline::create(static_config({webhook(fmt::format("https://127.0.0.1:{}/hook", port))}));
    GradingResult result = pipeline->grade(python_submission());
    server.stop();
    thread.join();
    std::filesystem::remove_all(directory);

    REQUIRE(result.exports.size() == 1);
    CHECK_FALSE(result.exports[0].ok);
    CHECK(result.exports[0].attempts == 1);
    CHECK(result.exports[0].message.find("TLS certificate was refused") != std::string::npos);
    std::lock_guard lock(mutex);
    CHECK(requests == 0);  // nothing was sent to a server that could not prove who it is
}
