#include "analysis/syntax_tree.hpp"
#include "analysis/ascii_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <variant>

#include <fmt/format.h>
#include <re2/re2.h>

extern "C" {
const TSLanguage* tree_sitter_python(void);
const TSLanguage* tree_sitter_java(void);
const TSLanguage* tree_sitter_javascript(void);
const TSLanguage* tree_sitter_c(void);
const TSLanguage* tree_sitter_cpp(void);
const TSLanguage* tree_sitter_html(void);
const TSLanguage* tree_sitter_css(void);
}

namespace autograder::analysis {
namespace {

struct ParserDeleter {
    void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};
struct CursorDeleter {
    void operator()(TSQueryCursor* cursor) const { ts_query_cursor_delete(cursor); }
};

}  // namespace

std::string_view to_string(Language language) {
    switch (language) {
        case Language::python:
            return "python";
        case Language::java:
            return "java";
        case Language::javascript:
            return "javascript";
        case Language::c:
            return "c";
        case Language::cpp:
            return "cpp";
        case Language::html:
            return "html";
        case Language::css:
            return "css";
    }
    return "unknown";
}

std::optional<Language> language_from_name(std::string_view name) {
    std::string n = lowercase(name);
    if (n == "python" || n == "py") return Language::python;
    if (n == "java") return Language::java;
    if (n == "javascript" || n == "node" || n == "js") return Language::javascript;
    if (n == "c") return Language::c;
    if (n == "cpp" || n == "c++") return Language::cpp;
    if (n == "html") return Language::html;
    if (n == "css") return Language::css;
    return std::nullopt;
}

std::optional<Language> language_from_path(std::string_view path) {
    auto dot = path.rfind('.');
    auto slash = path.find_last_of("/\\");
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return std::nullopt;
    std::string ext = lowercase(path.substr(dot + 1));
    if (ext == "py") return Language::python;
    if (ext == "java") return Language::java;
    if (ext == "js" || ext == "mjs" || ext == "cjs") return Language::javascript;
    if (ext == "c" || ext == "h") return Language::c;
    if (ext == "cpp" || ext == "cc" || ext == "cxx" || ext == "hpp" || ext == "hh" || ext == "hxx")
        return Language::cpp;
    if (ext == "html" || ext == "htm") return Language::html;
    if (ext == "css") return Language::css;
    return std::nullopt;
}

const TSLanguage* grammar(Language language) {
    const TSLanguage* result = nullptr;
    switch (language) {
        case Language::python:
            result = tree_sitter_python();
            break;
        case Language::java:
            result = tree_sitter_java();
            break;
        case Language::javascript:
            result = tree_sitter_javascript();
            break;
        case Language::c:
            result = tree_sitter_c();
            break;
        case Language::cpp:
            result = tree_sitter_cpp();
            break;
        case Language::html:
            result = tree_sitter_html();
            break;
        case Language::css:
            result = tree_sitter_css();
            break;
    }
    uint32_t abi = result ? ts_language_version(result) : 0;
    if (abi < TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION || abi > TREE_SITTER_LANGUAGE_VERSION)
        throw std::runtime_error(fmt::format("the {} grammar is ABI {}; libtree-sitter reads {}-{}",
                                             to_string(language), abi, TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION,
                                             TREE_SITTER_LANGUAGE_VERSION));
    return result;
}

// ---------------------------------------------------------------------------------------------
// SyntaxTree

SyntaxTree::SyntaxTree(Language language, std::string source, TSTree* tree)
    : language_(language), source_(std::move(source)), tree_(tree) {}

SyntaxTree SyntaxTree::parse(Language language, std::string source) {
    // One parser per thread and language: parsers are cheap to keep and not thread-safe.
    thread_local std::array<std::unique_ptr<TSParser, ParserDeleter>, 7> parsers;
    auto& parser = parsers.at(static_cast<std::size_t>(language));
    if (!parser) {
        parser.reset(ts_parser_new());
        if (!parser || !ts_parser_set_language(parser.get(), grammar(language)))
            throw std::runtime_error(fmt::format("tree-sitter cannot load the {} grammar", to_string(language)));
    }
    if (source.size() > UINT32_MAX) throw std::runtime_error("source file too large to parse (4 GiB or more)");
    TSTree* tree = ts_parser_parse_string(parser.get(), nullptr, source.data(), static_cast<uint32_t>(source.size()));
    if (!tree) {
        ts_parser_reset(parser.get());
        throw std::runtime_error(fmt::format("tree-sitter failed to parse a {} file", to_string(language)));
    }
    return SyntaxTree(language, std::move(source), tree);
}

TSNode SyntaxTree::root() const {
    return ts_tree_root_node(tree_.get());
}

bool SyntaxTree::has_error() const {
    return ts_node_has_error(root());
}

std::vector<ParseError> SyntaxTree::errors(std::size_t limit) const {
    std::vector<ParseError> found;
    if (!has_error() || limit == 0) return found;
    TSTreeCursor cursor = ts_tree_cursor_new(root());
    bool done = false;
    while (!done && found.size() < limit) {
        TSNode node = ts_tree_cursor_current_node(&cursor);
        bool descend = ts_node_has_error(node);
        if (std::string_view(ts_node_type(node)) == "ERROR" || ts_node_is_missing(node)) {
            TSPoint at = ts_node_start_point(node);
            std::string what =
                ts_node_is_missing(node) ? fmt::format("missing '{}'", ts_node_type(node)) : "syntax error";
            found.push_back({at.row + 1, at.column + 1, std::move(what)});
            descend = false;
        }
        if (descend && ts_tree_cursor_goto_first_child(&cursor)) continue;
        while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
            if (!ts_tree_cursor_goto_parent(&cursor)) {
                done = true;
                break;
            }
        }
    }
    ts_tree_cursor_delete(&cursor);
    return found;
}

std::string_view SyntaxTree::text(TSNode node) const {
    uint32_t start = std::min<uint32_t>(ts_node_start_byte(node), static_cast<uint32_t>(source_.size()));
    uint32_t end = std::min<uint32_t>(ts_node_end_byte(node), static_cast<uint32_t>(source_.size()));
    return std::string_view(source_).substr(start, end > start ? end - start : 0);
}

// ---------------------------------------------------------------------------------------------
// Query

namespace {

struct QueryDeleter {
    void operator()(TSQuery* query) const { ts_query_delete(query); }
};

// One text predicate of a pattern: capture `capture` compared with a literal, another capture, or a regex.
struct Predicate {
    bool negate = false;
    uint32_t capture = 0;
    std::variant<std::string, uint32_t, std::shared_ptr<const RE2>> operand;  // literal, capture, regex
};

std::string_view error_name(TSQueryError error) {
    switch (error) {
        case TSQueryErrorSyntax:
            return "syntax error";
        case TSQueryErrorNodeType:
            return "unknown node type";
        case TSQueryErrorField:
            return "unknown field";
        case TSQueryErrorCapture:
            return "unknown capture";
        case TSQueryErrorStructure:
            return "impossible pattern";
        case TSQueryErrorLanguage:
            return "language mismatch";
        case TSQueryErrorNone:
            break;
    }
    return "error";
}

}  // namespace

struct Query::Impl {
    Language language;
    std::unique_ptr<TSQuery, QueryDeleter> query;
    std::vector<std::vector<Predicate>> predicates;  // per pattern
};

Query::Query(Language language, std::string_view source) : impl_(std::make_unique<Impl>()) {
    impl_->language = language;
    uint32_t offset = 0;
    TSQueryError error = TSQueryErrorNone;
    if (source.size() > UINT32_MAX) throw QueryError("query too long", 0);
    impl_->query.reset(
        ts_query_new(grammar(language), source.data(), static_cast<uint32_t>(source.size()), &offset, &error));
    if (!impl_->query) {
        uint32_t line = 1, column = 1;
        for (uint32_t i = 0; i < offset && i < source.size(); ++i) {
            if (source[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        throw QueryError(
            fmt::format("{} query: {} at line {}, column {}", to_string(language), error_name(error), line, column),
            offset);
    }
    TSQuery* query = impl_->query.get();
    uint32_t patterns = ts_query_pattern_count(query);
    impl_->predicates.resize(patterns);
    for (uint32_t p = 0; p < patterns; ++p) {
        uint32_t length = 0;
        const TSQueryPredicateStep* steps = ts_query_predicates_for_pattern(query, p, &length);
        for (uint32_t i = 0; i < length;) {
            uint32_t end = i;
            while (end < length && steps[end].type != TSQueryPredicateStepTypeDone) ++end;
            auto string_at = [&](uint32_t k) {
                uint32_t n = 0;
                const char* s = ts_query_string_value_for_id(query, steps[k].value_id, &n);
                return std::string(s, n);
            };
            if (end == i || steps[i].type != TSQueryPredicateStepTypeString)
                throw QueryError(fmt::format("pattern {}: malformed predicate", p + 1), 0);
            std::string name = string_at(i);
            Predicate predicate;
            bool is_eq = name == "eq?" || name == "not-eq?";
            bool is_match = name == "match?" || name == "not-match?";
            if (!is_eq && !is_match)
                throw QueryError(fmt::format("pattern {}: unsupported predicate #{}", p + 1, name), 0);
            if (end - i != 3 || steps[i + 1].type != TSQueryPredicateStepTypeCapture)
                throw QueryError(fmt::format("pattern {}: #{} takes a capture and one more argument", p + 1, name), 0);
            predicate.negate = name.rfind("not-", 0) == 0;
            predicate.capture = steps[i + 1].value_id;
            if (is_eq && steps[i + 2].type == TSQueryPredicateStepTypeCapture) {
                predicate.operand = steps[i + 2].value_id;
            } else if (steps[i + 2].type != TSQueryPredicateStepTypeString) {
                throw QueryError(fmt::format("pattern {}: #{} needs a string", p + 1, name), 0);
            } else if (is_eq) {
                predicate.operand = string_at(i + 2);
            } else {
                RE2::Options options;
                options.set_log_errors(false);
                auto regex = std::make_shared<const RE2>(string_at(i + 2), options);
                if (!regex->ok())
                    throw QueryError(fmt::format("pattern {}: bad regex in #{}: {}", p + 1, name, regex->error()), 0);
                predicate.operand = std::move(regex);
            }
            impl_->predicates[p].push_back(std::move(predicate));
            i = end + 1;
        }
    }
}

Query::~Query() = default;
Query::Query(Query&&) noexcept = default;
Query& Query::operator=(Query&&) noexcept = default;

Language Query::language() const {
    return impl_->language;
}
uint32_t Query::pattern_count() const {
    return ts_query_pattern_count(impl_->query.get());
}

std::vector<std::string> Query::capture_names() const {
    std::vector<std::string> names;
    uint32_t count = ts_query_capture_count(impl_->query.get());
    for (uint32_t i = 0; i < count; ++i) {
        uint32_t length = 0;
        const char* name = ts_query_capture_name_for_id(impl_->query.get(), i, &length);
        names.emplace_back(name, length);
    }
    return names;
}

std::vector<QueryMatch> Query::matches(const SyntaxTree& tree) const {
    if (tree.language() != impl_->language)
        throw std::invalid_argument(
            fmt::format("a {} query cannot run on a {} tree", to_string(impl_->language), to_string(tree.language())));
    TSQuery* query = impl_->query.get();
    std::unique_ptr<TSQueryCursor, CursorDeleter> cursor(ts_query_cursor_new());
    ts_query_cursor_exec(cursor.get(), query, tree.root());
    std::vector<QueryMatch> result;
    TSQueryMatch match;
    while (ts_query_cursor_next_match(cursor.get(), &match)) {
        auto texts_of = [&](uint32_t capture) {
            std::vector<std::string_view> texts;
            for (uint16_t c = 0; c < match.capture_count; ++c)
                if (match.captures[c].index == capture) texts.push_back(tree.text(match.captures[c].node));
            return texts;
        };
        bool keep = true;
        for (const Predicate& predicate : impl_->predicates.at(match.pattern_index)) {
            for (std::string_view text : texts_of(predicate.capture)) {
                bool holds = false;
                if (const auto* literal = std::get_if<std::string>(&predicate.operand)) {
                    holds = text == *literal;
                } else if (const auto* other = std::get_if<uint32_t>(&predicate.operand)) {
                    auto others = texts_of(*other);
                    holds = !others.empty() &&
                            std::all_of(others.begin(), others.end(), [&](std::string_view o) { return o == text; });
                } else {
                    const auto& regex = std::get<std::shared_ptr<const RE2>>(predicate.operand);
                    holds = RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *regex);
                }
                if (holds == predicate.negate) keep = false;
            }
            if (!keep) break;
        }
        if (!keep) continue;
        QueryMatch out;
        out.pattern = match.pattern_index;
        for (uint16_t c = 0; c < match.capture_count; ++c) {
            uint32_t length = 0;
            const char* name = ts_query_capture_name_for_id(query, match.captures[c].index, &length);
            out.captures.push_back({std::string_view(name, length), match.captures[c].node});
        }
        result.push_back(std::move(out));
    }
    return result;
}

std::map<std::string, std::size_t, std::less<>> Query::count_captures(const SyntaxTree& tree) const {
    std::map<std::string, std::size_t, std::less<>> counts;
    for (const auto& match : matches(tree))
        for (const auto& capture : match.captures) ++counts[std::string(capture.name)];
    return counts;
}

}  // namespace autograder::analysis
