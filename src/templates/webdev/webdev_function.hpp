// A webdev test function: its documentation and a callable that runs it on the syntax trees.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "autograder/templates.hpp"
#include "templates/parameter_reader.hpp"

namespace autograder::templates::webdev {

class WebdevFunction final : public TestFunction {
public:
    // Runs the test; its parameters are read by the function's own docs.
    using Run = std::function<TestOutcome(const TestContext&, const ParameterReader&)>;
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
    // Every parameter given read as the function reads it: a value refused at grading time
    // ("tag": "", "class_names": []) is refused now.
    std::vector<ParameterProblem> check_parameters(const TestSpec& spec) const override;
    bool needs_syntax_trees() const override { return reads_trees_; }
    TestOutcome run(const TestContext& context) const override {
        return run_(context, ParameterReader(context.spec, parameters_));
    }

private:
    std::string key_;
    std::string description_;
    std::vector<ParameterDoc> parameters_;
    Run run_;
    bool reads_trees_;
};

using Functions = std::vector<std::shared_ptr<const TestFunction>>;

// Collects the functions of one part of the template, added a few at a time by named groups.
class FunctionList {
public:
    void add(std::string key, std::string description, std::vector<ParameterDoc> parameters, WebdevFunction::Run run,
             bool reads_trees = true) {
        functions_.push_back(std::make_shared<WebdevFunction>(std::move(key), std::move(description),
                                                              std::move(parameters), std::move(run), reads_trees));
    }
    Functions take() { return std::move(functions_); }

private:
    Functions functions_;
};

// The functions of each part of the template (webdev_html.cpp, webdev_css.cpp, ...).
Functions html_functions();
Functions css_functions();
Functions javascript_functions();
Functions project_functions();

}  // namespace autograder::templates::webdev
