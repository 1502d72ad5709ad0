#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <thread>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"

using namespace autograder;
using nlohmann::json;

namespace {

std::shared_ptr<SandboxPool> pool() {
    static auto shared = [] {
        SandboxPoolOptions options;
        options.default_size = 2;
        options.max_total = 24;
        return std::make_shared<SandboxPool>(options);
    }();
    return shared;
}

PipelineOptions options() {
    PipelineOptions o;
    o.pool = pool();
    return o;
}

json python_config(json tests, json setup = json::object()) {
    return {{"template_name", "input_output"},
            {"languages", {"python"}},
            {"criteria_config", {{"base", {{"weight", 100}, {"tests", std::move(tests)}}}}},
            {"setup_config", std::move(setup)}};
}

Submission python(std::string code) {
    Submission s;
    s.files = {{"main.py", std::move(code)}};
    return s;
}

}  // namespace

TEST_CASE("pipeline: steps are present only when needed, in the design's order") {
    auto with_sandbox =
        Pipeline::create(python_config(json::array({{{"name", "t"}, {"type", "dont_fail"}}})), options());
    CHECK(with_sandbox->step_names() == std::vector<std::string>{"LOAD_TEMPLATE", "BUILD_TREE", "SANDBOX", "PRE_FLIGHT",
                                                                 "GRADE", "FOCUS", "FEEDBACK"});

    // A host test function that runs no code: no sandbox, no pre-flight; no feedback when not asked.
    struct Constant final : TestFunction {
        std::string key() const override { return "constant"; }
        std::string description() const override { return "scores what its parameter says"; }
        TestOutcome run(const TestContext& context) const override {
            return {context.spec.parameter("score")->get<double>(), "as configured", std::nullopt};
        }
    };
    PipelineOptions o = options();
    o.templates.add_function("host", std::make_shared<Constant>());
    json config = {{"template_name", "host"},
                   {"include_feedback", false},
                   {"criteria_config",
                    {{"base",
                      {{"tests",
                        {{{"name", "a"}, {"type", "constant"}, {"score", 40}},
                         {{"name", "b"}, {"type", "constant"}, {"score", 80}}}}}}}}};
    auto no_sandbox = Pipeline::create(config, o);
    CHECK(no_sandbox->step_names() == std::vector<std::string>{"LOAD_TEMPLATE", "BUILD_TREE", "GRADE", "FOCUS"});
    Submission s;
    s.files = {{"anything.txt", "x"}};
    s.language = "python";
    auto result = no_sandbox->grade(s);
    CHECK(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(60.0));  // (40 + 80) / 2, equal weights
    CHECK(result.feedback.empty());
}

TEST_CASE("pipeline: a configuration error names the JSON path before anything runs") {
    json config = python_config(json::array(
        {{{"name", "t"}, {"type", "no_such_function"}}, {{"name", "u"}, {"type", "dont_fail"}, {"weight", -5}}}));
    try {
        Pipeline::create(config, options());
        FAIL("expected a ConfigError");
    } catch (const ConfigError& e) {
        std::string all;
        for (const auto& issue : e.issues()) all += issue.path + ": " + issue.message + "\n";
        CHECK(all.find("criteria_config.base.tests[0]") != std::string::npos);
        CHECK(all.find("criteria_config.base.tests[1].weight") != std::string::npos);
        CHECK(pool()->stats().active == 0);
    }
}

TEST_CASE("pipeline: a missing required file fails PRE_FLIGHT with every missing file listed") {
    auto pipeline =
        Pipeline::create(python_config(json::array({{{"name", "t"}, {"type", "dont_fail"}}}),
                                       {{"python", {{"required_files", {"main.py", "util.py", "data/table.csv"}}}}}),
                         options());
    auto result = pipeline->grade(python("print(1)\n"));
    CHECK(result.status == PipelineStatus::failed);
    CHECK(result.failed_at_step == "PRE_FLIGHT");
    CHECK(result.final_score == 0);
    CHECK(result.feedback.find("`util.py`") != std::string::npos);
    CHECK(result.feedback.find("`data/table.csv`") != std::string::npos);
    CHECK(result.feedback.find("`main.py`") == std::string::npos);  // present, so not listed
    auto details = result.steps.back().error_details;
    CHECK(details["missing_files"].size() == 2);
}

TEST_CASE("pipeline: a compile error fails PRE_FLIGHT with the compiler's message and what to do") {
    json config = {
        {"template_name", "input_output"},
        {"languages", {"c"}},
        {"criteria_config", {{"base", {{"tests", {{{"name", "runs"}, {"type", "dont_fail"}}}}}}}},
        {"setup_config", {{"c", {{"setup_commands", {{{"name", "Compile"}, {"command", "gcc -o prog main.c"}}}}}}}}};
    auto pipeline = Pipeline::create(config, options());
    Submission s;
    s.files = {{"main.c", "int main(void) { return undeclared_thing; }\n"}};
    auto result = pipeline->grade(s);
    CHECK(result.status == PipelineStatus::failed);
    CHECK(result.failed_at_step == "PRE_FLIGHT");
    CHECK(result.feedback.find("gcc -o prog main.c") != std::string::npos);
    CHECK(result.feedback.find("undeclared_thing") != std::string::npos);
    CHECK(result.feedback.find("Exit code: 1") != std::string::npos);
    CHECK(result.steps.back().error_details["status"] == "compile_error");

    // Without setup commands, a compiled language is compiled by pre-flight itself.
    json automatic = config;
    automatic["setup_config"] = json::object();
    automatic["criteria_config"]["base"]["tests"][0]["program_command"] = "CMD";
    auto auto_pipeline = Pipeline::create(automatic, options());
    auto failed = auto_pipeline->grade(s);
    CHECK(failed.failed_at_step == "PRE_FLIGHT");
    Submission fine;
    fine.files = {{"main.c", "int main(void) { return 0; }\n"}};
    CHECK(auto_pipeline->grade(fine).final_score == doctest::Approx(100));
}

TEST_CASE("pipeline: a student program that never ends scores 0 for that test, and grading goes on") {
    json tests =
        json::array({{{"name", "loops"},
                      {"type", "expect_output"},
                      {"inputs", {"1"}},
                      {"expected_output", "1"},
                      {"time_limit", 0.5}},
                     {{"name", "echoes"}, {"type", "expect_output"}, {"inputs", {"2"}}, {"expected_output", "2"}}});
    auto pipeline = Pipeline::create(python_config(tests), options());
    auto result = pipeline->grade(python("x = input()\nif x == '1':\n    while True: pass\nprint(x)\n"));
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(50));
    auto located = locate_tests(*result.result_tree);
    REQUIRE(located.size() == 2);
    CHECK(located[0].test->score == 0);
    CHECK(located[0].test->report.find("ran out of time") != std::string::npos);
    REQUIRE(located[0].test->resources.has_value());
    CHECK(located[0].test->resources->cpu_ms >= 500);
    CHECK(located[1].test->score == 100);
}

TEST_CASE("pipeline: compare modes, per-language commands and a checker with partial credit") {
    json tests = json::array({
        {{"name", "float"},
         {"type", "expect_output"},
         {"inputs", {"3"}},
         {"expected_output", "1.7320508"},
         {"compare", "float"},
         {"abs_tol", 1e-6}},
        {{"name", "regex"},
         {"type", "expect_output"},
         {"inputs", {"3"}},
         {"expected_output", "1\\.73\\d+"},
         {"compare", "regex"}},
        {{"name", "per-language"},
         {"type", "expect_output"},
         {"inputs", {"4"}},
         {"expected_output", "2.0"},
         {"program_command", {{"python", "python3 main.py"}, {"java", "java Main"}}}},
        {{"name", "checker"},
         {"type", "expect_output"},
         {"inputs", {"9"}},
         {"expected_output", "3"},
         {"compare", "checker"},
         {"checker", "python3 -c \"import sys; print(0.25 if open(sys.argv[2]).read().startswith('3') else 0)\""}},
        {{"name", "bad regex"},
         {"type", "expect_output"},
         {"inputs", {"1"}},
         {"expected_output", "("},
         {"compare", "regex"}},
    });
    auto pipeline = Pipeline::create(python_config(tests), options());
    auto result = pipeline->grade(python("import math\nprint(math.sqrt(int(input())))\n"));
    REQUIRE(result.status == PipelineStatus::success);
    auto located = locate_tests(*result.result_tree);
    REQUIRE(located.size() == 5);
    CHECK(located[0].test->score == 100);
    CHECK(located[1].test->score == 100);
    CHECK(located[2].test->score == 100);
    CHECK(located[3].test->score == doctest::Approx(25));  // the checker's 0.25
    CHECK(located[4].test->score == 0);
    CHECK(located[4].test->report.find("invalid regex") != std::string::npos);
    CHECK(result.final_score == doctest::Approx((100 + 100 + 100 + 25 + 0) / 5.0));
}

TEST_CASE("pipeline: 16 threads grading one submission through one pipeline agree exactly") {
    json tests =
        json::array({{{"name", "double"}, {"type", "expect_output"}, {"inputs", {"21"}}, {"expected_output", "42"}},
                     {{"name", "wrong"}, {"type", "expect_output"}, {"inputs", {"1"}}, {"expected_output", "3"}},
                     {{"name", "runs"}, {"type", "dont_fail"}, {"weight", 50}}});
    auto pipeline = Pipeline::create(python_config(tests), options());
    auto submission =
        python("import sys\nwords = sys.stdin.read().split()\nprint(int(words[0]) * 2 if words else 0)\n");
    std::vector<json> results(16);
    std::vector<std::thread> threads;
    for (int i = 0; i < 16; ++i)
        threads.emplace_back([&, i] {
            auto graded = pipeline->grade(submission).to_json();
            graded.erase("pipeline");  // durations differ
            for (auto& test : graded["result_tree"]["root"]["base"]["tests"]) test.erase("resources");
            results[i] = graded;
        });
    for (auto& t : threads) t.join();
    // (100·100 + 0·100 + 100·50) / 250 = 60
    CHECK(results[0]["final_score"].get<double>() == doctest::Approx(60));
    for (int i = 1; i < 16; ++i) CHECK_MESSAGE(results[i] == results[0], "thread " << i);
}

TEST_CASE("pipeline: a host step runs in place, and an exception escaping a step interrupts") {
    struct Stamp final : Step {
        std::string name() const override { return "STAMP"; }
        StepOutcome run(PipelineExecution& execution) const override {
            execution.host_data["stamped"] = true;
            return StepOutcome::success("stamped");
        }
    };
    struct Explode final : Step {
        std::string name() const override { return "EXPLODE"; }
        StepOutcome run(PipelineExecution&) const override { throw std::runtime_error("boom"); }
    };
    PipelineOptions o = options();
    o.extra_steps = {{"BUILD_TREE", std::make_shared<Stamp>()}, {"GRADE", std::make_shared<Explode>()}};
    auto pipeline = Pipeline::create(python_config(json::array({{{"name", "t"}, {"type", "dont_fail"}}})), o);
    auto names = pipeline->step_names();
    CHECK(names == std::vector<std::string>{"LOAD_TEMPLATE", "BUILD_TREE", "STAMP", "SANDBOX", "PRE_FLIGHT", "GRADE",
                                            "EXPLODE", "FOCUS", "FEEDBACK"});
    auto before = pool()->stats();
    auto result = pipeline->grade(python("print(1)\n"));
    CHECK(result.status == PipelineStatus::interrupted);
    CHECK(result.failed_at_step == "EXPLODE");
    CHECK(result.steps.back().message == "boom");
    CHECK(result.steps[2].message == "stamped");
    // What host steps leave in the execution comes out with the result, even an interrupted one.
    CHECK(result.host_data == json{{"stamped", true}});
    CHECK(result.to_json()["host_data"] == json{{"stamped", true}});
    // The sandbox was released although the pipeline stopped early.
    CHECK(pool()->stats().active == before.active);
}

TEST_CASE("pipeline: a language the assignment does not accept fails LOAD_TEMPLATE with the list") {
    auto pipeline = Pipeline::create(python_config(json::array({{{"name", "t"}, {"type", "dont_fail"}}})), options());
    Submission s = python("print(1)\n");
    s.language = "java";
    auto result = pipeline->grade(s);
    CHECK(result.status == PipelineStatus::failed);
    CHECK(result.failed_at_step == "LOAD_TEMPLATE");
    CHECK(result.steps.back().message.find("accepted: python") != std::string::npos);
}

TEST_CASE("pipeline: assets are copied in read-only before the tests, from the assignment folder") {
    auto dir = std::filesystem::temp_directory_path() / ("assets-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "data");
    std::ofstream(dir / "data" / "input.csv") << "a,b\n1,2\n";
    json config = python_config(
        json::array({{{"name", "reads the asset"}, {"type", "expect_output"}, {"expected_output", "a,b|1,2|denied"}}}),
        {{"assets", {{{"source", "data/input.csv"}, {"target", "/tmp/input.csv"}, {"read_only", true}}}}});
    PipelineOptions o = options();
    o.assignment_directory = dir.string();
    auto pipeline = Pipeline::create(config, o);
    auto result =
        pipeline->grade(python("lines = open('/tmp/input.csv').read().split()\n"
                               "try:\n    open('/tmp/input.csv', 'w').write('changed')\n    state = 'written'\n"
                               "except PermissionError:\n    state = 'denied'\n"
                               "print('|'.join(lines + [state]))\n"));
    INFO(result.to_json()["pipeline"].dump(2));
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(100));

    // An asset that cannot be read is the instructor's problem: the grading is interrupted and says so.
    json missing = config;
    missing["setup_config"]["assets"][0]["source"] = "data/absent.csv";
    auto broken = Pipeline::create(missing, o)->grade(python("print(1)\n"));
    CHECK(broken.status == PipelineStatus::interrupted);
    CHECK(broken.failed_at_step == "PRE_FLIGHT");
    CHECK(broken.steps.back().message.find("data/absent.csv") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("pipeline: STRUCTURAL_ANALYSIS parses each file once for every structural test, errors as data") {
    // A host function that needs the trees and reports which tree object it was given.
    struct TreeWitness final : TestFunction {
        std::string key() const override { return "tree_witness"; }
        std::string description() const override { return "records the trees it sees"; }
        bool needs_syntax_trees() const override { return true; }
        TestOutcome run(const TestContext& context) const override {
            const auto* trees = context.execution.syntax_trees.get();
            context.execution.host_data["seen"].push_back(reinterpret_cast<std::uintptr_t>(trees));
            return {trees ? 100.0 : 0.0, "seen", std::nullopt};
        }
    };
    struct Recorder final : Step {
        std::string name() const override { return "RECORD"; }
        StepOutcome run(PipelineExecution& execution) const override {
            seen = execution.host_data["seen"];
            return StepOutcome::success();
        }
        mutable json seen;
    };
    auto recorder = std::make_shared<Recorder>();
    PipelineOptions o = options();
    o.templates.add_function("host", std::make_shared<TreeWitness>());
    o.extra_steps = {{"GRADE", recorder}};
    json tests = json::array();
    for (const char* name : {"a", "b", "c"}) tests.push_back({{"name", name}, {"type", "tree_witness"}});
    tests.push_back({{"name", "imports"}, {"type", "forbidden_import"}, {"forbidden_imports", {"os"}}});
    json config = {{"template_name", {"host", "static_analysis"}},
                   {"include_feedback", false},
                   {"criteria_config", {{"base", {{"tests", tests}}}}}};
    auto pipeline = Pipeline::create(config, o);
    CHECK(pipeline->step_names() ==
          std::vector<std::string>{"LOAD_TEMPLATE", "BUILD_TREE", "STRUCTURAL_ANALYSIS", "GRADE", "RECORD", "FOCUS"});

    Submission s;
    s.language = "python";
    s.files = {{"main.py", "import os\ndef broken(:\n    pass\n"}, {"helper.py", "x = 1\n"}, {"notes.txt", "plain"}};
    auto result = pipeline->grade(s);
    CHECK(result.status == PipelineStatus::success);
    REQUIRE(recorder->seen.size() == 3);
    CHECK(recorder->seen[0] != 0);
    CHECK(recorder->seen[1] == recorder->seen[0]);  // the same trees for every test: parsed once
    CHECK(recorder->seen[2] == recorder->seen[0]);
    const StepResult& step = result.steps[2];
    CHECK(step.name == "STRUCTURAL_ANALYSIS");
    CHECK(step.status == PipelineStatus::success);
    CHECK(step.message.find("2 files parsed") != std::string::npos);  // notes.txt has no grammar
    CHECK(step.message.find("1 with syntax errors") != std::string::npos);
    REQUIRE(step.error_details.contains("syntax_errors"));
    CHECK(step.error_details["syntax_errors"][0]["file"] == "main.py");
    CHECK(step.error_details["syntax_errors"][0]["line"] == 2);
    // The import before the error is still found, and the report says the file did not parse.
    CHECK(result.final_score == doctest::Approx(75.0));
    std::string dump = result.to_json().dump();
    CHECK(dump.find("Syntax errors in `main.py` (line 2)") != std::string::npos);

    // Without structural tests there is no STRUCTURAL_ANALYSIS step.
    auto plain = Pipeline::create(python_config(json::array({{{"name", "t"}, {"type", "dont_fail"}}})), options());
    for (const auto& name : plain->step_names()) CHECK(name != "STRUCTURAL_ANALYSIS");
}

TEST_CASE("pipeline: a file name that is not UTF-8 is replaced in the result JSON (found by fuzzing)") {
    // No sandbox: a webdev check names the stylesheet it read in its report.
    auto pipeline = Pipeline::create(json::parse(R"({"template_name": "webdev", "criteria_config": {"base": {
        "tests": [{"name": "flex", "type": "check_flexbox_usage"}]}}})"));
    Submission submission;
    submission.files = {{"deep/\xff\xfe/n\xc3\xa3o.css", ".a { color: red; }"}};
    GradingResult result = pipeline->grade(submission);
    std::string text;
    REQUIRE_NOTHROW(text = result.to_json().dump());
    CHECK(text.find("deep/\xef\xbf\xbd\xef\xbf\xbd/n\xc3\xa3o.css") != std::string::npos);
}
