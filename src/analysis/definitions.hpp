// Functions and classes a source file defines, and the calls by which a function calls itself,
// read from its syntax tree (so comments and strings never count).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/syntax_tree.hpp"

namespace autograder::analysis {

struct FunctionDefinition {
    std::string name;
    // Declared parameters, those with defaults and variadic ones (*args, ...rest, `...`) included;
    // a Python method's leading `self`/`cls` and a C `(void)` list are not parameters.
    std::size_t parameter_count = 0;
    uint32_t line = 0;            // 1-based line of the definition
    std::string enclosing_class;  // the class a method belongs to (C++ `A::f` gives A); "" otherwise
    TSNode body{};                // the function's body; ts_node_is_null for a declaration without one
};

// Python `def` (methods and nested functions too); Java methods and constructors; JavaScript
// function declarations, methods, and function expressions / arrow functions bound to a name
// (`const f = ...`, `obj.f = ...`, `f: ...` in an object literal, class fields); C and C++ function
// definitions (not prototypes), C++ methods defined in or out of their class, and C++ lambdas bound
// to a name (`auto f = [](int x) {...}`). HTML and CSS: none. In document order.
std::vector<FunctionDefinition> find_functions(const SyntaxTree& tree);

struct ClassDefinition {
    std::string name;
    std::string kind;  // "class", "interface", "enum", "record", "struct", "union"
    uint32_t line = 0;
};

// Python classes; Java classes, interfaces, enums, records and annotation types; JavaScript class
// declarations and named or name-bound class expressions; C++ classes, and C and C++ structs and
// unions with a body (`typedef struct {...} Name;` too). In document order.
std::vector<ClassDefinition> find_classes(const SyntaxTree& tree);

struct RecursiveCall {
    std::string function;
    uint32_t line = 0;  // of the call
};

// Calls a function makes to its own name anywhere inside its body (a nested lambda included):
// `f(...)`; for methods also `self.f(...)`, `this.f(...)`, `this->f(...)`, `A::f(...)`. Java and
// C++ overloads share their name, so a call to an overload counts. In document order.
std::vector<RecursiveCall> find_recursive_calls(const SyntaxTree& tree);

}  // namespace autograder::analysis
