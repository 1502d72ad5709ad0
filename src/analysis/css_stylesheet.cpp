#include "analysis/css_stylesheet.hpp"
#include "analysis/ascii_text.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "analysis/tree_walk.hpp"

namespace autograder::analysis {
namespace {

// The trimmed source text between two byte offsets (clamped to the source).
std::string source_between(std::string_view source, uint32_t start, uint32_t end) {
    start = std::min<uint32_t>(start, static_cast<uint32_t>(source.size()));
    end = std::min<uint32_t>(end, static_cast<uint32_t>(source.size()));
    return std::string(trim(source.substr(start, end > start ? end - start : 0)));
}

// One `property: value [!important]` with the units its value uses; `rule` is the enclosing rule.
CssDeclaration read_declaration(const SyntaxTree& tree, TSNode node, std::optional<std::size_t> rule) {
    CssDeclaration declaration;
    declaration.line = line_of(node);
    declaration.rule = rule;
    std::optional<uint32_t> value_start, value_end;
    uint32_t count = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < count; ++i) {
        TSNode child = ts_node_named_child(node, i);
        std::string_view child_type = ts_node_type(child);
        if (child_type == "property_name") {
            declaration.property = lowercase(trim(tree.text(child)));
        } else if (child_type == "important") {
            declaration.important = true;
        } else if (child_type != "comment" && child_type != "js_comment") {
            if (!value_start) value_start = ts_node_start_byte(child);
            value_end = ts_node_end_byte(child);
        }
    }
    if (value_start) declaration.value = source_between(tree.source(), *value_start, *value_end);
    walk_tree(node, [&](TSNode inner, uint32_t) {
        if (is_type(inner, "unit")) declaration.units.push_back(lowercase(tree.text(inner)));
        return !is_type(inner, "comment");
    });
    return declaration;
}

}  // namespace

CssStylesheet CssStylesheet::build(const SyntaxTree& tree) {
    if (tree.language() != Language::css) throw std::invalid_argument("CssStylesheet needs a CSS tree");
    CssStylesheet sheet;
    // Enclosing @media conditions and rules, with the depth of the node that opened them: a node
    // at depth d is outside everything opened at depth >= d.
    std::vector<std::pair<uint32_t, std::string>> media;
    std::vector<std::pair<uint32_t, std::optional<std::size_t>>> rules;
    walk_tree(tree.root(), [&](TSNode node, uint32_t depth) {
        while (!media.empty() && media.back().first >= depth) media.pop_back();
        while (!rules.empty() && rules.back().first >= depth) rules.pop_back();
        std::string_view type = ts_node_type(node);
        if (type == "comment" || type == "js_comment") return false;
        if (type == "media_statement") {
            TSNode block = child_of_type(node, "block");
            uint32_t keyword_end = ts_node_end_byte(ts_node_child(node, 0));
            uint32_t end = ts_node_is_null(block) ? ts_node_end_byte(node) : ts_node_start_byte(block);
            std::string condition = source_between(tree.source(), keyword_end, end);
            sheet.media_rules_.push_back({condition, line_of(node)});
            media.emplace_back(depth, std::move(condition));
            return true;
        }
        if (type == "rule_set") {
            CssRule rule;
            TSNode selectors = child_of_type(node, "selectors");
            if (!ts_node_is_null(selectors)) rule.selectors = std::string(trim(tree.text(selectors)));
            for (const auto& [ignored, condition] : media) rule.media.push_back(condition);
            rule.line = line_of(node);
            rules.emplace_back(depth, sheet.rules_.size());
            sheet.rules_.push_back(std::move(rule));
            return true;
        }
        if (type == "keyframes_statement" || type == "at_rule") {
            rules.emplace_back(depth, std::nullopt);
            return true;
        }
        if (type == "class_selector") {
            TSNode name = child_of_type(node, "class_name");
            if (!ts_node_is_null(name)) sheet.class_selectors_.push_back({std::string(tree.text(name)), line_of(name)});
            return true;
        }
        if (type == "id_selector") {
            TSNode name = child_of_type(node, "id_name");
            if (!ts_node_is_null(name)) sheet.id_selectors_.push_back({std::string(tree.text(name)), line_of(name)});
            return true;
        }
        if (type == "declaration") {
            CssDeclaration declaration =
                read_declaration(tree, node, rules.empty() ? std::nullopt : rules.back().second);
            if (!declaration.property.empty()) sheet.declarations_.push_back(std::move(declaration));
            return false;
        }
        return true;
    });
    return sheet;
}

}  // namespace autograder::analysis
