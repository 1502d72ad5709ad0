// Text that leaves the engine (result JSON, Markdown feedback, run reports, messages) must be valid
// UTF-8, yet much of it is made of bytes nobody vouches for: what a student's program printed,
// compiler output cut at a byte cap, file names. These functions repair such text and cut it
// between characters.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace autograder::text {

// `text` with every byte that is not part of a well-formed UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF included) replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

bool is_valid_utf8(std::string_view text);

// At most `max_bytes` bytes of `text`, never ending inside a well-formed character.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

// `text` that a byte cap cut short, without the incomplete character the cut may have left at
// its end (so that it does not show as U+FFFD).
std::string_view without_cut_character(std::string_view text);

// Repairs, in place, every string and every object key of `document` (see valid_utf8).
void make_valid_utf8(nlohmann::json& document);

// `document` as JSON text. Never throws for invalid UTF-8: such bytes come out as U+FFFD.
std::string json_text(const nlohmann::json& document, int indent = -1);

}  // namespace autograder::text
