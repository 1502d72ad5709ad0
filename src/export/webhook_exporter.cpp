// webhook: an HTTP(S) POST of the result JSON (cpp-httplib; HTTPS through its OpenSSL support,
// server certificates verified), signed so the receiver knows it came from us and is fresh:
//   X-Autograder-Signature: sha256=<hex HMAC-SHA256 of the body, keyed by the secret>
//   X-Autograder-Timestamp: <Unix seconds>, also the body's "exported_at" (so the signature covers it)
//   X-Autograder-Delivery:  one id per result, the same on every attempt (for receivers that deduplicate)
// 2xx is delivered; 5xx, a refused or broken connection and a time-out are tried again; anything
// else (4xx, a redirect) is final.
#include <openssl/rand.h>

#include <cstdlib>

#include <fmt/format.h>
#include <httplib.h>

#include "export/delivery.hpp"
#include "export/exporters.hpp"

namespace autograder::exporting {
namespace {

struct SplitUrl {
    std::string scheme_host_port;  // "https://example.org:8443"
    std::string path;              // "/hooks/grades?course=1"
};

SplitUrl split_url(const std::string& url) {
    const auto authority_start = url.find("://") + 3;
    const auto path_start = url.find_first_of("/?#", authority_start);
    if (path_start == std::string::npos) return {url, "/"};
    std::string path = url.substr(path_start);
    path = path.substr(0, path.find('#'));
    if (path.empty() || path[0] != '/') path.insert(0, "/");
    return {url.substr(0, path_start), path};
}

std::string delivery_id() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) return "unavailable";
    std::string id;
    for (unsigned char byte : bytes) id += fmt::format("{:02x}", byte);
    return id;
}

class WebhookExporter final : public Exporter {
public:
    explicit WebhookExporter(ExporterConfig config) : config_(std::move(config)), url_(split_url(config_.target)) {}

    ExportOutcome deliver(const ExportDocument& document) const override {
        const char* secret = std::getenv(config_.secret_env.c_str());
        if (secret == nullptr || *secret == '\0') {
            ExportOutcome outcome{"webhook", config_.target, false, 0, {}};
            outcome.message = fmt::format("not sent: the environment variable {} (the webhook's secret) is not set",
                                          config_.secret_env);
            return outcome;
        }
        httplib::Headers headers{
            {"User-Agent", "autograder"},
            {"X-Autograder-Timestamp", std::to_string(document.exported_at)},
            {"X-Autograder-Signature", "sha256=" + hmac_sha256_hex(secret, document.body)},
            {"X-Autograder-Delivery", delivery_id()},
        };
        int attempt_number = 0;
        return exporting::deliver(config_, [&](std::chrono::milliseconds remaining) {
            auto attempt_headers = headers;
            attempt_headers.emplace("X-Autograder-Attempt", std::to_string(++attempt_number));
            return post(document.body, attempt_headers, remaining);
        });
    }

private:
    AttemptResult post(const std::string& body, const httplib::Headers& headers,
                       std::chrono::milliseconds remaining) const {
        httplib::Client client(url_.scheme_host_port);
        if (!client.is_valid()) return {false, false, "not a usable URL"};
        const auto seconds = static_cast<time_t>(remaining.count() / 1000);
        const auto microseconds = static_cast<time_t>(remaining.count() % 1000 * 1000);
        client.set_connection_timeout(seconds, microseconds);
        client.set_read_timeout(seconds, microseconds);
        client.set_write_timeout(seconds, microseconds);
        client.set_follow_location(false);
        client.set_keep_alive(false);
        auto response = client.Post(url_.path, headers, body, "application/json");
        if (!response) {
            const auto error = response.error();
            if (error == httplib::Error::SSLServerVerification || error == httplib::Error::SSLLoadingCerts)
                return {false, false,  // a certificate that does not verify will not verify on retry either
                        fmt::format("the server's TLS certificate was refused ({})", httplib::to_string(error))};
            const bool no_answer = error == httplib::Error::Read || error == httplib::Error::Write;
            return {false, true,
                    no_answer ? fmt::format("no answer within the time-out ({})", httplib::to_string(error))
                              : fmt::format("could not connect ({})", httplib::to_string(error))};
        }
        const int status = response->status;
        if (status >= 200 && status < 300) return {true, false, fmt::format("HTTP {}", status)};
        // The receiver's answer goes into the result JSON: printable ASCII only, and short.
        std::string answer;
        for (char c : response->body.substr(0, 200)) answer += c >= ' ' && c <= '~' ? c : ' ';
        return {false, status >= 500, fmt::format("HTTP {}{}{}", status, answer.empty() ? "" : ": ", answer)};
    }

    ExporterConfig config_;
    SplitUrl url_;
};

}  // namespace

std::unique_ptr<Exporter> make_webhook_exporter(const ExporterConfig& config) {
    return std::make_unique<WebhookExporter>(config);
}

}  // namespace autograder::exporting
