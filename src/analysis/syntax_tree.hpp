// Syntax trees for structural checks (static_analysis, webdev): a source file parsed with the
// tree-sitter grammar of its language, and tree-sitter queries run over it. A file that does not
// parse still gives a tree (tree-sitter recovers); has_error() and errors() say where it broke.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <tree_sitter/api.h>

namespace autograder::analysis {

enum class Language { python, java, javascript, c, cpp, html, css };

std::string_view to_string(Language language);  // "python", "java", "javascript", ...
// "python", "java", "javascript"/"node"/"js", "c", "cpp"/"c++", "html", "css"; nullopt otherwise.
std::optional<Language> language_from_name(std::string_view name);
// By extension: .py, .java, .js/.mjs/.cjs, .c/.h, .cpp/.cc/.cxx/.hpp/.hh/.hxx, .html/.htm, .css.
std::optional<Language> language_from_path(std::string_view path);
// The compiled-in grammar (ABI checked against libtree-sitter on first use).
const TSLanguage* grammar(Language language);

struct ParseError {
    uint32_t line = 0;    // 1-based
    uint32_t column = 0;  // 1-based, in bytes
    std::string what;     // "syntax error" or "missing ';'"
};

class SyntaxTree {
public:
    // Never throws for bad source; throws std::runtime_error only when tree-sitter itself fails.
    static SyntaxTree parse(Language language, std::string source);

    Language language() const { return language_; }
    const std::string& source() const { return source_; }
    TSNode root() const;
    bool has_error() const;
    // The ERROR and MISSING nodes in document order, at most `limit`.
    std::vector<ParseError> errors(std::size_t limit = 20) const;
    std::string_view text(TSNode node) const;

private:
    struct TreeDeleter {
        void operator()(TSTree* tree) const { ts_tree_delete(tree); }
    };
    SyntaxTree(Language language, std::string source, TSTree* tree);
    Language language_;
    std::string source_;
    std::unique_ptr<TSTree, TreeDeleter> tree_;
};

// A query that does not compile: the message names the problem and the byte offset.
class QueryError : public std::invalid_argument {
public:
    QueryError(const std::string& message, uint32_t offset) : std::invalid_argument(message), offset_(offset) {}
    uint32_t offset() const { return offset_; }

private:
    uint32_t offset_;
};

struct Capture {
    std::string_view name;  // the capture's name without '@'
    TSNode node;
};

struct QueryMatch {
    uint32_t pattern = 0;  // index of the pattern in the query
    std::vector<Capture> captures;
};

// A compiled query; immutable, so one Query serves many trees from many threads. The text
// predicates #eq?, #not-eq?, #match? and #not-match? are applied (libtree-sitter leaves them to
// the caller); any other predicate is a QueryError.
class Query {
public:
    Query(Language language, std::string_view source);  // throws QueryError
    ~Query();
    Query(Query&&) noexcept;
    Query& operator=(Query&&) noexcept;
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;

    Language language() const;
    uint32_t pattern_count() const;
    // The names of the query's captures (without '@'), in the order they first appear.
    std::vector<std::string> capture_names() const;

    // Every match in `tree` (whose language must be the query's), predicates applied.
    std::vector<QueryMatch> matches(const SyntaxTree& tree) const;
    std::size_t count_matches(const SyntaxTree& tree) const { return matches(tree).size(); }
    // How many times each capture name was captured, over all matches.
    std::map<std::string, std::size_t, std::less<>> count_captures(const SyntaxTree& tree) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace autograder::analysis
