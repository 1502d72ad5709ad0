#include "feedback/markdown_text.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace autograder::feedback_detail {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

std::size_t longest_backtick_run(std::string_view text) {
    std::size_t longest = 0;
    std::size_t current = 0;
    for (char c : text) {
        current = c == '`' ? current + 1 : 0;
        longest = std::max(longest, current);
    }
    return longest;
}

bool is_control(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
}

// CRLF and CR become LF; other control characters except tab and LF become U+FFFD.
std::string normalised_lines(std::string_view text) {
    std::string lines;
    lines.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\r') {
            lines += '\n';
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else if (c == '\n' || c == '\t' || !is_control(c)) {
            lines += c;
        } else {
            lines += kReplacement;
        }
    }
    return lines;
}

// Line breaks and other control characters become spaces.
std::string one_line(std::string_view text) {
    std::string line(text);
    std::replace_if(line.begin(), line.end(), is_control, ' ');
    return line;
}

}  // namespace

std::string fenced_block(std::string_view text) {
    std::string body = normalised_lines(text);
    if (body.empty() || body.back() != '\n') body += '\n';
    const std::string fence(std::max<std::size_t>(3, longest_backtick_run(body) + 1), '`');
    return fence + "text\n" + body + fence + "\n";
}

std::string inline_code(std::string_view text) {
    const std::string content = one_line(text);
    const std::string delimiter(longest_backtick_run(content) + 1, '`');
    // A span that starts or ends with a backtick needs a space of padding (CommonMark strips one
    // space on each side), and so does one that starts and ends with a space.
    const bool pad = !content.empty() && (content.front() == '`' || content.back() == '`' ||
                                          (content.front() == ' ' && content.back() == ' '));
    const std::string padding = pad ? " " : "";
    return delimiter + padding + content + padding + delimiter;
}

std::string escaped_inline(std::string_view text) {
    std::string escaped;
    escaped.reserve(text.size());
    for (char c : one_line(text)) {
        if (std::string_view("\\`*_[]<>|~!#&").find(c) != std::string_view::npos) escaped += '\\';
        escaped += c;
    }
    return escaped;
}

std::string link_destination(std::string_view url) {
    std::string destination = "<";
    for (char c : url) {
        if (c == '<' || c == '>' || c == ' ' || c == '\\' || is_control(c))
            destination += fmt::format("%{:02X}", static_cast<unsigned char>(c));
        else
            destination += c;
    }
    destination += '>';
    return destination;
}

}  // namespace autograder::feedback_detail
