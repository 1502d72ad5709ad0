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

namespace autograder::templates {
namespace {

std::vector<std::string> string_list_parameter(const TestSpec& spec, std::string_view name) {
    const nlohmann::json* value = spec.parameter(name);
    if (!value || value->is_null()) throw std::invalid_argument("missing parameter '" + std::string(name) + "'");
    std::vector<std::string> list;
    if (value->is_string()) {
        list.push_back(value->get<std::string>());
    } else if (value->is_array()) {
        for (const auto& item : *value) {
            if (!item.is_string())
                throw std::invalid_argument("parameter '" + std::string(name) + "' must be a list of strings");
            list.push_back(item.get<std::string>());
        }
    } else {
        throw std::invalid_argument("parameter '" + std::string(name) + "' must be a list of strings");
    }
    return list;
}

std::string_view base_name(std::string_view path) {
    auto slash = path.find_last_of('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The submission's code files the test looks at: the one named by `file` (by path or base name),
// or every file in a language with a grammar.
struct CodeFile {
    const SourceFile* file;
    analysis::Language language;
};

std::vector<CodeFile> code_files(const TestContext& context) {
    std::vector<CodeFile> files;
    const auto& spec = context.spec;
    bool found_named = false;
    for (const SourceFile& file : context.execution.submission.files) {
        if (spec.file && file.path != *spec.file && base_name(file.path) != *spec.file) continue;
        found_named = true;
        if (auto language = analysis::language_from_path(file.path)) files.push_back({&file, *language});
    }
    if (spec.file && !found_named) throw std::invalid_argument(fmt::format("the submission has no file '{}'", *spec.file));
    return files;
}

class ForbiddenImport final : public TestFunction {
public:
    std::string key() const override { return "forbidden_import"; }
    std::string description() const override {
        return "Fails when a file imports a forbidden module: Python import/from, Java import [static], JavaScript "
               "require/import, C and C++ #include. Read from the syntax tree: comments and strings never count.";
    }
    std::vector<ParameterDoc> parameters() const override {
        return {{"forbidden_imports", "list", true,
                 "modules: `os` also forbids `os.path`, `java.util` forbids `java.util.Scanner`, `stdlib` forbids "
                 "`stdlib.h`, `sys` forbids `sys/socket.h`"}};
    }
    TestOutcome run(const TestContext& context) const override {
        std::vector<std::string> forbidden = string_list_parameter(context.spec, "forbidden_imports");
        std::vector<std::string> found;
        std::vector<std::string> unparsed;
        for (const auto& [file, language] : code_files(context)) {
            auto tree = analysis::SyntaxTree::parse(language, file->content);
            if (tree.has_error()) {
                auto errors = tree.errors(1);
                unparsed.push_back(errors.empty() ? fmt::format("`{}`", file->path)
                                                  : fmt::format("`{}` (line {})", file->path, errors.front().line));
            }
            for (const auto& import : analysis::find_imports(tree))
                for (const auto& name : forbidden)
                    if (analysis::imports_module(import, name)) {
                        found.push_back(fmt::format("`{}` imports `{}` (line {}; `{}` is not allowed)", file->path,
                                                    import.module, import.line, name));
                        break;
                    }
        }
        std::string note;
        if (!unparsed.empty())
            note = fmt::format("\n\nSyntax errors in {}: only what could be parsed was checked.",
                               fmt::join(unparsed, ", "));
        if (found.empty()) return {100, "No forbidden imports." + note, std::nullopt};
        std::string report = "Forbidden imports:";
        for (const auto& line : found) report += "\n- " + line;
        return {0, report + note, std::nullopt};
    }
};

class ForbiddenKeyword final : public TestFunction {
public:
    std::string key() const override { return "forbidden_keyword"; }
    std::string description() const override {
        return "Fails when a file uses a forbidden construct, found on the syntax tree (comments and strings never "
               "count).";
    }
    std::vector<ParameterDoc> parameters() const override {
        return {{"forbidden_keywords", "list", true,
                 "any of for_loop (also Python comprehension `for` clauses), while_loop, do_while_loop, eval_call "
                 "(Python, JavaScript), exec_call (Python)"}};
    }
    TestOutcome run(const TestContext& context) const override {
        std::vector<std::string> forbidden = string_list_parameter(context.spec, "forbidden_keywords");
        for (const auto& name : forbidden)
            if (!analysis::is_construct(name))
                throw std::invalid_argument(fmt::format("unknown construct '{}' in forbidden_keywords (known: {})", name,
                                                        fmt::join(analysis::construct_names(), ", ")));
        std::vector<std::string> found;
        std::vector<std::string> unparsed;
        for (const auto& [file, language] : code_files(context)) {
            auto tree = analysis::SyntaxTree::parse(language, file->content);
            if (tree.has_error()) unparsed.push_back(fmt::format("`{}`", file->path));
            for (const auto& name : forbidden) {
                auto lines = analysis::find_construct(tree, name);
                if (!lines.empty())
                    found.push_back(fmt::format("`{}` uses {} (line {})", file->path, name, fmt::join(lines, ", ")));
            }
        }
        std::string note;
        if (!unparsed.empty())
            note = fmt::format("\n\nSyntax errors in {}: only what could be parsed was checked.",
                               fmt::join(unparsed, ", "));
        if (found.empty()) return {100, "No forbidden constructs." + note, std::nullopt};
        std::string report = "Forbidden constructs:";
        for (const auto& line : found) report += "\n- " + line;
        return {0, report + note, std::nullopt};
    }
};

}  // namespace

Template static_analysis_template() {
    Template t;
    t.name = "static_analysis";
    t.description = "Checks how the code is written, on tree-sitter syntax trees (no sandbox).";
    std::shared_ptr<const TestFunction> functions[] = {std::make_shared<ForbiddenImport>(),
                                                       std::make_shared<ForbiddenKeyword>()};
    for (const auto& f : functions) t.functions[f->key()] = f;
    return t;
}

}  // namespace autograder::templates
