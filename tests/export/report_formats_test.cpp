// The report formats on real results: every example assignment's sample submissions graded
// through the real pipeline, then Gradescope points checked against final_score, JUnit XML
// validated by xmllint against tests/export/junit.xsd, TAP read by Perl's TAP::Parser.
#include <cmath>

#include <doctest/doctest.h>

#include "autograder/export.hpp"
#include "autograder/submission_reader.hpp"
#include "export_test_support.hpp"

namespace fs = std::filesystem;
using namespace autograder;

namespace {

std::shared_ptr<SandboxPool> shared_pool() {
    static auto pool = [] {
        SandboxPoolOptions options;
        options.default_size = 1;
        return std::make_shared<SandboxPool>(options);
    }();
    return pool;
}

double sum_of_test_points(const nlohmann::json& gradescope) {
    double sum = 0;
    for (const auto& test : gradescope["tests"]) sum += test["score"].get<double>();
    return sum;
}

// Gradescope: the test points add up to the score, or `output` says by how much they differ.
void check_gradescope(const nlohmann::json& result) {
    auto gradescope = to_gradescope(result);
    INFO(gradescope.dump(2));
    const double final_score = result["final_score"].get<double>();
    CHECK(gradescope["score"].get<double>() == doctest::Approx(final_score).epsilon(1e-6));
    const double sum = sum_of_test_points(gradescope);
    if (std::fabs(sum - final_score) > 1e-4)
        CHECK(gradescope["output"].get<std::string>().find("The test points add up to") != std::string::npos);
    else
        CHECK(gradescope["output"].get<std::string>().find("The test points add up to") == std::string::npos);
    CHECK(gradescope["tests"].size() == result["score_vector"].size());
}

std::size_t failed_tests(const nlohmann::json& result) {
    std::size_t failed = 0;
    for (const auto& [path, score] : result["score_vector"].items()) failed += score.get<double>() < 100;
    return failed;
}

void check_assignment_formats(const std::string& name) {
    fs::path folder = fs::path(AUTOGRADER_SOURCE_DIR) / "examples" / "assignments" / name;
    PipelineOptions options;
    options.assignment_directory = folder.string();
    options.pool = shared_pool();
    std::ifstream config(folder / "config.json");
    REQUIRE(config);
    auto pipeline = Pipeline::create(nlohmann::json::parse(config), options);
    std::size_t graded = 0;
    for (const auto& entry : fs::directory_iterator(folder / "submissions")) {
        const std::string submission_name = entry.path().filename().string();
        CAPTURE(submission_name);
        Submission submission;
        submission.files = read_submission_files({entry.path().string()});
        auto result = pipeline->grade(submission).to_json();
        check_gradescope(result);
        const bool success = result["status"] == "SUCCESS";
        const std::size_t tests = success ? result["score_vector"].size() : 0;
        export_test::check_junit_valid(to_junit_xml(result), name + "-" + submission_name);
        export_test::check_tap_valid(to_tap(result), tests + (success ? 0 : 1),
                                     (success ? failed_tests(result) : 0) + (success ? 0 : 1),
                                     name + "-" + submission_name);
        // Every format renders through the one entry point the CLI, C ABI and Python use.
        for (auto format : {ReportFormat::json, ReportFormat::markdown, ReportFormat::gradescope, ReportFormat::junit,
                            ReportFormat::tap})
            CHECK_FALSE(render_result(result, format).empty());
        ++graded;
    }
    CHECK(graded >= 3);
}

// A result of the criteria tree alone, for exact cases (bonus, penalty, clamping).
nlohmann::json result_of(const nlohmann::json& criteria, const std::map<std::string, double>& scores) {
    auto parsed = parse_grading_config({{"template_name", "input_output"}, {"criteria_config", criteria}});
    auto tree = CriteriaTree::build(parsed.config.criteria);
    std::vector<TestOutcome> outcomes;
    for (const auto& slot : tree.tests()) outcomes.push_back({scores.at(slot.spec.name), "report\n<&>", std::nullopt});
    auto graded = tree.grade(outcomes);
    auto json = grading_result_json(graded, compute_focus(graded), compute_score_vector(graded));
    json["status"] = "SUCCESS";
    json["failed_at_step"] = nullptr;
    json["feedback"] = "";
    return json;
}

const nlohmann::json kCriteria = {
    {"base",
     {{"subjects_weight", 60},
      {"subjects",
       {{{"subject_name", "A"}, {"weight", 70}, {"tests", {{{"name", "a1"}}, {{"name", "a2"}, {"weight", 300}}}}},
        {{"subject_name", "B"}, {"weight", 30}, {"tests", {{{"name", "b1"}}}}}}},
      {"tests", {{{"name", "t1"}}}}}},
    {"bonus", {{"weight", 15}, {"tests", {{{"name", "x1"}}, {{"name", "x2"}}}}}},
    {"penalty", {{"weight", 20}, {"tests", {{{"name", "p1"}}, {{"name", "p2"}}}}}}};

}  // namespace

TEST_CASE("gradescope: test points add up to final_score with bonus and penalty") {
    auto result = result_of(
        kCriteria, {{"a1", 100}, {"a2", 40}, {"b1", 75}, {"t1", 0}, {"x1", 100}, {"x2", 50}, {"p1", 100}, {"p2", 0}});
    auto gradescope = to_gradescope(result);
    INFO(gradescope.dump(2));
    const double final_score = result["final_score"].get<double>();
    CHECK(final_score > 0);
    CHECK(final_score < 100);
    CHECK(sum_of_test_points(gradescope) == doctest::Approx(final_score).epsilon(1e-6));
    double max_sum = 0;
    for (const auto& test : gradescope["tests"]) max_sum += test["max_score"].get<double>();
    CHECK(max_sum == doctest::Approx(115));  // 100 of base + 15 of bonus; penalty tests have max 0
    CHECK(gradescope["tests"][0]["name"] == "A / a1");
    CHECK(gradescope["tests"][0]["tags"] == nlohmann::json({"base", "A"}));
    CHECK(gradescope["tests"][0]["status"] == "passed");
    CHECK(gradescope["tests"][7]["score"].get<double>() == doctest::Approx(-10));  // p2 costs half of 20
    CHECK(gradescope["output"].get<std::string>().find("add up to") == std::string::npos);
    export_test::check_junit_valid(to_junit_xml(result), "synthetic");
    export_test::check_tap_valid(to_tap(result), 8, 5, "synthetic");
}

TEST_CASE("gradescope: clamping to 100 and to 0 is stated in output") {
    auto high = result_of(
        kCriteria,
        {{"a1", 100}, {"a2", 100}, {"b1", 100}, {"t1", 100}, {"x1", 100}, {"x2", 100}, {"p1", 100}, {"p2", 100}});
    CHECK(high["final_score"] == 100.0);
    auto gradescope = to_gradescope(high);
    CHECK(sum_of_test_points(gradescope) == doctest::Approx(115));
    CHECK(gradescope["score"] == 100.0);
    CHECK(gradescope["output"].get<std::string>().find("capped at 100") != std::string::npos);

    auto low =
        result_of(kCriteria, {{"a1", 0}, {"a2", 0}, {"b1", 0}, {"t1", 10}, {"x1", 0}, {"x2", 0}, {"p1", 0}, {"p2", 0}});
    CHECK(low["final_score"] == 0.0);
    gradescope = to_gradescope(low);
    CHECK(sum_of_test_points(gradescope) < 0);
    CHECK(gradescope["output"].get<std::string>().find("never below 0") != std::string::npos);
}

TEST_CASE("report formats: a document that is not a result is refused with the offending field") {
    auto result = result_of(
        kCriteria, {{"a1", 100}, {"a2", 40}, {"b1", 75}, {"t1", 0}, {"x1", 100}, {"x2", 50}, {"p1", 100}, {"p2", 0}});
    result["result_tree"]["root"]["base"]["subjects"][1]["tests"][0]["score"] = "high";
    CHECK_THROWS_WITH_AS(to_gradescope(result), "result_tree.root.base.subjects[1].tests[0].score: expected a number",
                         std::invalid_argument);
    CHECK_THROWS_AS(render_result(nlohmann::json::array(), ReportFormat::tap), std::invalid_argument);
    CHECK_THROWS_AS(to_junit_xml({{"status", "SUCCESS"}}), std::invalid_argument);
    CHECK(report_format_from_string("junit") == ReportFormat::junit);
    CHECK_FALSE(report_format_from_string("xml").has_value());
}

TEST_CASE("report formats: python-calculator (every sample submission)") {
    check_assignment_formats("python-calculator");
}
TEST_CASE("report formats: c-geometry (every sample submission)") {
    check_assignment_formats("c-geometry");
}
TEST_CASE("report formats: java-grades (every sample submission)") {
    check_assignment_formats("java-grades");
}
TEST_CASE("report formats: js-wordcount (every sample submission)") {
    check_assignment_formats("js-wordcount");
}
TEST_CASE("report formats: python-recursion (every sample submission)") {
    check_assignment_formats("python-recursion");
}
TEST_CASE("report formats: webdev-portfolio (every sample submission)") {
    check_assignment_formats("webdev-portfolio");
}
