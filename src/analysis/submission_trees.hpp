// The syntax trees of one submission: every file in a language with a grammar, parsed once by the
// STRUCTURAL_ANALYSIS step and shared (read-only) by every structural test of that grading.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/syntax_tree.hpp"
#include "autograder/execute.hpp"

namespace autograder::analysis {

struct ParsedFile {
    const SourceFile* file;  // owned by the submission, which outlives the grading
    SyntaxTree tree;
};

class SubmissionTrees {
public:
    // Files larger than this are not parsed (reported as skipped): a structural check has no
    // business with megabytes of generated code, and tree-sitter's time grows with the input.
    static constexpr std::size_t kMaxParsedBytes = 2 * 1024 * 1024;

    static SubmissionTrees parse(const std::vector<SourceFile>& files);

    const std::vector<ParsedFile>& files() const { return files_; }
    // The tree of the file at `path`; nullptr when it has no grammar or was skipped.
    const ParsedFile* find(std::string_view path) const;
    // Files that were not parsed, with why ("larger than 2 MiB").
    const std::vector<std::pair<std::string, std::string>>& skipped() const { return skipped_; }
    std::size_t parsed_bytes() const { return parsed_bytes_; }
    // [{"file", "line", "column", "what"}] for the files whose tree has errors (a few per file).
    nlohmann::json syntax_errors() const;

private:
    std::vector<ParsedFile> files_;
    std::vector<std::pair<std::string, std::string>> skipped_;
    std::size_t parsed_bytes_ = 0;
};

}  // namespace autograder::analysis
