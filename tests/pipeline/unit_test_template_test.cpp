// The unit_test template's pytest function: the instructor's tests (examples/assignments/
// python-statistics) run against the student's code as the grader, each case a test of the result,
// and submissions that try to get points without earning them.
#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"

namespace fs = std::filesystem;
using namespace autograder;
using nlohmann::json;

namespace {

const fs::path kAssignment = fs::path(AUTOGRADER_SOURCE_DIR) / "examples" / "assignments" / "python-statistics";

std::shared_ptr<SandboxPool> pool() {
    static auto shared = [] {
        SandboxPoolOptions options;
        options.default_size = 1;
        options.max_total = 4;
        return std::make_shared<SandboxPool>(options);
    }();
    return shared;
}

json assignment_config() {
    std::ifstream in(kAssignment / "config.json");
    REQUIRE(in);
    return json::parse(in);
}

std::shared_ptr<const Pipeline> statistics_pipeline(json config = assignment_config()) {
    PipelineOptions options;
    options.assignment_directory = kAssignment.string();
    options.pool = pool();
    return Pipeline::create(config, options);
}

GradingResult grade(const std::vector<SourceFile>& files, json config = assignment_config()) {
    Submission submission;
    submission.files = files;
    return statistics_pipeline(std::move(config))->grade(submission);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Functions that fail every visible instructor test (only the hidden test_median_keeps_input passes:
// 50 of the hidden suite's 20 points, 10 in all): whatever a hostile submission adds to them must
// not earn a point more.
const std::string kWrongFunctions =
    "def mean(values):\n    return 0\n\n"
    "def median(values):\n    return 0\n\n"
    "def mode(values):\n    return 0\n";

const std::string kPartial =
    "def mean(values):\n    return sum(values) / len(values)\n\n"
    "def median(values):\n    return sorted(values)[len(values) // 2]\n\n"
    "def mode(values):\n    return max(values, key=values.count)\n";

const TestResult& test_named(const ResultTree& tree, const std::string& name) {
    for (const auto& test : tree.base.tests)
        if (test.name == name) return test;
    FAIL("no test " << name);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("pytest: every instructor case is a test of the result, with its weight and failure message") {
    GradingResult result = grade({{"stats.py", kPartial}});
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(60.0));
    const TestResult& visible = test_named(*result.result_tree, "instructor tests");
    REQUIRE(visible.cases.size() == 6);
    CHECK(visible.score == doctest::Approx(62.5));
    CHECK(visible.cases[0].name == "test_stats::test_mean_simple");
    CHECK(visible.cases[0].score == 100);
    CHECK(visible.cases[0].weight == doctest::Approx(12.5));  // 1 of 8
    CHECK(visible.cases[3].name == "test_stats::test_median_even");
    CHECK(visible.cases[3].weight == doctest::Approx(25.0));  // test_median_* weighs 2
    CHECK(visible.cases[3].score == 0);
    CHECK(contains(visible.cases[3].report, "assert 3 == 2.5"));
    CHECK(visible.cases[5].name == "test_stats.TestSingleValue::test_single_value");  // unittest
    CHECK(visible.cases[5].score == 100);
    CHECK(contains(visible.report, "4 of 6 instructor tests passed"));

    // Each case is located on its own: score vector, focus, summary.
    CHECK(result.result_tree->summary.total == 8);
    CHECK(result.result_tree->summary.passed == 5);
    bool found = false;
    for (const auto& [path, score] : result.score_vector)
        if (path == "base/instructor tests/test_stats::test_median_even") found = score == 0;
    CHECK(found);
    CHECK(result.focus.base.front().path == "base/instructor tests/test_stats::test_median_even");
    CHECK(result.focus.base.front().impact == doctest::Approx(20.0));  // 100 x 0.8 x 0.25

    // The hidden suite's case names and messages stay with the teacher.
    const std::string student = result.feedback + result.to_student_json().dump();
    CHECK(contains(result.feedback, "test_median_even"));
    CHECK_FALSE(contains(student, "test_mode_tie_smallest"));
    CHECK_FALSE(contains(student, "on a tie, mode returns the smallest value"));
    CHECK_FALSE(contains(student, "hidden tests"));
    CHECK(contains(result.teacher_feedback, "test_mode_tie_smallest"));
    CHECK(contains(result.to_json().dump(), "on a tie, mode returns the smallest value"));
}

TEST_CASE("pytest: the functions the hostile submissions build on score 10") {
    GradingResult result = grade({{"stats.py", kWrongFunctions}});
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(10.0));
}

TEST_CASE("pytest: a student conftest.py, pytest.ini or test file named like the instructor's changes nothing") {
    const std::string conftest =
        "import pytest\n"
        "@pytest.hookimpl(hookwrapper=True)\n"
        "def pytest_runtest_makereport(item, call):\n"
        "    outcome = yield\n"
        "    outcome.get_result().outcome = 'passed'\n";
    GradingResult result = grade({{"stats.py", kWrongFunctions},
                                  {"conftest.py", conftest},
                                  {"pytest.ini", "[pytest]\naddopts = -p conftest\n"},
                                  {"test_stats.py", "def test_mean_simple():\n    pass\n"},
                                  {"test_hidden.py", "def test_mode_tie_smallest():\n    pass\n"}});
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(10.0));  // as without the planted files
    const TestResult& visible = test_named(*result.result_tree, "instructor tests");
    REQUIRE(visible.cases.size() == 6);  // the instructor's cases, not the student's one
    for (const auto& test_case : visible.cases) CHECK(test_case.score == 0);
}

TEST_CASE("pytest: a JUnit report forged by the student's code, at import, in a test or at exit, gives nothing") {
    const std::string forger =
        "import atexit, os\n"
        "FAKE = ('<?xml version=\"1.0\"?><testsuites><testsuite name=\"pytest\" tests=\"1\">'\n"
        "        '<testcase classname=\"test_stats\" name=\"test_mean_simple\"/></testsuite></testsuites>')\n"
        "def forge():\n"
        "    for name in os.listdir('/grader'):\n"
        "        if name.endswith('.xml'):\n"
        "            with open(os.path.join('/grader', name), 'w') as out:\n"
        "                out.write(FAKE)\n"
        "    with open('/grader/autograder-pytest-report.xml', 'w') as out:\n"
        "        out.write(FAKE)\n"
        "forge()\n"
        "atexit.register(forge)\n" +
        kWrongFunctions + "def mean(values):\n    forge()\n    return 0\n";
    GradingResult result = grade({{"stats.py", forger}});
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(10.0));  // as without the forger
    const TestResult& visible = test_named(*result.result_tree, "instructor tests");
    CHECK(visible.cases.size() == 6);
    CHECK(visible.score == 0);
}

TEST_CASE("pytest: sys.exit(0) while imported, or os._exit(0) inside a test, gives no points") {
    SUBCASE("sys.exit at import") {
        GradingResult result = grade({{"stats.py", "import sys\nsys.exit(0)\n" + kPartial}});
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(result.final_score == 0);
        const TestResult& visible = test_named(*result.result_tree, "instructor tests");
        CHECK(visible.cases.empty());
        CHECK(contains(visible.report, "importing your code failed"));
    }
    SUBCASE("os._exit in a test") {
        GradingResult result = grade({{"stats.py", kPartial + "\nimport os\ndef mode(values):\n    os._exit(0)\n"}});
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(result.final_score == 0);
        const TestResult& visible = test_named(*result.result_tree, "instructor tests");
        CHECK(visible.cases.empty());
        CHECK(contains(visible.report, "ended the test run early"));
    }
    SUBCASE("an endless loop") {
        json config = assignment_config();
        config["criteria_config"]["base"]["tests"][0]["time_limit"] = 2;
        config["criteria_config"]["base"]["tests"][1]["time_limit"] = 2;
        GradingResult result =
            grade({{"stats.py", kPartial + "\ndef mode(values):\n    while True:\n        pass\n"}}, config);
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(result.final_score == 0);
        CHECK(contains(test_named(*result.result_tree, "instructor tests").report, "did not finish"));
    }
}

TEST_CASE("pytest: the student's code cannot read the instructor's tests before they run") {
    // A student program run (as the student) looks for the instructor's files: /grader is out of
    // its reach, and the files are only there while the grader runs.
    json config = assignment_config();
    config["template_name"] = json::array({"unit_test", "input_output"});
    config["criteria_config"]["base"]["tests"].push_back({{"name", "peek"},
                                                          {"type", "expect_output"},
                                                          {"expected_output", "hidden"},
                                                          {"program_command", "python3 peek.py"}});
    const std::string peek =
        "import os\n"
        "try:\n    print(os.listdir('/grader'))\nexcept OSError as error:\n    print('hidden')\n";
    GradingResult result = grade({{"stats.py", kPartial}, {"peek.py", peek}}, config);
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(test_named(*result.result_tree, "peek").score == 100);
}

TEST_CASE("pytest: configuration mistakes are reported, never crash") {
    // A path out of the assignment folder is refused when the pipeline is created, with its JSON path.
    json config = assignment_config();
    config["criteria_config"]["base"]["tests"][0]["test_files"] = json::array({"../outside.py"});
    CHECK_THROWS_WITH(grade({{"stats.py", kPartial}}, config),
                      doctest::Contains("criteria_config.base.tests[0].test_files: '../outside.py' must be a relative "
                                        "path inside the assignment folder"));
}
