#include "templates/webdev/webdev_parameters.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "templates/localized.hpp"

namespace autograder::templates::webdev {
std::string tag_value(const ParameterReader& given, std::string_view name) {
    const std::string given_tag = given.required_text(name, ParameterReader::Empty::refused);
    std::string tag = given_tag;
    if (tag.size() >= 2 && tag.front() == '<' && tag.back() == '>') tag = tag.substr(1, tag.size() - 2);
    std::transform(tag.begin(), tag.end(), tag.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    bool valid = !tag.empty() &&
                 std::all_of(tag.begin(), tag.end(), [](unsigned char c) { return std::isalnum(c) || c == '-'; });
    if (!valid)
        throw std::invalid_argument(
            fmt::format("parameter '{}' must be a tag name such as \"nav\", not \"{}\"", name, given_tag));
    return tag;
}

double ratio_score(std::size_t found, int64_t required) {
    if (required <= 0) return 100;
    auto wanted = static_cast<uint64_t>(required);
    uint64_t have = std::min<uint64_t>(found, wanted);  // min(100, ...) first: no overflow below
    return static_cast<double>(have * 100 / wanted);
}

std::string lines_text(Locale locale, const std::vector<uint32_t>& lines, std::size_t limit) {
    if (lines.empty()) return {};
    std::vector<uint32_t> shown(lines.begin(),
                                lines.begin() + static_cast<std::ptrdiff_t>(std::min(limit, lines.size())));
    std::string text = lines.size() == 1 ? localized(locale, "line {}", fmt::join(shown, ", "))
                                         : localized(locale, "lines {}", fmt::join(shown, ", "));
    if (lines.size() > limit) text += ", ...";
    return text;
}

}  // namespace autograder::templates::webdev
