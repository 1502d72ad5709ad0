#include "config/document_limits.hpp"

#include <cstddef>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "text/utf8.hpp"

namespace autograder::config_parsing {

namespace {

std::string too_deep(const ConfigLimits& limits) {
    return fmt::format("the document is nested deeper than {} levels", limits.max_depth);
}

std::string too_many(const ConfigLimits& limits) {
    return fmt::format("the document has more than {} values", limits.max_values);
}

// Thrown from inside the parser callback to abandon the parse early.
struct LimitExceeded {
    std::string message;
};

}  // namespace

std::optional<std::string> check_document_limits(const nlohmann::json& document, const ConfigLimits& limits) {
    // Depth-first walk with an explicit stack of (value, container depth).
    std::vector<std::pair<const nlohmann::json*, std::size_t>> pending{{&document, 0}};
    std::size_t values = 0;
    while (!pending.empty()) {
        auto [value, depth] = pending.back();
        pending.pop_back();
        if (++values > limits.max_values) return too_many(limits);
        if (!value->is_structured()) continue;
        const std::size_t inner_depth = depth + 1;
        if (inner_depth > limits.max_depth) return too_deep(limits);
        for (const auto& child : *value) pending.emplace_back(&child, inner_depth);
    }
    return std::nullopt;
}

nlohmann::json parse_limited_json(std::string_view text, const ConfigLimits& limits, std::string_view label) {
    auto fail = [&](std::string message) -> ConfigError {
        return ConfigError({{std::string(label), std::move(message)}});
    };
    if (text.size() > limits.max_text_bytes)
        throw fail(fmt::format("the document is larger than {} bytes", limits.max_text_bytes));

    std::size_t depth = 0;
    std::size_t values = 0;
    auto guard = [&](int /*parser_depth*/, nlohmann::json::parse_event_t event, nlohmann::json& /*parsed*/) {
        using Event = nlohmann::json::parse_event_t;
        if (event == Event::object_start || event == Event::array_start) {
            if (++depth > limits.max_depth) throw LimitExceeded{too_deep(limits)};
            if (++values > limits.max_values) throw LimitExceeded{too_many(limits)};
        } else if (event == Event::object_end || event == Event::array_end) {
            --depth;
        } else if (event == Event::value) {
            if (++values > limits.max_values) throw LimitExceeded{too_many(limits)};
        }
        return true;
    };
    try {
        return nlohmann::json::parse(text.begin(), text.end(), guard);
    } catch (const LimitExceeded& exceeded) {
        throw fail(exceeded.message);
    } catch (const nlohmann::json::exception& error) {
        // A syntax error, or a number too large for a double (out_of_range.406, "1e999"). The
        // message quotes the bytes where parsing stopped, which may be any bytes at all.
        throw fail(fmt::format("not valid JSON: {}", text::valid_utf8(error.what())));
    }
}

}  // namespace autograder::config_parsing
