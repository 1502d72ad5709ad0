// Templates and test functions. A template ("input_output", "static_analysis", ...) is a named set
// of test functions; a test of the criteria tree names its function by key ("expect_output") and
// the configuration's template list says where to look, in order. Hosts register their own
// functions (C++ subclasses here; C callbacks and Python callables through the bindings).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "autograder/config.hpp"
#include "autograder/criteria.hpp"
#include "autograder/languages.hpp"
#include "autograder/sandbox.hpp"

namespace autograder {

class PipelineExecution;

// One parameter of a test function: its documentation, and what the pipeline checks when it is
// created (so that a mistake in a configuration is refused before any student is graded).
// Types (what a value must be; `autograder templates` and docs/templates.md explain them):
//   "string"         a JSON string
//   "text"           a string, a list of lines (joined with newlines) or a number
//   "number"         a JSON number, within `minimum`/`maximum` when given
//   "integer"        a whole number (3, 3.0, or "3"), at least `minimum`
//   "boolean"        true or false
//   "list"           a JSON list, or one string as a list of one
//   "object"         a JSON object
//   "string|object"  a string, or an object of strings (one per language)
// Any other type name (a host's) is documentation only.
struct ParameterDoc {
    std::string name;
    std::string type;
    bool required = false;
    std::string description;
    // The values allowed (for a list: for each of its items); empty when any value of the type is.
    std::vector<std::string> choices = {};
    // Other names the parameter is accepted under ("input" for "user_input").
    std::vector<std::string> aliases = {};
    std::optional<double> minimum = std::nullopt;
    std::optional<double> maximum = std::nullopt;
    // The value names files of the assignment folder (a path or a list of paths): each must exist.
    bool assignment_files = false;
};

// A problem with one parameter of one test, found without a submission; `parameter` is empty when
// the problem concerns the test as a whole ("give exactly one of construct and constructs").
struct ParameterProblem {
    std::string parameter;
    std::string message;
};

// Everything a test function may use for one test of one submission.
struct TestContext {
    const TestSpec& spec;
    const PipelineExecution& execution;  // read-only: a test writes only its own TestOutcome
    Sandbox* sandbox;  // the submission's sandbox; nullptr when no function needs one
};

class TestFunction {
public:
    virtual ~TestFunction() = default;
    virtual std::string key() const = 0;  // "expect_output"
    virtual std::string description() const = 0;
    virtual std::vector<ParameterDoc> parameters() const { return {}; }
    // True when parameters() names every parameter the function reads: any other key of a test is
    // then a mistake (a misspelt `expected_outptu`). Host functions answer false unless they know.
    virtual bool parameters_complete() const { return false; }
    // Problems no single ParameterDoc can describe (two parameters that exclude each other, a
    // regular expression that does not compile); checked when the pipeline is created.
    virtual std::vector<ParameterProblem> check_parameters(const TestSpec& /*spec*/) const { return {}; }
    virtual bool needs_sandbox() const { return false; }
    // The function starts a server in the sandbox and talks to it over 127.0.0.1: the submission's
    // sandbox then has loopback-only networking (no other network, as always).
    virtual bool needs_loopback_network() const { return false; }
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

// Every problem with the parameters of one test: unknown keys (when the function's list is
// complete), missing required parameters, wrong types, values outside their choices or bounds,
// assignment files that do not exist under `assignment_directory`, and the function's own
// check_parameters(). Each issue carries the JSON path of the parameter (or of the test, under
// `test_path`, when the parameter is missing).
std::vector<ConfigIssue> check_test_parameters(const TestFunction& function, const TestSpec& spec,
                                               const std::string& test_path, const std::string& assignment_directory);

// Whether `value` is acceptable for `doc`, ignoring required-ness and files; the reason when not.
std::optional<std::string> parameter_value_problem(const ParameterDoc& doc, const nlohmann::json& value);

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
