#include <algorithm>

#include "autograder/templates.hpp"
#include "templates/builtin_templates.hpp"

namespace autograder {

TemplateRegistry TemplateRegistry::with_defaults() {
    TemplateRegistry registry;
    registry.add_template(templates::input_output_template());
    registry.add_template(templates::static_analysis_template());
    registry.add_template(templates::webdev_template());
    registry.add_template(templates::unit_test_template());
    registry.add_template(templates::api_template());
    registry.add_template(templates::ai_template());
    return registry;
}

void TemplateRegistry::add_template(Template t) {
    std::string name = t.name;
    templates_[name] = std::move(t);
}

void TemplateRegistry::add_function(const std::string& template_name, std::shared_ptr<const TestFunction> function) {
    auto& t = templates_[template_name];
    t.name = template_name;
    t.functions[function->key()] = std::move(function);
}

const Template* TemplateRegistry::find_template(std::string_view name) const {
    auto it = templates_.find(name);
    return it == templates_.end() ? nullptr : &it->second;
}

const TestFunction* TemplateRegistry::find(const std::vector<std::string>& template_names, std::string_view key) const {
    for (const auto& name : template_names)
        if (const Template* t = find_template(name))
            if (auto it = t->functions.find(key); it != t->functions.end()) return it->second.get();
    return nullptr;
}

std::vector<std::string> TemplateRegistry::template_names() const {
    std::vector<std::string> names;
    for (const auto& [name, t] : templates_) names.push_back(name);
    return names;
}

TestCatalog TemplateRegistry::catalog() const {
    std::map<std::string, std::set<std::string>, std::less<>> table;
    for (const auto& [name, t] : templates_)
        for (const auto& [key, function] : t.functions) table[name].insert(key);
    for (const auto& [name, t] : templates_) table.try_emplace(name);
    return TestCatalog::from_table(std::move(table));
}

nlohmann::json TemplateRegistry::describe() const {
    nlohmann::json templates = nlohmann::json::array();
    for (const auto& [name, t] : templates_) {
        nlohmann::json functions = nlohmann::json::array();
        for (const auto& [key, function] : t.functions) {
            nlohmann::json parameters = nlohmann::json::array();
            for (const auto& p : function->parameters()) {
                nlohmann::json parameter{
                    {"name", p.name}, {"type", p.type}, {"required", p.required}, {"description", p.description}};
                if (!p.choices.empty()) parameter["choices"] = p.choices;
                if (!p.aliases.empty()) parameter["aliases"] = p.aliases;
                if (p.minimum) parameter["minimum"] = *p.minimum;
                if (p.maximum) parameter["maximum"] = *p.maximum;
                if (p.assignment_files) parameter["assignment_files"] = true;
                parameters.push_back(std::move(parameter));
            }
            functions.push_back({{"key", key},
                                 {"description", function->description()},
                                 {"needs_sandbox", function->needs_sandbox()},
                                 {"parameters_complete", function->parameters_complete()},
                                 {"parameters", parameters}});
        }
        templates.push_back({{"name", name}, {"description", t.description}, {"functions", functions}});
    }
    return {{"templates", templates}};
}

}  // namespace autograder
