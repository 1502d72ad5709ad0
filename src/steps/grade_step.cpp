#include "steps/steps.hpp"
#include "templates/localized.hpp"

namespace autograder::steps {
namespace {

class Grade final : public Step {
public:
    std::string name() const override { return "GRADE"; }
    StepOutcome run(PipelineExecution& execution) const override {
        const auto& tests = execution.pipeline.tree().tests();
        execution.outcomes.resize(tests.size());
        for (size_t i = 0; i < tests.size(); ++i) {
            TestContext context{tests[i].spec, execution, execution.sandbox_or_null()};
            try {
                execution.outcomes[i] = execution.functions.at(i)->run(context);
            } catch (const std::exception& e) {
                // The test's own configuration is at fault (a bad regex, a missing parameter...):
                // it scores 0 and says why; the other tests still count.
                execution.outcomes[i] = {0, localized(execution, "This test could not be run: {}", e.what()),
                                         std::nullopt};
            }
        }
        execution.result = execution.pipeline.tree().grade(execution.outcomes);
        return StepOutcome::success(std::to_string(tests.size()) + " tests graded");
    }
};

class FocusStep final : public Step {
public:
    std::string name() const override { return "FOCUS"; }
    StepOutcome run(PipelineExecution& execution) const override {
        execution.focus = compute_focus(*execution.result);
        return StepOutcome::success();
    }
};

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

std::shared_ptr<const Step> grade() {
    return std::make_shared<Grade>();
}
std::shared_ptr<const Step> focus() {
    return std::make_shared<FocusStep>();
}
std::shared_ptr<const Step> feedback() {
    return std::make_shared<Feedback>();
}

}  // namespace autograder::steps
