// The static_analysis template's structural checks through the real pipeline (no sandbox):
// has_function, has_class, uses_construct, max_nesting_depth, count_query, and forbidden_keyword's
// custom rules.
#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"

using namespace autograder;
using nlohmann::json;

namespace {

// Grades `files` with one test of type `type` and the parameters of `test`; `report` is the test's.
struct Graded {
    double score = -1;
    std::string report;  // the test's report, or every problem when the configuration was refused
    GradingResult result;
    bool refused = false;  // Pipeline::create refused the test's parameters (score 0)
};

Graded grade(const std::string& type, json test, std::vector<SourceFile> files, std::string language = "python") {
    test["name"] = "check";
    test["type"] = type;
    json config = {{"template_name", "static_analysis"},
                   {"include_feedback", false},
                   {"criteria_config", {{"base", {{"tests", json::array({test})}}}}}};
    Graded graded;
    std::shared_ptr<const Pipeline> pipeline;
    try {
        pipeline = Pipeline::create(config);
    } catch (const ConfigError& e) {
        graded.refused = true;
        graded.score = 0;
        for (const auto& issue : e.issues()) graded.report += issue.path + ": " + issue.message + "\n";
        return graded;
    }
    Submission submission;
    submission.files = std::move(files);
    submission.language = std::move(language);
    graded.result = pipeline->grade(submission);
    REQUIRE(graded.result.status == PipelineStatus::success);
    REQUIRE(graded.result.result_tree.has_value());
    REQUIRE(graded.result.result_tree->base.tests.size() == 1);
    graded.score = graded.result.result_tree->base.tests[0].score;
    graded.report = graded.result.result_tree->base.tests[0].report;
    return graded;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("structural checks: registered in static_analysis with documented parameters, no sandbox") {
    auto registry = TemplateRegistry::with_defaults();
    for (const char* key : {"has_function", "has_class", "uses_construct", "max_nesting_depth", "count_query"}) {
        CAPTURE(key);
        const TestFunction* f = registry.find({"static_analysis"}, key);
        REQUIRE(f != nullptr);
        CHECK_FALSE(f->needs_sandbox());
        CHECK(f->needs_syntax_trees());
        CHECK_FALSE(f->description().empty());
        REQUIRE_FALSE(f->parameters().empty());
        for (const auto& p : f->parameters()) CHECK_FALSE(p.description.empty());
    }
    auto pipeline = Pipeline::create(
        json{{"template_name", "static_analysis"},
             {"criteria_config",
              {{"base", {{"tests", {{{"name", "f"}, {"type", "has_function"}, {"function_name", "x"}}}}}}}}});
    auto steps = pipeline->step_names();
    CHECK(std::find(steps.begin(), steps.end(), "STRUCTURAL_ANALYSIS") != steps.end());
    CHECK(std::find(steps.begin(), steps.end(), "SANDBOX") == steps.end());
}

TEST_CASE("has_function: found, wrong parameter count, missing (with what was found instead)") {
    std::vector<SourceFile> files = {{"main.py", "def solve(a, b):\n    return a + b\n"},
                                     {"lib/helpers.py", "def parse(line):\n    return line.split()\n"}};
    auto found = grade("has_function", {{"function_name", "solve"}, {"parameter_count", 2}}, files);
    CHECK(found.score == 100);
    CHECK(contains(found.report, "`solve` is defined with 2 parameters (`main.py` line 1)"));
    CHECK(grade("has_function", {{"function_name", "solve"}}, files).score == 100);
    auto wrong = grade("has_function", {{"function_name", "solve"}, {"parameter_count", 1}}, files);
    CHECK(wrong.score == 0);
    CHECK(contains(wrong.report, "`solve` takes 2 parameters, expected 1"));
    auto one = grade("has_function", {{"function_name", "parse"}, {"parameter_count", 2}}, files);
    CHECK(contains(one.report, "`parse` takes 1 parameter, expected 2"));
    auto missing = grade("has_function", {{"function_name", "Solve"}}, files);
    CHECK(missing.score == 0);
    CHECK(contains(missing.report, "No function named `Solve`"));
    CHECK(contains(missing.report, "`solve`: 2 parameters, `main.py` line 1"));
    CHECK(contains(missing.report, "`parse`"));
    // `name` works in the parameters list form (a flat `name` is the test's display name).
    json listed = {
        {"parameters", {{{"name", "name"}, {"value", "solve"}}, {{"name", "parameter_count"}, {"value", 2}}}}};
    CHECK(grade("has_function", listed, files).score == 100);
    // `file` restricts the search.
    CHECK(grade("has_function", {{"function_name", "parse"}, {"file", "main.py"}}, files).score == 0);
    CHECK(grade("has_function", {{"function_name", "parse"}, {"file", "helpers.py"}}, files).score == 100);
}

TEST_CASE("has_function: comments and strings do not define functions, nested functions and methods do") {
    auto commented = grade("has_function", {{"function_name", "solve"}},
                           {{"main.py", "# def solve(a, b):\ntext = 'def solve(a, b): pass'\n"}});
    CHECK(commented.score == 0);
    CHECK(contains(commented.report, "No functions are defined"));
    std::string nested =
        "def outer():\n    def solve(x):\n        return x\n    return solve\n"
        "class Solver:\n    def run(self, a, b):\n        pass\n";
    CHECK(grade("has_function", {{"function_name", "solve"}, {"parameter_count", 1}}, {{"main.py", nested}}).score ==
          100);
    auto method = grade("has_function", {{"function_name", "run"}, {"parameter_count", 2}}, {{"main.py", nested}});
    CHECK(method.score == 100);
    CHECK(contains(method.report, "(in `Solver`)"));
}

TEST_CASE("has_function: java, javascript, c and c++") {
    std::string java = "public class Main {\n    static int solve(int a, int b) { return a + b; }\n}\n";
    CHECK(grade("has_function", {{"function_name", "solve"}, {"parameter_count", 2}}, {{"Main.java", java}}, "java")
              .score == 100);
    CHECK(grade("has_function", {{"function_name", "solve"}, {"parameter_count", 3}}, {{"Main.java", java}}, "java")
              .score == 0);
    std::string js = "const solve = (a, b) => a + b;\nfunction main() { console.log(solve(1, 2)); }\n";
    CHECK(
        grade("has_function", {{"function_name", "solve"}, {"parameter_count", 2}}, {{"index.js", js}}, "node").score ==
        100);
    CHECK(
        grade("has_function", {{"function_name", "main"}, {"parameter_count", 0}}, {{"index.js", js}}, "node").score ==
        100);
    std::string c = "int solve(int a, int b);\nint main(void) { return solve(1, 2); }\n";
    auto prototype = grade("has_function", {{"function_name", "solve"}}, {{"main.c", c}}, "c");
    CHECK(prototype.score == 0);  // declared, never defined
    CHECK(contains(prototype.report, "`main`: 0 parameters"));
    std::string cpp = "struct Calc { int solve(int a, int b) const { return a + b; } };\n";
    CHECK(
        grade("has_function", {{"function_name", "solve"}, {"parameter_count", 2}}, {{"calc.cpp", cpp}}, "cpp").score ==
        100);
}

TEST_CASE("has_function: syntax errors noted, a missing file scores 0 with the reason, bad parameters are refused") {
    auto broken =
        grade("has_function", {{"function_name", "solve"}}, {{"main.py", "def solve(a):\n    return a\nif x\n"}});
    CHECK(broken.score == 100);
    CHECK(contains(broken.report, "Syntax errors in `main.py` (line 3)"));
    auto missing_file =
        grade("has_function", {{"function_name", "solve"}, {"file", "solver.py"}}, {{"main.py", "x = 1\n"}});
    CHECK(missing_file.score == 0);
    CHECK(contains(missing_file.report, "no file 'solver.py'"));
    // Bad parameters are refused when the pipeline is made, with the reason.
    auto no_name = grade("has_function", json::object(), {{"main.py", "def f(): pass\n"}});
    CHECK(no_name.refused);
    CHECK(contains(no_name.report, "missing required parameter 'function_name'"));
    auto bad_count =
        grade("has_function", {{"function_name", "f"}, {"parameter_count", -1}}, {{"main.py", "def f(): pass\n"}});
    CHECK(bad_count.refused);
    CHECK(contains(bad_count.report, "'parameter_count' must be at least 0"));
    auto fraction =
        grade("has_function", {{"function_name", "f"}, {"parameter_count", 1.5}}, {{"main.py", "def f(a): pass\n"}});
    CHECK(fraction.refused);
    CHECK(contains(fraction.report, "'parameter_count' must be a whole number"));
    auto html = grade("has_function", {{"function_name", "f"}, {"file", "index.html"}},
                      {{"index.html", "<script>function f() {}</script>"}});
    CHECK(html.score == 0);
    CHECK(contains(html.report, "is not python or java or javascript or c or cpp"));
}

TEST_CASE("has_class: per language, missing lists the classes found") {
    CHECK(grade("has_class", {{"class_name", "Stack"}}, {{"main.py", "class Stack:\n    pass\n"}}).score == 100);
    auto missing =
        grade("has_class", {{"class_name", "Stack"}}, {{"main.py", "class Queue:\n    pass\n# class Stack:\n"}});
    CHECK(missing.score == 0);
    CHECK(contains(missing.report, "No class named `Stack`"));
    CHECK(contains(missing.report, "`Queue` (class in `main.py` line 1)"));
    CHECK(contains(grade("has_class", {{"class_name", "Stack"}}, {{"main.py", "x = 1\n"}}).report,
                   "No classes are defined"));
    CHECK(
        grade("has_class", {{"class_name", "Shape"}}, {{"Shape.java", "interface Shape { double area(); }\n"}}, "java")
            .score == 100);
    CHECK(grade("has_class", {{"class_name", "Color"}}, {{"Main.java", "enum Color { RED }\n"}}, "java").score == 100);
    CHECK(
        grade("has_class", {{"class_name", "Stack"}}, {{"index.js", "const s = 'class Stack {}';\n"}}, "node").score ==
        0);
    CHECK(grade("has_class", {{"class_name", "Stack"}}, {{"index.js", "class Stack { push(x) {} }\n"}}, "node").score ==
          100);
    CHECK(grade("has_class", {{"class_name", "Point"}}, {{"main.cpp", "struct Point { int x, y; };\n"}}, "cpp").score ==
          100);
    CHECK(grade("has_class", {{"class_name", "Point"}}, {{"main.cpp", "struct Point;\n"}}, "cpp").score == 0);
    CHECK(grade("has_class", {{"class_name", 3}}, {{"main.py", "class A: pass\n"}}).score == 0);
}

TEST_CASE("uses_construct: one construct is 100 or 0, a list gives the share used") {
    std::string recursive = "def fact(n):\n    # fact(n) in a comment\n    return 1 if n == 0 else n * fact(n - 1)\n";
    auto used = grade("uses_construct", {{"construct", "recursion"}}, {{"main.py", recursive}});
    CHECK(used.score == 100);
    CHECK(contains(used.report, "recursion: used (`main.py` line 3)"));
    auto loop =
        grade("uses_construct", {{"construct", "recursion"}},
              {{"main.py", "def fact(n):\n    r = 1\n    for i in range(n):\n        r *= i + 1\n    return r\n"}});
    CHECK(loop.score == 0);
    CHECK(contains(loop.report, "recursion: not used"));
    auto list = grade("uses_construct", {{"constructs", {"recursion", "comprehension", "try_except"}}},
                      {{"main.py", recursive + "squares = [x * x for x in range(3)]\n"}});
    CHECK(list.score == doctest::Approx(200.0 / 3));
    CHECK(contains(list.report, "2 of 3 constructs used"));
    CHECK(contains(list.report, "try_except: not used"));
    auto python_do = grade("uses_construct", {{"construct", "do_while_loop"}}, {{"main.py", "x = 1\n"}});
    CHECK(python_do.score == 0);
    CHECK(contains(python_do.report, "the submission's language has no do_while_loop"));
}

TEST_CASE("uses_construct: java, javascript, c, c++, bad parameters") {
    CHECK(grade("uses_construct", {{"construct", "lambda"}}, {{"Main.java", "class Main { Runnable r = () -> {}; }\n"}},
                "java")
              .score == 100);
    CHECK(grade("uses_construct", {{"construct", "recursion"}},
                {{"index.js", "function sum(xs) { return xs.length ? xs[0] + sum(xs.slice(1)) : 0; }\n"}}, "node")
              .score == 100);
    CHECK(grade("uses_construct", {{"construct", "switch"}}, {{"main.c", "int main(void) { /* switch (1) {} */ }\n"}},
                "c")
              .score == 0);
    CHECK(grade("uses_construct", {{"constructs", {"try_except", "lambda"}}},
                {{"main.cpp", "int main() { try { auto f = [] {}; } catch (...) {} }\n"}}, "cpp")
              .score == 100);
    auto unknown = grade("uses_construct", {{"construct", "goto"}}, {{"main.py", "x = 1\n"}});
    CHECK(unknown.refused);
    CHECK(contains(unknown.report, "\"goto\" is not one of: for_loop"));
    auto both =
        grade("uses_construct", {{"construct", "lambda"}, {"constructs", {"lambda"}}}, {{"main.py", "x = 1\n"}});
    CHECK(contains(both.report, "exactly one of"));
    CHECK(contains(grade("uses_construct", {{"constructs", json::array()}}, {{"main.py", "x = 1\n"}}).report,
                   "empty list"));
}

TEST_CASE("max_nesting_depth: within, beyond, per function, and where the deepest block is") {
    std::string source =
        "def flat(xs):\n    return [x for x in xs]\n"
        "def deep(grid):\n    for row in grid:\n        for cell in row:\n            if cell:\n"
        "                print(cell)\n";
    auto beyond = grade("max_nesting_depth", {{"max_depth", 2}}, {{"main.py", source}});
    CHECK(beyond.score == 0);
    CHECK(contains(beyond.report, "Deepest nesting: depth 3 at `main.py`:6; at most 2 allowed"));
    CHECK(grade("max_nesting_depth", {{"max_depth", 3}}, {{"main.py", source}}).score == 100);
    auto flat = grade("max_nesting_depth", {{"max_depth", 0}, {"function", "flat"}}, {{"main.py", source}});
    CHECK(flat.score == 100);
    CHECK(contains(flat.report, "No control blocks in `flat`"));
    auto absent = grade("max_nesting_depth", {{"max_depth", 1}, {"function", "solve"}}, {{"main.py", source}});
    CHECK(absent.score == 0);
    CHECK(contains(absent.report, "No function named `solve`"));
    // Commented-out nesting does not count; else-if chains stay at one level.
    CHECK(grade("max_nesting_depth", {{"max_depth", 1}},
                {{"main.c",
                  "int f(int a) {\n if (a) {} else if (a > 1) {} else if (a > 2) {}\n"
                  " /* for (;;) { for (;;) {} } */\n return 0;\n}\n"}},
                "c")
              .score == 100);
    CHECK(grade("max_nesting_depth", {{"max_depth", 1}},
                {{"Main.java", "class M { void f() { while (true) { do {} while (false); } } }\n"}}, "java")
              .score == 0);
    CHECK(grade("max_nesting_depth", {{"max_depth", 2}},
                {{"index.js", "for (const a of b) {\n  try {\n    if (a) {}\n  } catch (e) {}\n}\n"}}, "node")
              .score == 0);
    CHECK(grade("max_nesting_depth", {{"max_depth", 2}},
                {{"main.cpp", "int main() { for (int i = 0; i < 2; ++i) { switch (i) { default: break; } } }\n"}},
                "cpp")
              .score == 100);
    auto missing = grade("max_nesting_depth", json::object(), {{"main.py", "x = 1\n"}});
    CHECK(missing.refused);
    CHECK(contains(missing.report, "missing required parameter 'max_depth'"));
    // "2" is a count, as in every template (and the reference engine).
    CHECK(grade("max_nesting_depth", {{"max_depth", "2"}}, {{"main.py", "x = 1\n"}}).score == 100);
    CHECK(grade("max_nesting_depth", {{"max_depth", "two"}}, {{"main.py", "x = 1\n"}}).refused);
}

TEST_CASE("count_query: matches and captures counted against min/max, the report gives the count") {
    std::string source = "print('a')\nprint('b')\n# print('c')\nx = 'print(1)'\nlen(x)\n";
    json prints = {{"query", R"(((call function: (identifier) @f) @call (#eq? @f "print")))"}};
    json at_most_one = prints;
    at_most_one["max"] = 1;
    auto over = grade("count_query", at_most_one, {{"main.py", source}});
    CHECK(over.score == 0);
    CHECK(contains(over.report, "The query matched 2 times (`main.py` lines 1, 2); expected at most 1"));
    json between = prints;
    between["min"] = 1;
    between["max"] = 2;
    CHECK(grade("count_query", between, {{"main.py", source}}).score == 100);
    json calls = {{"query", "(call function: (identifier) @name)"}, {"capture", "name"}, {"min", 3}};
    auto captured = grade("count_query", calls, {{"main.py", source}});
    CHECK(captured.score == 100);
    CHECK(contains(captured.report, "@name was captured 3 times"));
    json none = {{"query", "(while_statement) @w"}, {"max", 0}};
    auto zero = grade("count_query", none, {{"main.py", source}});
    CHECK(zero.score == 100);
    CHECK(contains(zero.report, "matched 0 times; expected at most 0"));
}

TEST_CASE("count_query: language defaults to the submission's, `language` and `file` pick files") {
    std::vector<SourceFile> files = {{"index.js", "console.log(1);\nconsole.log(2);\n"}, {"helper.py", "print(1)\n"}};
    json js = {{"query", "(call_expression) @c"}, {"min", 2}, {"max", 2}};
    CHECK(grade("count_query", js, files, "node").score == 100);  // helper.py is not javascript: not counted
    json py = {{"query", "(call) @c"}, {"language", "python"}, {"min", 1}, {"max", 1}};
    CHECK(grade("count_query", py, files, "node").score == 100);
    json by_file = {{"query", "(call) @c"}, {"file", "helper.py"}, {"min", 1}};
    CHECK(grade("count_query", by_file, files, "node").score == 100);
    CHECK(grade("count_query", {{"query", "(for_statement) @f"}, {"max", 0}},
                {{"main.c", "int main(void) { for (;;) {} }\n"}}, "c")
              .score == 0);
    CHECK(grade("count_query", {{"query", "(method_declaration) @m"}, {"min", 1}},
                {{"Main.java", "class Main { void f() {} }\n"}}, "java")
              .score == 100);
    CHECK(grade("count_query", {{"query", "(lambda_expression) @l"}, {"min", 1}},
                {{"main.cpp", "int main() { auto f = [] {}; }\n"}}, "cpp")
              .score == 100);
}

TEST_CASE("count_query: a bad query or bad bounds is a configuration error with the reason") {
    auto syntax =
        grade("count_query", {{"query", "(call function: (identifier) @f"}, {"min", 1}}, {{"main.py", "f()\n"}});
    CHECK(syntax.score == 0);
    CHECK(contains(syntax.report, "bad query"));
    CHECK(contains(syntax.report, "byte offset"));
    auto node_type = grade("count_query", {{"query", "(no_such_node) @n"}, {"min", 1}}, {{"main.py", "f()\n"}});
    CHECK(contains(node_type.report, "unknown node type at line 1, column 2 (byte offset 1)"));
    auto predicate =
        grade("count_query", {{"query", R"(((identifier) @i (#match? @i "[")))"}, {"min", 1}}, {{"main.py", "f()\n"}});
    CHECK(contains(predicate.report, "bad regex"));
    CHECK(contains(grade("count_query", {{"query", "(call) @c"}}, {{"main.py", "f()\n"}}).report, "give 'min', 'max'"));
    CHECK(
        contains(grade("count_query", {{"query", "(call) @c"}, {"min", 3}, {"max", 1}}, {{"main.py", "f()\n"}}).report,
                 "'min' (3) is above 'max' (1)"));
    CHECK(contains(
        grade("count_query", {{"query", "(call) @c"}, {"capture", "x"}, {"min", 1}}, {{"main.py", "f()\n"}}).report,
        "the query has no capture @x (captures: @c)"));
    auto cobol =
        grade("count_query", {{"query", "(call) @c"}, {"language", "cobol"}, {"min", 1}}, {{"main.py", "f()\n"}});
    CHECK(cobol.refused);
    CHECK(contains(cobol.report, "\"cobol\" is not one of"));
    // A query for another language than the files' is still checked: with its language given, when the
    // pipeline is made.
    auto unchecked =
        grade("count_query", {{"query", "(bogus)"}, {"language", "java"}, {"min", 0}}, {{"main.py", "f()\n"}});
    CHECK(unchecked.refused);
    CHECK(contains(unchecked.report, "java query: unknown node type"));
}

TEST_CASE("forbidden_keyword: custom rules by query, with messages, bad rules are configuration errors") {
    json rule = {{"name", "no_print"},
                 {"language", "python"},
                 {"query", R"(((call function: (identifier) @f) (#eq? @f "print")))"},
                 {"message", "return the result instead of printing it"}};
    json test = {{"custom_rules", {rule}}};
    auto clean = grade("forbidden_keyword", test, {{"main.py", "# print(1)\ndef f():\n    return 'print(2)'\n"}});
    CHECK(clean.score == 100);
    auto hit = grade("forbidden_keyword", test, {{"main.py", "x = 1\nprint(x)\n"}});
    CHECK(hit.score == 0);
    CHECK(contains(hit.report, "`main.py` breaks rule no_print (line 2): return the result instead of printing it"));
    // Rules apply to their language only; built-in names still work alongside.
    CHECK(grade("forbidden_keyword", test, {{"index.js", "print(1);\n"}}, "node").score == 100);
    json both = {{"forbidden_keywords", {"while_loop"}}, {"custom_rules", {rule}}};
    auto loops = grade("forbidden_keyword", both, {{"main.py", "while False:\n    pass\n"}});
    CHECK(loops.score == 0);
    CHECK(contains(loops.report, "uses while_loop (line 1)"));
    json java_rule = {
        {"name", "no_system_exit"},
        {"language", "java"},
        {"query",
         R"(((method_invocation object: (identifier) @o name: (identifier) @m) (#eq? @o "System") (#eq? @m "exit")))"}};
    CHECK(grade("forbidden_keyword", {{"custom_rules", {java_rule}}},
                {{"Main.java", "class Main { void f() { System.exit(1); } }\n"}}, "java")
              .score == 0);

    auto bad_query = rule;
    bad_query["query"] = "(call function: (identifer) @f)";
    auto bad = grade("forbidden_keyword", {{"custom_rules", {bad_query}}}, {{"main.py", "x = 1\n"}});
    CHECK(bad.score == 0);
    CHECK(contains(bad.report, "custom_rules[0] (no_print): bad query: python query: unknown node type"));
    CHECK(contains(bad.report, "at line 1, column 18 (byte offset 17)"));
    auto no_language = rule;
    no_language.erase("language");
    CHECK(contains(grade("forbidden_keyword", {{"custom_rules", {no_language}}}, {{"main.py", "x = 1\n"}}).report,
                   "custom_rules[0] (no_print): missing 'language'"));
    auto typo = rule;
    typo["mesage"] = "x";
    CHECK(contains(grade("forbidden_keyword", {{"custom_rules", {typo}}}, {{"main.py", "x = 1\n"}}).report,
                   "unknown key 'mesage'"));
    CHECK(contains(grade("forbidden_keyword", {{"custom_rules", {rule, rule}}}, {{"main.py", "x = 1\n"}}).report,
                   "duplicate rule name"));
    CHECK(contains(grade("forbidden_keyword", {{"custom_rules", "no_print"}}, {{"main.py", "x = 1\n"}}).report,
                   "must be a list of rule objects"));
    CHECK(contains(grade("forbidden_keyword", json::object(), {{"main.py", "x = 1\n"}}).report,
                   "give 'forbidden_keywords' (construct names) or 'custom_rules'"));
}
