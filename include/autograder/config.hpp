// The grading configuration (docs/configuration.md): parsed and validated once,
// then immutable. Every struct here is a plain value: copy it or share it behind a
// std::shared_ptr<const GradingConfig>; reading it from many threads at once is safe.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace autograder {

// One problem found in a configuration document, located by the JSON path of the offending node,
// e.g. "criteria_config.base.subjects[1].tests[0].weight".
struct ConfigIssue {
    std::string path;
    std::string message;
};

// Thrown when a configuration is invalid. Carries every problem found, not only the first.
class ConfigError : public std::runtime_error {
public:
    explicit ConfigError(std::vector<ConfigIssue> issues);
    const std::vector<ConfigIssue>& issues() const noexcept { return issues_; }

private:
    std::vector<ConfigIssue> issues_;
};

// Who may see a test or subject in the student's feedback (Gradescope's vocabulary). Every test
// counts in the score whatever its visibility; only what the student is shown changes.
enum class Visibility {
    visible,         // default
    hidden,          // never shown to the student (name, inputs, expected output, report)
    after_due_date,  // shown to the student only once the due date has passed
};
std::string_view to_string(Visibility visibility);  // "visible", "hidden", "after_due_date"
std::optional<Visibility> visibility_from_string(std::string_view text);
// The stricter of the two: hidden > after_due_date > visible (a hidden subject hides its tests).
Visibility stricter(Visibility a, Visibility b);

// A test parameter: list form {"name": ..., "value": ...} or a flat key on the test object.
struct TestParameter {
    std::string name;
    nlohmann::json value;
    std::string path = {};  // JSON path of the value in the document; empty when built in code
};

// One test of the criteria tree (a leaf).
struct TestSpec {
    std::string name;                 // display name
    std::string type;                 // test-function key; equals `name` when the document has no "type"
    std::optional<std::string> file;  // target file; nullopt means all submission files ("all")
    double weight = 100;              // >= 0, as configured (balancing happens at grade time)
    // As configured on the test itself (enclosing subjects may hide it too).
    Visibility visibility = Visibility::visible;
    // List-form parameters first (document order), then flat ones (in key order). Names are unique.
    std::vector<TestParameter> parameters;
    // The first template (in GradingConfig::template_names order) that provides `type`; empty
    // when the parser was given no test catalog.
    std::string template_name;
    // JSON path of the test object in the document ("criteria_config.base.tests[2]"); empty when
    // the TestSpec was built in code.
    std::string path = {};

    // The parameter's value, or nullptr. The pointer lives as long as this TestSpec.
    const nlohmann::json* parameter(std::string_view parameter_name) const;
    // {"name": value, ...}
    nlohmann::json parameters_json() const;
};

// A category (base, bonus, penalty) or a subject: weighted children, nested to any depth.
struct CriteriaNode {
    std::string name;                       // subject_name, or "base" / "bonus" / "penalty" for a category
    double weight = 100;                    // 0-100, as configured
    std::optional<double> subjects_weight;  // 0-100; only meaningful with subjects and tests
    std::vector<CriteriaNode> subjects;
    std::vector<TestSpec> tests;
    // As configured; applies to everything below.
    Visibility visibility = Visibility::visible;
};

struct CriteriaConfig {
    CriteriaNode base;
    std::optional<CriteriaNode> bonus;
    std::optional<CriteriaNode> penalty;
};

struct SetupCommand {
    std::string name;     // the command itself when the document gives a plain string
    std::string command;  // argv-split by the runner, never shell-interpreted
};

struct SetupAsset {
    std::string source;  // relative to the assignment, no ".." component
    std::string target;  // path inside the sandbox
    bool read_only = true;
};

struct LanguageSetup {
    std::vector<std::string> required_files;
    std::vector<SetupCommand> setup_commands;
    std::vector<SetupAsset> assets;  // per-language assets, added to SetupConfig::assets
};

struct SetupConfig {
    std::map<std::string, LanguageSetup, std::less<>> languages;  // canonical language key
    std::vector<SetupAsset> assets;                               // for every language
};

struct OnlineContent {
    std::string url;
    std::string description;
    std::vector<std::string> linked_tests;  // test names (or test-function keys)
};

struct FeedbackConfig {
    struct General {
        std::optional<std::string> report_title;  // nullopt: the locale's default title
        bool show_score = true;
        bool show_passed_tests = false;
        bool add_report_summary = true;
        std::vector<OnlineContent> online_content;
    };
    struct DefaultReport {  // the "default" block: settings of the default Markdown report
        std::optional<std::string> base_header;
        std::optional<std::string> bonus_header;
        std::optional<std::string> penalty_header;
    };
    struct Ai {
        nlohmann::json provide_solutions;  // as configured (the reference uses strings or bools)
        std::string feedback_tone;
        std::string feedback_persona;
        std::string assignment_context;
        std::string extra_orientations;
        std::vector<std::string> submission_files_to_read;
    };
    General general;
    DefaultReport default_report;
    Ai ai;
};

// One entry of the "export" section: where a result goes once it is graded. Secrets never live
// here: the configuration names the environment variables that hold them.
struct ExporterConfig {
    enum class Kind { webhook, redis, file };
    Kind kind = Kind::file;
    // webhook: the URL (http or https); redis: the URL (redis://host[:port][/db]); file: the path
    // (relative paths are relative to PipelineOptions::assignment_directory, else the working
    // directory). Shown in results, so it holds no credentials.
    std::string target;
    std::string secret_env;    // webhook: the variable that holds the HMAC-SHA256 secret (required)
    std::string password_env;  // redis: the variable that holds the password (optional)
    std::string key_pattern = "user:{external_user_id}";  // redis: {name} is the submission's metadata.name
    std::string field = "score";                          // redis: the hash field that receives final_score
    // The whole delivery's budget, attempts and waits included: grading never waits longer.
    int timeout_ms = 10000;
    int max_attempts = 3;  // webhook and redis: 5xx and connection errors are tried again
    int backoff_ms = 500;  // the wait before the second attempt; doubled before each next one
};
std::string_view to_string(ExporterConfig::Kind kind);  // "webhook", "redis", "file"

// The "ai" section: the model that judges the tests of the "ai" template and writes the feedback of
// feedback_mode "ai", reached through any OpenAI-compatible chat-completions endpoint. Where it is
// and the key come from the environment (OPENAI_BASE_URL, OPENAI_API_KEY), never from the
// configuration: a configuration must not be able to send the key somewhere else.
struct AiConfig {
    std::string model = "gpt-4o-mini";
    // One request's budget, attempts and waits included: grading never waits longer for a request.
    int timeout_ms = 60000;
    int max_attempts = 3;   // 429 (after its Retry-After), 5xx, refused connections and time-outs are tried again
    int backoff_ms = 1000;  // the wait before the second attempt; doubled before each next one
    // Tokens one submission may spend, all its requests together (prompts and replies).
    int max_tokens = 16000;
    // What an AI-judged test scores when the model gave no usable verdict: 0, or it is left out
    // of the total (its weight goes to its siblings).
    enum class Fallback { zero, exclude };
    Fallback fallback = Fallback::zero;
    // Replies kept in memory by (model, request), so regrading an unchanged submission does not pay twice.
    bool cache = false;
};
std::string_view to_string(AiConfig::Fallback fallback);  // "zero", "exclude"

// "feedback_mode": the default Markdown report, or one written by the AI model (wrapped with the
// title and the final score; the default report when the model is unavailable).
enum class FeedbackMode { default_report, ai };
std::string_view to_string(FeedbackMode mode);  // "default", "ai"

struct GradingConfig {
    std::vector<std::string> template_names;  // searched in order for a test-function key
    CriteriaConfig criteria;
    std::vector<std::string> languages;  // canonical keys ("javascript" becomes "node"); first = default
    SetupConfig setup;
    FeedbackConfig feedback;
    bool include_feedback = true;
    // "time_budget": wall-clock seconds for all the runs of one submission together; a test that
    // starts after it is spent scores 0 ("the time budget ... was used up"), and no run lasts past
    // it. nullopt: no budget (each test still has its own limits).
    std::optional<double> time_budget_s;
    std::vector<ExporterConfig> exporters;  // the "export" section, in order
    FeedbackMode feedback_mode = FeedbackMode::default_report;
    AiConfig ai;  // the "ai" section
};

// What the parser knows about templates and languages; templates are registered elsewhere, so the
// caller supplies this. An unset function accepts everything it would check (test names are then
// not validated). The functions are called only during parsing; they must be safe to call
// concurrently when several configurations are parsed at once.
struct TestCatalog {
    std::function<bool(std::string_view template_name)> has_template;
    std::function<bool(std::string_view template_name, std::string_view test_key)> has_test;
    // Languages a host adds to the built-in python, java, node (alias javascript), cpp, c.
    std::function<bool(std::string_view language)> has_extra_language;

    // A catalog from a fixed table {template: {test keys}}; the table is copied into the functions.
    static TestCatalog from_table(std::map<std::string, std::set<std::string>, std::less<>> tests);
};

// Limits against hostile documents, checked before anything else is read.
struct ConfigLimits {
    std::size_t max_depth = 32;             // JSON nesting depth of the whole document
    std::size_t max_values = 10000;         // JSON values (objects, arrays, scalars) in the document
    std::size_t max_text_bytes = 4u << 20;  // for the text entry points
};

struct ParsedConfig {
    GradingConfig config;
    std::vector<ConfigIssue> warnings;  // e.g. unknown feedback keys; never fatal
};

// Parses the single grading configuration document (docs/configuration.md). Throws ConfigError with every problem.
ParsedConfig parse_grading_config(const nlohmann::json& document, const TestCatalog& catalog = {},
                                  const ConfigLimits& limits = {});
// The same from JSON text; a syntax error, or a document over the limits, is a ConfigError too.
ParsedConfig parse_grading_config_text(std::string_view text, const TestCatalog& catalog = {},
                                       const ConfigLimits& limits = {});

// The reference engine's separate documents. Paths in issues start with the document's file name,
// e.g. "criteria.json:base.tests[0].weight".
struct SeparateDocuments {
    nlohmann::json template_name;  // "a", "a,b" or ["a", "b"]
    nlohmann::json criteria;       // criteria.json: {"base": ..., "bonus": ..., "penalty": ...}
    nlohmann::json setup;          // setup.json, or null
    nlohmann::json feedback;       // feedback.json, or null
    nlohmann::json languages;      // optional list of language keys, or null
    bool include_feedback = true;
};
ParsedConfig parse_separate_documents(const SeparateDocuments& documents, const TestCatalog& catalog = {},
                                      const ConfigLimits& limits = {});

// "javascript" -> "node"; other names unchanged.
std::string canonical_language(std::string_view language);

}  // namespace autograder
