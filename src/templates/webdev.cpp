// The webdev template: HTML, CSS and JavaScript checks on tree-sitter syntax trees (no sandbox;
// docs/templates.md lists them). Each part lives in its own file: webdev_html.cpp,
// webdev_css.cpp, webdev_js.cpp and webdev_project.cpp (checks across files and on the project's
// layout).
#include <cstdint>
#include <stdexcept>

#include "templates/builtin_templates.hpp"
#include "templates/webdev_function.hpp"
#include "templates/webdev_parameters.hpp"

namespace autograder::templates {

Template webdev_template() {
    Template t;
    t.name = "webdev";
    t.description =
        "Checks web pages, stylesheets and scripts on their syntax trees (no sandbox): tags, attributes, links, "
        "CSS properties and media queries, JavaScript features.";
    for (const auto& part : {webdev::html_functions(), webdev::css_functions(), webdev::javascript_functions(),
                             webdev::project_functions()})
        for (const auto& function : part) t.functions[function->key()] = function;
    return t;
}

namespace webdev {

std::vector<ParameterProblem> WebdevFunction::check_parameters(const TestSpec& spec) const {
    std::vector<ParameterProblem> problems;
    for (const auto& doc : parameters_) {
        const nlohmann::json* value = spec.parameter(doc.name);
        if (!value || value->is_null()) continue;
        try {
            if (doc.name == "tag" || doc.name.ends_with("_tag"))
                tag_parameter(spec, doc.name);
            else if (doc.type == "string" && doc.name != "value")  // "value": "" means any value
                string_parameter(spec, doc.name);
            else if (doc.type == "list")
                string_list_parameter(spec, doc.name);
            else if (doc.type == "integer")
                integer_parameter(spec, doc.name, doc.minimum ? static_cast<int64_t>(*doc.minimum) : INT64_MIN);
        } catch (const std::invalid_argument& e) {
            problems.push_back({doc.name, e.what()});
        }
    }
    return problems;
}

}  // namespace webdev

}  // namespace autograder::templates
