// Reading a test's parameters at grading time by the same rules the pipeline checked them with
// when it was created (check_test_parameters: each function's ParameterDocs, their aliases,
// types, choices and bounds): a value accepted then is read the same way now. A value the docs
// refuse (only possible when a host skipped the creation checks) is an std::invalid_argument
// "parameter 'NAME' PROBLEM", the creation-time wording; the test then scores 0 with the reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograder/templates.hpp"

namespace autograder::templates {

class ParameterReader {
public:
    // `docs` is the function's parameters(); reading a parameter they do not document is a
    // programming mistake (std::logic_error).
    ParameterReader(const TestSpec& spec, std::vector<ParameterDoc> docs);
    ParameterReader(const TestSpec&& spec, std::vector<ParameterDoc> docs) = delete;  // it keeps a reference

    // The value given under the name or one of its aliases, checked against its doc; nullptr when
    // absent or null.
    const nlohmann::json* value(std::string_view name) const;

    // Whether "" is a value (for a list: whether the list or one of its items may be empty).
    // Refused, it is "parameter 'NAME' must be a non-empty string" ("... must not be an empty
    // list", "... must be a list of non-empty strings").
    enum class Empty { allowed, refused };

    // "string" (and its choices), or "text": a string, a list of lines (each followed by a newline)
    // or a number.
    std::optional<std::string> text(std::string_view name, Empty empty = Empty::allowed) const;
    std::string text_or(std::string_view name, std::string fallback) const;
    // A required one: "missing parameter 'NAME'" when absent.
    std::string required_text(std::string_view name, Empty empty = Empty::allowed) const;
    // "number" or "integer", within the doc's minimum and maximum.
    std::optional<double> number(std::string_view name) const;
    double number_or(std::string_view name, double fallback) const;
    // "integer": 3, 3.0 or "3" (the reference engine's int()), within the doc's bounds.
    std::optional<int64_t> integer(std::string_view name) const;
    int64_t required_integer(std::string_view name) const;
    // An "integer" whose doc's minimum is 0 or more: a count.
    std::optional<std::size_t> count(std::string_view name) const;
    bool boolean_or(std::string_view name, bool fallback) const;
    // "list": one string is a list of one; every item a string.
    std::optional<std::vector<std::string>> string_list(std::string_view name, Empty empty = Empty::allowed) const;
    std::vector<std::string> required_string_list(std::string_view name, Empty empty = Empty::allowed) const;

    // Reads every documented parameter the test gives with `read` (which throws
    // std::invalid_argument as the readers above do) and collects what it refuses, so that a
    // function's check_parameters refuses at creation what its run would refuse at grading.
    std::vector<ParameterProblem> problems(
        const std::function<void(const ParameterReader&, const ParameterDoc&)>& read) const;

private:
    const ParameterDoc& doc_of(std::string_view name) const;

    const TestSpec& spec_;
    std::vector<ParameterDoc> docs_;
};

}  // namespace autograder::templates
