// A webdev test function: its documentation and a callable that runs it on the syntax trees.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "autograder/templates.hpp"

namespace autograder::templates::webdev {

class WebdevFunction final : public TestFunction {
public:
    using Run = std::function<TestOutcome(const TestContext&)>;
    WebdevFunction(std::string key, std::string description, std::vector<ParameterDoc> parameters, Run run,
                   bool reads_trees = true)
        : key_(std::move(key)),
          description_(std::move(description)),
          parameters_(std::move(parameters)),
          run_(std::move(run)),
          reads_trees_(reads_trees) {}

    std::string key() const override { return key_; }
    std::string description() const override { return description_; }
    std::vector<ParameterDoc> parameters() const override { return parameters_; }
    bool parameters_complete() const override { return true; }
    // The readers the function itself uses (webdev_parameters.hpp), run on every parameter given:
    // a value they would refuse at grading time ("tag": "", "class_names": []) is refused now.
    std::vector<ParameterProblem> check_parameters(const TestSpec& spec) const override;
    bool needs_syntax_trees() const override { return reads_trees_; }
    TestOutcome run(const TestContext& context) const override { return run_(context); }

private:
    std::string key_;
    std::string description_;
    std::vector<ParameterDoc> parameters_;
    Run run_;
    bool reads_trees_;
};

using Functions = std::vector<std::shared_ptr<const TestFunction>>;

// The functions of each part of the template (webdev_html.cpp, webdev_css.cpp, ...).
Functions html_functions();
Functions css_functions();
Functions javascript_functions();
Functions project_functions();

}  // namespace autograder::templates::webdev
