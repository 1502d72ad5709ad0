// Reading a request's JSON body field by field: each problem (missing, wrong type, too long, out
// of range) is recorded with its JSON path, so one 422 answer lists them all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "http_errors.hpp"

namespace autograder::server {

class Problems {
public:
    void add(std::string field, std::string message);
    bool empty() const noexcept { return list_.empty(); }
    // ApiError::validation with every problem, when there is one.
    void throw_if_any() const;

private:
    std::vector<FieldProblem> list_;
};

// "parent.key" ("key" at the root) and "parent[3]".
std::string field_path(std::string_view parent, std::string_view key);
std::string index_path(std::string_view parent, std::size_t index);

// The body as a JSON object: 400 when it is not JSON, 422 when it is not an object.
nlohmann::json parse_json_object(const httplib::Request& request);

enum class Presence { required, optional };

// Each returns nullopt when the field is absent or null (a problem when required) or has a
// problem; `object` must be a JSON object.
class FieldReader {
public:
    FieldReader(const nlohmann::json& object, std::string parent, Problems& problems)
        : object_(object), parent_(std::move(parent)), problems_(problems) {}

    const nlohmann::json* member(std::string_view key) const;  // nullptr when absent or null
    bool has(std::string_view key) const { return member(key) != nullptr; }
    std::string path(std::string_view key) const { return field_path(parent_, key); }

    std::optional<std::string> text(std::string_view key, Presence presence, std::size_t max_bytes,
                                    bool allow_empty = false);
    std::optional<bool> boolean(std::string_view key, Presence presence);
    std::optional<double> number(std::string_view key, Presence presence, double minimum, double maximum);
    std::optional<int64_t> integer(std::string_view key, Presence presence, int64_t minimum, int64_t maximum);
    // An object or an array (for documents such as criteria_config): returns the member as is.
    const nlohmann::json* of_type(std::string_view key, Presence presence, nlohmann::json::value_t type,
                                  std::string_view type_name);
    // Fields of the object that are not in `known`.
    void refuse_unknown(const std::vector<std::string_view>& known);

private:
    bool present(std::string_view key, Presence presence) const;
    const nlohmann::json& object_;
    std::string parent_;
    Problems& problems_;
};

// A query parameter as an integer within bounds (422 naming the parameter otherwise).
int64_t query_integer(const httplib::Request& request, const std::string& name, int64_t fallback, int64_t minimum,
                      int64_t maximum);

}  // namespace autograder::server
