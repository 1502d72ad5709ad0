// The unit_test template's pytest function: the instructor's tests (examples/assignments/
// python-statistics) run against the student's code as the grader, each case a test of the result,
// and submissions that try to get points without earning them.
#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"
#include "pipeline/pipeline_test_support.hpp"

namespace fs = std::filesystem;
using namespace autograder;
using nlohmann::json;
using namespace pipeline_test;

namespace {

const fs::path kAssignment = fs::path(AUTOGRADER_SOURCE_DIR) / "examples" / "assignments" / "python-statistics";

json assignment_config() {
    return read_config(kAssignment);
}

std::shared_ptr<const Pipeline> statistics_pipeline(const json& config = assignment_config()) {
    return assignment_pipeline(kAssignment, config);
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

GradingResult grade(const std::vector<SourceFile>& files, const json& config = assignment_config()) {
    return grade_files(kAssignment, files, config);
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

TEST_CASE("pytest: a case that runs too long fails alone by case_time_limit, the others still count") {
    std::string looping = read_text(kAssignment / "submissions/correct/stats.py");
    looping += "\n\ndef mode(values):\n    while True:\n        pass\n";
    json config = assignment_config();
    config["criteria_config"]["base"]["tests"][0]["case_time_limit"] = 1;
    config["criteria_config"]["base"]["tests"][1]["case_time_limit"] = 1;
    GradingResult result = grade({{"stats.py", looping}}, config);
    REQUIRE(result.status == PipelineStatus::success);
    const TestResult& visible = test_named(*result.result_tree, "instructor tests");
    REQUIRE(visible.cases.size() == 6);
    int timed_out = 0;
    for (const auto& test_case : visible.cases) {
        const bool calls_mode = contains(test_case.name, "test_mode") || contains(test_case.name, "test_single_value");
        CHECK_MESSAGE(test_case.score == (calls_mode ? 0 : 100), test_case.name);
        if (calls_mode && contains(test_case.report, "Timeout")) ++timed_out;
    }
    CHECK(timed_out == 2);
    const TestResult& hidden = test_named(*result.result_tree, "hidden tests");
    REQUIRE(hidden.cases.size() == 2);
    CHECK(hidden.score == doctest::Approx(50.0));  // test_median_keeps_input passes, the mode test times out
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

TEST_CASE("pytest: configuration mistakes are refused when the pipeline is created, with their path") {
    const std::pair<json, std::string> mistakes[] = {
        {json::array({"../outside.py"}), "relative path inside the assignment folder"},
        {json::array({"instructor/no_such_test.py"}), "instructor/no_such_test.py"},
        {json(42), "list"},
    };
    for (const auto& [test_files, message] : mistakes) {
        INFO(test_files.dump());
        json config = assignment_config();
        config["criteria_config"]["base"]["tests"][0]["test_files"] = test_files;
        try {
            statistics_pipeline(config);
            FAIL("no ConfigError");
        } catch (const ConfigError& error) {
            REQUIRE(error.issues().size() == 1);
            CHECK(error.issues()[0].path == "criteria_config.base.tests[0].test_files");
            CHECK(contains(error.issues()[0].message, message));
        }
    }
}
