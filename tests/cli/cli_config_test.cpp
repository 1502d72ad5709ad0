// `autograder validate` and `autograder templates`, driven as a teacher would before grading.
#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "cli/cli_process.hpp"

namespace fs = std::filesystem;

namespace {

std::string assignment(const std::string& path) {
    return std::string(AUTOGRADER_SOURCE_DIR) + "/examples/assignments/" + path;
}

fs::path scratch(const std::string& name) {
    auto dir = fs::temp_directory_path() / ("cli-config-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("cli validate: every bundled example is valid and its correct submission scores 100") {
    for (const char* name :
         {"python-calculator", "python-recursion", "c-geometry", "java-grades", "js-wordcount", "webdev-portfolio"}) {
        SUBCASE(name) {
            auto result = run_cli("validate " + assignment(std::string(name) + "/config.json") + " --solution " +
                                  assignment(std::string(name) + "/submissions/correct"));
            INFO(result.out);
            CHECK(result.exit_code == 0);
            CHECK(contains(result.out, ": valid ("));
            CHECK(contains(result.out, "100 / 100"));
        }
    }
}

TEST_CASE("cli validate: a partial solution is not a reference solution (exit 1, the failing tests listed)") {
    auto result = run_cli("validate " + assignment("python-calculator/config.json") + " --solution " +
                          assignment("python-calculator/submissions/partial"));
    INFO(result.out);
    CHECK(result.exit_code == 1);
    CHECK(contains(result.out, "not 100. Tests it does not pass:"));
    CHECK(contains(result.out, "- base/"));
}

TEST_CASE("cli validate: every mistake of a teacher's first configuration, with its path (exit 2)") {
    auto dir = scratch("mistakes");
    nlohmann::json config = {
        {"template_name", "input_output,static_analysis"},
        {"languages", {"python"}},
        {"criteria_config",
         {{"test_library", "legacy_tests"},
          {"base",
           {{"weight", 100},
            {"tests",
             {{{"name", "missing"}, {"type", "expect_output"}, {"inputs", {"1"}}},
              {{"name", "typo"}, {"type", "expect_output"}, {"expected_outptu", "3"}, {"expected_output", "3"}},
              {{"name", "fuzzy"}, {"type", "expect_output"}, {"expected_output", "3"}, {"compare", "fuzzy"}},
              {{"name", "recursion"}, {"type", "uses_construct"}, {"construct", "recursoin"}},
              {{"name", "loops"}, {"type", "forbidden_keyword"}, {"forbidden_keywords", {"for"}}},
              {{"name", "slow"}, {"type", "dont_fail"}, {"time_limit", "1s"}},
              {{"name", "checked"},
               {"type", "expect_output"},
               {"expected_output", "3"},
               {"compare", "checker"},
               {"checker", "python3 check.py"},
               {"checker_files", {"check.py"}}},
              {{"name", "heavy"}, {"type", "dont_fail"}, {"weight", 1e308}}}}}}}}};
    // The structure (weights, names, categories) is checked first; parameters once it is sound.
    std::ofstream(dir / "heavy.json") << config.dump(2);
    auto heavy = run_cli("validate " + (dir / "heavy.json").string());
    INFO(heavy.out);
    CHECK(heavy.exit_code == 2);
    CHECK(contains(heavy.out, "criteria_config.base.tests[7].weight: a weight must be at most 1e+06"));
    config["criteria_config"]["base"]["tests"][7]["weight"] = 1e6;
    std::ofstream(dir / "config.json") << config.dump(2);
    auto result = run_cli("validate " + (dir / "config.json").string());
    INFO(result.out);
    CHECK(result.exit_code == 2);
    for (const char* expected : {
             "criteria_config.base.tests[0]: missing required parameter 'expected_output'",
             "criteria_config.base.tests[1].expected_outptu: unknown parameter 'expected_outptu'",
             "criteria_config.base.tests[2].compare: parameter 'compare' \"fuzzy\" is not one of",
             "criteria_config.base.tests[3].construct: parameter 'construct' \"recursoin\" is not one of",
             "criteria_config.base.tests[4].forbidden_keywords: parameter 'forbidden_keywords' \"for\" is not one of",
             "criteria_config.base.tests[5].time_limit: parameter 'time_limit' must be a number",
             "criteria_config.base.tests[6].checker_files: file 'check.py' does not exist in the assignment folder",
         })
        CHECK_MESSAGE(contains(result.out, expected), expected);
    CHECK_FALSE(contains(result.out, "test_library"));
    fs::remove_all(dir);
}

TEST_CASE("cli templates: a list, one function's parameters, JSON, and the Markdown reference") {
    auto list = run_cli("templates");
    INFO(list.out);
    CHECK(list.exit_code == 0);
    for (const char* name : {"input_output", "static_analysis", "webdev", "expect_output", "has_tag"})
        CHECK_MESSAGE(contains(list.out, name), name);

    auto one = run_cli("templates expect_output");
    INFO(one.out);
    CHECK(one.exit_code == 0);
    CHECK(contains(one.out, "- expected_output (text, required)"));
    CHECK(contains(one.out, "Choices: exact, whitespace, case_insensitive, float, regex, contains, checker."));
    CHECK_FALSE(contains(one.out, "has_tag"));

    auto json = run_cli("templates webdev --json");
    REQUIRE(json.exit_code == 0);
    auto described = nlohmann::json::parse(json.out);
    REQUIRE(described["templates"].size() == 1);
    CHECK(described["templates"][0]["name"] == "webdev");

    auto unknown = run_cli("templates no_such_thing");
    CHECK(unknown.exit_code == 2);
    CHECK(contains(unknown.out, "no template or test function 'no_such_thing'"));

    auto markdown = run_cli("templates --markdown");
    CHECK(markdown.exit_code == 0);
    CHECK(contains(markdown.out, "### `expect_output`"));
    CHECK(contains(markdown.out, "| `expected_output` | text | yes |"));
}
