// webhook: an HTTP(S) POST of the result JSON (libautograder-http.so: cpp-httplib, HTTPS through OpenSSL,
// server certificates verified), signed so the receiver knows it came from us and is fresh:
//   X-Autograder-Signature: sha256=<hex HMAC-SHA256 of the body, keyed by the secret>
//   X-Autograder-Timestamp: <Unix seconds>, also the body's "exported_at" (so the signature covers it)
//   X-Autograder-Delivery:  one id per result, the same on every attempt (for receivers that deduplicate)
// 2xx is delivered; 5xx, a refused or broken connection and a time-out are tried again; anything
// else (4xx, a redirect) is final.
#include <sys/random.h>

#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>

#include "export/delivery.hpp"
#include "export/exporters.hpp"
#include "http/http_post.hpp"

namespace autograder::exporting {
namespace {

std::string delivery_id() {
    unsigned char bytes[16];
    if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) return "unavailable";
    std::string id;
    for (unsigned char byte : bytes) id += fmt::format("{:02x}", byte);
    return id;
}

class WebhookExporter final : public Exporter {
public:
    explicit WebhookExporter(ExporterConfig config)
        : config_(std::move(config)), url_(http::split_url(config_.target)) {}

    ExportOutcome deliver(const ExportDocument& document) const override {
        const char* secret = std::getenv(config_.secret_env.c_str());
        if (secret == nullptr || *secret == '\0') {
            ExportOutcome outcome{"webhook", config_.target, false, 0, {}};
            outcome.message = fmt::format("not sent: the environment variable {} (the webhook's secret) is not set",
                                          config_.secret_env);
            return outcome;
        }
        std::string signature;
        try {
            const std::string key = secret;
            signature = http::sha256_hex(document.body, &key);  // HMAC-SHA256, by libautograder-http.so
        } catch (const std::runtime_error& e) {
            ExportOutcome outcome{"webhook", config_.target, false, 0, {}};
            outcome.message = std::string("not sent: ") + e.what();
            return outcome;
        }
        http::Headers headers{
            {"User-Agent", "autograder"},
            {"X-Autograder-Timestamp", std::to_string(document.exported_at)},
            {"X-Autograder-Signature", "sha256=" + signature},
            {"X-Autograder-Delivery", delivery_id()},
        };
        int attempt_number = 0;
        return exporting::deliver(config_, [&](std::chrono::milliseconds remaining) {
            auto attempt_headers = headers;
            attempt_headers.emplace_back("X-Autograder-Attempt", std::to_string(++attempt_number));
            return post(document.body, attempt_headers, remaining);
        });
    }

private:
    AttemptResult post(const std::string& body, const http::Headers& headers,
                       std::chrono::milliseconds remaining) const {
        const auto answer = http::post(url_, body, "application/json", headers, remaining);
        if (!answer.answered) return {false, answer.retryable, answer.problem};
        const int status = answer.status;
        if (status >= 200 && status < 300) return {true, false, fmt::format("HTTP {}", status)};
        // The receiver's answer goes into the result JSON: printable ASCII only, and short.
        const std::string excerpt = http::printable_excerpt(answer.body);
        return {false, status >= 500, fmt::format("HTTP {}{}{}", status, excerpt.empty() ? "" : ": ", excerpt)};
    }

    ExporterConfig config_;
    http::SplitUrl url_;
};

}  // namespace

std::unique_ptr<Exporter> make_webhook_exporter(const ExporterConfig& config) {
    return std::make_unique<WebhookExporter>(config);
}

}  // namespace autograder::exporting
