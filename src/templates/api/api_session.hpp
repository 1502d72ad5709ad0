// One session with the student's server for the api template. The sandbox runs one program at a
// time, so the engine cannot start the server in one run and talk to it from another: one run of a
// small runner (Python's standard library, present in every sandbox under /usr) starts the server
// as its child, waits until the port answers, sends the requests from inside the sandbox's network
// namespace (loopback only), stops every process of the student's, and reports the responses.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "autograder/feedback.hpp"
#include "autograder/templates.hpp"

namespace autograder::templates {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequestSpec {
    std::string method = "GET";
    std::string path = "/";
    HeaderList headers;
    std::optional<std::string> body;
};

struct HttpResponse {
    std::string error;  // empty when a response came; otherwise why none did (in the grading's language)
    int status = 0;
    std::string reason;
    HeaderList headers;  // names in lower case, in the order received
    std::string body;    // at most kMaxResponseBodyBytes (UTF-8, invalid bytes replaced)
    bool body_truncated = false;
};

struct ApiSession {
    RunReport run;
    // Empty when the server answered on its port and the requests were sent; otherwise why not
    // (the server never listened, crashed at start, the run was cut short), in the grading's language.
    std::string problem;
    std::vector<HttpResponse> responses;  // one per request, in order (when `problem` is empty)
    std::string server_output;            // the server's stdout and stderr, merged, at most 64 KiB kept
    bool server_output_truncated = false;
    bool server_output_flooded = false;  // it printed so much that its output was closed
    std::optional<int> server_exit;      // exit status (or -signal) when the server ended before it was stopped
};

inline constexpr int64_t kMaxResponseBodyBytes = 256 << 10;
inline constexpr std::size_t kMaxRequestsPerTest = 50;

// The parameters of every api test: port, startup_timeout, request_timeout, program_command,
// time_limit, wall_time_limit, memory_limit.
std::vector<ParameterDoc> server_parameter_docs();

// Starts the server, sends `requests` in order on fresh connections, stops the server.
ApiSession run_api_session(const TestContext& context, const std::vector<HttpRequestSpec>& requests);

// A student-readable account of what the server printed and how it ended, for the reports.
std::string describe_server(Locale locale, const ApiSession& session);

}  // namespace autograder::templates
