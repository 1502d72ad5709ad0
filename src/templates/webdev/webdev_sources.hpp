// What a webdev test looks at: the HTML, CSS and JavaScript of the submission, from the trees of
// the STRUCTURAL_ANALYSIS step.
//
// Which file (docs/templates.md): the test's `file` when it has one, else the first file of the right
// type in submission order, not simply the first file. <style> and <script> blocks count where
// they stand in for a file: a CSS test whose `file` is an HTML page reads that page's <style>
// blocks, and one without `file` in a submission with no .css file reads the <style> blocks of
// the first HTML page; the same for JavaScript tests and inline <script> blocks (not those with
// src=). Line numbers of embedded code are those of the HTML page.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/css_stylesheet.hpp"
#include "analysis/html_document.hpp"
#include "analysis/submission_trees.hpp"
#include "autograder/feedback.hpp"
#include "autograder/templates.hpp"

namespace autograder::templates::webdev {

struct HtmlInput {
    const analysis::ParsedFile* parsed;
    analysis::HtmlDocument document;
    const std::string& path() const { return parsed->file->path; }
};

// A stylesheet or a script: a file of its own, or a block of an HTML page.
struct CodeInput {
    std::string origin;  // "style.css", or "index.html (<style> at line 5)"
    std::shared_ptr<const analysis::SyntaxTree> tree;
};

struct CssInput : CodeInput {
    analysis::CssStylesheet sheet;
};

// The HTML page a test checks; nullopt when the submission has none (the test then scores 0).
std::optional<HtmlInput> html_input(const TestContext& context);
// The stylesheets a CSS test checks; empty when there is none.
std::vector<CssInput> css_inputs(const TestContext& context);
// The scripts a JavaScript test checks; empty when there is none.
std::vector<CodeInput> javascript_inputs(const TestContext& context);

// For tests naming files in their own parameters (html_file, css_file, js_file): the parsed file
// named `name` (path or base name) in `language`, or every file in that language when `name` is
// nullopt. A named file the submission lacks, or in another language, is an std::invalid_argument.
std::vector<const analysis::ParsedFile*> named_files(const TestContext& context, const std::optional<std::string>& name,
                                                     analysis::Language language);
HtmlInput html_input_of(const analysis::ParsedFile& parsed);
CssInput css_input_of(const analysis::ParsedFile& parsed);
CodeInput javascript_input_of(const analysis::ParsedFile& parsed);
// The <style> blocks, or the inline <script> blocks, of a page, each parsed on its own.
std::vector<CssInput> style_blocks(Locale locale, const HtmlInput& page);
std::vector<CodeInput> script_blocks(Locale locale, const HtmlInput& page);

// "\n\nSyntax errors in `a.css` (line 3), ...: only what could be parsed was checked." or "".
std::string syntax_note(Locale locale, const std::vector<const analysis::SyntaxTree*>& trees,
                        const std::vector<std::string>& origins);
std::string syntax_note(Locale locale, const HtmlInput& page);
template <class Inputs>
std::string syntax_note_of(Locale locale, const Inputs& inputs) {
    std::vector<const analysis::SyntaxTree*> trees;
    std::vector<std::string> origins;
    for (const auto& input : inputs) {
        trees.push_back(input.tree.get());
        origins.push_back(input.origin);
    }
    return syntax_note(locale, trees, origins);
}

// "the submission has no HTML page (.html or .htm) to check" as an outcome of score 0.
// `what` is already in the grading's language.
TestOutcome missing_input(Locale locale, std::string_view what);

// Runs check(inputs, where) on the stylesheets or scripts a test reads (`where`: "`a.css`,
// `b.css`") and appends the note about syntax errors; missing_input(what) when there is none.
template <class Input, class Check>
TestOutcome check_inputs(Locale locale, const std::vector<Input>& inputs, std::string_view what, Check&& check) {
    if (inputs.empty()) return missing_input(locale, what);
    std::string where;
    for (const auto& input : inputs) where += (where.empty() ? "`" : ", `") + input.origin + "`";
    TestOutcome outcome = check(inputs, where);
    outcome.report += syntax_note_of(locale, inputs);
    return outcome;
}

}  // namespace autograder::templates::webdev
