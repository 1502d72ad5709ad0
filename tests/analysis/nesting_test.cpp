// analysis/nesting: the deepest nesting of control blocks per language, where it is, and what
// does not count (else if, functions, comprehensions).
#include <string>

#include <doctest/doctest.h>

#include "analysis/definitions.hpp"
#include "analysis/nesting.hpp"

using namespace autograder::analysis;

namespace {

std::pair<uint32_t, uint32_t> deepest(Language language, const std::string& source) {
    auto nesting = deepest_nesting(SyntaxTree::parse(language, source));
    return {nesting.depth, nesting.line};
}

using Where = std::pair<uint32_t, uint32_t>;  // depth, line

}  // namespace

TEST_CASE("nesting: python blocks, elif, comprehensions and function definitions do not add a level") {
    std::string source =
        "def f(xs):\n"         // 1
        "    for x in xs:\n"   // 2: 1
        "        if x > 0:\n"  // 3: 2
        "            pass\n"
        "        elif x < 0:\n"
        "            pass\n"
        "        else:\n"
        "            while x:\n"  // 8: 3
        "                x -= 1\n"
        "    return [y for y in xs if y]\n"
        "# for a in b:\n"
        "#     for c in d:\n";
    CHECK(deepest(Language::python, source) == Where{3, 8});
    CHECK(deepest(Language::python, "x = 1\nprint(x)\n") == Where{0, 0});
    CHECK(deepest(Language::python,
                  "try:\n    with open('f') as f:\n        match f.read():\n            case _:\n"
                  "                def g():\n                    if True:\n                        pass\n"
                  "except OSError:\n    pass\n") == Where{4, 6});
}

TEST_CASE("nesting: else if chains stay at one level in java, javascript, c and c++") {
    std::string chain = "  if (a) {} else if (b) {} else if (c) {} else { if (d) {} }\n";
    CHECK(deepest(Language::java,
                  "class M { void f(boolean a, boolean b, boolean c, boolean d) {\n" + chain + "} }\n") == Where{2, 2});
    CHECK(deepest(Language::javascript, "function f() {\n" + chain + "}\n") == Where{2, 2});
    CHECK(deepest(Language::c, "void f(int a, int b, int c, int d) {\n" + chain + "}\n") == Where{2, 2});
    CHECK(deepest(Language::cpp, "void f(int a, int b, int c, int d) {\n" + chain + "}\n") == Where{2, 2});
}

TEST_CASE("nesting: loops, switch, try and do in each curly-brace language") {
    CHECK(deepest(Language::java,
                  "class M { void f(int[] a) {\n for (int x : a) {\n  switch (x) {\n   case 1:\n"
                  "    try { do {} while (false); } catch (Exception e) {}\n  }\n }\n} }\n") == Where{4, 5});
    CHECK(deepest(Language::javascript,
                  "for (const x of xs) {\n  xs.forEach(y => {\n    while (y) { y--; }\n  });\n}\n") == Where{2, 3});
    CHECK(deepest(Language::c, "int main(void) {\n for (;;) {\n  while (1) {\n   do { } while (0);\n  }\n }\n}\n") ==
          Where{3, 4});
    CHECK(deepest(
              Language::cpp,
              "int main() {\n int a[2];\n for (int x : a) {\n  try { switch (x) { default: break; } } catch (...) {}\n"
              " }\n}\n") == Where{3, 4});
}

TEST_CASE("nesting: counted only inside one function's body when asked") {
    std::string source =
        "def flat(xs):\n    return xs\n"
        "def deep(xs):\n    for x in xs:\n        for y in x:\n            if y:\n                pass\n";
    auto tree = SyntaxTree::parse(Language::python, source);
    auto functions = find_functions(tree);
    REQUIRE(functions.size() == 2);
    auto flat = deepest_nesting(tree, functions[0].body);
    CHECK(flat.depth == 0);
    auto deep = deepest_nesting(tree, functions[1].body);
    CHECK(deep.depth == 3);
    CHECK(deep.line == 6);
    CHECK(control_block_types(Language::html).empty());
}
