// The input_output template's `compare` modes (templates/output_comparison). Pure functions: every
// expected value below is worked out from the rules in the header, not read back from the code.
#include <stdexcept>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "templates/input_output/output_comparison.hpp"

using autograder::templates::compare_mode_from_string;
using autograder::templates::compare_output;
using autograder::templates::CompareMode;
using autograder::templates::CompareSpec;
using autograder::templates::Comparison;
using autograder::templates::normalize_output;

namespace {

CompareSpec spec_of(CompareMode mode, bool normalize = true) {
    CompareSpec spec;
    spec.mode = mode;
    spec.normalize = normalize;
    return spec;
}

bool passes(CompareMode mode, std::string_view expected, std::string_view actual, bool normalize = true) {
    return compare_output(spec_of(mode, normalize), expected, actual).passed;
}

bool float_passes(std::string_view expected, std::string_view actual, double abs_tol, double rel_tol) {
    CompareSpec spec = spec_of(CompareMode::float_tolerance);
    spec.abs_tol = abs_tol;
    spec.rel_tol = rel_tol;
    return compare_output(spec, expected, actual).passed;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// normalize_output
// ---------------------------------------------------------------------------------------------

TEST_CASE("comparison: normalize_output turns CRLF and lone CR into LF") {
    CHECK(normalize_output("a\r\nb\r\nc") == "a\nb\nc");
    CHECK(normalize_output("a\rb\rc") == "a\nb\nc");
    // Mixed endings in one text.
    CHECK(normalize_output("a\r\nb\rc\nd") == "a\nb\nc\nd");
    // "\r\r\n" is a CR followed by a CRLF: two line breaks, one empty line between.
    CHECK(normalize_output("a\r\r\nb") == "a\n\nb");
    // "\n\r" is LF then CR: two line breaks, not one.
    CHECK(normalize_output("a\n\rb") == "a\n\nb");
    // No CR survives anywhere.
    CHECK(normalize_output("x\r\n\r\n\ry\r").find('\r') == std::string::npos);
}

TEST_CASE("comparison: normalize_output strips trailing spaces and tabs of every line") {
    CHECK(normalize_output("a  \nb\t\nc \t \n") == "a\nb\nc");
    // Trailing blanks before a CRLF go too (CR is unified before stripping).
    CHECK(normalize_output("a \t\r\nb  \r\n") == "a\nb");
    // Leading indentation of inner lines is kept, only the whole text's ends are stripped.
    CHECK(normalize_output("a\n  b\n\tc") == "a\n  b\n\tc");
    // Blank lines in the middle are kept (as empty lines), blank-only lines become empty.
    CHECK(normalize_output("a\n\n\nb") == "a\n\n\nb");
    CHECK(normalize_output("a\n   \t\nb") == "a\n\nb");
    // Spaces inside a line are untouched.
    CHECK(normalize_output("a  b\tc") == "a  b\tc");
}

TEST_CASE("comparison: normalize_output strips the whole text") {
    CHECK(normalize_output("") == "");
    CHECK(normalize_output("   ") == "");
    CHECK(normalize_output("\n\n\r\n \t \n") == "");
    CHECK(normalize_output("\n\n  hello\n\n") == "hello");
    CHECK(normalize_output("hello\n") == "hello");
    CHECK(normalize_output("hello\r\n") == "hello");
    CHECK(normalize_output("\thello world\t") == "hello world");
    // Vertical tab and form feed at the ends are whitespace as well.
    CHECK(normalize_output("\v\fx\f\v") == "x");
    // Idempotent.
    std::string once = normalize_output(" a \r\n b\t\r\n\r\n");
    CHECK(once == "a\n b");
    CHECK(normalize_output(once) == once);
}

// ---------------------------------------------------------------------------------------------
// compare_mode_from_string
// ---------------------------------------------------------------------------------------------

TEST_CASE("comparison: compare_mode_from_string knows every mode and refuses others") {
    CHECK(compare_mode_from_string("exact") == CompareMode::exact);
    CHECK(compare_mode_from_string("whitespace") == CompareMode::whitespace);
    CHECK(compare_mode_from_string("case_insensitive") == CompareMode::case_insensitive);
    CHECK(compare_mode_from_string("float") == CompareMode::float_tolerance);
    CHECK(compare_mode_from_string("regex") == CompareMode::regex);
    CHECK(compare_mode_from_string("contains") == CompareMode::contains);
    CHECK(compare_mode_from_string("checker") == CompareMode::checker);

    CHECK_THROWS_AS(compare_mode_from_string(""), std::invalid_argument);
    CHECK_THROWS_AS(compare_mode_from_string("Exact"), std::invalid_argument);
    CHECK_THROWS_AS(compare_mode_from_string("exact "), std::invalid_argument);
    CHECK_THROWS_AS(compare_mode_from_string("float_tolerance"), std::invalid_argument);
    CHECK_THROWS_AS(compare_mode_from_string("fuzzy"), std::invalid_argument);

    // The message names the offending value and the known modes.
    try {
        compare_mode_from_string("fuzzy");
        FAIL("no exception");
    } catch (const std::invalid_argument& error) {
        std::string message = error.what();
        CHECK(message.find("fuzzy") != std::string::npos);
        for (const char* mode : {"exact", "whitespace", "case_insensitive", "float", "regex", "contains", "checker"})
            CHECK_MESSAGE(message.find(mode) != std::string::npos, mode);
    }
}

// ---------------------------------------------------------------------------------------------
// compare_output: general behaviour
// ---------------------------------------------------------------------------------------------

TEST_CASE("comparison: explanation is empty on a pass and present on a failure, for every mode") {
    for (CompareMode mode : {CompareMode::exact, CompareMode::whitespace, CompareMode::case_insensitive,
                             CompareMode::float_tolerance, CompareMode::regex, CompareMode::contains}) {
        CAPTURE(static_cast<int>(mode));
        Comparison pass = compare_output(spec_of(mode), "abc", "abc");
        CHECK(pass.passed);
        CHECK(pass.explanation.empty());
        Comparison fail = compare_output(spec_of(mode), "abc", "xyz");
        CHECK_FALSE(fail.passed);
        CHECK_FALSE(fail.explanation.empty());
    }
}

TEST_CASE("comparison: the checker mode is not handled here") {
    CHECK_THROWS_AS(compare_output(spec_of(CompareMode::checker), "a", "a"), std::invalid_argument);
}

TEST_CASE("comparison: default spec is exact with normalisation and 1e-9 tolerances") {
    CompareSpec spec;
    CHECK(spec.mode == CompareMode::exact);
    CHECK(spec.normalize);
    CHECK(spec.abs_tol == doctest::Approx(1e-9));
    CHECK(spec.rel_tol == doctest::Approx(1e-9));
}

// ---------------------------------------------------------------------------------------------
// exact
// ---------------------------------------------------------------------------------------------

TEST_CASE("comparison: exact compares the normalised texts") {
    CHECK(passes(CompareMode::exact, "hello", "hello"));
    CHECK_FALSE(passes(CompareMode::exact, "hello", "Hello"));
    CHECK_FALSE(passes(CompareMode::exact, "hello", "hello!"));
    CHECK_FALSE(passes(CompareMode::exact, "hello", "hell"));
    // Trailing newline, CRLF and trailing blanks do not matter after normalisation.
    CHECK(passes(CompareMode::exact, "a\nb", "a\nb\n"));
    CHECK(passes(CompareMode::exact, "a\nb\n", "a\r\nb\r\n"));
    CHECK(passes(CompareMode::exact, "a\nb", "a   \nb\t\n\n\n"));
    CHECK(passes(CompareMode::exact, "a\nb", "\n\na\nb"));
    // Inner differences still matter: a missing line break, an extra blank line, indentation.
    CHECK_FALSE(passes(CompareMode::exact, "a\nb", "a b"));
    CHECK_FALSE(passes(CompareMode::exact, "a\nb", "a\n\nb"));
    CHECK_FALSE(passes(CompareMode::exact, "a\nb", "a\n b"));
    // Both empty, or empty against whitespace only.
    CHECK(passes(CompareMode::exact, "", ""));
    CHECK(passes(CompareMode::exact, "", "\n \r\n\t"));
    CHECK_FALSE(passes(CompareMode::exact, "", "x"));
    CHECK_FALSE(passes(CompareMode::exact, "x", ""));
    // Textually different numbers are different in exact mode.
    CHECK_FALSE(passes(CompareMode::exact, "0", "-0"));
    CHECK_FALSE(passes(CompareMode::exact, "1.0", "1"));
}

TEST_CASE("comparison: normalize=false compares the raw text") {
    CHECK(passes(CompareMode::exact, "a\n", "a\n", false));
    CHECK_FALSE(passes(CompareMode::exact, "a", "a\n", false));
    CHECK_FALSE(passes(CompareMode::exact, "a\n", "a\r\n", false));
    CHECK_FALSE(passes(CompareMode::exact, "a", "a ", false));
    CHECK_FALSE(passes(CompareMode::exact, "", "\n", false));
    CHECK(passes(CompareMode::exact, "", "", false));
    // Other modes see the raw text too.
    CHECK_FALSE(passes(CompareMode::case_insensitive, "ABC", "abc\r\n", false));
    CHECK(passes(CompareMode::case_insensitive, "ABC\r\n", "abc\r\n", false));
    // contains: the raw "b\n" is not in "a\r\nb\r\n" (the byte before '\n' is '\r'), but after
    // normalisation "b" is in "a\nb".
    CHECK_FALSE(passes(CompareMode::contains, "b\n", "a\r\nb\r\n", false));
    CHECK(passes(CompareMode::contains, "b\n", "a\r\nb\r\n", true));
    // regex: without normalisation the trailing newline must be matched by the pattern.
    CHECK_FALSE(passes(CompareMode::regex, "\\d+", "42\n", false));
    CHECK(passes(CompareMode::regex, "\\d+\\n", "42\n", false));
    CHECK(passes(CompareMode::regex, "\\d+", "42\n", true));
    // whitespace mode splits on any whitespace, so the raw text gives the same tokens.
    CHECK(passes(CompareMode::whitespace, "a b", " a\r\n b \n", false));
}

// ---------------------------------------------------------------------------------------------
// whitespace
// ---------------------------------------------------------------------------------------------

TEST_CASE("comparison: whitespace mode compares whitespace-separated tokens") {
    CHECK(passes(CompareMode::whitespace, "1 2 3", "1\n2\n3"));
    CHECK(passes(CompareMode::whitespace, "1 2 3", "  1\t\t2   3  \n"));
    CHECK(passes(CompareMode::whitespace, "a\nb", "a b"));
    CHECK(passes(CompareMode::whitespace, "a\r\nb", "a\v b\f"));
    // Whitespace separates tokens, it cannot be removed altogether.
    CHECK_FALSE(passes(CompareMode::whitespace, "a b", "ab"));
    CHECK_FALSE(passes(CompareMode::whitespace, "ab", "a b"));
    // Token count and order matter; case matters.
    CHECK_FALSE(passes(CompareMode::whitespace, "1 2 3", "1 2"));
    CHECK_FALSE(passes(CompareMode::whitespace, "1 2", "1 2 3"));
    CHECK_FALSE(passes(CompareMode::whitespace, "1 2 3", "3 2 1"));
    CHECK_FALSE(passes(CompareMode::whitespace, "Yes", "yes"));
    // Empty against whitespace only: no tokens on either side.
    CHECK(passes(CompareMode::whitespace, "", " \n\t "));
    CHECK(passes(CompareMode::whitespace, " \n", "", false));
    CHECK_FALSE(passes(CompareMode::whitespace, "", "x"));
}

// ---------------------------------------------------------------------------------------------
// case_insensitive
// ---------------------------------------------------------------------------------------------

TEST_CASE("comparison: case_insensitive folds ASCII letters only") {
    CHECK(passes(CompareMode::case_insensitive, "Hello World", "hELLO wORLD"));
    CHECK(passes(CompareMode::case_insensitive, "YES\n", "yes"));
    CHECK(passes(CompareMode::case_insensitive, "a\nB", "A\r\nb\r\n"));
    CHECK(passes(CompareMode::case_insensitive, "", ""));
    // Still exact otherwise: whitespace inside lines and other characters matter.
    CHECK_FALSE(passes(CompareMode::case_insensitive, "hello world", "hello  world"));
    CHECK_FALSE(passes(CompareMode::case_insensitive, "hello", "hello."));
    // Folding does not confuse neighbours of the letter ranges: '@' (0x40) / '`' (0x60),
    // '[' (0x5B) / '{' (0x7B) differ by 0x20 like letters do, but are not letters.
    CHECK_FALSE(passes(CompareMode::case_insensitive, "@", "`"));
    CHECK_FALSE(passes(CompareMode::case_insensitive, "[", "{"));
    // Non-ASCII text: UTF-8 bytes are compared as they are. Identical non-ASCII text passes, and
    // the ASCII letters around it are folded ...
    CHECK(passes(CompareMode::case_insensitive, "Café Ünïcödé", "CAFé ÜNïCöDé"));
    CHECK(passes(CompareMode::case_insensitive, "日本語 ok", "日本語 OK"));
    // ... but "É" (C3 89) and "é" (C3 A9) are different bytes and are NOT folded together:
    // only ASCII case is ignored.
    CHECK_FALSE(passes(CompareMode::case_insensitive, "CAFÉ", "café"));
    CHECK_FALSE(passes(CompareMode::case_insensitive, "É", "é"));
}

// ---------------------------------------------------------------------------------------------
// contains
// ---------------------------------------------------------------------------------------------

TEST_CASE("comparison: contains looks for the expected text in the output") {
    CHECK(passes(CompareMode::contains, "world", "hello world"));
    CHECK(passes(CompareMode::contains, "hello", "hello world"));
    CHECK(passes(CompareMode::contains, "hello world", "hello world"));
    CHECK(passes(CompareMode::contains, "lo wo", "hello world"));
    CHECK_FALSE(passes(CompareMode::contains, "World", "hello world"));
    CHECK_FALSE(passes(CompareMode::contains, "hello world!", "hello world"));
    // The needle is the expected text, not the other way round.
    CHECK_FALSE(passes(CompareMode::contains, "hello world", "world"));
    // Across lines, after normalisation (CRLF in the output, trailing newline in the expected).
    CHECK(passes(CompareMode::contains, "line 2\nline 3\n", "line 1\r\nline 2\r\nline 3\r\n"));
    // Both sides are normalised: the expected "x  " becomes "x", the output "a x  \nb" becomes
    // "a x\nb"; so "x  \nb" is found as "x\nb".
    CHECK(passes(CompareMode::contains, "x  ", "a x  \nb"));
    CHECK(passes(CompareMode::contains, "x  \nb", "a x  \nb"));
    // Leading whitespace of the expected text is stripped too ("  x" -> "x").
    CHECK(passes(CompareMode::contains, "  x", "ax"));
    // Empty expected text: everything contains it.
    CHECK(passes(CompareMode::contains, "", "anything"));
    CHECK(passes(CompareMode::contains, "", ""));
    CHECK(passes(CompareMode::contains, "\n  \n", "anything"));
    CHECK_FALSE(passes(CompareMode::contains, "x", ""));
}

// ---------------------------------------------------------------------------------------------
// float
// ---------------------------------------------------------------------------------------------

TEST_CASE("comparison: float mode accepts numbers within the absolute tolerance") {
    // abs_tol 0.5, no relative tolerance: |1.4 - 1.0| = 0.4 passes, |1.6 - 1.0| = 0.6 fails.
    CHECK(float_passes("1.0", "1.4", 0.5, 0));
    CHECK(float_passes("1.0", "0.6", 0.5, 0));
    CHECK_FALSE(float_passes("1.0", "1.6", 0.5, 0));
    CHECK_FALSE(float_passes("1.0", "0.4", 0.5, 0));
    // Default tolerances (1e-9): the classic 0.1 + 0.2 result is 0.3.
    CHECK(passes(CompareMode::float_tolerance, "0.3", "0.30000000000000004"));
    // More or fewer printed digits, same value.
    CHECK(passes(CompareMode::float_tolerance, "2", "2.000000"));
    CHECK(passes(CompareMode::float_tolerance, "3.14159", "3.141590000"));
    CHECK_FALSE(passes(CompareMode::float_tolerance, "3.14159", "3.1416"));
    // abs_tol 1e-6 (the c-geometry values): a 1e-7 difference passes, 1e-5 fails.
    CHECK(float_passes("5.0000000", "5.0000001", 1e-6, 0));
    CHECK_FALSE(float_passes("5.00000", "5.00001", 1e-6, 0));
}

TEST_CASE("comparison: float mode accepts numbers within the relative tolerance of the expected value") {
    // rel_tol 0.01, no absolute tolerance: 1% of 1000 is 10.
    CHECK(float_passes("1000", "1009", 0, 0.01));
    CHECK(float_passes("1000", "991", 0, 0.01));
    CHECK_FALSE(float_passes("1000", "1011", 0, 0.01));
    CHECK_FALSE(float_passes("1000", "989", 0, 0.01));
    // Relative to the *expected* magnitude: rel_tol 0.1, difference 11.
    //   expected 100 -> allowed 10   -> fails;
    //   expected 111 -> allowed 11.1 -> passes.
    CHECK_FALSE(float_passes("100", "111", 0, 0.1));
    CHECK(float_passes("111", "100", 0, 0.1));
    // The magnitude of a negative expected value: |-100| * 0.1 = 10 >= 9.
    CHECK(float_passes("-100", "-109", 0, 0.1));
    CHECK_FALSE(float_passes("-100", "-111", 0, 0.1));
    // The c-geometry case: absolute difference 0.024 is far above abs_tol 1e-6, but
    // 1e-9 * 121932622.2 = 0.12 covers it.
    CHECK(float_passes("121932622.2", "121932622.176", 1e-6, 1e-9));
    CHECK_FALSE(float_passes("121932622.2", "121932622.176", 1e-6, 0));
    // Expected 0: the relative tolerance allows nothing, only abs_tol helps.
    CHECK_FALSE(float_passes("0", "1e-12", 0, 0.5));
    CHECK(float_passes("0", "1e-12", 1e-9, 0));
}

TEST_CASE("comparison: float mode passes when either tolerance is met") {
    // abs_tol 1, rel_tol 0.01. Expected 1000: abs allows 1, rel allows 10 -> 1005 passes via rel.
    CHECK(float_passes("1000", "1005", 1, 0.01));
    // Expected 10: abs allows 1, rel allows 0.1 -> 10.5 passes via abs.
    CHECK(float_passes("10", "10.5", 1, 0.01));
    // Expected 10: 12 is beyond both.
    CHECK_FALSE(float_passes("10", "12", 1, 0.01));
    // Zero tolerances: equal values only (but any spelling of them).
    CHECK(float_passes("0.5", "5e-1", 0, 0));
    CHECK_FALSE(float_passes("0.5", "0.5000001", 0, 0));
}

TEST_CASE("comparison: float mode compares tokens pairwise, counts must match") {
    CHECK(passes(CompareMode::float_tolerance, "1 2 3", "1.0\n2.0\n3.0\n"));
    CHECK(passes(CompareMode::float_tolerance, "area: 3.14 cm", "area:   3.1400000000  cm"));
    // One token off among several is enough to fail, wherever it is.
    CHECK_FALSE(passes(CompareMode::float_tolerance, "1 2 3", "1 2 4"));
    CHECK_FALSE(passes(CompareMode::float_tolerance, "1 2 3", "0 2 3"));
    // Order matters: no sorting or matching by value.
    CHECK_FALSE(passes(CompareMode::float_tolerance, "1 2", "2 1"));
    // Counts differ: fails even when the shared prefix matches.
    CHECK_FALSE(passes(CompareMode::float_tolerance, "1 2 3", "1 2"));
    CHECK_FALSE(passes(CompareMode::float_tolerance, "1 2", "1 2 3"));
    CHECK_FALSE(passes(CompareMode::float_tolerance, "1", ""));
    CHECK_FALSE(passes(CompareMode::float_tolerance, "", "1"));
    // Both empty: zero tokens each.
    CHECK(passes(CompareMode::float_tolerance, "", ""));
    CHECK(passes(CompareMode::float_tolerance, "", "\n\n"));
    // Glued tokens are a different count, not a tolerance question.
    CHECK_FALSE(passes(CompareMode::float_tolerance, "1 2", "12"));
}

TEST_CASE("comparison: float mode compares non-numeric tokens exactly") {
    CHECK(passes(CompareMode::float_tolerance, "result = 4", "result = 4.0"));
    CHECK_FALSE(passes(CompareMode::float_tolerance, "result = 4", "Result = 4"));
    CHECK_FALSE(passes(CompareMode::float_tolerance, "result = 4", "result: 4"));
    // A number against a word, and a word against a number.
    CHECK_FALSE(passes(CompareMode::float_tolerance, "4", "four"));
    CHECK_FALSE(passes(CompareMode::float_tolerance, "four", "4"));
    // A token that merely starts with a number is not a number: "3.0." (sentence end) is
    // compared as text, so "3.00." differs although the numbers agree.
    CHECK(passes(CompareMode::float_tolerance, "3.0.", "3.0."));
    CHECK_FALSE(passes(CompareMode::float_tolerance, "3.0.", "3.00."));
    CHECK_FALSE(passes(CompareMode::float_tolerance, "12kg", "12.0kg"));
    // Comma decimals are text.
    CHECK_FALSE(passes(CompareMode::float_tolerance, "1,5", "1,50"));
}

TEST_CASE("comparison: float mode reads exponents, leading dots and negative zero") {
    CHECK(passes(CompareMode::float_tolerance, "1e-3", "0.001"));
    CHECK(passes(CompareMode::float_tolerance, "0.001", "1E-3"));
    CHECK(passes(CompareMode::float_tolerance, "1.5e3", "1500"));
    CHECK(passes(CompareMode::float_tolerance, "-2.5e+2", "-250"));
    CHECK_FALSE(passes(CompareMode::float_tolerance, "1e-3", "1e-2"));
    CHECK(passes(CompareMode::float_tolerance, "0.5", ".5"));
    CHECK(passes(CompareMode::float_tolerance, "5", "5."));
    // Negative zero equals zero, even with zero tolerances (the difference is exactly 0).
    CHECK(passes(CompareMode::float_tolerance, "0", "-0"));
    CHECK(passes(CompareMode::float_tolerance, "-0.0", "0.000"));
    CHECK(float_passes("0.0", "-0.0", 0, 0));
    // Sign matters otherwise.
    CHECK_FALSE(passes(CompareMode::float_tolerance, "1", "-1"));
    // Huge magnitudes: the relative tolerance scales.
    CHECK(float_passes("1e300", "1.0000000001e300", 0, 1e-9));
    CHECK_FALSE(float_passes("1e300", "1.01e300", 0, 1e-9));
    // Opposite huge values: the difference overflows to infinity, which is within no tolerance.
    CHECK_FALSE(float_passes("1.7e308", "-1.7e308", 1e-9, 1e-9));
}

TEST_CASE("comparison: float mode treats nan and inf as text, not as numbers") {
    // Equal spellings are equal tokens.
    CHECK(passes(CompareMode::float_tolerance, "nan", "nan"));
    CHECK(passes(CompareMode::float_tolerance, "inf", "inf"));
    CHECK(passes(CompareMode::float_tolerance, "-inf", "-inf"));
    // A nan is not "within tolerance" of anything, nor of another nan spelling.
    CHECK_FALSE(passes(CompareMode::float_tolerance, "nan", "NaN"));
    CHECK_FALSE(passes(CompareMode::float_tolerance, "nan", "-nan"));
    CHECK_FALSE(passes(CompareMode::float_tolerance, "0", "nan"));
    CHECK_FALSE(passes(CompareMode::float_tolerance, "nan", "0"));
    // Even a huge tolerance does not make nan or inf numeric.
    CHECK_FALSE(float_passes("1", "nan", 1e300, 1e300));
    CHECK_FALSE(float_passes("1e308", "inf", 1e300, 1e300));
    CHECK_FALSE(float_passes("inf", "infinity", 1e300, 1e300));
    CHECK_FALSE(float_passes("inf", "-inf", 1e300, 1e300));
}

TEST_CASE("comparison: float mode reads a leading plus sign and underflowing values as numbers") {
    // "+2.5" is the number 2.5 (strtod, Python float() and printf("%+f") all agree): it is a
    // numeric token and must be compared by value.
    CHECK(passes(CompareMode::float_tolerance, "2.5", "+2.5"));
    CHECK(passes(CompareMode::float_tolerance, "+1e-3", "0.001"));
    // "1e-400" is below the smallest double: its value is 0 (to within 1e-9 of 0 in any case),
    // and it is a numeric token.
    CHECK(passes(CompareMode::float_tolerance, "0", "1e-400"));
}

// ---------------------------------------------------------------------------------------------
// regex
// ---------------------------------------------------------------------------------------------

TEST_CASE("comparison: regex mode is a full match of the normalised output") {
    CHECK(passes(CompareMode::regex, "\\d+", "42"));
    CHECK(passes(CompareMode::regex, "\\d+", "42\r\n"));
    CHECK(passes(CompareMode::regex, "result: \\d+(\\.\\d+)?", "result: 3.14\n"));
    // A full match, not a search: extra text before or after fails.
    CHECK_FALSE(passes(CompareMode::regex, "\\d+", "x42"));
    CHECK_FALSE(passes(CompareMode::regex, "\\d+", "42x"));
    CHECK_FALSE(passes(CompareMode::regex, "world", "hello world"));
    // The anchoring covers the whole alternation: "a|b" does not match "ab" (a naive "^a|b$"
    // search would).
    CHECK(passes(CompareMode::regex, "a|b", "a"));
    CHECK(passes(CompareMode::regex, "a|b", "b"));
    CHECK_FALSE(passes(CompareMode::regex, "a|b", "ab"));
    CHECK_FALSE(passes(CompareMode::regex, "a|bc", "abc"));
    // Several lines: "\n" in the pattern matches the normalised line break.
    CHECK(passes(CompareMode::regex, "x=\\d+\\ny=\\d+", "x=1\r\ny=22  \r\n"));
    // (?s) lets '.' cross lines; without it RE2's '.' does not match '\n'.
    CHECK(passes(CompareMode::regex, "(?s)start.*end", "start\nmiddle\nend"));
    CHECK_FALSE(passes(CompareMode::regex, "start.*end", "start\nmiddle\nend"));
    // Empty pattern matches only the empty (or whitespace-only) output.
    CHECK(passes(CompareMode::regex, "", ""));
    CHECK(passes(CompareMode::regex, "", " \n "));
    CHECK_FALSE(passes(CompareMode::regex, "", "x"));
    // Case matters unless the pattern says otherwise.
    CHECK_FALSE(passes(CompareMode::regex, "yes", "YES"));
    CHECK(passes(CompareMode::regex, "(?i)yes", "YES"));
    // UTF-8 aware: '.' is one code point, so "caf." matches "café" (é is two bytes).
    CHECK(passes(CompareMode::regex, "caf.", "café"));
    CHECK_FALSE(passes(CompareMode::regex, "caf..", "café"));
}

TEST_CASE("comparison: a bad regex throws std::invalid_argument") {
    CompareSpec spec = spec_of(CompareMode::regex);
    CHECK_THROWS_AS(compare_output(spec, "(", "x"), std::invalid_argument);
    CHECK_THROWS_AS(compare_output(spec, "a)", "x"), std::invalid_argument);
    CHECK_THROWS_AS(compare_output(spec, "[a-", "x"), std::invalid_argument);
    CHECK_THROWS_AS(compare_output(spec, "a{2,1}", "aa"), std::invalid_argument);
    CHECK_THROWS_AS(compare_output(spec, "*a", "a"), std::invalid_argument);
    // Features RE2 refuses in order to stay linear: back-references and look-around.
    CHECK_THROWS_AS(compare_output(spec, "(a)\\1", "aa"), std::invalid_argument);
    CHECK_THROWS_AS(compare_output(spec, "a(?=b)b", "ab"), std::invalid_argument);
    // Even when the output is empty the pattern is checked.
    CHECK_THROWS_AS(compare_output(spec, "(", ""), std::invalid_argument);
    // A pattern whose program would be enormous is refused rather than built.
    CHECK_THROWS_AS(compare_output(spec, "((((a{100}){100}){100}){100})", "a"), std::invalid_argument);
    // The same text is harmless in the other modes.
    CHECK_NOTHROW(compare_output(spec_of(CompareMode::exact), "(", "x"));
    CHECK_NOTHROW(compare_output(spec_of(CompareMode::contains), "(", "x"));
    CHECK(passes(CompareMode::contains, "(", "f(x)"));
}

TEST_CASE("comparison: regex mode is linear on catastrophic-backtracking patterns") {
    // "(a+)+$" against "aaaa...ab" takes exponential time in a backtracking engine. RE2 must
    // answer: no match (the output ends with 'b').
    std::string evil(5000, 'a');
    evil += 'b';
    CHECK_FALSE(passes(CompareMode::regex, "(a+)+$", evil));
    CHECK_FALSE(passes(CompareMode::regex, "(a|aa)+", evil));
    CHECK_FALSE(passes(CompareMode::regex, "(a*)*c", evil));
    // And it still matches where it should.
    CHECK(passes(CompareMode::regex, "(a+)+b", evil));
    CHECK(passes(CompareMode::regex, "(a|aa)+b$", evil));
}

TEST_CASE("comparison: regex mode on a 1 MB output completes and is correct") {
    constexpr size_t kSize = 1 << 20;
    std::string big(kSize, 'a');
    CHECK(passes(CompareMode::regex, "a*", big));
    CHECK(passes(CompareMode::regex, "a+", big));
    CHECK(passes(CompareMode::regex, "(a+)+", big));
    CHECK_FALSE(passes(CompareMode::regex, "a*b", big));

    std::string big_b = big + "b";
    CHECK_FALSE(passes(CompareMode::regex, "(a+)+$", big_b));
    CHECK(passes(CompareMode::regex, "(a+)+b", big_b));
    CHECK(passes(CompareMode::regex, "(?s).*b", big_b));

    // A 1 MB multi-line output: 65536 lines of "line 123\n" style text.
    std::string lines;
    lines.reserve(kSize + 64);
    for (int i = 0; lines.size() < kSize; ++i) lines += "line " + std::to_string(i % 1000) + "\r\n";
    CHECK(passes(CompareMode::regex, "(line \\d+\\n)*line \\d+", lines));
    CHECK_FALSE(passes(CompareMode::regex, "(line \\d+\\n)*line [a-z]+", lines));
    // The other modes on the same input.
    CHECK(passes(CompareMode::exact, big, big));
    CHECK(passes(CompareMode::contains, "ab", big_b));
    CHECK_FALSE(passes(CompareMode::contains, "ba", big_b));
}
