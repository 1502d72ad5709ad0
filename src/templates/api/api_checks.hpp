// The requests of the api template as the configuration gives them, and what a response must be:
// a status, JSON fields by JSON pointer, a JSON-schema subset (type, required, properties, items,
// enum), headers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "templates/api/api_session.hpp"

namespace autograder::templates {

struct ResponseExpectations {
    std::optional<int> status;
    std::vector<std::pair<std::string, nlohmann::json>> json_fields;  // JSON pointer → expected value
    std::optional<nlohmann::json> json_schema;
    HeaderList headers;  // name → expected value ("*": present with any value)
};

struct ApiRequest {
    std::string name;
    HttpRequestSpec http;
    ResponseExpectations expect;
    double weight = 1;
};

// The keys a request object may have (the `requests` of http_scenario; the flat parameters of
// http_request).
const std::vector<std::string>& request_keys();

// Reads one request object; throws std::invalid_argument with a message that starts with `where`
// ("requests[2].status: ...") for a malformed one.
ApiRequest parse_api_request(const nlohmann::json& object, const std::string& where);

// `key` as one token of a JSON pointer ("a/b" → "a~1b").
std::string json_pointer_token(std::string_view key);

// What is wrong with a response (empty: it is as expected), one sentence each in `locale`.
std::vector<std::string> response_failures(Locale locale, const HttpResponse& response,
                                           const ResponseExpectations& expect);

// "POST /items → 201 Created, 57 bytes" and the (shortened) body, for reports.
std::string describe_exchange(Locale locale, const HttpRequestSpec& request, const HttpResponse& response);

}  // namespace autograder::templates
