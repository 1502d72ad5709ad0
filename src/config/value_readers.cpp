#include "config/value_readers.hpp"

#include <cmath>

#include <fmt/format.h>

namespace autograder::config_parsing {

std::string describe_type(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::null:
            return "null";
        case nlohmann::json::value_t::object:
            return "an object";
        case nlohmann::json::value_t::array:
            return "an array";
        case nlohmann::json::value_t::string:
            return "a string";
        case nlohmann::json::value_t::boolean:
            return "a boolean";
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float:
            return "a number";
        case nlohmann::json::value_t::binary:
            return "binary data";
        case nlohmann::json::value_t::discarded:
            return "a discarded value";
    }
    return "an unknown value";
}

bool expect_object(const nlohmann::json& value, const JsonPath& path, IssueList& issues) {
    if (value.is_object()) return true;
    issues.error(path, fmt::format("expected an object, found {}", describe_type(value)));
    return false;
}

std::optional<std::string> read_string(const nlohmann::json& value, const JsonPath& path, IssueList& issues) {
    if (value.is_string()) return value.get<std::string>();
    issues.error(path, fmt::format("expected a string, found {}", describe_type(value)));
    return std::nullopt;
}

std::optional<std::string> read_non_empty_string(const nlohmann::json& value, const JsonPath& path, IssueList& issues) {
    auto text = read_string(value, path, issues);
    if (text && text->empty()) {
        issues.error(path, "must not be empty");
        return std::nullopt;
    }
    return text;
}

std::optional<bool> read_bool(const nlohmann::json& value, const JsonPath& path, IssueList& issues) {
    if (value.is_boolean()) return value.get<bool>();
    issues.error(path, fmt::format("expected true or false, found {}", describe_type(value)));
    return std::nullopt;
}

std::optional<double> read_weight(const nlohmann::json& value, const JsonPath& path, IssueList& issues,
                                  bool at_most_100) {
    if (!value.is_number()) {
        issues.error(path, fmt::format("a weight must be a number, found {}", describe_type(value)));
        return std::nullopt;
    }
    const double weight = value.get<double>();
    if (!std::isfinite(weight)) {
        issues.error(path, "a weight must be a finite number");
        return std::nullopt;
    }
    if (weight < 0) {
        issues.error(path, fmt::format("a weight must not be negative (found {})", weight));
        return std::nullopt;
    }
    if (at_most_100 && weight > 100) {
        issues.error(path, fmt::format("must be between 0 and 100 (found {})", weight));
        return std::nullopt;
    }
    // A test weight is relative to its siblings', but the sums and products of balancing must stay
    // exact enough: two tests of weight 1e308 would overflow to infinity and score 0.
    if (weight > kMaxTestWeight) {
        issues.error(path, fmt::format("a weight must be at most {:g} (found {:g})", kMaxTestWeight, weight));
        return std::nullopt;
    }
    return weight;
}

std::optional<std::vector<std::string>> read_string_list(const nlohmann::json& value, const JsonPath& path,
                                                         IssueList& issues) {
    if (value.is_string()) {
        auto single = read_non_empty_string(value, path, issues);
        if (!single) return std::nullopt;
        return std::vector<std::string>{*single};
    }
    if (!value.is_array()) {
        issues.error(path, fmt::format("expected a list of strings, found {}", describe_type(value)));
        return std::nullopt;
    }
    std::vector<std::string> items;
    bool all_valid = true;
    for (std::size_t i = 0; i < value.size(); ++i) {
        auto item = read_non_empty_string(value[i], path.index(i), issues);
        if (item)
            items.push_back(std::move(*item));
        else
            all_valid = false;
    }
    if (!all_valid) return std::nullopt;
    return items;
}

std::optional<int> read_bounded_int(const nlohmann::json& value, const JsonPath& path, int low, int high,
                                    IssueList& issues) {
    if (!value.is_number_integer()) {
        issues.error(path,
                     fmt::format("expected a whole number from {} to {}, found {}", low, high, describe_type(value)));
        return std::nullopt;
    }
    const auto number = value.get<long long>();
    if (number < low || number > high) {
        issues.error(path, fmt::format("expected a whole number from {} to {}, found {}", low, high, number));
        return std::nullopt;
    }
    return static_cast<int>(number);
}

}  // namespace autograder::config_parsing
