#include "analysis/definitions.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "analysis/tree_walk.hpp"

namespace autograder::analysis {
namespace {

bool is_any(std::string_view type, std::initializer_list<std::string_view> types) {
    return std::find(types.begin(), types.end(), type) != types.end();
}

// Node types that start a new function scope: a method is a function directly inside a class,
// not one nested in another function.
bool is_function_scope(Language language, std::string_view type) {
    switch (language) {
        case Language::python:
            return is_any(type, {"function_definition", "lambda"});
        case Language::java:
            return is_any(type, {"method_declaration", "constructor_declaration", "lambda_expression"});
        case Language::javascript:
            return is_any(type, {"function_declaration", "function_expression", "arrow_function", "method_definition",
                                 "generator_function", "generator_function_declaration"});
        case Language::c:
        case Language::cpp:
            return is_any(type, {"function_definition", "lambda_expression"});
        default:
            return false;
    }
}

bool is_class_scope(Language language, std::string_view type) {
    switch (language) {
        case Language::python:
            return type == "class_definition";
        case Language::java:
            return is_any(type,
                          {"class_declaration", "interface_declaration", "enum_declaration", "record_declaration"});
        case Language::javascript:
            return is_any(type, {"class_declaration", "class"});
        case Language::cpp:
            return is_any(type, {"class_specifier", "struct_specifier", "union_specifier"});
        default:
            return false;
    }
}

// The class `node` sits in directly (not through a function), or "".
std::string enclosing_class(const SyntaxTree& tree, TSNode node) {
    for (TSNode up = ts_node_parent(node); !ts_node_is_null(up); up = ts_node_parent(up)) {
        std::string_view type = ts_node_type(up);
        if (is_function_scope(tree.language(), type)) return {};
        if (is_class_scope(tree.language(), type)) {
            TSNode name = child_field(up, "name");
            return ts_node_is_null(name) ? std::string() : std::string(tree.text(name));
        }
    }
    return {};
}

bool is_function_value(std::string_view type) {
    return is_any(type, {"function_expression", "arrow_function", "generator_function"});
}

std::size_t count_parameters(const SyntaxTree& tree, TSNode list) {
    if (ts_node_is_null(list)) return 0;
    std::string_view list_type = ts_node_type(list);
    if (list_type == "identifier") return 1;  // JavaScript `x => ...`
    std::size_t count = 0;
    uint32_t children = ts_node_named_child_count(list);
    for (uint32_t i = 0; i < children; ++i) {
        TSNode child = ts_node_named_child(list, i);
        std::string_view type = ts_node_type(child);
        if (is_any(type, {"comment", "keyword_separator", "positional_separator", "receiver_parameter"})) continue;
        // C `f(void)`: a lone `void` without a declarator declares no parameter.
        if (type == "parameter_declaration" && children == 1 && ts_node_is_null(child_field(child, "declarator")) &&
            tree.text(child_field(child, "type")) == "void")
            continue;
        ++count;
    }
    return count;
}

FunctionDefinition make_function(const SyntaxTree& tree, TSNode definition, std::string name, TSNode parameters,
                                 TSNode body) {
    FunctionDefinition f;
    f.name = std::move(name);
    f.line = line_of(definition);
    f.enclosing_class = enclosing_class(tree, definition);
    f.parameter_count = count_parameters(tree, parameters);
    f.body = body;
    return f;
}

std::optional<FunctionDefinition> python_function(const SyntaxTree& tree, TSNode node) {
    if (std::string_view(ts_node_type(node)) != "function_definition") return std::nullopt;
    TSNode parameters = child_field(node, "parameters");
    auto f = make_function(tree, node, std::string(tree.text(child_field(node, "name"))), parameters,
                           child_field(node, "body"));
    if (!f.enclosing_class.empty() && f.parameter_count > 0) {
        TSNode first = ts_node_named_child(parameters, 0);
        if (std::string_view(ts_node_type(first)) == "identifier" && is_any(tree.text(first), {"self", "cls"}))
            --f.parameter_count;
    }
    return f;
}

std::optional<FunctionDefinition> java_function(const SyntaxTree& tree, TSNode node) {
    if (!is_any(ts_node_type(node), {"method_declaration", "constructor_declaration"})) return std::nullopt;
    return make_function(tree, node, std::string(tree.text(child_field(node, "name"))), child_field(node, "parameters"),
                         child_field(node, "body"));
}

std::optional<FunctionDefinition> javascript_function(const SyntaxTree& tree, TSNode node) {
    std::string_view type = ts_node_type(node);
    if (is_any(type, {"function_declaration", "generator_function_declaration", "method_definition"}))
        return make_function(tree, node, std::string(tree.text(child_field(node, "name"))),
                             child_field(node, "parameters"), child_field(node, "body"));
    // A function expression or arrow function bound to a name.
    TSNode name, value;
    if (type == "variable_declarator") {
        name = child_field(node, "name");
        value = child_field(node, "value");
        if (std::string_view(ts_node_type(name)) != "identifier") return std::nullopt;
    } else if (type == "assignment_expression") {
        name = child_field(node, "left");
        value = child_field(node, "right");
        if (std::string_view(ts_node_type(name)) == "member_expression") name = child_field(name, "property");
    } else if (type == "pair") {
        name = child_field(node, "key");
        value = child_field(node, "value");
    } else if (type == "field_definition") {
        name = child_field(node, "property");
        value = child_field(node, "value");
    } else {
        return std::nullopt;
    }
    if (ts_node_is_null(name) || ts_node_is_null(value) || !is_function_value(ts_node_type(value))) return std::nullopt;
    if (!is_any(ts_node_type(name), {"identifier", "property_identifier", "private_property_identifier"}))
        return std::nullopt;
    TSNode parameters = child_field(value, "parameters");
    if (ts_node_is_null(parameters)) parameters = child_field(value, "parameter");
    return make_function(tree, node, std::string(tree.text(name)), parameters, child_field(value, "body"));
}

// The function_declarator inside a C/C++ declarator (`*f(int)`, `&A::f()`), or a null node.
TSNode function_declarator_of(TSNode declarator) {
    while (!ts_node_is_null(declarator)) {
        std::string_view type = ts_node_type(declarator);
        if (type == "function_declarator") return declarator;
        if (!is_any(type, {"pointer_declarator", "reference_declarator", "parenthesized_declarator",
                           "attributed_declarator"}))
            break;
        TSNode inner = child_field(declarator, "declarator");
        if (ts_node_is_null(inner)) {
            uint32_t n = ts_node_named_child_count(declarator);
            inner = n == 0 ? TSNode{} : ts_node_named_child(declarator, n - 1);
        }
        declarator = inner;
    }
    return TSNode{};
}

std::optional<FunctionDefinition> c_family_function(const SyntaxTree& tree, TSNode node) {
    std::string_view type = ts_node_type(node);
    if (type == "init_declarator") {  // C++ `auto f = [](int x) {...};`
        TSNode name = child_field(node, "declarator");
        TSNode value = child_field(node, "value");
        if (ts_node_is_null(value) || std::string_view(ts_node_type(value)) != "lambda_expression" ||
            std::string_view(ts_node_type(name)) != "identifier")
            return std::nullopt;
        return make_function(tree, node, std::string(tree.text(name)),
                             child_field(child_field(value, "declarator"), "parameters"), child_field(value, "body"));
    }
    if (type != "function_definition") return std::nullopt;
    TSNode declarator = function_declarator_of(child_field(node, "declarator"));
    if (ts_node_is_null(declarator)) return std::nullopt;
    TSNode name = child_field(declarator, "declarator");
    std::string scope;
    while (!ts_node_is_null(name) && std::string_view(ts_node_type(name)) == "qualified_identifier") {
        scope = std::string(tree.text(child_field(name, "scope")));
        name = child_field(name, "name");
    }
    if (!ts_node_is_null(name) && std::string_view(ts_node_type(name)) == "template_function")
        name = child_field(name, "name");
    if (ts_node_is_null(name)) return std::nullopt;
    auto f = make_function(tree, node, std::string(tree.text(name)), child_field(declarator, "parameters"),
                           child_field(node, "body"));
    if (!scope.empty()) f.enclosing_class = scope;
    return f;
}

std::optional<FunctionDefinition> function_at(const SyntaxTree& tree, TSNode node) {
    switch (tree.language()) {
        case Language::python:
            return python_function(tree, node);
        case Language::java:
            return java_function(tree, node);
        case Language::javascript:
            return javascript_function(tree, node);
        case Language::c:
        case Language::cpp:
            return c_family_function(tree, node);
        default:
            return std::nullopt;
    }
}

std::optional<ClassDefinition> class_at(const SyntaxTree& tree, TSNode node) {
    std::string_view type = ts_node_type(node);
    auto named = [&](TSNode name, std::string kind) -> std::optional<ClassDefinition> {
        if (ts_node_is_null(name)) return std::nullopt;
        return ClassDefinition{std::string(tree.text(name)), std::move(kind), line_of(node)};
    };
    switch (tree.language()) {
        case Language::python:
            if (type == "class_definition") return named(child_field(node, "name"), "class");
            return std::nullopt;
        case Language::java:
            if (type == "class_declaration") return named(child_field(node, "name"), "class");
            if (type == "interface_declaration") return named(child_field(node, "name"), "interface");
            if (type == "enum_declaration") return named(child_field(node, "name"), "enum");
            if (type == "record_declaration") return named(child_field(node, "name"), "record");
            if (type == "annotation_type_declaration") return named(child_field(node, "name"), "annotation");
            return std::nullopt;
        case Language::javascript: {
            if (type == "class_declaration") return named(child_field(node, "name"), "class");
            if (type != "class") return std::nullopt;
            TSNode name = child_field(node, "name");
            TSNode parent = ts_node_parent(node);
            if (ts_node_is_null(name) && std::string_view(ts_node_type(parent)) == "variable_declarator")
                name = child_field(parent, "name");
            return named(name, "class");
        }
        case Language::c:
        case Language::cpp: {
            std::string kind;
            if (type == "class_specifier") kind = "class";
            if (type == "struct_specifier") kind = "struct";
            if (type == "union_specifier") kind = "union";
            if (kind.empty() || ts_node_is_null(child_field(node, "body"))) return std::nullopt;
            TSNode name = child_field(node, "name");
            TSNode parent = ts_node_parent(node);
            if (ts_node_is_null(name) && std::string_view(ts_node_type(parent)) == "type_definition")
                name = child_field(parent, "declarator");  // typedef struct {...} Name;
            return named(name, kind);
        }
        default:
            return std::nullopt;
    }
}

// Whether `call` calls `function` (a method of a class when `method`).
bool calls(const SyntaxTree& tree, TSNode call, const FunctionDefinition& function) {
    std::string_view type = ts_node_type(call);
    bool method = !function.enclosing_class.empty();
    auto is_name = [&](TSNode node) { return !ts_node_is_null(node) && tree.text(node) == function.name; };
    auto type_of = [](TSNode node) { return ts_node_is_null(node) ? std::string_view() : ts_node_type(node); };
    switch (tree.language()) {
        case Language::python: {
            if (type != "call") return false;
            TSNode callee = child_field(call, "function");
            if (type_of(callee) == "identifier") return is_name(callee);
            if (!method || type_of(callee) != "attribute") return false;
            TSNode object = child_field(callee, "object");
            return type_of(object) == "identifier" && is_any(tree.text(object), {"self", "cls"}) &&
                   is_name(child_field(callee, "attribute"));
        }
        case Language::java: {
            if (type != "method_invocation" || !is_name(child_field(call, "name"))) return false;
            TSNode object = child_field(call, "object");
            return ts_node_is_null(object) || type_of(object) == "this";
        }
        case Language::javascript: {
            if (type != "call_expression") return false;
            TSNode callee = child_field(call, "function");
            if (type_of(callee) == "identifier") return is_name(callee);
            return method && type_of(callee) == "member_expression" &&
                   type_of(child_field(callee, "object")) == "this" && is_name(child_field(callee, "property"));
        }
        case Language::c:
        case Language::cpp: {
            if (type != "call_expression") return false;
            TSNode callee = child_field(call, "function");
            while (type_of(callee) == "qualified_identifier") callee = child_field(callee, "name");
            if (type_of(callee) == "template_function") callee = child_field(callee, "name");
            if (type_of(callee) == "identifier") return is_name(callee);
            return type_of(callee) == "field_expression" && type_of(child_field(callee, "argument")) == "this" &&
                   is_name(child_field(callee, "field"));
        }
        default:
            return false;
    }
}

}  // namespace

std::vector<FunctionDefinition> find_functions(const SyntaxTree& tree) {
    std::vector<FunctionDefinition> found;
    walk_named(tree.root(), [&](TSNode node) {
        if (auto f = function_at(tree, node)) found.push_back(std::move(*f));
        return true;
    });
    return found;
}

std::vector<ClassDefinition> find_classes(const SyntaxTree& tree) {
    std::vector<ClassDefinition> found;
    walk_named(tree.root(), [&](TSNode node) {
        if (auto c = class_at(tree, node)) found.push_back(std::move(*c));
        return true;
    });
    return found;
}

std::vector<RecursiveCall> find_recursive_calls(const SyntaxTree& tree) {
    std::vector<RecursiveCall> found;
    std::set<std::pair<uint32_t, std::string>> seen;  // a nested function's call is seen from its parent too
    for (const auto& function : find_functions(tree)) {
        if (ts_node_is_null(function.body)) continue;
        walk_named(function.body, [&](TSNode node) {
            if (calls(tree, node, function) && seen.emplace(ts_node_start_byte(node), function.name).second)
                found.push_back({function.name, line_of(node)});
            return true;
        });
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
    return found;
}

}  // namespace autograder::analysis
