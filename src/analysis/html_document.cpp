#include "analysis/html_document.hpp"
#include "analysis/ascii_text.hpp"
#include "analysis/tree_walk.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace autograder::analysis {
namespace {

// The character references that matter in attribute values (URLs with &amp;, quotes).
std::string decode_entities(std::string_view text) {
    if (text.find('&') == std::string_view::npos) return std::string(text);
    static constexpr std::array<std::pair<std::string_view, char>, 6> kNamed = {
        {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}, {"&#39;", '\''}}};
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        bool replaced = false;
        if (text[i] == '&')
            for (const auto& [entity, character] : kNamed)
                if (text.substr(i, entity.size()) == entity) {
                    out += character;
                    i += entity.size();
                    replaced = true;
                    break;
                }
        if (!replaced) out += text[i++];
    }
    return out;
}

}  // namespace

bool is_void_element(std::string_view tag) {
    static constexpr std::array<std::string_view, 14> kVoid = {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"};
    return std::find(kVoid.begin(), kVoid.end(), tag) != kVoid.end();
}

const HtmlAttribute* HtmlElement::attribute(std::string_view name) const {
    for (const auto& a : attributes)
        if (a.name == name) return &a;
    return nullptr;
}

std::string_view HtmlElement::attribute_value(std::string_view name) const {
    const HtmlAttribute* a = attribute(name);
    return a && a->value ? std::string_view(*a->value) : std::string_view();
}

std::vector<std::string_view> HtmlElement::class_tokens() const {
    std::vector<std::string_view> tokens;
    std::string_view value = attribute_value("class");
    std::size_t i = 0;
    while (i < value.size()) {
        while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i]))) ++i;
        std::size_t start = i;
        while (i < value.size() && !std::isspace(static_cast<unsigned char>(value[i]))) ++i;
        if (i > start) tokens.push_back(value.substr(start, i - start));
    }
    return tokens;
}

// Walks the tree once with a cursor (no recursion: hostile documents nest deeply), keeping one
// frame per level: the element the level's nodes belong to, and the elements opened there by bare
// start tags (in ERROR nodes) that adopt the following siblings.
class HtmlDocumentBuilder {
public:
    explicit HtmlDocumentBuilder(const SyntaxTree& tree) : tree_(tree) {}

    HtmlDocument build() {
        if (tree_.language() != Language::html) throw std::invalid_argument("HtmlDocument needs an HTML tree");
        TSTreeCursor cursor = ts_tree_cursor_new(tree_.root());
        frames_.push_back({});
        bool more = ts_tree_cursor_goto_first_child(&cursor);
        while (more) {
            TSNode node = ts_tree_cursor_current_node(&cursor);
            if (visit(node)) {
                if (ts_tree_cursor_goto_first_child(&cursor)) continue;
                frames_.pop_back();  // nothing inside after all
            }
            while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
                if (!ts_tree_cursor_goto_parent(&cursor)) {
                    more = false;
                    break;
                }
                frames_.pop_back();
            }
        }
        ts_tree_cursor_delete(&cursor);
        return std::move(document_);
    }

private:
    struct Frame {
        std::optional<std::size_t> parent;  // the element whose content this level is
        std::vector<std::size_t> open;      // elements opened by bare start tags at this level
        std::optional<uint32_t> own_start;  // start byte of the parent's own start and end tags,
        std::optional<uint32_t> own_end;    // which are not content
        std::optional<std::size_t> current() const { return open.empty() ? parent : std::optional(open.back()); }
    };

    // Handles one node of the current level; true when the walk should enter its children (then
    // a frame for them has been pushed).
    bool visit(TSNode node) {
        Frame& frame = frames_.back();
        uint32_t start = ts_node_start_byte(node);
        std::string_view type = ts_node_type(node);
        if ((frame.own_start && start == *frame.own_start) || (frame.own_end && start == *frame.own_end)) return false;
        if (type == "element" || type == "script_element" || type == "style_element") {
            TSNode tag = ts_node_named_child(node, 0);
            if (ts_node_is_null(tag)) return false;
            std::size_t index = add_element(tag, frame.current());
            Frame inner;
            inner.parent = index;
            inner.own_start = ts_node_start_byte(tag);
            TSNode last = ts_node_named_child(node, ts_node_named_child_count(node) - 1);
            if (is_type(tag, "self_closing_tag")) {
                document_.elements_[index].closing = HtmlClosing::self_closing;
            } else if (is_type(last, "end_tag") && !ts_node_is_missing(last) &&
                       ts_node_end_byte(last) > ts_node_start_byte(last)) {
                document_.elements_[index].closing = HtmlClosing::end_tag;
                inner.own_end = ts_node_start_byte(last);
            } else if (is_void_element(document_.elements_[index].tag)) {
                document_.elements_[index].closing = HtmlClosing::void_element;
            }
            if (type != "element") {
                TSNode raw = child_of_type(node, "raw_text");
                if (!ts_node_is_null(raw)) {
                    HtmlElement& element = document_.elements_[index];
                    element.raw_text = std::string(tree_.text(raw));
                    element.raw_text_row = ts_node_start_point(raw).row;
                    element.raw_text_column = ts_node_start_point(raw).column;
                }
                return false;  // raw text holds no elements
            }
            frames_.push_back(std::move(inner));
            return true;
        }
        if (type == "start_tag" || type == "self_closing_tag") {  // bare, in an ERROR node
            std::size_t index = add_element(node, frame.current());
            HtmlElement& element = document_.elements_[index];
            if (type == "self_closing_tag") {
                element.closing = HtmlClosing::self_closing;
            } else if (is_void_element(element.tag)) {
                element.closing = HtmlClosing::void_element;
            } else {
                frame.open.push_back(index);
            }
            return false;
        }
        if (type == "end_tag" || type == "erroneous_end_tag") {
            TSNode name = ts_node_named_child(node, 0);
            std::string tag = ts_node_is_null(name) ? std::string() : lowercase(tree_.text(name));
            auto match = std::find_if(frame.open.rbegin(), frame.open.rend(),
                                      [&](std::size_t i) { return document_.elements_[i].tag == tag; });
            if (match != frame.open.rend()) {
                document_.elements_[*match].closing = HtmlClosing::end_tag;
                frame.open.erase(std::next(match).base(), frame.open.end());
            } else if (!tag.empty() && !close_implicitly_ended(frame.current(), tag)) {
                document_.stray_end_tags_.push_back({tag, ts_node_start_point(node).row + 1});
            }
            return false;
        }
        if (type == "ERROR") {
            Frame inner;
            inner.parent = frame.current();
            frames_.push_back(std::move(inner));
            return true;
        }
        return false;  // text, comments, doctype, entities
    }

    // `<p>text <div>block</div></p>`: tree-sitter ends the <p> where the <div> starts (as browsers
    // do) and the </p> closes nothing. The author nested the <div> in the <p>, and checks such as
    // check_tag_not_inside are about what the author wrote: the nearest sibling <p> left open takes
    // the siblings after it back and is closed by this end tag. False when there is no such <p>.
    bool close_implicitly_ended(std::optional<std::size_t> parent, const std::string& tag) {
        std::vector<std::size_t>& siblings = parent ? document_.elements_[*parent].children : roots_;
        for (std::size_t k = siblings.size(); k > 0; --k) {
            HtmlElement& candidate = document_.elements_[siblings[k - 1]];
            if (candidate.tag != tag) continue;
            if (candidate.closing != HtmlClosing::left_open) return false;
            std::size_t adopter = siblings[k - 1];
            for (std::size_t i = k; i < siblings.size(); ++i) {
                document_.elements_[siblings[i]].parent = adopter;
                document_.elements_[adopter].children.push_back(siblings[i]);
            }
            siblings.resize(k);
            document_.elements_[adopter].closing = HtmlClosing::end_tag;
            return true;
        }
        return false;
    }

    std::size_t add_element(TSNode tag_node, std::optional<std::size_t> parent) {
        HtmlElement element;
        element.line = ts_node_start_point(tag_node).row + 1;
        element.parent = parent;
        uint32_t count = ts_node_named_child_count(tag_node);
        for (uint32_t i = 0; i < count; ++i) {
            TSNode child = ts_node_named_child(tag_node, i);
            if (is_type(child, "tag_name")) {
                element.tag = lowercase(tree_.text(child));
            } else if (is_type(child, "attribute")) {
                HtmlAttribute attribute;
                TSNode name = child_of_type(child, "attribute_name");
                if (ts_node_is_null(name)) continue;
                attribute.name = lowercase(tree_.text(name));
                TSNode value = child_of_type(child, "attribute_value");
                TSNode quoted = child_of_type(child, "quoted_attribute_value");
                if (!ts_node_is_null(value)) {
                    attribute.value = decode_entities(tree_.text(value));
                } else if (!ts_node_is_null(quoted)) {
                    TSNode inner = child_of_type(quoted, "attribute_value");
                    attribute.value = ts_node_is_null(inner) ? std::string() : decode_entities(tree_.text(inner));
                }
                element.attributes.push_back(std::move(attribute));
            }
        }
        std::size_t index = document_.elements_.size();
        document_.elements_.push_back(std::move(element));
        (parent ? document_.elements_[*parent].children : roots_).push_back(index);
        return index;
    }

    const SyntaxTree& tree_;
    HtmlDocument document_;
    std::vector<std::size_t> roots_;  // the elements without a parent
    std::vector<Frame> frames_;
};

HtmlDocument HtmlDocument::build(const SyntaxTree& tree) {
    return HtmlDocumentBuilder(tree).build();
}

std::vector<const HtmlElement*> HtmlDocument::find_all(std::string_view tag) const {
    std::vector<const HtmlElement*> found;
    for (const auto& element : elements_)
        if (element.tag == tag) found.push_back(&element);
    return found;
}

const HtmlElement* HtmlDocument::find_first(std::string_view tag) const {
    for (const auto& element : elements_)
        if (element.tag == tag) return &element;
    return nullptr;
}

const HtmlElement* HtmlDocument::find_by_id(std::string_view id) const {
    for (const auto& element : elements_)
        if (const HtmlAttribute* a = element.attribute("id"); a && a->value && *a->value == id) return &element;
    return nullptr;
}

std::vector<const HtmlElement*> HtmlDocument::descendants(const HtmlElement& element) const {
    std::vector<const HtmlElement*> found;
    std::vector<std::size_t> pending(element.children.rbegin(), element.children.rend());
    while (!pending.empty()) {
        const HtmlElement& next = elements_.at(pending.back());
        pending.pop_back();
        found.push_back(&next);
        pending.insert(pending.end(), next.children.rbegin(), next.children.rend());
    }
    return found;
}

const HtmlElement* HtmlDocument::ancestor(const HtmlElement& element, std::string_view tag) const {
    for (auto parent = element.parent; parent; parent = elements_.at(*parent).parent)
        if (elements_.at(*parent).tag == tag) return &elements_.at(*parent);
    return nullptr;
}

}  // namespace autograder::analysis
