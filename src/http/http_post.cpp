#include "http/http_post.hpp"

#include <cstdint>

#include <fmt/format.h>

namespace autograder::http {

SplitUrl split_url(const std::string& url) {
    const auto scheme_end = url.find("://");
    const auto authority_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
    const auto path_start = url.find_first_of("/?#", authority_start);
    if (path_start == std::string::npos) return {url, "/"};
    std::string path = url.substr(path_start);
    path = path.substr(0, path.find('#'));
    if (path.empty() || path[0] != '/') path.insert(0, "/");
    return {url.substr(0, path_start), path};
}

PostResult post(const SplitUrl& url, const std::string& body, const std::string& content_type,
                const httplib::Headers& headers, std::chrono::milliseconds timeout) {
    PostResult result;
    httplib::Client client(url.scheme_host_port);
    if (!client.is_valid()) {
        result.problem = "not a usable URL";
        return result;
    }
    const auto seconds = static_cast<time_t>(timeout.count() / 1000);
    const auto microseconds = static_cast<time_t>(timeout.count() % 1000 * 1000);
    client.set_connection_timeout(seconds, microseconds);
    client.set_read_timeout(seconds, microseconds);
    client.set_write_timeout(seconds, microseconds);
    client.set_follow_location(false);
    client.set_keep_alive(false);
    httplib::Request request;
    request.method = "POST";
    request.path = url.path;
    request.headers = headers;
    request.headers.emplace("Content-Type", content_type);
    request.body = body;
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
        return result;
    }
    if (!response) {
        const auto error = response.error();
        if (error == httplib::Error::SSLServerVerification || error == httplib::Error::SSLLoadingCerts) {
            // A certificate that does not verify will not verify on retry either.
            result.problem = fmt::format("the server's TLS certificate was refused ({})", httplib::to_string(error));
            return result;
        }
        const bool no_answer = error == httplib::Error::Read || error == httplib::Error::Write;
        result.problem = no_answer ? fmt::format("no answer within the time-out ({})", httplib::to_string(error))
                                   : fmt::format("could not connect ({})", httplib::to_string(error));
        result.retryable = true;
        return result;
    }
    result.answered = true;
    result.status = response->status;
    result.body = std::move(answer_body);
    result.retry_after = response->get_header_value("Retry-After");
    return result;
}

std::string printable_excerpt(const std::string& text, std::size_t limit) {
    std::string excerpt;
    for (char c : text.substr(0, limit)) excerpt += c >= ' ' && c <= '~' ? c : ' ';
    return excerpt;
}

}  // namespace autograder::http
