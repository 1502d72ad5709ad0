// The public entry points: the single document (docs/configuration.md), and the reference's separate documents.
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "config/document_limits.hpp"
#include "config/section_parsers.hpp"
#include "config/value_readers.hpp"

namespace autograder {

namespace config_parsing {

namespace {

constexpr std::string_view kBuiltInLanguages[] = {"python", "java", "node", "cpp", "c"};

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

}  // namespace

bool is_known_language(std::string_view language, const TestCatalog& catalog) {
    if (std::find(std::begin(kBuiltInLanguages), std::end(kBuiltInLanguages), language) != std::end(kBuiltInLanguages))
        return true;
    return catalog.has_extra_language && catalog.has_extra_language(language);
}

std::vector<std::string> parse_template_names(const nlohmann::json& value, const JsonPath& path,
                                              const TestCatalog& catalog, IssueList& issues) {
    // Each candidate with the path it came from.
    std::vector<std::pair<std::string, JsonPath>> candidates;
    if (value.is_string()) {
        const auto text = value.get<std::string>();
        std::size_t start = 0;
        while (true) {
            const auto comma = text.find(',', start);
            const auto piece =
                std::string_view(text).substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            candidates.emplace_back(trimmed(piece), path);
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (auto name = read_string(value[i], path.index(i), issues))
                candidates.emplace_back(trimmed(*name), path.index(i));
        }
        if (value.empty()) issues.error(path, "at least one template is required");
    } else {
        issues.error(
            path, fmt::format("expected a template name, \"a,b\" or a list of names, found {}", describe_type(value)));
        return {};
    }

    std::vector<std::string> names;
    for (auto& [name, where] : candidates) {
        if (name.empty()) {
            issues.error(where, "empty template name");
        } else if (catalog.has_template && !catalog.has_template(name)) {
            issues.error(where, fmt::format("unknown template '{}'", name));
        } else if (std::find(names.begin(), names.end(), name) != names.end()) {
            issues.warning(where, fmt::format("template '{}' is listed twice", name));
        } else {
            names.push_back(std::move(name));
        }
    }
    return names;
}

std::vector<std::string> parse_languages(const nlohmann::json& value, const JsonPath& path, const TestCatalog& catalog,
                                         IssueList& issues) {
    std::vector<std::string> languages;
    if (value.is_null()) return languages;
    auto given = value.is_string() ? nlohmann::json::array({value}) : value;
    if (!given.is_array()) {
        issues.error(path, fmt::format("expected a list of languages, found {}", describe_type(value)));
        return languages;
    }
    for (std::size_t i = 0; i < given.size(); ++i) {
        const auto where = value.is_string() ? path : path.index(i);
        auto name = read_non_empty_string(given[i], where, issues);
        if (!name) continue;
        auto language = canonical_language(*name);
        if (!is_known_language(language, catalog)) {
            issues.error(where, fmt::format("unknown language '{}'", *name));
        } else if (std::find(languages.begin(), languages.end(), language) != languages.end()) {
            issues.warning(where, fmt::format("language '{}' is listed twice", language));
        } else {
            languages.push_back(std::move(language));
        }
    }
    return languages;
}

namespace {

// Labels and paths of the sections, which differ between the single and the separate documents.
struct SectionPaths {
    JsonPath template_name, languages, criteria, setup, feedback;
    JsonPath exporters;
    JsonPath ai, feedback_mode;
};

struct Sections {
    const nlohmann::json* template_name = nullptr;
    const nlohmann::json* languages = nullptr;
    const nlohmann::json* criteria = nullptr;
    const nlohmann::json* setup = nullptr;
    const nlohmann::json* feedback = nullptr;
    const nlohmann::json* exporters = nullptr;
    const nlohmann::json* ai = nullptr;
    const nlohmann::json* feedback_mode = nullptr;
    bool include_feedback = true;
};

ParsedConfig parse_sections(const Sections& sections, const SectionPaths& paths, const TestCatalog& catalog,
                            IssueList& issues) {
    ParsedConfig parsed;
    GradingConfig& config = parsed.config;
    config.include_feedback = sections.include_feedback;

    if (sections.template_name == nullptr || sections.template_name->is_null())
        issues.error(paths.template_name, "a template name is required");
    else
        config.template_names = parse_template_names(*sections.template_name, paths.template_name, catalog, issues);

    if (sections.languages != nullptr)
        config.languages = parse_languages(*sections.languages, paths.languages, catalog, issues);

    if (sections.criteria == nullptr || sections.criteria->is_null())
        issues.error(paths.criteria, "the criteria are required");
    else
        config.criteria = parse_criteria(*sections.criteria, paths.criteria, catalog, config.template_names, issues);

    if (sections.setup != nullptr && !sections.setup->is_null()) {
        config.setup = parse_setup(*sections.setup, paths.setup, catalog, issues);
        if (!config.languages.empty()) {
            for (const auto& [language, ignored] : config.setup.languages)
                if (std::find(config.languages.begin(), config.languages.end(), language) == config.languages.end())
                    issues.warning(paths.setup.key(language),
                                   fmt::format("'{}' is not in languages; this setup is never used", language));
        }
    }
    if (sections.feedback != nullptr && !sections.feedback->is_null())
        config.feedback = parse_feedback(*sections.feedback, paths.feedback, issues);
    if (sections.exporters != nullptr && !sections.exporters->is_null())
        config.exporters = parse_export(*sections.exporters, paths.exporters, issues);
    if (sections.ai != nullptr && !sections.ai->is_null()) config.ai = parse_ai_section(*sections.ai, paths.ai, issues);
    if (sections.feedback_mode != nullptr && !sections.feedback_mode->is_null())
        if (auto mode = parse_feedback_mode(*sections.feedback_mode, paths.feedback_mode, issues))
            config.feedback_mode = *mode;

    if (issues.has_errors()) throw ConfigError(std::move(issues.errors()));
    parsed.warnings = std::move(issues.warnings());
    return parsed;
}

const nlohmann::json* member(const nlohmann::json& object, std::string_view key) {
    auto found = object.find(key);
    return found == object.end() ? nullptr : &*found;
}

void enforce_limits(const nlohmann::json& document, const ConfigLimits& limits, std::string_view label) {
    if (auto exceeded = check_document_limits(document, limits))
        throw ConfigError({{std::string(label), std::move(*exceeded)}});
}

}  // namespace

}  // namespace config_parsing

using config_parsing::IssueList;
using config_parsing::JsonPath;

ParsedConfig parse_grading_config(const nlohmann::json& document, const TestCatalog& catalog,
                                  const ConfigLimits& limits) {
    config_parsing::enforce_limits(document, limits, "$");
    IssueList issues;
    const JsonPath root;
    if (!config_parsing::expect_object(document, root, issues)) throw ConfigError(std::move(issues.errors()));

    static const std::set<std::string, std::less<>> kKnownKeys = {
        "template_name",    "criteria_config", "languages", "setup_config", "feedback_config",
        "include_feedback", "time_budget",     "export",    "ai",           "feedback_mode"};
    for (const auto& [key, ignored] : document.items())
        if (kKnownKeys.count(key) == 0) issues.warning(root.key(key), fmt::format("unknown key '{}' is ignored", key));

    config_parsing::Sections sections;
    sections.template_name = config_parsing::member(document, "template_name");
    sections.languages = config_parsing::member(document, "languages");
    sections.criteria = config_parsing::member(document, "criteria_config");
    sections.setup = config_parsing::member(document, "setup_config");
    sections.feedback = config_parsing::member(document, "feedback_config");
    sections.exporters = config_parsing::member(document, "export");
    sections.ai = config_parsing::member(document, "ai");
    sections.feedback_mode = config_parsing::member(document, "feedback_mode");
    if (const auto* include = config_parsing::member(document, "include_feedback")) {
        if (auto flag = config_parsing::read_bool(*include, root.key("include_feedback"), issues))
            sections.include_feedback = *flag;
    }
    std::optional<double> time_budget;
    if (const auto* budget = config_parsing::member(document, "time_budget"); budget && !budget->is_null()) {
        // Seconds for every run of one submission together: above 0, at most an hour.
        if (!budget->is_number() || !std::isfinite(budget->get<double>()) || !(budget->get<double>() > 0) ||
            budget->get<double>() > 3600)
            issues.error(root.key("time_budget"),
                         fmt::format("must be a number of seconds above 0 and at most 3600, not {}", budget->dump()));
        else
            time_budget = budget->get<double>();
    }
    const config_parsing::SectionPaths paths{root.key("template_name"),
                                             root.key("languages"),
                                             root.key("criteria_config"),
                                             root.key("setup_config"),
                                             root.key("feedback_config"),
                                             root.key("export"),
                                             root.key("ai"),
                                             root.key("feedback_mode")};
    ParsedConfig parsed = config_parsing::parse_sections(sections, paths, catalog, issues);
    parsed.config.time_budget_s = time_budget;
    return parsed;
}

ParsedConfig parse_grading_config_text(std::string_view text, const TestCatalog& catalog, const ConfigLimits& limits) {
    return parse_grading_config(config_parsing::parse_limited_json(text, limits, "$"), catalog, limits);
}

ParsedConfig parse_separate_documents(const SeparateDocuments& documents, const TestCatalog& catalog,
                                      const ConfigLimits& limits) {
    config_parsing::enforce_limits(documents.criteria, limits, "criteria.json");
    config_parsing::enforce_limits(documents.setup, limits, "setup.json");
    config_parsing::enforce_limits(documents.feedback, limits, "feedback.json");
    config_parsing::enforce_limits(documents.template_name, limits, "template_name");
    config_parsing::enforce_limits(documents.languages, limits, "languages");

    IssueList issues;
    config_parsing::Sections sections;
    sections.template_name = &documents.template_name;
    sections.languages = &documents.languages;
    sections.criteria = &documents.criteria;
    sections.setup = &documents.setup;
    sections.feedback = &documents.feedback;
    sections.include_feedback = documents.include_feedback;
    const config_parsing::SectionPaths paths{JsonPath("template_name"),
                                             JsonPath("languages"),
                                             JsonPath("criteria.json:"),
                                             JsonPath("setup.json:"),
                                             JsonPath("feedback.json:"),
                                             JsonPath("export"),
                                             JsonPath("ai"),
                                             JsonPath("feedback_mode")};
    return config_parsing::parse_sections(sections, paths, catalog, issues);
}

}  // namespace autograder
