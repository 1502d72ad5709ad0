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

}  // namespace

std::shared_ptr<const Step> grade() {
    return std::make_shared<Grade>();
}

}  // namespace autograder::steps
