#include "analysis/nesting.hpp"

#include <algorithm>

#include "analysis/tree_walk.hpp"

namespace autograder::analysis {
namespace {

bool counts(Language language, std::string_view type) {
    const auto& types = control_block_types(language);
    return std::find(types.begin(), types.end(), type) != types.end();
}

// `else if`: an if statement that is the else branch of another (C, C++, JavaScript wrap it in an
// else_clause; Java puts it in the `alternative` field directly).
bool continues_else_if(TSNode node) {
    if (std::string_view(ts_node_type(node)) != "if_statement") return false;
    TSNode parent = ts_node_parent(node);
    if (ts_node_is_null(parent)) return false;
    std::string_view parent_type = ts_node_type(parent);
    if (parent_type == "else_clause") {
        TSNode grandparent = ts_node_parent(parent);
        return !ts_node_is_null(grandparent) && std::string_view(ts_node_type(grandparent)) == "if_statement";
    }
    return parent_type == "if_statement" && ts_node_eq(child_field(parent, "alternative"), node);
}

}  // namespace

const std::vector<std::string_view>& control_block_types(Language language) {
    static const auto* table = new std::vector<std::vector<std::string_view>>{
        // python
        {"if_statement", "for_statement", "while_statement", "try_statement", "with_statement", "match_statement"},
        // java
        {"if_statement", "for_statement", "enhanced_for_statement", "while_statement", "do_statement",
         "switch_expression", "try_statement", "try_with_resources_statement", "synchronized_statement"},
        // javascript
        {"if_statement", "for_statement", "for_in_statement", "while_statement", "do_statement", "switch_statement",
         "try_statement", "with_statement"},
        // c
        {"if_statement", "for_statement", "while_statement", "do_statement", "switch_statement"},
        // cpp
        {"if_statement", "for_statement", "for_range_loop", "while_statement", "do_statement", "switch_statement",
         "try_statement"},
        {},  // html
        {},  // css
    };
    return table->at(static_cast<std::size_t>(language));
}

Nesting deepest_nesting(const SyntaxTree& tree, TSNode within) {
    Nesting deepest;
    if (ts_node_is_null(within)) return deepest;
    // A cursor walk (no recursion: generated code can nest deeply); `inside` holds, for each
    // ancestor of the current node, the nesting depth inside it.
    TSTreeCursor cursor = ts_tree_cursor_new(within);
    std::vector<uint32_t> inside{0};
    for (;;) {
        TSNode node = ts_tree_cursor_current_node(&cursor);
        uint32_t depth = inside.back();
        if (ts_node_is_named(node) && counts(tree.language(), ts_node_type(node)) && !continues_else_if(node)) {
            ++depth;
            if (depth > deepest.depth) deepest = {depth, line_of(node)};
        }
        if (ts_tree_cursor_goto_first_child(&cursor)) {
            inside.push_back(depth);
            continue;
        }
        bool done = false;
        while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
            if (!ts_tree_cursor_goto_parent(&cursor)) {
                done = true;
                break;
            }
            inside.pop_back();
        }
        if (done) break;
    }
    ts_tree_cursor_delete(&cursor);
    return deepest;
}

}  // namespace autograder::analysis
