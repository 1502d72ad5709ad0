#include "autograder/languages.hpp"

#include <algorithm>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "languages_data.hpp"

namespace autograder {
namespace {

using nlohmann::json;

std::invalid_argument field_error(const std::string& path, const std::string& what) {
    return std::invalid_argument("language table: " + path + ": " + what);
}

std::vector<std::string> string_list(const json& value, const std::string& path) {
    if (!value.is_array()) throw field_error(path, "expected a list of strings");
    std::vector<std::string> result;
    for (const auto& item : value) {
        if (!item.is_string()) throw field_error(path, "expected a list of strings");
        result.push_back(item.get<std::string>());
    }
    return result;
}

double positive_number(const json& object, const char* key, double fallback, const std::string& path) {
    if (!object.contains(key)) return fallback;
    const auto& value = object.at(key);
    if (!value.is_number() || !(value.get<double>() > 0)) throw field_error(path + "." + key, "expected a number > 0");
    return value.get<double>();
}

Language parse_language(const std::string& name, const json& entry) {
    std::string path = "languages." + name;
    if (!entry.is_object()) throw field_error(path, "expected an object");
    Language language;
    language.name = name;
    if (!entry.contains("extension") || !entry["extension"].is_string())
        throw field_error(path + ".extension", "required string, e.g. \".py\"");
    language.extension = entry["extension"].get<std::string>();
    if (!entry.contains("run")) throw field_error(path + ".run", "required command (list of strings)");
    language.run = string_list(entry["run"], path + ".run");
    if (language.run.empty()) throw field_error(path + ".run", "must not be empty");
    if (entry.contains("compile")) language.compile = string_list(entry["compile"], path + ".compile");
    if (entry.contains("aliases")) language.aliases = string_list(entry["aliases"], path + ".aliases");
    if (entry.contains("paths")) language.paths = string_list(entry["paths"], path + ".paths");
    if (entry.contains("env")) {
        if (!entry["env"].is_object()) throw field_error(path + ".env", "expected an object of strings");
        for (const auto& [key, value] : entry["env"].items()) {
            if (!value.is_string()) throw field_error(path + ".env." + key, "expected a string");
            language.env[key] = value.get<std::string>();
        }
    }
    language.default_main = entry.value("default_main", std::string("main") + language.extension);
    language.time_factor = positive_number(entry, "time_factor", 1.0, path);
    language.memory_factor = positive_number(entry, "memory_factor", 1.0, path);
    if (entry.contains("extra_processes")) {
        const auto& extra = entry["extra_processes"];
        if (!extra.is_number_integer() || extra.get<int>() < 0 || extra.get<int>() > 4096)
            throw field_error(path + ".extra_processes", "expected an integer from 0 to 4096");
        language.extra_processes = extra.get<int>();
    }
    if (entry.contains("warm_interpreter")) {
        const auto& warm = entry["warm_interpreter"];
        if (!warm.is_boolean()) throw field_error(path + ".warm_interpreter", "expected true or false");
        const std::string& program = language.run.front();
        if (warm.get<bool>() && !program.substr(program.rfind('/') + 1).starts_with("python3"))
            throw field_error(path + ".warm_interpreter",
                              "a warm interpreter is available for Python only (a run command of python3)");
        language.warm_interpreter = warm.get<bool>();
    }
    return language;
}

// Variables every run gets unless the language sets its own value.
const std::map<std::string, std::string>& base_environment() {
    static const std::map<std::string, std::string> env{
        {"PATH", "/usr/local/bin:/usr/bin:/bin"},
        {"HOME", std::string(kWorkspacePath)},
        {"LANG", "C.UTF-8"},
        {"TMPDIR", "/tmp"},
    };
    return env;
}

}  // namespace

const LanguageTable& LanguageTable::defaults() {
    // Never destroyed: background threads may read it while statics are destroyed at exit.
    static const LanguageTable* table = new LanguageTable(from_json(json::parse(sandbox::kDefaultLanguagesJson)));
    return *table;
}

LanguageTable LanguageTable::from_json(const json& document) {
    if (!document.is_object()) throw field_error("(document)", "expected an object");
    LanguageTable table;
    if (document.contains("common_paths")) table.common_paths = string_list(document["common_paths"], "common_paths");
    if (document.contains("compile_limits")) {
        const auto& l = document["compile_limits"];
        if (!l.is_object()) throw field_error("compile_limits", "expected an object");
        table.compile_limits.cpu_time_s = positive_number(l, "cpu_time_s", 20, "compile_limits");
        table.compile_limits.wall_time_s = positive_number(l, "wall_time_s", 40, "compile_limits");
        table.compile_limits.memory_bytes =
            static_cast<int64_t>(positive_number(l, "memory_mb", 1024, "compile_limits")) << 20;
        table.compile_limits.processes = static_cast<int>(positive_number(l, "processes", 64, "compile_limits"));
        table.compile_limits.output_bytes = static_cast<int64_t>(positive_number(l, "output_kb", 64, "compile_limits"))
                                            << 10;
        table.compile_limits.file_size_bytes =
            static_cast<int64_t>(positive_number(l, "file_size_mb", 128, "compile_limits")) << 20;
    } else {
        table.compile_limits = {20, 40, 1024LL << 20, 64, 64LL << 10, 128LL << 20, 256, {}};
    }
    if (!document.contains("languages") || !document["languages"].is_object())
        throw field_error("languages", "required object of languages");
    for (const auto& [name, entry] : document["languages"].items()) {
        Language language = parse_language(name, entry);
        for (const auto& [key, value] : base_environment()) language.env.emplace(key, value);
        table.languages_.push_back(std::move(language));
    }
    return table;
}

LanguageTable LanguageTable::merged_with(const LanguageTable& overrides) const {
    LanguageTable result = *this;
    for (const auto& language : overrides.languages_) {
        auto same = std::find_if(result.languages_.begin(), result.languages_.end(),
                                 [&](const Language& l) { return l.name == language.name; });
        if (same != result.languages_.end())
            *same = language;
        else
            result.languages_.push_back(language);
    }
    if (!overrides.common_paths.empty()) result.common_paths = overrides.common_paths;
    return result;
}

const Language* LanguageTable::find(std::string_view name) const {
    for (const auto& language : languages_) {
        if (language.name == name) return &language;
        for (const auto& alias : language.aliases)
            if (alias == name) return &language;
    }
    return nullptr;
}

const Language* LanguageTable::for_file(std::string_view file_name) const {
    for (const auto& language : languages_)
        if (file_name.size() > language.extension.size() && file_name.ends_with(language.extension)) return &language;
    return nullptr;
}

std::vector<std::string> LanguageTable::names() const {
    std::vector<std::string> result;
    for (const auto& language : languages_) result.push_back(language.name);
    return result;
}

SandboxOptions sandbox_options_for(const LanguageTable& table, const Language& language, SandboxOptions base) {
    for (const auto& path : table.common_paths) base.read_only_paths.push_back(path);
    for (const auto& path : language.paths) base.read_only_paths.push_back(path);
    return base;
}

}  // namespace autograder
