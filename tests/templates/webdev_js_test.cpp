// The webdev template's JavaScript test functions, run directly: passing, failing, partial credit;
// comments and strings never count; inline <script> blocks when there is no .js file.
#include <string>

#include <doctest/doctest.h>

#include "webdev_test_support.hpp"

using namespace webdev_test;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("webdev js_uses_feature and uses_forbidden_method: code only, whole names") {
    auto files = script(
        "// document.write('x'); eval('1');\nconst msg = \"alert is not used\";\n"
        "button.addEventListener('click', () => show(msg));\nconst safe = data?.items ?? [];\n");
    CHECK(score("js_uses_feature", {{"feature", "addEventListener"}}, files) == 100);
    CHECK(score("js_uses_feature", {{"feature", "=>"}}, files) == 100);
    CHECK(score("js_uses_feature", {{"feature", "?."}}, files) == 100);
    CHECK(score("js_uses_feature", {{"feature", "fetch"}}, files) == 0);
    CHECK(score("js_uses_feature", {{"feature", "Event"}}, files) == 0);         // not inside addEventListener
    CHECK(score("uses_forbidden_method", {{"method", "eval"}}, files) == 100);   // only in a comment
    CHECK(score("uses_forbidden_method", {{"method", "alert"}}, files) == 100);  // only in a string
    CHECK(score("uses_forbidden_method", {{"method", "document.write()"}}, files) == 100);
    auto used = run("uses_forbidden_method", {{"method", "eval()"}}, script("let x = 1;\nx = eval('2');\n"));
    CHECK(used.score == 0);
    CHECK(contains(used.report, "line 2"));
    CHECK(score("uses_forbidden_method", {{"method", "innerHTML"}}, script("el.innerHTML = '<b>x</b>';")) == 0);
    CHECK(contains(configuration_error("js_uses_feature", {}, files), "missing parameter 'feature'"));
    auto none = run("js_uses_feature", {{"feature", "x"}}, sheet("a {}"));
    CHECK(none.score == 0);
    CHECK(contains(none.report, "no script"));
}

TEST_CASE("webdev count_global_vars: declared names of the global scope against the maximum") {
    auto files = script(
        "const API = '/api';\nlet count = 0, total = 0;\n// var old = 1;\n"
        "function add() { let local = 1; var alsoLocal = 2; return local + alsoLocal; }\n");
    CHECK(score("count_global_vars", {{"max_allowed", 3}}, files) == 100);
    auto over = run("count_global_vars", {{"max_allowed", 2}}, files);
    CHECK(over.score == 0);
    CHECK(contains(over.report, "3 global variable(s)"));
    CHECK(contains(over.report, "`let total` (line 2)"));
    CHECK(score("count_global_vars", {{"max_allowed", 0}}, script("(() => { const inside = 1; })();")) == 100);
    CHECK(contains(configuration_error("count_global_vars", {{"max_allowed", "x"}}, files), "whole number"));
}

TEST_CASE("webdev js_uses_query_string_parsing: URLSearchParams or location.search in code") {
    CHECK(score("js_uses_query_string_parsing", {}, script("const p = new URLSearchParams(location.search);")) == 100);
    CHECK(score("js_uses_query_string_parsing", {}, script("const q = window.location.search.slice(1);")) == 100);
    CHECK(score("js_uses_query_string_parsing", {},
                script("// new URLSearchParams(location.search)\nconst s = 'location.search';")) == 0);
}

TEST_CASE("webdev js_uses_dom_manipulation: ratio of uses of the listed methods") {
    auto files = script(
        "const li = document.createElement('li');\nlist.appendChild(li);\nli.textContent = 'x';\n"
        "// list.appendChild(other);\nconst s = 'appendChild';\n");
    json test = {{"methods", {"createElement", "appendChild", "textContent"}}, {"required_count", 3}};
    CHECK(score("js_uses_dom_manipulation", test, files) == 100);
    test["required_count"] = 4;
    auto partial = run("js_uses_dom_manipulation", test, files);
    CHECK(partial.score == 75);
    CHECK(contains(partial.report, "Found 3 of the 4"));
    CHECK(score("js_uses_dom_manipulation", {{"methods", "querySelector"}, {"required_count", 2}}, files) == 0);
    CHECK(contains(configuration_error("js_uses_dom_manipulation", {{"methods", 3}, {"required_count", 1}}, files),
                   "'methods' must be a list, not a number"));
    CHECK(contains(configuration_error("js_uses_dom_manipulation", {{"methods", {""}}, {"required_count", 1}}, files),
                   "'methods' must be a list of non-empty strings"));
}

TEST_CASE("webdev js_has_json_array_with_id: objects with the key in the first array of objects") {
    auto files = script(
        "const sizes = [1, 2];\nconst products = [\n  {\"id\": 1, \"name\": \"a\"},\n  {id: 2},\n"
        "  {name: 'no id'}\n];\n");
    CHECK(score("js_has_json_array_with_id", {{"required_key", "id"}, {"min_items", 2}}, files) == 100);
    auto partial = run("js_has_json_array_with_id", {{"required_key", "id"}, {"min_items", 3}}, files);
    CHECK(partial.score == 66);
    CHECK(contains(partial.report, "(line 2) has 3 object(s), 2 with the key `id`"));
    CHECK(score("js_has_json_array_with_id", {{"required_key", "sku"}, {"min_items", 1}}, files) == 0);
    auto none = run("js_has_json_array_with_id", {{"required_key", "id"}, {"min_items", 1}},
                    script("// const data = [{id: 1}];\nconst t = '[{\"id\": 1}]';"));
    CHECK(none.score == 0);
    CHECK(contains(none.report, "No array of objects"));
}

TEST_CASE("webdev JavaScript tests: inline <script> blocks stand in for a missing .js file") {
    std::vector<SourceFile> files = {
        {"index.html",
         "<html><body>\n<script src=\"lib.js\"></script>\n<script type=\"application/json\">{\"eval\": 1}"
         "</script>\n<script>\nconst p = new URLSearchParams(location.search);\n</script></body></html>"}};
    auto outcome = run("js_uses_query_string_parsing", {}, files);
    CHECK(outcome.score == 100);
    CHECK(contains(outcome.report, "index.html (<script> at line 4)"));
    CHECK(contains(outcome.report, "reads the query string (line 5)"));
    CHECK(score("uses_forbidden_method", {{"method", "eval"}}, files) == 100);  // JSON data is not code
    files.push_back({"app.js", "console.log(1);"});
    CHECK(score("js_uses_query_string_parsing", {}, files) == 0);  // the .js file is read first
    CHECK(score("js_uses_query_string_parsing", {}, files, "index.html") == 100);
}
