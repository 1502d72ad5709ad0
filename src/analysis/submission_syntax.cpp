#include "autograder/syntax.hpp"

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "analysis/submission_trees.hpp"
#include "autograder/pipeline.hpp"

namespace autograder {
namespace {

const analysis::ParsedFile& parsed(const analysis::SubmissionTrees& trees, std::string_view path) {
    const analysis::ParsedFile* file = trees.find(path);
    if (!file) throw std::invalid_argument("the file '" + std::string(path) + "' was not parsed");
    return *file;
}

}  // namespace

SubmissionSyntax SubmissionSyntax::of(const TestContext& context) {
    if (!context.execution.syntax_trees)
        throw std::logic_error("test function '" + context.spec.type +
                               "' reads syntax trees but does not declare needs_syntax_trees()");
    return SubmissionSyntax(*context.execution.syntax_trees);
}

std::vector<std::string> SubmissionSyntax::parsed_files() const {
    std::vector<std::string> paths;
    for (const auto& file : trees_->files()) paths.push_back(file.file->path);
    return paths;
}

std::optional<std::string> SubmissionSyntax::language(std::string_view path) const {
    const analysis::ParsedFile* file = trees_->find(path);
    if (!file) return std::nullopt;
    return std::string(analysis::to_string(file->tree.language()));
}

bool SubmissionSyntax::has_syntax_errors(std::string_view path) const {
    return parsed(*trees_, path).tree.has_error();
}

std::string SubmissionSyntax::s_expression(std::string_view path) const {
    // ts_node_string allocates with malloc; the caller frees.
    std::unique_ptr<char, decltype(&std::free)> text(ts_node_string(parsed(*trees_, path).tree.root()), &std::free);
    return text ? std::string(text.get()) : std::string();
}

std::vector<SyntaxMatch> SubmissionSyntax::query(std::string_view path, std::string_view query_text) const {
    const analysis::ParsedFile& file = parsed(*trees_, path);
    analysis::Query query(file.tree.language(), query_text);  // QueryError is an invalid_argument
    std::vector<SyntaxMatch> matches;
    for (const auto& match : query.matches(file.tree)) {
        SyntaxMatch out;
        out.pattern = match.pattern;
        for (const auto& capture : match.captures) {
            TSPoint start = ts_node_start_point(capture.node);
            out.captures.push_back({std::string(capture.name), std::string(file.tree.text(capture.node)), start.row + 1,
                                    start.column + 1});
        }
        matches.push_back(std::move(out));
    }
    return matches;
}

}  // namespace autograder
