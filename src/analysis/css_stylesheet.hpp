// A CSS stylesheet as rules, selectors, declarations and @media rules, built from a tree-sitter-css
// tree. Comments never count; a class or id counts only where it is a selector (`.menu`, `#main`),
// never in a value or in `:not` written as a pseudo-class name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/syntax_tree.hpp"

namespace autograder::analysis {

struct CssDeclaration {
    std::string property;  // lower case
    std::string value;     // as written, without `!important`
    bool important = false;
    uint32_t line = 0;
    std::vector<std::string> units;   // units of the numbers in the value, lower case ("px", "rem", "%")
    std::optional<std::size_t> rule;  // index in CssStylesheet::rules(); nullopt in @keyframes, @font-face...
};

struct CssRule {
    std::string selectors;           // "nav a, .menu > li" as written
    std::vector<std::string> media;  // conditions of the enclosing @media rules, outermost first
    uint32_t line = 0;
};

struct CssSelectorName {
    std::string name;  // "menu" for `.menu`, "main" for `#main`
    uint32_t line = 0;
};

struct CssMediaRule {
    std::string condition;  // "(max-width: 600px)"
    uint32_t line = 0;
};

class CssStylesheet {
public:
    // `tree` must be a CSS tree.
    static CssStylesheet build(const SyntaxTree& tree);

    const std::vector<CssRule>& rules() const { return rules_; }
    // Every declaration, in document order, wherever it is (rules, @media, @keyframes, top level).
    const std::vector<CssDeclaration>& declarations() const { return declarations_; }
    const std::vector<CssMediaRule>& media_rules() const { return media_rules_; }
    // Class and id selectors, each occurrence (`.a, .a:hover` has two `a`), in document order.
    const std::vector<CssSelectorName>& class_selectors() const { return class_selectors_; }
    const std::vector<CssSelectorName>& id_selectors() const { return id_selectors_; }

private:
    std::vector<CssRule> rules_;
    std::vector<CssDeclaration> declarations_;
    std::vector<CssMediaRule> media_rules_;
    std::vector<CssSelectorName> class_selectors_;
    std::vector<CssSelectorName> id_selectors_;
};

}  // namespace autograder::analysis
