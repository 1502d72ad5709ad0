// The webdev template's JavaScript checks (docs/templates.md), on syntax trees: comments, strings and regex
// literals never count (`// eval(x)` and "alert" are not uses).
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analysis/javascript_checks.hpp"
#include "templates/localized.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/webdev/webdev_function.hpp"
#include "templates/webdev/webdev_parameters.hpp"
#include "templates/webdev/webdev_sources.hpp"

namespace autograder::templates::webdev {
namespace {

using ScriptsCheck = std::function<TestOutcome(const std::vector<CodeInput>&, const std::string& where)>;

TestOutcome on_scripts(const TestContext& context, const ScriptsCheck& check) {
    return check_inputs(locale_of(context), javascript_inputs(context),
                        localized(context, "script (.js file or inline <script> block)"), check);
}

// The lines where `name` occurs as code in the scripts; "()" at its end is ignored ("eval()").
std::vector<uint32_t> code_occurrences(const std::vector<CodeInput>& scripts, std::string name) {
    if (name.size() > 2 && name.compare(name.size() - 2, 2, "()") == 0) name.resize(name.size() - 2);
    std::vector<uint32_t> lines;
    for (const auto& script : scripts) {
        auto found = analysis::find_in_code(analysis::javascript_code_text(*script.tree), name);
        lines.insert(lines.end(), found.begin(), found.end());
    }
    return lines;
}

// Features, forbidden methods and global variables of the code.
void add_code_functions(FunctionList& f) {
    f.add(
        "js_uses_feature",
        "100 if the feature occurs in the code (not in comments or strings), else 0. A name matches whole words "
        "only: `fetch` is not found in `prefetch`.",
        {{"feature", "string", true,
          "code to look for: a name (\"addEventListener\", \"async\"), a member (\"localStorage.setItem\") or an "
          "operator (\"=>\", \"?.\", \"...\")"}},
        [](const TestContext& context, const ParameterReader& given) {
            std::string feature = given.required_text("feature", ParameterReader::Empty::refused);
            return on_scripts(context, [&](const std::vector<CodeInput>& scripts, const std::string& where) {
                auto lines = code_occurrences(scripts, feature);
                if (lines.empty())
                    return TestOutcome{0, localized(context, "`{}` is not used in {}.", feature, where), std::nullopt};
                return TestOutcome{100,
                                   localized(context, "`{}` is used in {} ({}).", feature, where,
                                             lines_text(locale_of(context), lines)),
                                   std::nullopt};
            });
        });

    f.add("uses_forbidden_method",
          "0 if the forbidden method or name occurs in the code (not in comments or strings), else 100.",
          {{"method", "string", true,
            "e.g. \"eval\", \"document.write\", \"alert\", \"innerHTML\" (a trailing () is ignored)"}},
          [](const TestContext& context, const ParameterReader& given) {
              std::string method = given.required_text("method", ParameterReader::Empty::refused);
              return on_scripts(context, [&](const std::vector<CodeInput>& scripts, const std::string& where) {
                  auto lines = code_occurrences(scripts, method);
                  if (lines.empty())
                      return TestOutcome{100, localized(context, "{} does not use `{}`.", where, method), std::nullopt};
                  return TestOutcome{0,
                                     localized(context, "{} uses `{}`, which is not allowed ({}).", where, method,
                                               lines_text(locale_of(context), lines)),
                                     std::nullopt};
              });
          });

    f.add("count_global_vars",
          "100 if the scripts declare at most `max_allowed` global variables (top-level let/const, var outside "
          "functions; each declared name counts), else 0.",
          {{"max_allowed", "integer", true, "the most global variables still accepted (0 or more)", {}, {}, 0}},
          [](const TestContext& context, const ParameterReader& given) {
              int64_t maximum = given.required_integer("max_allowed");
              return on_scripts(context, [&](const std::vector<CodeInput>& scripts, const std::string& where) {
                  std::vector<std::string> globals;
                  for (const auto& script : scripts)
                      for (const auto& variable : analysis::global_variables(*script.tree))
                          globals.push_back(
                              localized(context, "`{} {}` (line {})", variable.keyword, variable.name, variable.line));
                  bool ok = static_cast<int64_t>(globals.size()) <= maximum;
                  std::string report = localized(context, "{} global variable(s) in {} (at most {} allowed).",
                                                 globals.size(), where, maximum);
                  if (!globals.empty()) report += fmt::format(" {}.", fmt::join(globals, ", "));
                  return TestOutcome{ok ? 100.0 : 0.0, report, std::nullopt};
              });
          });
}

// What the code does with the page: query string, DOM, JSON data.
void add_page_functions(FunctionList& f) {
    f.add(
        "js_uses_query_string_parsing", "100 if the code reads the query string (URLSearchParams or location.search).",
        {}, [](const TestContext& context, const ParameterReader&) {
            return on_scripts(context, [&](const std::vector<CodeInput>& scripts, const std::string& where) {
                auto lines = code_occurrences(scripts, "URLSearchParams");
                auto search = code_occurrences(scripts, "location.search");
                lines.insert(lines.end(), search.begin(), search.end());
                std::sort(lines.begin(), lines.end());
                lines.erase(std::unique(lines.begin(), lines.end()), lines.end());  // both on one line
                if (lines.empty())
                    return TestOutcome{0,
                                       localized(context,
                                                 "{} does not read the query string (URLSearchParams or "
                                                 "location.search).",
                                                 where),
                                       std::nullopt};
                return TestOutcome{
                    100,
                    localized(context, "{} reads the query string ({}).", where, lines_text(locale_of(context), lines)),
                    std::nullopt};
            });
        });

    f.add("js_uses_dom_manipulation",
          "Counts the uses of the DOM methods (`el.appendChild(...)`, `el.innerHTML = ...`); full marks from "
          "`required_count` on.",
          {{"methods", "list", true, "method or property names, e.g. [\"createElement\", \"appendChild\"]"},
           {"required_count", "integer", true,
            "how many uses are needed for full marks (floor(found / required × 100))"}},
          [](const TestContext& context, const ParameterReader& given) {
              auto methods = given.required_string_list("methods", ParameterReader::Empty::refused);
              int64_t required = given.required_integer("required_count");
              return on_scripts(context, [&](const std::vector<CodeInput>& scripts, const std::string& where) {
                  std::vector<std::string> uses;
                  for (const auto& script : scripts)
                      for (const auto& use : analysis::member_uses(*script.tree, methods))
                          uses.push_back(localized(context, "`{}` (line {})", use.name, use.line));
                  std::string report = localized(context, "Found {} of the {} required uses of {} in {}.", uses.size(),
                                                 required, fmt::join(methods, ", "), where);
                  if (!uses.empty()) report += fmt::format(" {}.", fmt::join(uses, ", "));
                  return TestOutcome{ratio_score(uses.size(), required), report, std::nullopt};
              });
          });

    f.add(
        "js_has_json_array_with_id",
        "In the first array literal that holds objects, counts the objects with the key `required_key`; full marks "
        "from `min_items` on.",
        {{"required_key", "string", true, "the key every item needs, e.g. \"id\" (`id:`, `\"id\":` and `{id}` count)"},
         {"min_items", "integer", true, "how many items with the key are needed for full marks"}},
        [](const TestContext& context, const ParameterReader& given) {
            std::string key = given.required_text("required_key", ParameterReader::Empty::refused);
            int64_t minimum = given.required_integer("min_items");
            return on_scripts(context, [&](const std::vector<CodeInput>& scripts, const std::string& where) {
                for (const auto& script : scripts) {
                    auto array = analysis::first_object_array(*script.tree, key);
                    if (!array) continue;
                    std::string report = localized(
                        context,
                        "The array of objects in `{}` (line {}) has {} object(s), {} with the key `{}` ({} required).",
                        script.origin, array->line, array->objects, array->objects_with_key, key, minimum);
                    return TestOutcome{ratio_score(array->objects_with_key, minimum), report, std::nullopt};
                }
                return TestOutcome{minimum <= 0 ? 100.0 : 0.0,
                                   localized(context, "No array of objects (`[{{...}}, ...]`) in {}.", where),
                                   std::nullopt};
            });
        });
}

Functions make_functions() {
    FunctionList f;
    add_code_functions(f);
    add_page_functions(f);
    return f.take();
}

}  // namespace

Functions javascript_functions() {
    return make_functions();
}

}  // namespace autograder::templates::webdev
