#include "analysis/constructs.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>

#include "analysis/definitions.hpp"

namespace autograder::analysis {
namespace {

constexpr std::size_t kLanguages = 7;

// A construct and its query per language (python, java, javascript, c, cpp, html, css); nullptr
// where the language has no such construct. `recursion` is no query: it compares names.
struct ConstructQueries {
    std::string_view name;
    std::array<const char*, kLanguages> queries;
};

constexpr const char* kIf = "(if_statement) @x";

constexpr std::array<ConstructQueries, 13> kConstructs = {{
    {"for_loop",
     {"(for_statement) @x (for_in_clause) @x", "(for_statement) @x (enhanced_for_statement) @x",
      "(for_statement) @x (for_in_statement) @x", "(for_statement) @x", "(for_statement) @x (for_range_loop) @x",
      nullptr, nullptr}},
    {"while_loop",
     {"(while_statement) @x", "(while_statement) @x", "(while_statement) @x", "(while_statement) @x",
      "(while_statement) @x", nullptr, nullptr}},
    {"do_while_loop",
     {nullptr, "(do_statement) @x", "(do_statement) @x", "(do_statement) @x", "(do_statement) @x", nullptr, nullptr}},
    {"eval_call",
     {R"(((call function: (identifier) @f) @x (#eq? @f "eval")))", nullptr,
      R"(((call_expression function: (identifier) @f) @x (#eq? @f "eval")))", nullptr, nullptr, nullptr, nullptr}},
    {"exec_call",
     {R"(((call function: (identifier) @f) @x (#eq? @f "exec")))", nullptr, nullptr, nullptr, nullptr, nullptr,
      nullptr}},
    {"recursion", {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr}},
    {"comprehension",
     {"(list_comprehension) @x (set_comprehension) @x (dictionary_comprehension) @x (generator_expression) @x", nullptr,
      nullptr, nullptr, nullptr, nullptr, nullptr}},
    {"try_except",
     {"(try_statement) @x", "(try_statement) @x (try_with_resources_statement) @x", "(try_statement) @x", nullptr,
      "(try_statement) @x", nullptr, nullptr}},
    {"lambda",
     {"(lambda) @x", "(lambda_expression) @x", "(arrow_function) @x", nullptr, "(lambda_expression) @x", nullptr,
      nullptr}},
    {"if_statement", {kIf, kIf, kIf, kIf, kIf, nullptr, nullptr}},
    {"switch",
     {"(match_statement) @x", "(switch_expression) @x", "(switch_statement) @x", "(switch_statement) @x",
      "(switch_statement) @x", nullptr, nullptr}},
    {"ternary",
     {"(conditional_expression) @x", "(ternary_expression) @x", "(ternary_expression) @x",
      "(conditional_expression) @x", "(conditional_expression) @x", nullptr, nullptr}},
    {"class_definition",
     {"(class_definition) @x",
      "(class_declaration) @x (interface_declaration) @x (enum_declaration) @x (record_declaration) @x",
      "(class_declaration) @x (class) @x", nullptr, "(class_specifier body: (_)) @x (struct_specifier body: (_)) @x",
      nullptr, nullptr}},
}};

std::size_t index_of(std::string_view name) {
    for (std::size_t i = 0; i < kConstructs.size(); ++i)
        if (kConstructs[i].name == name) return i;
    std::string known;
    for (const auto& c : kConstructs) known += (known.empty() ? "" : ", ") + std::string(c.name);
    throw std::invalid_argument("unknown construct '" + std::string(name) + "' (known: " + known + ")");
}

}  // namespace

const std::vector<std::string_view>& construct_names() {
    static const auto* names = [] {
        auto* all = new std::vector<std::string_view>();
        for (const auto& c : kConstructs) all->push_back(c.name);
        return all;
    }();
    return *names;
}

bool is_construct(std::string_view name) {
    return std::any_of(kConstructs.begin(), kConstructs.end(), [&](const auto& c) { return c.name == name; });
}

bool language_has_construct(Language language, std::string_view construct) {
    const auto& c = kConstructs[index_of(construct)];
    if (c.name == "recursion")
        return language != Language::html && language != Language::css;  // every language with functions
    return c.queries[static_cast<std::size_t>(language)] != nullptr;
}

std::vector<uint32_t> find_construct(const SyntaxTree& tree, std::string_view construct) {
    // Immortal: a pool worker may still grade while statics are destroyed at exit.
    using Table = std::array<std::array<std::optional<Query>, kLanguages>, kConstructs.size()>;
    static const Table* table = [] {
        auto* all = new Table();
        for (std::size_t c = 0; c < kConstructs.size(); ++c)
            for (std::size_t l = 0; l < kLanguages; ++l)
                if (const char* source = kConstructs[c].queries[l])
                    (*all)[c][l].emplace(static_cast<Language>(l), source);
        return all;
    }();
    std::size_t index = index_of(construct);
    std::vector<uint32_t> lines;
    if (kConstructs[index].name == "recursion") {
        for (const auto& call : find_recursive_calls(tree)) lines.push_back(call.line);
        return lines;
    }
    const auto& query = (*table)[index][static_cast<std::size_t>(tree.language())];
    if (!query) return lines;
    for (const auto& match : query->matches(tree))
        for (const auto& capture : match.captures)
            if (capture.name == "x") lines.push_back(ts_node_start_point(capture.node).row + 1);
    std::sort(lines.begin(), lines.end());
    return lines;
}

}  // namespace autograder::analysis
