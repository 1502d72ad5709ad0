#include "json_fields.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace autograder::server {

void Problems::add(std::string field, std::string message) {
    list_.push_back({std::move(field), std::move(message)});
}

void Problems::throw_if_any() const {
    if (!list_.empty()) throw ApiError::validation(list_);
}

std::string field_path(std::string_view parent, std::string_view key) {
    return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

std::string index_path(std::string_view parent, std::size_t index) {
    return fmt::format("{}[{}]", parent, index);
}

nlohmann::json parse_json_object(const httplib::Request& request) {
    // Deeper documents are refused while parsing: copying or printing one recurses once per level.
    constexpr int kMaxDepth = 64;
    struct TooDeep {};
    nlohmann::json body;
    try {
        body = nlohmann::json::parse(request.body, [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
            if (depth > kMaxDepth) throw TooDeep{};
            return true;
        });
    } catch (const TooDeep&) {
        throw ApiError::validation({{"body", fmt::format("nests deeper than {} levels", kMaxDepth)}});
    } catch (const nlohmann::json::exception& e) {
        throw ApiError(400, fmt::format("the body is not valid JSON: {}", e.what()), "body");
    }
    if (!body.is_object())
        throw ApiError::validation({{"body", fmt::format("must be a JSON object, not {}", body.type_name())}});
    return body;
}

namespace {

const char* type_name(const nlohmann::json& value) {
    return value.type_name();
}

}  // namespace

const nlohmann::json* FieldReader::member(std::string_view key) const {
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
}

bool FieldReader::present(std::string_view key, Presence presence) const {
    if (member(key)) return true;
    if (presence == Presence::required) problems_.add(path(key), "is required");
    return false;
}

std::optional<std::string> FieldReader::text(std::string_view key, Presence presence, std::size_t max_bytes,
                                             bool allow_empty) {
    if (!present(key, presence)) return std::nullopt;
    const auto& value = *member(key);
    if (!value.is_string()) {
        problems_.add(path(key), fmt::format("must be a string, not {}", type_name(value)));
        return std::nullopt;
    }
    const auto& text = value.get_ref<const std::string&>();
    if (text.size() > max_bytes) {
        problems_.add(path(key), fmt::format("is {} bytes long; at most {} are accepted", text.size(), max_bytes));
        return std::nullopt;
    }
    if (text.empty() && !allow_empty) {
        problems_.add(path(key), "must not be empty");
        return std::nullopt;
    }
    return text;
}

std::optional<bool> FieldReader::boolean(std::string_view key, Presence presence) {
    if (!present(key, presence)) return std::nullopt;
    const auto& value = *member(key);
    if (!value.is_boolean()) {
        problems_.add(path(key), fmt::format("must be true or false, not {}", type_name(value)));
        return std::nullopt;
    }
    return value.get<bool>();
}

std::optional<double> FieldReader::number(std::string_view key, Presence presence, double minimum, double maximum) {
    if (!present(key, presence)) return std::nullopt;
    const auto& value = *member(key);
    if (!value.is_number()) {
        problems_.add(path(key), fmt::format("must be a number, not {}", type_name(value)));
        return std::nullopt;
    }
    double number = value.get<double>();
    if (!std::isfinite(number) || number < minimum || number > maximum) {
        problems_.add(path(key), fmt::format("must be between {} and {}", minimum, maximum));
        return std::nullopt;
    }
    return number;
}

std::optional<int64_t> FieldReader::integer(std::string_view key, Presence presence, int64_t minimum, int64_t maximum) {
    if (!present(key, presence)) return std::nullopt;
    const auto& value = *member(key);
    if (!value.is_number_integer()) {
        problems_.add(path(key), fmt::format("must be an integer, not {}", type_name(value)));
        return std::nullopt;
    }
    if (value.is_number_unsigned() ? value.get<uint64_t>() > static_cast<uint64_t>(maximum)
                                   : value.get<int64_t>() < minimum || value.get<int64_t>() > maximum) {
        problems_.add(path(key), fmt::format("must be between {} and {}", minimum, maximum));
        return std::nullopt;
    }
    return value.get<int64_t>();
}

const nlohmann::json* FieldReader::of_type(std::string_view key, Presence presence, nlohmann::json::value_t type,
                                           std::string_view type_name_expected) {
    if (!present(key, presence)) return nullptr;
    const auto* value = member(key);
    if (value->type() != type) {
        problems_.add(path(key), fmt::format("must be {}, not {}", type_name_expected, type_name(*value)));
        return nullptr;
    }
    return value;
}

void FieldReader::refuse_unknown(const std::vector<std::string_view>& known) {
    for (const auto& [key, value] : object_.items()) {
        bool is_known = false;
        for (auto name : known) is_known = is_known || name == key;
        if (!is_known) problems_.add(path(key), "is not a field of this request");
    }
}

int64_t query_integer(const httplib::Request& request, const std::string& name, int64_t fallback, int64_t minimum,
                      int64_t maximum) {
    if (!request.has_param(name.c_str())) return fallback;
    const std::string text = request.get_param_value(name.c_str());
    int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        throw ApiError::validation({{name, fmt::format("must be an integer, not '{}'", text.substr(0, 64))}});
    if (value < minimum || value > maximum)
        throw ApiError::validation({{name, fmt::format("must be between {} and {}", minimum, maximum)}});
    return value;
}

}  // namespace autograder::server
