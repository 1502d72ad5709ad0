// The webdev template's checks across files (docs/templates.md): unused CSS classes, JavaScript frameworks,
// and the project's layout (files and folders of the submission).
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analysis/javascript_checks.hpp"
#include "autograder/pipeline.hpp"
#include "templates/localized.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/webdev/webdev_function.hpp"
#include "templates/webdev/webdev_parameters.hpp"
#include "templates/webdev/webdev_sources.hpp"

namespace autograder::templates::webdev {
namespace {

using analysis::Language;

bool is_class_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// The words of a string that could be class names: "card active", ".card.active", "#x .card" all
// give card (and active).
void add_class_words(std::string_view text, std::set<std::string, std::less<>>& words) {
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && !is_class_char(text[i])) ++i;
        std::size_t start = i;
        while (i < text.size() && is_class_char(text[i])) ++i;
        if (i > start) words.emplace(text.substr(start, i - start));
    }
}

// A relative path of the submission from a parameter: no "..", not absolute; "./" and a trailing
// "/" dropped.
std::string project_path_parameter(const ParameterReader& given, std::string_view name) {
    std::string path = given.required_text(name, ParameterReader::Empty::refused);
    std::replace(path.begin(), path.end(), '\\', '/');
    if (path.front() == '/') throw std::invalid_argument(fmt::format("parameter '{}' must be a relative path", name));
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (part == "..") throw std::invalid_argument(fmt::format("parameter '{}' must not contain '..'", name));
        if (!part.empty() && part != ".") parts.push_back(part);
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    if (parts.empty()) throw std::invalid_argument(fmt::format("parameter '{}' names no file or folder", name));
    return fmt::format("{}", fmt::join(parts, "/"));
}

std::string normalised(std::string_view path) {
    while (path.substr(0, 2) == "./") path.remove_prefix(2);
    return std::string(path);
}

// Classes the stylesheets define and the pages or scripts never use.
void add_unused_class_functions(FunctionList& f) {
    f.add(
        "count_unused_css_classes",
        "100 if every class the stylesheets define (`.card`) is used: in a class attribute of the pages, or named in "
        "a string of the scripts (`classList.add(\"card\")`); else 0, listing the unused ones.",
        {{"html_file", "string", false, "the page to look at; every HTML page when absent"},
         {"css_file", "string", false,
          "the stylesheet to look at; every .css file and the pages' <style> blocks when absent"}},
        [](const TestContext& context, const ParameterReader& given) {
            auto html_name = given.text("html_file", ParameterReader::Empty::refused);
            auto css_name = given.text("css_file", ParameterReader::Empty::refused);
            std::vector<HtmlInput> pages;
            for (const auto* parsed : named_files(context, html_name, Language::html))
                pages.push_back(html_input_of(*parsed));
            std::vector<CssInput> sheets;
            for (const auto* parsed : named_files(context, css_name, Language::css))
                sheets.push_back(css_input_of(*parsed));
            if (!css_name)
                for (const auto& page : pages)
                    for (auto& block : style_blocks(locale_of(context), page)) sheets.push_back(std::move(block));
            if (pages.empty())
                return missing_input(locale_of(context), localized(context, "HTML page (.html or .htm)"));
            if (sheets.empty())
                return missing_input(locale_of(context), localized(context, "stylesheet (.css file or <style> block)"));

            std::set<std::string, std::less<>> used;
            for (const auto& page : pages)
                for (const auto& element : page.document.elements())
                    for (auto token : element.class_tokens()) used.emplace(token);
            std::vector<CodeInput> scripts;
            for (const auto* parsed : named_files(context, std::nullopt, Language::javascript))
                scripts.push_back(javascript_input_of(*parsed));
            for (const auto& page : pages)
                for (auto& block : script_blocks(locale_of(context), page)) scripts.push_back(std::move(block));
            for (const auto& script : scripts)
                for (const auto& text : analysis::string_literal_texts(*script.tree)) add_class_words(text, used);

            std::map<std::string, std::vector<std::string>> unused;  // class -> where it is defined
            std::size_t defined = 0;
            std::set<std::string> seen;
            for (const auto& sheet : sheets)
                for (const auto& selector : sheet.sheet.class_selectors()) {
                    if (seen.insert(selector.name).second) ++defined;
                    if (!used.count(selector.name))
                        unused[selector.name].push_back(localized(context, "{} line {}", sheet.origin, selector.line));
                }
            std::vector<std::string> sheet_names, page_names;
            for (const auto& sheet : sheets) sheet_names.push_back("`" + sheet.origin + "`");
            for (const auto& page : pages) page_names.push_back("`" + page.path() + "`");
            std::string note = syntax_note_of(locale_of(context), sheets) + syntax_note_of(locale_of(context), scripts);
            if (unused.empty())
                return TestOutcome{100,
                                   localized(context, "All {} class(es) defined in {} are used in {}.", defined,
                                             fmt::join(sheet_names, ", "), fmt::join(page_names, ", ")) +
                                       note,
                                   std::nullopt};
            std::vector<std::string> listed;
            for (const auto& [name, places] : unused)
                listed.push_back(fmt::format("`.{}` ({})", name, fmt::join(places, ", ")));
            return TestOutcome{
                0,
                localized(context, "{} of the {} class(es) defined in {} are never used in {}: {}.", unused.size(),
                          defined, fmt::join(sheet_names, ", "), fmt::join(page_names, ", "), fmt::join(listed, ", ")) +
                    note,
                std::nullopt};
        });
}

// JavaScript frameworks, which some assignments forbid.
void add_framework_functions(FunctionList& f) {
    f.add(
        "has_no_js_framework",
        "0 if React, Vue or Angular is used: a <script src> loading one, an ng-app attribute, or in the scripts an "
        "import/require of one, JSX, React.*/ReactDOM.*, new Vue, Vue.createApp, angular.module; else 100.",
        {{"html_file", "string", false, "the page to look at; every HTML page when absent"},
         {"js_file", "string", false, "the script to look at; every .js file when absent (inline scripts always)"}},
        [](const TestContext& context, const ParameterReader& given) {
            auto html_name = given.text("html_file", ParameterReader::Empty::refused);
            auto js_name = given.text("js_file", ParameterReader::Empty::refused);
            std::vector<std::string> uses;
            std::vector<CodeInput> scripts;
            for (const auto* parsed : named_files(context, html_name, Language::html)) {
                HtmlInput page = html_input_of(*parsed);
                for (const auto& element : page.document.elements()) {
                    if (element.tag == "script")
                        if (auto framework = analysis::framework_of_module(element.attribute_value("src")))
                            uses.push_back(localized(context, "{}: `<script src=\"{}\">` in `{}` (line {})", *framework,
                                                     element.attribute_value("src"), page.path(), element.line));
                    if (element.has_attribute("ng-app"))
                        uses.push_back(
                            localized(context, "Angular: `ng-app` in `{}` (line {})", page.path(), element.line));
                }
                for (auto& block : script_blocks(locale_of(context), page)) scripts.push_back(std::move(block));
            }
            for (const auto* parsed : named_files(context, js_name, Language::javascript))
                scripts.push_back(javascript_input_of(*parsed));
            for (const auto& script : scripts)
                for (const auto& use : analysis::find_javascript_frameworks(*script.tree))
                    uses.push_back(localized(context, "{}: {} in `{}` (line {})", use.framework, use.evidence,
                                             script.origin, use.line));
            std::string note = syntax_note_of(locale_of(context), scripts);
            if (uses.empty())
                return TestOutcome{100,
                                   localized(context, "No JavaScript framework (React, Vue, Angular) is used.") + note,
                                   std::nullopt};
            constexpr std::size_t kShown = 10;
            std::string report = localized(context, "JavaScript frameworks are not allowed in this assignment; found:");
            for (std::size_t i = 0; i < uses.size() && i < kShown; ++i) report += "\n- " + uses[i];
            if (uses.size() > kShown) report += "\n- " + localized(context, "... and {} more", uses.size() - kShown);
            return TestOutcome{0, report + note, std::nullopt};
        });
}

// Files and folders the submission must have.
void add_file_layout_functions(FunctionList& f) {
    f.add(
        "check_project_structure", "100 if the submission has the file at `expected_structure`, else 0.",
        {{"expected_structure", "string", true, "a relative path, e.g. \"css/style.css\" (no \"..\")"}},
        [](const TestContext& context, const ParameterReader& given) {
            std::string path = project_path_parameter(given, "expected_structure");
            const auto& files = context.execution.submission.files;
            bool exists = std::any_of(files.begin(), files.end(),
                                      [&](const SourceFile& file) { return normalised(file.path) == path; });
            if (exists) return TestOutcome{100, localized(context, "The submission has `{}`.", path), std::nullopt};
            std::string report = localized(context, "The submission has no file `{}`.", path);
            auto slash = path.find_last_of('/');
            std::string_view name =
                slash == std::string::npos ? std::string_view(path) : std::string_view(path).substr(slash + 1);
            for (const auto& file : files) {
                std::string_view other = file.path;
                auto other_slash = other.find_last_of('/');
                if ((other_slash == std::string_view::npos ? other : other.substr(other_slash + 1)) == name) {
                    report += localized(context, " There is a `{}`: is it in the wrong folder?", file.path);
                    break;
                }
            }
            return TestOutcome{0, report, std::nullopt};
        },
        false);

    f.add(
        "check_dir_exists", "100 if the submission has a file under the folder `dir_path`, else 0.",
        {{"dir_path", "string", true, "a relative folder, e.g. \"images\" (no \"..\")"}},
        [](const TestContext& context, const ParameterReader& given) {
            std::string folder = project_path_parameter(given, "dir_path");
            const auto& files = context.execution.submission.files;
            std::size_t inside =
                static_cast<std::size_t>(std::count_if(files.begin(), files.end(), [&](const SourceFile& file) {
                    return normalised(file.path).rfind(folder + "/", 0) == 0;
                }));
            if (inside > 0)
                return TestOutcome{100, localized(context, "The folder `{}` exists ({} file(s)).", folder, inside),
                                   std::nullopt};
            return TestOutcome{0, localized(context, "The submission has no folder `{}` (or it is empty).", folder),
                               std::nullopt};
        },
        false);
}

Functions make_functions() {
    FunctionList f;
    add_unused_class_functions(f);
    add_framework_functions(f);
    add_file_layout_functions(f);
    return f.take();
}

}  // namespace

Functions project_functions() {
    return make_functions();
}

}  // namespace autograder::templates::webdev
