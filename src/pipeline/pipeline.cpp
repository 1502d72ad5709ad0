#include "autograder/pipeline.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "ai/chat_client.hpp"
#include "export/export_step.hpp"
#include "steps/steps.hpp"
#include "text/utf8.hpp"

namespace autograder {

using Clock = std::chrono::steady_clock;

std::string_view to_string(PipelineStatus status) {
    switch (status) {
        case PipelineStatus::empty:
            return "EMPTY";
        case PipelineStatus::running:
            return "RUNNING";
        case PipelineStatus::success:
            return "SUCCESS";
        case PipelineStatus::failed:
            return "FAILED";
        case PipelineStatus::interrupted:
            return "INTERRUPTED";
    }
    return "EMPTY";
}

nlohmann::json StepResult::to_json() const {
    nlohmann::json json{
        {"name", name}, {"status", to_string(status)}, {"message", message}, {"duration_ms", duration_ms}};
    if (!error_details.is_null()) json["error_details"] = error_details;
    text::make_valid_utf8(json);
    return json;
}

const std::string& GradingResult::feedback_for(Audience audience) const {
    switch (audience) {
        case Audience::teacher:
            return teacher_feedback;
        case Audience::student_after_due_date:
            return feedback_after_due_date;
        case Audience::student:
            return feedback;
    }
    return feedback;
}

nlohmann::json GradingResult::to_student_json(bool after_due_date) const {
    return to_json(after_due_date ? Audience::student_after_due_date : Audience::student);
}

nlohmann::json GradingResult::to_json(Audience audience) const {
    nlohmann::json steps_json = nlohmann::json::array();
    for (const auto& step : steps) steps_json.push_back(step.to_json());
    nlohmann::json failed = failed_at_step ? nlohmann::json(*failed_at_step) : nlohmann::json(nullptr);
    nlohmann::json json{{"status", to_string(status)},
                        {"failed_at_step", failed},
                        {"final_score", rounded_score(final_score)},
                        {"result_tree", nullptr},
                        {"focus", focus.to_json()},
                        {"score_vector", score_vector_to_json(score_vector)},
                        {"feedback", feedback_for(audience)},
                        {"pipeline",
                         {{"status", to_string(status)},
                          {"failed_at_step", failed},
                          {"steps", steps_json},
                          {"execution_time_ms", execution_time_ms}}},
                        {"host_data", host_data}};
    if (result_tree) {
        auto graded = grading_result_json(*result_tree, focus, score_vector, audience);
        json["result_tree"] = std::move(graded["result_tree"]);
        json["focus"] = std::move(graded["focus"]);
        json["score_vector"] = std::move(graded["score_vector"]);
    }
    // The student's Markdown, for a teacher who wants to see what the student was shown.
    if (audience == Audience::teacher && feedback != teacher_feedback) json["student_feedback"] = feedback;
    // Where results were sent is the teacher's business (webhook addresses, file paths).
    if (audience == Audience::teacher && !exports.empty()) {
        json["exports"] = nlohmann::json::array();
        for (const auto& outcome : exports) json["exports"].push_back(outcome.to_json());
    }
    // Everything a result holds ends up in front of a user or a JSON parser: valid UTF-8 only,
    // whatever a host's steps or a C++ caller put in it.
    text::make_valid_utf8(json);
    return json;
}

PipelineExecution::PipelineExecution(const Pipeline& owner, const Submission& graded)
    : pipeline(owner), submission(graded) {}

namespace {

// What the parser cannot see: every test's parameters against its function's documentation, and
// the assets that must exist in the assignment folder. The paths are the document's, or (for a
// configuration built in code) made up the same way.
class RegistryChecks {
public:
    RegistryChecks(const GradingConfig& config, const PipelineOptions& options) : config_(config), options_(options) {}

    std::vector<ConfigIssue> run() {
        check_node(config_.criteria.base, "criteria_config.base");
        if (config_.criteria.bonus) check_node(*config_.criteria.bonus, "criteria_config.bonus");
        if (config_.criteria.penalty) check_node(*config_.criteria.penalty, "criteria_config.penalty");
        for (std::size_t i = 0; i < config_.setup.assets.size(); ++i)
            check_asset(config_.setup.assets[i], "setup_config.assets[" + std::to_string(i) + "].source");
        for (const auto& [language, setup] : config_.setup.languages)
            for (std::size_t i = 0; i < setup.assets.size(); ++i)
                check_asset(setup.assets[i], "setup_config." + language + ".assets[" + std::to_string(i) + "].source");
        return std::move(issues_);
    }

private:
    void check_node(const CriteriaNode& node, const std::string& path) {
        for (std::size_t i = 0; i < node.subjects.size(); ++i)
            check_node(node.subjects[i], path + ".subjects[" + std::to_string(i) + "]");
        for (std::size_t i = 0; i < node.tests.size(); ++i) {
            const TestSpec& test = node.tests[i];
            const TestFunction* function = options_.templates.find(config_.template_names, test.type);
            if (!function) continue;  // the parser says so when it has the catalog
            std::string test_path = test.path.empty() ? path + ".tests[" + std::to_string(i) + "]" : test.path;
            for (auto& issue : check_test_parameters(*function, test, test_path, options_.assignment_directory))
                issues_.push_back(std::move(issue));
        }
    }

    void check_asset(const SetupAsset& asset, const std::string& path) {
        std::error_code error;
        auto full = std::filesystem::path(options_.assignment_directory) / asset.source;
        if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(full, error)))
            issues_.push_back({path, "asset '" + asset.source + "' is not a file of the assignment folder (" +
                                         (options_.assignment_directory.empty() ? std::string("the current directory")
                                                                                : options_.assignment_directory) +
                                         ")"});
    }

    const GradingConfig& config_;
    const PipelineOptions& options_;
    std::vector<ConfigIssue> issues_;
};

void check_against_registry(const GradingConfig& config, const PipelineOptions& options) {
    auto issues = RegistryChecks(config, options).run();
    if (!issues.empty()) throw ConfigError(std::move(issues));
}

}  // namespace

std::shared_ptr<const Pipeline> Pipeline::create(const nlohmann::json& document, PipelineOptions options) {
    TestCatalog catalog = options.templates.catalog();
    // A host's language table may add languages; the configuration may name them.
    catalog.has_extra_language = [&languages = options.languages](std::string_view language) {
        return languages.find(language) != nullptr;
    };
    ParsedConfig parsed = parse_grading_config(document, catalog);
    check_against_registry(parsed.config, options);
    return std::shared_ptr<const Pipeline>(
        new Pipeline(std::move(parsed.config), std::move(parsed.warnings), std::move(options)));
}

std::shared_ptr<const Pipeline> Pipeline::create(GradingConfig config, PipelineOptions options) {
    check_against_registry(config, options);
    return std::shared_ptr<const Pipeline>(new Pipeline(std::move(config), {}, std::move(options)));
}

Pipeline::Pipeline(GradingConfig config, std::vector<ConfigIssue> warnings, PipelineOptions options)
    : config_(std::move(config)),
      warnings_(std::move(warnings)),
      options_(std::move(options)),
      tree_(CriteriaTree::build(config_.criteria)) {
    // The registry of steps: each present only when this configuration needs it.
    bool sandbox_needed = steps::needs_sandbox(config_, options_.templates);
    steps_.push_back(steps::load_template(config_, tree_, options_));
    steps_.push_back(steps::build_tree());
    if (sandbox_needed) steps_.push_back(steps::sandbox());
    if (sandbox_needed || steps::needs_pre_flight(config_, options_.languages))
        steps_.push_back(steps::pre_flight(options_.languages));
    // One client for the AI model serves AI_BATCH and FEEDBACK, for every grading (its cache too).
    const bool ai_tests = steps::needs_ai_batch(config_, options_.templates);
    std::shared_ptr<const ai::ChatClient> ai_client;
    if (ai_tests || config_.feedback_mode == FeedbackMode::ai)
        ai_client = std::make_shared<ai::ChatClient>(config_.ai, ai::Endpoint::from_environment());
    if (ai_tests) steps_.push_back(steps::ai_batch(ai_client));
    if (steps::needs_syntax_trees(config_, options_.templates)) steps_.push_back(steps::structural_analysis());
    steps_.push_back(steps::grade());
    steps_.push_back(steps::focus());
    if (config_.include_feedback)
        steps_.push_back(steps::feedback(config_.feedback_mode == FeedbackMode::ai ? ai_client : nullptr));
    for (const auto& extra : options_.extra_steps) {
        auto after =
            std::find_if(steps_.begin(), steps_.end(), [&](const auto& s) { return s->name() == extra.after; });
        steps_.insert(after == steps_.end() ? steps_.end() : after + 1, steps::host_step(extra.step));
    }
    // EXPORT comes last, after host steps too: it sends the finished result.
    if (!config_.exporters.empty())
        export_step_ = std::make_shared<exporting::ExportStep>(config_.exporters, options_.assignment_directory);
    if (sandbox_needed) {
        pool_ = options_.pool;
        if (!pool_) {
            SandboxPoolOptions pool_options;
            pool_options.languages = options_.languages;
            for (const auto& language : config_.languages)
                if (const Language* l = options_.languages.find(language))
                    pool_options.warm_languages.push_back(l->name);
            pool_ = std::make_shared<SandboxPool>(std::move(pool_options));
        }
    }
}

std::vector<std::string> Pipeline::step_names() const {
    std::vector<std::string> names;
    for (const auto& step : steps_) names.push_back(step->name());
    if (export_step_) names.push_back("EXPORT");
    return names;
}

GradingResult Pipeline::grade(const Submission& submission) const {
    const auto start = Clock::now();
    PipelineExecution execution(*this, submission);
    execution.status = PipelineStatus::running;
    for (const auto& step : steps_) {
        StepResult result{step->name(), PipelineStatus::success, {}, 0, nullptr};
        const auto step_start = Clock::now();
        try {
            StepOutcome outcome = step->run(execution);
            result.status = outcome.ok ? PipelineStatus::success : PipelineStatus::failed;
            result.message = std::move(outcome.message);
            result.error_details = std::move(outcome.details);
        } catch (const std::exception& e) {
            result.status = PipelineStatus::interrupted;
            result.message = e.what();
            result.error_details = {{"exception", e.what()}};
        } catch (...) {
            result.status = PipelineStatus::interrupted;
            result.message = "unknown exception";
        }
        result.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - step_start).count();
        execution.steps.push_back(std::move(result));
        if (execution.steps.back().status != PipelineStatus::success) {
            execution.status = execution.steps.back().status;
            execution.failed_at_step = step->name();
            break;
        }
    }
    if (execution.status == PipelineStatus::running) execution.status = PipelineStatus::success;
    execution.sandbox.reset();  // released whatever happened

    GradingResult result;
    result.status = execution.status;
    result.failed_at_step = execution.failed_at_step;
    result.steps = std::move(execution.steps);
    if (execution.result && execution.status == PipelineStatus::success) {
        result.final_score = execution.result->final_score;
        result.score_vector = compute_score_vector(*execution.result);
        if (execution.focus) result.focus = *execution.focus;
        result.result_tree = std::move(execution.result);
    }
    result.host_data = std::move(execution.host_data);
    result.feedback = !execution.preflight_report.empty() ? execution.preflight_report : execution.feedback;
    // What leaves the engine is valid UTF-8, whatever bytes the submission, its programs, the
    // compiler or a host step put into messages and reports.
    result.feedback = text::valid_utf8(result.feedback);
    result.feedback_after_due_date = execution.feedback_after_due_date.empty()
                                         ? result.feedback
                                         : text::valid_utf8(execution.feedback_after_due_date);
    result.teacher_feedback =
        execution.teacher_feedback.empty() ? result.feedback : text::valid_utf8(execution.teacher_feedback);
    for (auto& step : result.steps) {
        step.message = text::valid_utf8(step.message);
        text::make_valid_utf8(step.error_details);
    }
    text::make_valid_utf8(result.host_data);
    result.execution_time_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (export_step_ && result.status != PipelineStatus::interrupted) {
        export_step_->run(result, submission);
        result.execution_time_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    }
    return result;
}

}  // namespace autograder
