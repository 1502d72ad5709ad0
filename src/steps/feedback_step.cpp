#include "steps/steps.hpp"

namespace autograder::steps {
namespace {

class Feedback final : public Step {
public:
    std::string name() const override { return "FEEDBACK"; }
    StepOutcome run(PipelineExecution& execution) const override {
        const Pipeline& pipeline = execution.pipeline;
        const auto& config = pipeline.config().feedback;
        const Locale locale = pipeline.options().locale;
        execution.feedback =
            render_default_report(*execution.result, *execution.focus, config, locale, Audience::student);
        // Only a tree with tests some audience may not see needs the other views.
        if (!unseen_paths(*execution.result, Audience::student).empty()) {
            execution.feedback_after_due_date = render_default_report(*execution.result, *execution.focus, config,
                                                                      locale, Audience::student_after_due_date);
            execution.teacher_feedback =
                render_default_report(*execution.result, *execution.focus, config, locale, Audience::teacher);
        }
        return StepOutcome::success();
    }
};

}  // namespace

std::shared_ptr<const Step> feedback() {
    return std::make_shared<Feedback>();
}

}  // namespace autograder::steps
