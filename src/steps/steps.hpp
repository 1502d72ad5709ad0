// The built-in steps of the pipeline, one file each, and what decides whether they are present.
#pragma once

#include <functional>
#include <memory>

#include "autograder/pipeline.hpp"

namespace autograder::ai {
class ChatClient;
}

namespace autograder::steps {

// A built-in step: it fills its part of the execution (the language, the sandbox lease, the
// outcomes, the result...). Hosts add HostStep objects instead, which write only host_data.
class Step {
public:
    virtual ~Step() = default;
    virtual std::string name() const = 0;
    // Called from many threads at once (one execution each): keep state in the execution.
    virtual StepOutcome run(PipelineExecution& execution) const = 0;
};

// A host's step in the pipeline: what it may read, read-only, and its host data to write.
std::shared_ptr<const Step> host_step(std::shared_ptr<const HostStep> step);

// LOAD_TEMPLATE: the submission's language, and each test's function (resolved here, once per
// configuration: the step keeps references into `options`, which the Pipeline owns).
std::shared_ptr<const Step> load_template(const GradingConfig& config, const CriteriaTree& tree,
                                          const PipelineOptions& options);
std::shared_ptr<const Step> build_tree();  // BUILD_TREE: the criteria tree, one slot per test
std::shared_ptr<const Step> sandbox();     // SANDBOX: a warm sandbox with the submission's files
// PRE_FLIGHT: required files, assets, setup commands; a command whose program is a compiler of
// `languages` (gcc, javac, ...) fails with compile_error and a compiler's hint.
std::shared_ptr<const Step> pre_flight(const LanguageTable& languages);
// AI_BATCH: every test the AI model judges, one request per submission (src/ai).
std::shared_ptr<const Step> ai_batch(std::shared_ptr<const ai::ChatClient> client);
std::shared_ptr<const Step> structural_analysis();  // STRUCTURAL_ANALYSIS: each code file parsed once
std::shared_ptr<const Step> grade();                // GRADE: every test, then the exact scoring
std::shared_ptr<const Step> focus();                // FOCUS: what cost the most points
// FEEDBACK: the Markdown report; with a client (feedback_mode "ai") the model writes it, and the
// default report stands in when the model cannot.
std::shared_ptr<const Step> feedback(std::shared_ptr<const ai::ChatClient> client = nullptr);

// A test runs code, or the setup compiles or copies assets: a sandbox is needed.
bool needs_sandbox(const GradingConfig& config, const TemplateRegistry& templates);
bool needs_syntax_trees(const GradingConfig& config, const TemplateRegistry& templates);
// Some test is judged by the AI model (a function of the ai template, or an AiJudgedFunction).
bool needs_ai_batch(const GradingConfig& config, const TemplateRegistry& templates);
// Whether the function of some test of the configuration (base, bonus or penalty) satisfies
// `predicate`.
bool any_test_function(const GradingConfig& config, const TemplateRegistry& templates,
                       const std::function<bool(const TestFunction&)>& predicate);
bool needs_pre_flight(const GradingConfig& config, const LanguageTable& languages);

}  // namespace autograder::steps
