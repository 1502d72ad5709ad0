// The static_analysis template: checks on the syntax trees of the submission's files (no
// sandbox), so that comments and string literals never count.
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analysis/constructs.hpp"
#include "analysis/imports.hpp"
#include "analysis/syntax_tree.hpp"
#include "autograder/pipeline.hpp"
#include "templates/builtin_templates.hpp"
#include "templates/localized.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/parsed_files.hpp"
#include "templates/static_analysis/custom_rules.hpp"
#include "templates/static_analysis/structural_checks.hpp"
#include "templates/static_analysis/structural_parameters.hpp"

namespace autograder::templates {
namespace {

class ForbiddenImport final : public TestFunction {
public:
    std::string key() const override { return "forbidden_import"; }
    std::string description() const override {
        return "Fails when a file imports a forbidden module: Python import/from, Java import "
               "[static], JavaScript "
               "require/import, C and C++ #include. Read from the syntax tree: comments and "
               "strings never count.";
    }
    std::vector<ParameterDoc> parameters() const override {
        return {{"forbidden_imports", "list", true,
                 "modules: `os` also forbids `os.path`, `java.util` forbids `java.util.Scanner`, "
                 "`stdlib` forbids "
                 "`stdlib.h`, `sys` forbids `sys/socket.h`"}};
    }
    bool parameters_complete() const override { return true; }
    std::vector<ParameterProblem> check_parameters(const TestSpec& spec) const override {
        return reader_problems(spec, parameters());
    }
    bool needs_syntax_trees() const override { return true; }
    TestOutcome run(const TestContext& context) const override {
        std::vector<std::string> forbidden =
            ParameterReader(context.spec, parameters()).required_string_list("forbidden_imports");
        // The reference engine scores 100 here: nothing to analyse, so nothing forbidden.
        if (context.spec.file && !submission_has_file(context, *context.spec.file))
            return {100,
                    localized(context, "The submission has no file '{}': no forbidden imports.", *context.spec.file),
                    std::nullopt};
        std::vector<std::string> found;
        auto files = parsed_files(context);
        for (const auto* parsed : files) {
            const SourceFile* file = parsed->file;
            for (const auto& import : analysis::find_imports(parsed->tree))
                for (const auto& name : forbidden)
                    if (analysis::imports_module(import, name)) {
                        found.push_back(localized(context, "`{}` imports `{}` (line {}; `{}` is not allowed)",
                                                  file->path, import.module, import.line, name));
                        break;
                    }
        }
        std::string note = syntax_error_note(context, files);
        if (found.empty()) return {100, localized(context, "No forbidden imports.") + note, std::nullopt};
        std::string report = localized(context, "Forbidden imports:");
        for (const auto& line : found) report += "\n- " + line;
        return {0, report + note, std::nullopt};
    }
};

class ForbiddenKeyword final : public TestFunction {
public:
    std::string key() const override { return "forbidden_keyword"; }
    std::string description() const override {
        return "Fails when a file uses a forbidden construct or breaks a custom rule, found on the syntax tree "
               "(comments and strings never count).";
    }
    std::vector<ParameterDoc> parameters() const override {
        ParameterDoc keywords{
            "forbidden_keywords", "list", false,
            "construct names: for_loop (also Python comprehension `for` clauses), while_loop, do_while_loop, "
            "eval_call (Python, JavaScript), exec_call (Python), and every construct of uses_construct "
            "(recursion, comprehension, try_except, lambda, if_statement, switch, ternary, "
            "class_definition); required unless custom_rules is given"};
        for (auto name : analysis::construct_names()) keywords.choices.emplace_back(name);
        return {keywords,
                {"custom_rules", "list", false,
                 "rules as objects {\"name\", \"language\", \"query\", \"message\"?}: a tree-sitter query "
                 "(predicates #eq?, #not-eq?, #match?, #not-match?) run on the files of that language; every match "
                 "is a violation, reported at the line of its first capture, with the message. A query that does "
                 "not compile makes the test score 0 with the error and its byte offset"}};
    }
    bool parameters_complete() const override { return true; }
    std::vector<ParameterProblem> check_parameters(const TestSpec& spec) const override {
        std::vector<ParameterProblem> problems = reader_problems(spec, parameters());
        const auto* keywords = spec.parameter("forbidden_keywords");
        const auto* rules = spec.parameter("custom_rules");
        if ((!keywords || keywords->is_null()) && (!rules || rules->is_null()))
            problems.push_back({"", "give 'forbidden_keywords' (construct names) or 'custom_rules' (or both)"});
        try {
            custom_rules_parameter(spec);  // compiles every query
        } catch (const std::invalid_argument& e) {
            problems.push_back({"custom_rules", e.what()});
        }
        return problems;
    }
    bool needs_syntax_trees() const override { return true; }
    TestOutcome run(const TestContext& context) const override {
        const auto& spec = context.spec;
        std::vector<CustomRule> rules = custom_rules_parameter(spec);
        std::vector<std::string> forbidden;
        if (const auto* keywords = spec.parameter("forbidden_keywords");
            (keywords && !keywords->is_null()) || rules.empty())
            forbidden = ParameterReader(spec, parameters()).required_string_list("forbidden_keywords");
        for (const auto& name : forbidden)
            if (!analysis::is_construct(name))
                throw std::invalid_argument(fmt::format("unknown construct '{}' in forbidden_keywords (known: {})",
                                                        name, fmt::join(analysis::construct_names(), ", ")));
        std::vector<std::string> found;
        auto files = parsed_files(context);
        for (const auto* parsed : files) {
            const SourceFile* file = parsed->file;
            for (const auto& name : forbidden) {
                auto lines = analysis::find_construct(parsed->tree, name);
                if (!lines.empty())
                    found.push_back(
                        localized(context, "`{}` uses {} (line {})", file->path, name, fmt::join(lines, ", ")));
            }
            for (const auto& rule : rules) {
                auto lines = violations(rule, parsed->tree);
                if (lines.empty()) continue;
                std::string where =
                    lines.front() == 0 ? std::string() : localized(context, " (line {})", fmt::join(lines, ", "));
                found.push_back(localized(context, "`{}` breaks rule {}{}{}", file->path, rule.name, where,
                                          rule.message.empty() ? std::string() : ": " + rule.message));
            }
        }
        std::string note = syntax_error_note(context, files);
        if (found.empty()) return {100, localized(context, "No forbidden constructs.") + note, std::nullopt};
        std::string report = localized(context, "Forbidden constructs:");
        for (const auto& line : found) report += "\n- " + line;
        return {0, report + note, std::nullopt};
    }
};

}  // namespace

Template static_analysis_template() {
    Template t;
    t.name = "static_analysis";
    t.description = "Checks how the code is written, on tree-sitter syntax trees (no sandbox).";
    std::vector<std::shared_ptr<const TestFunction>> functions = structural_check_functions();
    functions.push_back(std::make_shared<ForbiddenImport>());
    functions.push_back(std::make_shared<ForbiddenKeyword>());
    // The reference engine lists its AI algorithm checks in this template; its configurations work unchanged.
    for (auto& f : reference_ai_functions()) functions.push_back(std::move(f));
    for (const auto& f : functions) t.functions[f->key()] = f;
    return t;
}

}  // namespace autograder::templates
