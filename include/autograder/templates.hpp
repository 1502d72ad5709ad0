// Templates and test functions. A template ("input_output", "static_analysis", ...) is a named set
// of test functions; a test of the criteria tree names its function by key ("expect_output") and
// the configuration's template list says where to look, in order. Hosts register their own
// functions (C++ subclasses here; C callbacks and Python callables through the bindings).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograder/config.hpp"
#include "autograder/criteria.hpp"
#include "autograder/languages.hpp"
#include "autograder/sandbox.hpp"

namespace autograder {

class PipelineExecution;

struct ParameterDoc {
    std::string name;
    std::string type;  // "string", "number", "boolean", "list", "object", "string|object"
    bool required = false;
    std::string description;
};

// Everything a test function may use for one test of one submission.
struct TestContext {
    const TestSpec& spec;
    PipelineExecution& execution;
    Sandbox* sandbox;  // the submission's sandbox; nullptr when no function needs one
};

class TestFunction {
public:
    virtual ~TestFunction() = default;
    virtual std::string key() const = 0;  // "expect_output"
    virtual std::string description() const = 0;
    virtual std::vector<ParameterDoc> parameters() const { return {}; }
    virtual bool needs_sandbox() const { return false; }
    // The function reads the submission's syntax trees: the STRUCTURAL_ANALYSIS step parses each
    // file once for all such tests of a grading.
    virtual bool needs_syntax_trees() const { return false; }
    // Runs the test. A problem with the test's own configuration (a bad regex, a bad path) is
    // reported as score 0 with the reason; an exception here counts the same way.
    virtual TestOutcome run(const TestContext& context) const = 0;
};

struct Template {
    std::string name;
    std::string description;
    std::map<std::string, std::shared_ptr<const TestFunction>, std::less<>> functions;
};

class TemplateRegistry {
public:
    // input_output (and the other built-in templates as they come).
    static TemplateRegistry with_defaults();

    void add_template(Template t);  // replaces a template of the same name
    // Adds (or replaces) a function in a template, making the template if needed.
    void add_function(const std::string& template_name, std::shared_ptr<const TestFunction> function);

    const Template* find_template(std::string_view name) const;
    // The function for `key`, searching `template_names` in order; nullptr when none has it.
    const TestFunction* find(const std::vector<std::string>& template_names, std::string_view key) const;
    std::vector<std::string> template_names() const;
    // What the configuration parser needs to validate test names.
    TestCatalog catalog() const;
    // {"templates": [{"name", "description", "functions": [{"key", "description", "parameters"}]}]}
    nlohmann::json describe() const;

private:
    std::map<std::string, Template, std::less<>> templates_;
};

}  // namespace autograder
