// The unit_test template's node_test function: the instructor's node:test files run against the
// student's JavaScript as the grader, each case a test of the result, and submissions that try to
// get points without earning them.
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

const fs::path kAssignment = fs::path(AUTOGRADER_SOURCE_DIR) / "tests" / "pipeline" / "node_test_assignment";

json assignment_config() {
    return read_config(kAssignment);
}

GradingResult grade(const std::vector<SourceFile>& files, const json& config = assignment_config()) {
    return grade_files(kAssignment, files, config);
}

const TestResult& node_tests(const GradingResult& result) {
    REQUIRE(result.result_tree.has_value());
    REQUIRE(result.result_tree->base.tests.size() == 1);
    return result.result_tree->base.tests.front();
}

// Wrong on every instructor case except "counts words": whatever a hostile submission adds to it
// must not earn a point more than its 1 of 6.
const std::string kWrong =
    "exports.countWords = (text) => text.split(' ').length;\n"
    "exports.longestWord = (text) => '';\n";

const std::string kPartial =
    "exports.countWords = (text) => text.split(' ').length;\n"
    "exports.longestWord = (text) => text.split(' ').reduce((a, b) => (b.length >= a.length ? b : a), '');\n";

}  // namespace

TEST_CASE("node_test: every instructor case is a test of the result, with its weight and failure message") {
    GradingResult result = grade({{"wordcount.js", kPartial}});
    REQUIRE(result.status == PipelineStatus::success);
    const TestResult& test = node_tests(result);
    REQUIRE(test.cases.size() == 4);
    // counts words 1, empty 1, the longestWord cases 2 each: 1 + 2 of 6 pass.
    CHECK(result.final_score == doctest::Approx(50.0));
    CHECK(test.cases[0].name == "wordcount.test::counts words");
    CHECK(test.cases[0].score == 100);
    CHECK(test.cases[1].name == "wordcount.test::empty text has no words");
    CHECK(test.cases[1].score == 0);
    CHECK(contains(test.cases[1].report, "an empty text has 0 words"));
    CHECK(test.cases[3].name == "wordcount.test::longestWord > keeps the first on a tie");
    CHECK(test.cases[3].weight == doctest::Approx(100.0 / 3));
    CHECK(test.cases[3].score == 0);
    CHECK(contains(test.report, "2 of 4 instructor tests passed"));
}

TEST_CASE("node_test: the functions the hostile submissions build on score 1 of 6") {
    GradingResult result = grade({{"wordcount.js", kWrong}});
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(100.0 / 6));
}

TEST_CASE("node_test: a student file named like the instructor's tests changes nothing") {
    const std::string fake_tests =
        "const test = require('node:test');\n"
        "test('counts words', () => {});\n"
        "test('empty text has no words', () => {});\n";
    GradingResult result = grade({{"wordcount.js", kWrong}, {"wordcount.test.js", fake_tests}});
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(100.0 / 6));  // as without the planted files
    CHECK(node_tests(result).cases.size() == 4);
}

TEST_CASE("node_test: a JUnit report forged by the student's code gives nothing") {
    const std::string forger =
        "const fs = require('node:fs');\n"
        "const FAKE = '<?xml version=\"1.0\"?><testsuites>' +\n"
        "  '<testcase name=\"counts words\" classname=\"test\"/>' +\n"
        "  '<testcase name=\"empty text has no words\" classname=\"test\"/></testsuites>';\n"
        "function forge() {\n"
        "  for (const i of [0, 1]) {\n"
        "    try { fs.mkdirSync('/grader/reports', { recursive: true }); } catch (e) {}\n"
        "    try { fs.writeFileSync('/grader/reports/' + i + '.xml', FAKE); } catch (e) {}\n"
        "  }\n"
        "}\n"
        "forge();\n"
        "process.on('exit', forge);\n" +
        kWrong;
    GradingResult result = grade({{"wordcount.js", forger}});
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score <= 100.0 / 6 + 1e-9);
}

TEST_CASE("node_test: process.exit(0) at import, or a file that never ends, gives no points") {
    SUBCASE("process.exit at import") {
        GradingResult result = grade({{"wordcount.js", "process.exit(0);\n" + kPartial}});
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(result.final_score == 0);
        const TestResult& test = node_tests(result);
        CHECK(test.cases.empty());
        CHECK(contains(test.report, "ended before running its tests"));
    }
    SUBCASE("an endless loop: the file's time limit") {
        GradingResult result =
            grade({{"wordcount.js", kPartial + "exports.longestWord = () => { while (true) {} };\n"}});
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(result.final_score == 0);
        const TestResult& test = node_tests(result);
        CHECK(test.cases.empty());
        CHECK(contains(test.report, "test timed out after 5000ms"));
    }
    SUBCASE("an endless loop: the whole run's time limit") {
        json config = assignment_config();
        config["criteria_config"]["base"]["tests"][0]["file_time_limit"] = 60;
        config["criteria_config"]["base"]["tests"][0]["time_limit"] = 2;
        GradingResult result =
            grade({{"wordcount.js", kPartial + "exports.longestWord = () => { while (true) {} };\n"}}, config);
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(result.final_score == 0);
        CHECK(contains(node_tests(result).report, "did not finish"));
    }
}
