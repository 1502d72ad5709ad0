#include "analysis/constructs.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>

namespace autograder::analysis {
namespace {

constexpr std::array<std::string_view, 5> kNames = {"for_loop", "while_loop", "do_while_loop", "eval_call", "exec_call"};
constexpr std::size_t kLanguages = 7;

// The query for construct `c` in `language`, or nullptr when the language has none.
const char* construct_query(std::size_t c, Language language) {
    const bool curly = language == Language::java || language == Language::javascript || language == Language::c ||
                       language == Language::cpp;
    switch (c) {
        case 0:  // for_loop
            switch (language) {
                case Language::python: return "(for_statement) @x (for_in_clause) @x";
                case Language::java: return "(for_statement) @x (enhanced_for_statement) @x";
                case Language::javascript: return "(for_statement) @x (for_in_statement) @x";
                case Language::c: return "(for_statement) @x";
                case Language::cpp: return "(for_statement) @x (for_range_loop) @x";
                default: return nullptr;
            }
        case 1:  // while_loop
            return language == Language::python || curly ? "(while_statement) @x" : nullptr;
        case 2:  // do_while_loop
            return curly ? "(do_statement) @x" : nullptr;
        case 3:  // eval_call
            if (language == Language::python) return R"(((call function: (identifier) @f) @x (#eq? @f "eval")))";
            if (language == Language::javascript)
                return R"(((call_expression function: (identifier) @f) @x (#eq? @f "eval")))";
            return nullptr;
        case 4:  // exec_call
            if (language == Language::python) return R"(((call function: (identifier) @f) @x (#eq? @f "exec")))";
            return nullptr;
        default: return nullptr;
    }
}

std::size_t index_of(std::string_view name) {
    auto it = std::find(kNames.begin(), kNames.end(), name);
    if (it == kNames.end()) {
        std::string known;
        for (auto n : kNames) known += (known.empty() ? "" : ", ") + std::string(n);
        throw std::invalid_argument("unknown construct '" + std::string(name) + "' (known: " + known + ")");
    }
    return static_cast<std::size_t>(it - kNames.begin());
}

}  // namespace

const std::vector<std::string_view>& construct_names() {
    static const auto* names = new std::vector<std::string_view>(kNames.begin(), kNames.end());
    return *names;
}

bool is_construct(std::string_view name) { return std::find(kNames.begin(), kNames.end(), name) != kNames.end(); }

std::vector<uint32_t> find_construct(const SyntaxTree& tree, std::string_view construct) {
    // Immortal: a pool worker may still grade while statics are destroyed at exit.
    using Table = std::array<std::array<std::optional<Query>, kLanguages>, kNames.size()>;
    static const Table* table = [] {
        auto* all = new Table();
        for (std::size_t c = 0; c < kNames.size(); ++c)
            for (std::size_t l = 0; l < kLanguages; ++l)
                if (const char* source = construct_query(c, static_cast<Language>(l)))
                    (*all)[c][l].emplace(static_cast<Language>(l), source);
        return all;
    }();
    const auto& query = (*table)[index_of(construct)][static_cast<std::size_t>(tree.language())];
    std::vector<uint32_t> lines;
    if (!query) return lines;
    for (const auto& match : query->matches(tree))
        for (const auto& capture : match.captures)
            if (capture.name == "x") lines.push_back(ts_node_start_point(capture.node).row + 1);
    std::sort(lines.begin(), lines.end());
    return lines;
}

}  // namespace autograder::analysis
