// Checks a test's parameters against its function's ParameterDocs when the pipeline is created:
// a mistake in a rubric is refused with its JSON path instead of costing every student the points
// at grading time.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "autograder/templates.hpp"

namespace autograder {
namespace {

std::string kind_of(const nlohmann::json& value) {
    if (value.is_string()) return "a string";
    if (value.is_boolean()) return "a boolean";
    if (value.is_number()) return "a number";
    if (value.is_array()) return "a list";
    if (value.is_object()) return "an object";
    return "null";
}

// Levenshtein distance, for "did you mean" hints on short parameter names.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::optional<std::string> choice_problem(const ParameterDoc& doc, const nlohmann::json& item) {
    if (doc.choices.empty()) return std::nullopt;
    if (item.is_string() &&
        std::find(doc.choices.begin(), doc.choices.end(), item.get_ref<const std::string&>()) != doc.choices.end())
        return std::nullopt;
    return fmt::format("{} is not one of: {}", item.dump(), fmt::join(doc.choices, ", "));
}

bool is_whole_number(const nlohmann::json& value) {
    if (value.is_number_integer()) return true;
    if (value.is_number_float()) {
        double d = value.get<double>();
        return std::isfinite(d) && std::floor(d) == d && std::fabs(d) <= 1e15;
    }
    if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        std::size_t from = !text.empty() && text[0] == '-' ? 1 : 0;
        return text.size() > from && text.size() - from <= 15 &&
               std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from), text.end(),
                           [](unsigned char c) { return c >= '0' && c <= '9'; });
    }
    return false;
}

double whole_number_value(const nlohmann::json& value) {
    if (value.is_string()) return static_cast<double>(std::stoll(value.get<std::string>()));
    return value.get<double>();
}

std::optional<std::string> bounds_problem(const ParameterDoc& doc, double number) {
    if (doc.minimum && number < *doc.minimum) return fmt::format("must be at least {}, not {}", *doc.minimum, number);
    if (doc.maximum && number > *doc.maximum) return fmt::format("must be at most {}, not {}", *doc.maximum, number);
    return std::nullopt;
}

const nlohmann::json* find_value(const TestSpec& spec, const ParameterDoc& doc, const TestParameter** found) {
    for (const auto& parameter : spec.parameters) {
        bool named = parameter.name == doc.name ||
                     std::find(doc.aliases.begin(), doc.aliases.end(), parameter.name) != doc.aliases.end();
        if (named && !parameter.value.is_null()) {
            *found = &parameter;
            return &parameter.value;
        }
    }
    return nullptr;
}

}  // namespace

std::optional<std::string> parameter_value_problem(const ParameterDoc& doc, const nlohmann::json& value) {
    const std::string& type = doc.type;
    if (type == "string") {
        if (!value.is_string()) return "must be a string, not " + kind_of(value);
        return choice_problem(doc, value);
    }
    if (type == "text") {
        bool lines = value.is_array() && std::all_of(value.begin(), value.end(), [](const nlohmann::json& line) {
                         return line.is_string() || line.is_number() || line.is_boolean();
                     });
        if (!value.is_string() && !value.is_number() && !lines)
            return "must be a string or a list of lines, not " + kind_of(value);
        return std::nullopt;
    }
    if (type == "number") {
        if (!value.is_number()) return "must be a number, not " + kind_of(value) + " " + value.dump();
        double number = value.get<double>();
        if (!std::isfinite(number)) return "must be a finite number";
        return bounds_problem(doc, number);
    }
    if (type == "integer") {
        if (!is_whole_number(value)) return "must be a whole number, not " + value.dump();
        return bounds_problem(doc, whole_number_value(value));
    }
    if (type == "boolean") {
        if (!value.is_boolean()) return "must be true or false, not " + value.dump();
        return std::nullopt;
    }
    if (type == "list") {
        if (value.is_string()) return choice_problem(doc, value);
        if (!value.is_array()) return "must be a list, not " + kind_of(value);
        for (const auto& item : value)
            if (auto problem = choice_problem(doc, item)) return problem;
        return std::nullopt;
    }
    if (type == "object") {
        if (!value.is_object()) return "must be an object, not " + kind_of(value);
        return std::nullopt;
    }
    if (type == "string|object") {
        if (value.is_string()) return std::nullopt;
        if (!value.is_object())
            return "must be a string or an object of strings (one per language), not " + kind_of(value);
        for (const auto& [key, item] : value.items())
            if (!item.is_string()) return fmt::format("'{}' must be a string, not {}", key, kind_of(item));
        return std::nullopt;
    }
    return std::nullopt;  // a host's own type: documentation only
}

std::vector<ConfigIssue> check_test_parameters(const TestFunction& function, const TestSpec& spec,
                                               const std::string& test_path, const std::string& assignment_directory) {
    std::vector<ConfigIssue> issues;
    const std::vector<ParameterDoc> docs = function.parameters();
    auto path_of = [&](const TestParameter& parameter) {
        return parameter.path.empty() ? test_path + "." + parameter.name : parameter.path;
    };
    auto known = [&](std::string_view name) {
        return std::any_of(docs.begin(), docs.end(), [&](const ParameterDoc& doc) {
            return doc.name == name || std::find(doc.aliases.begin(), doc.aliases.end(), name) != doc.aliases.end();
        });
    };

    if (function.parameters_complete()) {
        for (const auto& parameter : spec.parameters) {
            if (known(parameter.name)) continue;
            std::string hint;
            for (const auto& doc : docs)
                if (edit_distance(parameter.name, doc.name) <= 2) hint = fmt::format(" (did you mean '{}'?)", doc.name);
            std::vector<std::string> names;
            for (const auto& doc : docs) names.push_back(doc.name);
            issues.push_back(
                {path_of(parameter), fmt::format("unknown parameter '{}' for '{}'{}; its parameters are: {}",
                                                 parameter.name, function.key(), hint,
                                                 names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", ")))});
        }
    }

    for (const auto& doc : docs) {
        const TestParameter* parameter = nullptr;
        const nlohmann::json* value = find_value(spec, doc, &parameter);
        if (!value) {
            if (doc.required)
                issues.push_back({test_path, fmt::format("missing required parameter '{}' ({}: {})", doc.name, doc.type,
                                                         doc.description)});
            continue;
        }
        if (auto problem = parameter_value_problem(doc, *value)) {
            issues.push_back({path_of(*parameter), fmt::format("parameter '{}' {}", parameter->name, *problem)});
            continue;
        }
        if (!doc.assignment_files) continue;
        std::vector<std::string> files;
        if (value->is_string()) files.push_back(value->get<std::string>());
        for (const auto& item : value->is_array() ? *value : nlohmann::json::array())
            if (item.is_string()) files.push_back(item.get<std::string>());
        for (const auto& file : files) {
            std::filesystem::path relative(file);
            auto normal = relative.lexically_normal().string();
            if (file.empty() || relative.is_absolute() || normal == ".." || normal.starts_with("../")) {
                issues.push_back({path_of(*parameter),
                                  fmt::format("'{}' must be a relative path inside the assignment folder", file)});
                continue;
            }
            std::error_code error;
            auto full = std::filesystem::path(assignment_directory) / relative;
            if (!std::filesystem::is_regular_file(full, error))
                issues.push_back({path_of(*parameter),
                                  fmt::format("file '{}' does not exist in the assignment folder ({})", file,
                                              assignment_directory.empty() ? std::string("the current directory")
                                                                           : assignment_directory)});
        }
    }

    // The function's own checks, except on a parameter already reported (one problem each).
    for (auto& problem : function.check_parameters(spec)) {
        std::string path = test_path;
        if (!problem.parameter.empty())
            for (const auto& parameter : spec.parameters)
                if (parameter.name == problem.parameter) path = path_of(parameter);
        bool reported =
            !problem.parameter.empty() && path != test_path &&
            std::any_of(issues.begin(), issues.end(), [&](const ConfigIssue& issue) { return issue.path == path; });
        if (!reported) issues.push_back({path, std::move(problem.message)});
    }
    return issues;
}

}  // namespace autograder
