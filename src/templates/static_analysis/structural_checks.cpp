#include "templates/static_analysis/structural_checks.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analysis/constructs.hpp"
#include "analysis/definitions.hpp"
#include "analysis/nesting.hpp"
#include "autograder/pipeline.hpp"
#include "templates/localized.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/parsed_files.hpp"
#include "templates/static_analysis/structural_parameters.hpp"

namespace autograder::templates {
namespace {

constexpr std::size_t kListedAtMost = 20;  // definitions named in a report

std::string parameters_text(const TestContext& context, std::size_t count) {
    return count == 1 ? localized(context, "{} parameter", count) : localized(context, "{} parameters", count);
}

std::string lines_text(const TestContext& context, const std::vector<uint32_t>& lines) {
    return lines.size() == 1 ? localized(context, "line {}", lines.front())
                             : localized(context, "lines {}", fmt::join(lines, ", "));
}

class HasFunction final : public TestFunction {
public:
    std::string key() const override { return "has_function"; }
    std::string description() const override {
        return "100 when a file defines a function with that name (and that many parameters), else 0. Counts "
               "Python functions, methods and nested functions; Java methods and constructors; JavaScript function "
               "declarations, methods, and function expressions / arrow functions bound to a name; C and C++ "
               "function definitions (not prototypes), C++ methods and named lambdas.";
    }
    std::vector<ParameterDoc> parameters() const override {
        ParameterDoc name{"function_name", "string", true,
                          "the function's name, case-sensitive (a method's own name, without its class); also "
                          "accepted as `name` in the `parameters` list form (a flat `name` key is the test's "
                          "display name)"};
        name.aliases = {"name"};
        ParameterDoc count{"parameter_count", "integer", false,
                           "how many parameters it must declare: those with defaults and variadic ones count; a "
                           "Python method's self/cls and a C `(void)` do not"};
        count.minimum = 0;
        return {name, count};
    }
    bool parameters_complete() const override { return true; }
    std::vector<ParameterProblem> check_parameters(const TestSpec& spec) const override {
        return reader_problems(spec, parameters());
    }
    bool needs_syntax_trees() const override { return true; }
    TestOutcome run(const TestContext& context) const override {
        // The name may come as `name` (its alias) in the `parameters` list form: a flat `name` key is
        // the test's display name, so it never reaches the function.
        const ParameterReader given(context.spec, parameters());
        std::string name = given.required_text("function_name", ParameterReader::Empty::refused);
        auto expected = given.count("parameter_count");
        auto files = parsed_files(context, kCodeLanguages);
        std::vector<std::string> matching, wrong_count, others;
        for (const auto* parsed : files) {
            for (const auto& f : analysis::find_functions(parsed->tree)) {
                std::string where = localized(context, "`{}` line {}", parsed->file->path, f.line);
                std::string of_class =
                    f.enclosing_class.empty() ? "" : localized(context, " (in `{}`)", f.enclosing_class);
                if (f.name != name) {
                    others.push_back(fmt::format("`{}`{}: {}, {}", f.name, of_class,
                                                 parameters_text(context, f.parameter_count), where));
                } else if (expected && f.parameter_count != *expected) {
                    wrong_count.push_back(localized(context, "`{}`{} takes {}, expected {} ({})", name, of_class,
                                                    parameters_text(context, f.parameter_count), *expected, where));
                } else {
                    matching.push_back(localized(context, "`{}`{} is defined with {} ({})", name, of_class,
                                                 parameters_text(context, f.parameter_count), where));
                }
            }
        }
        std::string note = syntax_error_note(context, files);
        if (!matching.empty()) return {100, fmt::format("{}.", fmt::join(matching, "; ")) + note, std::nullopt};
        if (!wrong_count.empty()) return {0, fmt::format("{}.", fmt::join(wrong_count, "; ")) + note, std::nullopt};
        std::string report = localized(context, "No function named `{}` was found.", name);
        if (others.empty()) {
            report += " " + localized(context, "No functions are defined.");
        } else {
            report += " " + localized(context, "Functions defined:");
            for (std::size_t i = 0; i < others.size() && i < kListedAtMost; ++i) report += "\n- " + others[i];
            if (others.size() > kListedAtMost)
                report += "\n- " + localized(context, "... and {} more", others.size() - kListedAtMost);
        }
        return {0, report + note, std::nullopt};
    }
};

class HasClass final : public TestFunction {
public:
    std::string key() const override { return "has_class"; }
    std::string description() const override {
        return "100 when a file defines a class with that name, else 0: Python classes; Java classes, interfaces, "
               "enums and records; JavaScript classes; C++ classes, and C and C++ structs and unions with a body.";
    }
    std::vector<ParameterDoc> parameters() const override {
        ParameterDoc name{"class_name", "string", true,
                          "the class's name, case-sensitive; also accepted as `name` in the `parameters` list form"};
        name.aliases = {"name"};
        return {name};
    }
    bool parameters_complete() const override { return true; }
    std::vector<ParameterProblem> check_parameters(const TestSpec& spec) const override {
        return reader_problems(spec, parameters());
    }
    bool needs_syntax_trees() const override { return true; }
    TestOutcome run(const TestContext& context) const override {
        std::string name =
            ParameterReader(context.spec, parameters()).required_text("class_name", ParameterReader::Empty::refused);
        auto files = parsed_files(context, kCodeLanguages);
        std::vector<std::string> matching, others;
        for (const auto* parsed : files)
            for (const auto& c : analysis::find_classes(parsed->tree)) {
                std::string text =
                    localized(context, "`{}` ({} in `{}` line {})", c.name, c.kind, parsed->file->path, c.line);
                (c.name == name ? matching : others).push_back(std::move(text));
            }
        std::string note = syntax_error_note(context, files);
        if (!matching.empty())
            return {100, localized(context, "Defined: {}.", fmt::join(matching, ", ")) + note, std::nullopt};
        std::string report = localized(context, "No class named `{}` was found.", name);
        if (others.empty()) {
            report += " " + localized(context, "No classes are defined.");
        } else {
            report += " " + localized(context, "Classes defined:");
            for (std::size_t i = 0; i < others.size() && i < kListedAtMost; ++i) report += "\n- " + others[i];
            if (others.size() > kListedAtMost)
                report += "\n- " + localized(context, "... and {} more", others.size() - kListedAtMost);
        }
        return {0, report + note, std::nullopt};
    }
};

class UsesConstruct final : public TestFunction {
public:
    std::string key() const override { return "uses_construct"; }
    std::string description() const override {
        return "100 when the code uses the construct, else 0; with a list, the share of the constructs used "
               "(100 × used / listed, e.g. 2 of 3 → 66.67).";
    }
    std::vector<ParameterDoc> parameters() const override {
        ParameterDoc one{"construct", "string", false,
                         "one of recursion (a function calling itself by name, directly; for methods also through "
                         "self/this), for_loop, while_loop, do_while_loop, comprehension (Python "
                         "list/set/dict/generator), try_except (try/catch), lambda (Python lambda, JavaScript arrow "
                         "function, Java and C++ lambdas), if_statement, switch (switch, Python match), ternary, "
                         "class_definition, eval_call, exec_call"};
        ParameterDoc many{"constructs", "list", false,
                          "several of those instead of construct (exactly one of the two)"};
        for (auto name : analysis::construct_names()) {
            one.choices.emplace_back(name);
            many.choices.emplace_back(name);
        }
        return {one, many};
    }
    bool parameters_complete() const override { return true; }
    std::vector<ParameterProblem> check_parameters(const TestSpec& spec) const override {
        auto problems = reader_problems(spec, parameters());
        bool one = spec.parameter("construct") && !spec.parameter("construct")->is_null();
        bool many = spec.parameter("constructs") && !spec.parameter("constructs")->is_null();
        if (one == many) problems.push_back({"", "give exactly one of the parameters 'construct' and 'constructs'"});
        if (many && spec.parameter("constructs")->is_array() && spec.parameter("constructs")->empty())
            problems.push_back({"constructs", "parameter 'constructs' is an empty list"});
        return problems;
    }
    bool needs_syntax_trees() const override { return true; }
    TestOutcome run(const TestContext& context) const override {
        const auto& spec = context.spec;
        bool one = spec.parameter("construct") && !spec.parameter("construct")->is_null();
        bool many = spec.parameter("constructs") && !spec.parameter("constructs")->is_null();
        if (one == many) throw std::invalid_argument("give exactly one of the parameters 'construct' and 'constructs'");
        const ParameterReader given(spec, parameters());
        std::vector<std::string> wanted =
            one ? std::vector<std::string>{given.required_text("construct", ParameterReader::Empty::refused)}
                : given.required_string_list("constructs");
        if (wanted.empty()) throw std::invalid_argument("parameter 'constructs' is an empty list");
        for (const auto& name : wanted)
            if (!analysis::is_construct(name))
                throw std::invalid_argument(fmt::format("unknown construct '{}' (known: {})", name,
                                                        fmt::join(analysis::construct_names(), ", ")));
        auto files = parsed_files(context, kCodeLanguages);
        std::size_t used = 0;
        std::vector<std::string> lines;
        for (const auto& name : wanted) {
            std::vector<std::string> where;
            bool applies = false;
            for (const auto* parsed : files) {
                applies = applies || analysis::language_has_construct(parsed->tree.language(), name);
                auto found = analysis::find_construct(parsed->tree, name);
                if (!found.empty())
                    where.push_back(fmt::format("`{}` {}", parsed->file->path, lines_text(context, found)));
            }
            if (!where.empty()) {
                ++used;
                lines.push_back(localized(context, "{}: used ({})", name, fmt::join(where, "; ")));
            } else if (!files.empty() && !applies) {
                lines.push_back(localized(context, "{}: not used (the submission's language has no {})", name, name));
            } else {
                lines.push_back(localized(context, "{}: not used", name));
            }
        }
        double score = 100.0 * static_cast<double>(used) / static_cast<double>(wanted.size());
        std::string report = wanted.size() == 1 ? lines.front() + "."
                                                : localized(context, "{} of {} constructs used:", used, wanted.size()) +
                                                      "\n- " + fmt::format("{}", fmt::join(lines, "\n- "));
        return {score, report + syntax_error_note(context, files), std::nullopt};
    }
};

class MaxNestingDepth final : public TestFunction {
public:
    std::string key() const override { return "max_nesting_depth"; }
    std::string description() const override {
        return "100 when control blocks nest at most max_depth deep, else 0; the report gives the deepest nesting "
               "(file:line) and its depth. Blocks that count: if, for, while, do, switch (Python match), try "
               "(Java try-with-resources), Python and JavaScript with, Java synchronized; `else if`/`elif` stays at "
               "its `if`'s level; else/case/catch clauses belong to their statement; functions, classes and "
               "lambdas neither count nor reset the depth.";
    }
    std::vector<ParameterDoc> parameters() const override {
        ParameterDoc depth{"max_depth", "integer", true, "the deepest nesting allowed (0: no control block at all)"};
        depth.minimum = 0;
        return {depth,
                {"function", "string", false,
                 "only inside the functions with this name (see has_function); none found scores 0"}};
    }
    bool parameters_complete() const override { return true; }
    std::vector<ParameterProblem> check_parameters(const TestSpec& spec) const override {
        return reader_problems(spec, parameters());
    }
    bool needs_syntax_trees() const override { return true; }
    TestOutcome run(const TestContext& context) const override {
        const ParameterReader given(context.spec, parameters());
        auto max_depth = given.count("max_depth");
        if (!max_depth) throw std::invalid_argument("missing parameter 'max_depth'");
        auto function = given.text("function", ParameterReader::Empty::refused);
        auto files = parsed_files(context, kCodeLanguages);
        analysis::Nesting deepest;
        std::string deepest_where;
        bool function_found = false;
        auto consider = [&](const analysis::ParsedFile& parsed, analysis::Nesting nesting) {
            if (nesting.depth > deepest.depth || deepest_where.empty()) {
                deepest = nesting;
                deepest_where = nesting.depth == 0 ? fmt::format("`{}`", parsed.file->path)
                                                   : fmt::format("`{}`:{}", parsed.file->path, nesting.line);
            }
        };
        for (const auto* parsed : files) {
            if (!function) {
                consider(*parsed, analysis::deepest_nesting(parsed->tree));
                continue;
            }
            for (const auto& f : analysis::find_functions(parsed->tree))
                if (f.name == *function && !ts_node_is_null(f.body)) {
                    function_found = true;
                    consider(*parsed, analysis::deepest_nesting(parsed->tree, f.body));
                }
        }
        std::string note = syntax_error_note(context, files);
        if (function && !function_found)
            return {0, localized(context, "No function named `{}` was found.", *function) + note, std::nullopt};
        std::string scope = function ? localized(context, " in `{}`", *function) : "";
        std::string report =
            deepest.depth == 0
                ? localized(context, "No control blocks{} (depth 0); at most {} allowed.", scope, *max_depth)
                : localized(context, "Deepest nesting{}: depth {} at {}; at most {} allowed.", scope, deepest.depth,
                            deepest_where, *max_depth);
        return {deepest.depth <= *max_depth ? 100.0 : 0.0, report + note, std::nullopt};
    }
};

}  // namespace

std::vector<std::shared_ptr<const TestFunction>> structural_check_functions() {
    return {std::make_shared<HasFunction>(), std::make_shared<HasClass>(), std::make_shared<UsesConstruct>(),
            std::make_shared<MaxNestingDepth>(), count_query_function()};
}

}  // namespace autograder::templates
