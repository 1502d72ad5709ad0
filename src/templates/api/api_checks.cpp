#include "templates/api/api_checks.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "templates/localized.hpp"
#include "templates/program_runs.hpp"
#include "text/utf8.hpp"

namespace autograder::templates {
namespace {

constexpr std::size_t kMaxFailuresShown = 10;
const std::set<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
const std::set<std::string> kSchemaTypes = {"object", "array", "string", "number", "integer", "boolean", "null"};
const std::set<std::string> kSchemaKeys = {"type", "required", "properties", "items", "enum", "title", "description"};

[[noreturn]] void fail(const std::string& where, const std::string& message) {
    throw std::invalid_argument(where + ": " + message);
}

bool is_token(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string::npos;
    });
}

bool is_header_value(std::string_view value) {
    return std::all_of(value.begin(), value.end(),
                       [](unsigned char c) { return c == '\t' || (c >= 0x20 && c < 0x7f); });
}

HeaderList parse_headers(const nlohmann::json& value, const std::string& where) {
    if (!value.is_object()) fail(where, "must be an object of header names and text values");
    HeaderList headers;
    for (const auto& [name, header_value] : value.items()) {
        if (!is_token(name)) fail(where, "'" + name + "' is not a valid header name");
        if (!header_value.is_string() || !is_header_value(header_value.get<std::string>()))
            fail(where + "." + name, "must be text of printable ASCII characters");
        headers.emplace_back(name, header_value.get<std::string>());
    }
    return headers;
}

void check_schema(const nlohmann::json& schema, const std::string& where) {
    if (!schema.is_object()) fail(where, "a schema must be an object");
    for (const auto& [key, value] : schema.items()) {
        if (!kSchemaKeys.contains(key))
            fail(where, "'" + key + "' is not supported (type, required, properties, items, enum)");
        const std::string here = where + "." + key;
        if (key == "type") {
            std::vector<nlohmann::json> names =
                value.is_array() ? value.get<std::vector<nlohmann::json>>() : std::vector<nlohmann::json>{value};
            if (names.empty()) fail(here, "must name at least one type");
            for (const auto& name : names)
                if (!name.is_string() || !kSchemaTypes.contains(name.get<std::string>()))
                    fail(here, "must be one of object, array, string, number, integer, boolean, null (or a list)");
        } else if (key == "required") {
            if (!value.is_array() ||
                !std::all_of(value.begin(), value.end(), [](const auto& v) { return v.is_string(); }))
                fail(here, "must be a list of property names");
        } else if (key == "properties") {
            if (!value.is_object()) fail(here, "must be an object of schemas");
            for (const auto& [property, sub] : value.items()) check_schema(sub, here + "." + property);
        } else if (key == "items") {
            check_schema(value, here);
        } else if (key == "enum") {
            if (!value.is_array() || value.empty()) fail(here, "must be a non-empty list of values");
        }
    }
}

bool has_type(const nlohmann::json& value, const std::string& type) {
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "number") return value.is_number();
    if (type == "boolean") return value.is_boolean();
    if (type == "null") return value.is_null();
    if (type == "integer") {
        if (value.is_number_integer()) return true;
        if (!value.is_number_float()) return false;
        const double d = value.get<double>();
        return std::isfinite(d) && std::floor(d) == d;
    }
    return false;
}

std::string type_name(Locale locale, const nlohmann::json& value) {
    if (value.is_number_integer()) return localized(locale, "an integer");
    if (value.is_number()) return localized(locale, "a number");
    if (value.is_string()) return localized(locale, "a string");
    if (value.is_boolean()) return localized(locale, "a boolean");
    if (value.is_array()) return localized(locale, "a list");
    if (value.is_object()) return localized(locale, "an object");
    return "null";
}

std::string shown(const nlohmann::json& value) {
    std::string text = text::json_text(value);
    if (text.size() > 200) text = std::string(text::utf8_prefix(text, 200)) + "…";
    return text;
}

std::string pointer_label(Locale locale, const std::string& pointer) {
    return pointer.empty() ? localized(locale, "the whole body") : pointer;
}

void validate(Locale locale, const nlohmann::json& value, const nlohmann::json& schema, const std::string& pointer,
              std::vector<std::string>& failures, int depth = 0) {
    if (failures.size() > kMaxFailuresShown || depth > 64) return;
    if (const auto type = schema.find("type"); type != schema.end()) {
        std::vector<std::string> names = type->is_array() ? type->get<std::vector<std::string>>()
                                                          : std::vector<std::string>{type->get<std::string>()};
        if (std::none_of(names.begin(), names.end(), [&](const std::string& name) { return has_type(value, name); })) {
            const std::string expected = names.size() == 1 ? names[0] : localized(locale, "one of {}", shown(*type));
            failures.push_back(localized(locale, "{}: expected {}, got {}", pointer_label(locale, pointer), expected,
                                         type_name(locale, value)));
            return;
        }
    }
    if (const auto choices = schema.find("enum"); choices != schema.end())
        if (std::find(choices->begin(), choices->end(), value) == choices->end())
            failures.push_back(localized(locale, "{}: {} is not one of {}", pointer_label(locale, pointer),
                                         shown(value), shown(*choices)));
    if (value.is_object()) {
        if (const auto required = schema.find("required"); required != schema.end())
            for (const auto& key : *required)
                if (!value.contains(key.get<std::string>()))
                    failures.push_back(localized(locale, "{}: the property \"{}\" is missing",
                                                 pointer_label(locale, pointer), key.get<std::string>()));
        if (const auto properties = schema.find("properties"); properties != schema.end())
            for (const auto& [key, sub] : properties->items())
                if (value.contains(key))
                    validate(locale, value[key], sub, pointer + "/" + json_pointer_token(key), failures, depth + 1);
    }
    if (value.is_array())
        if (const auto items = schema.find("items"); items != schema.end())
            for (std::size_t i = 0; i < value.size(); ++i)
                validate(locale, value[i], *items, pointer + "/" + std::to_string(i), failures, depth + 1);
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

bool header_matches(const std::string& actual, const std::string& expected) {
    if (expected == "*") return true;
    const std::string value = lower(trimmed(actual));
    const std::string want = lower(trimmed(expected));
    // "application/json" accepts "application/json; charset=utf-8".
    return value == want || trimmed(value.substr(0, value.find(';'))) == want;
}

}  // namespace

std::string json_pointer_token(std::string_view key) {
    std::string token;
    for (char c : key) token += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    return token;
}

const std::vector<std::string>& request_keys() {
    static const std::vector<std::string> keys = {
        "name",   "method",        "path",        "headers",          "body",
        "status", "expected_json", "json_schema", "expected_headers", "weight"};
    return keys;
}

ApiRequest parse_api_request(const nlohmann::json& object, const std::string& where) {
    if (!object.is_object()) fail(where, "a request must be an object");
    ApiRequest request;
    bool json_body = false;
    for (const auto& [key, value] : object.items()) {
        const std::string here = where + "." + key;
        if (std::find(request_keys().begin(), request_keys().end(), key) == request_keys().end())
            fail(where,
                 "'" + key + "' is not a request key (" + fmt::format("{}", fmt::join(request_keys(), ", ")) + ")");
        if (value.is_null()) continue;
        if (key == "name") {
            if (!value.is_string()) fail(here, "must be text");
            request.name = value.get<std::string>();
        } else if (key == "method") {
            if (!value.is_string() || !kMethods.contains(value.get<std::string>()))
                fail(here, "must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS");
            request.http.method = value.get<std::string>();
        } else if (key == "path") {
            const std::string path = value.is_string() ? value.get<std::string>() : "";
            if (path.empty() || path[0] != '/' || path.size() > 2000 ||
                std::any_of(path.begin(), path.end(), [](unsigned char c) { return c <= 0x20 || c >= 0x7f; }))
                fail(here, "must start with '/' and hold no spaces or control characters (percent-encode them)");
            request.http.path = path;
        } else if (key == "headers") {
            request.http.headers = parse_headers(value, here);
        } else if (key == "body") {
            // Text is sent as it is; any other JSON value is sent as JSON.
            request.http.body = value.is_string() ? value.get<std::string>() : text::json_text(value);
            if (request.http.body->size() > (1u << 20)) fail(here, "must be at most 1 MiB");
            json_body = !value.is_string();
        } else if (key == "status") {
            if (!value.is_number_integer() || value.get<int64_t>() < 100 || value.get<int64_t>() > 599)
                fail(here, "must be an HTTP status code (100 to 599)");
            request.expect.status = value.get<int>();
        } else if (key == "expected_json") {
            if (!value.is_object()) fail(here, "must be an object of JSON pointers (\"/items/0/name\") and values");
            for (const auto& [pointer, expected] : value.items()) {
                try {
                    (void)nlohmann::json::json_pointer(pointer);
                } catch (const std::exception&) {
                    fail(here, "'" + pointer + "' is not a JSON pointer (\"\" or \"/key/0/other\")");
                }
                request.expect.json_fields.emplace_back(pointer, expected);
            }
        } else if (key == "json_schema") {
            check_schema(value, here);
            request.expect.json_schema = value;
        } else if (key == "expected_headers") {
            request.expect.headers = parse_headers(value, here);
        } else if (key == "weight") {
            if (!value.is_number() || !(value.get<double>() >= 0) || !std::isfinite(value.get<double>()))
                fail(here, "must be a number >= 0");
            request.weight = value.get<double>();
        }
    }
    if (json_body && std::none_of(request.http.headers.begin(), request.http.headers.end(),
                                  [](const auto& header) { return lower(header.first) == "content-type"; }))
        request.http.headers.emplace_back("Content-Type", "application/json");
    if (request.name.empty()) request.name = request.http.method + " " + request.http.path;
    return request;
}

std::vector<std::string> response_failures(Locale locale, const HttpResponse& response,
                                           const ResponseExpectations& expect) {
    std::vector<std::string> failures;
    if (!response.error.empty()) return {localized(locale, "no response: {}", response.error)};
    if (expect.status && response.status != *expect.status)
        failures.push_back(localized(locale, "expected status {}, got {}", *expect.status, response.status));
    for (const auto& [name, expected] : expect.headers) {
        const std::string wanted = lower(name);  // clang 14 cannot capture a structured binding
        auto found = std::find_if(response.headers.begin(), response.headers.end(),
                                  [&](const auto& header) { return header.first == wanted; });
        if (found == response.headers.end())
            failures.push_back(localized(locale, "the header {} is missing", name));
        else if (!header_matches(found->second, expected))
            failures.push_back(localized(locale, "the header {} is \"{}\", expected \"{}\"", name,
                                         text::utf8_prefix(found->second, 200), expected));
    }
    if (expect.json_fields.empty() && !expect.json_schema) return failures;
    if (response.body_truncated) {
        failures.push_back(
            localized(locale, "the body is larger than {} KiB, too large to check", kMaxResponseBodyBytes >> 10));
        return failures;
    }
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(response.body);
    } catch (const std::exception&) {
        failures.push_back(localized(locale, "the body is not valid JSON"));
        return failures;
    }
    for (const auto& [pointer, expected] : expect.json_fields) {
        const nlohmann::json::json_pointer where(pointer);
        bool present = false;
        try {
            present = document.contains(where);
        } catch (const std::exception&) {
        }
        if (!present)
            failures.push_back(
                localized(locale, "{}: no value there (expected {})", pointer_label(locale, pointer), shown(expected)));
        else if (document.at(where) != expected)
            failures.push_back(localized(locale, "{}: expected {}, got {}", pointer_label(locale, pointer),
                                         shown(expected), shown(document.at(where))));
    }
    if (expect.json_schema) validate(locale, document, *expect.json_schema, "", failures);
    if (failures.size() > kMaxFailuresShown) {
        failures.resize(kMaxFailuresShown);
        failures.push_back("…");
    }
    return failures;
}

std::string describe_exchange(Locale locale, const HttpRequestSpec& request, const HttpResponse& response) {
    const std::string sent = fmt::format("`{} {}`", request.method, text::utf8_prefix(request.path, 200));
    if (!response.error.empty()) return localized(locale, "{}: no response ({})\n", sent, response.error);
    const std::string answer =
        fmt::format("{} → {} {}", sent, response.status, text::utf8_prefix(response.reason, 100));
    if (response.body.empty()) return localized(locale, "{}, empty body\n", answer);
    if (response.body_truncated)
        return localized(locale, "{}, body cut at {} KiB:\n{}", answer, kMaxResponseBodyBytes >> 10,
                         fenced(response.body, 600));
    return answer + ":\n" + fenced(response.body, 600);
}

}  // namespace autograder::templates
