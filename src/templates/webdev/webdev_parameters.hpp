// Tag names, scores and line lists of the webdev test functions (their parameters are read with
// ParameterReader). A bad tag is a configuration problem: std::invalid_argument naming the
// parameter (the test scores 0 with the reason).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autograder/config.hpp"
#include "autograder/feedback.hpp"
#include "templates/parameter_reader.hpp"

namespace autograder::templates::webdev {

// A required tag name: lower case, `<nav>` and `nav` alike; letters, digits and '-' only.
std::string tag_value(const ParameterReader& given, std::string_view name);

// min(100, floor(found / required × 100)) in exact integer arithmetic; required <= 0 gives 100.
double ratio_score(std::size_t found, int64_t required);

// "line 3", "lines 3, 5, 9", at most `limit` numbers then "...".
std::string lines_text(Locale locale, const std::vector<uint32_t>& lines, std::size_t limit = 12);

}  // namespace autograder::templates::webdev
