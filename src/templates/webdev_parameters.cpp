#include "templates/webdev_parameters.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "templates/localized.hpp"
#include "text/utf8.hpp"

namespace autograder::templates::webdev {
namespace {

const nlohmann::json& required(const TestSpec& spec, std::string_view name) {
    const nlohmann::json* value = spec.parameter(name);
    if (!value || value->is_null()) throw std::invalid_argument(fmt::format("missing parameter '{}'", name));
    return *value;
}

}  // namespace

std::string string_parameter(const TestSpec& spec, std::string_view name) {
    std::string value = string_parameter_allow_empty(spec, name);
    if (value.empty()) throw std::invalid_argument(fmt::format("parameter '{}' must not be empty", name));
    return value;
}

std::string string_parameter_allow_empty(const TestSpec& spec, std::string_view name) {
    const nlohmann::json& value = required(spec, name);
    if (!value.is_string()) throw std::invalid_argument(fmt::format("parameter '{}' must be a string", name));
    return value.get<std::string>();
}

std::optional<std::string> optional_string_parameter(const TestSpec& spec, std::string_view name) {
    const nlohmann::json* value = spec.parameter(name);
    if (!value || value->is_null()) return std::nullopt;
    return string_parameter(spec, name);
}

std::string tag_parameter(const TestSpec& spec, std::string_view name) {
    std::string tag = string_parameter(spec, name);
    if (tag.size() >= 2 && tag.front() == '<' && tag.back() == '>') tag = tag.substr(1, tag.size() - 2);
    std::transform(tag.begin(), tag.end(), tag.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    bool valid = !tag.empty() &&
                 std::all_of(tag.begin(), tag.end(), [](unsigned char c) { return std::isalnum(c) || c == '-'; });
    if (!valid)
        throw std::invalid_argument(fmt::format("parameter '{}' must be a tag name such as \"nav\", not \"{}\"", name,
                                                string_parameter(spec, name)));
    return tag;
}

int64_t integer_parameter(const TestSpec& spec, std::string_view name, int64_t minimum) {
    const nlohmann::json& value = required(spec, name);
    constexpr double kLimit = 1e15;  // far above any count, and exact as a double
    std::optional<int64_t> number;
    if (value.is_number_integer()) {
        number = value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(kLimit)
                     ? std::nullopt
                     : std::optional<int64_t>(value.get<int64_t>());
    } else if (value.is_number_float()) {
        double d = value.get<double>();
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) <= kLimit) number = static_cast<int64_t>(d);
    } else if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        std::size_t digits_from = !text.empty() && text[0] == '-' ? 1 : 0;
        bool digits = text.size() > digits_from && text.size() - digits_from <= 15 &&
                      std::all_of(text.begin() + static_cast<std::ptrdiff_t>(digits_from), text.end(),
                                  [](unsigned char c) { return std::isdigit(c); });
        if (digits) number = static_cast<int64_t>(std::stoll(text));
    }
    if (!number || std::llabs(*number) > static_cast<int64_t>(kLimit))
        throw std::invalid_argument(
            fmt::format("parameter '{}' must be a whole number, not {}", name, text::json_text(value)));
    if (*number < minimum)
        throw std::invalid_argument(fmt::format("parameter '{}' must be at least {}, not {}", name, minimum, *number));
    return *number;
}

std::vector<std::string> string_list_parameter(const TestSpec& spec, std::string_view name) {
    const nlohmann::json& value = required(spec, name);
    std::vector<std::string> list;
    auto add = [&](const nlohmann::json& item) {
        if (!item.is_string() || item.get_ref<const std::string&>().empty())
            throw std::invalid_argument(fmt::format("parameter '{}' must be a list of non-empty strings", name));
        list.push_back(item.get<std::string>());
    };
    if (value.is_array()) {
        for (const auto& item : value) add(item);
    } else {
        add(value);
    }
    if (list.empty()) throw std::invalid_argument(fmt::format("parameter '{}' must not be an empty list", name));
    return list;
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
