// Named language constructs (loops, eval/exec calls, recursion, lambdas...) found on syntax trees,
// so comments and strings never count.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/syntax_tree.hpp"

namespace autograder::analysis {

// for_loop: for statements (Java enhanced for, JavaScript for-in/for-of, C++ range for, Python
//   comprehension `for` clauses too); while_loop; do_while_loop (not in Python); eval_call:
//   Python and JavaScript `eval(...)`; exec_call: Python `exec(...)`;
// recursion: a function calling itself by name (see find_recursive_calls in definitions.hpp);
// comprehension: Python list/set/dict comprehensions and generator expressions;
// try_except: try statements (Java try-with-resources too; not in C);
// lambda: Python lambda, Java lambda, JavaScript arrow function, C++ lambda (not in C);
// if_statement: each `if` (an `else if` is one more; Python `elif` is not);
// switch: switch statements (Java switch expressions too) and Python `match`;
// ternary: conditional expressions (`a if c else b`, `c ? a : b`);
// class_definition: Python classes; Java classes, interfaces, enums, records; JavaScript class
//   declarations and expressions; C++ classes and structs with a body (not in C).
const std::vector<std::string_view>& construct_names();
bool is_construct(std::string_view name);
// Whether `language` has `construct` at all (Python has no do_while_loop, HTML no recursion).
// Throws std::invalid_argument for a name not in construct_names().
bool language_has_construct(Language language, std::string_view construct);

// The 1-based lines where `construct` occurs (for recursion: of the recursive calls); empty when
// the language has no such construct.
// Throws std::invalid_argument for a name not in construct_names().
std::vector<uint32_t> find_construct(const SyntaxTree& tree, std::string_view construct);

}  // namespace autograder::analysis
