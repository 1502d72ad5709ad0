#include "templates/input_output/output_comparison.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <re2/re2.h>

#include "feedback/message_table.hpp"
#include "text/utf8.hpp"

namespace autograder::templates {
namespace {

std::vector<std::string_view> tokens(std::string_view text) {
    std::vector<std::string_view> result;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        size_t start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        if (i > start) result.push_back(text.substr(start, i - start));
    }
    return result;
}

// A decimal number as printf or a student would write it: an optional sign (from_chars takes
// no '+'), digits, a fraction, an exponent. Values too small for a double read as 0; "inf",
// "nan" and hexadecimal are words, not numbers.
std::optional<double> as_number(std::string_view token) {
    std::string_view digits = token;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    if (digits.empty() || digits.front() == '+' || (digits.front() == '-' && digits.size() > 1 && digits[1] == '+'))
        return std::nullopt;
    double value = 0;
    auto [end, error] =
        std::from_chars(digits.data(), digits.data() + digits.size(), value, std::chars_format::general);
    if (end != digits.data() + digits.size()) return std::nullopt;
    if (error == std::errc::result_out_of_range) {
        // Underflow reads as zero; overflow is not a usable number.
        std::string copy(digits);
        double approximate = std::strtod(copy.c_str(), nullptr);
        if (std::isfinite(approximate)) return approximate;
        return std::nullopt;
    }
    if (error != std::errc() || !std::isfinite(value)) return std::nullopt;
    return value;
}

std::string lower(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

std::string quote(std::string_view text) {
    constexpr size_t kShown = 60;
    std::string shown(text::utf8_prefix(text, kShown));
    return "'" + shown + (text.size() > kShown ? "…'" : "'");
}

RE2::Options regex_options() {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(8 << 20);
    return options;
}

}  // namespace

std::optional<std::string> regex_problem(std::string_view pattern) {
    RE2 compiled(pattern, regex_options());
    if (compiled.ok()) return std::nullopt;
    return "invalid regex " + quote(pattern) + ": " + compiled.error();
}

std::string normalize_output(std::string_view text) {
    std::string unified;
    unified.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            unified.push_back('\n');
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else {
            unified.push_back(text[i]);
        }
    }
    std::string result;
    result.reserve(unified.size());
    size_t start = 0;
    while (start <= unified.size()) {
        size_t end = unified.find('\n', start);
        if (end == std::string::npos) end = unified.size();
        size_t last = end;
        while (last > start && (unified[last - 1] == ' ' || unified[last - 1] == '\t')) --last;
        result.append(unified, start, last - start);
        if (end < unified.size()) result.push_back('\n');
        start = end + 1;
    }
    size_t first = result.find_first_not_of(" \t\n\v\f");
    if (first == std::string::npos) return {};
    size_t last = result.find_last_not_of(" \t\n\v\f");
    return result.substr(first, last - first + 1);
}

CompareMode compare_mode_from_string(std::string_view name) {
    if (name == "exact") return CompareMode::exact;
    if (name == "whitespace") return CompareMode::whitespace;
    if (name == "case_insensitive") return CompareMode::case_insensitive;
    if (name == "float") return CompareMode::float_tolerance;
    if (name == "regex") return CompareMode::regex;
    if (name == "contains") return CompareMode::contains;
    if (name == "checker") return CompareMode::checker;
    throw std::invalid_argument("unknown compare mode '" + std::string(name) +
                                "' (exact, whitespace, case_insensitive, float, regex, contains, checker)");
}

Comparison compare_output(const CompareSpec& spec, std::string_view expected_raw, std::string_view actual_raw,
                          Locale locale) {
    // A regex is a pattern, not text: normalising it would change it (a trailing "\ " say).
    bool is_pattern = spec.mode == CompareMode::regex;
    std::string expected = spec.normalize && !is_pattern ? normalize_output(expected_raw) : std::string(expected_raw);
    std::string actual = spec.normalize ? normalize_output(actual_raw) : std::string(actual_raw);
    switch (spec.mode) {
        case CompareMode::exact:
            if (expected == actual) return {true, {}};
            return {false, localized(locale, "the output differs from the expected output")};
        case CompareMode::whitespace:
            if (tokens(expected) == tokens(actual)) return {true, {}};
            return {false, localized(locale, "the output differs from the expected output (whitespace ignored)")};
        case CompareMode::case_insensitive:
            if (lower(expected) == lower(actual)) return {true, {}};
            return {false, localized(locale, "the output differs from the expected output (case ignored)")};
        case CompareMode::contains:
            if (actual.find(expected) != std::string::npos) return {true, {}};
            return {false, localized(locale, "the output does not contain {}", quote(expected))};
        case CompareMode::regex: {
            RE2 pattern(expected, regex_options());
            if (!pattern.ok()) throw std::invalid_argument("invalid regex " + quote(expected) + ": " + pattern.error());
            if (spec.search ? RE2::PartialMatch(actual, pattern) : RE2::FullMatch(actual, pattern)) return {true, {}};
            return {false, localized(locale, "the output does not match the pattern {}", quote(expected))};
        }
        case CompareMode::float_tolerance: {
            auto want = tokens(expected), got = tokens(actual);
            if (want.size() != got.size())
                return {false, localized(locale, "expected {} values, got {}", want.size(), got.size())};
            for (size_t i = 0; i < want.size(); ++i) {
                auto a = as_number(want[i]), b = as_number(got[i]);
                if (a && b) {
                    double difference = std::fabs(*a - *b);
                    if (difference <= spec.abs_tol || difference <= spec.rel_tol * std::fabs(*a)) continue;
                    // Tolerances as a stream prints them (1e-09, 0.001), as before.
                    std::ostringstream absolute, relative;
                    absolute << spec.abs_tol;
                    relative << spec.rel_tol;
                    return {false,
                            localized(locale, "value {}: expected {}, got {} (tolerance: absolute {}, relative {})",
                                      i + 1, want[i], got[i], absolute.str(), relative.str())};
                }
                if (want[i] != got[i])
                    return {false,
                            localized(locale, "token {}: expected {}, got {}", i + 1, quote(want[i]), quote(got[i]))};
            }
            return {true, {}};
        }
        case CompareMode::checker:
            throw std::invalid_argument("the checker mode needs a sandbox: use the input_output template");
    }
    return {false, "unknown mode"};
}

}  // namespace autograder::templates
