// analysis/constructs: loops, eval/exec calls, recursion, lambdas, ... per language; comments and
// strings never count.
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "analysis/constructs.hpp"

using namespace autograder::analysis;
using Lines = std::vector<uint32_t>;

namespace {

Lines find(Language language, const std::string& source, std::string_view construct) {
    return find_construct(SyntaxTree::parse(language, source), construct);
}

}  // namespace

TEST_CASE("constructs: python loops, comprehensions, eval and exec, not comments or strings") {
    std::string source =
        "for i in range(3):\n    pass\nwhile False:\n    pass\nxs = [x for x in 'for']\n"
        "# for y in z: pass\ns = 'while True: eval(1)'\neval('1')\nexec('x = 1')\nobj.eval(2)\n";
    CHECK(find(Language::python, source, "for_loop") == Lines{1, 5});
    CHECK(find(Language::python, source, "while_loop") == Lines{3});
    CHECK(find(Language::python, source, "do_while_loop").empty());
    CHECK(find(Language::python, source, "eval_call") == Lines{8});
    CHECK(find(Language::python, source, "exec_call") == Lines{9});
}

TEST_CASE("constructs: java, javascript, c and c++ loops") {
    CHECK(find(Language::java,
               "class A { void f(int[] a) {\n for (int i = 0; i < 1; i++) {}\n for (int x : a) {}\n"
               " while (true) {}\n do {} while (false);\n // for (;;) {}\n String s = \"while\";\n} }\n",
               "for_loop") == Lines{2, 3});
    CHECK(find(Language::java, "class A { void f() {\n do {} while (false);\n} }\n", "do_while_loop") == Lines{2});
    std::string js =
        "for (const x of xs) {}\nfor (let i = 0; i < 2; i++) {}\nwhile (a) {}\ndo {} while (b);\n"
        "/* while (c) {} */\neval('1');\nconst s = 'eval(2)';\n";
    CHECK(find(Language::javascript, js, "for_loop") == Lines{1, 2});
    CHECK(find(Language::javascript, js, "while_loop") == Lines{3});
    CHECK(find(Language::javascript, js, "do_while_loop") == Lines{4});
    CHECK(find(Language::javascript, js, "eval_call") == Lines{6});
    CHECK(find(Language::c, "int main(void) {\n for (;;) {}\n do {} while (0);\n /* while (1) {} */\n}\n", "while_loop")
              .empty());
    CHECK(find(Language::c, "int main(void) {\n do {} while (0);\n}\n", "do_while_loop") == Lines{2});
    CHECK(find(Language::cpp, "int main() {\n int a[2];\n for (int x : a) {}\n for (;;) {}\n}\n", "for_loop") ==
          Lines{3, 4});
}

TEST_CASE("constructs: html and css have none, an unknown name is an error") {
    CHECK(find(Language::html, "<p>for while</p>", "for_loop").empty());
    CHECK(is_construct("while_loop"));
    CHECK_FALSE(is_construct("goto"));
    CHECK(construct_names().size() == 13);
    CHECK(is_construct("recursion"));
    CHECK_FALSE(language_has_construct(Language::python, "do_while_loop"));
    CHECK(language_has_construct(Language::c, "recursion"));
    CHECK_FALSE(language_has_construct(Language::css, "recursion"));
    CHECK_THROWS_AS(language_has_construct(Language::c, "goto"), std::invalid_argument);
    CHECK_THROWS_AS(find(Language::python, "x = 1", "goto"), std::invalid_argument);
}

TEST_CASE("constructs: comprehensions, try, lambda, if, switch/match, ternary and classes in python") {
    std::string source =
        "squares = [x * x for x in range(3)]\n"                          // 1
        "evens = {x for x in range(9) if x % 2 == 0}\n"                  // 2
        "index = {k: v for k, v in []}\n"                                // 3
        "total = sum(x for x in range(3))\n"                             // 4
        "try:\n    f = lambda n: n + 1\nexcept ValueError:\n    pass\n"  // 5, 6
        "if total:\n    pass\nelif index:\n    pass\n"                   // 9
        "match total:\n    case 0:\n        pass\n"                      // 13
        "label = 'a' if total else 'b'\n"                                // 16
        "class Point:\n    pass\n"                                       // 17
        "# [y for y in z] try: lambda: 0\n"
        "s = 'class X: pass'\n";
    CHECK(find(Language::python, source, "comprehension") == Lines{1, 2, 3, 4});
    CHECK(find(Language::python, source, "try_except") == Lines{5});
    CHECK(find(Language::python, source, "lambda") == Lines{6});
    CHECK(find(Language::python, source, "if_statement") == Lines{9});
    CHECK(find(Language::python, source, "switch") == Lines{13});
    CHECK(find(Language::python, source, "ternary") == Lines{16});
    CHECK(find(Language::python, source, "class_definition") == Lines{17});
    CHECK(find(Language::python, source, "recursion").empty());
    CHECK(find(Language::python, "def f(n):\n    return f(n - 1) if n else 0\n", "recursion") == Lines{2});
}

TEST_CASE("constructs: try, lambda, switch, ternary and classes in java, javascript, c and c++") {
    std::string java =
        "class M {\n void f(int x) {\n  try (var r = open()) {} catch (Exception e) {}\n"  // 3
        "  Runnable r = () -> {};\n  switch (x) { default: break; }\n  int y = x > 0 ? 1 : 2;\n }\n}\n"
        "enum E { A }\n";  // 9
    CHECK(find(Language::java, java, "try_except") == Lines{3});
    CHECK(find(Language::java, java, "lambda") == Lines{4});
    CHECK(find(Language::java, java, "switch") == Lines{5});
    CHECK(find(Language::java, java, "ternary") == Lines{6});
    CHECK(find(Language::java, java, "class_definition") == Lines{1, 9});
    std::string js =
        "try { f(); } catch (e) {}\nconst g = (a) => a;\nswitch (x) { case 1: break; }\n"
        "class A {}\nconst h = function () {};\n// () => 1\n";
    CHECK(find(Language::javascript, js, "try_except") == Lines{1});
    CHECK(find(Language::javascript, js, "lambda") == Lines{2});  // an arrow function; not `function () {}`
    CHECK(find(Language::javascript, js, "switch") == Lines{3});
    CHECK(find(Language::javascript, js, "class_definition") == Lines{4});
    std::string c = "struct p { int x; };\nint f(int x) {\n switch (x) { default: return x > 0 ? 1 : 0; }\n}\n";
    CHECK(find(Language::c, c, "switch") == Lines{3});
    CHECK(find(Language::c, c, "ternary") == Lines{3});
    CHECK(find(Language::c, c, "class_definition").empty());  // C has no classes
    CHECK(find(Language::c, c, "lambda").empty());
    std::string cpp =
        "struct P { int x; };\nstruct P;\nclass Q {};\nint main() {\n auto f = [](int a) { return a; };\n"
        " try { throw 1; } catch (int) {}\n}\n";
    CHECK(find(Language::cpp, cpp, "class_definition") == Lines{1, 3});
    CHECK(find(Language::cpp, cpp, "lambda") == Lines{5});
    CHECK(find(Language::cpp, cpp, "try_except") == Lines{6});
}
