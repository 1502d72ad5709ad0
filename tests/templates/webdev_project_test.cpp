// The webdev template's checks across files, run directly: unused CSS classes, JavaScript
// frameworks, and the project's layout (with validated paths).
#include <string>

#include <doctest/doctest.h>

#include "webdev_test_support.hpp"

using namespace webdev_test;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("webdev count_unused_css_classes: every defined class used in the pages or the scripts") {
    std::vector<SourceFile> files = {
        {"index.html", "<div class=\"card highlight\"><!-- <p class=\"ghost\"> --><p>hidden</p></div>"},
        {"style.css",
         ".card { top: 0 }\n.highlight:hover { color: red }\n.hidden { display: none }\n"
         "/* .commented {} */\n#id, p { margin: 0 }\n"},
        {"app.js", "el.classList.toggle('hidden');"}};
    CHECK(score("count_unused_css_classes", {}, files) == 100);  // hidden is used from the script
    files[2].content = "el.classList.toggle('shown'); // 'hidden'";
    auto unused = run("count_unused_css_classes", {}, files);
    CHECK(unused.score == 0);
    CHECK(contains(unused.report, "1 of the 3 class(es)"));
    CHECK(contains(unused.report, "`.hidden` (style.css line 3)"));
    CHECK_FALSE(contains(unused.report, "commented"));
    CHECK(score("count_unused_css_classes", {{"html_file", "index.html"}, {"css_file", "style.css"}}, files) == 0);
    // <style> blocks count as stylesheets when no css_file is named.
    std::vector<SourceFile> inline_style = {{"index.html", "<style>.used {} .spare {}</style><p class=used>x</p>"}};
    auto spare = run("count_unused_css_classes", {}, inline_style);
    CHECK(spare.score == 0);
    CHECK(contains(spare.report, "`.spare`"));
    CHECK_THROWS_WITH_AS(run("count_unused_css_classes", {{"css_file", "missing.css"}}, files),
                         doctest::Contains("no file 'missing.css'"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(run("count_unused_css_classes", {{"html_file", "style.css"}}, files),
                         doctest::Contains("is not an HTML page"), std::invalid_argument);
    CHECK(score("count_unused_css_classes", {}, sheet(".a {}")) == 0);  // no page to compare with
}

TEST_CASE("webdev has_no_js_framework: script tags, imports, JSX and framework calls") {
    std::vector<SourceFile> clean = {
        {"index.html", "<!-- <script src=\"react.js\"></script> --><script src=\"app.js\"></script>"},
        {"app.js", "// import React from 'react';\nconst name = 'Vue and React are not used';\n"}};
    CHECK(score("has_no_js_framework", {}, clean) == 100);
    CHECK(score("has_no_js_framework", {{"html_file", "index.html"}, {"js_file", "app.js"}}, clean) == 100);
    std::vector<SourceFile> cdn = {
        {"index.html", "<script src=\"https://unpkg.com/vue@3/dist/vue.global.js\"></script>\n<div ng-app></div>"}};
    auto found = run("has_no_js_framework", {}, cdn);
    CHECK(found.score == 0);
    CHECK(contains(found.report,
                   "Vue: `<script src=\"https://unpkg.com/vue@3/dist/vue.global.js\">` in `index.html` "
                   "(line 1)"));
    CHECK(contains(found.report, "Angular: `ng-app`"));
    CHECK(score("has_no_js_framework", {}, script("import { createRoot } from 'react-dom/client';")) == 0);
    CHECK(score("has_no_js_framework", {}, script("const App = () => <main>hi</main>;")) == 0);
    CHECK(score("has_no_js_framework", {}, page("<script>new Vue({el: '#app'});</script>")) == 0);
    CHECK(score("has_no_js_framework", {{"js_file", "app.js"}},
                {{"app.js", "x()"}, {"other.js", "angular.module('a')"}}) == 100);
    CHECK_THROWS_WITH_AS(run("has_no_js_framework", {{"js_file", "none.js"}}, clean),
                         doctest::Contains("no file 'none.js'"), std::invalid_argument);
}

TEST_CASE("webdev check_project_structure and check_dir_exists on the submission's paths") {
    std::vector<SourceFile> files = {{"index.html", "<p>"}, {"css/style.css", ""}, {"images/logo.svg", "<svg/>"}};
    CHECK(score("check_project_structure", {{"expected_structure", "css/style.css"}}, files) == 100);
    CHECK(score("check_project_structure", {{"expected_structure", "./css/style.css"}}, files) == 100);
    auto wrong = run("check_project_structure", {{"expected_structure", "style.css"}}, files);
    CHECK(wrong.score == 0);
    CHECK(contains(wrong.report, "There is a `css/style.css`"));
    CHECK(score("check_dir_exists", {{"dir_path", "images"}}, files) == 100);
    CHECK(score("check_dir_exists", {{"dir_path", "images/"}}, files) == 100);
    CHECK(score("check_dir_exists", {{"dir_path", "css"}}, files) == 100);
    CHECK(score("check_dir_exists", {{"dir_path", "js"}}, files) == 0);
    CHECK(score("check_dir_exists", {{"dir_path", "imag"}}, files) == 0);  // a prefix is not a folder
    for (const char* bad : {"../secret", "/etc/passwd", "css/../../x", ".", "./"}) {
        CHECK_MESSAGE(!configuration_error("check_project_structure", {{"expected_structure", bad}}, files).empty(),
                      bad);
        CHECK_MESSAGE(!configuration_error("check_dir_exists", {{"dir_path", bad}}, files).empty(), bad);
    }
    CHECK(contains(configuration_error("check_dir_exists", {}, files), "missing parameter 'dir_path'"));
}
