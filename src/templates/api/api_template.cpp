// The api template: the student's HTTP server is started in the sandbox (loopback-only network)
// and sent the configuration's requests; each test starts a fresh server and stops it at the end,
// whatever happened. The reference engine's functions (health_check, check_status_code,
// check_response_json) keep their parameter names; http_request and http_scenario check status,
// JSON fields by pointer, a JSON-schema subset and headers.
#include <stdexcept>

#include <fmt/format.h>

#include "templates/api/api_checks.hpp"
#include "templates/api/api_session.hpp"
#include "templates/builtin_templates.hpp"
#include "templates/localized.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/program_runs.hpp"

namespace autograder::templates {
namespace {

std::string bulleted(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += "- " + line + "\n";
    return text;
}

// Common ground of the api functions: a sandbox with loopback networking, the server's
// parameters, requests built from the test's parameters and checked when the pipeline is made.
class ApiFunction : public TestFunction {
public:
    bool needs_sandbox() const override { return true; }
    bool needs_loopback_network() const override { return true; }
    bool parameters_complete() const override { return true; }

    std::vector<ParameterDoc> parameters() const final {
        auto docs = own_parameters();
        auto server = server_parameter_docs();
        docs.insert(docs.end(), server.begin(), server.end());
        return docs;
    }

    std::vector<ParameterProblem> check_parameters(const TestSpec& spec) const override {
        try {
            (void)requests_of(spec);
        } catch (const std::invalid_argument& error) {
            // "request.status: ..." from a flat request, and the reader's "parameter 'status' ...",
            // are reported at the parameter's own path.
            std::string parameter = problem_parameter();
            const std::string message = error.what();
            if (parameter.empty() && message.starts_with("request.")) {
                const std::string key = message.substr(8, message.find_first_of(":.", 8) - 8);
                if (spec.parameter(key)) parameter = key;
            }
            if (parameter.empty() && message.starts_with("parameter '")) {
                const std::string key = message.substr(11, message.find('\'', 11) - 11);
                if (spec.parameter(key)) parameter = key;
            }
            return {{parameter, message}};
        }
        return {};
    }

    TestOutcome run(const TestContext& context) const override {
        const Locale locale = locale_of(context);
        const auto requests = requests_of(context.spec);
        std::vector<HttpRequestSpec> http;
        for (const auto& request : requests) http.push_back(request.http);
        const ApiSession session = run_api_session(context, http);
        TestOutcome outcome;
        outcome.resources = resources_of(session.run);
        if (!session.problem.empty()) {
            outcome.report = localized(locale, "The server could not be tested: {}.\n{}", session.problem,
                                       describe_server(locale, session));
            if (as_cases())
                for (const auto& request : requests)
                    outcome.cases.push_back(
                        {request.name, request.weight, 0, localized(locale, "Not sent: {}.", session.problem)});
            return outcome;
        }
        std::size_t passed = 0;
        std::string details;
        for (std::size_t i = 0; i < requests.size(); ++i) {
            const auto failures = response_failures(locale, session.responses[i], requests[i].expect);
            const std::string exchange = describe_exchange(locale, requests[i].http, session.responses[i]);
            const std::string report = failures.empty()
                                           ? localized(locale, "Passed: {}", exchange)
                                           : localized(locale, "Failed:\n{}\n{}", bulleted(failures), exchange);
            passed += failures.empty();
            if (as_cases())
                outcome.cases.push_back({requests[i].name, requests[i].weight, failures.empty() ? 100.0 : 0.0, report});
            else
                details += report;
        }
        outcome.score = passed == requests.size() ? 100 : 0;
        outcome.report = as_cases()
                             ? localized(locale, "{} of {} requests answered as expected.\n", passed, requests.size())
                             : details;
        if (session.server_exit || passed != requests.size()) outcome.report += "\n" + describe_server(locale, session);
        return outcome;
    }

protected:
    virtual std::vector<ParameterDoc> own_parameters() const = 0;
    // The requests of one test; std::invalid_argument for a malformed configuration.
    virtual std::vector<ApiRequest> requests_of(const TestSpec& spec) const = 0;
    virtual std::string problem_parameter() const { return {}; }
    // Each request is a case of the result tree (http_scenario) rather than the test all or nothing.
    virtual bool as_cases() const { return false; }
};

// A status code given as 200 or "200"; null when absent.
nlohmann::json status_value(const ParameterReader& given, std::string_view name) {
    const auto status = given.integer(name);
    return status ? nlohmann::json(*status) : nlohmann::json();
}

ParameterDoc endpoint_doc() {
    return {"endpoint", "string", false, "the path requested, starting with '/' (default \"/\")"};
}

ParameterDoc body_doc() {
    return {"body", "json", false,
            "the request's body: text is sent as it is, any other JSON value is sent as JSON (with Content-Type: "
            "application/json unless headers say otherwise)"};
}

ParameterDoc method_doc() {
    return {"method",
            "string",
            false,
            "the HTTP method (default GET)",
            {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}};
}

class HealthCheck final : public ApiFunction {
public:
    std::string key() const override { return "health_check"; }
    std::string description() const override {
        return "Starts the student's server and requests `endpoint` with GET: 100 when it answers with status 200.";
    }

protected:
    std::vector<ParameterDoc> own_parameters() const override { return {endpoint_doc()}; }
    std::vector<ApiRequest> requests_of(const TestSpec& spec) const override {
        const ParameterReader given(spec, parameters());
        return {parse_api_request({{"path", given.text_or("endpoint", "/")}, {"status", 200}}, "endpoint")};
    }
};

class CheckStatusCode final : public ApiFunction {
public:
    std::string key() const override { return "check_status_code"; }
    std::string description() const override {
        return "Starts the student's server and sends one request: 100 when the answer has `expected_status`.";
    }

protected:
    std::vector<ParameterDoc> own_parameters() const override {
        ParameterDoc status{"expected_status", "integer", true, "the status code the answer must have"};
        status.minimum = 100;
        status.maximum = 599;
        ParameterDoc endpoint = endpoint_doc();
        endpoint.required = true;
        endpoint.description = "the path requested, starting with '/'";
        return {method_doc(), endpoint, body_doc(), status};
    }
    std::vector<ApiRequest> requests_of(const TestSpec& spec) const override {
        const ParameterReader given(spec, parameters());
        nlohmann::json request = {{"method", given.text_or("method", "GET")},
                                  {"path", given.text_or("endpoint", "/")},
                                  {"status", status_value(given, "expected_status")}};
        if (const auto* body = given.value("body")) request["body"] = *body;
        return {parse_api_request(request, "request")};
    }
};

class CheckResponseJson final : public ApiFunction {
public:
    std::string key() const override { return "check_response_json"; }
    std::string description() const override {
        return "Starts the student's server and requests `endpoint`: 100 when the JSON answer has `expected_value` "
               "under `expected_key` (a top-level key, or a JSON pointer such as \"/items/0/name\").";
    }

protected:
    std::vector<ParameterDoc> own_parameters() const override {
        ParameterDoc endpoint = endpoint_doc();
        endpoint.required = true;
        endpoint.description = "the path requested, starting with '/'";
        return {endpoint,
                {"expected_key", "string", true,
                 "a top-level key of the JSON answer, or a JSON pointer when it starts with '/'"},
                {"expected_value", "json", true, "the value expected there (compared as JSON: 2 equals 2.0)"},
                method_doc(),
                body_doc()};
    }
    std::vector<ApiRequest> requests_of(const TestSpec& spec) const override {
        const ParameterReader given(spec, parameters());
        const std::string key = given.required_text("expected_key", ParameterReader::Empty::refused);
        const std::string pointer = key[0] == '/' ? key : "/" + json_pointer_token(key);
        const nlohmann::json* expected = given.value("expected_value");
        nlohmann::json request = {{"method", given.text_or("method", "GET")},
                                  {"path", given.text_or("endpoint", "/")},
                                  {"expected_json", {{pointer, expected ? *expected : nlohmann::json()}}}};
        if (const auto* body = given.value("body")) request["body"] = *body;
        return {parse_api_request(request, "request")};
    }
};

std::vector<ParameterDoc> request_docs(bool path_required) {
    ParameterDoc path{"path", "string", path_required, "the path requested, starting with '/' (query string included)"};
    ParameterDoc status{"status", "integer", false, "the status code the answer must have"};
    status.minimum = 100;
    status.maximum = 599;
    return {method_doc(),
            path,
            {"headers", "object", false, "request headers: {\"Authorization\": \"Bearer x\"}"},
            body_doc(),
            status,
            {"expected_json", "object", false,
             "JSON pointers and the values expected there: {\"/items/0/name\": \"milk\", \"/count\": 1} (\"\" is the "
             "whole body)"},
            {"json_schema", "object", false,
             "a JSON schema the body must satisfy; supported: type (object, array, string, number, integer, boolean, "
             "null, or a list of them), required, properties, items, enum"},
            {"expected_headers", "object", false,
             "headers the answer must have: {\"Content-Type\": \"application/json\"}; names ignore case, a value "
             "matches with or without its ;-parameters, \"*\" accepts any value"}};
}

class HttpRequest final : public ApiFunction {
public:
    std::string key() const override { return "http_request"; }
    std::string description() const override {
        return "Starts the student's server and sends one request: 100 when the answer meets every expectation "
               "given (status, JSON fields, JSON schema, headers).";
    }

protected:
    std::vector<ParameterDoc> own_parameters() const override { return request_docs(true); }
    std::vector<ApiRequest> requests_of(const TestSpec& spec) const override {
        const ParameterReader given(spec, parameters());
        nlohmann::json request = nlohmann::json::object();
        for (const auto& doc : request_docs(true))
            if (const auto* value = given.value(doc.name)) request[doc.name] = *value;
        if (auto status = status_value(given, "status"); !status.is_null()) request["status"] = status;
        return {parse_api_request(request, "request")};
    }
};

class HttpScenario final : public ApiFunction {
public:
    std::string key() const override { return "http_scenario"; }
    std::string description() const override {
        return "Starts the student's server once and sends `requests` in order (state carries over: create, then "
               "read); each request is a case of the result, scored 100 when its answer meets every expectation.";
    }

protected:
    std::vector<ParameterDoc> own_parameters() const override {
        return {{"requests", "list", true,
                 "the requests, in order: objects with name (shown in the report), weight (default 1), method, path, "
                 "headers, body, status, expected_json, json_schema, expected_headers (as for http_request)"}};
    }
    std::string problem_parameter() const override { return "requests"; }
    bool as_cases() const override { return true; }
    std::vector<ApiRequest> requests_of(const TestSpec& spec) const override {
        const nlohmann::json* list = ParameterReader(spec, parameters()).value("requests");
        if (!list || !list->is_array() || list->empty())
            throw std::invalid_argument("requests: must be a list of at least one request");
        if (list->size() > kMaxRequestsPerTest)
            throw std::invalid_argument(fmt::format("requests: at most {} requests per test", kMaxRequestsPerTest));
        std::vector<ApiRequest> requests;
        for (std::size_t i = 0; i < list->size(); ++i) {
            const std::string where = fmt::format("requests[{}]", i);
            if ((*list)[i].is_object() && !(*list)[i].contains("path"))
                throw std::invalid_argument(where + ": a request needs a path");
            requests.push_back(parse_api_request((*list)[i], where));
        }
        return requests;
    }
};

}  // namespace

Template api_template() {
    Template t;
    t.name = "api";
    t.description =
        "Starts the student's HTTP server in the sandbox (loopback-only network) and checks its answers to the "
        "configuration's requests.";
    std::vector<std::shared_ptr<const TestFunction>> functions = {
        std::make_shared<HealthCheck>(), std::make_shared<CheckStatusCode>(), std::make_shared<CheckResponseJson>(),
        std::make_shared<HttpRequest>(), std::make_shared<HttpScenario>()};
    for (auto& function : functions) t.functions[function->key()] = function;
    return t;
}

}  // namespace autograder::templates
