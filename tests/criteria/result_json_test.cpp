// The result JSON (docs/configuration.md, "Results"), and grading one tree from many threads.
#include <cmath>
#include <thread>

#include "criteria/criteria_test_support.hpp"

using grading_test::test;
using nlohmann::json;

TEST_CASE("result JSON: result_tree carries the fields of the spec") {
    json criteria = {{"base",
                      {{"weight", 100},
                       {"subjects",
                        {{{"subject_name", "Output"},
                          {"weight", 100},
                          {"tests",
                           {{{"name", "sum"},
                             {"type", "expect_output"},
                             {"file", "main.py"},
                             {"inputs", {"1", "2"}},
                             {"parameters", {{{"name", "expected_output"}, {"value", "3"}}}}}}}}}}}},
                     {"penalty", {{"weight", 10}, {"tests", {test("no eval")}}}}};
    auto tree = grading_test::tree_from(criteria);
    std::vector<autograder::TestOutcome> outcomes(2);
    outcomes[0] = {100, "ok", autograder::TestResources{12, 30, 2048}};
    outcomes[1] = {0, "eval used", std::nullopt};
    auto result = tree.grade(outcomes);
    auto document = result.to_json();

    // 100 - (100 - 0)/100*10 = 90.
    CHECK(document["final_score"] == 90.0);
    CHECK(document["summary"] == json{{"total", 2}, {"passed", 1}, {"failed", 1}});
    const auto& root = document["root"];
    CHECK(root.contains("base"));
    CHECK(root.contains("penalty"));
    CHECK_FALSE(root.contains("bonus"));  // not configured
    for (const char* field : {"name", "type", "weight", "score", "subjects", "tests"})
        CHECK_MESSAGE(root["base"].contains(field), field);
    CHECK(root["base"]["type"] == "category");
    const auto& subject = root["base"]["subjects"][0];
    CHECK(subject["name"] == "Output");
    CHECK(subject["type"] == "subject");
    const auto& sum = subject["tests"][0];
    for (const char* field : {"name", "type", "score", "weight", "report", "file_target", "parameters", "resources"})
        CHECK_MESSAGE(sum.contains(field), field);
    CHECK(sum["file_target"] == "main.py");
    CHECK(sum["parameters"] == json{{"expected_output", "3"}, {"inputs", {"1", "2"}}});
    CHECK(sum["resources"] == json{{"cpu_ms", 12}, {"wall_ms", 30}, {"peak_memory_kb", 2048}});
    const auto& no_eval = root["penalty"]["tests"][0];
    CHECK(no_eval["file_target"].is_null());
    CHECK(no_eval["resources"].is_null());
    CHECK(no_eval["report"] == "eval used");
}

TEST_CASE("result JSON: a report with invalid UTF-8 still serialises") {
    auto tree = grading_test::tree_from({{"base", {{"tests", {test("t")}}}}});
    std::vector<autograder::TestOutcome> outcomes{{0, std::string("bad \xff\xfe bytes \xed\xa0\x80 end"), {}}};
    auto result = tree.grade(outcomes);
    // 0xFF, 0xFE and each byte of the encoded surrogate (ED A0 80) are replaced by U+FFFD.
    CHECK(result.base.tests[0].report == "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD end");
    std::string text;
    CHECK_NOTHROW(text = result.to_json().dump());
    CHECK(text.find("bytes") != std::string::npos);
}

TEST_CASE("result JSON: grading_result_json joins result tree, focus and score vector") {
    auto tree = grading_test::tree_from({{"base", {{"tests", {test("t")}}}}});
    auto result = tree.grade(std::vector<autograder::TestOutcome>{{40, "", {}}});
    auto document = autograder::grading_result_json(result, autograder::compute_focus(result),
                                                    autograder::compute_score_vector(result));
    CHECK(document["final_score"] == 40.0);
    CHECK(document["result_tree"]["final_score"] == 40.0);
    CHECK(document["focus"]["base"][0]["impact"] == 60.0);  // (100 - 40) x 1
    CHECK(document["score_vector"] == json{{"base/t", 40.0}});
}

TEST_CASE("grading: one tree graded from several threads gives the same results") {
    // Each thread grades with its own outcomes; the shared tree is only read.
    auto tree = grading_test::tree_from(
        {{"base", {{"tests", {test("a", 1), test("b", 3)}}}}, {"bonus", {{"weight", 10}, {"tests", {test("x")}}}}});
    std::vector<double> finals(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < finals.size(); ++i) {
        threads.emplace_back([&tree, &finals, i] {
            double last = 0;
            for (int repeat = 0; repeat < 200; ++repeat) {
                std::vector<autograder::TestOutcome> outcomes{
                    {static_cast<double>(i) * 10, "", {}}, {100, "", {}}, {50, "", {}}};
                last = tree.grade(outcomes).final_score;
            }
            finals[i] = last;
        });
    }
    for (auto& thread : threads) thread.join();
    // a weighs 1/4, b 3/4: base = a/4 + 75; bonus adds 50/100*10 = 5.
    for (std::size_t i = 0; i < finals.size(); ++i)
        CHECK(grading_test::near(finals[i], static_cast<double>(i) * 10 / 4 + 75 + 5));
}

TEST_CASE("result JSON: scores are rounded to 1e-9, no floating-point noise reaches an output") {
    // Penalty tests of weights 0.1 and 0.2, both passed: the weighted mean is 100.00000000000001.
    json weighted_a = test("a"), weighted_b = test("b");
    weighted_a["weight"] = 0.1;
    weighted_b["weight"] = 0.2;
    json criteria = {{"base", {{"tests", {test("t1"), test("t2"), test("t3")}}}},
                     {"penalty", {{"weight", 20}, {"tests", {weighted_a, weighted_b}}}}};
    auto tree = grading_test::tree_from(criteria);
    std::vector<autograder::TestOutcome> outcomes{
        {100, "", {}}, {0, "", {}}, {0, "", {}}, {100, "", {}}, {100, "", {}}};
    auto result = tree.grade(outcomes);
    REQUIRE(result.penalty.has_value());
    CHECK(result.penalty->score != 100.0);  // the exact arithmetic is noisy...
    auto document = autograder::grading_result_json(result, autograder::compute_focus(result),
                                                    autograder::compute_score_vector(result));
    // ...what is shown is not.
    CHECK(document["result_tree"]["root"]["penalty"]["score"] == 100.0);
    CHECK(document["final_score"] == 33.333333333);
    CHECK(std::fabs(document["final_score"].get<double>() - result.final_score) <= 1e-9);
    for (const auto& entry : document["focus"]["penalty"]) CHECK(entry["impact"] == 0.0);
    CHECK(document.dump().find("e-1") == std::string::npos);
    CHECK(autograder::rounded_score(20.000000000000004) == 20.0);
    CHECK(autograder::rounded_score(1.7763568394002505e-15) == 0.0);
    CHECK_FALSE(std::signbit(autograder::rounded_score(-1e-15)));
}
