// SubmissionSyntax: the public, read-only view of the parsed files that host test functions get.
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"
#include "autograder/syntax.hpp"

using namespace autograder;
using json = nlohmann::json;

namespace {

// Scores the share of main.py's functions that have a docstring, through the public view only.
struct DocumentedFunctions final : TestFunction {
    std::string key() const override { return "documented_functions"; }
    std::string description() const override { return "every function has a docstring"; }
    bool needs_syntax_trees() const override { return true; }
    TestOutcome run(const TestContext& context) const override {
        SubmissionSyntax syntax = SubmissionSyntax::of(context);
        auto functions = syntax.query("main.py", "(function_definition name: (identifier) @name)");
        auto documented = syntax.query(
            "main.py",
            "(function_definition name: (identifier) @name body: (block . (expression_statement (string))))");
        std::string names;
        for (const auto& match : documented)
            names += match.captures.at(0).text + "@" + std::to_string(match.captures.at(0).line) + " ";
        double score = functions.empty()
                           ? 100
                           : 100.0 * static_cast<double>(documented.size()) / static_cast<double>(functions.size());
        return {score, names, std::nullopt};
    }
};

// Reads the trees without saying so: a mistake of the function's author, reported as such.
struct Undeclared final : TestFunction {
    std::string key() const override { return "undeclared"; }
    std::string description() const override { return "reads trees without needs_syntax_trees()"; }
    TestOutcome run(const TestContext& context) const override {
        SubmissionSyntax::of(context);
        return {100, "read", std::nullopt};
    }
};

}  // namespace

TEST_CASE("syntax: a host test function queries the parsed files through the public view") {
    PipelineOptions options;
    options.templates.add_function("host", std::make_shared<DocumentedFunctions>());
    options.templates.add_function("host", std::make_shared<Undeclared>());
    json config = {{"template_name", "host"},
                   {"include_feedback", false},
                   {"criteria_config",
                    {{"base",
                      {{"tests",
                        {{{"name", "docstrings"}, {"type", "documented_functions"}}}}}}}}};
    auto pipeline = Pipeline::create(config, options);
    Submission submission;
    submission.language = "python";
    submission.files = {{"main.py", "def a():\n    \"\"\"Doc.\"\"\"\n    return 1\n\ndef b():\n    return 2\n"},
                        {"notes.txt", "not code"}};
    GradingResult result = pipeline->grade(submission);
    REQUIRE(result.status == PipelineStatus::success);
    const auto& tests = result.result_tree->base.tests;
    REQUIRE(tests.size() == 1);
    CHECK(tests[0].score == doctest::Approx(50));
    CHECK(tests[0].report == "a@1 ");

    // Alone, a function that reads trees without saying so finds none parsed, and says why.
    config["criteria_config"]["base"]["tests"] = {{{"name", "undeclared"}, {"type", "undeclared"}}};
    GradingResult undeclared = Pipeline::create(config, options)->grade(submission);
    REQUIRE(undeclared.status == PipelineStatus::success);
    CHECK(undeclared.result_tree->base.tests.at(0).score == 0);
    CHECK(undeclared.result_tree->base.tests.at(0).report.find("does not declare needs_syntax_trees()") !=
          std::string::npos);
}

TEST_CASE("syntax: languages, errors, S-expressions, and what is refused") {
    struct Inspect final : TestFunction {
        std::string key() const override { return "inspect"; }
        std::string description() const override { return "inspects the view"; }
        bool needs_syntax_trees() const override { return true; }
        TestOutcome run(const TestContext& context) const override {
            SubmissionSyntax syntax = SubmissionSyntax::of(context);
            CHECK(syntax.parsed_files() == std::vector<std::string>{"main.py", "Broken.java"});
            CHECK(syntax.language("main.py") == "python");
            CHECK(syntax.language("Broken.java") == "java");
            CHECK_FALSE(syntax.language("notes.txt").has_value());
            CHECK_FALSE(syntax.has_syntax_errors("main.py"));
            CHECK(syntax.has_syntax_errors("Broken.java"));
            CHECK(syntax.s_expression("main.py").find("(module (expression_statement") == 0);
            CHECK_THROWS_AS(syntax.query("main.py", "(not_a_node_type) @x"), std::invalid_argument);
            CHECK_THROWS_AS(syntax.query("notes.txt", "(module) @m"), std::invalid_argument);
            CHECK_THROWS_AS(syntax.s_expression("absent.py"), std::invalid_argument);
            return {100, "inspected", std::nullopt};
        }
    };
    PipelineOptions options;
    options.templates.add_function("host", std::make_shared<Inspect>());
    json config = {{"template_name", "host"},
                   {"include_feedback", false},
                   {"criteria_config", {{"base", {{"tests", {{{"name", "inspect"}, {"type", "inspect"}}}}}}}}};
    Submission submission;
    submission.language = "python";
    submission.files = {{"main.py", "print(1)\n"}, {"Broken.java", "class Broken { void f( }\n"}, {"notes.txt", "x"}};
    GradingResult result = Pipeline::create(config, options)->grade(submission);
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(100));
}
