#include "templates/parameter_reader.hpp"

#include <algorithm>
#include <stdexcept>

#include "text/utf8.hpp"

namespace autograder::templates {

ParameterReader::ParameterReader(const TestSpec& spec, std::vector<ParameterDoc> docs)
    : spec_(spec), docs_(std::move(docs)) {}

const ParameterDoc& ParameterReader::doc_of(std::string_view name) const {
    for (const auto& doc : docs_)
        if (doc.name == name) return doc;
    throw std::logic_error("parameter '" + std::string(name) + "' is not documented by its function");
}

const nlohmann::json* ParameterReader::value(std::string_view name) const {
    const ParameterDoc& doc = doc_of(name);
    const nlohmann::json* found = spec_.parameter(doc.name);
    for (auto alias = doc.aliases.begin(); (!found || found->is_null()) && alias != doc.aliases.end(); ++alias)
        found = spec_.parameter(*alias);
    if (!found || found->is_null()) return nullptr;
    if (auto problem = parameter_value_problem(doc, *found))
        throw std::invalid_argument("parameter '" + doc.name + "' " + *problem);
    return found;
}

namespace {

[[noreturn]] void refuse(std::string_view name, std::string_view problem) {
    throw std::invalid_argument("parameter '" + std::string(name) + "' " + std::string(problem));
}

[[noreturn]] void missing(std::string_view name) {
    throw std::invalid_argument("missing parameter '" + std::string(name) + "'");
}

}  // namespace

std::optional<std::string> ParameterReader::text(std::string_view name, Empty empty) const {
    const nlohmann::json* found = value(name);
    if (!found) return std::nullopt;
    std::string text;
    if (found->is_string()) {
        text = found->get<std::string>();
    } else if (found->is_array()) {  // a list of lines
        for (const auto& line : *found)
            text += (line.is_string() ? line.get<std::string>() : text::json_text(line)) + "\n";
    } else if (found->is_number()) {
        text = found->dump();
    } else {
        refuse(name, "must be a string");
    }
    if (text.empty() && empty == Empty::refused) refuse(name, "must be a non-empty string");
    return text;
}

std::string ParameterReader::text_or(std::string_view name, std::string fallback) const {
    auto found = text(name);
    return found ? *found : fallback;
}

std::string ParameterReader::required_text(std::string_view name, Empty empty) const {
    auto found = text(name, empty);
    if (!found) missing(name);
    return *found;
}

std::optional<double> ParameterReader::number(std::string_view name) const {
    const nlohmann::json* found = value(name);
    if (!found) return std::nullopt;
    if (found->is_string()) return static_cast<double>(std::stoll(found->get<std::string>()));  // "integer" "3"
    return found->get<double>();
}

double ParameterReader::number_or(std::string_view name, double fallback) const {
    return number(name).value_or(fallback);
}

std::optional<int64_t> ParameterReader::integer(std::string_view name) const {
    if (doc_of(name).type != "integer")
        throw std::logic_error("parameter '" + std::string(name) + "' is not documented as an integer");
    // value() checked it is a whole number of at most 15 digits: exact as a double and an int64_t.
    auto found = number(name);
    if (!found) return std::nullopt;
    return static_cast<int64_t>(*found);
}

int64_t ParameterReader::required_integer(std::string_view name) const {
    auto found = integer(name);
    if (!found) missing(name);
    return *found;
}

std::optional<std::size_t> ParameterReader::count(std::string_view name) const {
    const ParameterDoc& doc = doc_of(name);
    if (!doc.minimum || *doc.minimum < 0)
        throw std::logic_error("parameter '" + doc.name + "' is not documented as a count (minimum 0)");
    auto found = integer(name);
    if (!found) return std::nullopt;
    return static_cast<std::size_t>(*found);
}

bool ParameterReader::boolean_or(std::string_view name, bool fallback) const {
    const nlohmann::json* found = value(name);
    return found ? found->get<bool>() : fallback;
}

std::optional<std::vector<std::string>> ParameterReader::string_list(std::string_view name, Empty empty) const {
    const nlohmann::json* found = value(name);
    if (!found) return std::nullopt;
    const std::string_view list_of =
        empty == Empty::refused ? "must be a list of non-empty strings" : "must be a list of strings";
    if (!found->is_string() && !found->is_array()) refuse(name, list_of);
    std::vector<std::string> list;
    for (const auto& item : found->is_string() ? nlohmann::json::array({*found}) : *found) {
        if (!item.is_string() || (empty == Empty::refused && item.get_ref<const std::string&>().empty()))
            refuse(name, list_of);
        list.push_back(item.get<std::string>());
    }
    if (list.empty() && empty == Empty::refused) refuse(name, "must not be an empty list");
    return list;
}

std::vector<std::string> ParameterReader::required_string_list(std::string_view name, Empty empty) const {
    auto found = string_list(name, empty);
    if (!found) missing(name);
    return *found;
}

std::vector<ParameterProblem> ParameterReader::problems(
    const std::function<void(const ParameterReader&, const ParameterDoc&)>& read) const {
    std::vector<ParameterProblem> problems;
    for (const auto& doc : docs_) {
        try {
            if (value(doc.name)) read(*this, doc);
        } catch (const std::invalid_argument& e) {
            problems.push_back({doc.name, e.what()});
        }
    }
    return problems;
}

}  // namespace autograder::templates
