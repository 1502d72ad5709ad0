// Parses the "ai" section (the model and how to reach it) and "feedback_mode". Each setting is
// checked whole: a misspelt key is an error, never a silent default that spends a school's tokens.
#include <fmt/format.h>

#include "config/section_parsers.hpp"
#include "config/value_readers.hpp"

namespace autograder {

std::string_view to_string(AiConfig::Fallback fallback) {
    return fallback == AiConfig::Fallback::exclude ? "exclude" : "zero";
}

std::string_view to_string(FeedbackMode mode) {
    return mode == FeedbackMode::ai ? "ai" : "default";
}

namespace config_parsing {

namespace {
constexpr std::size_t kMaxModelNameBytes = 256;
}

AiConfig parse_ai_section(const nlohmann::json& section, const JsonPath& path, IssueList& issues) {
    AiConfig ai;
    if (!expect_object(section, path, issues)) return ai;
    for (const auto& [key, value] : section.items()) {
        const auto where = path.key(key);
        if (key == "model") {
            if (auto model = read_non_empty_string(value, where, issues)) {
                if (model->size() > kMaxModelNameBytes)
                    issues.error(where, fmt::format("longer than {} bytes", kMaxModelNameBytes));
                else
                    ai.model = std::move(*model);
            }
        } else if (key == "timeout_ms") {
            if (auto number = read_bounded_int(value, where, 1, 600000, issues)) ai.timeout_ms = *number;
        } else if (key == "max_attempts") {
            if (auto number = read_bounded_int(value, where, 1, 10, issues)) ai.max_attempts = *number;
        } else if (key == "backoff_ms") {
            if (auto number = read_bounded_int(value, where, 0, 60000, issues)) ai.backoff_ms = *number;
        } else if (key == "max_tokens") {
            if (auto number = read_bounded_int(value, where, 100, 2000000, issues)) ai.max_tokens = *number;
        } else if (key == "fallback") {
            if (auto text = read_string(value, where, issues)) {
                if (*text == "zero")
                    ai.fallback = AiConfig::Fallback::zero;
                else if (*text == "exclude")
                    ai.fallback = AiConfig::Fallback::exclude;
                else
                    issues.error(where, fmt::format("expected \"zero\" or \"exclude\", found \"{}\"", *text));
            }
        } else if (key == "cache") {
            if (auto flag = read_bool(value, where, issues)) ai.cache = *flag;
        } else {
            issues.error(where, fmt::format("unknown key '{}' (expected model, timeout_ms, max_attempts, backoff_ms, "
                                            "max_tokens, fallback or cache)",
                                            key));
        }
    }
    return ai;
}

std::optional<FeedbackMode> parse_feedback_mode(const nlohmann::json& value, const JsonPath& path, IssueList& issues) {
    auto text = read_string(value, path, issues);
    if (!text) return std::nullopt;
    if (*text == "default") return FeedbackMode::default_report;
    if (*text == "ai") return FeedbackMode::ai;
    issues.error(path, fmt::format("expected \"default\" or \"ai\", found \"{}\"", *text));
    return std::nullopt;
}

}  // namespace config_parsing
}  // namespace autograder
