// The webdev template's HTML checks (docs/templates.md), on the element model of the page: comments, text
// and script contents never count as tags.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analysis/ascii_text.hpp"
#include "analysis/html_document.hpp"
#include "templates/localized.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/webdev/webdev_function.hpp"
#include "templates/webdev/webdev_parameters.hpp"
#include "templates/webdev/webdev_sources.hpp"

namespace autograder::templates::webdev {
namespace {

using analysis::lowercase;
using analysis::trim;

using analysis::HtmlDocument;
using analysis::HtmlElement;

using PageCheck = std::function<TestOutcome(const HtmlInput&)>;

// Runs `check` on the page the test reads and appends the note about a malformed page.
TestOutcome on_page(const TestContext& context, const PageCheck& check) {
    auto page = html_input(context);
    if (!page) return missing_input(locale_of(context), localized(context, "HTML page (.html or .htm)"));
    TestOutcome outcome = check(*page);
    outcome.report += syntax_note(locale_of(context), *page);
    return outcome;
}

std::vector<uint32_t> lines_of(const std::vector<const HtmlElement*>& elements) {
    std::vector<uint32_t> lines;
    for (const auto* element : elements) lines.push_back(element->line);
    return lines;
}

std::string at_lines(const TestContext& context, const std::vector<const HtmlElement*>& elements) {
    return elements.empty() ? std::string() : " (" + lines_text(locale_of(context), lines_of(elements)) + ")";
}

// A class pattern with `*` wildcards (any run of characters), matched against a whole token.
bool matches_pattern(std::string_view pattern, std::string_view token) {
    std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
    while (t < token.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && pattern[p] == token[t]) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

std::string ratio_report(const TestContext& context, std::size_t found, int64_t required, std::string_view what,
                         std::string_view where) {
    return localized(context, "Found {} of the {} required {} in `{}`.", found, required, what, where);
}

bool is_bootstrap(const HtmlElement& element) {
    std::string_view url = element.tag == "link"     ? element.attribute_value("href")
                           : element.tag == "script" ? element.attribute_value("src")
                                                     : std::string_view();
    return lowercase(url).find("bootstrap") != std::string::npos;
}

std::vector<const HtmlElement*> bootstrap_elements(const HtmlDocument& document) {
    std::vector<const HtmlElement*> found;
    for (const auto& element : document.elements())
        if (is_bootstrap(element)) found.push_back(&element);
    return found;
}

// `<a href="#id">` links whose target element exists (and is an <article>, when asked).
TestOutcome internal_links(const TestContext& context, const ParameterReader& given, bool to_article) {
    int64_t required = given.required_integer("required_count");
    return on_page(context, [&](const HtmlInput& page) {
        std::vector<std::string> valid, broken;
        for (const auto* link : page.document.find_all("a")) {
            std::string_view href = trim(link->attribute_value("href"));
            if (href.size() < 2 || href.front() != '#') continue;
            std::string_view id = href.substr(1);
            const HtmlElement* target = page.document.find_by_id(id);
            std::string shown = localized(context, "`#{}` (line {})", id, link->line);
            if (!target) {
                broken.push_back(localized(context, "{}: no element has this id", shown));
            } else if (to_article && target->tag != "article") {
                broken.push_back(localized(context, "{}: points to a <{}>, not an <article>", shown, target->tag));
            } else {
                valid.push_back(shown);
            }
        }
        std::string what = to_article ? localized(context, "internal links to an <article>")
                                      : localized(context, "internal links (`#id`) to an existing id");
        std::string report = ratio_report(context, valid.size(), required, what, page.path());
        if (!valid.empty()) report += localized(context, "\nValid: {}.", fmt::join(valid, ", "));
        if (!broken.empty()) report += localized(context, "\nNot counted: {}.", fmt::join(broken, "; "));
        return TestOutcome{ratio_score(valid.size(), required), report, std::nullopt};
    });
}

// The path and query of a URL: "details.html?id=3#top" -> {"details.html", "id=3"}.
std::pair<std::string_view, std::string_view> path_and_query(std::string_view url) {
    url = url.substr(0, url.find('#'));
    auto question = url.find('?');
    if (question == std::string_view::npos) return {url, {}};
    return {url.substr(0, question), url.substr(question + 1)};
}

std::string_view without_dot_slash(std::string_view path) {
    while (path.substr(0, 2) == "./") path.remove_prefix(2);
    return path;
}

// Whether `query` ("a=1&id=3") gives `name` a non-empty value (as urllib's parse_qs keeps it).
bool query_has(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        auto amp = query.find_first_of("&;");
        std::string_view pair = query.substr(0, amp);
        auto equals = pair.find('=');
        if (equals != std::string_view::npos && pair.substr(0, equals) == name && equals + 1 < pair.size()) return true;
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return false;
}

ParameterDoc required_count_doc() {
    return {"required_count", "integer", true,
            "how many are needed for full marks; fewer give partial credit (floor(found / required × 100)); 0 or "
            "less gives 100"};
}

// Elements, classes and attributes counted with partial credit.
void add_counting_functions(FunctionList& f) {
    const ParameterDoc required_count = required_count_doc();
    f.add("has_tag",
          "The page has at least `required_count` elements with the tag (partial credit below). Tags in comments, text "
          "or scripts never count.",
          {{"tag", "string", true, "the tag name, e.g. \"section\" (case does not matter)"}, required_count},
          [](const TestContext& context, const ParameterReader& given) {
              std::string tag = tag_value(given, "tag");
              int64_t required = given.required_integer("required_count");
              return on_page(context, [&](const HtmlInput& page) {
                  auto found = page.document.find_all(tag);
                  std::string report = ratio_report(context, found.size(), required,
                                                    localized(context, "`<{}>` elements", tag), page.path()) +
                                       (found.empty() ? ""
                                                      : localized(context, " They are at {}.",
                                                                  lines_text(locale_of(context), lines_of(found))));
                  return TestOutcome{ratio_score(found.size(), required), report, std::nullopt};
              });
          });

    f.add("has_class",
          "Counts the class tokens of the page's elements that match one of `class_names` (each token once); full "
          "marks from `required_count` on.",
          {{"class_names", "list", true, "class names; `*` matches any characters (\"col-*\" matches col-6, col-md-4)"},
           required_count},
          [](const TestContext& context, const ParameterReader& given) {
              auto patterns = given.required_string_list("class_names", ParameterReader::Empty::refused);
              int64_t required = given.required_integer("required_count");
              return on_page(context, [&](const HtmlInput& page) {
                  std::size_t found = 0;
                  std::set<std::string> names;
                  std::vector<uint32_t> lines;
                  for (const auto& element : page.document.elements())
                      for (auto token : element.class_tokens())
                          if (std::any_of(patterns.begin(), patterns.end(),
                                          [&](const std::string& p) { return matches_pattern(p, token); })) {
                              ++found;
                              names.emplace(token);
                              lines.push_back(element.line);
                          }
                  std::string report = ratio_report(
                      context, found, required, localized(context, "uses of the classes {}", fmt::join(patterns, ", ")),
                      page.path());
                  if (!names.empty())
                      report += localized(context, " Found: {} ({}).", fmt::join(names, ", "),
                                          lines_text(locale_of(context), lines));
                  return TestOutcome{ratio_score(found, required), report, std::nullopt};
              });
          });

    f.add("has_attribute", "Counts the page's elements that carry the attribute; full marks from `required_count` on.",
          {{"attribute", "string", true, "the attribute name, e.g. \"alt\" (with or without a value)"}, required_count},
          [](const TestContext& context, const ParameterReader& given) {
              std::string attribute = lowercase(given.required_text("attribute", ParameterReader::Empty::refused));
              int64_t required = given.required_integer("required_count");
              return on_page(context, [&](const HtmlInput& page) {
                  std::vector<const HtmlElement*> found;
                  for (const auto& element : page.document.elements())
                      if (element.has_attribute(attribute)) found.push_back(&element);
                  std::string report = ratio_report(context, found.size(), required,
                                                    localized(context, "elements with `{}`", attribute), page.path()) +
                                       (found.empty() ? ""
                                                      : localized(context, " They are at {}.",
                                                                  lines_text(locale_of(context), lines_of(found))));
                  return TestOutcome{ratio_score(found.size(), required), report, std::nullopt};
              });
          });
}

// A tag's attribute value, a forbidden tag, a forbidden nesting.
void add_tag_functions(FunctionList& f) {
    f.add("check_attribute_and_value",
          "100 if some element with the tag has the attribute set to exactly the value (for `class`, one of its "
          "classes), else 0.",
          {{"tag", "string", true, "the tag name"},
           {"attribute", "string", true, "the attribute name"},
           {"value", "string", true, "the value, compared exactly"}},
          [](const TestContext& context, const ParameterReader& given) {
              std::string tag = tag_value(given, "tag");
              std::string attribute = lowercase(given.required_text("attribute", ParameterReader::Empty::refused));
              std::string value = given.required_text("value");
              return on_page(context, [&](const HtmlInput& page) {
                  std::vector<const HtmlElement*> matching, with_other_value;
                  for (const auto* element : page.document.find_all(tag)) {
                      const analysis::HtmlAttribute* a = element->attribute(attribute);
                      if (!a) continue;
                      auto tokens = element->class_tokens();
                      bool match =
                          a->value.value_or("") == value ||
                          (attribute == "class" && std::find(tokens.begin(), tokens.end(), value) != tokens.end());
                      (match ? matching : with_other_value).push_back(element);
                  }
                  std::string wanted = fmt::format("`<{} {}=\"{}\">`", tag, attribute, value);
                  if (!matching.empty())
                      return TestOutcome{
                          100,
                          localized(context, "Found {} in `{}`{}.", wanted, page.path(), at_lines(context, matching)),
                          std::nullopt};
                  std::string report = localized(context, "No {} in `{}`.", wanted, page.path());
                  if (!with_other_value.empty())
                      report += localized(context, " `<{}>` elements with other values of `{}`:{}.", tag, attribute,
                                          at_lines(context, with_other_value));
                  return TestOutcome{0, report, std::nullopt};
              });
          });

    f.add("has_forbidden_tag", "0 if the page has an element with the tag, else 100.",
          {{"tag", "string", true, "the forbidden tag name, e.g. \"marquee\""}},
          [](const TestContext& context, const ParameterReader& given) {
              std::string tag = tag_value(given, "tag");
              return on_page(context, [&](const HtmlInput& page) {
                  auto found = page.document.find_all(tag);
                  if (found.empty())
                      return TestOutcome{
                          100, localized(context, "`{}` does not use the forbidden `<{}>` tag.", page.path(), tag),
                          std::nullopt};
                  return TestOutcome{0,
                                     localized(context, "`{}` uses the forbidden `<{}>` tag {} time(s){}.", page.path(),
                                               tag, found.size(), at_lines(context, found)),
                                     std::nullopt};
              });
          });

    f.add("check_tag_not_inside",
          "0 if an element with `child_tag` is nested (at any depth) inside one with `parent_tag`.",
          {{"child_tag", "string", true, "the tag that must not be nested, e.g. \"div\""},
           {"parent_tag", "string", true, "the tag it must not be inside, e.g. \"p\""}},
          [](const TestContext& context, const ParameterReader& given) {
              std::string child = tag_value(given, "child_tag");
              std::string parent = tag_value(given, "parent_tag");
              return on_page(context, [&](const HtmlInput& page) {
                  std::vector<const HtmlElement*> nested;
                  for (const auto* element : page.document.find_all(child))
                      if (page.document.ancestor(*element, parent)) nested.push_back(element);
                  if (nested.empty())
                      return TestOutcome{
                          100, localized(context, "No `<{}>` inside a `<{}>` in `{}`.", child, parent, page.path()),
                          std::nullopt};
                  return TestOutcome{0,
                                     localized(context, "`<{}>` must not be inside `<{}>`; `{}` has {}{}.", child,
                                               parent, page.path(), nested.size(), at_lines(context, nested)),
                                     std::nullopt};
              });
          });
}

// The head's details, inline styles and unclosed tags.
void add_markup_functions(FunctionList& f) {
    f.add("check_head_details", "100 if the page's `<head>` contains an element with `detail_tag`, else 0.",
          {{"detail_tag", "string", true, "the tag expected in <head>, e.g. \"title\" or \"meta\""}},
          [](const TestContext& context, const ParameterReader& given) {
              std::string detail = tag_value(given, "detail_tag");
              return on_page(context, [&](const HtmlInput& page) {
                  const HtmlElement* head = page.document.find_first("head");
                  if (!head)
                      return TestOutcome{0, localized(context, "`{}` has no `<head>`.", page.path()), std::nullopt};
                  for (const auto* element : page.document.descendants(*head))
                      if (element->tag == detail)
                          return TestOutcome{100,
                                             localized(context, "The `<head>` of `{}` has a `<{}>` (line {}).",
                                                       page.path(), detail, element->line),
                                             std::nullopt};
                  return TestOutcome{0,
                                     localized(context, "The `<head>` of `{}` (line {}) has no `<{}>`.", page.path(),
                                               head->line, detail),
                                     std::nullopt};
              });
          });

    f.add(
        "check_no_inline_styles",
        "0 if an element of the page has a `style=` attribute (styles belong in the stylesheet); <style> blocks are "
        "not inline styles.",
        {}, [](const TestContext& context, const ParameterReader&) {
            return on_page(context, [&](const HtmlInput& page) {
                std::vector<const HtmlElement*> styled;
                for (const auto& element : page.document.elements())
                    if (element.has_attribute("style")) styled.push_back(&element);
                if (styled.empty())
                    return TestOutcome{100, localized(context, "No inline styles in `{}`.", page.path()), std::nullopt};
                return TestOutcome{0,
                                   localized(context,
                                             "`{}` has {} inline style attribute(s) (`style=\"...\"`){}; move them to "
                                             "the stylesheet.",
                                             page.path(), styled.size(), at_lines(context, styled)),
                                   std::nullopt};
            });
        });

    f.add("check_no_unclosed_tags",
          "0 if a non-void element is left open (no end tag, or closed by a parent's end tag). Void elements (<img>, "
          "<br>, ...) and self-closing tags need none; <html>, <head> and <body> are not checked (their end tags are "
          "optional, as in the reference engine). Stray end tags are listed but do not fail.",
          {}, [](const TestContext& context, const ParameterReader&) {
              return on_page(context, [&](const HtmlInput& page) {
                  std::vector<std::string> open;
                  for (const auto& element : page.document.elements()) {
                      if (element.closed() || element.tag == "html" || element.tag == "head" || element.tag == "body")
                          continue;
                      open.push_back(localized(context, "`<{}>` (line {})", element.tag, element.line));
                  }
                  std::vector<std::string> stray;
                  for (const auto& end : page.document.stray_end_tags())
                      stray.push_back(localized(context, "`</{}>` (line {})", end.tag, end.line));
                  std::string report = open.empty() ? localized(context, "Every tag of `{}` is closed.", page.path())
                                                    : localized(context, "Tags left open in `{}`: {}.", page.path(),
                                                                fmt::join(open, ", "));
                  if (!stray.empty())
                      report += localized(context, "\nEnd tags that close nothing: {}.", fmt::join(stray, ", "));
                  return TestOutcome{open.empty() ? 100.0 : 0.0, report, std::nullopt};
              });
          });
}

// Semantic tags, the stylesheet and Bootstrap.
void add_linking_functions(FunctionList& f) {
    f.add("uses_semantic_tags", "100 if the page uses <article>, <section>, <nav>, <aside> or <figure>, else 40.", {},
          [](const TestContext& context, const ParameterReader&) {
              return on_page(context, [&](const HtmlInput& page) {
                  std::set<std::string> used;
                  for (const auto& element : page.document.elements())
                      if (element.tag == "article" || element.tag == "section" || element.tag == "nav" ||
                          element.tag == "aside" || element.tag == "figure")
                          used.insert("<" + element.tag + ">");
                  if (used.empty())
                      return TestOutcome{40,
                                         localized(context,
                                                   "`{}` uses none of the semantic tags <article>, <section>, <nav>, "
                                                   "<aside>, <figure>.",
                                                   page.path()),
                                         std::nullopt};
                  return TestOutcome{
                      100, localized(context, "`{}` uses semantic tags: {}.", page.path(), fmt::join(used, ", ")),
                      std::nullopt};
              });
          });

    f.add("check_css_linked", "100 if the page links a stylesheet (`<link rel=\"stylesheet\" href=...>`), else 0.", {},
          [](const TestContext& context, const ParameterReader&) {
              return on_page(context, [&](const HtmlInput& page) {
                  for (const auto* link : page.document.find_all("link")) {
                      std::string rel = " " + lowercase(link->attribute_value("rel")) + " ";
                      for (char& c : rel)
                          if (std::isspace(static_cast<unsigned char>(c))) c = ' ';
                      if (rel.find(" stylesheet ") != std::string::npos)
                          return TestOutcome{100,
                                             localized(context, "`{}` links the stylesheet `{}` (line {}).",
                                                       page.path(), link->attribute_value("href"), link->line),
                                             std::nullopt};
                  }
                  return TestOutcome{
                      0, localized(context, "`{}` has no `<link rel=\"stylesheet\" href=\"...\">`.", page.path()),
                      std::nullopt};
              });
          });

    f.add("check_bootstrap_linked", "100 if the page links Bootstrap (a <link href> or <script src> naming bootstrap).",
          {}, [](const TestContext& context, const ParameterReader&) {
              return on_page(context, [&](const HtmlInput& page) {
                  auto found = bootstrap_elements(page.document);
                  if (found.empty())
                      return TestOutcome{0,
                                         localized(context, "`{}` does not link Bootstrap (CSS or JS).", page.path()),
                                         std::nullopt};
                  return TestOutcome{
                      100, localized(context, "`{}` links Bootstrap{}.", page.path(), at_lines(context, found)),
                      std::nullopt};
              });
          });

    f.add("check_bootstrap_usage",
          "100 if the page does NOT link Bootstrap (for assignments that must be written without it), else 0.", {},
          [](const TestContext& context, const ParameterReader&) {
              return on_page(context, [&](const HtmlInput& page) {
                  auto found = bootstrap_elements(page.document);
                  if (found.empty())
                      return TestOutcome{100, localized(context, "`{}` does not use Bootstrap.", page.path()),
                                         std::nullopt};
                  return TestOutcome{0,
                                     localized(context, "`{}` links Bootstrap{}, which this assignment does not allow.",
                                               page.path(), at_lines(context, found)),
                                     std::nullopt};
              });
          });
}

// Links inside the page and to another page with a query parameter.
void add_internal_link_functions(FunctionList& f) {
    const ParameterDoc required_count = required_count_doc();
    f.add(
        "check_internal_links",
        "Counts the `<a href=\"#id\">` links whose target id exists in the page; full marks from `required_count` on.",
        {required_count},
        [](const TestContext& context, const ParameterReader& given) { return internal_links(context, given, false); });

    f.add("check_internal_links_to_article",
          "Counts the `<a href=\"#id\">` links whose target is an <article> of the page; full marks from "
          "`required_count` on.",
          {required_count}, [](const TestContext& context, const ParameterReader& given) {
              return internal_links(context, given, true);
          });

    f.add("link_points_to_page_with_query_param",
          "Counts the `<a href>` links to `target_page` that give `query_param` a value (details.html?id=3); full "
          "marks from `required_count` on.",
          {{"target_page", "string", true, "the page, e.g. \"details.html\" (a leading ./ does not matter)"},
           {"query_param", "string", true, "the query parameter, e.g. \"id\""},
           required_count},
          [](const TestContext& context, const ParameterReader& given) {
              std::string target = given.required_text("target_page", ParameterReader::Empty::refused);
              std::string param = given.required_text("query_param", ParameterReader::Empty::refused);
              int64_t required = given.required_integer("required_count");
              return on_page(context, [&](const HtmlInput& page) {
                  std::vector<const HtmlElement*> valid;
                  std::size_t to_page = 0;
                  for (const auto* link : page.document.find_all("a")) {
                      auto [path, query] = path_and_query(trim(link->attribute_value("href")));
                      if (without_dot_slash(path) != without_dot_slash(target)) continue;
                      ++to_page;
                      if (query_has(query, param)) valid.push_back(link);
                  }
                  std::string report =
                      ratio_report(context, valid.size(), required,
                                   localized(context, "links to `{}?{}=...`", target, param), page.path());
                  if (!valid.empty())
                      report += localized(context, " They are at {}.", lines_text(locale_of(context), lines_of(valid)));
                  if (to_page > valid.size())
                      report += localized(context, " {} link(s) to `{}` without a value for `{}`.",
                                          to_page - valid.size(), target, param);
                  return TestOutcome{ratio_score(valid.size(), required), report, std::nullopt};
              });
          });
}

// Heading levels, image alt texts and the children of <html>.
void add_document_structure_functions(FunctionList& f) {
    f.add("check_headings_sequential",
          "0 if a heading is more than one level below the heading before it (<h1> then <h3>), else 100.", {},
          [](const TestContext& context, const ParameterReader&) {
              return on_page(context, [&](const HtmlInput& page) {
                  const HtmlElement* previous = nullptr;
                  for (const auto& element : page.document.elements()) {
                      const std::string& tag = element.tag;
                      if (tag.size() != 2 || tag[0] != 'h' || tag[1] < '1' || tag[1] > '6') continue;
                      if (previous && tag[1] > previous->tag[1] + 1)
                          return TestOutcome{0,
                                             localized(context,
                                                       "In `{}`, `<{}>` (line {}) follows `<{}>` (line {}): a heading "
                                                       "level is skipped.",
                                                       page.path(), tag, element.line, previous->tag, previous->line),
                                             std::nullopt};
                      previous = &element;
                  }
                  return TestOutcome{100, localized(context, "The headings of `{}` never skip a level.", page.path()),
                                     std::nullopt};
              });
          });

    f.add("check_all_images_have_alt",
          "floor(images with a non-empty alt / images × 100); 100 when the page has no <img>.", {},
          [](const TestContext& context, const ParameterReader&) {
              return on_page(context, [&](const HtmlInput& page) {
                  auto images = page.document.find_all("img");
                  if (images.empty())
                      return TestOutcome{100, localized(context, "`{}` has no images.", page.path()), std::nullopt};
                  std::vector<const HtmlElement*> missing;
                  for (const auto* image : images)
                      if (trim(image->attribute_value("alt")).empty()) missing.push_back(image);
                  std::size_t with_alt = images.size() - missing.size();
                  std::string report = localized(context, "{} of the {} images of `{}` have a non-empty alt text.",
                                                 with_alt, images.size(), page.path());
                  if (!missing.empty())
                      report += localized(context, " Missing or empty alt{}.", at_lines(context, missing));
                  return TestOutcome{ratio_score(with_alt, static_cast<int64_t>(images.size())), report, std::nullopt};
              });
          });

    f.add("check_html_direct_children", "100 if the children of <html> are exactly <head> then <body>, else 0.", {},
          [](const TestContext& context, const ParameterReader&) {
              return on_page(context, [&](const HtmlInput& page) {
                  const HtmlElement* html = page.document.find_first("html");
                  if (!html)
                      return TestOutcome{0, localized(context, "`{}` has no `<html>` element.", page.path()),
                                         std::nullopt};
                  std::vector<std::string> children;
                  for (auto child : html->children) children.push_back("<" + page.document.at(child).tag + ">");
                  bool valid = children == std::vector<std::string>{"<head>", "<body>"};
                  std::string found =
                      children.empty() ? localized(context, "nothing") : fmt::format("{}", fmt::join(children, ", "));
                  if (valid)
                      return TestOutcome{100,
                                         localized(context, "`<html>` in `{}` holds <head> and <body>.", page.path()),
                                         std::nullopt};
                  return TestOutcome{
                      0,
                      localized(context, "`<html>` in `{}` must hold exactly <head> then <body>; it holds {}.",
                                page.path(), found),
                      std::nullopt};
              });
          });
}

Functions make_functions() {
    FunctionList f;
    add_counting_functions(f);
    add_tag_functions(f);
    add_markup_functions(f);
    add_linking_functions(f);
    add_internal_link_functions(f);
    add_document_structure_functions(f);
    return f.take();
}

}  // namespace

Functions html_functions() {
    return make_functions();
}

}  // namespace autograder::templates::webdev
