// Every test's parameters are checked when the pipeline is created, so that a mistake in a rubric
// is the teacher's to fix before grading, never every student's lost points.
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"

using namespace autograder;
using nlohmann::json;

namespace {

json config_of(json tests, std::string template_name = "input_output", json extra = json::object()) {
    json config = {{"template_name", std::move(template_name)},
                   {"languages", {"python"}},
                   {"criteria_config", {{"base", {{"weight", 100}, {"tests", std::move(tests)}}}}}};
    for (auto& [key, value] : extra.items()) config[key] = value;
    return config;
}

// The issues Pipeline::create reports, or none when it accepts the configuration.
std::vector<ConfigIssue> issues_of(const json& config, PipelineOptions options = {}) {
    try {
        Pipeline::create(config, std::move(options));
    } catch (const ConfigError& e) {
        return e.issues();
    }
    return {};
}

std::string listed(const std::vector<ConfigIssue>& issues) {
    std::string text;
    for (const auto& issue : issues) text += issue.path + ": " + issue.message + "\n";
    return text;
}

// Whether some issue sits at `path` and says `words`.
bool has_issue(const std::vector<ConfigIssue>& issues, const std::string& path, const std::string& words) {
    for (const auto& issue : issues)
        if (issue.path == path && issue.message.find(words) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("parameters: a missing required parameter is refused at creation, at the test's path") {
    auto issues = issues_of(config_of(json::array({{{"name", "sum"}, {"type", "expect_output"}, {"inputs", {"1"}}}})));
    INFO(listed(issues));
    CHECK(has_issue(issues, "criteria_config.base.tests[0]", "missing required parameter 'expected_output'"));
}

TEST_CASE("parameters: a misspelt key is refused with its path and a hint") {
    auto issues = issues_of(config_of(
        json::array({{{"name", "sum"}, {"type", "expect_output"}, {"expected_outptu", "3"}, {"inputs", {"1", "2"}}}})));
    INFO(listed(issues));
    CHECK(has_issue(issues, "criteria_config.base.tests[0].expected_outptu",
                    "unknown parameter 'expected_outptu' for 'expect_output' (did you mean 'expected_output'?)"));
    CHECK(has_issue(issues, "criteria_config.base.tests[0]", "missing required parameter 'expected_output'"));
}

TEST_CASE("parameters: an unknown choice is refused: compare, construct, forbidden_keywords") {
    auto compare = issues_of(config_of(
        json::array({{{"name", "t"}, {"type", "expect_output"}, {"expected_output", "1"}, {"compare", "fuzzy"}}})));
    INFO(listed(compare));
    CHECK(has_issue(compare, "criteria_config.base.tests[0].compare", "\"fuzzy\" is not one of: exact, whitespace"));

    auto construct = issues_of(config_of(
        json::array({{{"name", "t"}, {"type", "uses_construct"}, {"construct", "recursoin"}}}), "static_analysis"));
    INFO(listed(construct));
    CHECK(has_issue(construct, "criteria_config.base.tests[0].construct", "\"recursoin\" is not one of: "));

    auto keywords = issues_of(
        config_of(json::array({{{"name", "t"}, {"type", "forbidden_keyword"}, {"forbidden_keywords", {"for"}}}}),
                  "static_analysis"));
    INFO(listed(keywords));
    CHECK(has_issue(keywords, "criteria_config.base.tests[0].forbidden_keywords", "\"for\" is not one of: "));
}

TEST_CASE("parameters: a wrong type is refused: time_limit \"1s\", a count that is not a number") {
    auto time = issues_of(config_of(json::array({{{"name", "t"}, {"type", "dont_fail"}, {"time_limit", "1s"}}})));
    INFO(listed(time));
    CHECK(has_issue(time, "criteria_config.base.tests[0].time_limit", "must be a number, not a string \"1s\""));

    auto bounds = issues_of(config_of(json::array({{{"name", "t"}, {"type", "dont_fail"}, {"time_limit", 0}}})));
    CHECK(has_issue(bounds, "criteria_config.base.tests[0].time_limit", "must be at least"));

    auto count = issues_of(config_of(
        json::array({{{"name", "t"}, {"type", "has_tag"}, {"tag", "nav"}, {"required_count", "lots"}}}), "webdev"));
    INFO(listed(count));
    CHECK(has_issue(count, "criteria_config.base.tests[0].required_count", "must be a whole number"));
    // "3" is a count, as it is when the test runs (and in the reference engine).
    CHECK(issues_of(
              config_of(json::array({{{"name", "t"}, {"type", "has_tag"}, {"tag", "nav"}, {"required_count", "3"}}}),
                        "webdev"))
              .empty());
}

TEST_CASE("parameters: the list form is checked too, at the value's path") {
    json test = {{"name", "t"},
                 {"type", "expect_output"},
                 {"parameters", json::array({{{"name", "expected_output"}, {"value", "1"}},
                                             {{"name", "normalization"}, {"value", "yes"}}})}};
    auto issues = issues_of(config_of(json::array({test})));
    INFO(listed(issues));
    CHECK(has_issue(issues, "criteria_config.base.tests[0].parameters[1].value",
                    "parameter 'normalization' must be true or false"));
}

TEST_CASE("parameters: checker mode needs its checker, and its files must exist in the assignment folder") {
    auto dir = std::filesystem::temp_directory_path() / ("validation-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "check.py") << "import sys\nsys.exit(42)\n";
    PipelineOptions options;
    options.assignment_directory = dir.string();

    auto no_checker = issues_of(config_of(
        json::array({{{"name", "t"}, {"type", "expect_output"}, {"expected_output", "1"}, {"compare", "checker"}}})));
    INFO(listed(no_checker));
    CHECK(has_issue(no_checker, "criteria_config.base.tests[0].compare", "the parameter 'checker'"));

    json missing_file = {
        {"name", "t"},          {"type", "expect_output"},       {"expected_output", "1"},
        {"compare", "checker"}, {"checker", "python3 check.py"}, {"checker_files", {"check.py", "checker_data.txt"}}};
    auto missing = issues_of(config_of(json::array({missing_file})), options);
    INFO(listed(missing));
    CHECK(has_issue(missing, "criteria_config.base.tests[0].checker_files",
                    "file 'checker_data.txt' does not exist in the assignment folder"));
    CHECK(missing.size() == 1);  // check.py is there

    missing_file["checker_files"] = {"check.py"};
    CHECK(issues_of(config_of(json::array({missing_file})), options).empty());

    json escape = missing_file;
    escape["checker_files"] = {"../etc/passwd"};
    CHECK(has_issue(issues_of(config_of(json::array({escape})), options), "criteria_config.base.tests[0].checker_files",
                    "must be a relative path inside the assignment folder"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("parameters: a regex that does not compile is refused at creation") {
    auto issues = issues_of(config_of(json::array({{{"name", "t"},
                                                    {"type", "expect_file_artifact"},
                                                    {"artifact_path", "out.txt"},
                                                    {"expected_content", "(unclosed"},
                                                    {"match_mode", "regex"}}})));
    INFO(listed(issues));
    CHECK(has_issue(issues, "criteria_config.base.tests[0].expected_content", "invalid regex"));
}

TEST_CASE("parameters: an asset that is not in the assignment folder is refused at creation") {
    auto dir = std::filesystem::temp_directory_path() / ("assets-check-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    PipelineOptions options;
    options.assignment_directory = dir.string();
    json config = config_of(json::array({{{"name", "t"}, {"type", "dont_fail"}}}), "input_output",
                            {{"setup_config", {{"assets", {{{"source", "data/absent.csv"}, {"target", "/tmp/a"}}}}}}});
    auto issues = issues_of(config, options);
    INFO(listed(issues));
    CHECK(has_issue(issues, "setup_config.assets[0].source", "asset 'data/absent.csv' is not a file"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("parameters: every problem of a configuration is listed at once") {
    json tests =
        json::array({{{"name", "a"}, {"type", "expect_output"}, {"expected_outptu", "3"}},
                     {{"name", "b"}, {"type", "dont_fail"}, {"time_limit", "1s"}},
                     {{"name", "c"}, {"type", "expect_output"}, {"expected_output", "1"}, {"compare", "fuzzy"}}});
    auto issues = issues_of(config_of(tests));
    INFO(listed(issues));
    CHECK(issues.size() == 4);  // a: unknown key and missing parameter; b: type; c: choice
}

TEST_CASE("parameters: host functions without a complete list keep their own keys, documented ones are checked") {
    struct Host final : TestFunction {
        std::string key() const override { return "host_check"; }
        std::string description() const override { return "a host's function"; }
        std::vector<ParameterDoc> parameters() const override { return {{"level", "number", true, "how hard"}}; }
        TestOutcome run(const TestContext&) const override { return {100, "fine", std::nullopt}; }
    };
    PipelineOptions options;
    options.templates.add_function("host", std::make_shared<Host>());
    auto fine = issues_of(
        config_of(json::array({{{"name", "t"}, {"type", "host_check"}, {"level", 2}, {"extra", 1}}}), "host"), options);
    CHECK(fine.empty());
    PipelineOptions again;
    again.templates.add_function("host", std::make_shared<Host>());
    auto wrong =
        issues_of(config_of(json::array({{{"name", "t"}, {"type", "host_check"}, {"level", "hard"}}}), "host"), again);
    CHECK(has_issue(wrong, "criteria_config.base.tests[0].level", "must be a number"));
}

TEST_CASE("parameters: a configuration built in code is checked the same way, with made-up paths") {
    GradingConfig config;
    config.template_names = {"input_output"};
    config.languages = {"python"};
    TestSpec test;
    test.name = test.type = "expect_output";
    test.parameters.push_back({"expected_outptu", "3"});
    config.criteria.base.tests.push_back(test);
    try {
        Pipeline::create(config);
        FAIL("an invalid configuration was accepted");
    } catch (const ConfigError& e) {
        INFO(listed(e.issues()));
        CHECK(has_issue(e.issues(), "criteria_config.base.tests[0].expected_outptu", "unknown parameter"));
        CHECK(has_issue(e.issues(), "criteria_config.base.tests[0]", "missing required parameter 'expected_output'"));
    }
}

TEST_CASE("configuration: the legacy test_library key is accepted and ignored") {
    json config = config_of(json::array({{{"name", "t"}, {"type", "dont_fail"}}}));
    config["criteria_config"]["test_library"] = "io_tests";
    CHECK(issues_of(config).empty());
}

TEST_CASE("configuration: test weights are bounded (two tests of weight 1e308 used to score 0)") {
    json tests = json::array({{{"name", "a"}, {"type", "dont_fail"}, {"weight", 1e308}},
                              {{"name", "b"}, {"type", "dont_fail"}, {"weight", 1e6}}});
    auto issues = issues_of(config_of(tests));
    INFO(listed(issues));
    CHECK(has_issue(issues, "criteria_config.base.tests[0].weight", "must be at most 1e+06"));
    CHECK(issues.size() == 1);  // 1e6 itself is fine
}

TEST_CASE("configuration: time_budget is seconds above 0, at most an hour") {
    json tests = json::array({{{"name", "t"}, {"type", "dont_fail"}}});
    CHECK(issues_of(config_of(tests, "input_output", {{"time_budget", 30}})).empty());
    CHECK(has_issue(issues_of(config_of(tests, "input_output", {{"time_budget", "30s"}})), "time_budget",
                    "must be a number of seconds"));
    CHECK(has_issue(issues_of(config_of(tests, "input_output", {{"time_budget", 0}})), "time_budget",
                    "must be a number of seconds"));
    CHECK(Pipeline::create(config_of(tests, "input_output", {{"time_budget", 12.5}}))->config().time_budget_s == 12.5);
}

TEST_CASE("parameters: what a function's own readers would refuse at grading time is refused at creation") {
    auto webdev = issues_of(config_of(
        json::array({{{"name", "a"}, {"type", "has_tag"}, {"tag", ""}, {"required_count", 1}},
                     {{"name", "b"}, {"type", "has_tag"}, {"tag", "<div class>"}, {"required_count", 1}},
                     {{"name", "c"}, {"type", "has_class"}, {"class_names", json::array()}, {"required_count", 1}}}),
        "webdev"));
    INFO(listed(webdev));
    CHECK(has_issue(webdev, "criteria_config.base.tests[0].tag", "must be a non-empty string"));
    CHECK(has_issue(webdev, "criteria_config.base.tests[1].tag", "must be a tag name"));
    CHECK(has_issue(webdev, "criteria_config.base.tests[2].class_names", "must not be an empty list"));
    CHECK(webdev.size() == 3);

    auto structural =
        issues_of(config_of(json::array({{{"name", "a"}, {"type", "has_function"}, {"function_name", ""}},
                                         {{"name", "b"}, {"type", "forbidden_import"}, {"forbidden_imports", {1}}}}),
                            "static_analysis"));
    INFO(listed(structural));
    CHECK(has_issue(structural, "criteria_config.base.tests[0].function_name", "must be a non-empty string"));
    CHECK(has_issue(structural, "criteria_config.base.tests[1].forbidden_imports", "must be a list of strings"));
    CHECK(structural.size() == 2);
}

TEST_CASE("structure first: an unknown template, function or unnamed test hides the parameter problems") {
    // Every test here also has a parameter problem; reported, they would bury the real mistakes.
    json tests = json::array({{{"name", "sum"}, {"type", "expect_outptu"}, {"inputs", {"1"}}},
                              {{"type", "expect_output"}, {"compare", "fuzzy"}},
                              {{"name", "runs"}, {"type", "dont_fail"}, {"time_limit", "1s"}}});
    auto unknown_template = issues_of(config_of(tests, "input_outptu"));
    INFO(listed(unknown_template));
    REQUIRE_FALSE(unknown_template.empty());
    CHECK(has_issue(unknown_template, "template_name", "input_outptu"));
    for (const auto& issue : unknown_template) CHECK_MESSAGE(issue.message.find("parameter") == std::string::npos, issue.path);

    auto structural = issues_of(config_of(tests));
    INFO(listed(structural));
    CHECK(has_issue(structural, "criteria_config.base.tests[0].type", "expect_outptu"));
    for (const auto& issue : structural) {
        CHECK_MESSAGE(issue.path.find(".compare") == std::string::npos, issue.path);
        CHECK_MESSAGE(issue.path.find(".time_limit") == std::string::npos, issue.path);
    }

    // Once the structure is sound, the parameters are checked, each at its path.
    tests[0]["type"] = "expect_output";
    tests[0]["expected_output"] = "1";
    tests[1]["name"] = "fuzzy";
    tests[1]["expected_output"] = "3";
    auto parameters = issues_of(config_of(tests));
    INFO(listed(parameters));
    CHECK(has_issue(parameters, "criteria_config.base.tests[1].compare", "is not one of"));
    CHECK(has_issue(parameters, "criteria_config.base.tests[2].time_limit", "must be a number"));
    CHECK(parameters.size() == 2);
}
