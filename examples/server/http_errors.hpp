// Every error answer of the server has one shape:
//   {"detail": "what is wrong", "field": "files[2].filename", "errors": [{"field", "message"}]}
// `field` names the JSON path (or query parameter, or header) at fault when there is one;
// `errors` lists every problem of a 422. Handlers throw ApiError; the router writes it.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "autograder/store.hpp"

namespace autograder::server {

struct FieldProblem {
    std::string field;
    std::string message;
};

class ApiError : public std::runtime_error {
public:
    ApiError(int status, const std::string& detail, std::string field = {});
    // 422 with every problem; `detail` is the first one's message (or a count).
    static ApiError validation(std::vector<FieldProblem> problems);

    int status() const noexcept { return status_; }
    const std::string& field() const noexcept { return field_; }
    const std::vector<FieldProblem>& problems() const noexcept { return problems_; }
    // Added to the body (e.g. the existing execution of a 409).
    ApiError& with(const std::string& key, nlohmann::json value);
    ApiError& with_header(const std::string& name, const std::string& value);

    nlohmann::json body() const;
    const std::map<std::string, std::string>& headers() const noexcept { return headers_; }

private:
    int status_;
    std::string field_;
    std::vector<FieldProblem> problems_;
    nlohmann::json extra_ = nlohmann::json::object();
    std::map<std::string, std::string> headers_;
};

// JSON text that never throws: bytes that are not UTF-8 become U+FFFD.
std::string json_text(const nlohmann::json& value);
void send_json(httplib::Response& response, int status, const nlohmann::json& body);
void send_error(httplib::Response& response, const ApiError& error);
// A StoreError as the answer it means: not_found 404, conflict 409, busy 503 (Retry-After),
// else 500.
ApiError api_error_of(const StoreError& error);
// The reason phrase's sentence for a status the server answers without a handler's detail.
std::string default_detail(int status);

}  // namespace autograder::server
