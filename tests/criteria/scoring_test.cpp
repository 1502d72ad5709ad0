// Scoring (docs/configuration.md, "Scoring"), one rule per test case. Every expected number is worked out by hand in
// the comment above the check.
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

#include "criteria/criteria_test_support.hpp"

using grading_test::grade;
using grading_test::near;
using grading_test::test;
using nlohmann::json;

TEST_CASE("scoring: tests of one node are rescaled to sum to 100 and averaged by weight") {
    // weights 30 and 10 sum to 40 -> x 100/40: A = 75, B = 25.
    // score = (100*75 + 0*25) / (75+25) = 75.
    auto result =
        grade({{"base", {{"weight", 100}, {"tests", {test("A", 30), test("B", 10)}}}}}, {{"A", 100}, {"B", 0}});
    CHECK(near(result.base.tests[0].weight, 75));
    CHECK(near(result.base.tests[1].weight, 25));
    CHECK(near(result.base.score, 75));
    CHECK(near(result.final_score, 75));
}

TEST_CASE("scoring: partial credit is averaged as given") {
    // Equal weights 100, 100 -> 50, 50. score = (40*50 + 90*50) / 100 = 65.
    auto result = grade({{"base", {{"tests", {test("A"), test("B")}}}}}, {{"A", 40}, {"B", 90}});
    CHECK(near(result.final_score, 65));
}

TEST_CASE("scoring: build-time rescale of sibling subjects only when their sum is > 0 and != 100") {
    auto subject = [](const std::string& name, double weight) {
        return json{{"subject_name", name}, {"weight", weight}, {"tests", {test(name + "-t")}}};
    };
    SUBCASE("sum 40 becomes 100") {
        // 30 and 10: x 100/40 -> 75 and 25.
        auto tree = grading_test::tree_from({{"base", {{"subjects", {subject("S1", 30), subject("S2", 10)}}}}});
        CHECK(near(tree.criteria().base.subjects[0].weight, 75));
        CHECK(near(tree.criteria().base.subjects[1].weight, 25));
    }
    SUBCASE("sum 100 is kept") {
        auto tree = grading_test::tree_from({{"base", {{"subjects", {subject("S1", 60), subject("S2", 40)}}}}});
        CHECK(tree.criteria().base.subjects[0].weight == 60);
        CHECK(tree.criteria().base.subjects[1].weight == 40);
    }
    SUBCASE("sum 0 is left alone at build time") {
        auto tree = grading_test::tree_from({{"base", {{"subjects", {subject("S1", 0), subject("S2", 0)}}}}});
        CHECK(tree.criteria().base.subjects[0].weight == 0);
        CHECK(tree.criteria().base.subjects[1].weight == 0);
    }
}

TEST_CASE("scoring: nested subjects are rescaled at every level") {
    // base: A (60), B (20) -> sum 80 -> A = 75, B = 25.
    // A: A1 (1), A2 (3) -> sum 4 -> A1 = 25, A2 = 75.
    // A1 = 100 (its only test), A2 = 0, so A = (100*25 + 0*75) / 100 = 25.
    // B = 50.  base = (25*75 + 50*25) / 100 = (1875 + 1250) / 100 = 31.25.
    json a = {{"subject_name", "A"},
              {"weight", 60},
              {"subjects",
               {{{"subject_name", "A1"}, {"weight", 1}, {"tests", {test("t1")}}},
                {{"subject_name", "A2"}, {"weight", 3}, {"tests", {test("t2")}}}}}};
    json b = {{"subject_name", "B"}, {"weight", 20}, {"tests", {test("t3")}}};
    auto result = grade({{"base", {{"subjects", {a, b}}}}}, {{"t1", 100}, {"t2", 0}, {"t3", 50}});
    const auto& node_a = result.base.subjects[0];
    CHECK(near(node_a.weight, 75));
    CHECK(near(node_a.subjects[0].weight, 25));
    CHECK(near(node_a.subjects[1].weight, 75));
    CHECK(near(node_a.score, 25));
    CHECK(near(result.base.subjects[1].weight, 25));
    CHECK(near(result.base.score, 31.25));
    CHECK(near(result.final_score, 31.25));
}

TEST_CASE("scoring: a mixed node splits its weight by subjects_weight") {
    // subjects_weight 70: sf = 0.7, tf = 0.3.
    // Subjects S1 (50), S2 (50) rescaled to sum 70 -> 35, 35.
    // Tests c (1), d (3) rescaled to sum 30 -> 7.5, 22.5.
    // S1 = 100, S2 = 0, c = 100, d = 0:
    // score = (100*35 + 0*35 + 100*7.5 + 0*22.5) / (35+35+7.5+22.5) = 4250 / 100 = 42.5.
    json criteria = {{"base",
                      {{"subjects_weight", 70},
                       {"subjects",
                        {{{"subject_name", "S1"}, {"weight", 50}, {"tests", {test("a")}}},
                         {{"subject_name", "S2"}, {"weight", 50}, {"tests", {test("b")}}}}},
                       {"tests", {test("c", 1), test("d", 3)}}}}};
    auto result = grade(criteria, {{"a", 100}, {"b", 0}, {"c", 100}, {"d", 0}});
    CHECK(near(result.base.subjects[0].weight, 35));
    CHECK(near(result.base.subjects[1].weight, 35));
    CHECK(near(result.base.tests[0].weight, 7.5));
    CHECK(near(result.base.tests[1].weight, 22.5));
    CHECK(near(result.final_score, 42.5));
}

TEST_CASE("scoring: subjects_weight 100 leaves the node's own tests without weight") {
    // sf = 1, tf = 0: the test x is rescaled to 0 and the score is the subject's alone: 40.
    json criteria = {{"base",
                      {{"subjects_weight", 100},
                       {"subjects", {{{"subject_name", "S"}, {"weight", 10}, {"tests", {test("s")}}}}},
                       {"tests", {test("x")}}}}};
    auto result = grade(criteria, {{"s", 40}, {"x", 100}});
    CHECK(near(result.base.tests[0].weight, 0));
    CHECK(near(result.base.subjects[0].weight, 100));
    CHECK(near(result.final_score, 40));
}

TEST_CASE("scoring: zero-weight siblings") {
    SUBCASE("all tests weigh 0: each gets target/n") {
        // sum 0 -> each 100/2 = 50. score = (100*50 + 0*50) / 100 = 50.
        auto result = grade({{"base", {{"tests", {test("x", 0), test("y", 0)}}}}}, {{"x", 100}, {"y", 0}});
        CHECK(near(result.base.tests[0].weight, 50));
        CHECK(near(result.base.tests[1].weight, 50));
        CHECK(near(result.final_score, 50));
    }
    SUBCASE("one zero beside a non-zero: the zero-weight test does not count") {
        // 0 and 10 -> x 100/10 -> 0 and 100. score = (100*0 + 50*100) / 100 = 50.
        auto result = grade({{"base", {{"tests", {test("x", 0), test("y", 10)}}}}}, {{"x", 100}, {"y", 50}});
        CHECK(near(result.base.tests[0].weight, 0));
        CHECK(near(result.final_score, 50));
    }
    SUBCASE("all subjects weigh 0") {
        // Not rescaled at build (sum 0); at grade each gets 100/2 = 50. (100*50 + 0*50)/100 = 50.
        json criteria = {{"base",
                          {{"subjects",
                            {{{"subject_name", "P"}, {"weight", 0}, {"tests", {test("p")}}},
                             {{"subject_name", "Q"}, {"weight", 0}, {"tests", {test("q")}}}}}}}};
        auto result = grade(criteria, {{"p", 100}, {"q", 0}});
        CHECK(near(result.base.subjects[0].weight, 50));
        CHECK(near(result.final_score, 50));
    }
    SUBCASE("zero-weight tests of a mixed node share the tests' part") {
        // subjects_weight 40 -> tests' target 60; both weigh 0 -> 30 each.
        // S = 0, t1 = 100, t2 = 100: score = (0*40 + 100*30 + 100*30) / 100 = 60.
        json criteria = {{"base",
                          {{"subjects_weight", 40},
                           {"subjects", {{{"subject_name", "S"}, {"weight", 100}, {"tests", {test("s")}}}}},
                           {"tests", {test("t1", 0), test("t2", 0)}}}}};
        auto result = grade(criteria, {{"s", 0}, {"t1", 100}, {"t2", 100}});
        CHECK(near(result.base.tests[0].weight, 30));
        CHECK(near(result.final_score, 60));
    }
}

TEST_CASE("scoring: an empty node scores 0") {
    // Built in code (the parser rejects empty nodes): base has an empty subject E and a subject F.
    // E = 0 (empty), F = 100; weights 50/50: base = (0*50 + 100*50) / 100 = 50.
    autograder::CriteriaConfig config;
    autograder::CriteriaNode empty{"E", 50, std::nullopt, {}, {}};
    autograder::CriteriaNode full{"F", 50, std::nullopt, {}, {}};
    full.tests.push_back({"f", "f", std::nullopt, 100, autograder::Visibility::visible, {}, {}});
    config.base.subjects = {empty, full};
    // An empty bonus category scores 0 and adds 0 * 20 / 100 = 0.
    config.bonus = autograder::CriteriaNode{"bonus", 20, std::nullopt, {}, {}};
    auto tree = autograder::CriteriaTree::build(config);
    auto result = tree.grade(std::vector<autograder::TestOutcome>{{100, "", std::nullopt}});
    CHECK(result.base.subjects[0].score == 0);
    CHECK(near(result.base.score, 50));
    REQUIRE(result.bonus.has_value());
    CHECK(result.bonus->score == 0);
    CHECK(near(result.final_score, 50));
}

TEST_CASE("scoring: root formula with bonus and penalty") {
    // final = base + bonus/100*bonus.weight - (100 - penalty)/100*penalty.weight
    //       = 80 + 60/100*15 - (100-75)/100*20 = 80 + 9 - 5 = 84.
    json criteria = {{"base", {{"tests", {test("b")}}}},
                     {"bonus", {{"weight", 15}, {"tests", {test("x")}}}},
                     {"penalty", {{"weight", 20}, {"tests", {test("p")}}}}};
    auto result = grade(criteria, {{"b", 80}, {"x", 60}, {"p", 75}});
    CHECK(near(result.final_score, 84));
}

TEST_CASE("scoring: the base weight does not scale the final score") {
    // base weight 50, base score 80 -> final 80 (not 40).
    auto result = grade({{"base", {{"weight", 50}, {"tests", {test("b")}}}}}, {{"b", 80}});
    CHECK(result.base.weight == 50);
    CHECK(near(result.final_score, 80));
}

TEST_CASE("scoring: a passing penalty test costs nothing, failing all costs the whole weight") {
    json criteria = {{"base", {{"tests", {test("b")}}}},
                     {"penalty", {{"weight", 20}, {"tests", {test("p1"), test("p2")}}}}};
    // Both pass: 70 - (100-100)/100*20 = 70.
    CHECK(near(grade(criteria, {{"b", 70}, {"p1", 100}, {"p2", 100}}).final_score, 70));
    // Both fail: 70 - (100-0)/100*20 = 50.
    CHECK(near(grade(criteria, {{"b", 70}, {"p1", 0}, {"p2", 0}}).final_score, 50));
    // One fails: penalty score 50 -> 70 - 50/100*20 = 60.
    CHECK(near(grade(criteria, {{"b", 70}, {"p1", 0}, {"p2", 100}}).final_score, 60));
}

TEST_CASE("scoring: the final score is clamped to 0..100") {
    SUBCASE("above 100") {
        // 95 + 100/100*15 = 110 -> 100.
        json criteria = {{"base", {{"tests", {test("b")}}}}, {"bonus", {{"weight", 15}, {"tests", {test("x")}}}}};
        auto result = grade(criteria, {{"b", 95}, {"x", 100}});
        CHECK(result.final_score == 100);
    }
    SUBCASE("below 0") {
        // 10 - (100-0)/100*30 = -20 -> 0.
        json criteria = {{"base", {{"tests", {test("b")}}}}, {"penalty", {{"weight", 30}, {"tests", {test("p")}}}}};
        auto result = grade(criteria, {{"b", 10}, {"p", 0}});
        CHECK(result.final_score == 0);
    }
}

TEST_CASE("scoring: test scores are clamped to 0..100 and NaN is rejected") {
    auto tree = grading_test::tree_from({{"base", {{"tests", {test("A"), test("B")}}}}});
    // 150 -> 100 and -5 -> 0: score = (100*50 + 0*50) / 100 = 50.
    auto result = tree.grade(grading_test::outcomes_by_name(tree, {{"A", 150}, {"B", -5}}));
    CHECK(result.base.tests[0].score == 100);
    CHECK(result.base.tests[1].score == 0);
    CHECK(near(result.final_score, 50));

    const double infinity = std::numeric_limits<double>::infinity();
    auto infinite = tree.grade(grading_test::outcomes_by_name(tree, {{"A", infinity}, {"B", -infinity}}));
    CHECK(infinite.base.tests[0].score == 100);
    CHECK(infinite.base.tests[1].score == 0);

    auto nan_scores = grading_test::outcomes_by_name(tree, {{"A", std::nan("")}, {"B", 0}});
    CHECK_THROWS_AS(tree.grade(nan_scores), std::invalid_argument);
}

TEST_CASE("scoring: grade() needs one outcome per test") {
    auto tree = grading_test::tree_from({{"base", {{"tests", {test("A"), test("B")}}}}});
    CHECK(tree.tests().size() == 2);
    CHECK_THROWS_AS(tree.grade(std::vector<autograder::TestOutcome>(1)), std::invalid_argument);
}

TEST_CASE("scoring: tests() lists subjects before a node's own tests, categories in order") {
    json criteria = {{"base",
                      {{"subjects_weight", 50},
                       {"tests", {test("own")}},
                       {"subjects", {{{"subject_name", "S"}, {"tests", {test("deep")}}}}}}},
                     {"penalty", {{"weight", 10}, {"tests", {test("p")}}}},
                     {"bonus", {{"weight", 10}, {"tests", {test("x")}}}}};
    auto tree = grading_test::tree_from(criteria);
    REQUIRE(tree.tests().size() == 4);
    CHECK(tree.tests()[0].spec.name == "deep");
    CHECK(tree.tests()[0].subject_path == std::vector<std::string>{"S"});
    CHECK(tree.tests()[1].spec.name == "own");
    CHECK(tree.tests()[2].category == autograder::Category::bonus);
    CHECK(tree.tests()[3].category == autograder::Category::penalty);
}

TEST_CASE("scoring: summary counts a test as passed only at exactly 100") {
    auto result =
        grade({{"base", {{"tests", {test("A"), test("B"), test("C")}}}}}, {{"A", 100}, {"B", 99.99}, {"C", 0}});
    CHECK(result.summary.total == 3);
    CHECK(result.summary.passed == 1);
    CHECK(result.summary.failed == 2);
}

TEST_CASE("scoring: CriteriaTree::build rejects bad weights of a tree built in code") {
    autograder::CriteriaConfig config;
    config.base.tests.push_back({"a", "a", std::nullopt, -1, autograder::Visibility::visible, {}, {}});
    config.base.tests.push_back({"b", "b", std::nullopt, std::nan(""), autograder::Visibility::visible, {}, {}});
    try {
        (void)autograder::CriteriaTree::build(config);
        FAIL("expected a ConfigError");
    } catch (const autograder::ConfigError& error) {
        REQUIRE(error.issues().size() == 2);
        CHECK(error.issues()[0].path == "criteria_config.base.tests[0].weight");
        CHECK(error.issues()[1].path == "criteria_config.base.tests[1].weight");
    }
}

// Excluded tests (an AI-judged test without a verdict under ai.fallback "exclude").
namespace {
autograder::ResultTree grade_excluding(const nlohmann::json& criteria, const std::map<std::string, double>& scores,
                                       const std::set<std::string>& excluded) {
    auto tree = grading_test::tree_from(criteria);
    auto outcomes = grading_test::outcomes_by_name(tree, scores);
    for (std::size_t i = 0; i < outcomes.size(); ++i)
        outcomes[i].excluded = excluded.count(tree.tests()[i].spec.name) > 0;
    return tree.grade(outcomes);
}
}  // namespace

TEST_CASE("scoring: an excluded test has weight 0 and its siblings share the node's weight") {
    // A (50), B (30, excluded), C (20): A and C rescale to 100 as if B were absent: 50/70 and 20/70.
    // score = (100*50 + 30*20) / 70 = 5600 / 70 = 80.
    auto result = grade_excluding({{"base", {{"tests", {test("A", 50), test("B", 30), test("C", 20)}}}}},
                                  {{"A", 100}, {"B", 0}, {"C", 30}}, {"B"});
    CHECK(result.base.tests[1].excluded);
    CHECK(result.base.tests[1].weight == 0);
    CHECK(near(result.base.tests[0].weight, 500.0 / 7));
    CHECK(near(result.base.score, 80));
    CHECK_FALSE(result.base.excluded);
}

TEST_CASE("scoring: a subject whose tests are all excluded is excluded, a mixed node keeps its other side") {
    // base: subjects S1 {X excluded} and S2 {Y = 40}, 50/50, and its own test T = 100, subjects_weight 60.
    // S1 is excluded, so S2 takes all of the subjects' 60: base = (40*60 + 100*40) / 100 = 64.
    nlohmann::json criteria = {{"base",
                                {{"subjects_weight", 60},
                                 {"subjects",
                                  {{{"subject_name", "S1"}, {"weight", 50}, {"tests", {test("X")}}},
                                   {{"subject_name", "S2"}, {"weight", 50}, {"tests", {test("Y")}}}}},
                                 {"tests", {test("T")}}}}};
    auto result = grade_excluding(criteria, {{"X", 0}, {"Y", 40}, {"T", 100}}, {"X"});
    CHECK(result.base.subjects[0].excluded);
    CHECK(result.base.subjects[0].weight == 0);
    CHECK(near(result.base.subjects[1].weight, 60));
    CHECK(near(result.base.score, 64));
    SUBCASE("every test of the subjects excluded: the node's own tests carry it") {
        auto alone = grade_excluding(criteria, {{"X", 0}, {"Y", 40}, {"T", 100}}, {"X", "Y"});
        CHECK(near(alone.base.score, 100));
        CHECK(near(alone.base.tests[0].weight, 100));
    }
}

TEST_CASE("scoring: an excluded penalty category costs nothing") {
    // base 70; penalty (weight 20) has only an excluded test scoring 0: it would cost 20, it costs nothing.
    auto result =
        grade_excluding({{"base", {{"tests", {test("A")}}}}, {"penalty", {{"weight", 20}, {"tests", {test("P")}}}}},
                        {{"A", 70}, {"P", 0}}, {"P"});
    CHECK(result.penalty->excluded);
    CHECK(near(result.final_score, 70));
}
