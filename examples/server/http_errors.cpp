#include "http_errors.hpp"

namespace autograder::server {

ApiError::ApiError(int status, const std::string& detail, std::string field)
    : std::runtime_error(detail), status_(status), field_(std::move(field)) {}

ApiError ApiError::validation(std::vector<FieldProblem> problems) {
    std::string detail = problems.empty() ? "the request is invalid" : problems.front().message;
    if (problems.size() > 1) detail += " (and " + std::to_string(problems.size() - 1) + " more problems)";
    ApiError error(422, detail, problems.empty() ? std::string() : problems.front().field);
    error.problems_ = std::move(problems);
    return error;
}

ApiError& ApiError::with(const std::string& key, nlohmann::json value) {
    extra_[key] = std::move(value);
    return *this;
}

ApiError& ApiError::with_header(const std::string& name, const std::string& value) {
    headers_[name] = value;
    return *this;
}

nlohmann::json ApiError::body() const {
    nlohmann::json body = {{"detail", what()}};
    if (!field_.empty()) body["field"] = field_;
    if (!problems_.empty()) {
        body["errors"] = nlohmann::json::array();
        for (const auto& problem : problems_)
            body["errors"].push_back({{"field", problem.field}, {"message", problem.message}});
    }
    for (const auto& [key, value] : extra_.items()) body[key] = value;
    return body;
}

std::string json_text(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void send_json(httplib::Response& response, int status, const nlohmann::json& body) {
    response.status = status;
    response.set_content(json_text(body), "application/json");
}

void send_error(httplib::Response& response, const ApiError& error) {
    for (const auto& [name, value] : error.headers()) response.set_header(name, value);
    send_json(response, error.status(), error.body());
}

ApiError api_error_of(const StoreError& error) {
    switch (error.kind()) {
        case StoreError::Kind::not_found:
            return ApiError(404, error.what());
        case StoreError::Kind::conflict:
            return ApiError(409, error.what());
        case StoreError::Kind::busy:
            return ApiError(503, "the database is busy; try again").with_header("Retry-After", "1");
        default:
            throw error;  // a real failure: the router's 500, logged with the request id
    }
}

std::string default_detail(int status) {
    switch (status) {
        case 400:
            return "the request could not be read";
        case 401:
            return "missing or wrong bearer token";
        case 404:
            return "not found";
        case 405:
            return "method not allowed";
        case 413:
            return "the request body is larger than the server accepts";
        case 414:
            return "the request URI is too long";
        case 431:
            return "the request headers are too large";
        case 503:
            return "the server is not ready";
        default:
            return status >= 500 ? "internal server error" : "the request was refused";
    }
}

}  // namespace autograder::server
