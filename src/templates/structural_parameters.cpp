#include "templates/structural_parameters.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include <fmt/format.h>

namespace autograder::templates {

std::vector<std::string> string_list_parameter(const TestSpec& spec, std::string_view name) {
    const nlohmann::json* value = spec.parameter(name);
    if (!value || value->is_null()) throw std::invalid_argument(fmt::format("missing parameter '{}'", name));
    std::vector<std::string> list;
    if (value->is_string()) {
        list.push_back(value->get<std::string>());
    } else if (value->is_array()) {
        for (const auto& item : *value) {
            if (!item.is_string())
                throw std::invalid_argument(fmt::format("parameter '{}' must be a list of strings", name));
            list.push_back(item.get<std::string>());
        }
    } else {
        throw std::invalid_argument(fmt::format("parameter '{}' must be a list of strings", name));
    }
    return list;
}

std::optional<std::string> optional_string_parameter(const TestSpec& spec, std::string_view name) {
    const nlohmann::json* value = spec.parameter(name);
    if (!value || value->is_null()) return std::nullopt;
    if (!value->is_string() || value->get_ref<const std::string&>().empty())
        throw std::invalid_argument(fmt::format("parameter '{}' must be a non-empty string", name));
    return value->get<std::string>();
}

std::string string_parameter(const TestSpec& spec, std::string_view name) {
    auto value = optional_string_parameter(spec, name);
    if (!value) throw std::invalid_argument(fmt::format("missing parameter '{}'", name));
    return *value;
}

std::optional<std::size_t> optional_count_parameter(const TestSpec& spec, std::string_view name) {
    const nlohmann::json* value = spec.parameter(name);
    if (!value || value->is_null()) return std::nullopt;
    if (value->is_number_unsigned()) return value->get<std::size_t>();
    if (value->is_number_integer() && value->get<std::int64_t>() >= 0)
        return static_cast<std::size_t>(value->get<std::int64_t>());
    if (value->is_number_float()) {
        double number = value->get<double>();
        if (number >= 0 && number <= 1e15 && std::floor(number) == number) return static_cast<std::size_t>(number);
    }
    // "3": the same rule as every count of every template (and the reference engine's int()).
    if (value->is_string()) {
        const std::string& text = value->get_ref<const std::string&>();
        if (!text.empty() && text.size() <= 15 &&
            std::all_of(text.begin(), text.end(), [](unsigned char c) { return c >= '0' && c <= '9'; }))
            return static_cast<std::size_t>(std::stoull(text));
    }
    throw std::invalid_argument(fmt::format("parameter '{}' must be a whole number, 0 or more", name));
}

std::vector<ParameterProblem> reader_problems(const TestSpec& spec, const std::vector<ParameterDoc>& docs) {
    std::vector<ParameterProblem> problems;
    for (const auto& doc : docs) {
        const nlohmann::json* value = spec.parameter(doc.name);
        if (!value || value->is_null()) continue;
        try {
            if (doc.type == "string")
                optional_string_parameter(spec, doc.name);
            else if (doc.type == "integer")
                optional_count_parameter(spec, doc.name);
            else if (doc.type == "list" && doc.name != "custom_rules")  // rules are objects, read on their own
                string_list_parameter(spec, doc.name);
        } catch (const std::invalid_argument& e) {
            problems.push_back({doc.name, e.what()});
        }
    }
    return problems;
}

analysis::Language language_value(std::string_view name, std::string_view parameter) {
    auto language = analysis::language_from_name(name);
    if (!language)
        throw std::invalid_argument(
            fmt::format("parameter '{}': unknown language '{}' (known: python, java, javascript, c, cpp, html, css)",
                        parameter, name));
    return *language;
}

analysis::Query compile_query(analysis::Language language, std::string_view source, std::string_view parameter) {
    try {
        return analysis::Query(language, source);
    } catch (const analysis::QueryError& e) {
        throw std::invalid_argument(fmt::format("{}: bad query: {} (byte offset {})", parameter, e.what(), e.offset()));
    }
}

uint32_t match_line(const analysis::QueryMatch& match) {
    uint32_t line = 0;
    for (const auto& capture : match.captures) {
        uint32_t at = ts_node_start_point(capture.node).row + 1;
        if (line == 0 || at < line) line = at;
    }
    return line;
}

}  // namespace autograder::templates
