// An HTML document as elements (tag, attributes, children, line, how it was closed), built from a
// tree-sitter-html tree. Comments, text and the contents of <script>/<style> are never elements,
// so `<!-- <nav> -->` or "<nav>" in a paragraph never count as tags.
//
// Robust on malformed HTML: tree-sitter recovers from a broken document with ERROR nodes that hold
// bare start tags; such a start tag becomes an element that adopts the siblings after it until a
// matching end tag (or the end of the ERROR node, where it stays open). The nesting is the
// author's, not the browser's: in `<p>a <div>b</div></p>` tree-sitter (like a browser) ends the <p>
// before the <div>, but here the </p> closes the <p> and the <div> is inside it. An end tag that
// closes nothing else is kept as a stray end tag. Tag and attribute names are lower-cased.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/syntax_tree.hpp"

namespace autograder::analysis {

struct HtmlAttribute {
    std::string name;                  // lower case
    std::optional<std::string> value;  // nullopt for `<input disabled>`; "" for `alt=""`; &amp; etc. decoded
};

// How an element ends.
enum class HtmlClosing {
    end_tag,       // <p>...</p>
    self_closing,  // <br/>, <div/>
    void_element,  // <img ...>, <br>: void elements have no end tag
    left_open,     // no end tag (`<li>a<li>b`, or a tag never closed)
};

struct HtmlElement {
    std::string tag;  // lower case
    std::vector<HtmlAttribute> attributes;
    std::optional<std::size_t> parent;  // index in HtmlDocument::elements()
    std::vector<std::size_t> children;  // indices, in document order
    uint32_t line = 0;                  // 1-based line of the start tag
    HtmlClosing closing = HtmlClosing::left_open;
    // The contents of <script> and <style> (empty for other tags), and where they start (0-based
    // row and column, for line numbers of checks on the embedded code).
    std::string raw_text;
    uint32_t raw_text_row = 0;
    uint32_t raw_text_column = 0;

    bool closed() const { return closing != HtmlClosing::left_open; }
    const HtmlAttribute* attribute(std::string_view name) const;  // name in lower case
    bool has_attribute(std::string_view name) const { return attribute(name) != nullptr; }
    // The attribute's value, "" when absent or valueless.
    std::string_view attribute_value(std::string_view name) const;
    // The tokens of the class attribute, split on whitespace.
    std::vector<std::string_view> class_tokens() const;
};

struct HtmlStrayEndTag {
    std::string tag;  // lower case
    uint32_t line = 0;
};

class HtmlDocument {
public:
    // `tree` must be an HTML tree.
    static HtmlDocument build(const SyntaxTree& tree);

    // Every element in document order (a parent before its children).
    const std::vector<HtmlElement>& elements() const { return elements_; }
    const HtmlElement& at(std::size_t index) const { return elements_.at(index); }
    std::size_t index_of(const HtmlElement& element) const {
        return static_cast<std::size_t>(&element - elements_.data());
    }
    const std::vector<HtmlStrayEndTag>& stray_end_tags() const { return stray_end_tags_; }

    // Elements with this tag (lower case), in document order.
    std::vector<const HtmlElement*> find_all(std::string_view tag) const;
    const HtmlElement* find_first(std::string_view tag) const;
    // The first element whose id attribute is `id`.
    const HtmlElement* find_by_id(std::string_view id) const;
    // The element's descendants in document order.
    std::vector<const HtmlElement*> descendants(const HtmlElement& element) const;
    // The nearest ancestor with this tag, or nullptr.
    const HtmlElement* ancestor(const HtmlElement& element, std::string_view tag) const;

private:
    std::vector<HtmlElement> elements_;
    std::vector<HtmlStrayEndTag> stray_end_tags_;
    friend class HtmlDocumentBuilder;
};

// area, base, br, col, embed, hr, img, input, link, meta, param, source, track, wbr.
bool is_void_element(std::string_view tag);

}  // namespace autograder::analysis
