// The small behaviours of the configuration value types.
#include <algorithm>

#include <fmt/format.h>

#include "autograder/config.hpp"

namespace autograder {

namespace {

std::string describe_issues(const std::vector<ConfigIssue>& issues) {
    constexpr std::size_t kShown = 5;
    std::string text =
        fmt::format("invalid grading configuration ({} problem{})", issues.size(), issues.size() == 1 ? "" : "s");
    for (std::size_t i = 0; i < issues.size() && i < kShown; ++i)
        text += fmt::format("{} {}: {}", i == 0 ? ":" : ";", issues[i].path, issues[i].message);
    if (issues.size() > kShown) text += fmt::format("; and {} more", issues.size() - kShown);
    return text;
}

}  // namespace

ConfigError::ConfigError(std::vector<ConfigIssue> issues)
    : std::runtime_error(describe_issues(issues)), issues_(std::move(issues)) {}

const nlohmann::json* TestSpec::parameter(std::string_view parameter_name) const {
    auto found = std::find_if(parameters.begin(), parameters.end(),
                              [&](const TestParameter& p) { return p.name == parameter_name; });
    return found == parameters.end() ? nullptr : &found->value;
}

nlohmann::json TestSpec::parameters_json() const {
    auto object = nlohmann::json::object();
    for (const auto& parameter_entry : parameters) object[parameter_entry.name] = parameter_entry.value;
    return object;
}

TestCatalog TestCatalog::from_table(std::map<std::string, std::set<std::string>, std::less<>> tests) {
    auto table = std::make_shared<const std::map<std::string, std::set<std::string>, std::less<>>>(std::move(tests));
    TestCatalog catalog;
    catalog.has_template = [table](std::string_view template_name) {
        return table->find(template_name) != table->end();
    };
    catalog.has_test = [table](std::string_view template_name, std::string_view test_key) {
        auto found = table->find(template_name);
        return found != table->end() && found->second.count(std::string(test_key)) != 0;
    };
    return catalog;
}

std::string canonical_language(std::string_view language) {
    if (language == "javascript") return "node";
    return std::string(language);
}

std::string_view to_string(Visibility visibility) {
    switch (visibility) {
        case Visibility::visible:
            return "visible";
        case Visibility::hidden:
            return "hidden";
        case Visibility::after_due_date:
            return "after_due_date";
    }
    return "visible";
}

std::optional<Visibility> visibility_from_string(std::string_view text) {
    for (Visibility visibility : {Visibility::visible, Visibility::hidden, Visibility::after_due_date})
        if (text == to_string(visibility)) return visibility;
    return std::nullopt;
}

Visibility stricter(Visibility a, Visibility b) {
    auto rank = [](Visibility v) { return v == Visibility::hidden ? 2 : v == Visibility::after_due_date ? 1 : 0; };
    return rank(a) >= rank(b) ? a : b;
}

}  // namespace autograder
