#include <fmt/format.h>

#include "analysis/submission_trees.hpp"
#include "steps/steps.hpp"

namespace autograder::steps {
namespace {

// Parses every code file of the submission once; the structural tests of this grading share the
// trees. A file that does not parse is data (its errors are listed), never a failure: tests still
// check what tree-sitter recovered and say so in their reports.
class StructuralAnalysis final : public Step {
public:
    std::string name() const override { return "STRUCTURAL_ANALYSIS"; }
    StepOutcome run(PipelineExecution& execution) const override {
        auto trees =
            std::make_shared<analysis::SubmissionTrees>(analysis::SubmissionTrees::parse(execution.submission.files));
        auto errors = trees->syntax_errors();
        std::size_t files_with_errors = 0;
        for (const auto& parsed : trees->files()) files_with_errors += parsed.tree.has_error() ? 1 : 0;
        std::string message = fmt::format("{} files parsed ({} bytes)", trees->files().size(), trees->parsed_bytes());
        if (files_with_errors > 0) message += fmt::format(", {} with syntax errors", files_with_errors);
        for (const auto& [path, why] : trees->skipped()) message += fmt::format("; '{}' skipped: {}", path, why);
        StepOutcome outcome = StepOutcome::success(std::move(message));
        if (!errors.empty()) outcome.details = {{"syntax_errors", std::move(errors)}};
        execution.syntax_trees = std::move(trees);
        return outcome;
    }
};

}  // namespace

std::shared_ptr<const Step> structural_analysis() {
    return std::make_shared<StructuralAnalysis>();
}

bool needs_syntax_trees(const GradingConfig& config, const TemplateRegistry& templates) {
    return any_test_function(config, templates, [](const TestFunction& f) { return f.needs_syntax_trees(); });
}

}  // namespace autograder::steps
