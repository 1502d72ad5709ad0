// The parsed files of the submission being graded, as a host test function may read them. The
// STRUCTURAL_ANALYSIS step parses each file once (tree-sitter; Python, Java, JavaScript, C, C++,
// HTML, CSS; at most 2 MiB a file) for every test whose function says needs_syntax_trees().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autograder/templates.hpp"

namespace autograder {

namespace analysis {
class SubmissionTrees;  // internal
}

struct SyntaxCapture {
    std::string name;     // the capture's name, without '@'
    std::string text;     // the source text of the captured node
    uint32_t line = 0;    // 1-based
    uint32_t column = 0;  // 1-based, in bytes
};

struct SyntaxMatch {
    uint32_t pattern = 0;  // which pattern of the query matched
    std::vector<SyntaxCapture> captures;
};

// A read-only view of the submission's trees; valid while the test function runs.
class SubmissionSyntax {
public:
    // The view of the grading `context` belongs to. Throws std::logic_error when the test's
    // function does not say needs_syntax_trees() (no trees were parsed for it).
    static SubmissionSyntax of(const TestContext& context);

    // The paths of the parsed files, in submission order.
    std::vector<std::string> parsed_files() const;
    // "python", "java", "javascript", "c", "cpp", "html" or "css"; nullopt when `path` was not parsed.
    std::optional<std::string> language(std::string_view path) const;
    // Whether tree-sitter found syntax errors in the file (it still gives a tree: it recovers).
    bool has_syntax_errors(std::string_view path) const;
    // The file's tree as an S-expression, to write and debug queries.
    std::string s_expression(std::string_view path) const;
    // Every match of a tree-sitter query (#eq?, #not-eq?, #match?, #not-match? applied) in the file.
    // Throws std::invalid_argument for a query that does not compile (with the offset) or a file
    // that was not parsed.
    std::vector<SyntaxMatch> query(std::string_view path, std::string_view query) const;

private:
    explicit SubmissionSyntax(const analysis::SubmissionTrees& trees) : trees_(&trees) {}
    const analysis::SubmissionTrees* trees_;
};

}  // namespace autograder
