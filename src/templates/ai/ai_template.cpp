// The ai template: tests judged by the AI model through an OpenAI-compatible endpoint (the "ai"
// section of the configuration; docs/configuration.md). ai_rubric takes the teacher's own
// criterion; the reference engine's three algorithm checks take `algorithm_name`.
#include <fmt/format.h>

#include "ai/submission_ai.hpp"
#include "templates/ai/ai_function.hpp"
#include "templates/builtin_templates.hpp"
#include "templates/localized.hpp"
#include "templates/parameter_reader.hpp"

namespace autograder::templates {

std::vector<ParameterProblem> AiJudgedFunction::check_parameters(const TestSpec& spec) const {
    const ParameterReader given(spec, parameters());
    // Every parameter of these functions is a non-empty text or a list of them.
    return given.problems([](const ParameterReader& reader, const ParameterDoc& doc) {
        if (doc.type == "list")
            (void)reader.string_list(doc.name, ParameterReader::Empty::refused);
        else
            (void)reader.required_text(doc.name, ParameterReader::Empty::refused);
    });
}

TestOutcome AiJudgedFunction::run(const TestContext& context) const {
    const PipelineExecution& execution = context.execution;
    const auto& slots = execution.pipeline.tree().tests();
    std::size_t index = 0;
    while (index < slots.size() && &slots[index].spec != &context.spec) ++index;
    TestOutcome outcome;
    const ai::SubmissionAi* verdicts = execution.ai.get();
    if (verdicts != nullptr) {
        if (auto found = verdicts->verdicts.find(index); found != verdicts->verdicts.end()) {
            outcome.score = found->second.score;
            outcome.report =
                localized(context, "{}\n(Judged by the AI model {}.)", found->second.justification, verdicts->model);
            return outcome;
        }
    }
    const std::string problem = verdicts == nullptr               ? std::string("the AI_BATCH step did not run")
                                : verdicts->batch_problem.empty() ? std::string("the reply has no verdict for it")
                                                                  : verdicts->batch_problem;
    if (verdicts != nullptr && verdicts->fallback == AiConfig::Fallback::exclude) {
        outcome.excluded = true;
        outcome.report = localized(
            context, "The AI model could not judge this test, so it does not count in the score: {}.", problem);
    } else {
        outcome.report = localized(context, "The AI model could not judge this test, so it scores 0: {}.", problem);
    }
    return outcome;
}

namespace {

class AiRubric final : public AiJudgedFunction {
public:
    std::string key() const override { return "ai_rubric"; }
    std::string description() const override {
        return "The AI model reads the submission and scores how well it meets `criterion` (0-100), with a "
               "justification for the student. Every AI-judged test of a submission goes in one request.";
    }
    std::vector<ParameterDoc> parameters() const override {
        return {{"criterion", "text", true,
                 "what the submission must do or be, in the teacher's words (e.g. \"functions have clear names and "
                 "no function is longer than 30 lines\")"},
                {"examples", "list", false,
                 "worked examples for the model, each a text (e.g. \"a 200-line main() scores about 20\")"}};
    }
    std::string criterion(const TestSpec& spec) const override {
        return ParameterReader(spec, parameters()).required_text("criterion", ParameterReader::Empty::refused);
    }
    std::vector<std::string> examples(const TestSpec& spec) const override {
        return ParameterReader(spec, parameters())
            .string_list("examples", ParameterReader::Empty::refused)
            .value_or(std::vector<std::string>{});
    }
};

// The reference engine's checks: the named algorithm is implemented faithfully, not delegated.
class AlgorithmCheck final : public AiJudgedFunction {
public:
    AlgorithmCheck(std::string key, std::string family, std::string example, std::string library_calls)
        : key_(std::move(key)),
          family_(std::move(family)),
          example_(std::move(example)),
          library_calls_(std::move(library_calls)) {}
    std::string key() const override { return key_; }
    std::string description() const override {
        return fmt::format(
            "The AI model checks that the submission implements the {} algorithm `algorithm_name` itself, "
            "faithfully, rather than calling a library function: 0-100 with a justification.",
            family_);
    }
    std::vector<ParameterDoc> parameters() const override {
        return {{"algorithm_name", "string", true, fmt::format("the algorithm expected (e.g. \"{}\")", example_)}};
    }
    std::string criterion(const TestSpec& spec) const override {
        const auto name =
            ParameterReader(spec, parameters()).required_text("algorithm_name", ParameterReader::Empty::refused);
        return fmt::format(
            "The submission implements the {} algorithm \"{}\" itself: its characteristic steps are present and "
            "correct, and the work is not delegated to a library or built-in function ({}). Score 100 for a faithful, "
            "correct implementation, partial credit for an incomplete or partly wrong one, 0 when the algorithm is "
            "absent, a different algorithm, or only a call to a library function.",
            family_, name, library_calls_);
    }

private:
    std::string key_, family_, example_, library_calls_;
};

}  // namespace

std::vector<std::shared_ptr<const TestFunction>> reference_ai_functions() {
    return {std::make_shared<AlgorithmCheck>("ai_sorting_algorithm", "sorting", "merge sort",
                                             "such as sorted(), list.sort(), Arrays.sort(), std::sort or qsort"),
            std::make_shared<AlgorithmCheck>("ai_search_algorithm", "search", "binary search",
                                             "such as bisect, list.index(), Arrays.binarySearch or std::lower_bound"),
            std::make_shared<AlgorithmCheck>("ai_graph_algorithm", "graph", "Dijkstra",
                                             "such as networkx or a graph library's shortest-path call")};
}

Template ai_template() {
    Template t;
    t.name = "ai";
    t.description =
        "Tests judged by an AI model through any OpenAI-compatible chat-completions endpoint (OPENAI_BASE_URL, "
        "OPENAI_API_KEY; the configuration's \"ai\" section): one request per submission for all of them.";
    std::vector<std::shared_ptr<const TestFunction>> functions = reference_ai_functions();
    functions.push_back(std::make_shared<AiRubric>());
    for (const auto& f : functions) t.functions[f->key()] = f;
    return t;
}

}  // namespace autograder::templates
