// Named language constructs (loops, eval/exec calls) found on syntax trees, so comments and
// strings never count.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/syntax_tree.hpp"

namespace autograder::analysis {

// for_loop: for statements (Java enhanced for, JavaScript for-in/for-of, C++ range for, Python
//   comprehension `for` clauses too); while_loop; do_while_loop (not in Python); eval_call:
//   Python and JavaScript `eval(...)`; exec_call: Python `exec(...)`.
const std::vector<std::string_view>& construct_names();
bool is_construct(std::string_view name);

// The 1-based lines where `construct` occurs; empty when the language has no such construct.
// Throws std::invalid_argument for a name not in construct_names().
std::vector<uint32_t> find_construct(const SyntaxTree& tree, std::string_view construct);

}  // namespace autograder::analysis
