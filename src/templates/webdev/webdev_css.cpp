// The webdev template's CSS checks (docs/templates.md), on the stylesheet model: comments never count, and a
// property is a property (`color` is not found in `background-color`).
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analysis/ascii_text.hpp"
#include "analysis/css_stylesheet.hpp"
#include "analysis/tree_walk.hpp"
#include "templates/localized.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/webdev/webdev_function.hpp"
#include "templates/webdev/webdev_parameters.hpp"
#include "templates/webdev/webdev_sources.hpp"

namespace autograder::templates::webdev {
namespace {

using analysis::lowercase;

using analysis::CssDeclaration;

using SheetsCheck = std::function<TestOutcome(const std::vector<CssInput>&, const std::string& where)>;

TestOutcome on_stylesheets(const TestContext& context, const SheetsCheck& check) {
    return check_inputs(locale_of(context), css_inputs(context),
                        localized(context, "stylesheet (.css file or <style> block)"), check);
}

// Every declaration of the sheets with its line, filtered.
template <class Keep>
std::vector<const CssDeclaration*> declarations_where(const std::vector<CssInput>& sheets, Keep keep) {
    std::vector<const CssDeclaration*> found;
    for (const auto& sheet : sheets)
        for (const auto& declaration : sheet.sheet.declarations())
            if (keep(declaration)) found.push_back(&declaration);
    return found;
}

std::vector<uint32_t> lines_of(const std::vector<const CssDeclaration*>& declarations) {
    std::vector<uint32_t> lines;
    for (const auto* declaration : declarations) lines.push_back(declaration->line);
    return lines;
}

// The source with comments blanked (newlines kept).
std::string without_comments(const analysis::SyntaxTree& tree) {
    std::string text = tree.source();
    analysis::walk_tree(tree.root(), [&](TSNode node, uint32_t) {
        std::string_view type = ts_node_type(node);
        if (type != "comment" && type != "js_comment") return true;
        for (uint32_t i = ts_node_start_byte(node); i < ts_node_end_byte(node) && i < text.size(); ++i)
            if (text[i] != '\n') text[i] = ' ';
        return false;
    });
    return text;
}

bool is_flex_declaration(const CssDeclaration& d) {
    if (d.property == "display") {
        std::string value = lowercase(d.value);
        return value.find("flex") != std::string::npos;  // flex, inline-flex
    }
    return d.property == "flex" || d.property.rfind("flex-", 0) == 0;
}

ParameterDoc max_allowed_doc() {
    return {"max_allowed", "integer", true, "the most that is still accepted (0 or more)", {}, {}, 0};
}

// Properties used and counted.
void add_property_functions(FunctionList& f) {
    f.add("css_uses_property",
          "100 if a declaration sets the property `prop` to a value containing `value` (case does not matter), "
          "else 0.",
          {{"prop", "string", true, "the property, e.g. \"display\""},
           {"value", "string", true, "text the value must contain, e.g. \"grid\"; \"\" accepts any value"}},
          [](const TestContext& context, const ParameterReader& given) {
              std::string prop = lowercase(given.required_text("prop", ParameterReader::Empty::refused));
              std::string value = given.required_text("value");
              std::string wanted = lowercase(value);
              return on_stylesheets(context, [&](const std::vector<CssInput>& sheets, const std::string& where) {
                  auto with_prop =
                      declarations_where(sheets, [&](const CssDeclaration& d) { return d.property == prop; });
                  std::vector<const CssDeclaration*> matching;
                  for (const auto* d : with_prop)
                      if (lowercase(d->value).find(wanted) != std::string::npos) matching.push_back(d);
                  std::string shown = value.empty() ? prop : fmt::format("{}: {}", prop, value);
                  if (!matching.empty())
                      return TestOutcome{100,
                                         localized(context, "Found `{}` in {} ({}).", shown, where,
                                                   lines_text(locale_of(context), lines_of(matching))),
                                         std::nullopt};
                  std::string report = localized(context, "No `{}` in {}.", shown, where);
                  if (!with_prop.empty()) {
                      std::vector<std::string> values;
                      for (const auto* d : with_prop)
                          values.push_back(localized(context, "`{}` (line {})", d->value, d->line));
                      report += localized(context, " `{}` is set to {}.", prop, fmt::join(values, ", "));
                  }
                  return TestOutcome{0, report, std::nullopt};
              });
          });

    f.add("has_style", "Counts the declarations of the property `style`; full marks from `count` on.",
          {{"style", "string", true, "the property, e.g. \"margin\""},
           {"count", "integer", true, "how many declarations are needed for full marks (floor(found / count × 100))"}},
          [](const TestContext& context, const ParameterReader& given) {
              std::string style = lowercase(given.required_text("style", ParameterReader::Empty::refused));
              int64_t count = given.required_integer("count");
              return on_stylesheets(context, [&](const std::vector<CssInput>& sheets, const std::string& where) {
                  auto found = declarations_where(sheets, [&](const CssDeclaration& d) { return d.property == style; });
                  std::string report = localized(context, "Found {} of the {} required `{}` declarations in {}.",
                                                 found.size(), count, style, where);
                  if (!found.empty())
                      report += localized(context, " They are at {}.", lines_text(locale_of(context), lines_of(found)));
                  return TestOutcome{ratio_score(found.size(), count), report, std::nullopt};
              });
          });
}

// Texts and id selectors used at most `max_allowed` times.
void add_over_usage_functions(FunctionList& f) {
    const ParameterDoc max_allowed = max_allowed_doc();
    f.add("count_over_usage",
          "100 if the text occurs at most `max_allowed` times in the stylesheet (comments left out), else 0; e.g. "
          "limit `!important`.",
          {{"text", "string", true, "the text to count, e.g. \"!important\" (case matters)"}, max_allowed},
          [](const TestContext& context, const ParameterReader& given) {
              std::string text = given.required_text("text", ParameterReader::Empty::refused);
              int64_t maximum = given.required_integer("max_allowed");
              return on_stylesheets(context, [&](const std::vector<CssInput>& sheets, const std::string& where) {
                  std::vector<uint32_t> lines;
                  for (const auto& sheet : sheets) {
                      std::string code = without_comments(*sheet.tree);
                      for (std::size_t at = code.find(text); at != std::string::npos;
                           at = code.find(text, at + text.size()))
                          lines.push_back(static_cast<uint32_t>(
                              std::count(code.begin(), code.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1));
                  }
                  bool ok = static_cast<int64_t>(lines.size()) <= maximum;
                  std::string report = localized(context, "`{}` occurs {} time(s) in {} (at most {} allowed).", text,
                                                 lines.size(), where, maximum);
                  if (!lines.empty()) report += fmt::format(" At {}.", lines_text(locale_of(context), lines));
                  return TestOutcome{ok ? 100.0 : 0.0, report, std::nullopt};
              });
          });

    f.add("check_id_selector_over_usage",
          "100 if the stylesheet has at most `max_allowed` id selectors (`#main`), else 0: classes are preferred.",
          {max_allowed}, [](const TestContext& context, const ParameterReader& given) {
              int64_t maximum = given.required_integer("max_allowed");
              return on_stylesheets(context, [&](const std::vector<CssInput>& sheets, const std::string& where) {
                  std::vector<std::string> ids;
                  for (const auto& sheet : sheets)
                      for (const auto& id : sheet.sheet.id_selectors())
                          ids.push_back(localized(context, "`#{}` (line {})", id.name, id.line));
                  bool ok = static_cast<int64_t>(ids.size()) <= maximum;
                  std::string report =
                      localized(context, "{} id selector(s) in {} (at most {} allowed).", ids.size(), where, maximum);
                  if (!ids.empty()) report += fmt::format(" {}.", fmt::join(ids, ", "));
                  return TestOutcome{ok ? 100.0 : 0.0, report, std::nullopt};
              });
          });
}

// Relative units, media queries and flexbox.
void add_layout_functions(FunctionList& f) {
    f.add("uses_relative_units", "100 if a declaration uses a relative unit (em, rem, %, vh or vw), else 0.", {},
          [](const TestContext& context, const ParameterReader&) {
              return on_stylesheets(context, [&](const std::vector<CssInput>& sheets, const std::string& where) {
                  static const std::set<std::string> kRelative = {"em", "rem", "%", "vh", "vw"};
                  std::set<std::string> units;
                  auto found = declarations_where(sheets, [&](const CssDeclaration& d) {
                      bool relative = false;
                      for (const auto& unit : d.units)
                          if (kRelative.count(unit)) {
                              units.insert(unit);
                              relative = true;
                          }
                      return relative;
                  });
                  if (found.empty())
                      return TestOutcome{0, localized(context, "No relative units (em, rem, %, vh, vw) in {}.", where),
                                         std::nullopt};
                  return TestOutcome{100,
                                     localized(context, "{} uses relative units ({}) at {}.", where,
                                               fmt::join(units, ", "), lines_text(locale_of(context), lines_of(found))),
                                     std::nullopt};
              });
          });

    f.add(
        "check_media_queries", "100 if the stylesheet has an @media rule, else 0.", {},
        [](const TestContext& context, const ParameterReader&) {
            return on_stylesheets(context, [&](const std::vector<CssInput>& sheets, const std::string& where) {
                std::vector<std::string> media;
                for (const auto& sheet : sheets)
                    for (const auto& rule : sheet.sheet.media_rules())
                        media.push_back(localized(context, "`@media {}` (line {})", rule.condition, rule.line));
                if (media.empty())
                    return TestOutcome{0, localized(context, "No @media rule in {}.", where), std::nullopt};
                return TestOutcome{100, localized(context, "{} has {}.", where, fmt::join(media, ", ")), std::nullopt};
            });
        });

    f.add("check_flexbox_usage",
          "100 if the stylesheet uses flexbox (`display: flex` or `inline-flex`, or a flex/flex-* property), else 0.",
          {}, [](const TestContext& context, const ParameterReader&) {
              return on_stylesheets(context, [&](const std::vector<CssInput>& sheets, const std::string& where) {
                  auto found = declarations_where(sheets, is_flex_declaration);
                  if (found.empty())
                      return TestOutcome{0, localized(context, "No flexbox layout in {}.", where), std::nullopt};
                  return TestOutcome{100,
                                     localized(context, "{} uses flexbox at {}.", where,
                                               lines_text(locale_of(context), lines_of(found))),
                                     std::nullopt};
              });
          });
}

Functions make_functions() {
    FunctionList f;
    add_property_functions(f);
    add_over_usage_functions(f);
    add_layout_functions(f);
    return f.take();
}

}  // namespace

Functions css_functions() {
    return make_functions();
}

}  // namespace autograder::templates::webdev
