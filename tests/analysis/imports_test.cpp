// analysis/imports: imports read from syntax trees in each language; comments and strings never count.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "analysis/imports.hpp"

using namespace autograder::analysis;

namespace {

std::vector<std::string> modules(Language language, const std::string& source) {
    std::vector<std::string> out;
    for (const auto& import : find_imports(SyntaxTree::parse(language, source)))
        out.push_back(import.module + (import.wildcard ? ".*" : "") + ":" + std::to_string(import.line));
    return out;
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("imports: python import, aliases, from, not comments, strings or relative imports") {
    CHECK(modules(Language::python,
                  "import os\nimport numpy as np, sys.path\nfrom collections import Counter\n"
                  "from . import sibling\n# import socket\nx = 'import subprocess'\n\"\"\"\nimport re\n\"\"\"\n") ==
          Names{"os:1", "numpy:2", "sys.path:2", "collections:3"});
}

TEST_CASE("imports: java import, static and wildcard imports, not comments") {
    CHECK(modules(Language::java,
                  "import java.util.Scanner;\nimport static java.lang.Math.max;\nimport java.io.*;\n"
                  "// import java.net.Socket;\n/* import java.nio.file.Files; */\nclass A { String s = \"import "
                  "x.y;\"; }\n") == Names{"java.util.Scanner:1", "java.lang.Math.max:2", "java.io.*:3"});
}

TEST_CASE("imports: javascript require, import, export from, dynamic import, not comments or strings") {
    CHECK(modules(Language::javascript,
                  "const fs = require('fs');\nimport path from \"node:path\";\nimport 'polyfill';\n"
                  "export { a } from './a.js';\nconst m = await import('child_process');\n"
                  "// const http = require('http');\n/* require('net') */\nconst s = \"require('os')\";\n"
                  "const r = require;\n") == Names{"fs:1", "path:2", "polyfill:3", "./a.js:4", "child_process:5"});
}

TEST_CASE("imports: c and c++ includes, not comments or disabled text in strings") {
    CHECK(modules(Language::c,
                  "#include <stdio.h>\n#include \"my.h\"\n// #include <stdlib.h>\n"
                  "/* #include <unistd.h> */\nconst char* s = \"#include <sys/socket.h>\";\n") ==
          Names{"stdio.h:1", "my.h:2"});
    CHECK(modules(Language::cpp, "#include <vector>\n#include <sys/socket.h>\nint main() {}\n") ==
          Names{"vector:1", "sys/socket.h:2"});
}

TEST_CASE("imports: html and css have none") {
    CHECK(modules(Language::html, "<script>require('fs')</script>").empty());
    CHECK(modules(Language::css, "@import url('x.css');").empty());
}

TEST_CASE("imports: which forbidden names an import brings in") {
    auto check = [](std::string module, bool wildcard, std::string forbidden) {
        return imports_module(Import{std::move(module), 1, wildcard}, forbidden);
    };
    CHECK(check("os", false, "os"));
    CHECK(check("os.path", false, "os"));
    CHECK_FALSE(check("os", false, "os.path"));
    CHECK_FALSE(check("oscar", false, "os"));
    CHECK(check("java.util.Scanner", false, "java.util"));
    CHECK(check("java.util", true, "java.util.Scanner"));
    CHECK(check("java.util", true, "java.util.*"));
    CHECK_FALSE(check("java.util", false, "java.util.Scanner"));
    CHECK(check("fs/promises", false, "fs"));
    CHECK(check("stdlib.h", false, "stdlib"));
    CHECK(check("stdlib.h", false, "stdlib.h"));
    CHECK(check("sys/socket.h", false, "sys"));
    CHECK_FALSE(check("stdio.h", false, "stdlib"));
    CHECK_FALSE(check("anything", false, ""));
}

TEST_CASE("imports: a Java wildcard imports the package's types, never its sub-packages") {
    auto check = [](std::string module, bool wildcard, std::string forbidden) {
        return imports_module(Import{std::move(module), 1, wildcard}, forbidden);
    };
    CHECK_FALSE(check("java.util", true, "java.util.stream"));
    CHECK_FALSE(check("java.util", true, "java.util.concurrent.atomic"));
    CHECK(check("java.util", true, "java.util.Map.Entry"));
    CHECK(check("java.util.stream", true, "java.util.stream.Collectors"));
    CHECK(check("java.util.stream", false, "java.util.stream"));
}
