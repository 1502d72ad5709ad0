#include "analysis/imports.hpp"

#include <array>
#include <optional>

namespace autograder::analysis {
namespace {

// Every capture named @module is one imported module; a match with @star is a wildcard import.
const char* import_query(Language language) {
    switch (language) {
        case Language::python:
            return R"((import_statement name: (dotted_name) @module)
                      (import_statement name: (aliased_import name: (dotted_name) @module))
                      (import_from_statement module_name: (dotted_name) @module))";
        case Language::java:
            return R"((import_declaration (scoped_identifier) @module (asterisk) @star)
                      (import_declaration (identifier) @module (asterisk) @star)
                      (import_declaration (scoped_identifier) @module .)
                      (import_declaration (identifier) @module .))";
        case Language::javascript:
            return R"((call_expression function: (identifier) @fn
                        arguments: (arguments . (string (string_fragment) @module)) (#eq? @fn "require"))
                      (call_expression function: (import)
                        arguments: (arguments . (string (string_fragment) @module)))
                      (import_statement source: (string (string_fragment) @module))
                      (export_statement source: (string (string_fragment) @module)))";
        case Language::c:
        case Language::cpp:
            return R"((preproc_include path: (system_lib_string) @module)
                      (preproc_include path: (string_literal) @module))";
        case Language::html:
        case Language::css:
            return nullptr;
    }
    return nullptr;
}

const Query* query_for(Language language) {
    // Immortal: a pool worker may still grade while statics are destroyed at exit.
    static const auto* queries = [] {
        auto* all = new std::array<std::optional<Query>, 7>();
        for (Language l : {Language::python, Language::java, Language::javascript, Language::c, Language::cpp})
            all->at(static_cast<std::size_t>(l)).emplace(l, import_query(l));
        return all;
    }();
    const auto& query = queries->at(static_cast<std::size_t>(language));
    return query ? &*query : nullptr;
}

std::string strip(std::string_view text, std::string_view characters) {
    while (!text.empty() && characters.find(text.front()) != std::string_view::npos) text.remove_prefix(1);
    while (!text.empty() && characters.find(text.back()) != std::string_view::npos) text.remove_suffix(1);
    return std::string(text);
}

}  // namespace

std::vector<Import> find_imports(const SyntaxTree& tree) {
    std::vector<Import> imports;
    const Query* query = query_for(tree.language());
    if (!query) return imports;
    for (const auto& match : query->matches(tree)) {
        Import import;
        bool found = false;
        for (const auto& capture : match.captures) {
            if (capture.name == "star") import.wildcard = true;
            if (capture.name != "module") continue;
            found = true;
            import.line = ts_node_start_point(capture.node).row + 1;
            std::string_view text = tree.text(capture.node);
            if (tree.language() == Language::c || tree.language() == Language::cpp) {
                import.module = strip(text, "<>\" \t");
            } else if (tree.language() == Language::java) {
                for (char ch : text)  // a scoped identifier may hold spaces or comments: keep the name only
                    if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') import.module += ch;
            } else {
                import.module = std::string(text);
            }
            if (tree.language() == Language::javascript && import.module.rfind("node:", 0) == 0)
                import.module.erase(0, 5);
        }
        if (found && !import.module.empty()) imports.push_back(std::move(import));
    }
    return imports;
}

bool imports_module(const Import& import, std::string_view forbidden) {
    std::string_view module = import.module;
    while (!forbidden.empty() && (forbidden.back() == '*' || forbidden.back() == '.')) forbidden.remove_suffix(1);
    if (forbidden.empty()) return false;
    auto starts_with_part = [](std::string_view text, std::string_view prefix) {
        return text.size() > prefix.size() && text.substr(0, prefix.size()) == prefix &&
               (text[prefix.size()] == '.' || text[prefix.size()] == '/');
    };
    if (module == forbidden || starts_with_part(module, forbidden)) return true;
    // `import java.util.*;` brings in the package's types (java.util.Scanner, and through it
    // java.util.Map.Entry), never its sub-packages (java.util.stream): by Java's naming convention
    // a type's name starts with a capital letter, a package's does not.
    if (!import.wildcard || !starts_with_part(forbidden, module)) return false;
    char first = forbidden[module.size() + 1];
    return first >= 'A' && first <= 'Z';
}

}  // namespace autograder::analysis
