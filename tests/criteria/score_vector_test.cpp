// Score vector paths (with the #2, #3 fix for duplicates) and comparison with a baseline.
#include "criteria/criteria_test_support.hpp"

using grading_test::grade;
using grading_test::test;
using nlohmann::json;

TEST_CASE("score vector: paths follow categories and subjects") {
    json criteria = {
        {"base",
         {{"subjects",
           {{{"subject_name", "HTML"}, {"subjects", {{{"subject_name", "Head"}, {"tests", {test("title")}}}}}}}}}},
        {"bonus", {{"weight", 10}, {"tests", {test("extra")}}}}};
    auto vector = autograder::compute_score_vector(grade(criteria, {{"title", 100}, {"extra", 30}}));
    REQUIRE(vector.size() == 2);
    CHECK(vector[0].first == "base/HTML/Head/title");
    CHECK(vector[0].second == 100);
    CHECK(vector[1].first == "bonus/extra");
    CHECK(vector[1].second == 30);
}

TEST_CASE("score vector: duplicate paths get #2, #3 instead of overwriting") {
    autograder::CriteriaConfig config;
    for (const char* name : {"x", "x#2", "x", "x"})
        config.base.tests.push_back({name, "t", std::nullopt, 100, autograder::Visibility::visible, {}, {}});
    auto tree = autograder::CriteriaTree::build(config);
    std::vector<autograder::TestOutcome> outcomes{{10, "", {}}, {20, "", {}}, {30, "", {}}, {40, "", {}}};
    auto vector = autograder::compute_score_vector(tree.grade(outcomes));
    REQUIRE(vector.size() == 4);
    CHECK(vector[0] == std::pair<std::string, double>{"base/x", 10});
    // A test really named "x#2" keeps its name; the second "x" then has to skip to #3.
    CHECK(vector[1] == std::pair<std::string, double>{"base/x#2", 20});
    CHECK(vector[2] == std::pair<std::string, double>{"base/x#3", 30});
    CHECK(vector[3] == std::pair<std::string, double>{"base/x#4", 40});
    CHECK(autograder::score_vector_to_json(vector).size() == 4);
}

TEST_CASE("score vector: the same test name in different subjects is not a duplicate") {
    json criteria = {
        {"base",
         {{"subjects",
           {{{"subject_name", "A"}, {"tests", {test("run")}}}, {{"subject_name", "B"}, {"tests", {test("run")}}}}}}}};
    auto tree = grading_test::tree_from(criteria);
    auto vector =
        autograder::compute_score_vector(tree.grade(std::vector<autograder::TestOutcome>{{1, "", {}}, {2, "", {}}}));
    CHECK(vector[0].first == "base/A/run");
    CHECK(vector[1].first == "base/B/run");
}

TEST_CASE("comparison: delta and per-path status") {
    autograder::ScoreSnapshot baseline{60, {{"base/a", 100}, {"base/b", 0}, {"base/c", 50}, {"base/gone", 100}}};
    autograder::ScoreSnapshot current{75, {{"base/a", 100}, {"base/b", 100}, {"base/c", 25}, {"base/new", 0}}};
    auto comparison = autograder::compare_results(baseline, current);
    CHECK(comparison.score_delta == 15);  // 75 - 60
    REQUIRE(comparison.paths.size() == 5);
    using autograder::ScoreChange;
    CHECK(comparison.paths[0].path == "base/a");
    CHECK(comparison.paths[0].change == ScoreChange::unchanged);
    CHECK(comparison.paths[1].change == ScoreChange::improved);   // 0 -> 100
    CHECK(comparison.paths[2].change == ScoreChange::regressed);  // 50 -> 25
    CHECK(comparison.paths[3].path == "base/new");
    CHECK(comparison.paths[3].change == ScoreChange::introduced);
    CHECK_FALSE(comparison.paths[3].baseline.has_value());
    CHECK(comparison.paths[4].path == "base/gone");
    CHECK(comparison.paths[4].change == ScoreChange::removed);
    CHECK_FALSE(comparison.paths[4].current.has_value());

    auto json_comparison = comparison.to_json();
    CHECK(json_comparison["score_delta"] == 15);
    CHECK(json_comparison["paths"][2]["status"] == "regressed");
    CHECK(json_comparison["paths"][4]["current"].is_null());
}

TEST_CASE("comparison: floating noise below 1e-9 is unchanged, a regression of the total is negative") {
    autograder::ScoreSnapshot baseline{80, {{"base/a", 100.0 / 3}}};
    autograder::ScoreSnapshot current{70, {{"base/a", 100.0 / 3 + 1e-12}}};
    auto comparison = autograder::compare_results(baseline, current);
    CHECK(comparison.score_delta == -10);
    CHECK(comparison.paths[0].change == autograder::ScoreChange::unchanged);
}

TEST_CASE("comparison: a stored result JSON round-trips into a snapshot") {
    auto first = grade({{"base", {{"tests", {test("a"), test("b")}}}}}, {{"a", 100}, {"b", 0}});
    auto second = grade({{"base", {{"tests", {test("a"), test("b")}}}}}, {{"a", 100}, {"b", 100}});
    auto stored = autograder::grading_result_json(first, autograder::compute_focus(first),
                                                  autograder::compute_score_vector(first));
    // Through text, as a store would keep it.
    auto baseline = autograder::ScoreSnapshot::from_result_json(json::parse(stored.dump()));
    CHECK(baseline.final_score == 50);  // (100 + 0) / 2
    auto comparison = autograder::compare_results(baseline, autograder::ScoreSnapshot::of(second));
    CHECK(comparison.score_delta == 50);  // 100 - 50
    REQUIRE(comparison.paths.size() == 2);
    CHECK(comparison.paths[1].path == "base/b");
    CHECK(comparison.paths[1].change == autograder::ScoreChange::improved);

    CHECK_THROWS_AS(autograder::ScoreSnapshot::from_result_json(json{{"final_score", 1}}), std::invalid_argument);
    CHECK_THROWS_AS(
        autograder::ScoreSnapshot::from_result_json(json{{"final_score", "high"}, {"score_vector", json::object()}}),
        std::invalid_argument);
}
