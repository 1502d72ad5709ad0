// ASCII case folding and trimming for the names found in source files (HTML tags and attributes,
// CSS properties, language names): locale-independent on purpose, since a host's locale must not
// change how a submission is graded.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace autograder::analysis {

inline std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
    });
    return out;
}

inline std::string_view trim(std::string_view text) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    return text;
}

}  // namespace autograder::analysis
