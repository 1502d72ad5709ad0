#include "ai/reply_schema.hpp"

#include <fmt/format.h>

namespace autograder::ai {
namespace {

bool has_type(const nlohmann::json& value, const std::string& type) {
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "number") return value.is_number();
    if (type == "integer") return value.is_number_integer() || value.is_number_unsigned();
    if (type == "boolean") return value.is_boolean();
    if (type == "null") return value.is_null();
    return false;
}

std::string located(const std::string& where, const std::string& what) {
    return where.empty() ? what : where + ": " + what;
}

std::optional<std::string> violation(const nlohmann::json& value, const nlohmann::json& schema,
                                     const std::string& where) {
    if (auto type = schema.find("type"); type != schema.end() && !has_type(value, type->get<std::string>()))
        return located(where, fmt::format("expected {} {}", type->get<std::string>() == "object" ? "an" : "a",
                                          type->get<std::string>()));
    if (auto choices = schema.find("enum"); choices != schema.end()) {
        bool found = false;
        for (const auto& choice : *choices) found = found || choice == value;
        if (!found) return located(where, fmt::format("{} is not one of {}", value.dump(), choices->dump()));
    }
    if (value.is_number()) {
        const double number = value.get<double>();
        if (auto minimum = schema.find("minimum"); minimum != schema.end() && number < minimum->get<double>())
            return located(where, fmt::format("{} is below {}", number, minimum->get<double>()));
        if (auto maximum = schema.find("maximum"); maximum != schema.end() && number > maximum->get<double>())
            return located(where, fmt::format("{} is above {}", number, maximum->get<double>()));
    }
    if (value.is_object()) {
        const auto properties = schema.value("properties", nlohmann::json::object());
        for (const auto& name : schema.value("required", nlohmann::json::array()))
            if (!value.contains(name.get<std::string>()))
                return located(where, fmt::format("'{}' is missing", name.get<std::string>()));
        for (const auto& [key, member] : value.items()) {
            const std::string inner = where.empty() ? key : where + "." + key;
            if (auto property = properties.find(key); property != properties.end()) {
                if (auto problem = violation(member, *property, inner)) return problem;
            } else if (schema.value("additionalProperties", true) == false) {
                return located(where, fmt::format("unexpected key '{}'", key));
            }
        }
    }
    if (value.is_array()) {
        if (auto items = schema.find("items"); items != schema.end())
            for (std::size_t i = 0; i < value.size(); ++i)
                if (auto problem = violation(value[i], *items, fmt::format("{}[{}]", where, i))) return problem;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> schema_violation(const nlohmann::json& value, const nlohmann::json& schema) {
    return violation(value, schema, "");
}

}  // namespace autograder::ai
