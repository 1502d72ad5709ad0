// analysis/css_stylesheet: rules, selectors, declarations and @media from tree-sitter-css trees.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "analysis/css_stylesheet.hpp"

using namespace autograder::analysis;

namespace {

CssStylesheet stylesheet(const std::string& css) {
    return CssStylesheet::build(SyntaxTree::parse(Language::css, css));
}

std::vector<std::string> names(const std::vector<CssSelectorName>& selectors) {
    std::vector<std::string> all;
    for (const auto& s : selectors) all.push_back(s.name);
    return all;
}

}  // namespace

TEST_CASE("css_stylesheet: rules, declarations with values, units, !important and lines") {
    auto sheet = stylesheet(
        "@import url(\"base.css\");\n/* .hidden { color: red } */\n"
        "body, .menu > li:not(.active) a#main {\n  Color: RED;\n  margin: 1em 2px !important;\n}\n"
        ".a { width: calc(100% - 2rem) }\n");
    REQUIRE(sheet.rules().size() == 2);
    CHECK(sheet.rules()[0].selectors == "body, .menu > li:not(.active) a#main");
    CHECK(sheet.rules()[0].line == 3);
    CHECK(sheet.rules()[0].media.empty());
    REQUIRE(sheet.declarations().size() == 3);
    const CssDeclaration& color = sheet.declarations()[0];
    CHECK(color.property == "color");
    CHECK(color.value == "RED");
    CHECK(color.line == 4);
    CHECK(color.rule == std::optional<std::size_t>(0));
    const CssDeclaration& margin = sheet.declarations()[1];
    CHECK(margin.value == "1em 2px");
    CHECK(margin.important);
    CHECK(margin.units == std::vector<std::string>{"em", "px"});
    CHECK(sheet.declarations()[2].units == std::vector<std::string>{"%", "rem"});
    CHECK(sheet.declarations()[2].rule == std::optional<std::size_t>(1));
    // Class selectors (also inside :not), never the pseudo-class name or a comment.
    CHECK(names(sheet.class_selectors()) == std::vector<std::string>{"menu", "active", "a"});
    CHECK(names(sheet.id_selectors()) == std::vector<std::string>{"main"});
}

TEST_CASE("css_stylesheet: @media rules and the rules inside them, @keyframes declarations belong to no rule") {
    auto sheet = stylesheet(
        ".nav { display: block }\n@media (max-width: 600px) {\n  .nav { display: flex; }\n"
        "  @media print { #x { color: black } }\n}\n@keyframes spin { from { transform: rotate(0deg); } }\n"
        ".after { top: 0 }\n");
    REQUIRE(sheet.media_rules().size() == 2);
    CHECK(sheet.media_rules()[0].condition == "(max-width: 600px)");
    CHECK(sheet.media_rules()[0].line == 2);
    CHECK(sheet.media_rules()[1].condition == "print");
    REQUIRE(sheet.rules().size() == 4);
    CHECK(sheet.rules()[0].media.empty());
    CHECK(sheet.rules()[1].media == std::vector<std::string>{"(max-width: 600px)"});
    CHECK(sheet.rules()[2].media == std::vector<std::string>{"(max-width: 600px)", "print"});
    CHECK(sheet.rules()[3].media.empty());  // after the @media block: outside it again
    bool found_transform = false;
    for (const auto& d : sheet.declarations())
        if (d.property == "transform") {
            found_transform = true;
            CHECK_FALSE(d.rule.has_value());
            CHECK(d.units == std::vector<std::string>{"deg"});
        }
    CHECK(found_transform);
}

TEST_CASE("css_stylesheet: broken CSS is recovered, a non-CSS tree is refused") {
    auto sheet = stylesheet(".a { color: red \n.b { margin: 0; }\n.c { padding: 1em; }\n");
    bool padding = false;
    for (const auto& d : sheet.declarations()) padding = padding || d.property == "padding";
    CHECK(padding);
    CHECK(stylesheet("").rules().empty());
    CHECK_THROWS_AS(CssStylesheet::build(SyntaxTree::parse(Language::html, "<p>")), std::invalid_argument);
}
