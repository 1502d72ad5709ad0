// The unified diff that long-output reports show instead of two whole blocks.
#include <doctest/doctest.h>

#include "templates/input_output/line_diff.hpp"

using autograder::templates::unified_diff;

TEST_CASE("line diff: one changed line of fifteen shows only it, with two lines of context") {
    std::string expected, actual;
    for (int i = 1; i <= 15; ++i) {
        expected += std::to_string(i) + "\n";
        actual += (i == 8 ? std::string("eight") : std::to_string(i)) + "\n";
    }
    auto diff = unified_diff(expected, actual);
    REQUIRE(diff.has_value());
    CHECK(*diff == "--- expected\n+++ your output\n@@ -6,5 +6,5 @@\n 6\n 7\n-8\n+eight\n 9\n 10\n");
}

TEST_CASE("line diff: missing and extra lines, separate hunks, and too-large inputs") {
    auto missing = unified_diff("a\nb\nc\n", "a\nc\n");
    REQUIRE(missing.has_value());
    CHECK(*missing == "--- expected\n+++ your output\n@@ -1,3 +1,2 @@\n a\n-b\n c\n");
    auto extra = unified_diff("a\n", "a\nb\n");
    REQUIRE(extra.has_value());
    CHECK(*extra == "--- expected\n+++ your output\n@@ -1,1 +1,2 @@\n a\n+b\n");
    std::string expected, actual;
    for (int i = 1; i <= 20; ++i) {
        expected += std::to_string(i) + "\n";
        actual += (i == 2 || i == 18 ? "x" : std::to_string(i)) + "\n";
    }
    auto two = unified_diff(expected, actual);
    REQUIRE(two.has_value());
    CHECK(two->find("@@ -1,4 +1,4 @@") != std::string::npos);
    CHECK(two->find("@@ -16,5 +16,5 @@") != std::string::npos);
    std::string big(3000, '\n');
    CHECK_FALSE(unified_diff(big, "x\n").has_value());
}
