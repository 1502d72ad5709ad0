// Navigating a syntax tree: a node's fields, type and line, and walks in document order with a
// cursor and no recursion (hostile input can nest deeply enough to overflow a recursive walk).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include <tree_sitter/api.h>

namespace autograder::analysis {

inline TSNode child_field(TSNode node, const char* field) {
    if (ts_node_is_null(node)) return node;
    return ts_node_child_by_field_name(node, field, static_cast<uint32_t>(std::strlen(field)));
}

inline uint32_t line_of(TSNode node) {
    return ts_node_start_point(node).row + 1;
}

inline bool is_type(TSNode node, std::string_view type) {
    return type == ts_node_type(node);
}

// The first named child of `node` with this type, or a null node.
inline TSNode child_of_type(TSNode node, std::string_view type) {
    uint32_t count = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < count; ++i) {
        TSNode child = ts_node_named_child(node, i);
        if (is_type(child, type)) return child;
    }
    return TSNode{};
}

// Calls visit(node, depth) for `root` (depth 0) and every node under it, in document order;
// `visit` returns whether to enter the node's children.
template <class Visit>
void walk_tree(TSNode root, Visit&& visit) {
    if (ts_node_is_null(root)) return;
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    uint32_t depth = 0;
    while (true) {
        if (visit(ts_tree_cursor_current_node(&cursor), depth) && ts_tree_cursor_goto_first_child(&cursor)) {
            ++depth;
            continue;
        }
        bool moved = false;
        while (depth > 0) {
            if (ts_tree_cursor_goto_next_sibling(&cursor)) {
                moved = true;
                break;
            }
            ts_tree_cursor_goto_parent(&cursor);
            --depth;
        }
        if (!moved) break;
    }
    ts_tree_cursor_delete(&cursor);
}

// Calls visit(node) on `root` and every named node under it, in document order; the children of
// a node are skipped when `visit` returns false.
template <class Visit>
void walk_named(TSNode root, Visit&& visit) {
    walk_tree(root, [&](TSNode node, uint32_t) { return !ts_node_is_named(node) || visit(node); });
}

}  // namespace autograder::analysis
