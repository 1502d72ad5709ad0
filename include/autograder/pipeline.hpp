// The grading pipeline: a configuration and a submission in; a score, a result tree, a focus
// ranking and a feedback report out (docs/configuration.md describes the configuration).
//
//   LOAD_TEMPLATE → BUILD_TREE → SANDBOX → PRE_FLIGHT → AI_BATCH → STRUCTURAL_ANALYSIS → GRADE
//   → FOCUS → FEEDBACK → EXPORT
//
// Each step appends a StepResult to the PipelineExecution (the audit trail). A step that fails
// stops the pipeline (FAILED); an exception escaping a step gives INTERRUPTED; the sandbox is
// released whatever happened. Steps are present only when the configuration needs them (no
// SANDBOX without a test that runs code, no AI_BATCH without a test the AI model judges, no
// FEEDBACK when include_feedback is false). A Pipeline is immutable once made: one object grades
// many submissions, from many threads at once.
//
// EXPORT (present when the configuration has an "export" section) comes last and sees the
// finished result: it also runs after a step FAILED (the gradebook hears of a submission that does
// not compile), not after INTERRUPTED. An exporter's failure is reported in the step's message and
// in GradingResult::exports; it never changes the score or the status.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograder/config.hpp"
#include "autograder/criteria.hpp"
#include "autograder/execute.hpp"
#include "autograder/export.hpp"
#include "autograder/feedback.hpp"
#include "autograder/languages.hpp"
#include "autograder/sandbox_pool.hpp"
#include "autograder/templates.hpp"

namespace autograder {

namespace ai {
struct SubmissionAi;  // internal: the AI model's verdicts and the tokens spent on one submission
}
namespace analysis {
class SubmissionTrees;  // internal: the parsed files of one submission
}
namespace exporting {
class ExportStep;  // internal: the exporters of the "export" section
}
namespace steps {
class Step;  // internal: the built-in steps
}

struct Submission {
    std::vector<SourceFile> files;
    std::string language;  // a language key or alias; empty: the configuration's first language
    nlohmann::json metadata = nlohmann::json::object();
};

enum class PipelineStatus { empty, running, success, failed, interrupted };
std::string_view to_string(PipelineStatus status);  // "EMPTY", "RUNNING", "SUCCESS", ...

struct StepResult {
    std::string name;       // "PRE_FLIGHT"
    PipelineStatus status;  // success, failed or interrupted
    std::string message;
    double duration_ms = 0;
    nlohmann::json error_details;  // null, or what the step says about its failure
    nlohmann::json to_json() const;
};

// What a step returns; an exception counts as INTERRUPTED.
struct StepOutcome {
    bool ok = true;
    std::string message;
    nlohmann::json details;
    static StepOutcome success(std::string message = {}) { return {true, std::move(message), nullptr}; }
    static StepOutcome failure(std::string message, nlohmann::json details = nullptr) {
        return {false, std::move(message), std::move(details)};
    }
};

class Pipeline;

// The state of one grading: the audit trail and what steps hand to each other. Made by
// Pipeline::grade for each submission and never shared between threads.
class PipelineExecution {
public:
    PipelineExecution(const Pipeline& pipeline, const Submission& submission);

    const Pipeline& pipeline;
    const Submission& submission;
    const Language* language = nullptr;  // the submission's language in the language table
    std::string language_key;            // its canonical key in the configuration ("node")

    PipelineStatus status = PipelineStatus::empty;
    std::optional<std::string> failed_at_step;
    // When the grading began: the configuration's time_budget counts from here.
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::vector<StepResult> steps;

    // Filled by the steps, in order.
    std::vector<const TestFunction*> functions;                     // LOAD_TEMPLATE: one per tree test
    std::optional<SandboxPool::Lease> sandbox;                      // SANDBOX
    std::string preflight_report;                                   // PRE_FLIGHT, Markdown, when it failed
    std::shared_ptr<ai::SubmissionAi> ai;                           // AI_BATCH (or FEEDBACK in mode "ai")
    std::shared_ptr<const analysis::SubmissionTrees> syntax_trees;  // STRUCTURAL_ANALYSIS
    std::vector<TestOutcome> outcomes;                              // GRADE
    std::optional<ResultTree> result;                               // GRADE
    std::optional<Focus> focus;                                     // FOCUS
    std::string feedback;                                           // FEEDBACK (or PRE_FLIGHT's report)
    std::string feedback_after_due_date;                            // FEEDBACK, when it differs
    std::string teacher_feedback;                                   // FEEDBACK, when it differs
    nlohmann::json host_data = nlohmann::json::object();            // for host steps

    Sandbox* sandbox_or_null() { return sandbox ? &**sandbox : nullptr; }
};

// A host's step (PipelineOptions::extra_steps): it reads the grading so far, read-only, and
// writes only its own data, `host_data` (the GradingResult's host_data at the end).
class HostStep {
public:
    virtual ~HostStep() = default;
    virtual std::string name() const = 0;
    // Called from many threads at once (one grading each): keep state in host_data.
    virtual StepOutcome run(const PipelineExecution& execution, nlohmann::json& host_data) const = 0;
};

struct GradingResult {
    PipelineStatus status = PipelineStatus::empty;
    std::optional<std::string> failed_at_step;
    // When the grading began: the configuration's time_budget counts from here.
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    double final_score = 0;
    std::optional<ResultTree> result_tree;
    Focus focus;
    ScoreVector score_vector;
    // The Markdown feedback, per audience: `feedback` is the student's (hidden and after_due_date
    // tests left out), `feedback_after_due_date` the student's once the due date has passed (hidden
    // tests left out), `teacher_feedback` shows every test. Without such tests all three are equal.
    std::string feedback;
    std::string feedback_after_due_date;
    std::string teacher_feedback;
    std::vector<StepResult> steps;
    double execution_time_ms = 0;
    // What host steps left in PipelineExecution::host_data.
    nlohmann::json host_data = nlohmann::json::object();
    // One per exporter of the "export" section, in order (empty without one).
    std::vector<ExportOutcome> exports;

    const std::string& feedback_for(Audience audience) const;
    // {status, failed_at_step, final_score, result_tree, focus, score_vector, feedback,
    //  pipeline: {status, failed_at_step, steps: [...], execution_time_ms}, host_data,
    //  exports: [{kind, target, ok, attempts, message}] (only when the EXPORT step ran)}, as
    // `audience` may see it. The teacher's (the default) holds everything, with each test's
    // "visibility" and, when it differs, the student's Markdown as "student_feedback"; a student's
    // leaves out the tests it may not see from result_tree, focus, score_vector and feedback (they
    // still count in final_score; result_tree.summary.hidden says how many there are).
    nlohmann::json to_json(Audience audience = Audience::teacher) const;
    // What to show a student: to_json(Audience::student), or student_after_due_date.
    nlohmann::json to_student_json(bool after_due_date = false) const;
};

struct PipelineOptions {
    TemplateRegistry templates = TemplateRegistry::with_defaults();
    LanguageTable languages = LanguageTable::defaults();
    // Where sandboxes come from; nullptr: the pipeline makes a pool of its own.
    std::shared_ptr<SandboxPool> pool;
    std::chrono::milliseconds sandbox_timeout = std::chrono::seconds(120);
    Locale locale = Locale::en;
    // Host directory that asset sources (setup_config.assets[].source) are relative to.
    std::string assignment_directory;
    // Host steps, each inserted after the named built-in step (or at the end when not found).
    struct ExtraStep {
        std::string after;
        std::shared_ptr<const HostStep> step;
    };
    std::vector<ExtraStep> extra_steps;
};

class Pipeline {
public:
    // Parses and validates the configuration document (docs/configuration.md) against the
    // registered templates: the structure, the weights, and every test's parameters (required,
    // type, choices, unknown keys, assignment files that must exist under assignment_directory).
    // Throws ConfigError listing every problem with its JSON path.
    static std::shared_ptr<const Pipeline> create(const nlohmann::json& document, PipelineOptions options = {});
    static std::shared_ptr<const Pipeline> create(GradingConfig config, PipelineOptions options = {});

    // Grades one submission. Thread-safe; never throws for anything the submission does.
    GradingResult grade(const Submission& submission) const;

    std::vector<std::string> step_names() const;
    const GradingConfig& config() const { return config_; }
    const CriteriaTree& tree() const { return tree_; }
    const PipelineOptions& options() const { return options_; }
    SandboxPool& pool() const { return *pool_; }
    std::vector<ConfigIssue> warnings() const { return warnings_; }

private:
    Pipeline(GradingConfig config, std::vector<ConfigIssue> warnings, PipelineOptions options);
    GradingConfig config_;
    std::vector<ConfigIssue> warnings_;
    PipelineOptions options_;
    CriteriaTree tree_;
    std::shared_ptr<SandboxPool> pool_;
    std::vector<std::shared_ptr<const steps::Step>> steps_;
    std::shared_ptr<const exporting::ExportStep> export_step_;  // null without an "export" section
};

}  // namespace autograder
