// Test reports carry whatever bytes a student's program printed. Results are JSON, which must be
// valid UTF-8, so reports are repaired once, when the result tree is made.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace autograder::criteria_detail {

// Returns `text` with every byte that is not part of a well-formed UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF included) replaced by U+FFFD.
std::string repair_utf8(std::string_view text);

// The same for every string and object key inside `value` (any depth), in place: file names and
// messages reach results from many places, and dump() throws on the first invalid byte.
void repair_utf8_strings(nlohmann::json& value);

}  // namespace autograder::criteria_detail
