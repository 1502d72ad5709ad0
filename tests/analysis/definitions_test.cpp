// analysis/definitions: functions (with parameter counts), classes and recursive calls per
// language; comments and strings never count.
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "analysis/definitions.hpp"

using namespace autograder::analysis;

namespace {

struct Seen {
    std::string name;
    std::size_t parameters;
    uint32_t line;
    std::string enclosing_class;
    bool operator==(const Seen& o) const {
        return name == o.name && parameters == o.parameters && line == o.line && enclosing_class == o.enclosing_class;
    }
};

doctest::String toString(const Seen& s) {
    return (s.name + "/" + std::to_string(s.parameters) + "@" + std::to_string(s.line) + " in '" + s.enclosing_class +
            "'")
        .c_str();
}

std::vector<Seen> functions(Language language, const std::string& source) {
    std::vector<Seen> seen;
    for (const auto& f : find_functions(SyntaxTree::parse(language, source)))
        seen.push_back({f.name, f.parameter_count, f.line, f.enclosing_class});
    return seen;
}

std::vector<std::pair<std::string, std::string>> classes(Language language, const std::string& source) {
    std::vector<std::pair<std::string, std::string>> seen;
    for (const auto& c : find_classes(SyntaxTree::parse(language, source))) seen.emplace_back(c.name, c.kind);
    return seen;
}

std::vector<std::pair<std::string, uint32_t>> recursion(Language language, const std::string& source) {
    std::vector<std::pair<std::string, uint32_t>> seen;
    for (const auto& call : find_recursive_calls(SyntaxTree::parse(language, source)))
        seen.emplace_back(call.function, call.line);
    return seen;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;
using Calls = std::vector<std::pair<std::string, uint32_t>>;

}  // namespace

TEST_CASE("definitions: python functions, methods without self, nested functions, every kind of parameter") {
    std::string source =
        "def solve(a, b=2, *args, key=None, **kw):\n"  // 1
        "    def helper(x, /, y):\n"                   // 2
        "        return x\n"
        "    return helper(a, b)\n"
        "class Stack:\n"               // 5
        "    def push(self, item):\n"  // 6
        "        pass\n"
        "    @classmethod\n"
        "    def make(cls):\n"  // 9
        "        pass\n"
        "    @staticmethod\n"
        "    def check(x: int, y: int = 0) -> bool:\n"  // 12
        "        return True\n"
        "# def commented(a): pass\n"
        "text = 'def in_string(a): pass'\n"
        "square = lambda n: n * n\n";
    CHECK(functions(Language::python, source) == std::vector<Seen>{{"solve", 5, 1, ""},
                                                                   {"helper", 2, 2, ""},
                                                                   {"push", 1, 6, "Stack"},
                                                                   {"make", 0, 9, "Stack"},
                                                                   {"check", 2, 12, "Stack"}});
    // A function nested in a method is not a method: its `self` is an ordinary parameter.
    CHECK(functions(Language::python, "class A:\n    def m(self):\n        def inner(self):\n            pass\n") ==
          std::vector<Seen>{{"m", 0, 2, "A"}, {"inner", 1, 3, ""}});
}

TEST_CASE("definitions: java methods and constructors, varargs, interfaces, not comments") {
    std::string source =
        "public class Main {\n"                                    // 1
        "    public Main(int size) {}\n"                           // 2
        "    static int solve(int a, int b) { return a + b; }\n"   // 3
        "    static void log(String format, Object... args) {}\n"  // 4
        "    // static void commented(int a) {}\n"
        "    public static void main(String[] args) {}\n"  // 6
        "}\n"
        "interface Shape { double area(); }\n";  // 8
    CHECK(functions(Language::java, source) == std::vector<Seen>{{"Main", 1, 2, "Main"},
                                                                 {"solve", 2, 3, "Main"},
                                                                 {"log", 2, 4, "Main"},
                                                                 {"main", 1, 6, "Main"},
                                                                 {"area", 0, 8, "Shape"}});
}

TEST_CASE("definitions: javascript declarations, bound function expressions and arrows, methods") {
    std::string source =
        "function solve(a, b = 1, ...rest) {}\n"        // 1
        "const square = x => x * x;\n"                  // 2
        "let add = (a, b) => a + b;\n"                  // 3
        "var legacy = function (a, {b, c}, [d]) {};\n"  // 4
        "module.exports.run = function () {};\n"        // 5
        "class Stack {\n"                               // 6
        "  push(item) {}\n"                             // 7
        "  pop = () => {};\n"                           // 8
        "}\n"
        "const api = { get: function (id) {}, put(id, v) {} };\n"  // 10
        "// function commented(a) {}\n"
        "const s = 'function inString(a) {}';\n"
        "function* gen(n) {}\n";  // 13
    CHECK(functions(Language::javascript, source) == std::vector<Seen>{{"solve", 3, 1, ""},
                                                                       {"square", 1, 2, ""},
                                                                       {"add", 2, 3, ""},
                                                                       {"legacy", 3, 4, ""},
                                                                       {"run", 0, 5, ""},
                                                                       {"push", 1, 7, "Stack"},
                                                                       {"pop", 0, 8, "Stack"},
                                                                       {"get", 1, 10, ""},
                                                                       {"put", 2, 10, ""},
                                                                       {"gen", 1, 13, ""}});
}

TEST_CASE("definitions: c and c++ function definitions, not prototypes, (void), methods in and out of class") {
    std::string c =
        "#include <stdio.h>\n"
        "int add(int a, int b);\n"                             // 2: a prototype
        "int add(int a, int b) { return a + b; }\n"            // 3
        "static char *name(void) { return 0; }\n"              // 4
        "int printf_like(const char *f, ...) { return 0; }\n"  // 5
        "/* int commented(int a) { return a; } */\n"
        "int main(void) { return add(1, 2); }\n";  // 7
    CHECK(functions(Language::c, c) ==
          std::vector<Seen>{{"add", 2, 3, ""}, {"name", 0, 4, ""}, {"printf_like", 2, 5, ""}, {"main", 0, 7, ""}});
    std::string cpp =
        "#include <vector>\n"
        "class Stack {\n"  // 2
        "public:\n"
        "    void push(int x) { items.push_back(x); }\n"  // 4
        "    int pop();\n"                                // 5: declared only
        "    std::vector<int> items;\n"
        "};\n"
        "int Stack::pop() { return 0; }\n"                                               // 8
        "const std::vector<int>& view(const Stack& s, int n = 0) { return s.items; }\n"  // 9
        "template <typename T> T twice(T x) { return x + x; }\n"                         // 10
        "int main() {\n"                                                                 // 11
        "    auto square = [](int x) { return x * x; };\n"                               // 12
        "    return square(2);\n"
        "}\n";
    CHECK(functions(Language::cpp, cpp) == std::vector<Seen>{{"push", 1, 4, "Stack"},
                                                             {"pop", 0, 8, "Stack"},
                                                             {"view", 2, 9, ""},
                                                             {"twice", 1, 10, ""},
                                                             {"main", 0, 11, ""},
                                                             {"square", 1, 12, ""}});
}

TEST_CASE("definitions: a file with syntax errors still yields what parsed, html and css have none") {
    auto found = functions(Language::python, "def ok(a):\n    return a\ndef broken(:\n    pass\n");
    REQUIRE_FALSE(found.empty());
    CHECK(found.front() == Seen{"ok", 1, 1, ""});
    CHECK(functions(Language::html, "<script>function f() {}</script>").empty());
    CHECK(classes(Language::css, ".a { color: red; }").empty());
}

TEST_CASE("definitions: classes per language") {
    CHECK(classes(Language::python, "class A:\n    class Inner:\n        pass\n# class Hidden: pass\n") ==
          Pairs{{"A", "class"}, {"Inner", "class"}});
    CHECK(classes(Language::java, "class A {}\ninterface B {}\nenum C { X }\nrecord D(int x) {}\n") ==
          Pairs{{"A", "class"}, {"B", "interface"}, {"C", "enum"}, {"D", "record"}});
    CHECK(classes(Language::javascript, "class A {}\nconst B = class {};\nconst s = 'class C {}';\n") ==
          Pairs{{"A", "class"}, {"B", "class"}});
    CHECK(classes(Language::cpp, "class A { int x; };\nstruct B { int y; };\nstruct B;\nstruct B make();\n") ==
          Pairs{{"A", "class"}, {"B", "struct"}});
    CHECK(
        classes(Language::c, "struct point { int x, y; };\ntypedef struct { int r; } Circle;\nunion u { int i; };\n") ==
        Pairs{{"point", "struct"}, {"Circle", "struct"}, {"u", "union"}});
}

TEST_CASE("definitions: recursive calls by name, through self/this for methods, not other calls") {
    CHECK(recursion(Language::python,
                    "def fact(n):\n    return 1 if n == 0 else n * fact(n - 1)\n"  // 2
                    "def loop(n):\n    return sum(range(n))\n"
                    "class Tree:\n    def size(self):\n        return 1 + sum(c.size() for c in self.kids)\n"
                    "    def depth(self):\n        return self.depth()\n"  // 9
                    "# def f(): f()\n") == Calls{{"fact", 2}, {"depth", 9}});
    CHECK(recursion(Language::python, "def walk(xs):\n    return list(map(lambda x: walk(x), xs))\n") ==
          Calls{{"walk", 2}});
    CHECK(recursion(Language::java,
                    "class M {\n int f(int n) { return n == 0 ? 0 : f(n - 1); }\n"
                    " int g(int n) { return this.g(n); }\n int h(M o) { return o.h(o); }\n}\n") ==
          Calls{{"f", 2}, {"g", 3}});
    CHECK(recursion(Language::javascript,
                    "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\n"
                    "const down = n => n && down(n - 1);\nclass A { m() { return this.m(); } }\n"
                    "function notRec() { return 'notRec()'; }\n") ==
          Calls{{"fib", 1}, {"fib", 1}, {"down", 2}, {"m", 3}});
    CHECK(recursion(Language::c,
                    "int f(int n) {\n  return n ? f(n - 1) : 0; /* f(0) */\n}\nint g(void) { return f(3); }\n") ==
          Calls{{"f", 2}});
    CHECK(recursion(Language::cpp,
                    "struct T { int d(int n) { return n ? this->d(n - 1) : 0; } };\n"
                    "int T_walk(int n) { return n ? ::T_walk(n - 1) : 0; }\n") == Calls{{"d", 1}, {"T_walk", 2}});
}
