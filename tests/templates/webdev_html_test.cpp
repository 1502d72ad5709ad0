// The webdev template's HTML test functions, run directly: passing, failing, partial credit and
// edge cases (comments, text, nesting, malformed pages, uppercase tags, valueless attributes).
#include <string>

#include <doctest/doctest.h>

#include "webdev_test_support.hpp"

using namespace webdev_test;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("webdev has_tag: ratio of elements, comments and text never count") {
    auto files = page(
        "<body><section>a</section>\n<!-- <section>old</section> -->\n<p>write <section> here</p>\n"
        "<SECTION>b</SECTION><div><section>nested</section></div></body>");
    // <section> in the paragraph text is an element to tree-sitter too (HTML has no escaping there),
    // so the page has 4; the commented one never counts.
    CHECK(score("has_tag", {{"tag", "section"}, {"required_count", 4}}, files) == 100);
    CHECK(score("has_tag", {{"tag", "<Section>"}, {"required_count", 5}}, files) == 80);
    CHECK(score("has_tag", {{"tag", "section"}, {"required_count", 3}}, files) == 100);  // min(100, ...)
    CHECK(score("has_tag", {{"tag", "nav"}, {"required_count", 2}}, page("<!-- <nav></nav> --><p>nav</p>")) == 0);
    CHECK(score("has_tag", {{"tag", "article"}, {"required_count", 3}}, page("<article></article>")) == 33);
    CHECK(score("has_tag", {{"tag", "article"}, {"required_count", 0}}, page("<p></p>")) == 100);
    CHECK(score("has_tag", {{"tag", "article"}, {"required_count", "2"}}, page("<article></article>")) == 50);
    auto outcome = run("has_tag", {{"tag", "section"}, {"required_count", 6}}, files);
    CHECK(contains(outcome.report, "Found 4 of the 6 required `<section>` elements in `index.html`"));
    CHECK(contains(outcome.report, "lines 1, 3, 4, 4"));
}

TEST_CASE("webdev has_tag: bad parameters are configuration errors, a missing page scores 0") {
    CHECK(contains(configuration_error("has_tag", {{"required_count", 1}}, page("<p>")), "missing parameter 'tag'"));
    CHECK(contains(configuration_error("has_tag", {{"tag", "p"}, {"required_count", "many"}}, page("<p>")),
                   "'required_count' must be a whole number"));
    CHECK(
        contains(configuration_error("has_tag", {{"tag", "p"}, {"required_count", 1.5}}, page("<p>")), "whole number"));
    CHECK(contains(configuration_error("has_tag", {{"tag", "p"}}, page("<p>")), "missing parameter 'required_count'"));
    CHECK(contains(configuration_error("has_tag", {{"tag", "p q"}, {"required_count", 1}}, page("<p>")), "tag name"));
    CHECK(contains(configuration_error("has_tag", {{"tag", 3}, {"required_count", 1}}, page("<p>")), "string"));
    auto none = run("has_tag", {{"tag", "p"}, {"required_count", 1}}, sheet("p {}"));
    CHECK(none.score == 0);
    CHECK(contains(none.report, "no HTML page"));
}

TEST_CASE("webdev: without file the first HTML page is read, with file the named one") {
    std::vector<SourceFile> files = {{"notes.txt", "<nav>"},
                                     {"style.css", "nav {}"},
                                     {"index.html", "<nav></nav>"},
                                     {"pages/about.html", "<nav></nav><nav></nav>"}};
    json test = {{"tag", "nav"}, {"required_count", 2}};
    CHECK(score("has_tag", test, files) == 50);  // index.html: the first HTML file, not notes.txt
    CHECK(score("has_tag", test, files, "about.html") == 100);
    CHECK(score("has_tag", test, files, "pages/about.html") == 100);
    CHECK_THROWS_WITH_AS(run("has_tag", test, files, "style.css"), doctest::Contains("is not html"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(run("has_tag", test, files, "missing.html"), doctest::Contains("no file 'missing.html'"),
                         std::invalid_argument);
}

TEST_CASE("webdev has_class: wildcards, class tokens counted once, partial credit") {
    auto files = page(
        "<div class=\"row\"><div class=\"col-6 col-md-4 card\"></div><div class='col-6'></div>"
        "<!-- <div class=col-12></div> --><p>col-3</p></div>");
    CHECK(score("has_class", {{"class_names", {"col-*"}}, {"required_count", 3}}, files) == 100);
    CHECK(score("has_class", {{"class_names", {"col-*", "col-6"}}, {"required_count", 3}}, files) == 100);
    CHECK(score("has_class", {{"class_names", {"card", "row"}}, {"required_count", 4}}, files) == 50);
    CHECK(score("has_class", {{"class_names", "missing"}, {"required_count", 1}}, files) == 0);
    CHECK(score("has_class", {{"class_names", {"col"}}, {"required_count", 1}}, files) == 0);  // whole tokens
    auto outcome = run("has_class", {{"class_names", {"col-*"}}, {"required_count", 4}}, files);
    CHECK(outcome.score == 75);
    CHECK(contains(outcome.report, "col-6, col-md-4"));
    CHECK(contains(configuration_error("has_class", {{"class_names", json::array()}, {"required_count", 1}}, files),
                   "empty list"));
    CHECK(contains(configuration_error("has_class", {{"class_names", {1}}, {"required_count", 1}}, files),
                   "list of non-empty strings"));
}

TEST_CASE("webdev has_attribute: elements carrying it, with or without a value") {
    auto files = page(
        "<img src=a.png alt=\"A\"><img src=b.png alt><input required><input>\n"
        "<!-- <img alt=x> --><p>alt=</p>");
    CHECK(score("has_attribute", {{"attribute", "alt"}, {"required_count", 2}}, files) == 100);
    CHECK(score("has_attribute", {{"attribute", "ALT"}, {"required_count", 4}}, files) == 50);
    CHECK(score("has_attribute", {{"attribute", "required"}, {"required_count", 3}}, files) == 33);
    CHECK(score("has_attribute", {{"attribute", "title"}, {"required_count", 1}}, files) == 0);
    CHECK(contains(configuration_error("has_attribute", {{"attribute", ""}, {"required_count", 1}}, files),
                   "must be a non-empty string"));
}

TEST_CASE("webdev check_attribute_and_value: some element with the exact value") {
    auto files = page(
        "<html lang=\"pt-BR\"><body><input type=\"text\"><a class=\"btn primary\">x</a>"
        "<!-- <input type=\"email\"> --></body></html>");
    CHECK(score("check_attribute_and_value", {{"tag", "html"}, {"attribute", "lang"}, {"value", "pt-BR"}}, files) ==
          100);
    CHECK(score("check_attribute_and_value", {{"tag", "input"}, {"attribute", "type"}, {"value", "email"}}, files) ==
          0);
    CHECK(score("check_attribute_and_value", {{"tag", "a"}, {"attribute", "class"}, {"value", "primary"}}, files) ==
          100);
    CHECK(score("check_attribute_and_value", {{"tag", "html"}, {"attribute", "lang"}, {"value", "pt"}}, files) == 0);
    auto miss = run("check_attribute_and_value", {{"tag", "input"}, {"attribute", "type"}, {"value", "email"}}, files);
    CHECK(contains(miss.report, "other values of `type`"));
    CHECK(contains(configuration_error("check_attribute_and_value", {{"tag", "input"}, {"attribute", "type"}}, files),
                   "missing parameter 'value'"));
}

TEST_CASE("webdev has_forbidden_tag and check_tag_not_inside") {
    auto files = page(
        "<body><marquee>old</marquee><p>text <div>block</div></p>\n"
        "<!-- <blink> --><section><p><span><div>deep</div></span></p></section></body>");
    CHECK(score("has_forbidden_tag", {{"tag", "marquee"}}, files) == 0);
    CHECK(score("has_forbidden_tag", {{"tag", "blink"}}, files) == 100);
    CHECK(score("has_forbidden_tag", {{"tag", "MARQUEE"}}, files) == 0);
    auto nested = run("check_tag_not_inside", {{"child_tag", "div"}, {"parent_tag", "p"}}, files);
    CHECK(nested.score == 0);
    CHECK(contains(nested.report, "has 2 (lines 1, 2)"));  // at any depth, not only in the first <p>
    CHECK(score("check_tag_not_inside", {{"child_tag", "div"}, {"parent_tag", "nav"}}, files) == 100);
    CHECK(score("check_tag_not_inside", {{"child_tag", "section"}, {"parent_tag", "p"}}, files) == 100);
    CHECK(contains(configuration_error("check_tag_not_inside", {{"child_tag", "div"}}, files), "parent_tag"));
}

TEST_CASE("webdev check_head_details: a tag inside <head>") {
    auto files = page("<html><head><meta charset=utf-8><title>T</title></head><body><link rel=x></body></html>");
    CHECK(score("check_head_details", {{"detail_tag", "title"}}, files) == 100);
    CHECK(score("check_head_details", {{"detail_tag", "meta"}}, files) == 100);
    CHECK(score("check_head_details", {{"detail_tag", "link"}}, files) == 0);  // in <body>, not <head>
    auto no_head = run("check_head_details", {{"detail_tag", "title"}}, page("<body><title>x</title></body>"));
    CHECK(no_head.score == 0);
    CHECK(contains(no_head.report, "no `<head>`"));
}

TEST_CASE("webdev check_no_inline_styles: style attributes, not <style> blocks or text") {
    CHECK(score("check_no_inline_styles", {},
                page("<style>p { color: red }</style><p>style=\"x\"</p>"
                     "<!-- <p style=\"color: red\"> -->")) == 100);
    auto found = run("check_no_inline_styles", {}, page("<p STYLE=\"color: red\">a</p>\n<div style>b</div>"));
    CHECK(found.score == 0);
    CHECK(contains(found.report, "2 inline style"));
    CHECK(contains(found.report, "lines 1, 2"));
}

TEST_CASE("webdev check_no_unclosed_tags: open non-void tags fail, void, self-closing and stray do not") {
    CHECK(score("check_no_unclosed_tags", {},
                page("<!DOCTYPE html><html><head><meta charset=utf-8><title>x</title></head>\n"
                     "<body><img src=a alt=b><br/><input><p>ok</p><!-- <div> --></body></html>")) == 100);
    auto open = run("check_no_unclosed_tags", {}, page("<body>\n<div><span>hi</div>\n<p>one\n</body>"));
    CHECK(open.score == 0);
    CHECK(contains(open.report, "`<span>` (line 2)"));
    CHECK(contains(open.report, "`<p>` (line 3)"));
    CHECK(score("check_no_unclosed_tags", {}, page("<ul><li>a<li>b</ul>")) == 0);
    CHECK(score("check_no_unclosed_tags", {}, page("<DIV>upper</div>")) == 100);
    // <html>, <head> and <body> are not checked; a stray end tag is listed but does not fail.
    auto stray = run("check_no_unclosed_tags", {}, page("<html><body><p>a</p></div>"));
    CHECK(stray.score == 100);
    CHECK(contains(stray.report, "`</div>`"));
    // A page tree-sitter cannot parse cleanly is still checked, and the report says so.
    auto broken = run("check_no_unclosed_tags", {}, page("<body>\n<div>\n<p>one<p>two</span>\n"));
    CHECK(broken.score == 0);
    CHECK(contains(broken.report, "`<div>` (line 2), `<p>` (line 3), `<p>` (line 3)"));
    CHECK(contains(broken.report, "is not well-formed HTML"));
}

TEST_CASE("webdev uses_semantic_tags: 100 with one of them, 40 without") {
    CHECK(score("uses_semantic_tags", {}, page("<body><figure><img alt=x></figure></body>")) == 100);
    CHECK(score("uses_semantic_tags", {}, page("<body><div>no</div><!-- <article> --><p>section</p></body>")) == 40);
}

TEST_CASE("webdev check_css_linked, check_bootstrap_linked, check_bootstrap_usage") {
    auto plain = page("<head><link rel=\"stylesheet\" href=\"style.css\"><!-- bootstrap.min.css --></head>");
    auto bootstrap = page(
        "<head><link rel=\"Stylesheet preload\" href=\"https://cdn.jsdelivr.net/npm/bootstrap@5/dist/css/"
        "bootstrap.min.css\"></head>");
    auto script_only = page("<script src=\"js/BOOTSTRAP.bundle.js\"></script>");
    CHECK(score("check_css_linked", {}, plain) == 100);
    CHECK(score("check_css_linked", {}, bootstrap) == 100);
    CHECK(score("check_css_linked", {}, page("<link rel=icon href=x.css><style>p{}</style>")) == 0);
    CHECK(score("check_bootstrap_linked", {}, plain) == 0);
    CHECK(score("check_bootstrap_linked", {}, bootstrap) == 100);
    CHECK(score("check_bootstrap_linked", {}, script_only) == 100);
    CHECK(score("check_bootstrap_usage", {}, plain) == 100);
    CHECK(score("check_bootstrap_usage", {}, bootstrap) == 0);
    CHECK(score("check_bootstrap_usage", {}, page("<p>I did not use bootstrap</p>")) == 100);
}

TEST_CASE("webdev check_internal_links and check_internal_links_to_article") {
    auto files = page(
        "<nav><a href=\"#intro\">i</a><a href=\"#news\">n</a><a href=\"#gone\">g</a><a href=\"#\">top</a>"
        "<a href=\"page.html#intro\">p</a></nav>\n<section id=\"intro\"></section>"
        "<article id=\"news\"></article><!-- <div id=\"gone\"> -->");
    CHECK(score("check_internal_links", {{"required_count", 2}}, files) == 100);
    CHECK(score("check_internal_links", {{"required_count", 3}}, files) == 66);
    CHECK(score("check_internal_links_to_article", {{"required_count", 2}}, files) == 50);
    CHECK(score("check_internal_links_to_article", {{"required_count", 1}}, files) == 100);
    auto report = run("check_internal_links_to_article", {{"required_count", 3}}, files).report;
    CHECK(contains(report, "`#intro` (line 1): points to a <section>"));
    CHECK(contains(report, "`#gone` (line 1): no element has this id"));
    CHECK(score("check_internal_links", {{"required_count", 0}}, page("<p>")) == 100);
    CHECK(contains(configuration_error("check_internal_links", {}, files), "required_count"));
}

TEST_CASE("webdev link_points_to_page_with_query_param: page and a value for the parameter") {
    auto files = page(
        "<a href=\"details.html?id=1\">1</a><a href=\"./details.html?lang=pt&amp;id=2#top\">2</a>"
        "<a href=\"details.html?id=\">empty</a><a href=\"details.html\">none</a>"
        "<a href=\"other.html?id=3\">other</a><!-- <a href=\"details.html?id=4\"> -->");
    json test = {{"target_page", "details.html"}, {"query_param", "id"}, {"required_count", 2}};
    CHECK(score("link_points_to_page_with_query_param", test, files) == 100);
    test["required_count"] = 3;
    auto outcome = run("link_points_to_page_with_query_param", test, files);
    CHECK(outcome.score == 66);
    CHECK(contains(outcome.report, "2 link(s) to `details.html` without a value for `id`"));
    test["query_param"] = "page";
    CHECK(score("link_points_to_page_with_query_param", test, files) == 0);
    CHECK(contains(configuration_error("link_points_to_page_with_query_param",
                                       {{"target_page", "details.html"}, {"required_count", 1}}, files),
                   "query_param"));
}

TEST_CASE("webdev check_headings_sequential: a level may not be skipped going down") {
    CHECK(score("check_headings_sequential", {}, page("<h1>a</h1><h2>b</h2><h3>c</h3><h2>d</h2><h1>e</h1>")) == 100);
    auto skip = run("check_headings_sequential", {}, page("<h1>a</h1>\n<!-- <h2>x</h2> -->\n<h3>c</h3>"));
    CHECK(skip.score == 0);
    CHECK(contains(skip.report, "`<h3>` (line 3) follows `<h1>` (line 1)"));
    CHECK(score("check_headings_sequential", {}, page("<H2>only</H2>")) == 100);
    CHECK(score("check_headings_sequential", {}, page("<p>none</p><header>not a heading</header>")) == 100);
}

TEST_CASE("webdev check_all_images_have_alt: floor of the share with a non-empty alt") {
    CHECK(score("check_all_images_have_alt", {}, page("<p>no images</p>")) == 100);
    CHECK(score("check_all_images_have_alt", {}, page("<img src=a alt=\"A\"><IMG SRC=b ALT=B>")) == 100);
    auto partial = run("check_all_images_have_alt", {},
                       page("<img src=a alt=\"A\">\n<img src=b alt>\n<img src=c alt=\"  \">\n<!-- <img src=d> -->"));
    CHECK(partial.score == 33);
    CHECK(contains(partial.report, "1 of the 3 images"));
    CHECK(contains(partial.report, "lines 2, 3"));
    CHECK(score("check_all_images_have_alt", {}, page("<img src=a>")) == 0);
}

TEST_CASE("webdev check_html_direct_children: exactly head then body") {
    CHECK(score("check_html_direct_children", {},
                page("<!DOCTYPE html>\n<html>\n<!-- c --><head></head>\n<body><div></div></body>\n</html>")) == 100);
    CHECK(score("check_html_direct_children", {}, page("<html><head></head><div></div><body></body></html>")) == 0);
    CHECK(score("check_html_direct_children", {}, page("<html><body></body></html>")) == 0);
    CHECK(score("check_html_direct_children", {}, page("<html><body></body><head></head></html>")) == 0);
    auto none = run("check_html_direct_children", {}, page("<body></body>"));
    CHECK(none.score == 0);
    CHECK(contains(none.report, "no `<html>`"));
}
