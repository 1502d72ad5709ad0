// Parses the "export" section: a list of exporters (webhook, redis, file), each checked whole so
// that a misspelt setting is an error before anything is graded, never a silent default.
#include <algorithm>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "config/section_parsers.hpp"
#include "config/value_readers.hpp"

namespace autograder {

std::string_view to_string(ExporterConfig::Kind kind) {
    switch (kind) {
        case ExporterConfig::Kind::webhook:
            return "webhook";
        case ExporterConfig::Kind::redis:
            return "redis";
        case ExporterConfig::Kind::file:
            return "file";
    }
    return "file";
}

namespace config_parsing {
namespace {

constexpr std::size_t kMaxExporters = 16;
constexpr std::size_t kMaxUrlBytes = 2048;
constexpr std::size_t kMaxPathBytes = 4096;
constexpr std::size_t kMaxKeyPatternBytes = 512;

bool is_environment_name(std::string_view name) {
    if (name.empty() || name.size() > 128 || (name[0] >= '0' && name[0] <= '9')) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

bool all_digits(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool has_control_or_space(std::string_view text) {
    return std::any_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == '\x7f'; });
}

// "scheme://authority/rest": checks the scheme is one of `schemes` and the authority names a host
// without credentials (a URL is shown in results; secrets come from the environment).
void check_url(const std::string& url, const std::vector<std::string_view>& schemes, const JsonPath& path,
               IssueList& issues) {
    if (url.size() > kMaxUrlBytes) return issues.error(path, fmt::format("longer than {} bytes", kMaxUrlBytes));
    if (has_control_or_space(url)) return issues.error(path, "a URL has no spaces or control characters");
    const auto separator = url.find("://");
    const std::string scheme = separator == std::string::npos ? std::string() : url.substr(0, separator);
    if (std::find(schemes.begin(), schemes.end(), scheme) == schemes.end())
        return issues.error(path, fmt::format("expected a {}:// URL, found '{}'", fmt::join(schemes, ":// or "), url));
    const auto authority = url.substr(separator + 3, url.find_first_of("/?#", separator + 3) - separator - 3);
    if (authority.find('@') != std::string::npos)
        return issues.error(path,
                            "credentials do not belong in the URL (they would be shown in every result); "
                            "name an environment variable instead");
    if (authority.empty() || authority[0] == ':') return issues.error(path, fmt::format("no host in '{}'", url));
    // The port, when given, is a number; Redis URLs may end in "/<database number>".
    const auto port_colon = authority.rfind(':');
    if (port_colon != std::string::npos && authority.find(']', port_colon) == std::string::npos) {
        const auto port = authority.substr(port_colon + 1);
        if (port.empty() || port.size() > 5 || !all_digits(port) || std::stoi(port) > 65535)
            return issues.error(path, fmt::format("'{}' is not a port number", port));
    }
    if (scheme == "redis") {
        const auto rest = url.substr(separator + 3 + authority.size());
        const auto database = rest.empty() ? std::string() : rest.substr(1);
        if (!rest.empty() && (rest[0] != '/' || database.size() > 4 || !all_digits(database)))
            return issues.error(path, "a Redis URL is redis://host[:port][/database number]");
    }
}

// {name} placeholders: names of letters, digits and '_', braces balanced.
void check_key_pattern(const std::string& pattern, const JsonPath& path, IssueList& issues) {
    if (pattern.size() > kMaxKeyPatternBytes)
        return issues.error(path, fmt::format("longer than {} bytes", kMaxKeyPatternBytes));
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '}') return issues.error(path, "a '}' without its '{'");
        if (pattern[i] != '{') continue;
        const auto close = pattern.find('}', i);
        if (close == std::string::npos) return issues.error(path, "a '{' without its '}'");
        if (!is_environment_name(std::string_view(pattern).substr(i + 1, close - i - 1)))
            return issues.error(path, fmt::format("'{}' is not a placeholder: write {{external_user_id}}, a "
                                                  "metadata field of the submission",
                                                  pattern.substr(i, close - i + 1)));
        i = close;
    }
}

std::optional<std::string> read_environment_name(const nlohmann::json& value, const JsonPath& path, IssueList& issues) {
    auto name = read_non_empty_string(value, path, issues);
    if (!name) return std::nullopt;
    if (!is_environment_name(*name)) {
        issues.error(path, fmt::format("'{}' is not an environment variable name (letters, digits, '_'); the "
                                       "setting names the variable, it never holds the secret",
                                       *name));
        return std::nullopt;
    }
    if (std::getenv(name->c_str()) == nullptr)
        issues.warning(path,
                       fmt::format("the environment variable {} is not set now; exports fail until it is", *name));
    return name;
}

// The settings each kind accepts; anything else on the entry is an error.
const std::map<ExporterConfig::Kind, std::vector<std::string_view>>& settings_of_kind() {
    static const std::map<ExporterConfig::Kind, std::vector<std::string_view>> settings{
        {ExporterConfig::Kind::webhook, {"kind", "url", "secret_env", "timeout_ms", "max_attempts", "backoff_ms"}},
        {ExporterConfig::Kind::redis,
         {"kind", "url", "password_env", "key", "field", "timeout_ms", "max_attempts", "backoff_ms"}},
        {ExporterConfig::Kind::file, {"kind", "path"}},
    };
    return settings;
}

std::optional<ExporterConfig> parse_exporter(const nlohmann::json& entry, const JsonPath& path, IssueList& issues) {
    if (!expect_object(entry, path, issues)) return std::nullopt;
    const auto kind_value = entry.find("kind");
    if (kind_value == entry.end()) {
        issues.error(path, "an exporter needs a 'kind': webhook, redis or file");
        return std::nullopt;
    }
    auto kind_name = read_non_empty_string(*kind_value, path.key("kind"), issues);
    if (!kind_name) return std::nullopt;
    ExporterConfig exporter;
    if (*kind_name == "webhook") {
        exporter.kind = ExporterConfig::Kind::webhook;
    } else if (*kind_name == "redis") {
        exporter.kind = ExporterConfig::Kind::redis;
    } else if (*kind_name == "file") {
        exporter.kind = ExporterConfig::Kind::file;
    } else {
        issues.error(path.key("kind"), fmt::format("unknown exporter '{}' (webhook, redis, file)", *kind_name));
        return std::nullopt;
    }
    const auto& accepted = settings_of_kind().at(exporter.kind);
    const std::size_t errors_before = issues.errors().size();
    for (const auto& [key, value] : entry.items()) {
        const auto where = path.key(key);
        if (std::find(accepted.begin(), accepted.end(), key) == accepted.end()) {
            issues.error(where,
                         fmt::format("not a setting of a {} exporter ({})", *kind_name, fmt::join(accepted, ", ")));
        } else if (key == "url") {
            if (auto url = read_non_empty_string(value, where, issues)) {
                if (exporter.kind == ExporterConfig::Kind::webhook) {
                    check_url(*url, {"http", "https"}, where, issues);
                } else if (url->rfind("rediss://", 0) == 0) {
                    issues.error(where,
                                 "rediss:// (Redis over TLS) needs hiredis built with SSL, which this build "
                                 "does not have (Debian 12's hiredis 0.14); use redis:// over a trusted "
                                 "network or a TLS tunnel");
                } else {
                    check_url(*url, {"redis"}, where, issues);
                }
                exporter.target = std::move(*url);
            }
        } else if (key == "path") {
            if (auto file = read_non_empty_string(value, where, issues)) {
                if (file->size() > kMaxPathBytes || file->find('\0') != std::string::npos)
                    issues.error(where, "not a usable file path");
                exporter.target = std::move(*file);
            }
        } else if (key == "secret_env") {
            if (auto name = read_environment_name(value, where, issues)) exporter.secret_env = std::move(*name);
        } else if (key == "password_env") {
            if (auto name = read_environment_name(value, where, issues)) exporter.password_env = std::move(*name);
        } else if (key == "key") {
            if (auto pattern = read_non_empty_string(value, where, issues)) {
                check_key_pattern(*pattern, where, issues);
                exporter.key_pattern = std::move(*pattern);
            }
        } else if (key == "field") {
            if (auto field = read_non_empty_string(value, where, issues)) exporter.field = std::move(*field);
        } else if (key == "timeout_ms") {
            if (auto number = read_bounded_int(value, where, 1, 600000, issues)) exporter.timeout_ms = *number;
        } else if (key == "max_attempts") {
            if (auto number = read_bounded_int(value, where, 1, 10, issues)) exporter.max_attempts = *number;
        } else if (key == "backoff_ms") {
            if (auto number = read_bounded_int(value, where, 0, 60000, issues)) exporter.backoff_ms = *number;
        }
    }
    const char* target_key = exporter.kind == ExporterConfig::Kind::file ? "path" : "url";
    if (!entry.contains(target_key))
        issues.error(path, fmt::format("a {} exporter needs a '{}'", *kind_name, target_key));
    if (exporter.kind == ExporterConfig::Kind::webhook && !entry.contains("secret_env"))
        issues.error(path, "a webhook needs 'secret_env', the environment variable that holds its HMAC secret");
    if (issues.errors().size() != errors_before) return std::nullopt;
    return exporter;
}

}  // namespace

std::vector<ExporterConfig> parse_export(const nlohmann::json& section, const JsonPath& path, IssueList& issues) {
    std::vector<ExporterConfig> exporters;
    if (!section.is_array()) {
        issues.error(path, fmt::format("expected a list of exporters, found {}", describe_type(section)));
        return exporters;
    }
    if (section.size() > kMaxExporters) {
        issues.error(path, fmt::format("at most {} exporters", kMaxExporters));
        return exporters;
    }
    for (std::size_t i = 0; i < section.size(); ++i)
        if (auto exporter = parse_exporter(section[i], path.index(i), issues))
            exporters.push_back(std::move(*exporter));
    return exporters;
}

}  // namespace config_parsing
}  // namespace autograder
