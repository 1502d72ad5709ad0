// Hidden and after_due_date tests: they count in the score, and nothing of them (name, inputs,
// expected output, report) reaches a student's Markdown or JSON, while the teacher's result has
// everything.
#include <map>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/export.hpp"
#include "autograder/pipeline.hpp"
#include "pipeline/pipeline_test_support.hpp"

using namespace autograder;
using nlohmann::json;
using namespace pipeline_test;

namespace {

// A doubling program graded by one visible test, one hidden test (its own name and input are
// distinctive), a hidden subject and an after_due_date test. The program fails the hidden test
// (it prints 8222222222, not the expected text; secrets long enough that no timing figure of the JSON spells them by
// chance) and passes the others.
json config() {
    json visible = {{"name", "Doubles 2"}, {"type", "expect_output"}, {"inputs", {"2"}}, {"expected_output", "4"}};
    json hidden = {{"name", "Secret overflow probe"},
                   {"type", "expect_output"},
                   {"visibility", "hidden"},
                   {"inputs", {"4111111111"}},
                   {"expected_output", "xyzzy-expected"}};
    json late = {{"name", "Late reveal"},
                 {"type", "expect_output"},
                 {"visibility", "after_due_date"},
                 {"inputs", {"5"}},
                 {"expected_output", "10"}};
    json hidden_subject = {{"subject_name", "Invisible subject"},
                           {"visibility", "hidden"},
                           {"tests",
                            {{{"name", "Inside hidden subject"},
                              {"type", "expect_output"},
                              {"inputs", {"40"}},
                              {"expected_output", "80"}}}}};
    return {
        {"template_name", "input_output"},
        {"languages", {"python"}},
        {"feedback_config", {{"general", {{"show_passed_tests", true}}}}},
        {"criteria_config",
         {{"base", {{"subjects_weight", 25}, {"subjects", {hidden_subject}}, {"tests", {visible, hidden, late}}}}}}};
}

}  // namespace

TEST_CASE("hidden tests count in the score but never reach the student's feedback or JSON") {
    PipelineOptions options;
    options.pool = small_pool();
    auto pipeline = Pipeline::create(config(), options);
    Submission submission;
    submission.files = {{"main.py", "print(int(input()) * 2)\n"}};
    GradingResult result = pipeline->grade(submission);
    REQUIRE(result.status == PipelineStatus::success);
    // Subject 25 (passes) + tests 75 split three ways (two pass, the hidden one fails): 25 + 50.
    CHECK(result.final_score == doctest::Approx(75.0));

    const std::string secrets[] = {"Secret overflow probe", "4111111111",           "xyzzy-expected", "8222222222",
                                   "Invisible subject",     "Inside hidden subject"};
    const std::string student_json = result.to_student_json().dump();
    const std::string& student_markdown = result.feedback;
    for (const auto& secret : secrets) {
        INFO(secret);
        CHECK_FALSE(contains(student_markdown, secret));
        CHECK_FALSE(contains(student_json, secret));
        CHECK(contains(result.teacher_feedback, secret) == (secret != "Invisible subject"));
        CHECK(contains(result.to_json().dump(), secret));
    }
    // after_due_date: hidden before the due date, shown after it; hidden ones stay hidden.
    CHECK_FALSE(contains(student_json, "Late reveal"));
    CHECK(contains(result.to_student_json(true).dump(), "Late reveal"));
    CHECK_FALSE(contains(result.to_student_json(true).dump(), "Secret overflow probe"));
    CHECK_FALSE(contains(result.feedback_for(Audience::student_after_due_date), "Secret overflow probe"));
    CHECK(contains(result.teacher_feedback, "Late reveal"));

    // The student is told that tests are withheld and that they count, but not which.
    const json student = result.to_student_json();
    CHECK(student["final_score"].get<double>() == doctest::Approx(75.0));
    CHECK(student["result_tree"]["summary"]["hidden"] == 3);
    CHECK(student["result_tree"]["summary"]["total"] == 1);
    CHECK(student["score_vector"].size() == 1);
    CHECK(student["focus"]["base"].size() == 1);
    CHECK(contains(student_markdown, "hidden (they count in the score): 3"));
    CHECK_FALSE(student.contains("student_feedback"));

    // The teacher's JSON has every test with its visibility, and the student's Markdown beside it.
    const json teacher = result.to_json();
    CHECK(teacher["result_tree"]["summary"]["total"] == 4);
    CHECK(teacher["score_vector"].size() == 4);
    CHECK(teacher["result_tree"]["root"]["base"]["tests"][1]["visibility"] == "hidden");
    CHECK(teacher["result_tree"]["root"]["base"]["subjects"][0]["visibility"] == "hidden");
    CHECK(teacher["student_feedback"] == student_markdown);

    // Gradescope's results.json from the teacher's result: each test keeps its visibility in
    // Gradescope's own vocabulary, and the top-level output (shown to students) is the student's.
    const json gradescope = to_gradescope(teacher);
    std::map<std::string, std::string> visibility_by_name;
    for (const auto& test : gradescope["tests"])
        visibility_by_name[test["name"].get<std::string>()] = test["visibility"].get<std::string>();
    CHECK(visibility_by_name["Doubles 2"] == "visible");
    CHECK(visibility_by_name["Secret overflow probe"] == "hidden");
    CHECK(visibility_by_name["Late reveal"] == "after_due_date");
    CHECK(visibility_by_name["Invisible subject / Inside hidden subject"] == "hidden");
    CHECK(gradescope["output"] == student_markdown);
}

TEST_CASE("a bad visibility is a configuration error naming the field") {
    json bad = config();
    bad["criteria_config"]["base"]["tests"][0]["visibility"] = "secret";
    try {
        PipelineOptions options;
        options.pool = small_pool();
        Pipeline::create(bad, options);
        FAIL("no ConfigError");
    } catch (const ConfigError& error) {
        REQUIRE(error.issues().size() == 1);
        CHECK(error.issues()[0].path == "criteria_config.base.tests[0].visibility");
    }
}
