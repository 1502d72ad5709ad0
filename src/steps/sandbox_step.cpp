#include "steps/steps.hpp"

namespace autograder::steps {
namespace {

constexpr size_t kMaxSubmissionFiles = 1000;

class AcquireSandbox final : public Step {
public:
    std::string name() const override { return "SANDBOX"; }
    StepOutcome run(PipelineExecution& execution) const override {
        const Pipeline& pipeline = execution.pipeline;
        const auto& files = execution.submission.files;
        if (files.size() > kMaxSubmissionFiles)
            return StepOutcome::failure("the submission has more than " + std::to_string(kMaxSubmissionFiles) +
                                        " files");
        // Sandbox unavailability is the host's problem, not the submission's: it throws (INTERRUPTED).
        const bool loopback = any_test_function(pipeline.config(), pipeline.options().templates,
                                                [](const TestFunction& f) { return f.needs_loopback_network(); });
        execution.sandbox.emplace(
            loopback ? pipeline.pool().acquire_with_loopback_network(execution.language->name)
                     : pipeline.pool().acquire(execution.language->name, pipeline.options().sandbox_timeout));
        for (const auto& file : files) {
            try {
                (*execution.sandbox)->write_file(file.path, file.content, file.executable);
            } catch (const SandboxError& e) {
                return StepOutcome::failure("the submission file '" + file.path + "' was refused: " + e.what(),
                                            {{"file", file.path}});
            }
        }
        return StepOutcome::success(std::to_string(files.size()) + " files in a " + execution.language->name +
                                    (loopback ? " sandbox with loopback networking" : " sandbox"));
    }
};

}  // namespace

std::shared_ptr<const Step> sandbox() {
    return std::make_shared<AcquireSandbox>();
}

bool needs_sandbox(const GradingConfig& config, const TemplateRegistry& templates) {
    if (any_test_function(config, templates, [](const TestFunction& f) { return f.needs_sandbox(); })) return true;
    if (!config.setup.assets.empty()) return true;
    for (const auto& [key, setup] : config.setup.languages)
        if (!setup.setup_commands.empty() || !setup.assets.empty()) return true;
    return false;
}

}  // namespace autograder::steps
