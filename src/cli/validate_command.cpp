// autograder validate: check a grading configuration before any student is graded: its structure,
// weights and every test's parameters, and (with --solution) that the reference solution scores 100.
#include <cmath>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "autograder/pipeline.hpp"
#include "commands.hpp"
#include "json_file.hpp"
#include "autograder/submission_reader.hpp"

namespace autograder::cli {
namespace {

struct ValidateOptions {
    std::string config_path;
    std::string solution_dir;
    std::string language;
};

constexpr int kValid = 0, kSolutionFails = 1, kInvalid = 2;

size_t count_tests(const CriteriaNode& node) {
    size_t count = node.tests.size();
    for (const auto& subject : node.subjects) count += count_tests(subject);
    return count;
}

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

int check_solution(const ValidateOptions& o, const Pipeline& pipeline) {
    Submission submission;
    try {
        submission.files = read_submission_files({o.solution_dir});
    } catch (const std::exception& e) {
        std::cerr << "autograder validate: --solution: " << e.what() << "\n";
        return kInvalid;
    }
    submission.language = o.language;
    GradingResult result = pipeline.grade(submission);
    if (result.status != PipelineStatus::success || !result.result_tree) {
        std::cout << fmt::format("reference solution {}: the grading stopped ({} at {}): {}\n", o.solution_dir,
                                 to_string(result.status), result.failed_at_step.value_or("-"),
                                 result.steps.empty() ? "" : result.steps.back().message);
        if (!result.feedback.empty()) std::cout << result.feedback << "\n";
        return kSolutionFails;
    }
    double score = rounded_score(result.final_score);
    if (std::fabs(score - 100) <= 1e-9) {
        std::cout << fmt::format("reference solution {}: 100 / 100\n", o.solution_dir);
        return kValid;
    }
    std::cout << fmt::format("reference solution {}: {:g} / 100, not 100. Tests it does not pass:\n", o.solution_dir,
                             score);
    for (const auto& [path, test_score] : result.score_vector)
        if (test_score < 100 - 1e-9) std::cout << fmt::format("- {}: {:g}\n", path, rounded_score(test_score));
    std::function<void(const NodeResult&)> reports = [&](const NodeResult& node) {
        for (const auto& test : node.tests)
            if (test.score < 100 - 1e-9) std::cout << fmt::format("  {}: {}\n", test.name, first_line(test.report));
        for (const auto& subject : node.subjects) reports(subject);
    };
    reports(result.result_tree->base);
    if (result.result_tree->penalty) reports(*result.result_tree->penalty);
    return kSolutionFails;
}

int validate(const ValidateOptions& o) {
    std::shared_ptr<const Pipeline> pipeline;
    try {
        PipelineOptions options;
        options.assignment_directory = std::filesystem::absolute(o.config_path).parent_path().string();
        pipeline = Pipeline::create(read_json_file(o.config_path, "configuration"), std::move(options));
    } catch (const ConfigError& e) {
        std::cout << o.config_path << ": invalid configuration (" << e.issues().size() << " problem"
                  << (e.issues().size() == 1 ? "" : "s") << "):\n";
        for (const auto& issue : e.issues()) std::cout << "  " << issue.path << ": " << issue.message << "\n";
        return kInvalid;
    } catch (const std::exception& e) {
        std::cerr << "autograder validate: " << e.what() << "\n";
        return kInvalid;
    }
    for (const auto& warning : pipeline->warnings())
        std::cout << "warning: " << warning.path << ": " << warning.message << "\n";
    const auto& criteria = pipeline->config().criteria;
    size_t tests = count_tests(criteria.base) + (criteria.bonus ? count_tests(*criteria.bonus) : 0) +
                   (criteria.penalty ? count_tests(*criteria.penalty) : 0);
    std::cout << fmt::format("{}: valid ({} test{}; steps {})\n", o.config_path, tests, tests == 1 ? "" : "s",
                             fmt::join(pipeline->step_names(), " → "));
    if (o.solution_dir.empty()) return kValid;
    return check_solution(o, *pipeline);
}

}  // namespace

Action add_validate_command(CLI::App& app) {
    auto o = std::make_shared<ValidateOptions>();
    auto* command = app.add_subcommand(
        "validate", "Check a grading configuration (and, with --solution, that a reference solution scores 100)");
    command->add_option("CONFIG", o->config_path, "The grading configuration (docs/configuration.md)")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_option("--solution", o->solution_dir, "A reference solution folder: it must score 100")
        ->check(CLI::ExistingDirectory);
    command->add_option("--language,-l", o->language, "The solution's language (default: the configuration's first)");
    command->footer(
        "Every problem is listed with its JSON path: first the structure and the weights, then (once they are\n"
        "sound) every test's parameters and assets\n"
        "(missing, misspelt, wrong type, unknown choice, assignment file not found).\n"
        "Exit status: 0 valid (and the solution scores 100), 1 the solution does not score 100, 2 invalid.\n"
        "Example: autograder validate examples/assignments/python-calculator/config.json "
        "--solution examples/assignments/python-calculator/submissions/correct");
    return [o] { return validate(*o); };
}

}  // namespace autograder::cli
