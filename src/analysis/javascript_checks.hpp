// Checks on JavaScript syntax trees for the webdev template: comments, string and template text,
// regex literals and JSX text never count as code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/syntax_tree.hpp"

namespace autograder::analysis {

// The source with comments, the text of strings and templates (not their ${...} code), regex
// patterns and JSX text replaced by spaces; newlines are kept, so lines and columns still match.
std::string javascript_code_text(const SyntaxTree& tree);

// The 1-based lines where `needle` occurs in `code` (from javascript_code_text), one entry per
// occurrence. An end of `needle` that is a word character must not touch another word character:
// "alert" matches `alert(1)` and `window.alert`, never `alertBox`.
std::vector<uint32_t> find_in_code(std::string_view code, std::string_view needle);

struct JsGlobalVariable {
    std::string name;
    std::string keyword;  // "var", "let" or "const"
    uint32_t line = 0;
};
// Variables of the global scope: let/const at the top level (also `export const`), and var
// anywhere outside a function (a `var` in a top-level block or for loop is global too).
std::vector<JsGlobalVariable> global_variables(const SyntaxTree& tree);

struct JsNameUse {
    std::string name;
    uint32_t line = 0;
};
// Every `x.name` (call or property, `x?.name` too) and every plain call `name(...)` whose name is
// in `names`.
std::vector<JsNameUse> member_uses(const SyntaxTree& tree, const std::vector<std::string>& names);

struct JsObjectArray {
    uint32_t line = 0;
    std::size_t objects = 0;           // object literals among the array's elements
    std::size_t objects_with_key = 0;  // ... that have the key (`id: 1`, `"id": 1`, `'id': 1`, `{id}`)
};
// The first array literal (document order) with an object literal among its elements.
std::optional<JsObjectArray> first_object_array(const SyntaxTree& tree, std::string_view key);

// The text of every string and template literal (without quotes; template code left out).
std::vector<std::string> string_literal_texts(const SyntaxTree& tree);

struct JsFrameworkUse {
    std::string framework;  // "React", "Vue" or "Angular"
    std::string evidence;   // "import from 'react'", "JSX element <App>", "new Vue(...)"
    uint32_t line = 0;
};
// Imports or requires of react/react-dom/vue/@angular, JSX, React.*/ReactDOM.*, new Vue,
// Vue.createApp, angular.module.
std::vector<JsFrameworkUse> find_javascript_frameworks(const SyntaxTree& tree);
// The framework a module name or script URL belongs to ("react-dom/client" -> React,
// "https://unpkg.com/vue@3" -> Vue), or nullopt.
std::optional<std::string> framework_of_module(std::string_view module);

}  // namespace autograder::analysis
