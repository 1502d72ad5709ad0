// Parses feedback_config (docs/configuration.md, "Feedback"). Unknown keys are warnings, never errors (**fix** of the
// reference, which crashes on them); a known key with a wrong type is an error.
#include <fmt/format.h>

#include "config/section_parsers.hpp"
#include "config/value_readers.hpp"

namespace autograder::config_parsing {

namespace {

void warn_unknown(const JsonPath& path, const std::string& key, IssueList& issues) {
    issues.warning(path.key(key), fmt::format("unknown feedback key '{}' is ignored", key));
}

void read_text_into(const nlohmann::json& value, const JsonPath& path, IssueList& issues, std::string& target) {
    if (auto text = read_string(value, path, issues)) target = std::move(*text);
}

void read_flag_into(const nlohmann::json& value, const JsonPath& path, IssueList& issues, bool& target) {
    if (auto flag = read_bool(value, path, issues)) target = *flag;
}

std::vector<OnlineContent> parse_online_content(const nlohmann::json& value, const JsonPath& path, IssueList& issues) {
    std::vector<OnlineContent> contents;
    if (!value.is_array()) {
        issues.error(path, fmt::format("expected a list, found {}", describe_type(value)));
        return contents;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto& entry = value[i];
        const auto entry_path = path.index(i);
        if (!expect_object(entry, entry_path, issues)) continue;
        OnlineContent content;
        bool valid = true;
        for (const auto& [key, field] : entry.items()) {
            const auto field_path = entry_path.key(key);
            if (key == "url") {
                auto url = read_non_empty_string(field, field_path, issues);
                valid = valid && url.has_value();
                if (url) content.url = std::move(*url);
            } else if (key == "description") {
                read_text_into(field, field_path, issues, content.description);
            } else if (key == "linked_tests") {
                auto tests = read_string_list(field, field_path, issues);
                if (tests) content.linked_tests = std::move(*tests);
            } else {
                warn_unknown(entry_path, key, issues);
            }
        }
        if (!entry.contains("url")) {
            issues.error(entry_path, "an online content entry needs a 'url'");
            valid = false;
        }
        if (valid) contents.push_back(std::move(content));
    }
    return contents;
}

FeedbackConfig::General parse_general(const nlohmann::json& value, const JsonPath& path, IssueList& issues) {
    FeedbackConfig::General general;
    if (!expect_object(value, path, issues)) return general;
    for (const auto& [key, field] : value.items()) {
        const auto field_path = path.key(key);
        if (key == "report_title") {
            if (auto title = read_string(field, field_path, issues)) general.report_title = *title;
        } else if (key == "show_score") {
            read_flag_into(field, field_path, issues, general.show_score);
        } else if (key == "show_passed_tests") {
            read_flag_into(field, field_path, issues, general.show_passed_tests);
        } else if (key == "add_report_summary") {
            read_flag_into(field, field_path, issues, general.add_report_summary);
        } else if (key == "online_content") {
            general.online_content = parse_online_content(field, field_path, issues);
        } else {
            warn_unknown(path, key, issues);
        }
    }
    return general;
}

FeedbackConfig::DefaultReport parse_default(const nlohmann::json& value, const JsonPath& path, IssueList& issues) {
    FeedbackConfig::DefaultReport report;
    if (!expect_object(value, path, issues)) return report;
    for (const auto& [key, field] : value.items()) {
        if (key != "category_headers") {
            warn_unknown(path, key, issues);
            continue;
        }
        const auto headers_path = path.key(key);
        if (!expect_object(field, headers_path, issues)) continue;
        for (const auto& [category, header] : field.items()) {
            const auto header_path = headers_path.key(category);
            std::optional<std::string>* target = category == "base"      ? &report.base_header
                                                 : category == "bonus"   ? &report.bonus_header
                                                 : category == "penalty" ? &report.penalty_header
                                                                         : nullptr;
            if (target == nullptr) {
                warn_unknown(headers_path, category, issues);
                continue;
            }
            if (auto text = read_string(header, header_path, issues)) *target = std::move(*text);
        }
    }
    return report;
}

FeedbackConfig::Ai parse_ai(const nlohmann::json& value, const JsonPath& path, IssueList& issues) {
    FeedbackConfig::Ai ai;
    if (!expect_object(value, path, issues)) return ai;
    for (const auto& [key, field] : value.items()) {
        const auto field_path = path.key(key);
        if (key == "provide_solutions") {
            if (field.is_boolean() || field.is_string()) {
                ai.provide_solutions = field;
                if (field.is_string() && field != "none" && field != "hint" && field != "full")
                    issues.warning(field_path, fmt::format("expected \"none\", \"hint\" or \"full\" (or true/false), "
                                                           "found {}; AI feedback treats it as \"hint\"",
                                                           field.dump()));
            } else
                issues.error(field_path,
                             fmt::format("expected a string or true/false, found {}", describe_type(field)));
        } else if (key == "feedback_tone") {
            read_text_into(field, field_path, issues, ai.feedback_tone);
        } else if (key == "feedback_persona") {
            read_text_into(field, field_path, issues, ai.feedback_persona);
        } else if (key == "assignment_context") {
            read_text_into(field, field_path, issues, ai.assignment_context);
        } else if (key == "extra_orientations") {
            read_text_into(field, field_path, issues, ai.extra_orientations);
        } else if (key == "submission_files_to_read") {
            if (auto files = read_string_list(field, field_path, issues))
                ai.submission_files_to_read = std::move(*files);
        } else {
            warn_unknown(path, key, issues);
        }
    }
    return ai;
}

}  // namespace

FeedbackConfig parse_feedback(const nlohmann::json& feedback, const JsonPath& path, IssueList& issues) {
    FeedbackConfig config;
    if (!expect_object(feedback, path, issues)) return config;
    for (const auto& [key, value] : feedback.items()) {
        if (key == "general")
            config.general = parse_general(value, path.key(key), issues);
        else if (key == "default")
            config.default_report = parse_default(value, path.key(key), issues);
        else if (key == "ai")
            config.ai = parse_ai(value, path.key(key), issues);
        else
            warn_unknown(path, key, issues);
    }
    return config;
}

}  // namespace autograder::config_parsing
