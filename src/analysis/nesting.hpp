// How deeply control blocks nest in a source file, read from its syntax tree.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "analysis/syntax_tree.hpp"

namespace autograder::analysis {

// The node types that count as one level of nesting in `language`:
//   python: if, for, while, try, with, match
//   java: if, for, enhanced for, while, do, switch, try, try-with-resources, synchronized
//   javascript: if, for, for-in/of, while, do, switch, try, with
//   c: if, for, while, do, switch;  cpp: the same plus range for and try
//   html, css: none.
// `else if` continues its `if` (the same level, as Python's `elif`); else/elif/case/catch/finally
// clauses belong to their statement. Function, class and lambda definitions neither count nor
// reset the depth; a comprehension's `for` clauses do not count.
const std::vector<std::string_view>& control_block_types(Language language);

struct Nesting {
    uint32_t depth = 0;  // 0: no control block at all
    uint32_t line = 0;   // 1-based line of the innermost block of the first deepest nesting; 0 with depth 0
};

// The deepest nesting under `within` (a node of `tree`), counting only blocks inside it.
Nesting deepest_nesting(const SyntaxTree& tree, TSNode within);
inline Nesting deepest_nesting(const SyntaxTree& tree) {
    return deepest_nesting(tree, tree.root());
}

}  // namespace autograder::analysis
