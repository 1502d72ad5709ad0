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

std::optional<std::string> ParameterReader::text(std::string_view name) const {
    const nlohmann::json* found = value(name);
    if (!found) return std::nullopt;
    if (found->is_string()) return found->get<std::string>();
    if (found->is_array()) {  // a list of lines
        std::string joined;
        for (const auto& line : *found)
            joined += (line.is_string() ? line.get<std::string>() : text::json_text(line)) + "\n";
        return joined;
    }
    if (found->is_number()) return found->dump();
    throw std::invalid_argument("parameter '" + std::string(name) + "' must be a string");
}

std::string ParameterReader::text_or(std::string_view name, std::string fallback) const {
    auto found = text(name);
    return found ? *found : fallback;
}

std::string ParameterReader::required_text(std::string_view name) const {
    auto found = text(name);
    if (!found) throw std::invalid_argument("missing parameter '" + std::string(name) + "'");
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

bool ParameterReader::boolean_or(std::string_view name, bool fallback) const {
    const nlohmann::json* found = value(name);
    return found ? found->get<bool>() : fallback;
}

std::optional<std::vector<std::string>> ParameterReader::string_list(std::string_view name) const {
    const nlohmann::json* found = value(name);
    if (!found) return std::nullopt;
    if (found->is_string()) return std::vector<std::string>{found->get<std::string>()};
    std::vector<std::string> list;
    for (const auto& item : *found) {
        if (!item.is_string()) throw std::invalid_argument("parameter '" + std::string(name) + "' must hold strings");
        list.push_back(item.get<std::string>());
    }
    return list;
}

}  // namespace autograder::templates
