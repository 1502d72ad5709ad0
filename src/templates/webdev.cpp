// The webdev template: HTML, CSS and JavaScript checks on tree-sitter syntax trees (no sandbox;
// docs/templates.md lists them). Each part lives in its own file: webdev_html.cpp, webdev_css.cpp, webdev_js.cpp and
// webdev_project.cpp (checks across files and on the project's layout).
#include "templates/builtin_templates.hpp"
#include "templates/webdev_function.hpp"

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

}  // namespace autograder::templates
