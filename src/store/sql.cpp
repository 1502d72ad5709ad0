#include "store/sql.hpp"

#include <charconv>

#include <fmt/format.h>

namespace autograder::store {

int64_t SqlValue::integer() const {
    if (const auto* number = std::get_if<int64_t>(&value_)) return *number;
    if (const auto* real = std::get_if<double>(&value_)) return static_cast<int64_t>(*real);
    if (const auto* text = std::get_if<std::string>(&value_)) {
        int64_t number = 0;
        std::from_chars(text->data(), text->data() + text->size(), number);
        return number;
    }
    return 0;
}

double SqlValue::real() const {
    if (const auto* real = std::get_if<double>(&value_)) return *real;
    if (const auto* number = std::get_if<int64_t>(&value_)) return static_cast<double>(*number);
    if (const auto* text = std::get_if<std::string>(&value_)) return std::strtod(text->c_str(), nullptr);
    return 0;
}

std::string SqlValue::text() const {
    if (const auto* text = std::get_if<std::string>(&value_)) return *text;
    if (const auto* number = std::get_if<int64_t>(&value_)) return std::to_string(*number);
    if (const auto* real = std::get_if<double>(&value_)) return fmt::format("{}", *real);
    return {};
}

std::optional<std::string> SqlValue::optional_text() const {
    if (is_null()) return std::nullopt;
    return text();
}

}  // namespace autograder::store
