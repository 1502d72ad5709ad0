#include <algorithm>
#include <optional>
#include <vector>

#include "steps/steps.hpp"

namespace autograder::steps {
namespace {

// What is fixed per configuration (each test's function, whether a language is needed) is
// worked out once, when the pipeline is made; a grading only picks the submission's language.
class LoadTemplate final : public Step {
public:
    LoadTemplate(const GradingConfig& config, const CriteriaTree& tree, const PipelineOptions& options)
        : language_needed_(steps::needs_sandbox(config, options.templates) ||
                           steps::needs_pre_flight(config, options.languages)) {
        for (const auto& slot : tree.tests()) {
            const TestFunction* function = options.templates.find(config.template_names, slot.spec.type);
            if (!function) {
                missing_function_ =
                    StepOutcome::failure("no template provides the test function '" + slot.spec.type + "'",
                                         {{"test", slot.spec.name}, {"type", slot.spec.type}});
                break;
            }
            functions_.push_back(function);
        }
    }

    std::string name() const override { return "LOAD_TEMPLATE"; }
    StepOutcome run(PipelineExecution& execution) const override {
        const Pipeline& pipeline = execution.pipeline;
        const GradingConfig& config = pipeline.config();
        const LanguageTable& table = pipeline.options().languages;
        std::string requested = execution.submission.language;
        if (requested.empty()) {
            if (!config.languages.empty()) {
                requested = config.languages.front();
            } else {
                for (const auto& file : execution.submission.files)
                    if (const Language* by_extension = table.for_file(file.path)) {
                        requested = by_extension->name;
                        break;
                    }
            }
        }
        // Only running code (SANDBOX, PRE_FLIGHT) needs a language: a configuration that just
        // reads files (webdev on .html and .css) grades without one.
        if (requested.empty() && !language_needed_) return resolve_functions(execution, "no language needed");
        if (requested.empty())
            return StepOutcome::failure("no language given, and none could be told from the file names");
        execution.language_key = canonical_language(requested);
        execution.language = table.find(execution.language_key);
        if (!execution.language) execution.language = table.find(requested);
        if (!execution.language)
            return StepOutcome::failure("unknown language '" + requested + "'", {{"language", requested}});
        if (!config.languages.empty() && std::find(config.languages.begin(), config.languages.end(),
                                                   execution.language_key) == config.languages.end()) {
            std::string accepted;
            for (const auto& l : config.languages) accepted += (accepted.empty() ? "" : ", ") + l;
            return StepOutcome::failure(
                "this assignment does not accept '" + requested + "' (accepted: " + accepted + ")",
                {{"language", requested}, {"accepted", config.languages}});
        }
        return resolve_functions(execution, "language " + execution.language->name);
    }

private:
    StepOutcome resolve_functions(PipelineExecution& execution, const std::string& language) const {
        if (missing_function_) return *missing_function_;
        execution.functions = functions_;
        return StepOutcome::success(language + ", " + std::to_string(execution.functions.size()) + " test functions");
    }

    bool language_needed_;
    std::vector<const TestFunction*> functions_;  // one per test of the tree, in its order
    std::optional<StepOutcome> missing_function_;
};

}  // namespace

std::shared_ptr<const Step> load_template(const GradingConfig& config, const CriteriaTree& tree,
                                          const PipelineOptions& options) {
    return std::make_shared<LoadTemplate>(config, tree, options);
}

}  // namespace autograder::steps
