// A unified diff of two texts, line by line, for reports on long outputs: a student sees the
// lines that differ and a little context, not two 15-line blocks to compare by eye.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace autograder::templates {

// "--- expected\n+++ your output\n@@ -3,5 +3,5 @@\n 3\n-4\n+5\n ..." with `context` lines around
// each change; nullopt when either text has more than `max_lines` lines (the table would be too
// big to compute cheaply).
std::optional<std::string> unified_diff(std::string_view expected, std::string_view actual, std::size_t context = 2,
                                        std::size_t max_lines = 1000);

}  // namespace autograder::templates
