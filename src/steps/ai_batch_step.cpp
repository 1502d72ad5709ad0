#include <fmt/format.h>

#include "ai/batch_prompt.hpp"
#include "ai/submission_ai.hpp"
#include "criteria/score_vector_paths.hpp"
#include "steps/steps.hpp"
#include "templates/ai/ai_function.hpp"

namespace autograder::steps {
namespace {

// AI_BATCH: every test the AI model judges goes in ONE request per submission; the verdicts are
// kept by test (the ai template's functions read them during GRADE). When the model gives no usable
// answer (unreachable, too slow, an error, a reply that is not the requested JSON or scores outside
// 0-100) grading goes on: the step succeeds, says what happened, and the tests score the fallback.
class AiBatch final : public Step {
public:
    explicit AiBatch(std::shared_ptr<const ai::ChatClient> client) : client_(std::move(client)) {}

    std::string name() const override { return "AI_BATCH"; }

    StepOutcome run(PipelineExecution& execution) const override {
        const AiConfig& settings = client_->config();
        auto state = std::make_shared<ai::SubmissionAi>();
        state->budget.limit = settings.max_tokens;
        state->model = settings.model;
        state->fallback = settings.fallback;
        execution.ai = state;

        const auto& slots = execution.pipeline.tree().tests();
        std::vector<ai::JudgedTest> tests;
        std::vector<std::size_t> indexes;
        criteria::ScoreVectorPaths ids;  // two tests with the same path get "#2": never the same id
        for (std::size_t i = 0; i < slots.size(); ++i) {
            const auto* function = dynamic_cast<const templates::AiJudgedFunction*>(execution.functions.at(i));
            if (function == nullptr) continue;
            const TestSlot& slot = slots[i];
            std::string path(to_string(slot.category));
            for (const auto& subject : slot.subject_path) path += "/" + subject;
            path += "/" + slot.spec.name;
            tests.push_back({ids.claim(path), slot.spec.name, slot.spec.type, function->criterion(slot.spec),
                             function->examples(slot.spec), slot.spec.file});
            indexes.push_back(i);
        }
        if (tests.empty()) return StepOutcome::success("no test is judged by the AI model");

        const auto request = ai::batch_request(tests, execution.submission.files, execution.pipeline.options().locale);
        const auto reply = client_->complete(request, state->budget);
        std::string problem = reply.problem;
        if (reply.ok) {
            auto verdicts = ai::read_batch_reply(reply.content, tests);
            problem = std::move(verdicts.problem);
            if (problem.empty())
                for (std::size_t t = 0; t < tests.size(); ++t)
                    state->verdicts[indexes[t]] = verdicts.by_id[tests[t].id];
        }
        if (problem.empty()) {
            return StepOutcome::success(reply.from_cache
                                            ? fmt::format("{} tests judged by {} (a cached reply: no tokens spent)",
                                                          tests.size(), settings.model)
                                            : fmt::format("{} tests judged by {} in one request ({} tokens)",
                                                          tests.size(), settings.model, reply.tokens));
        }
        state->batch_problem = "the AI model gave no usable verdict (" + problem + ")";
        const bool excluded = settings.fallback == AiConfig::Fallback::exclude;
        StepOutcome outcome = StepOutcome::success(fmt::format(
            "{}; its {} tests {}", state->batch_problem, tests.size(),
            excluded ? "are left out of the score (ai.fallback \"exclude\")" : "score 0 (ai.fallback \"zero\")"));
        outcome.details = {{"ai_error", problem},
                           {"model", settings.model},
                           {"attempts", reply.attempts},
                           {"tests", tests.size()},
                           {"fallback", to_string(settings.fallback)}};
        return outcome;
    }

private:
    std::shared_ptr<const ai::ChatClient> client_;
};

}  // namespace

std::shared_ptr<const Step> ai_batch(std::shared_ptr<const ai::ChatClient> client) {
    return std::make_shared<AiBatch>(std::move(client));
}

bool needs_ai_batch(const GradingConfig& config, const TemplateRegistry& templates) {
    return any_test_function(config, templates, [](const TestFunction& f) {
        return dynamic_cast<const templates::AiJudgedFunction*>(&f) != nullptr;
    });
}

}  // namespace autograder::steps
