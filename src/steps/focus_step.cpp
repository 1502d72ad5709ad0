#include "steps/steps.hpp"

namespace autograder::steps {
namespace {

class FocusStep final : public Step {
public:
    std::string name() const override { return "FOCUS"; }
    StepOutcome run(PipelineExecution& execution) const override {
        execution.focus = compute_focus(*execution.result);
        return StepOutcome::success();
    }
};

}  // namespace

std::shared_ptr<const Step> focus() {
    return std::make_shared<FocusStep>();
}

}  // namespace autograder::steps
