#include "templates/static_analysis/custom_rules.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "templates/static_analysis/structural_parameters.hpp"

namespace autograder::templates {

std::vector<CustomRule> custom_rules_parameter(const TestSpec& spec) {
    std::vector<CustomRule> rules;
    const nlohmann::json* value = spec.parameter("custom_rules");
    if (!value || value->is_null()) return rules;
    if (!value->is_array()) throw std::invalid_argument("parameter 'custom_rules' must be a list of rule objects");
    std::set<std::string> names;
    for (std::size_t i = 0; i < value->size(); ++i) {
        const nlohmann::json& item = (*value)[i];
        std::string where = fmt::format("custom_rules[{}]", i);
        if (!item.is_object())
            throw std::invalid_argument(where + " must be an object with name, language, query and optional message");
        for (const auto& [key, field] : item.items())
            if (key != "name" && key != "language" && key != "query" && key != "message")
                throw std::invalid_argument(
                    fmt::format("{}: unknown key '{}' (known: name, language, query, message)", where, key));
        auto text = [&](const char* key, bool required) -> std::string {
            auto it = item.find(key);
            if (it == item.end() || it->is_null()) {
                if (required) throw std::invalid_argument(fmt::format("{}: missing '{}'", where, key));
                return {};
            }
            if (!it->is_string() || it->get_ref<const std::string&>().empty())
                throw std::invalid_argument(fmt::format("{}: '{}' must be a non-empty string", where, key));
            return it->get<std::string>();
        };
        std::string name = text("name", true);
        where = fmt::format("custom_rules[{}] ({})", i, name);
        if (!names.insert(name).second) throw std::invalid_argument(fmt::format("{}: duplicate rule name", where));
        analysis::Language language = language_value(text("language", true), where + " language");
        std::string message = text("message", false);
        analysis::Query query = compile_query(language, text("query", true), where);
        rules.push_back({std::move(name), language, std::move(message), std::move(query)});
    }
    return rules;
}

std::vector<uint32_t> violations(const CustomRule& rule, const analysis::SyntaxTree& tree) {
    std::vector<uint32_t> lines;
    if (tree.language() != rule.language) return lines;
    for (const auto& match : rule.query.matches(tree)) lines.push_back(match_line(match));
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    return lines;
}

}  // namespace autograder::templates
