#include "analysis/submission_trees.hpp"

#include <fmt/format.h>

namespace autograder::analysis {

SubmissionTrees SubmissionTrees::parse(const std::vector<SourceFile>& files) {
    SubmissionTrees trees;
    for (const SourceFile& file : files) {
        auto language = language_from_path(file.path);
        if (!language) continue;
        if (file.content.size() > kMaxParsedBytes) {
            trees.skipped_.emplace_back(file.path, fmt::format("larger than {} MiB", kMaxParsedBytes >> 20));
            continue;
        }
        trees.files_.push_back({&file, SyntaxTree::parse(*language, file.content)});
        trees.parsed_bytes_ += file.content.size();
    }
    return trees;
}

const ParsedFile* SubmissionTrees::find(std::string_view path) const {
    for (const auto& parsed : files_)
        if (parsed.file->path == path) return &parsed;
    return nullptr;
}

nlohmann::json SubmissionTrees::syntax_errors() const {
    constexpr std::size_t kErrorsPerFile = 3;
    auto errors = nlohmann::json::array();
    for (const auto& parsed : files_) {
        if (!parsed.tree.has_error()) continue;
        for (const auto& error : parsed.tree.errors(kErrorsPerFile))
            errors.push_back(
                {{"file", parsed.file->path}, {"line", error.line}, {"column", error.column}, {"what", error.what}});
    }
    return errors;
}

}  // namespace autograder::analysis
