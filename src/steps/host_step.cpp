#include <stdexcept>

#include "steps/steps.hpp"

namespace autograder::steps {
namespace {

class HostStepInPipeline final : public Step {
public:
    explicit HostStepInPipeline(std::shared_ptr<const HostStep> step) : step_(std::move(step)) {}
    std::string name() const override { return step_->name(); }
    StepOutcome run(PipelineExecution& execution) const override {
        const PipelineExecution& read_only = execution;
        return step_->run(read_only, execution.host_data);
    }

private:
    std::shared_ptr<const HostStep> step_;
};

}  // namespace

std::shared_ptr<const Step> host_step(std::shared_ptr<const HostStep> step) {
    if (!step) throw std::invalid_argument("PipelineOptions::extra_steps: a step is null");
    return std::make_shared<HostStepInPipeline>(std::move(step));
}

}  // namespace autograder::steps
