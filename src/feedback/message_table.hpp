// Student-visible messages in the grading's language. English is the key and the fallback: code
// writes `localized(locale, "The file '{}' is correct.", path)` and each locale's table
// (src/feedback/locales/<name>.json, embedded at build time) maps that English fmt pattern to its
// translation. The test locale.message_table_complete fails when a pattern passed to localized()
// has no entry in a table, or a table holds an entry no code uses.
//
// To wrap a new message: write the whole sentence as ONE string literal (adjacent literals are
// fine) in the second argument of localized(), with {} for the values, and add the pattern and
// its translation to every file in src/feedback/locales/. Never build a message from pieces that
// are translated separately: word order differs between languages.
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "autograder/feedback.hpp"

namespace autograder {

// "en", "pt_br": the name of the locale's table, src/feedback/locales/<name>.json.
std::string_view locale_name(Locale locale);

// The locale's pattern for `english`, or `english` itself (English, or no entry).
std::string_view translated_pattern(Locale locale, std::string_view english);

template <typename... Args>
std::string localized(Locale locale, std::string_view english, const Args&... args) {
    return fmt::vformat(fmt::string_view(translated_pattern(locale, english)), fmt::make_format_args(args...));
}

}  // namespace autograder
