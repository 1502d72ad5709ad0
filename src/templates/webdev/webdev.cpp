// The webdev template: HTML, CSS and JavaScript checks on tree-sitter syntax trees (no sandbox;
// docs/templates.md lists them). Each part lives in its own file: webdev_html.cpp,
// webdev_css.cpp, webdev_js.cpp and webdev_project.cpp (checks across files and on the project's
// layout).
#include <cstdint>
#include <stdexcept>

#include "templates/builtin_templates.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/webdev/webdev_function.hpp"
#include "templates/webdev/webdev_parameters.hpp"

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
    return ParameterReader(spec, parameters_).problems([](const ParameterReader& given, const ParameterDoc& doc) {
        if (doc.name == "tag" || doc.name.ends_with("_tag"))
            tag_value(given, doc.name);
        else if (doc.type == "string" && doc.name != "value")  // "value": "" means any value
            given.text(doc.name, ParameterReader::Empty::refused);
        else if (doc.type == "list")
            given.string_list(doc.name, ParameterReader::Empty::refused);
        else if (doc.type == "integer")
            given.integer(doc.name);
    });
}

}  // namespace webdev

}  // namespace autograder::templates
