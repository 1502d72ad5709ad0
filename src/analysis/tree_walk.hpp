// Small helpers to walk a tree-sitter syntax tree without recursion (student code can nest deeply
// enough to overflow a recursive walk's stack).
#pragma once

#include <cstdint>
#include <cstring>

#include <tree_sitter/api.h>

namespace autograder::analysis {

inline TSNode child_field(TSNode node, const char* field) {
    if (ts_node_is_null(node)) return node;
    return ts_node_child_by_field_name(node, field, static_cast<uint32_t>(std::strlen(field)));
}

inline uint32_t line_of(TSNode node) {
    return ts_node_start_point(node).row + 1;
}

// Calls `visit(node)` on `root` and every named node under it, in document order; the children of
// a node are skipped when `visit` returns false.
template <class Visit>
void walk_named(TSNode root, Visit&& visit) {
    if (ts_node_is_null(root)) return;
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    for (;;) {
        TSNode node = ts_tree_cursor_current_node(&cursor);
        bool descend = !ts_node_is_named(node) || visit(node);
        if (descend && ts_tree_cursor_goto_first_child(&cursor)) continue;
        bool done = false;
        while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
            if (!ts_tree_cursor_goto_parent(&cursor)) {
                done = true;
                break;
            }
        }
        if (done) break;
    }
    ts_tree_cursor_delete(&cursor);
}

}  // namespace autograder::analysis
