#include "templates/webdev/webdev_sources.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "autograder/pipeline.hpp"
#include "templates/localized.hpp"
#include "templates/parsed_files.hpp"

namespace autograder::templates::webdev {
namespace {

using analysis::Language;

std::string_view base_name(std::string_view path) {
    auto slash = path.find_last_of('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// A tree the submission's trees own: a shared_ptr that owns nothing (they outlive the test).
std::shared_ptr<const analysis::SyntaxTree> borrowed(const analysis::SyntaxTree& tree) {
    return std::shared_ptr<const analysis::SyntaxTree>(std::shared_ptr<const analysis::SyntaxTree>(), &tree);
}

// The code of a <style> or <script> block, parsed on its own but padded so that its lines and
// columns are those of the page.
std::shared_ptr<const analysis::SyntaxTree> parse_block(Language language, const analysis::HtmlElement& element) {
    std::string source(element.raw_text_row, '\n');
    source.append(element.raw_text_column, ' ');
    source += element.raw_text;
    return std::make_shared<const analysis::SyntaxTree>(analysis::SyntaxTree::parse(language, std::move(source)));
}

// Every parsed file of the submission, whatever the test's `file` says.
std::vector<const analysis::ParsedFile*> all_parsed_files(const TestContext& context) {
    TestSpec without_file = context.spec;
    without_file.file.reset();
    TestContext all{without_file, context.execution, context.sandbox};
    return parsed_files(all);
}

std::string_view language_name(Language language) {
    switch (language) {
        case Language::html:
            return "an HTML page (.html or .htm)";
        case Language::css:
            return "a stylesheet (.css)";
        case Language::javascript:
            return "a script (.js)";
        default:
            return analysis::to_string(language);
    }
}

}  // namespace

HtmlInput html_input_of(const analysis::ParsedFile& parsed) {
    return {&parsed, analysis::HtmlDocument::build(parsed.tree)};
}

CssInput css_input_of(const analysis::ParsedFile& parsed) {
    CssInput input;
    input.origin = parsed.file->path;
    input.tree = borrowed(parsed.tree);
    input.sheet = analysis::CssStylesheet::build(parsed.tree);
    return input;
}

CodeInput javascript_input_of(const analysis::ParsedFile& parsed) {
    return {parsed.file->path, borrowed(parsed.tree)};
}

std::vector<CssInput> style_blocks(Locale locale, const HtmlInput& page) {
    std::vector<CssInput> blocks;
    for (const auto* style : page.document.find_all("style")) {
        CssInput input;
        input.origin = localized(locale, "{} (<style> at line {})", page.path(), style->line);
        input.tree = parse_block(Language::css, *style);
        input.sheet = analysis::CssStylesheet::build(*input.tree);
        blocks.push_back(std::move(input));
    }
    return blocks;
}

std::vector<CodeInput> script_blocks(Locale locale, const HtmlInput& page) {
    std::vector<CodeInput> blocks;
    for (const auto* script : page.document.find_all("script")) {
        if (script->has_attribute("src")) continue;
        std::string_view type = script->attribute_value("type");
        // JSON data, templates and the like are not JavaScript.
        if (!type.empty() && type != "module" && type.find("javascript") == std::string_view::npos) continue;
        blocks.push_back({localized(locale, "{} (<script> at line {})", page.path(), script->line),
                          parse_block(Language::javascript, *script)});
    }
    return blocks;
}

std::optional<HtmlInput> html_input(const TestContext& context) {
    auto files = parsed_files(context, {Language::html});
    if (files.empty()) return std::nullopt;
    return html_input_of(*files.front());
}

std::vector<CssInput> css_inputs(const TestContext& context) {
    auto files = parsed_files(context, {Language::css, Language::html});
    auto css =
        std::find_if(files.begin(), files.end(), [](const auto* f) { return f->tree.language() == Language::css; });
    if (css != files.end()) {
        std::vector<CssInput> inputs;
        inputs.push_back(css_input_of(**css));
        return inputs;
    }
    if (files.empty()) return {};
    return style_blocks(locale_of(context), html_input_of(*files.front()));
}

std::vector<CodeInput> javascript_inputs(const TestContext& context) {
    auto files = parsed_files(context, {Language::javascript, Language::html});
    auto script = std::find_if(files.begin(), files.end(),
                               [](const auto* f) { return f->tree.language() == Language::javascript; });
    if (script != files.end()) return {javascript_input_of(**script)};
    if (files.empty()) return {};
    return script_blocks(locale_of(context), html_input_of(*files.front()));
}

std::vector<const analysis::ParsedFile*> named_files(const TestContext& context, const std::optional<std::string>& name,
                                                     Language language) {
    std::vector<const analysis::ParsedFile*> found;
    for (const auto* parsed : all_parsed_files(context)) {
        if (name && parsed->file->path != *name && base_name(parsed->file->path) != *name) continue;
        if (name && parsed->tree.language() != language)
            throw std::invalid_argument(localized(context, "the file '{}' is not {}", *name, language_name(language)));
        if (parsed->tree.language() == language) found.push_back(parsed);
    }
    if (name && found.empty()) {
        const auto& files = context.execution.submission.files;
        bool present = std::any_of(files.begin(), files.end(),
                                   [&](const SourceFile& f) { return f.path == *name || base_name(f.path) == *name; });
        throw std::invalid_argument(present
                                        ? localized(context, "the file '{}' is not {}", *name, language_name(language))
                                        : localized(context, "the submission has no file '{}'", *name));
    }
    if (name && found.size() > 1) found.resize(1);  // a base name shared by several folders: the first
    return found;
}

std::string syntax_note(Locale locale, const std::vector<const analysis::SyntaxTree*>& trees,
                        const std::vector<std::string>& origins) {
    std::vector<std::string> broken;
    for (std::size_t i = 0; i < trees.size() && i < origins.size(); ++i) {
        if (!trees[i]->has_error()) continue;
        auto errors = trees[i]->errors(1);
        broken.push_back(errors.empty() ? fmt::format("`{}`", origins[i])
                                        : localized(locale, "`{}` (line {})", origins[i], errors.front().line));
    }
    if (broken.empty()) return {};
    return "\n\n" +
           localized(locale, "Syntax errors in {}: only what could be parsed was checked.", fmt::join(broken, ", "));
}

std::string syntax_note(Locale locale, const HtmlInput& page) {
    if (!page.parsed->tree.has_error()) return {};
    auto errors = page.parsed->tree.errors(1);
    std::string where = errors.empty() ? std::string() : localized(locale, " (from line {})", errors.front().line);
    return "\n\n" + localized(locale,
                              "Note: `{}` is not well-formed HTML{}; its elements were recovered as well as possible.",
                              page.path(), where);
}

TestOutcome missing_input(Locale locale, std::string_view what) {
    return {0, localized(locale, "The submission has no {} to check.", what), std::nullopt};
}

}  // namespace autograder::templates::webdev
