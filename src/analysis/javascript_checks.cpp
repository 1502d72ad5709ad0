#include "analysis/javascript_checks.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <re2/re2.h>

#include "analysis/tree_walk.hpp"

namespace autograder::analysis {
namespace {

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

void require_javascript(const SyntaxTree& tree) {
    if (tree.language() != Language::javascript) throw std::invalid_argument("a JavaScript tree is needed");
}

bool is_function_like(std::string_view type) {
    return type == "function_declaration" || type == "function_expression" || type == "function" ||
           type == "arrow_function" || type == "method_definition" || type == "generator_function_declaration" ||
           type == "generator_function" || type == "class_static_block";
}

// The text of a string literal without its quotes (escapes left as written).
std::string string_text(const SyntaxTree& tree, TSNode string_node) {
    std::string_view text = tree.text(string_node);
    if (text.size() >= 2) text = text.substr(1, text.size() - 2);
    return std::string(text);
}

// The names a declarator binds: `a`, or every name of a pattern `{a, b: [c], ...d}`.
std::vector<TSNode> bound_names(TSNode pattern) {
    std::vector<TSNode> names;
    std::vector<TSNode> pending = {pattern};
    while (!pending.empty()) {
        TSNode node = pending.back();
        pending.pop_back();
        std::string_view type = ts_node_type(node);
        if (type == "identifier" || type == "shorthand_property_identifier_pattern") {
            names.push_back(node);
        } else if (type == "assignment_pattern" || type == "object_assignment_pattern") {
            TSNode left = ts_node_child_by_field_name(node, "left", 4);
            if (!ts_node_is_null(left)) pending.push_back(left);
        } else if (type == "pair_pattern") {
            TSNode value = ts_node_child_by_field_name(node, "value", 5);
            if (!ts_node_is_null(value)) pending.push_back(value);
        } else if (type == "object_pattern" || type == "array_pattern" || type == "rest_pattern") {
            for (uint32_t i = ts_node_named_child_count(node); i > 0; --i)
                pending.push_back(ts_node_named_child(node, i - 1));
        }
    }
    return names;
}

// The key of a pair as plain text: `id`, `"id"` and `'id'` all give id.
std::string pair_key(const SyntaxTree& tree, TSNode pair) {
    TSNode key = ts_node_child_by_field_name(pair, "key", 3);
    if (ts_node_is_null(key)) return {};
    if (is_type(key, "string")) return string_text(tree, key);
    return std::string(tree.text(key));
}

bool object_has_key(const SyntaxTree& tree, TSNode object, std::string_view key) {
    uint32_t count = ts_node_named_child_count(object);
    for (uint32_t i = 0; i < count; ++i) {
        TSNode member = ts_node_named_child(object, i);
        if (is_type(member, "pair") && pair_key(tree, member) == key) return true;
        if (is_type(member, "shorthand_property_identifier") && tree.text(member) == key) return true;
    }
    return false;
}

}  // namespace

std::string javascript_code_text(const SyntaxTree& tree) {
    require_javascript(tree);
    std::string code = tree.source();
    auto blank = [&](uint32_t start, uint32_t end) {
        for (uint32_t i = start; i < end && i < code.size(); ++i)
            if (code[i] != '\n') code[i] = ' ';
    };
    walk_tree(tree.root(), [&](TSNode node, uint32_t) {
        std::string_view type = ts_node_type(node);
        uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
        if (type == "comment" || type == "html_comment" || type == "regex_pattern" || type == "jsx_text") {
            blank(start, end);
            return false;
        }
        if (type == "string") {  // keep the quotes: `"` or `'` may be what a check looks for
            if (end - start >= 2) blank(start + 1, end - 1);
            return false;
        }
        if (type == "string_fragment" || type == "escape_sequence") {  // template text
            blank(start, end);
            return false;
        }
        return true;
    });
    return code;
}

std::vector<uint32_t> find_in_code(std::string_view code, std::string_view needle) {
    std::vector<uint32_t> lines;
    if (needle.empty()) return lines;
    bool word_start = is_word_char(needle.front()), word_end = is_word_char(needle.back());
    uint32_t line = 1;
    std::size_t counted_to = 0;
    for (std::size_t at = code.find(needle); at != std::string_view::npos; at = code.find(needle, at + 1)) {
        if (word_start && at > 0 && is_word_char(code[at - 1])) continue;
        std::size_t after = at + needle.size();
        if (word_end && after < code.size() && is_word_char(code[after])) continue;
        line += static_cast<uint32_t>(std::count(code.begin() + static_cast<std::ptrdiff_t>(counted_to),
                                                 code.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
        counted_to = at;
        lines.push_back(line);
    }
    return lines;
}

std::vector<JsGlobalVariable> global_variables(const SyntaxTree& tree) {
    require_javascript(tree);
    std::vector<JsGlobalVariable> found;
    std::vector<uint32_t> functions;  // depths of the enclosing functions
    walk_tree(tree.root(), [&](TSNode node, uint32_t depth) {
        while (!functions.empty() && functions.back() >= depth) functions.pop_back();
        std::string_view type = ts_node_type(node);
        if (is_function_like(type)) functions.push_back(depth);
        bool is_var = type == "variable_declaration";
        bool is_lexical = type == "lexical_declaration";
        if (!is_var && !is_lexical) return type != "comment";
        bool global = false;
        if (is_var) {
            global = functions.empty();
        } else if (depth == 1) {
            global = true;
        } else if (depth == 2) {
            TSNode parent = ts_node_parent(node);
            global = !ts_node_is_null(parent) && is_type(parent, "export_statement");
        }
        if (!global) return true;  // a function inside the initializer may hold more
        std::string keyword = is_var ? "var" : std::string(tree.text(ts_node_child(node, 0)));
        uint32_t count = ts_node_named_child_count(node);
        for (uint32_t i = 0; i < count; ++i) {
            TSNode declarator = ts_node_named_child(node, i);
            if (!is_type(declarator, "variable_declarator")) continue;
            TSNode name = ts_node_child_by_field_name(declarator, "name", 4);
            if (ts_node_is_null(name)) continue;
            for (TSNode bound : bound_names(name))
                found.push_back({std::string(tree.text(bound)), keyword, line_of(bound)});
        }
        return true;
    });
    return found;
}

std::vector<JsNameUse> member_uses(const SyntaxTree& tree, const std::vector<std::string>& names) {
    require_javascript(tree);
    std::vector<JsNameUse> found;
    auto wanted = [&](std::string_view name) { return std::find(names.begin(), names.end(), name) != names.end(); };
    walk_tree(tree.root(), [&](TSNode node, uint32_t) {
        std::string_view type = ts_node_type(node);
        if (type == "comment") return false;
        if (type == "member_expression") {
            TSNode property = ts_node_child_by_field_name(node, "property", 8);
            if (!ts_node_is_null(property) && wanted(tree.text(property)))
                found.push_back({std::string(tree.text(property)), line_of(property)});
        } else if (type == "call_expression") {
            TSNode function = ts_node_child_by_field_name(node, "function", 8);
            if (!ts_node_is_null(function) && is_type(function, "identifier") && wanted(tree.text(function)))
                found.push_back({std::string(tree.text(function)), line_of(function)});
        }
        return true;
    });
    return found;
}

std::optional<JsObjectArray> first_object_array(const SyntaxTree& tree, std::string_view key) {
    require_javascript(tree);
    std::optional<JsObjectArray> result;
    walk_tree(tree.root(), [&](TSNode node, uint32_t) {
        if (result) return false;
        if (is_type(node, "comment")) return false;
        if (!is_type(node, "array")) return true;
        JsObjectArray array;
        array.line = line_of(node);
        uint32_t count = ts_node_named_child_count(node);
        for (uint32_t i = 0; i < count; ++i) {
            TSNode element = ts_node_named_child(node, i);
            if (!is_type(element, "object")) continue;
            ++array.objects;
            if (object_has_key(tree, element, key)) ++array.objects_with_key;
        }
        if (array.objects == 0) return true;  // [1, 2], or an array of arrays: look inside
        result = array;
        return false;
    });
    return result;
}

std::vector<std::string> string_literal_texts(const SyntaxTree& tree) {
    require_javascript(tree);
    std::vector<std::string> texts;
    walk_tree(tree.root(), [&](TSNode node, uint32_t) {
        std::string_view type = ts_node_type(node);
        if (type == "comment") return false;
        if (type == "string") {
            texts.push_back(string_text(tree, node));
            return false;
        }
        if (type == "template_string") {
            std::string text;
            uint32_t count = ts_node_named_child_count(node);
            for (uint32_t i = 0; i < count; ++i) {
                TSNode part = ts_node_named_child(node, i);
                text += is_type(part, "string_fragment") ? std::string(tree.text(part)) : std::string(" ");
            }
            texts.push_back(std::move(text));
            return true;  // the ${...} parts are code
        }
        return true;
    });
    return texts;
}

std::optional<std::string> framework_of_module(std::string_view module) {
    static const RE2 react(R"((?i)(^|[/@])react(-dom)?([@./-]|$))");
    static const RE2 vue(R"((?i)(^|[/@])vue([@./-]|$))");
    static const RE2 angular(R"((?i)(^|[/@])angular(js)?([@./-]|$))");
    re2::StringPiece text(module.data(), module.size());
    if (RE2::PartialMatch(text, react)) return "React";
    if (RE2::PartialMatch(text, vue)) return "Vue";
    if (RE2::PartialMatch(text, angular)) return "Angular";
    return std::nullopt;
}

std::vector<JsFrameworkUse> find_javascript_frameworks(const SyntaxTree& tree) {
    require_javascript(tree);
    std::vector<JsFrameworkUse> found;
    auto module_use = [&](TSNode source, std::string_view how) {
        std::string module_name = string_text(tree, source);
        if (auto framework = framework_of_module(module_name))
            found.push_back({*framework, std::string(how) + " '" + module_name + "'", line_of(source)});
    };
    walk_tree(tree.root(), [&](TSNode node, uint32_t) {
        std::string_view type = ts_node_type(node);
        if (type == "comment") return false;
        if (type == "import_statement") {
            TSNode source = ts_node_child_by_field_name(node, "source", 6);
            if (!ts_node_is_null(source)) module_use(source, "import from");
            return false;
        }
        if (type == "call_expression") {
            TSNode function = ts_node_child_by_field_name(node, "function", 8);
            TSNode arguments = ts_node_child_by_field_name(node, "arguments", 9);
            if (!ts_node_is_null(function) && !ts_node_is_null(arguments) && ts_node_named_child_count(arguments) > 0) {
                TSNode first = ts_node_named_child(arguments, 0);
                std::string_view callee = tree.text(function);
                if ((callee == "require" || callee == "import") && is_type(first, "string"))
                    module_use(first, callee == "require" ? "require" : "import");
            }
            return true;
        }
        if (type == "jsx_element" || type == "jsx_self_closing_element") {
            found.push_back({"React", "JSX element", line_of(node)});
            return false;
        }
        if (type == "new_expression") {
            TSNode constructor = ts_node_child_by_field_name(node, "constructor", 11);
            if (!ts_node_is_null(constructor) && tree.text(constructor) == "Vue")
                found.push_back({"Vue", "new Vue(...)", line_of(node)});
            return true;
        }
        if (type == "member_expression") {
            TSNode object = ts_node_child_by_field_name(node, "object", 6);
            TSNode property = ts_node_child_by_field_name(node, "property", 8);
            if (ts_node_is_null(object) || ts_node_is_null(property)) return true;
            std::string_view owner = tree.text(object), member = tree.text(property);
            if (owner == "React" || owner == "ReactDOM")
                found.push_back({"React", std::string(owner) + "." + std::string(member), line_of(node)});
            else if (owner == "Vue" && member == "createApp")
                found.push_back({"Vue", "Vue.createApp", line_of(node)});
            else if (owner == "angular" && member == "module")
                found.push_back({"Angular", "angular.module", line_of(node)});
            return true;
        }
        return true;
    });
    return found;
}

}  // namespace autograder::analysis
