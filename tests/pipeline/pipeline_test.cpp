#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
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

TEST_CASE("pipeline: a required file uploaded one folder down is named in the report") {
    auto pipeline = Pipeline::create(python_config(json::array({{{"name", "t"}, {"type", "dont_fail"}}}),
                                                   {{"python", {{"required_files", {"main.py"}}}}}),
                                     options());
    Submission nested;
    nested.files = {{"fizz/main.py", "print(1)\n"}};
    auto result = pipeline->grade(nested);
    CHECK(result.status == PipelineStatus::failed);
    CHECK(result.feedback.find("`main.py` (found at `fizz/main.py`: move it to the top folder") != std::string::npos);
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

TEST_CASE("pipeline: a setup command is a compile step by its program, not by its name") {
    // Named "Compile" but not a compiler of the language table: its failure is the command's
    // own (runtime_error, the generic hint), never a compile_error with the compiler's hint.
    json config = {
        {"template_name", "input_output"},
        {"languages", {"python"}},
        {"criteria_config", {{"base", {{"tests", {{{"name", "runs"}, {"type", "dont_fail"}}}}}}}},
        {"setup_config",
         {{"python", {{"setup_commands", {{{"name", "Compile the data"}, {"command", "sh -c \"exit 3\""}}}}}}}}};
    auto pipeline = Pipeline::create(config, options());
    Submission s;
    s.files = {{"main.py", "print(1)\n"}};
    auto result = pipeline->grade(s);
    CHECK(result.failed_at_step == "PRE_FLIGHT");
    CHECK(result.steps.back().error_details["status"] == "runtime_error");
    CHECK(result.feedback.find("Read the output above") != std::string::npos);
    CHECK(result.feedback.find("the compiler reports") == std::string::npos);
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
    });
    // A regex that does not compile is the configuration's mistake: refused before grading.
    json bad_regex = python_config(json::array({{{"name", "bad regex"},
                                                 {"type", "expect_output"},
                                                 {"inputs", {"1"}},
                                                 {"expected_output", "("},
                                                 {"compare", "regex"}}}));
    CHECK_THROWS_AS(Pipeline::create(bad_regex, options()), ConfigError);
    auto pipeline = Pipeline::create(python_config(tests), options());
    auto result = pipeline->grade(python("import math\nprint(math.sqrt(int(input())))\n"));
    REQUIRE(result.status == PipelineStatus::success);
    auto located = locate_tests(*result.result_tree);
    REQUIRE(located.size() == 4);
    CHECK(located[0].test->score == 100);
    CHECK(located[1].test->score == 100);
    CHECK(located[2].test->score == 100);
    CHECK(located[3].test->score == doctest::Approx(25));  // the checker's 0.25
    CHECK(result.final_score == doctest::Approx((100 + 100 + 100 + 25) / 4.0));
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
    struct Stamp final : HostStep {
        std::string name() const override { return "STAMP"; }
        StepOutcome run(const PipelineExecution&, json& host_data) const override {
            host_data["stamped"] = true;
            return StepOutcome::success("stamped");
        }
    };
    struct Explode final : HostStep {
        std::string name() const override { return "EXPLODE"; }
        StepOutcome run(const PipelineExecution&, json&) const override { throw std::runtime_error("boom"); }
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

    // An asset that is not there is refused when the pipeline is made; one that goes away after
    // that is the instructor's problem too: the grading is interrupted and says so.
    json missing = config;
    missing["setup_config"]["assets"][0]["source"] = "data/absent.csv";
    CHECK_THROWS_AS(Pipeline::create(missing, o), ConfigError);
    auto vanishing = Pipeline::create(config, o);
    std::filesystem::remove(dir / "data" / "input.csv");
    auto broken = vanishing->grade(python("print(1)\n"));
    CHECK(broken.status == PipelineStatus::interrupted);
    CHECK(broken.failed_at_step == "PRE_FLIGHT");
    CHECK(broken.steps.back().message.find("data/input.csv") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("pipeline: STRUCTURAL_ANALYSIS parses each file once for every structural test, errors as data") {
    // A host function that needs the trees and reports which tree object it was given.
    struct TreeWitness final : TestFunction {
        std::string key() const override { return "tree_witness"; }
        std::string description() const override { return "records the trees it sees"; }
        bool needs_syntax_trees() const override { return true; }
        TestOutcome run(const TestContext& context) const override {
            // The execution is read-only to a test function: it keeps what it saw itself (one
            // grading, so one thread).
            const auto* trees = context.execution.syntax_trees.get();
            seen.push_back(reinterpret_cast<std::uintptr_t>(trees));
            return {trees ? 100.0 : 0.0, "seen", std::nullopt};
        }
        mutable std::vector<std::uintptr_t> seen;
    };
    struct Recorder final : HostStep {
        std::string name() const override { return "RECORD"; }
        StepOutcome run(const PipelineExecution& execution, json&) const override {
            trees_present = execution.syntax_trees != nullptr;
            return StepOutcome::success();
        }
        mutable bool trees_present = false;
    };
    auto recorder = std::make_shared<Recorder>();
    PipelineOptions o = options();
    auto witness = std::make_shared<TreeWitness>();
    o.templates.add_function("host", witness);
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
    CHECK(recorder->trees_present);  // a host step after GRADE still sees them
    REQUIRE(witness->seen.size() == 3);
    CHECK(witness->seen[0] != 0);
    CHECK(witness->seen[1] == witness->seen[0]);  // the same trees for every test: parsed once
    CHECK(witness->seen[2] == witness->seen[0]);
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

namespace {

const std::string kReplacementCharacter = "\xEF\xBF\xBD";

// Whether `text` can be written as JSON at all: nlohmann refuses anything but valid UTF-8.
bool writes_as_json(const std::string& text) {
    try {
        (void)json(text).dump();
        return true;
    } catch (const json::type_error&) {
        return false;
    }
}

std::string repository_file(const std::string& path) {
    std::ifstream in(std::string(AUTOGRADER_SOURCE_DIR) + "/" + path, std::ios::binary);
    REQUIRE_MESSAGE(in, "cannot read " << path);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

json c_config(json tests) {
    return {{"template_name", "input_output"},
            {"languages", {"c"}},
            {"criteria_config", {{"base", {{"weight", 100}, {"tests", std::move(tests)}}}}}};
}

// The result as a host reads it: JSON text, parsed back.
json result_document(const GradingResult& result) {
    std::string text;
    REQUIRE_NOTHROW(text = result.to_json().dump());
    json parsed;
    REQUIRE_NOTHROW(parsed = json::parse(text));
    return parsed;
}

}  // namespace

TEST_CASE("pipeline: bytes that are not UTF-8 anywhere in a result give valid JSON and Markdown") {
    // A host step that leaves invalid UTF-8 in its message, in host data and in a key.
    struct Garble final : HostStep {
        std::string name() const override { return "GARBLE"; }
        StepOutcome run(const PipelineExecution&, json& host_data) const override {
            host_data["bytes"] = "\xff\xfe";
            host_data["key \xc0\xaf"] = 1;
            return StepOutcome::success("message \xed\xa0\x80");
        }
    };
    PipelineOptions o = options();
    o.extra_steps = {{"GRADE", std::make_shared<Garble>()}};
    json tests = json::array({{{"name", "test name \xff from a C++ host"},
                               {"type", "expect_output"},
                               {"program_command", "./a.out invalid"},
                               {"expected_output", "nope"}},
                              {{"name", "cut"},
                               {"type", "expect_output"},
                               {"program_command", "./a.out cut 4096 100"},
                               {"expected_output", "nope"}}});
    auto pipeline = Pipeline::create(c_config(tests), o);
    Submission s;
    s.files = {{"main.c", repository_file("tests/programs/threat_text.c")}};
    auto result = pipeline->grade(s);
    REQUIRE_MESSAGE(result.status == PipelineStatus::success, result.feedback);
    auto document = result_document(result);
    CHECK(writes_as_json(result.feedback));
    for (const auto& step : result.steps) CHECK_MESSAGE(writes_as_json(step.message), step.name);
    CHECK(document["host_data"]["bytes"] == kReplacementCharacter + kReplacementCharacter);
    const auto& reports = document["result_tree"]["root"]["base"]["tests"];
    REQUIRE(reports.size() == 2);
    CHECK(reports[0]["name"] == "test name " + kReplacementCharacter + " from a C++ host");
    CHECK(reports[0]["report"].get<std::string>().find("ok " + kReplacementCharacter) != std::string::npos);
    // The report shows the first 4096 bytes of the output: 4095 'a', then a 4-byte character that
    // the cut would split; it is left out whole, not half-shown as U+FFFD.
    const std::string cut_report = reports[1]["report"];
    CHECK(cut_report.find(std::string(4095, 'a')) != std::string::npos);
    CHECK(cut_report.find(kReplacementCharacter) == std::string::npos);
}

TEST_CASE("pipeline: compiler output cut at 8 KiB and at the 64 KiB cap inside a character, file name \\xff") {
    auto pipeline = Pipeline::create(c_config(json::array({{{"name", "runs"}, {"type", "dont_fail"}}})), options());
    const std::string face = "\xf0\x9f\x98\x80";
    bool cap_cut_a_character = false;
    // Eight errors that each quote a line of 2500 four-byte characters: 80 KiB of compiler output.
    // `padding` moves every later byte, so that the cuts fall inside a character in most variants.
    for (int padding = 0; padding < 4; ++padding) {
        CAPTURE(padding);
        std::string source = "int main(void) {\n";
        for (int k = 0; k < 8; ++k) {
            source += "  int x" + std::to_string(k) + " = y" + std::to_string(k) + "; /* ";
            if (k == 0) source += std::string(static_cast<size_t>(padding), 'a');
            for (int i = 0; i < 2500; ++i) source += face;
            source += " */\n";
        }
        source += "  return 0;\n}\n";
        Submission s;
        s.files = {{"main.c", source}, {"deep/er/and/deeper/still/\xff\xfe name.c", "int f(void) { return 1; }\n"}};
        auto result = pipeline->grade(s);
        CHECK(result.status == PipelineStatus::failed);
        CHECK(result.failed_at_step == "PRE_FLIGHT");
        auto document = result_document(result);
        CHECK(writes_as_json(result.feedback));
        // The command names the file, its bytes replaced; the output shown (8 KiB) is cut whole.
        const auto output_at = result.feedback.find("Output:");
        REQUIRE(output_at != std::string::npos);
        CHECK(result.feedback.substr(0, output_at).find(kReplacementCharacter + kReplacementCharacter + " name.c") !=
              std::string::npos);
        CHECK(result.feedback.find(kReplacementCharacter, output_at) == std::string::npos);
        CHECK(result.feedback.find(face + face) != std::string::npos);
        // The details keep what the 64 KiB cap let through, without the character it cut.
        const auto& details = document["pipeline"]["steps"].back()["error_details"];
        const std::string stderr_text = details["stderr"];
        CHECK(stderr_text.size() <= 65536);
        CHECK(stderr_text.size() > 65536 - 4);
        CHECK(stderr_text.find(kReplacementCharacter) == std::string::npos);
        if (stderr_text.size() < 65536) cap_cut_a_character = true;
    }
    CHECK_MESSAGE(cap_cut_a_character, "no variant had the 64 KiB cap inside a character: the test proves nothing");
}

TEST_CASE("pipeline: file names never become compiler options in PRE_FLIGHT's automatic compile") {
    auto pipeline = Pipeline::create(c_config(json::array({{{"name", "runs"}, {"type", "dont_fail"}}})), options());
    std::ifstream in(std::string(AUTOGRADER_TEST_PROGRAMS_DIR) + "/threat_compiler_plugin.so", std::ios::binary);
    REQUIRE(in);
    std::ostringstream plugin;
    plugin << in.rdbuf();
    Submission s;
    s.files = {{"main.c", "int main(void) { return 0; }\n"}, {"x.c", plugin.str()}, {"-fplugin=./x.c", plugin.str()}};
    auto result = pipeline->grade(s);
    CHECK(result.failed_at_step == "PRE_FLIGHT");
    auto document = result_document(result);
    CHECK(document.dump().find("threat_compiler_plugin: loaded") == std::string::npos);
    CHECK(result.feedback.find("./-fplugin=./x.c") != std::string::npos);
}

TEST_CASE("pipeline: a failing dont_fail and a crash show what the program printed before it stopped") {
    json tests = json::array({{{"name", "runs"}, {"type", "dont_fail"}},
                              {{"name", "prints"}, {"type", "expect_output"}, {"expected_output", "done"}}});
    auto pipeline = Pipeline::create(python_config(tests), options());
    auto result = pipeline->grade(python("print('test_sum PASSED')\nprint('test_div FAILED')\nraise SystemExit(1)\n"));
    REQUIRE(result.status == PipelineStatus::success);
    for (const auto& located : locate_tests(*result.result_tree)) {
        CAPTURE(located.test->report);
        CHECK(located.test->score == 0);
        CHECK(located.test->report.find("Output before it stopped:") != std::string::npos);
        CHECK(located.test->report.find("test_div FAILED") != std::string::npos);
    }
}

TEST_CASE("pipeline: a long output that differs in one line is shown as a unified diff") {
    std::string expected;
    for (int i = 1; i <= 15; ++i) expected += std::to_string(i * i) + "\n";
    json tests = json::array({{{"name", "squares"}, {"type", "expect_output"}, {"expected_output", expected}}});
    auto pipeline = Pipeline::create(python_config(tests), options());
    auto result = pipeline->grade(python("for i in range(1, 16):\n    print(i * i if i != 8 else 65)\n"));
    REQUIRE(result.status == PipelineStatus::success);
    const std::string& report = locate_tests(*result.result_tree)[0].test->report;
    CAPTURE(report);
    CHECK(report.find("Differences (- expected, + your output):") != std::string::npos);
    CHECK(report.find("-64\n+65\n") != std::string::npos);
    CHECK(report.find("Expected output:") == std::string::npos);
    CHECK(report.find("\n 196\n") == std::string::npos);  // far from the change: not repeated
}

TEST_CASE("pipeline: expect_file_artifact regex searches as Python's re.search, inline flags work") {
    json tests = json::array({{{"name", "counts"},
                               {"type", "expect_file_artifact"},
                               {"artifact_path", "report.txt"},
                               {"expected_content", "(?m)^words=\\d+$"},
                               {"match_mode", "regex"}},
                              {{"name", "case"},
                               {"type", "expect_file_artifact"},
                               {"artifact_path", "report.txt"},
                               {"expected_content", "(?i)LINES=2"},
                               {"match_mode", "regex"}}});
    auto pipeline = Pipeline::create(python_config(tests), options());
    auto result = pipeline->grade(python("open('report.txt', 'w').write('lines=2\\nwords=7\\nchars=30\\n')\n"));
    REQUIRE(result.status == PipelineStatus::success);
    INFO(result.to_json()["result_tree"].dump(2));
    CHECK(result.final_score == doctest::Approx(100));
}

TEST_CASE("pipeline: wall_time_limit per test, and a time budget for the whole submission") {
    // time_limit is CPU time: a sleeping program is stopped by the wall limit.
    json sleeper = {{"name", "sleeps"}, {"type", "dont_fail"}, {"time_limit", 0.5}, {"wall_time_limit", 1}};
    auto limited = Pipeline::create(python_config(json::array({sleeper})), options());
    auto slept = limited->grade(python("import time\ntime.sleep(100)\n"));
    REQUIRE(slept.status == PipelineStatus::success);
    const auto* test = locate_tests(*slept.result_tree)[0].test;
    CAPTURE(test->report);
    CHECK(test->score == 0);
    CHECK(test->report.find("ran out of time") != std::string::npos);

    // Three sleeping tests under a 3 s budget: once it is spent, the rest are not run.
    json tests = json::array({{{"name", "one"}, {"type", "dont_fail"}, {"time_limit", 0.5}},
                              {{"name", "two"}, {"type", "dont_fail"}, {"time_limit", 0.5}},
                              {{"name", "three"}, {"type", "dont_fail"}, {"time_limit", 0.5}}});
    json config = python_config(tests);
    config["time_budget"] = 3;
    auto budgeted = Pipeline::create(config, options())->grade(python("import time\ntime.sleep(100)\n"));
    REQUIRE(budgeted.status == PipelineStatus::success);
    auto located = locate_tests(*budgeted.result_tree);
    REQUIRE(located.size() == 3);
    CHECK(located[0].test->report.find("ran out of time") != std::string::npos);
    for (size_t i = 1; i < 3; ++i) {
        CAPTURE(located[i].test->report);
        CHECK(located[i].test->score == 0);
        CHECK(located[i].test->report.find("time budget of 3 s was used up") != std::string::npos);
    }
}

TEST_CASE("pipeline: forbidden_import on a file the submission does not have scores 100") {
    json config = {{"template_name", "static_analysis"},
                   {"languages", {"python"}},
                   {"criteria_config",
                    {{"base",
                      {{"tests",
                        {{{"name", "no os in helpers"},
                          {"type", "forbidden_import"},
                          {"file", "helpers.py"},
                          {"forbidden_imports", {"os"}}}}}}}}}};
    auto result = Pipeline::create(config, options())->grade(python("import os\nprint(1)\n"));
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == 100);
    CHECK(locate_tests(*result.result_tree)[0].test->report.find("no file 'helpers.py'") != std::string::npos);
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
