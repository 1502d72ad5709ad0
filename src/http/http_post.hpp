// One HTTP(S) POST made by the engine (webhook exports, the AI model's endpoint), with every
// time-out set to what is left of the caller's budget, no redirects followed, the answer's size
// bounded, and the failure classified for retries.
//
// The request itself is made by libautograder-http.so (cpp-httplib and its OpenSSL support,
// server certificates verified), which the engine loads on the first POST (http_module.cpp):
// cpp-httplib initialises OpenSSL when it is loaded, which would cost every process that links
// the engine, `autograder run` included, about 4 ms at start.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace autograder::http {

struct SplitUrl {
    std::string scheme_host_port;  // "https://example.org:8443"
    std::string path;              // "/hooks/grades?course=1" (never empty; no fragment)
};
// `url` has a scheme ("http://..." or "https://...").
SplitUrl split_url(const std::string& url);

// Request headers, in the order they are sent (a name may repeat).
using Headers = std::vector<std::pair<std::string, std::string>>;

struct PostResult {
    bool answered = false;  // an HTTP answer came back (whatever its status)
    int status = 0;
    std::string body;
    std::string retry_after;  // the Retry-After header, when the answer had one
    // When not answered: what went wrong, and whether another attempt may do better (a refused or
    // broken connection, a time-out; never a TLS certificate that does not verify, nor a missing
    // libautograder-http.so).
    std::string problem;
    bool retryable = false;
};

// An answer whose body is larger than this is cut off and refused: a server that sends garbage
// without end costs a bounded amount of memory.
inline constexpr std::size_t kMaxAnswerBytes = 4u << 20;

PostResult post(const SplitUrl& url, const std::string& body, const std::string& content_type, const Headers& headers,
                std::chrono::milliseconds timeout);

// SHA-256 of `text` (HMAC-SHA256 keyed by `key` when given), lowercase hex, computed by the same
// module. Throws std::runtime_error saying why when the module is missing or OpenSSL failed.
std::string sha256_hex(const std::string& text, const std::string* key = nullptr);

// At most `limit` bytes of `text`, printable ASCII only (a server's answer put into a message).
std::string printable_excerpt(const std::string& text, std::size_t limit = 200);

}  // namespace autograder::http
