#include "templates/input_output/line_diff.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <fmt/format.h>

namespace autograder::templates {
namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        size_t end = text.find('\n');
        if (end == std::string_view::npos) end = text.size();
        lines.push_back(text.substr(0, end));
        text.remove_prefix(std::min(text.size(), end + 1));
    }
    return lines;
}

struct Edit {
    char kind;  // ' ' (in both), '-' (expected only), '+' (actual only)
    std::string_view line;
};

}  // namespace

std::optional<std::string> unified_diff(std::string_view expected, std::string_view actual, std::size_t context,
                                        std::size_t max_lines) {
    auto a = lines_of(expected), b = lines_of(actual);
    if (a.size() > max_lines || b.size() > max_lines) return std::nullopt;
    // Longest common subsequence, from the end, so the walk below goes forward.
    const size_t n = a.size(), m = b.size();
    std::vector<uint32_t> table((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return table[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            at(i, j) = a[i] == b[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    std::vector<Edit> edits;
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            edits.push_back({' ', a[i]});
            ++i;
            ++j;
        } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
            edits.push_back({'-', a[i++]});  // what was expected first, then what came instead
        } else {
            edits.push_back({'+', b[j++]});
        }
    }
    std::string out = "--- expected\n+++ your output\n";
    size_t k = 0;
    while (k < edits.size()) {
        if (edits[k].kind == ' ') {
            ++k;
            continue;
        }
        // A hunk: `context` lines before this change, through the last change that follows within
        // 2 × context unchanged lines, and `context` lines after it.
        size_t start = k >= context ? k - context : 0;
        size_t last_change = k;
        for (size_t e = k; e < edits.size(); ++e) {
            if (edits[e].kind != ' ')
                last_change = e;
            else if (e - last_change > 2 * context)
                break;
        }
        size_t end = std::min(edits.size(), last_change + context + 1);
        size_t old_first = 1, new_first = 1, old_count = 0, new_count = 0;
        for (size_t e = 0; e < start; ++e) {
            if (edits[e].kind != '+') ++old_first;
            if (edits[e].kind != '-') ++new_first;
        }
        for (size_t e = start; e < end; ++e) {
            if (edits[e].kind != '+') ++old_count;
            if (edits[e].kind != '-') ++new_count;
        }
        out += fmt::format("@@ -{},{} +{},{} @@\n", old_first, old_count, new_first, new_count);
        for (size_t e = start; e < end; ++e) {
            out += edits[e].kind;
            out.append(edits[e].line);
            out += '\n';
        }
        k = end;
    }
    return out;
}

}  // namespace autograder::templates
