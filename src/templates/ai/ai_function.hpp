// A test judged by the AI model. The AI_BATCH step asks the model about every such test of a
// submission in one request (what each test's criterion says, with the submission's files as
// data); run() then only reads the verdict kept for this test, or scores the configured fallback
// with the reason when there is none.
#pragma once

#include <string>
#include <vector>

#include "autograder/templates.hpp"

namespace autograder::templates {

class AiJudgedFunction : public TestFunction {
public:
    bool parameters_complete() const override { return true; }
    std::vector<ParameterProblem> check_parameters(const TestSpec& spec) const override;
    // What the model must check for this test, in English (the model's instructions are English;
    // its justifications come in the report's language).
    virtual std::string criterion(const TestSpec& spec) const = 0;
    // Worked examples for the model (ai_rubric's `examples`); none by default.
    virtual std::vector<std::string> examples(const TestSpec& /*spec*/) const { return {}; }
    TestOutcome run(const TestContext& context) const final;
};

}  // namespace autograder::templates
