// Parameters and scores of the webdev test functions. A bad parameter is a configuration problem:
// the readers throw std::invalid_argument naming the parameter (the test scores 0 with the reason).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autograder/config.hpp"
#include "autograder/feedback.hpp"

namespace autograder::templates::webdev {

// A required non-empty string.
std::string string_parameter(const TestSpec& spec, std::string_view name);
// An optional string: nullopt when absent or null; "" is an error.
std::optional<std::string> optional_string_parameter(const TestSpec& spec, std::string_view name);
// A required string that may be empty ("" for `value` means any value).
std::string string_parameter_allow_empty(const TestSpec& spec, std::string_view name);
// A tag name: lower case, `<nav>` and `nav` alike; letters, digits and '-' only.
std::string tag_parameter(const TestSpec& spec, std::string_view name);
// A required whole number: 3, 3.0 or "3". `minimum` bounds it (a count can be negative, a maximum not).
int64_t integer_parameter(const TestSpec& spec, std::string_view name, int64_t minimum = INT64_MIN);
// A list of non-empty strings; one string is a list of one.
std::vector<std::string> string_list_parameter(const TestSpec& spec, std::string_view name);

// min(100, floor(found / required × 100)) in exact integer arithmetic; required <= 0 gives 100.
double ratio_score(std::size_t found, int64_t required);

// "line 3", "lines 3, 5, 9", at most `limit` numbers then "...".
std::string lines_text(Locale locale, const std::vector<uint32_t>& lines, std::size_t limit = 12);

}  // namespace autograder::templates::webdev
