#include "templates/parsed_files.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "autograder/pipeline.hpp"
#include "templates/localized.hpp"

namespace autograder::templates {
namespace {

std::string_view base_name(std::string_view path) {
    auto slash = path.find_last_of('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

bool submission_has_file(const TestContext& context, std::string_view name) {
    const auto& files = context.execution.submission.files;
    return std::any_of(files.begin(), files.end(),
                       [&](const SourceFile& f) { return f.path == name || base_name(f.path) == name; });
}

std::vector<const analysis::ParsedFile*> parsed_files(const TestContext& context,
                                                      std::initializer_list<analysis::Language> languages) {
    const PipelineExecution& execution = context.execution;
    // STRUCTURAL_ANALYSIS parses each file once for every test of a grading whose function says
    // needs_syntax_trees(); a function that reads trees without saying so is a bug of ours.
    if (!execution.syntax_trees)
        throw std::logic_error("test function '" + context.spec.type +
                               "' reads syntax trees but does not declare needs_syntax_trees()");
    auto wanted = [&](analysis::Language language) {
        return languages.size() == 0 || std::find(languages.begin(), languages.end(), language) != languages.end();
    };
    const auto& spec = context.spec;
    std::vector<const analysis::ParsedFile*> files;
    for (const auto& parsed : execution.syntax_trees->files()) {
        if (spec.file && parsed.file->path != *spec.file && base_name(parsed.file->path) != *spec.file) continue;
        if (wanted(parsed.tree.language())) files.push_back(&parsed);
    }
    if (spec.file && files.empty()) {
        if (!submission_has_file(context, *spec.file))
            throw std::invalid_argument(localized(context, "the submission has no file '{}'", *spec.file));
        for (const auto& [path, why] : execution.syntax_trees->skipped())
            if (path == *spec.file || base_name(path) == *spec.file)
                throw std::invalid_argument(localized(context, "the file '{}' was not analysed: {}", path, why));
        if (languages.size() == 0) return files;  // not code (notes.txt): nothing to check
        std::vector<std::string_view> names;
        for (auto language : languages) names.push_back(analysis::to_string(language));
        if (names.empty())
            throw std::invalid_argument(
                localized(context, "the file '{}' is not in a language with a grammar", *spec.file));
        throw std::invalid_argument(
            localized(context, "the file '{}' is not {}", *spec.file, fmt::format("{}", fmt::join(names, " or "))));
    }
    return files;
}

std::string syntax_error_note(const TestContext& context, const std::vector<const analysis::ParsedFile*>& files) {
    std::vector<std::string> broken;
    for (const auto* parsed : files) {
        if (!parsed->tree.has_error()) continue;
        auto errors = parsed->tree.errors(1);
        broken.push_back(errors.empty()
                             ? fmt::format("`{}`", parsed->file->path)
                             : localized(context, "`{}` (line {})", parsed->file->path, errors.front().line));
    }
    if (broken.empty()) return {};
    return "\n\n" +
           localized(context, "Syntax errors in {}: only what could be parsed was checked.", fmt::join(broken, ", "));
}

}  // namespace autograder::templates
