// The webdev template's CSS test functions, run directly: passing, failing, partial credit, and
// what counts (comments never; <style> blocks when they stand in for the stylesheet).
#include <string>

#include <doctest/doctest.h>

#include "webdev_test_support.hpp"

using namespace webdev_test;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

const char* kSheet =
    "/* body { display: grid; } */\n"
    "body { font-family: Arial, sans-serif; margin: 0 auto; }\n"
    ".menu { display: flex; background-color: #fff; }\n"
    "#header { color: RED !important; padding: 1rem; }\n"
    "@media (max-width: 600px) {\n"
    "  .menu { flex-direction: column; margin: 2%; }\n"
    "}\n";

}  // namespace

TEST_CASE("webdev css_uses_property: the property with a value containing the text") {
    auto files = sheet(kSheet);
    CHECK(score("css_uses_property", {{"prop", "display"}, {"value", "flex"}}, files) == 100);
    CHECK(score("css_uses_property", {{"prop", "DISPLAY"}, {"value", "FLEX"}}, files) == 100);
    CHECK(score("css_uses_property", {{"prop", "font-family"}, {"value", "sans-serif"}}, files) == 100);
    auto commented = run("css_uses_property", {{"prop", "display"}, {"value", "grid"}}, files);
    CHECK(commented.score == 0);  // only in a comment
    CHECK(contains(commented.report, "`display` is set to `flex` (line 3)"));
    CHECK(score("css_uses_property", {{"prop", "color"}, {"value", "#fff"}}, files) == 0);  // background-color
    CHECK(score("css_uses_property", {{"prop", "color"}, {"value", ""}}, files) == 100);
    CHECK(
        contains(configuration_error("css_uses_property", {{"prop", "display"}}, files), "missing parameter 'value'"));
    auto none = run("css_uses_property", {{"prop", "display"}, {"value", "flex"}}, page("<p>"));
    CHECK(none.score == 0);
    CHECK(contains(none.report, "no stylesheet"));
}

TEST_CASE("webdev has_style: ratio of declarations of the property") {
    auto files = sheet(kSheet);
    CHECK(score("has_style", {{"style", "margin"}, {"count", 2}}, files) == 100);
    CHECK(score("has_style", {{"style", "margin"}, {"count", 3}}, files) == 66);
    CHECK(score("has_style", {{"style", "color"}, {"count", 2}}, files) == 50);  // not background-color
    CHECK(score("has_style", {{"style", "grid-template"}, {"count", 1}}, files) == 0);
    CHECK(score("has_style", {{"style", "grid-template"}, {"count", 0}}, files) == 100);
    CHECK(contains(configuration_error("has_style", {{"style", "margin"}, {"count", "two"}}, files), "whole number"));
}

TEST_CASE("webdev count_over_usage: occurrences outside comments against the maximum") {
    auto files = sheet("/* !important !important */\na { color: red !important; }\nb { top: 0 !important; }\n");
    CHECK(score("count_over_usage", {{"text", "!important"}, {"max_allowed", 2}}, files) == 100);
    auto over = run("count_over_usage", {{"text", "!important"}, {"max_allowed", 1}}, files);
    CHECK(over.score == 0);
    CHECK(contains(over.report, "occurs 2 time(s)"));
    CHECK(contains(over.report, "lines 2, 3"));
    CHECK(
        contains(configuration_error("count_over_usage", {{"text", "px"}, {"max_allowed", -1}}, files), "at least 0"));
}

TEST_CASE("webdev check_id_selector_over_usage: id selectors, not colours or comments") {
    auto files = sheet("/* #a {} */\n#main, #side .x { color: #fff; }\n.y { color: #000 }\n");
    CHECK(score("check_id_selector_over_usage", {{"max_allowed", 2}}, files) == 100);
    auto over = run("check_id_selector_over_usage", {{"max_allowed", 1}}, files);
    CHECK(over.score == 0);
    CHECK(contains(over.report, "`#main` (line 2), `#side` (line 2)"));
    CHECK(score("check_id_selector_over_usage", {{"max_allowed", 0}}, sheet(".only { top: 0 }")) == 100);
}

TEST_CASE("webdev uses_relative_units, check_media_queries, check_flexbox_usage") {
    auto files = sheet(kSheet);
    CHECK(score("uses_relative_units", {}, files) == 100);
    CHECK(score("check_media_queries", {}, files) == 100);
    CHECK(score("check_flexbox_usage", {}, files) == 100);
    auto fixed = sheet(
        "/* @media print { a { width: 50% } } display: flex */\n"
        "a { width: 300px; font-size: 16px; content: \"1em\"; }\n");
    CHECK(score("uses_relative_units", {}, fixed) == 0);
    CHECK(score("check_media_queries", {}, fixed) == 0);
    CHECK(score("check_flexbox_usage", {}, fixed) == 0);
    CHECK(score("check_flexbox_usage", {}, sheet(".a { display: inline-flex }")) == 100);
    CHECK(score("check_flexbox_usage", {}, sheet(".a { flex: 1 }")) == 100);
    CHECK(score("uses_relative_units", {}, sheet(".a { height: 100vh }")) == 100);
    CHECK(contains(run("check_media_queries", {}, files).report, "`@media (max-width: 600px)` (line 5)"));
}

TEST_CASE("webdev CSS tests: <style> blocks stand in for a missing stylesheet, with the page's line numbers") {
    std::vector<SourceFile> inline_only = {
        {"index.html",
         "<html><head>\n<style>\n.a { display: flex; }\n</style>\n</head><body style=\"x\"></body></html>"}};
    auto outcome = run("check_flexbox_usage", {}, inline_only);
    CHECK(outcome.score == 100);
    CHECK(contains(outcome.report, "index.html (<style> at line 2)"));
    CHECK(contains(outcome.report, "line 3"));
    // With a .css file, that file is the stylesheet; `file` may name a page to read its <style> blocks.
    std::vector<SourceFile> both = {inline_only[0], {"style.css", ".b { color: red }"}};
    CHECK(score("check_flexbox_usage", {}, both) == 0);
    CHECK(score("check_flexbox_usage", {}, both, "index.html") == 100);
    CHECK(score("check_flexbox_usage", {}, both, "style.css") == 0);
    CHECK_THROWS_WITH_AS(run("check_flexbox_usage", {}, {{"a.js", "x"}, both[1]}, "a.js"),
                         doctest::Contains("is not css or html"), std::invalid_argument);
}

TEST_CASE("webdev CSS tests: a broken stylesheet is checked as far as it parses and says so") {
    auto outcome =
        run("check_media_queries", {}, sheet(".a { color: red \n@media (min-width: 1px) { .b { top: 0 } }\n"));
    CHECK(contains(outcome.report, "Syntax errors in `style.css`"));
}
