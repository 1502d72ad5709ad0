#include <fmt/format.h>

#include "ai/feedback_prompt.hpp"
#include "ai/submission_ai.hpp"
#include "steps/steps.hpp"

namespace autograder::steps {
namespace {

class Feedback final : public Step {
public:
    explicit Feedback(std::shared_ptr<const ai::ChatClient> client) : client_(std::move(client)) {}

    std::string name() const override { return "FEEDBACK"; }
    StepOutcome run(PipelineExecution& execution) const override {
        const Pipeline& pipeline = execution.pipeline;
        const auto& config = pipeline.config().feedback;
        const Locale locale = pipeline.options().locale;
        execution.feedback =
            render_default_report(*execution.result, *execution.focus, config, locale, Audience::student);
        // Only a tree with tests some audience may not see needs the other views.
        const bool has_unseen = !unseen_paths(*execution.result, Audience::student).empty();
        if (has_unseen) {
            execution.feedback_after_due_date = render_default_report(*execution.result, *execution.focus, config,
                                                                      locale, Audience::student_after_due_date);
            execution.teacher_feedback =
                render_default_report(*execution.result, *execution.focus, config, locale, Audience::teacher);
        }
        if (!client_) return StepOutcome::success();
        return write_with_model(execution, has_unseen);
    }

private:
    // feedback_mode "ai": the model writes the student's report (from what the student may see);
    // the default report stays when it cannot. The other audiences keep the default report, which
    // shows them what the student's leaves out.
    StepOutcome write_with_model(PipelineExecution& execution, bool has_unseen) const {
        const Pipeline& pipeline = execution.pipeline;
        const Locale locale = pipeline.options().locale;
        if (!execution.ai) {
            execution.ai = std::make_shared<ai::SubmissionAi>();
            execution.ai->budget.limit = client_->config().max_tokens;
            execution.ai->model = client_->model();
        }
        const auto request =
            ai::feedback_request(*execution.result, pipeline.config(), execution.submission.files, locale);
        const auto reply = client_->complete(request, execution.ai->budget);
        if (!reply.ok) {
            StepOutcome outcome = StepOutcome::success(fmt::format(
                "the AI model could not write the feedback ({}); the default report was used", reply.problem));
            outcome.details = {{"ai_error", reply.problem}, {"model", client_->model()}, {"attempts", reply.attempts}};
            return outcome;
        }
        const std::string default_report = execution.feedback;
        execution.feedback = ai::framed_feedback(reply.content.at("feedback").get<std::string>(), *execution.result,
                                                 pipeline.config().feedback, client_->model(), locale);
        if (!has_unseen) execution.teacher_feedback = default_report;
        return StepOutcome::success(reply.from_cache
                                        ? fmt::format("written by {} (a cached reply)", client_->model())
                                        : fmt::format("written by {} ({} tokens)", client_->model(), reply.tokens));
    }

    std::shared_ptr<const ai::ChatClient> client_;
};

}  // namespace

std::shared_ptr<const Step> feedback(std::shared_ptr<const ai::ChatClient> client) {
    return std::make_shared<Feedback>(std::move(client));
}

}  // namespace autograder::steps
