// Focus (docs/configuration.md, "Focus"): impact = (100 - score) x effective weight, sf/tf applied exactly once.
#include "criteria/criteria_test_support.hpp"

using grading_test::grade;
using grading_test::near;
using grading_test::test;
using nlohmann::json;

TEST_CASE("focus: a mixed node's split is applied once") {
    // subjects_weight 70. S1 and S2 (50/50) -> 35 and 35 of 100; tests c (1), d (3) -> 7.5, 22.5.
    // Effective weights: a = 35/100 * 1 = 0.35, b = 0.35, c = 0.075, d = 0.225.
    // Impacts: a (100) -> 0; b (0) -> 100*0.35 = 35; c (100) -> 0; d (0) -> 100*0.225 = 22.5.
    // (The reference multiplies b by 0.7 again: 24.5.)
    // Cross-check: 35 + 22.5 = 57.5 = 100 - final score 42.5.
    json criteria = {{"base",
                      {{"subjects_weight", 70},
                       {"subjects",
                        {{{"subject_name", "S1"}, {"weight", 50}, {"tests", {test("a")}}},
                         {{"subject_name", "S2"}, {"weight", 50}, {"tests", {test("b")}}}}},
                       {"tests", {test("c", 1), test("d", 3)}}}}};
    auto result = grade(criteria, {{"a", 100}, {"b", 0}, {"c", 100}, {"d", 0}});
    auto focus = autograder::compute_focus(result);
    REQUIRE(focus.base.size() == 4);
    CHECK(focus.base[0].test == "b");
    CHECK(near(focus.base[0].impact, 35));
    CHECK(focus.base[0].path == "base/S2/b");
    CHECK(focus.base[1].test == "d");
    CHECK(near(focus.base[1].impact, 22.5));
    // a and c tie at 0: stable, so tree order (subjects first): a, then c.
    CHECK(focus.base[2].test == "a");
    CHECK(focus.base[3].test == "c");
    CHECK(near(focus.base[2].impact, 0));

    auto located = autograder::locate_tests(result);
    REQUIRE(located.size() == 4);
    CHECK(near(located[0].effective_weight, 0.35));
    CHECK(near(located[2].effective_weight, 0.075));
    CHECK(near(located[3].effective_weight, 0.225));
}

TEST_CASE("focus: bonus and penalty impacts are scaled by weight/100") {
    // bonus weight 15, tests p, q (1 each) -> fraction 0.5; p = 0 -> 100 * 0.5 * 0.15 = 7.5.
    // penalty weight 20, r (3) and s (1) -> 0.75 and 0.25;
    //   r = 0  -> 100 * 0.75 * 0.20 = 15;  s = 50 -> 50 * 0.25 * 0.20 = 2.5.
    // base: one test at 90 -> 10 * 1 = 10.
    json criteria = {{"base", {{"tests", {test("t")}}}},
                     {"bonus", {{"weight", 15}, {"tests", {test("p", 1), test("q", 1)}}}},
                     {"penalty", {{"weight", 20}, {"tests", {test("s", 1), test("r", 3)}}}}};
    auto result = grade(criteria, {{"t", 90}, {"p", 0}, {"q", 100}, {"r", 0}, {"s", 50}});
    auto focus = autograder::compute_focus(result);
    REQUIRE(focus.base.size() == 1);
    CHECK(near(focus.base[0].impact, 10));
    REQUIRE(focus.bonus.size() == 2);
    CHECK(focus.bonus[0].test == "p");
    CHECK(near(focus.bonus[0].impact, 7.5));
    CHECK(near(focus.bonus[1].impact, 0));
    REQUIRE(focus.penalty.size() == 2);
    CHECK(focus.penalty[0].test == "r");  // sorted by impact although s comes first in the tree
    CHECK(near(focus.penalty[0].impact, 15));
    CHECK(near(focus.penalty[1].impact, 2.5));
    // Cross-check with the root formula: base 90; bonus score (0 + 100)/2 = 50 -> +7.5;
    // penalty score 50*0.25 + 0*0.75 = 12.5 -> -(100 - 12.5)/100*20 = -17.5; final = 80.
    // The penalty impacts 15 + 2.5 = 17.5 are exactly that deduction.
    CHECK(near(result.final_score, 80));
}

TEST_CASE("focus: ties keep tree order, higher impacts first") {
    // e1, e2, e3 all score 0 with weight 1, big weighs 3:
    // fractions 1/6, 1/6, 1/6, 3/6 -> impacts 16.67 x3 and 50.
    json criteria = {{"base", {{"tests", {test("e1", 1), test("e2", 1), test("big", 3), test("e3", 1)}}}}};
    auto result = grade(criteria, {{"e1", 0}, {"e2", 0}, {"big", 0}, {"e3", 0}});
    auto focus = autograder::compute_focus(result);
    REQUIRE(focus.base.size() == 4);
    CHECK(focus.base[0].test == "big");
    CHECK(near(focus.base[0].impact, 50));
    CHECK(focus.base[1].test == "e1");
    CHECK(focus.base[2].test == "e2");
    CHECK(focus.base[3].test == "e3");
    CHECK(near(focus.base[1].impact, 100.0 / 6));
}

TEST_CASE("focus: JSON has the three categories with test and impact") {
    auto result = grade({{"base", {{"tests", {test("t")}}}}}, {{"t", 25}});
    auto json_focus = autograder::compute_focus(result).to_json();
    CHECK(json_focus["bonus"].empty());
    CHECK(json_focus["penalty"].empty());
    REQUIRE(json_focus["base"].size() == 1);
    CHECK(json_focus["base"][0]["test"] == "t");
    // (100 - 25) x 1 = 75.
    CHECK(near(json_focus["base"][0]["impact"].get<double>(), 75));
}
