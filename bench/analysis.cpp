// bench/analysis: structural-analysis throughput. For each language, ~N MB of generated, realistic
// source (varied functions, classes, loops, comments and strings; HTML pages; CSS rules) is
//   (a) parsed with tree-sitter, and
//   (b) parsed and checked as a static_analysis test would: imports, the loop constructs,
//       recursion, function definitions and nesting depth for code; a tag/attribute query for
//       HTML; a declaration query for CSS.
// Prints MB/s for both per language; the last line is one JSON object. Never asserts on time.
//   usage: bench_analysis [MB]   (default 1)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/constructs.hpp"
#include "analysis/definitions.hpp"
#include "analysis/imports.hpp"
#include "analysis/nesting.hpp"
#include "analysis/syntax_tree.hpp"

using namespace autograder::analysis;
using Clock = std::chrono::steady_clock;

namespace {

// Repeats `unit(i)` with i = 0, 1, ... until the text reaches `bytes`.
std::string generate(std::size_t bytes, const std::string& header, const std::function<std::string(int)>& unit) {
    std::string text = header;
    for (int i = 0; text.size() < bytes; ++i) text += unit(i);
    return text;
}

std::string python_source(std::size_t bytes) {
    return generate(bytes, "import math\nimport sys\nfrom collections import defaultdict\n\n", [](int i) {
        return fmt::format(
            "# helper number {0}: sums, searches and a small class\n"
            "def total_{0}(values, limit={1}):\n"
            "    \"\"\"Adds the values below the limit.\"\"\"\n"
            "    result = 0\n"
            "    for value in values:\n"
            "        if value < limit and value % {2} != 0:\n"
            "            result += value\n"
            "        elif value == limit:\n"
            "            break\n"
            "    return result\n\n"
            "def depth_{0}(n):\n"
            "    return 0 if n <= 1 else 1 + depth_{0}(n // 2)\n\n"
            "class Counter{0}:\n"
            "    def __init__(self, start={1}):\n"
            "        self.count = start\n"
            "        self.names = [f'item-{{k}}' for k in range(start)]\n\n"
            "    def step(self, amount):\n"
            "        while amount > 0:\n"
            "            try:\n"
            "                self.count += math.floor(amount / 2)\n"
            "            except ZeroDivisionError:\n"
            "                print('never', file=sys.stderr)\n"
            "            amount -= 1\n"
            "        return self.count\n\n",
            i, i % 50 + 3, i % 7 + 2);
    });
}

std::string java_source(std::size_t bytes) {
    std::string text =
        generate(bytes, "import java.util.*;\nimport java.io.IOException;\n\npublic class Main {\n", [](int i) {
            return fmt::format(
                "    // helper number {0}\n"
                "    static int total{0}(int[] values, int limit) {{\n"
                "        int result = 0;\n"
                "        for (int value : values) {{\n"
                "            if (value < limit && value % {2} != 0) {{\n"
                "                result += value;\n"
                "            }} else if (value == limit) {{\n"
                "                break;\n"
                "            }}\n"
                "        }}\n"
                "        return result;\n"
                "    }}\n\n"
                "    static int depth{0}(int n) {{ return n <= 1 ? 0 : 1 + depth{0}(n / 2); }}\n\n"
                "    static String describe{0}(List<String> names) {{\n"
                "        StringBuilder out = new StringBuilder(\"names {1}: \");\n"
                "        int k = 0;\n"
                "        while (k < names.size()) {{\n"
                "            try {{\n"
                "                out.append(names.get(k)).append(',');\n"
                "            }} catch (IndexOutOfBoundsException e) {{\n"
                "                System.err.println(\"never\");\n"
                "            }}\n"
                "            k++;\n"
                "        }}\n"
                "        return out.toString();\n"
                "    }}\n\n",
                i, i % 50 + 3, i % 7 + 2);
        });
    return text + "}\n";
}

std::string javascript_source(std::size_t bytes) {
    return generate(bytes, "const fs = require('fs');\nimport { join } from 'path';\n\n", [](int i) {
        return fmt::format(
            "// helper number {0}\n"
            "function total{0}(values, limit = {1}) {{\n"
            "  let result = 0;\n"
            "  for (const value of values) {{\n"
            "    if (value < limit && value % {2} !== 0) {{\n"
            "      result += value;\n"
            "    }} else if (value === limit) {{\n"
            "      break;\n"
            "    }}\n"
            "  }}\n"
            "  return result;\n"
            "}}\n\n"
            "const depth{0} = (n) => (n <= 1 ? 0 : 1 + depth{0}(Math.floor(n / 2)));\n\n"
            "class Counter{0} {{\n"
            "  constructor(start = {1}) {{\n"
            "    this.count = start;\n"
            "    this.names = Array.from({{ length: start }}, (_, k) => `item-${{k}}`);\n"
            "  }}\n"
            "  step(amount) {{\n"
            "    while (amount > 0) {{\n"
            "      try {{\n"
            "        this.count += Math.floor(amount / 2);\n"
            "      }} catch (e) {{\n"
            "        console.error('never');\n"
            "      }}\n"
            "      amount -= 1;\n"
            "    }}\n"
            "    return this.count;\n"
            "  }}\n"
            "}}\n\n",
            i, i % 50 + 3, i % 7 + 2);
    });
}

std::string c_family_unit(int i, bool cpp) {
    std::string unit = fmt::format(
        "/* helper number {0} */\n"
        "static int total_{0}(const int *values, int count, int limit) {{\n"
        "    int result = 0;\n"
        "    for (int k = 0; k < count; ++k) {{\n"
        "        if (values[k] < limit && values[k] % {2} != 0) {{\n"
        "            result += values[k];\n"
        "        }} else if (values[k] == limit) {{\n"
        "            break;\n"
        "        }}\n"
        "    }}\n"
        "    return result;\n"
        "}}\n\n"
        "static int depth_{0}(int n) {{ return n <= 1 ? 0 : 1 + depth_{0}(n / 2); }}\n\n"
        "static void report_{0}(int amount) {{\n"
        "    do {{\n"
        "        switch (amount % 3) {{\n"
        "            case 0: printf(\"zero %d\\n\", amount); break;\n"
        "            default: amount -= {1};\n"
        "        }}\n"
        "    }} while (amount > 0);\n"
        "}}\n\n",
        i, i % 50 + 3, i % 7 + 2);
    if (cpp)
        unit += fmt::format(
            "class Counter{0} {{\n"
            "public:\n"
            "    explicit Counter{0}(int start = {1}) : count_(start) {{}}\n"
            "    int step(const std::vector<int>& amounts) {{\n"
            "        for (int amount : amounts) {{\n"
            "            try {{\n"
            "                count_ += std::max(amount, 0);\n"
            "            }} catch (const std::exception& e) {{\n"
            "                std::cerr << \"never\" << e.what();\n"
            "            }}\n"
            "        }}\n"
            "        auto twice = [this](int x) {{ return x * 2 + count_; }};\n"
            "        return twice(count_);\n"
            "    }}\n"
            "private:\n"
            "    int count_;\n"
            "}};\n\n",
            i, i % 50 + 3);
    return unit;
}

std::string c_source(std::size_t bytes) {
    return generate(bytes, "#include <stdio.h>\n#include <stdlib.h>\n\n",
                    [](int i) { return c_family_unit(i, false); });
}

std::string cpp_source(std::size_t bytes) {
    return generate(bytes, "#include <algorithm>\n#include <iostream>\n#include <vector>\n\n",
                    [](int i) { return c_family_unit(i, true); });
}

std::string html_source(std::size_t bytes) {
    std::string text =
        generate(bytes,
                 "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>Catalogue</title>\n"
                 "  <link rel=\"stylesheet\" href=\"style.css\">\n</head>\n<body>\n",
                 [](int i) {
                     return fmt::format(
                         "  <!-- section {0} -->\n"
                         "  <section id=\"part-{0}\" class=\"card card-{1}\">\n"
                         "    <h2>Part {0}</h2>\n"
                         "    <nav><a href=\"#part-{2}\">next</a> | <a href=\"page.html?id={0}\">details</a></nav>\n"
                         "    <article>\n"
                         "      <p>Item {0} costs <strong>{1}.99</strong> &amp; ships in {1} days.<br>\n"
                         "      <img src=\"img/{0}.png\" alt=\"picture {0}\"></p>\n"
                         "      <ul>\n        <li>first</li>\n        <li class=\"muted\">second</li>\n      </ul>\n"
                         "      <form action=\"/buy\"><input type=\"number\" name=\"q{0}\" "
                         "value=\"1\"><button>Buy</button></form>\n"
                         "    </article>\n"
                         "  </section>\n",
                         i, i % 40 + 1, i + 1);
                 });
    return text + "</body>\n</html>\n";
}

std::string css_source(std::size_t bytes) {
    return generate(bytes, "@import url('base.css');\n:root { --accent: #336699; }\n\n", [](int i) {
        return fmt::format(
            "/* card {0} */\n"
            ".card-{0} {{\n  display: flex;\n  margin: {1}px auto;\n  padding: 0.{2}rem 1em;\n"
            "  color: var(--accent);\n  border: 1px solid rgba(0, 0, 0, 0.{2});\n}}\n"
            "#part-{0} > h2, .card-{0}:hover a[href^=\"#\"] {{\n  font-size: {2}0%;\n  transition: color 0.2s "
            "ease-in;\n}}\n"
            "@media (max-width: {3}px) {{\n  .card-{0} {{ flex-direction: column; width: 100%; }}\n}}\n\n",
            i, i % 30, i % 9 + 1, 400 + i % 400);
    });
}

struct Measure {
    double parse_mb_s = 0;
    double check_mb_s = 0;
};

// Runs `work` until at least `min_seconds` have passed (3 rounds at least); MB/s over all rounds.
double throughput(std::size_t bytes, double min_seconds, const std::function<void()>& work) {
    work();  // warm-up: parsers and compiled queries are made on first use
    int rounds = 0;
    auto start = Clock::now();
    double elapsed = 0;
    do {
        work();
        ++rounds;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (rounds < 3 || elapsed < min_seconds);
    return static_cast<double>(bytes) * rounds / elapsed / 1e6;
}

volatile std::size_t sink = 0;  // keeps the results alive so the work is not optimised away

}  // namespace

int main(int argc, char** argv) {
    double megabytes = argc > 1 ? std::atof(argv[1]) : 1.0;
    if (!(megabytes > 0)) {
        std::fprintf(stderr, "usage: bench_analysis [MB per language, default 1]\n");
        return 2;
    }
    auto bytes = static_cast<std::size_t>(megabytes * 1e6);
    struct Case {
        Language language;
        std::string source;
    };
    std::vector<Case> cases = {{Language::python, python_source(bytes)},
                               {Language::java, java_source(bytes)},
                               {Language::javascript, javascript_source(bytes)},
                               {Language::c, c_source(bytes)},
                               {Language::cpp, cpp_source(bytes)},
                               {Language::html, html_source(bytes)},
                               {Language::css, css_source(bytes)}};
    Query html_query(Language::html,
                     "(start_tag (tag_name) @tag) (attribute (attribute_name) @name (quoted_attribute_value) @value)");
    Query css_query(Language::css, "(declaration (property_name) @property) (media_statement) @media");

    std::printf("structural analysis throughput, %.1f MB of generated source per language\n", megabytes);
    std::printf("%-11s %9s %7s %12s %12s  %s\n", "language", "bytes", "errors", "parse MB/s", "+check MB/s", "check");
    nlohmann::json figures = nlohmann::json::object();
    for (const auto& c : cases) {
        auto probe = SyntaxTree::parse(c.language, c.source);
        std::size_t errors = probe.errors(1000).size();
        bool code = c.language != Language::html && c.language != Language::css;
        auto check = [&](const SyntaxTree& tree) {
            std::size_t found = 0;
            if (code) {
                found += find_imports(tree).size();
                for (const char* construct : {"for_loop", "while_loop", "eval_call", "recursion"})
                    found += find_construct(tree, construct).size();
                found += find_functions(tree).size();
                found += deepest_nesting(tree).depth;
            } else {
                const Query& query = c.language == Language::html ? html_query : css_query;
                for (const auto& [name, count] : query.count_captures(tree)) found += count;
            }
            return found;
        };
        Measure m;
        m.parse_mb_s = throughput(c.source.size(), 1.0, [&] {
            auto tree = SyntaxTree::parse(c.language, c.source);
            sink = sink + tree.has_error();
        });
        m.check_mb_s = throughput(c.source.size(), 1.0, [&] {
            auto tree = SyntaxTree::parse(c.language, c.source);
            sink = sink + check(tree);
        });
        const char* what = code ? "imports, for/while/eval/recursion, functions, nesting" : "query, captures counted";
        std::printf("%-11s %9zu %7zu %12.1f %12.1f  %s\n", std::string(to_string(c.language)).c_str(), c.source.size(),
                    errors, m.parse_mb_s, m.check_mb_s, what);
        figures[std::string(to_string(c.language))] = {{"bytes", c.source.size()},
                                                       {"syntax_errors", errors},
                                                       {"parse_mb_per_s", m.parse_mb_s},
                                                       {"parse_and_check_mb_per_s", m.check_mb_s}};
    }
    std::printf("%s\n", figures.dump().c_str());
    return 0;
}
