// Putting text into Markdown without letting it change the document's structure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace autograder::feedback_detail {

// A fenced code block holding `text` verbatim (line endings normalised, control characters other
// than tab replaced). The fence is longer than any run of backticks inside, so nothing in the text
// can close it. Ends with a newline.
std::string fenced_block(std::string_view text);

// An inline code span holding `text` on one line; its delimiter is longer than any backtick run.
std::string inline_code(std::string_view text);

// Teacher-written text (titles, test names, descriptions) on one line, with the characters that
// would start emphasis, links, HTML or code backslash-escaped.
std::string escaped_inline(std::string_view text);

// A link destination in <...> form, with characters that would end it percent-encoded.
std::string link_destination(std::string_view url);

}  // namespace autograder::feedback_detail
