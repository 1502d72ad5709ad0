// analysis/constructs: loops and eval/exec calls per language; comments and strings never count.
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

TEST_CASE("constructs: python loops, comprehensions, eval and exec; not comments or strings") {
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
    std::string js = "for (const x of xs) {}\nfor (let i = 0; i < 2; i++) {}\nwhile (a) {}\ndo {} while (b);\n"
                     "/* while (c) {} */\neval('1');\nconst s = 'eval(2)';\n";
    CHECK(find(Language::javascript, js, "for_loop") == Lines{1, 2});
    CHECK(find(Language::javascript, js, "while_loop") == Lines{3});
    CHECK(find(Language::javascript, js, "do_while_loop") == Lines{4});
    CHECK(find(Language::javascript, js, "eval_call") == Lines{6});
    CHECK(find(Language::c, "int main(void) {\n for (;;) {}\n do {} while (0);\n /* while (1) {} */\n}\n",
               "while_loop").empty());
    CHECK(find(Language::c, "int main(void) {\n do {} while (0);\n}\n", "do_while_loop") == Lines{2});
    CHECK(find(Language::cpp, "int main() {\n int a[2];\n for (int x : a) {}\n for (;;) {}\n}\n", "for_loop") ==
          Lines{3, 4});
}

TEST_CASE("constructs: html and css have none; an unknown name is an error") {
    CHECK(find(Language::html, "<p>for while</p>", "for_loop").empty());
    CHECK(is_construct("while_loop"));
    CHECK_FALSE(is_construct("goto"));
    CHECK(construct_names().size() == 5);
    CHECK_THROWS_AS(find(Language::python, "x = 1", "goto"), std::invalid_argument);
}
