// What a source file imports, read from its syntax tree (so comments and strings never count).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/syntax_tree.hpp"

namespace autograder::analysis {

struct Import {
    std::string module;     // "os.path", "java.util", "fs", "stdio.h", "sys/socket.h"
    uint32_t line = 0;      // 1-based
    bool wildcard = false;  // Java `import a.b.*;`: everything under `module`
};

// Python `import x[.y] [as z]`, `from x import ...` (not relative imports); Java `import [static] x;`;
// JavaScript `require('x')`, `import ... from 'x'`, `import 'x'`, `export ... from 'x'`, `import('x')`
// (a `node:` prefix is dropped); C and C++ `#include <x>` and `#include "x"`. HTML and CSS: none.
std::vector<Import> find_imports(const SyntaxTree& tree);

// Whether `import` brings in `forbidden`: the same module, a sub-module or member of it
// (`os` forbids `os.path`; `java.util` forbids `java.util.Scanner`; `fs` forbids `fs/promises`;
// `sys` forbids `sys/socket.h`), a C header named without its extension (`stdlib` forbids
// `stdlib.h`), or a Java wildcard import that covers it (`java.util.*` brings in the type `java.util.Scanner`,
// not the sub-package `java.util.stream`).
bool imports_module(const Import& import, std::string_view forbidden);

}  // namespace autograder::analysis
