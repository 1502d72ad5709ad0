// analysis/html_document: the element model built from tree-sitter-html trees, on well-formed and
// malformed pages (unclosed tags, stray end tags, uppercase tags, attributes without values).
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "analysis/html_document.hpp"

using namespace autograder::analysis;

namespace {

HtmlDocument document(const std::string& html) {
    return HtmlDocument::build(SyntaxTree::parse(Language::html, html));
}

std::vector<std::string> tags(const HtmlDocument& doc) {
    std::vector<std::string> all;
    for (const auto& element : doc.elements()) all.push_back(element.tag);
    return all;
}

}  // namespace

TEST_CASE("html_document: elements in document order with parents, children, lines and attributes") {
    auto doc = document(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>T</title></head>\n<body>\n"
        "  <nav id=main class=\" menu  top \"><a href='#x'>x</a></nav>\n"
        "  <input type=checkbox disabled>\n  <p title=\"a &amp; b\">text</p>\n</body>\n</html>\n");
    CHECK(tags(doc) == std::vector<std::string>{"html", "head", "title", "body", "nav", "a", "input", "p"});
    const HtmlElement* nav = doc.find_first("nav");
    REQUIRE(nav != nullptr);
    CHECK(nav->line == 5);
    CHECK(nav->attribute_value("id") == "main");
    CHECK(nav->class_tokens() == std::vector<std::string_view>{"menu", "top"});
    CHECK(nav->closing == HtmlClosing::end_tag);
    REQUIRE(nav->parent.has_value());
    CHECK(doc.at(*nav->parent).tag == "body");
    REQUIRE(nav->children.size() == 1);
    CHECK(doc.at(nav->children[0]).attribute_value("href") == "#x");
    const HtmlElement* input = doc.find_first("input");
    REQUIRE(input != nullptr);
    CHECK(input->closing == HtmlClosing::void_element);
    REQUIRE(input->attribute("disabled") != nullptr);
    CHECK_FALSE(input->attribute("disabled")->value.has_value());  // an attribute without a value
    CHECK(doc.find_first("p")->attribute_value("title") == "a & b");
    CHECK(doc.find_by_id("main") == nav);
    CHECK(doc.ancestor(*doc.find_first("a"), "body") == doc.find_first("body"));
    CHECK(doc.ancestor(*doc.find_first("a"), "head") == nullptr);
    CHECK(doc.descendants(*doc.find_first("body")).size() == 4);  // nav, a, input, p
    CHECK(doc.stray_end_tags().empty());
}

TEST_CASE("html_document: comments, text, attribute values and script contents are never elements") {
    auto doc = document(
        "<body><!-- <nav>old menu</nav> -->\n<p>Use the &lt;nav&gt; tag, or write <code>nav</code></p>\n"
        "<div title=\"<section>\"></div>\n<script>document.body.innerHTML = '<article></article>';</script>\n"
        "<style>nav::after { content: '<aside>'; }</style></body>");
    CHECK(doc.find_all("nav").empty());
    CHECK(doc.find_all("section").empty());
    CHECK(doc.find_all("article").empty());
    CHECK(doc.find_all("aside").empty());
    const HtmlElement* script = doc.find_first("script");
    REQUIRE(script != nullptr);
    CHECK(script->raw_text.find("innerHTML") != std::string::npos);
    CHECK(script->raw_text_row == 3);
    CHECK(script->closing == HtmlClosing::end_tag);
    REQUIRE(doc.find_first("style") != nullptr);
    CHECK(doc.find_first("style")->raw_text.find("content") != std::string::npos);
}

TEST_CASE("html_document: uppercase tags and attributes are lower-cased, self-closing tags are closed") {
    auto doc = document("<DIV CLASS=Box><IMG SRC=a.png ALT=''/><Br><SPAN>x</span></DIV>");
    CHECK(tags(doc) == std::vector<std::string>{"div", "img", "br", "span"});
    const HtmlElement* div = doc.find_first("div");
    CHECK(div->attribute_value("class") == "Box");  // values keep their case
    CHECK(div->closing == HtmlClosing::end_tag);
    CHECK(doc.find_first("span")->closing == HtmlClosing::end_tag);
    CHECK(doc.find_first("img")->closing == HtmlClosing::self_closing);
    REQUIRE(doc.find_first("img")->attribute("alt") != nullptr);
    CHECK(doc.find_first("img")->attribute("alt")->value == std::optional<std::string>(""));
    CHECK(doc.find_first("br")->closing == HtmlClosing::void_element);
    CHECK(is_void_element("br"));
    CHECK_FALSE(is_void_element("div"));
}

TEST_CASE("html_document: unclosed tags stay open, nested elements keep their structure") {
    auto doc = document("<div><span>hi</div>\n<ul><li>a<li>b</ul>\n<section><p>one<p>two</section>");
    CHECK(doc.find_first("div")->closing == HtmlClosing::end_tag);
    const HtmlElement* span = doc.find_first("span");
    CHECK(span->closing == HtmlClosing::left_open);
    CHECK(doc.at(*span->parent).tag == "div");
    auto items = doc.find_all("li");
    REQUIRE(items.size() == 2);
    CHECK_FALSE(items[0]->closed());
    CHECK(doc.at(*items[1]->parent).tag == "ul");  // the second <li> is not inside the first
    auto paragraphs = doc.find_all("p");
    REQUIRE(paragraphs.size() == 2);
    CHECK(doc.ancestor(*paragraphs[1], "section") != nullptr);
}

TEST_CASE("html_document: a block in a paragraph stays where the author put it") {
    // Browsers (and tree-sitter) end the <p> before the <div>; the </p> then closes nothing. The
    // model keeps the author's nesting instead: the </p> closes the <p>, which holds the <div>.
    auto doc = document("<body><p>text <div>block <span>x</span></div> more</p><p>next</p></body>");
    const HtmlElement* div = doc.find_first("div");
    REQUIRE(div->parent.has_value());
    CHECK(doc.at(*div->parent).tag == "p");
    CHECK(doc.find_first("p")->closing == HtmlClosing::end_tag);
    CHECK(doc.stray_end_tags().empty());
    CHECK(doc.find_all("p").size() == 2);
    CHECK(doc.at(*doc.find_all("p")[1]->parent).tag == "body");
    // Without a matching open sibling the end tag stays stray.
    auto stray = document("<div><p>closed</p></section></div>");
    REQUIRE(stray.stray_end_tags().size() == 1);
    CHECK(stray.stray_end_tags()[0].tag == "section");
}

TEST_CASE("html_document: stray end tags and a broken page are recovered, not a crash") {
    auto doc = document(
        "<!DOCTYPE html>\n<HTML><head><title>x</title></head>\n<body>\n<div class=a><span>hi</div></p>\n"
        "<img src=x alt><P>one<p>two\n<nav><a href=#a>a</a></nav>\n");
    // Everything is still found, and the stray </p> is reported with its line.
    for (const char* tag : {"html", "head", "title", "body", "div", "span", "img", "p", "nav", "a"})
        CHECK_MESSAGE(doc.find_first(tag) != nullptr, tag);
    REQUIRE(doc.stray_end_tags().size() == 1);
    CHECK(doc.stray_end_tags()[0].tag == "p");
    CHECK(doc.stray_end_tags()[0].line == 4);
    CHECK_FALSE(doc.find_first("html")->closed());
    CHECK_FALSE(doc.find_first("body")->closed());
    CHECK(doc.find_first("a")->closed());
    CHECK(doc.ancestor(*doc.find_first("a"), "nav") != nullptr);
}

TEST_CASE("html_document: hostile input (deep nesting, garbage) builds without recursion or crash") {
    std::string deep;
    for (int i = 0; i < 20000; ++i) deep += "<div>";
    auto doc = document(deep);
    CHECK(doc.elements().size() == 20000);
    CHECK(doc.descendants(doc.elements().front()).size() == 19999);
    CHECK(doc.ancestor(doc.elements().back(), "div") != nullptr);
    auto garbage = document("<<>></ <a <b c=\"d></e>>>\"</>< / ><!-- unterminated");
    for (const auto& element : garbage.elements()) CHECK_FALSE(element.tag.empty());
    CHECK(document("").elements().empty());
    CHECK_THROWS_AS(HtmlDocument::build(SyntaxTree::parse(Language::css, "a{}")), std::invalid_argument);
}
