// Parsers of the sections of a grading configuration. Each reports every problem it finds into the
// IssueList and returns what it could read; the caller throws when there are errors.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograder/config.hpp"
#include "config/issue_list.hpp"
#include "config/json_path.hpp"

namespace autograder::config_parsing {

// criteria_config. `template_names` are searched in order for each test-function key.
CriteriaConfig parse_criteria(const nlohmann::json& criteria, const JsonPath& path, const TestCatalog& catalog,
                              const std::vector<std::string>& template_names, IssueList& issues);

// setup_config.
SetupConfig parse_setup(const nlohmann::json& setup, const JsonPath& path, const TestCatalog& catalog,
                        IssueList& issues);

// feedback_config. Unknown keys are warnings.
FeedbackConfig parse_feedback(const nlohmann::json& feedback, const JsonPath& path, IssueList& issues);

// "export": a list of webhook, redis and file exporters.
std::vector<ExporterConfig> parse_export(const nlohmann::json& section, const JsonPath& path, IssueList& issues);

// "ai": the model of the ai template and of feedback_mode "ai". Unknown keys are errors.
AiConfig parse_ai_section(const nlohmann::json& section, const JsonPath& path, IssueList& issues);

// "feedback_mode": "default" or "ai".
std::optional<FeedbackMode> parse_feedback_mode(const nlohmann::json& value, const JsonPath& path, IssueList& issues);

// "template_name": "a", "a,b" or ["a", "b"].
std::vector<std::string> parse_template_names(const nlohmann::json& value, const JsonPath& path,
                                              const TestCatalog& catalog, IssueList& issues);

// "languages": canonical keys, in order, without duplicates.
std::vector<std::string> parse_languages(const nlohmann::json& value, const JsonPath& path, const TestCatalog& catalog,
                                         IssueList& issues);

// True for the built-in languages and for those the catalog adds; `language` must be canonical.
bool is_known_language(std::string_view language, const TestCatalog& catalog);

}  // namespace autograder::config_parsing
