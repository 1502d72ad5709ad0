// libautograder-http.so: the engine's HTTP(S) POST on cpp-httplib, and the SHA-256 digests its
// requests carry (webhook signatures, the AI cache's keys) on OpenSSL, loaded by the engine when
// it first needs either (see http_post.hpp for why it is a module of its own).
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <exception>

#include <fmt/format.h>
#include <httplib.h>

#include "http/http_module.hpp"

namespace autograder::http {
namespace {

void post_with_httplib(const PostCall& call, PostResult& result) {
    httplib::Client client(call.url->scheme_host_port);
    if (!client.is_valid()) {
        result.problem = "not a usable URL";
        return;
    }
    const auto seconds = static_cast<time_t>(call.timeout.count() / 1000);
    const auto microseconds = static_cast<time_t>(call.timeout.count() % 1000 * 1000);
    client.set_connection_timeout(seconds, microseconds);
    client.set_read_timeout(seconds, microseconds);
    client.set_write_timeout(seconds, microseconds);
    client.set_follow_location(false);
    client.set_keep_alive(false);
    httplib::Request request;
    request.method = "POST";
    request.path = call.url->path;
    for (const auto& [name, value] : *call.headers) request.headers.emplace(name, value);
    request.headers.emplace("Content-Type", *call.content_type);
    request.body = *call.body;
    std::string answer_body;
    bool too_large = false;
    request.content_receiver = [&](const char* data, std::size_t length, std::uint64_t, std::uint64_t) {
        if (answer_body.size() + length > kMaxAnswerBytes) {
            too_large = true;
            return false;
        }
        answer_body.append(data, length);
        return true;
    };
    auto response = client.send(request);
    if (too_large) {
        result.problem = fmt::format("the answer is larger than {} bytes", kMaxAnswerBytes);
        return;
    }
    if (!response) {
        const auto error = response.error();
        if (error == httplib::Error::SSLServerVerification || error == httplib::Error::SSLLoadingCerts) {
            // A certificate that does not verify will not verify on retry either.
            result.problem = fmt::format("the server's TLS certificate was refused ({})", httplib::to_string(error));
            return;
        }
        const bool no_answer = error == httplib::Error::Read || error == httplib::Error::Write;
        result.problem = no_answer ? fmt::format("no answer within the time-out ({})", httplib::to_string(error))
                                   : fmt::format("could not connect ({})", httplib::to_string(error));
        result.retryable = true;
        return;
    }
    result.answered = true;
    result.status = response->status;
    result.body = std::move(answer_body);
    result.retry_after = response->get_header_value("Retry-After");
}

}  // namespace
}  // namespace autograder::http

extern "C" __attribute__((visibility("default"))) void autograder_http_post(const autograder::http::PostCall* call,
                                                                            autograder::http::PostResult* result) {
    try {
        autograder::http::post_with_httplib(*call, *result);
    } catch (const std::exception& e) {
        *result = {};
        result->problem = std::string("the HTTP request failed: ") + e.what();
    }
}

extern "C" __attribute__((visibility("default"))) bool autograder_http_sha256_hex(const std::string* key,
                                                                                  const std::string* text,
                                                                                  std::string* hex) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(text->data());
    const bool done = key != nullptr ? HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()), data,
                                            text->size(), digest, &length) != nullptr
                                     : EVP_Digest(data, text->size(), digest, &length, EVP_sha256(), nullptr) == 1;
    if (!done) return false;
    static constexpr char kHex[] = "0123456789abcdef";
    hex->clear();
    for (unsigned int i = 0; i < length; ++i) {
        hex->push_back(kHex[digest[i] >> 4]);
        hex->push_back(kHex[digest[i] & 15]);
    }
    return true;
}

extern "C" __attribute__((visibility("default"))) const char* autograder_http_build_stamp() {
    static const std::string stamp = autograder::http::build_stamp(AUTOGRADER_VERSION);
    return stamp.c_str();
}
