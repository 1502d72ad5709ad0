// The JUnit XML reader of the unit_test template: real reports of pytest and JUnit 5, and reports a
// hostile program could leave (entities, deep nesting, too many cases, not XML at all).
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "templates/unit_test/junit_report.hpp"

using autograder::templates::JunitCase;
using autograder::templates::parse_junit_report;

TEST_CASE("junit: pytest's report gives every case with its outcome and message") {
    const std::string xml =
        R"(<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1" failures="1" )"
        R"(skipped="1" tests="4"><testcase classname="test_calc" name="test_add" time="0.001" />)"
        R"(<testcase classname="test_calc" name="test_sub"><failure message="assert 8 == 2">&gt; assert sub(5, 3) == 2)"
        R"(</failure></testcase><testcase classname="test_calc.TestMore" name="test_big"><error message="fixture">boom)"
        R"(</error></testcase><testcase classname="test_calc" name="test_skip"><skipped message="not now"/></testcase>)"
        R"(</testsuite></testsuites>)";
    auto cases = parse_junit_report(xml);
    REQUIRE(cases.size() == 4);
    CHECK(cases[0].classname == "test_calc");
    CHECK(cases[0].name == "test_add");
    CHECK(cases[0].outcome == JunitCase::Outcome::passed);
    CHECK(cases[0].message.empty());
    CHECK(cases[1].outcome == JunitCase::Outcome::failed);
    CHECK(cases[1].message == "assert 8 == 2\n\n> assert sub(5, 3) == 2");
    CHECK(cases[2].classname == "test_calc.TestMore");
    CHECK(cases[2].outcome == JunitCase::Outcome::error);
    CHECK(cases[3].outcome == JunitCase::Outcome::skipped);
}

TEST_CASE("junit: a lone testsuite and nested suites are read too") {
    auto lone = parse_junit_report(R"(<testsuite><testcase classname="A" name="a"/></testsuite>)");
    REQUIRE(lone.size() == 1);
    CHECK(lone[0].name == "a");
    auto nested = parse_junit_report(
        R"(<testsuites><testsuite><testsuite><testcase classname="A" name="deep"/></testsuite></testsuite></testsuites>)");
    REQUIRE(nested.size() == 1);
    CHECK(nested[0].name == "deep");
    const std::vector<std::string> two_unnamed = {"", ""}, one_unnamed = {""};
    CHECK(nested[0].suites == two_unnamed);
    CHECK(lone[0].suites == one_unnamed);
}

TEST_CASE("junit: node's report keeps its describe() blocks as the suites around a case") {
    auto cases = parse_junit_report(
        R"(<testsuites><testcase name="top" classname="test"/><testsuite name="longestWord" tests="1">)"
        R"(<testcase name="ties" classname="test" failure="x"><failure type="testCodeFailure" message="'cd' !== 'ab'">)"
        R"(AssertionError</failure></testcase></testsuite></testsuites>)");
    REQUIRE(cases.size() == 2);
    CHECK(cases[0].suites.empty());
    const std::vector<std::string> describe_block = {"longestWord"};
    CHECK(cases[1].suites == describe_block);
    CHECK(cases[1].outcome == JunitCase::Outcome::failed);
    CHECK(cases[1].message == "'cd' !== 'ab'\n\nAssertionError");
}

TEST_CASE("junit: hostile or broken reports are refused with a reason, never expanded or followed") {
    CHECK_THROWS_WITH_AS(parse_junit_report("not xml <"), doctest::Contains("not valid XML"), std::runtime_error);
    CHECK_THROWS_WITH_AS(parse_junit_report("<html/>"), doctest::Contains("not a JUnit report"), std::runtime_error);
    // Entities are not expanded: no "billion laughs", no external file.
    const std::string laughs =
        R"(<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">)"
        R"(<!ENTITY c SYSTEM "file:///etc/passwd">]><testsuites><testsuite><testcase classname="A" name="&b;&c;">)"
        R"(<failure message="&b;"/></testcase></testsuite></testsuites>)";
    auto cases = parse_junit_report(laughs);
    REQUIRE(cases.size() == 1);
    CHECK(cases[0].name.find("aaaaaaaaaa") == std::string::npos);
    CHECK(cases[0].name.find("root:") == std::string::npos);
    std::string deep;
    for (int i = 0; i < 100; ++i) deep += "<testsuite>";
    for (int i = 0; i < 100; ++i) deep += "</testsuite>";
    CHECK_THROWS_WITH_AS(parse_junit_report("<testsuites>" + deep + "</testsuites>"), doctest::Contains("too deeply"),
                         std::runtime_error);
    std::string many = "<testsuites><testsuite>";
    for (int i = 0; i < 20; ++i) many += R"(<testcase classname="A" name="x"/>)";
    many += "</testsuite></testsuites>";
    CHECK(parse_junit_report(many, 20).size() == 20);
    CHECK_THROWS_WITH_AS(parse_junit_report(many, 19), doctest::Contains("too many"), std::runtime_error);
}
