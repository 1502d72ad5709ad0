// The unit_test template's junit5 function: the instructor's JUnit 5 classes (examples/assignments/
// java-junit) run against the student's Java code as the grader, each case a test of the result,
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

const fs::path kAssignment = fs::path(AUTOGRADER_SOURCE_DIR) / "examples" / "assignments" / "java-junit";

json assignment_config() {
    return read_config(kAssignment);
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

GradingResult grade(const std::vector<SourceFile>& files, const json& config = assignment_config()) {
    return grade_files(kAssignment, files, config);
}

// Methods that fail every visible instructor case; only the hidden rejectsNonPalindrome passes
// (50 of the hidden suite's 20 points: 10 in all). What a hostile submission adds to them must not
// earn a point more.
std::string wrong_class(const std::string& extra = "", const std::string& static_block = "") {
    return "public final class TextStats {\n" + static_block +
           "    public static int countVowels(String text) { return -1; }\n"
           "    public static String reverse(String text) { return \"x\"; }\n"
           "    public static boolean isPalindrome(String text) { return false; }\n" +
           extra + "}\n";
}

}  // namespace

TEST_CASE("junit5: every instructor case is a test of the result, with its weight and failure message") {
    GradingResult result = grade({{"TextStats.java", read_text(kAssignment / "submissions/partial/TextStats.java")}});
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(60.0));
    const TestResult& visible = test_named(*result.result_tree, "unit tests");
    REQUIRE(visible.cases.size() == 6);
    CHECK(visible.score == doctest::Approx(62.5));
    // Methods in name order; "()" left out of the case names.
    CHECK(visible.cases[0].name == "TextStatsTest::countsLowercaseVowels");
    CHECK(visible.cases[0].score == 100);
    CHECK(visible.cases[0].weight == doctest::Approx(12.5));
    CHECK(visible.cases[1].name == "TextStatsTest::countsUppercaseVowels");
    CHECK(visible.cases[1].score == 0);
    CHECK(contains(visible.cases[1].report, "upper-case vowels count too ==> expected: <5> but was: <0>"));
    CHECK(visible.cases[2].name == "TextStatsTest::detectsPalindromeIgnoringCaseAndPunctuation");
    CHECK(visible.cases[2].weight == doctest::Approx(25.0));  // TextStatsTest::detects* weighs 2
    CHECK(contains(visible.report, "4 of 6 instructor tests passed"));

    const std::string student = result.feedback + result.to_student_json().dump();
    CHECK(contains(result.feedback, "countsUppercaseVowels"));
    CHECK_FALSE(contains(student, "rejectsNullText"));
    CHECK_FALSE(contains(student, "countVowels(null) throws IllegalArgumentException"));
    CHECK(contains(result.teacher_feedback, "rejectsNullText"));
}

TEST_CASE("junit5: the methods the hostile submissions build on score 10") {
    GradingResult result = grade({{"TextStats.java", wrong_class()}});
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(10.0));
}

TEST_CASE("junit5: student classes named like the instructor's test classes change nothing") {
    // A public TextStatsTest with passing tests of its own, and the hidden class's name on a class
    // of another file: the instructor's classes are compiled apart and come first on the class path.
    const std::string fake_test =
        "public class TextStatsTest {\n"
        "    void countsLowercaseVowels() {}\n"
        "    void countsUppercaseVowels() {}\n"
        "}\n";
    GradingResult result =
        grade({{"TextStats.java", wrong_class()},
               {"TextStatsTest.java", fake_test},
               {"Helpers.java", "class TextStatsHiddenTest { void rejectsNullText() {} }\nclass Helpers {}\n"},
               {"junit-platform.properties", "junit.jupiter.conditions.deactivate=*\n"}});
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(10.0));  // as without the planted files
    const TestResult& visible = test_named(*result.result_tree, "unit tests");
    REQUIRE(visible.cases.size() == 6);
    for (const auto& test_case : visible.cases) CHECK(test_case.score == 0);
}

TEST_CASE("junit5: a JUnit report forged by the student's code gives nothing") {
    // Written when the class loads, again from a thread that keeps at it while the tests run, and
    // from a shutdown hook: the report then disagrees with the launcher's figures (or is the real
    // one), and the hook never runs.
    const std::string forge =
        "    static final String FAKE = \"<?xml version=\\\"1.0\\\"?><testsuite name=\\\"JUnit Jupiter\\\">\"\n"
        "        + \"<testcase name=\\\"countsLowercaseVowels()\\\" classname=\\\"TextStatsTest\\\"/>\"\n"
        "        + \"<testcase name=\\\"rejectsNullText()\\\" classname=\\\"TextStatsHiddenTest\\\"/></testsuite>\";\n"
        "    static void forge() {\n"
        "        try {\n"
        "            java.nio.file.Path dir = java.nio.file.Path.of(\"/grader/reports\");\n"
        "            java.nio.file.Files.createDirectories(dir);\n"
        "            java.nio.file.Files.writeString(dir.resolve(\"TEST-junit-jupiter.xml\"), FAKE);\n"
        "        } catch (Exception e) {}\n"
        "    }\n";
    const std::string static_block =
        "    static {\n"
        "        forge();\n"
        "        Thread t = new Thread(() -> { while (true) { forge(); Thread.onSpinWait(); } });\n"
        "        t.setDaemon(true);\n"
        "        t.start();\n"
        "        Runtime.getRuntime().addShutdownHook(new Thread(TextStats::forge));\n"
        "    }\n";
    GradingResult result = grade({{"TextStats.java", wrong_class(forge, static_block)}});
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score <= 10.0);
    const TestResult& visible = test_named(*result.result_tree, "unit tests");
    CHECK(visible.score == 0);
}

TEST_CASE("junit5: System.exit(0) in a static initializer or in a test gives no points") {
    SUBCASE("static initializer") {
        GradingResult result = grade({{"TextStats.java", wrong_class("", "    static { System.exit(0); }\n")}});
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(result.final_score == 0);
        const TestResult& visible = test_named(*result.result_tree, "unit tests");
        CHECK(visible.cases.empty());
        CHECK(contains(visible.report, "ended the test run early"));
    }
    SUBCASE("Runtime.halt in a method") {
        std::string halting = read_text(kAssignment / "submissions/correct/TextStats.java");
        halting.replace(halting.find("return new StringBuilder"), 0, "Runtime.getRuntime().halt(0);\n");
        GradingResult result = grade({{"TextStats.java", halting}});
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(test_named(*result.result_tree, "unit tests").score == 0);
    }
}

TEST_CASE("junit5: a case that never ends fails alone by the per-case time limit, a whole run cut short gives 0") {
    std::string looping = read_text(kAssignment / "submissions/correct/TextStats.java");
    looping.replace(looping.find("return new StringBuilder"), 0, "while (text.isEmpty()) {}\n");
    SUBCASE("per case") {
        json config = assignment_config();
        config["criteria_config"]["base"]["tests"][0]["case_time_limit"] = 1;
        GradingResult result = grade({{"TextStats.java", looping}}, config);
        REQUIRE(result.status == PipelineStatus::success);
        const TestResult& visible = test_named(*result.result_tree, "unit tests");
        REQUIRE(visible.cases.size() == 6);
        CHECK(visible.score == doctest::Approx(87.5));  // all but reversesEmptyText
        CHECK(visible.cases[4].name == "TextStatsTest::reversesEmptyText");
        CHECK(contains(visible.cases[4].report, "timed out after 1 second"));
        CHECK(result.final_score == doctest::Approx(87.5 * 0.8 + 20));
    }
    SUBCASE("whole run") {
        json config = assignment_config();
        config["criteria_config"]["base"]["tests"][0]["case_time_limit"] = 60;
        config["criteria_config"]["base"]["tests"][0]["time_limit"] = 3;
        GradingResult result = grade({{"TextStats.java", looping}}, config);
        REQUIRE(result.status == PipelineStatus::success);
        const TestResult& visible = test_named(*result.result_tree, "unit tests");
        CHECK(visible.score == 0);
        CHECK(visible.cases.empty());
        CHECK(contains(visible.report, "did not finish"));
    }
}

TEST_CASE("junit5: tests that do not compile against the code, and configuration mistakes, are reported") {
    GradingResult broken = grade({{"TextStats.java", read_text(kAssignment / "submissions/broken/TextStats.java")}});
    REQUIRE(broken.status == PipelineStatus::success);
    CHECK(broken.final_score == 0);
    const TestResult& visible = test_named(*broken.result_tree, "unit tests");
    CHECK(contains(visible.report, "do not compile against your code"));
    CHECK(contains(visible.report, "isPalindrome"));

    // A path out of the assignment is refused before anything runs; a test file that is not Java
    // scores 0 with the reason.
    json outside = assignment_config();
    outside["criteria_config"]["base"]["tests"][0]["test_files"] = json::array({"../outside.java"});
    CHECK_THROWS_WITH(grade({{"TextStats.java", wrong_class()}}, outside),
                      doctest::Contains("criteria_config.base.tests[0].test_files"));
    json not_java = assignment_config();
    not_java["criteria_config"]["base"]["tests"][0]["test_files"] = json::array({"README.md"});
    GradingResult result = grade({{"TextStats.java", wrong_class()}}, not_java);
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(contains(test_named(*result.result_tree, "unit tests").report, "'README.md' is not a .java file"));
}
