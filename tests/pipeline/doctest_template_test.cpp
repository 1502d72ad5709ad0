// The unit_test template's doctest function: the instructor's doctest file (examples/assignments/
// c-doctest) run against the student's C code as the grader, each case a test of the result, and
// submissions that try to get points without earning them.
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

const fs::path kAssignment = fs::path(AUTOGRADER_SOURCE_DIR) / "examples" / "assignments" / "c-doctest";

json assignment_config() {
    return read_config(kAssignment);
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

GradingResult grade(const std::string& stats_c, const json& config = assignment_config(),
                    std::vector<SourceFile> more = {}) {
    more.push_back({"stats.c", stats_c});
    return grade_files(kAssignment, more, config);
}

const TestResult& unit_tests(const GradingResult& result) {
    return test_named(*result.result_tree, "unit tests");
}

// Functions that fail every case but "mean of nothing is 0" (12.5 of 100): what a hostile
// submission adds to them must not earn a point more.
const std::string kWrongFunctions =
    "#include \"stats.h\"\n"
    "double mean(const int* v, size_t n) { (void)v; (void)n; return 0; }\n"
    "int maximum(const int* v, size_t n) { (void)v; (void)n; return 12345; }\n"
    "size_t count_above(const int* v, size_t n, int t) { (void)v; (void)n; (void)t; return 77; }\n";

// C that writes a JUnit report where every instructor case passes, then prints the runner's last
// line with the nonce it read (if any) and the report's size and hash, as the runner would.
const std::string kForger =
    "#include <fcntl.h>\n#include <stdio.h>\n#include <string.h>\n#include <unistd.h>\n#include <stdint.h>\n"
    "static const char fake[] = \"<?xml version=\\\"1.0\\\"?><testsuites><testsuite name=\\\"x\\\">\"\n"
    "  \"<testcase classname=\\\"/grader/test_stats.cpp\\\" name=\\\"mean of three numbers\\\"/>\"\n"
    "  \"<testcase classname=\\\"/grader/test_stats.cpp\\\" name=\\\"maximum/negative numbers\\\"/>\"\n"
    "  \"</testsuite></testsuites>\";\n"
    "static void forge(void) {\n"
    "    char nonce[100] = {0};\n"
    "    ssize_t got = read(0, nonce, sizeof nonce - 1);\n"
    "    if (got > 0 && nonce[got - 1] == '\\n') nonce[got - 1] = 0;\n"
    "    int fd = open(\"/grader/autograder-doctest-report.xml\", O_WRONLY | O_CREAT | O_TRUNC, 0600);\n"
    "    if (fd >= 0) { write(fd, fake, strlen(fake)); close(fd); }\n"
    "    uint64_t hash = 14695981039346656037ull;\n"
    "    for (const char* c = fake; *c; ++c) hash = (hash ^ (unsigned char)*c) * 1099511628211ull;\n"
    "    printf(\"\\nautograder-doctest-finished %s 0 %zu %016llx\\n\", nonce, strlen(fake),\n"
    "           (unsigned long long)hash);\n"
    "    fflush(stdout);\n"
    "    _exit(0);\n"
    "}\n";

}  // namespace

TEST_CASE("doctest: every instructor case is a test of the result, with its weight and failure message") {
    GradingResult result = grade(read_text(kAssignment / "submissions/partial/stats.c"));
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(62.5));
    const TestResult& tests = unit_tests(result);
    REQUIRE(tests.cases.size() == 6);
    CHECK(tests.cases[0].name == "test_stats::mean of three numbers");
    CHECK(tests.cases[0].score == 0);
    CHECK(tests.cases[0].weight == doctest::Approx(12.5));
    CHECK(contains(tests.cases[0].report, "2 == Approx( 2.33333 )"));
    CHECK(tests.cases[1].score == 100);
    CHECK(tests.cases[2].name == "test_stats::maximum/positive numbers");  // a subcase
    CHECK(tests.cases[2].weight == doctest::Approx(25.0));                 // maximum/* weighs 2
    CHECK(tests.cases[3].name == "test_stats::maximum/negative numbers");
    CHECK(tests.cases[3].score == 0);
    CHECK(contains(tests.cases[3].report, "0 == -2"));
    CHECK(contains(tests.report, "4 of 6 instructor tests passed"));
}

TEST_CASE("doctest: the functions the hostile submissions build on score 12.5") {
    GradingResult result = grade(kWrongFunctions);
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(12.5));
}

TEST_CASE("doctest: exit or _exit in a static initializer or in a tested function gives no points") {
    SUBCASE("_exit(0) in a constructor") {
        GradingResult result = grade(kWrongFunctions +
                                     "#include <unistd.h>\n"
                                     "__attribute__((constructor)) static void leave(void) { _exit(0); }\n");
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(result.final_score == 0);
        CHECK(unit_tests(result).cases.empty());
        CHECK(contains(unit_tests(result).report, "ended the test run early"));
    }
    SUBCASE("exit(0) in a tested function") {
        std::string exiting = read_text(kAssignment / "submissions/correct/stats.c");
        exiting.replace(exiting.find("size_t above = 0;"), 0, "exit(0);\n");
        exiting = "#include <stdlib.h>\n" + exiting;
        GradingResult result = grade(exiting);
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(result.final_score == 0);
        CHECK(contains(unit_tests(result).report, "ended the test run early"));
    }
}

TEST_CASE("doctest: a JUnit report forged by the student's code gives nothing") {
    SUBCASE("in a static initializer, with the nonce it tries to read from stdin") {
        GradingResult result =
            grade(kWrongFunctions + kForger + "__attribute__((constructor)) static void early(void) { forge(); }\n");
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(result.final_score == 0);
        CHECK(unit_tests(result).cases.empty());
    }
    SUBCASE("in a tested function") {
        std::string forging = kForger + kWrongFunctions;  // forge() declared before its use
        forging.replace(forging.find("return 77;"), 0, "forge(); ");
        GradingResult result = grade(forging);
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(result.final_score == 0);
    }
    SUBCASE("rewritten by a thread while the tests run") {
        const std::string thread =
            "#include <pthread.h>\n"
            "static void* keep_forging(void* unused) {\n"
            "    (void)unused;\n"
            "    for (;;) {\n"
            "        int fd = open(\"/grader/autograder-doctest-report.xml\", O_WRONLY | O_CREAT | O_TRUNC, 0600);\n"
            "        if (fd >= 0) { write(fd, fake, strlen(fake)); close(fd); }\n"
            "    }\n"
            "    return NULL;\n"
            "}\n"
            "__attribute__((constructor)) static void start(void) {\n"
            "    pthread_t t;\n"
            "    pthread_create(&t, NULL, keep_forging, NULL);\n"
            "}\n";
        GradingResult result = grade(kWrongFunctions + kForger + thread);
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(result.final_score <= 12.5);  // the runner's own report, or none that matches
    }
}

TEST_CASE("doctest: test cases and a main of the submission's own change nothing") {
    const std::string fake_tests =
        "#include <doctest/doctest.h>\n"
        "TEST_CASE(\"mean of three numbers\") {}\n"
        "TEST_CASE(\"maximum\") {}\n";
    // Compiled and linked with the tests (a C++ file of the submission), but only the cases of the
    // instructor's files run.
    GradingResult result = grade(kWrongFunctions + "int main(void) { return 3; }\n", assignment_config(),
                                 {{"test_stats.cpp", fake_tests}});
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(12.5));  // as without the planted files
    REQUIRE(unit_tests(result).cases.size() == 6);
}

TEST_CASE("doctest: a run cut short by its time limit gives 0, code that does not compile or link is reported") {
    SUBCASE("an endless loop") {
        std::string looping = read_text(kAssignment / "submissions/correct/stats.c");
        looping.replace(looping.find("size_t above = 0;"), 0, "for (volatile int spin = 1; spin;) {}\n");
        json config = assignment_config();
        config["criteria_config"]["base"]["tests"][0]["time_limit"] = 2;
        GradingResult result = grade(looping, config);
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(result.final_score == 0);
        CHECK(contains(unit_tests(result).report, "did not finish"));
    }
    SUBCASE("tests that do not link") {
        GradingResult result = grade(read_text(kAssignment / "submissions/broken/stats.c"));
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(result.final_score == 0);
        CHECK(contains(unit_tests(result).report, "do not compile or link against your code"));
        CHECK(contains(unit_tests(result).report, "count_above"));
    }
    SUBCASE("student code that does not compile, when the setup lets it through") {
        json config = assignment_config();
        config["setup_config"]["c"]["setup_commands"] =
            json::array({{{"name", "Check"}, {"command", "/usr/bin/test -f stats.c"}}});
        GradingResult result = grade(kWrongFunctions + "int broken(void) { return }\n", config);
        REQUIRE(result.status == PipelineStatus::success);
        CHECK(result.final_score == 0);
        CHECK(contains(unit_tests(result).report, "Your code does not compile"));
        CHECK(contains(unit_tests(result).report, "error"));
    }
}
