// Parses the pre-flight setup (docs/configuration.md, "Setup"): per-language required files and setup commands, and
// assets copied into the sandbox.
#include <string_view>

#include <fmt/format.h>

#include "config/section_parsers.hpp"
#include "config/value_readers.hpp"

namespace autograder::config_parsing {

namespace {

bool has_parent_component(std::string_view path) {
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find_first_of("/\\", start);
        if (end == std::string_view::npos) end = path.size();
        if (path.substr(start, end - start) == "..") return true;
        start = end + 1;
    }
    return false;
}

std::vector<SetupAsset> parse_assets(const nlohmann::json& value, const JsonPath& path, IssueList& issues) {
    std::vector<SetupAsset> assets;
    if (!value.is_array()) {
        issues.error(path, fmt::format("expected a list of assets, found {}", describe_type(value)));
        return assets;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto& entry = value[i];
        const auto entry_path = path.index(i);
        if (!expect_object(entry, entry_path, issues)) continue;
        SetupAsset asset;
        bool valid = true;
        for (const char* required : {"source", "target"}) {
            auto found = entry.find(required);
            if (found == entry.end()) {
                issues.error(entry_path, fmt::format("an asset needs a '{}'", required));
                valid = false;
                continue;
            }
            auto text = read_non_empty_string(*found, entry_path.key(required), issues);
            if (!text) {
                valid = false;
                continue;
            }
            (std::string_view(required) == "source" ? asset.source : asset.target) = *text;
        }
        // The source is read from the assignment's own files: never let it climb out of them.
        if (!asset.source.empty() && (asset.source.front() == '/' || has_parent_component(asset.source))) {
            issues.error(entry_path.key("source"),
                         "must be a relative path inside the assignment (no leading '/' or '..')");
            valid = false;
        }
        if (!asset.target.empty() && has_parent_component(asset.target)) {
            issues.error(entry_path.key("target"), "must not contain '..'");
            valid = false;
        }
        if (auto found = entry.find("read_only"); found != entry.end()) {
            if (auto read_only = read_bool(*found, entry_path.key("read_only"), issues))
                asset.read_only = *read_only;
            else
                valid = false;
        }
        for (const auto& [key, ignored] : entry.items())
            if (key != "source" && key != "target" && key != "read_only")
                issues.warning(entry_path.key(key), fmt::format("unknown key '{}' is ignored", key));
        if (valid) assets.push_back(std::move(asset));
    }
    return assets;
}

std::vector<SetupCommand> parse_commands(const nlohmann::json& value, const JsonPath& path, IssueList& issues) {
    std::vector<SetupCommand> commands;
    if (!value.is_array()) {
        issues.error(path, fmt::format("expected a list of commands, found {}", describe_type(value)));
        return commands;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto& entry = value[i];
        const auto entry_path = path.index(i);
        if (entry.is_string()) {
            if (auto command = read_non_empty_string(entry, entry_path, issues))
                commands.push_back({*command, *command});
            continue;
        }
        if (!entry.is_object()) {
            issues.error(entry_path, fmt::format("expected a command string or {{\"name\", "
                                                 "\"command\"}}, found {}",
                                                 describe_type(entry)));
            continue;
        }
        auto command_it = entry.find("command");
        if (command_it == entry.end()) {
            issues.error(entry_path, "a setup command needs a 'command'");
            continue;
        }
        auto command = read_non_empty_string(*command_it, entry_path.key("command"), issues);
        if (!command) continue;
        std::string name = *command;
        if (auto name_it = entry.find("name"); name_it != entry.end()) {
            auto given = read_non_empty_string(*name_it, entry_path.key("name"), issues);
            if (!given) continue;
            name = std::move(*given);
        }
        for (const auto& [key, ignored] : entry.items())
            if (key != "name" && key != "command")
                issues.warning(entry_path.key(key), fmt::format("unknown key '{}' is ignored", key));
        commands.push_back({std::move(name), std::move(*command)});
    }
    return commands;
}

LanguageSetup parse_language_setup(const nlohmann::json& value, const JsonPath& path, IssueList& issues) {
    LanguageSetup setup;
    if (!expect_object(value, path, issues)) return setup;
    for (const auto& [key, entry] : value.items()) {
        const auto entry_path = path.key(key);
        if (key == "required_files") {
            if (auto files = read_string_list(entry, entry_path, issues)) setup.required_files = std::move(*files);
        } else if (key == "setup_commands") {
            setup.setup_commands = parse_commands(entry, entry_path, issues);
        } else if (key == "assets") {
            setup.assets = parse_assets(entry, entry_path, issues);
        } else {
            issues.warning(entry_path, fmt::format("unknown key '{}' is ignored", key));
        }
    }
    return setup;
}

}  // namespace

SetupConfig parse_setup(const nlohmann::json& setup, const JsonPath& path, const TestCatalog& catalog,
                        IssueList& issues) {
    SetupConfig config;
    if (!expect_object(setup, path, issues)) return config;
    for (const auto& [key, value] : setup.items()) {
        const auto entry_path = path.key(key);
        if (key == "assets") {
            config.assets = parse_assets(value, entry_path, issues);
            continue;
        }
        const std::string language = canonical_language(key);
        // A misspelt language would silently skip its required files: an error, not a warning.
        if (!is_known_language(language, catalog)) {
            issues.error(entry_path, fmt::format("unknown language '{}'", key));
            continue;
        }
        if (config.languages.count(language) != 0) {
            issues.error(entry_path, fmt::format("the setup for '{}' is given twice (javascript is node)", language));
            continue;
        }
        config.languages.emplace(language, parse_language_setup(value, entry_path, issues));
    }
    return config;
}

}  // namespace autograder::config_parsing
