// analysis/javascript_checks: code-only text, global variables, member uses, object arrays,
// string literals and framework detection on tree-sitter-javascript trees.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "analysis/javascript_checks.hpp"

using namespace autograder::analysis;

namespace {

SyntaxTree js(const std::string& source) {
    return SyntaxTree::parse(Language::javascript, source);
}

std::vector<uint32_t> occurrences(const std::string& source, std::string_view needle) {
    return find_in_code(javascript_code_text(js(source)), needle);
}

}  // namespace

TEST_CASE("javascript_checks: code text blanks comments, strings, templates and regexes but keeps lines") {
    std::string source =
        "let s = \"eval(x)\"; // alert(1)\n/* fetch() */ const r = /eval/g;\n"
        "const t = `alert ${alert(2)} done`;\n";
    std::string code = javascript_code_text(js(source));
    CHECK(code.size() == source.size());
    CHECK(code.find("eval") == std::string::npos);
    CHECK(code.find("fetch") == std::string::npos);
    CHECK(occurrences(source, "alert") == std::vector<uint32_t>{3});  // only the call inside ${...}
    CHECK(occurrences("alertBox(); window.alert(1);\nalert(2)", "alert") == std::vector<uint32_t>{1, 2});
    CHECK(occurrences("const f = (a) => a;\nx?.y;", "=>") == std::vector<uint32_t>{1});
    CHECK(occurrences("a?.b", "?.") == std::vector<uint32_t>{1});
    CHECK(occurrences("localStorage.setItem('k', 1)", "localStorage.setItem") == std::vector<uint32_t>{1});
    CHECK(occurrences("prefetch(); fetched = 1;", "fetch").empty());
    CHECK(occurrences("x", "").empty());
}

TEST_CASE("javascript_checks: global variables are top-level let/const and var outside functions") {
    auto globals = global_variables(
        js("var a = 1, b;\nlet {c, d: [e], ...f} = obj;\nfunction g() { var inner = 1; let x = 2; }\n"
           "if (ok) { var hoisted = 2; let local = 3; }\nfor (var i = 0; i < 2; i++) {}\nfor (let j of k) {}\n"
           "export const h = () => { const deep = 1; };\nclass K { m() { var n = 1; } }\n"));
    std::vector<std::string> names;
    for (const auto& g : globals) names.push_back(g.keyword + " " + g.name);
    CHECK(names ==
          std::vector<std::string>{"var a", "var b", "let c", "let e", "let f", "var hoisted", "var i", "const h"});
    CHECK(globals[0].line == 1);
    CHECK(globals.back().line == 7);
    CHECK(global_variables(js("// var commented = 1;\n'var inString = 2';\n")).empty());
}

TEST_CASE("javascript_checks: member uses, calls and the first array of objects") {
    auto uses = member_uses(js("const el = document.createElement('li');\nlist.appendChild(el);\n"
                               "el.innerHTML = 'x';\n// list.appendChild(other);\nel?.remove();\nappendChild(x);\n"),
                            {"createElement", "appendChild", "innerHTML", "remove"});
    std::vector<uint32_t> lines;
    for (const auto& use : uses) lines.push_back(use.line);
    CHECK(lines == std::vector<uint32_t>{1, 2, 3, 5, 6});

    auto array = first_object_array(js("const nums = [1, 2];\nconst data = [\n  {id: 1, name: 'a'},\n  {\"id\": 2},\n"
                                       "  {'id': 3},\n  {name: 'no id', child: {id: 9}},\n  {id},\n  [1]\n];\n"),
                                    "id");
    REQUIRE(array.has_value());
    CHECK(array->line == 2);
    CHECK(array->objects == 5);
    CHECK(array->objects_with_key == 4);
    CHECK_FALSE(first_object_array(js("const a = [1, 2, 3]; // [{id: 1}]\n"), "id").has_value());
    CHECK(first_object_array(js("const nested = [[{id: 1}]];"), "id")->objects_with_key == 1);
}

TEST_CASE("javascript_checks: string literals and frameworks") {
    auto texts = string_literal_texts(js("el.classList.add('card', \"active\"); // 'comment'\nq(`x ${y} .hidden`);\n"));
    CHECK(texts == std::vector<std::string>{"card", "active", "x   .hidden"});

    CHECK(find_javascript_frameworks(js("// import React from 'react';\nconst s = 'new Vue()';\n")).empty());
    auto react =
        find_javascript_frameworks(js("import React from 'react';\nconst root = ReactDOM.createRoot(el);\n"
                                      "root.render(<App />);\n"));
    REQUIRE(react.size() == 3);
    CHECK(react[0].framework == "React");
    CHECK(react[0].line == 1);
    CHECK(react[2].evidence == "JSX element");
    auto vue = find_javascript_frameworks(js("const Vue = require('vue');\nnew Vue({el: '#app'});\n"));
    REQUIRE(vue.size() == 2);
    CHECK(vue[1].evidence == "new Vue(...)");
    CHECK(find_javascript_frameworks(js("import {Component} from '@angular/core';"))[0].framework == "Angular");
    CHECK(framework_of_module("https://unpkg.com/react-dom@18/umd/react-dom.development.js") == "React");
    CHECK(framework_of_module("https://cdn.jsdelivr.net/npm/vue@3") == "Vue");
    CHECK(framework_of_module("js/angular.min.js") == "Angular");
    CHECK_FALSE(framework_of_module("js/preact.js").has_value());
    CHECK_FALSE(framework_of_module("reactive.js").has_value());
    CHECK_FALSE(framework_of_module("").has_value());
}
