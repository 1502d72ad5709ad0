// analysis/syntax_tree: every compiled-in grammar parses a sample, queries find its nodes, and a
// malformed file is reported as data (has_error, errors with positions), never a crash.
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "analysis/syntax_tree.hpp"

using namespace autograder::analysis;

namespace {

struct Sample {
    Language language;
    std::string good;
    std::string query;  // what the good sample has exactly `expected` matches of
    std::size_t expected;
    std::string bad;
};

const std::vector<Sample>& samples() {
    static const std::vector<Sample> all = {
        {Language::python, "import os\n\ndef f(x):\n    return x + 1\n\ndef g():\n    pass\n",
         "(function_definition name: (identifier) @name)", 2, "def f(:\n    return\n"},
        {Language::java, "class A {\n  int f(int x) { return x; }\n  void g() {}\n}\n",
         "(method_declaration name: (identifier) @name)", 2, "class A { int f( { }\n"},
        {Language::javascript, "const a = require('fs');\nfunction f() { return 1; }\n",
         "(function_declaration name: (identifier) @name)", 1, "function f( { return 1;\n"},
        {Language::c, "#include <stdio.h>\nint main(void) { for (int i = 0; i < 3; i++) {} return 0; }\n",
         "(for_statement) @loop", 1, "int main(void) { return 0\n"},
        {Language::cpp, "#include <vector>\nclass A {};\nstruct B {};\nint main() { std::vector<int> v; }\n",
         "(class_specifier) @c (struct_specifier) @s", 2, "class A { int x \nint main( {\n"},
        {Language::html, "<!DOCTYPE html><html><head><title>t</title></head><body><p>a</p><p>b</p></body></html>\n",
         "(element (start_tag (tag_name) @tag))", 6, "<html><body><p class=\"a></body>\n"},
        {Language::css, "body { color: red; }\n@media (max-width: 600px) { p { margin: 0; } }\n",
         "(declaration (property_name) @p)", 2, "body { color: red; \n p { {\n"},
    };
    return all;
}

}  // namespace

TEST_CASE("analysis: language names and file extensions") {
    CHECK(language_from_name("node") == Language::javascript);
    CHECK(language_from_name("C++") == Language::cpp);
    CHECK_FALSE(language_from_name("ruby").has_value());
    CHECK(language_from_path("src/Main.java") == Language::java);
    CHECK(language_from_path("index.HTML") == Language::html);
    CHECK(language_from_path("a/b.hpp") == Language::cpp);
    CHECK(language_from_path("lib.h") == Language::c);
    CHECK_FALSE(language_from_path("Makefile").has_value());
    CHECK_FALSE(language_from_path("dir.d/README").has_value());
    for (const auto& sample : samples()) CHECK(language_from_name(to_string(sample.language)) == sample.language);
}

TEST_CASE("analysis: every grammar parses its sample and a query finds its nodes") {
    for (const auto& sample : samples()) {
        CAPTURE(to_string(sample.language));
        SyntaxTree tree = SyntaxTree::parse(sample.language, sample.good);
        CHECK_FALSE(tree.has_error());
        CHECK(tree.errors().empty());
        CHECK(tree.text(tree.root()).size() <= sample.good.size());
        Query query(sample.language, sample.query);
        CHECK(query.count_matches(tree) == sample.expected);
    }
}

TEST_CASE("analysis: a malformed file is reported with positions, not a crash") {
    for (const auto& sample : samples()) {
        CAPTURE(to_string(sample.language));
        SyntaxTree tree = SyntaxTree::parse(sample.language, sample.bad);
        CHECK(tree.has_error());
        auto errors = tree.errors();
        REQUIRE_FALSE(errors.empty());
        CHECK(errors.front().line >= 1);
        CHECK(errors.front().column >= 1);
        CHECK(tree.errors(1).size() == 1);
        // Queries still run over the recovered tree.
        Query query(sample.language, sample.query);
        CHECK_NOTHROW(query.matches(tree));
    }
    // Degenerate inputs.
    for (const auto& sample : samples()) {
        CHECK_NOTHROW(SyntaxTree::parse(sample.language, ""));
        CHECK_NOTHROW(SyntaxTree::parse(sample.language, std::string("\0\xff\xfe garbage \x01", 14)));
    }
}

TEST_CASE("analysis: captures carry names and source text") {
    SyntaxTree tree = SyntaxTree::parse(Language::python, "def solve(n):\n    return solve(n - 1)\n");
    Query query(Language::python, "(function_definition name: (identifier) @def) (call function: (identifier) @call)");
    auto matches = query.matches(tree);
    REQUIRE(matches.size() == 2);
    CHECK(matches[0].captures.at(0).name == "def");
    CHECK(tree.text(matches[0].captures.at(0).node) == "solve");
    auto counts = query.count_captures(tree);
    CHECK(counts["def"] == 1);
    CHECK(counts["call"] == 1);
}

TEST_CASE("analysis: text predicates #eq?, #not-eq?, #match?, #not-match?") {
    SyntaxTree tree = SyntaxTree::parse(Language::python, "def solve(n):\n    return solve(n - 1) + helper(n)\n");
    CHECK(Query(Language::python, R"(((identifier) @id (#eq? @id "solve")))").count_matches(tree) == 2);
    CHECK(Query(Language::python, R"(((identifier) @id (#not-eq? @id "solve")))").count_matches(tree) == 4);
    CHECK(Query(Language::python, R"(((identifier) @id (#match? @id "^hel")))").count_matches(tree) == 1);
    CHECK(Query(Language::python, R"(((identifier) @id (#not-match? @id "^[sn]")))").count_matches(tree) == 1);
    // Recursion: a call inside a function to the function's own name.
    const char* recursion = R"(((function_definition name: (identifier) @f
        body: (block (return_statement (binary_operator left: (call function: (identifier) @c)))))
        (#eq? @f @c)))";
    CHECK(Query(Language::python, recursion).count_matches(tree) == 1);
    const char* calls_other = R"(((function_definition name: (identifier) @f
        body: (block (return_statement (binary_operator right: (call function: (identifier) @c)))))
        (#eq? @f @c)))";
    CHECK(Query(Language::python, calls_other).count_matches(tree) == 0);
}

TEST_CASE("analysis: a bad query is a QueryError naming the problem") {
    CHECK_THROWS_AS(Query(Language::python, "(function_definition"), QueryError);
    CHECK_THROWS_WITH(Query(Language::python, "(no_such_node)"), doctest::Contains("unknown node type"));
    CHECK_THROWS_WITH(Query(Language::css, "(declaration\n  nope: (x))"), doctest::Contains("line 2"));
    CHECK_THROWS_WITH(Query(Language::python, R"(((identifier) @i (#frob? @i "x")))"),
                      doctest::Contains("unsupported predicate #frob?"));
    CHECK_THROWS_WITH(Query(Language::python, R"(((identifier) @i (#match? @i "(")))"), doctest::Contains("bad regex"));
    SyntaxTree tree = SyntaxTree::parse(Language::java, "class A {}");
    CHECK_THROWS_AS(Query(Language::python, "(identifier) @i").matches(tree), std::invalid_argument);
}

TEST_CASE("analysis: one query serves trees parsed on many threads") {
    Query query(Language::javascript, "(call_expression) @call");
    std::vector<std::thread> threads;
    std::vector<std::size_t> counts(4);
    for (std::size_t t = 0; t < counts.size(); ++t)
        threads.emplace_back([&, t] {
            std::string source;
            for (std::size_t i = 0; i <= t; ++i) source += "f(1);\n";
            for (int round = 0; round < 50; ++round)
                counts[t] = query.count_matches(SyntaxTree::parse(Language::javascript, source));
        });
    for (auto& thread : threads) thread.join();
    for (std::size_t t = 0; t < counts.size(); ++t) CHECK(counts[t] == t + 1);
}
