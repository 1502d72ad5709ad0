#include "json_requests.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string_view>

#include <openssl/evp.h>

#include "autograder.h"
#include "autograder/feedback.hpp"
#include "boundary.hpp"
#include "text/utf8.hpp"

namespace autograder::c_abi {
namespace {

using nlohmann::json;

[[noreturn]] void invalid(const std::string& message) {
    throw AbiError(AG_ERROR_INVALID_ARGUMENT, message);
}

// The fields of one JSON object, read with their path for messages. Absent and null fields
// take the caller's default.
class Fields {
public:
    Fields(const json& object, std::string where, std::initializer_list<std::string_view> known)
        : object_(object), where_(std::move(where)) {
        if (!object.is_object()) invalid(where_ + " must be a JSON object");
        for (const auto& [key, value] : object.items())
            if (std::find(known.begin(), known.end(), key) == known.end())
                invalid(where_ + ": unknown field '" + key + "'");
    }

    std::string path(std::string_view name) const { return where_ + "." + std::string(name); }

    const json* find(const char* name) const {
        auto found = object_.find(name);
        return found == object_.end() || found->is_null() ? nullptr : &*found;
    }

    std::string text(const char* name, std::string fallback = {}) const {
        const json* value = find(name);
        if (!value) return fallback;
        if (!value->is_string()) invalid(path(name) + " must be a string");
        return value->get<std::string>();
    }
    std::string required_text(const char* name) const {
        if (!find(name)) invalid(path(name) + " is required");
        return text(name);
    }
    double number(const char* name, double fallback, double minimum) const {
        const json* value = find(name);
        if (!value) return fallback;
        if (!value->is_number()) invalid(path(name) + " must be a number");
        double number = value->get<double>();
        if (!std::isfinite(number) || number < minimum)
            invalid(path(name) + " must be at least " + std::to_string(minimum));
        return number;
    }
    int64_t integer(const char* name, int64_t fallback, int64_t minimum) const {
        const json* value = find(name);
        if (!value) return fallback;
        if (!value->is_number_integer()) invalid(path(name) + " must be an integer");
        int64_t number = value->get<int64_t>();
        if (number < minimum) invalid(path(name) + " must be at least " + std::to_string(minimum));
        return number;
    }
    int small_integer(const char* name, int fallback, int minimum) const {
        int64_t number = integer(name, fallback, minimum);
        if (number > std::numeric_limits<int>::max()) invalid(path(name) + " is too large");
        return static_cast<int>(number);
    }
    bool boolean(const char* name, bool fallback) const {
        const json* value = find(name);
        if (!value) return fallback;
        if (!value->is_boolean()) invalid(path(name) + " must be true or false");
        return value->get<bool>();
    }
    std::vector<std::string> texts(const char* name) const {
        std::vector<std::string> result;
        const json* value = find(name);
        if (!value) return result;
        if (!value->is_array()) invalid(path(name) + " must be a list of strings");
        for (const auto& item : *value) {
            if (!item.is_string()) invalid(path(name) + " must be a list of strings");
            result.push_back(item.get<std::string>());
        }
        return result;
    }

private:
    const json& object_;
    std::string where_;
};

// Standard base64 (RFC 4648, with or without '=' padding), for files that are not UTF-8 text
// (an image, a .pyc): JSON strings carry only text.
std::string decode_base64(std::string_view text, const std::string& where) {
    static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    std::string bytes;
    bytes.reserve(text.size() * 3 / 4);
    uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        size_t value = kAlphabet.find(c);
        if (value == std::string_view::npos) invalid(where + " is not base64");
        buffer = (buffer << 6) | static_cast<uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes.push_back(static_cast<char>((buffer >> bits) & 0xff));
        }
    }
    if (bits >= 6) invalid(where + " is not base64 (a truncated group)");
    return bytes;
}

std::vector<SourceFile> read_files(const Fields& fields) {
    const json* files = fields.find("files");
    if (!files) invalid(fields.path("files") + " is required");
    if (!files->is_array()) invalid(fields.path("files") + " must be a list of {\"path\", \"content\"}");
    std::vector<SourceFile> result;
    for (size_t i = 0; i < files->size(); ++i) {
        Fields file((*files)[i], fields.path("files") + "[" + std::to_string(i) + "]",
                    {"path", "content", "content_base64", "executable"});
        bool as_text = file.find("content") != nullptr, as_bytes = file.find("content_base64") != nullptr;
        if (as_text == as_bytes) invalid(file.path("content") + ": give exactly one of content and content_base64");
        std::string content =
            as_text ? file.text("content") : decode_base64(file.text("content_base64"), file.path("content_base64"));
        result.push_back({file.required_text("path"), std::move(content), file.boolean("executable", false)});
    }
    return result;
}

// OpenSSL's encoder: base64 with padding, no line breaks.
std::string encode_base64(std::string_view bytes) {
    std::string text(4 * ((bytes.size() + 2) / 3), '\0');
    const int written =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                        reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    text.resize(static_cast<size_t>(written));
    return text;
}

Limits read_limits(const Fields& parent) {
    Limits limits;
    const json* value = parent.find("limits");
    if (!value) return limits;
    Fields fields(*value, parent.path("limits"),
                  {"cpu_time_s", "wall_time_s", "memory_bytes", "processes", "output_bytes", "file_size_bytes",
                   "open_files", "stack_bytes"});
    limits.cpu_time_s = fields.number("cpu_time_s", limits.cpu_time_s, 0.001);
    limits.wall_time_s = fields.number("wall_time_s", limits.wall_time_s, 0.001);
    limits.memory_bytes = fields.integer("memory_bytes", limits.memory_bytes, 1 << 20);
    limits.processes = fields.small_integer("processes", limits.processes, 1);
    limits.output_bytes = fields.integer("output_bytes", limits.output_bytes, 1);
    limits.file_size_bytes = fields.integer("file_size_bytes", limits.file_size_bytes, 0);
    limits.open_files = fields.small_integer("open_files", limits.open_files, 4);
    if (fields.find("stack_bytes")) limits.stack_bytes = fields.integer("stack_bytes", 0, 4096);
    return limits;
}

std::optional<std::string> optional_text(const Fields& fields, const char* name) {
    if (!fields.find(name)) return std::nullopt;
    return fields.text(name);
}

}  // namespace

nlohmann::json parse_document(const char* text, const char* argument_name) {
    require(text, argument_name);
    // Parsing is iterative, but copying and printing a document recurse once per level: a deep
    // one (a submission's metadata, a callback's host_data) would overflow the stack later.
    std::size_t depth = 0;
    auto limit_depth = [&](int, json::parse_event_t event, json&) {
        if (event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) {
            if (++depth > kMaxDocumentDepth)
                invalid(std::string(argument_name) + " is nested deeper than " + std::to_string(kMaxDocumentDepth) +
                        " levels");
        } else if (event == json::parse_event_t::object_end || event == json::parse_event_t::array_end) {
            --depth;
        }
        return true;
    };
    try {
        return json::parse(text, limit_depth);
    } catch (const json::exception& e) {
        // A syntax error, or a number too large for a double (out_of_range.406). The message
        // quotes the bytes where parsing stopped: ag_last_error stays UTF-8.
        invalid(std::string(argument_name) + " is not valid JSON: " + text::valid_utf8(e.what()));
    }
}

const Language& find_language(const LanguageTable& table, const std::string& name) {
    if (const Language* language = table.find(name)) return *language;
    std::string known;
    for (const auto& key : table.names()) known += (known.empty() ? "" : ", ") + key;
    throw AbiError(AG_ERROR_UNKNOWN_LANGUAGE, "unknown language '" + name + "' (known: " + known + ")");
}

PipelineOptions read_pipeline_options(const nlohmann::json& options) {
    PipelineOptions result;
    if (options.is_null()) return result;
    Fields fields(options, "options_json", {"locale", "assignment_directory", "sandbox_timeout_ms"});
    std::string locale_name = fields.text("locale", "en");
    auto locale = locale_from_string(locale_name);
    if (!locale) invalid(fields.path("locale") + ": unknown locale '" + locale_name + "' (en, pt_br)");
    result.locale = *locale;
    result.assignment_directory = fields.text("assignment_directory");
    result.sandbox_timeout =
        std::chrono::milliseconds(fields.integer("sandbox_timeout_ms", result.sandbox_timeout.count(), 1));
    return result;
}

nlohmann::json submission_files_json(const std::vector<SourceFile>& files) {
    json list = json::array();
    for (const auto& file : files) {
        json entry = {{"path", file.path}};
        if (text::is_valid_utf8(file.content))
            entry["content"] = file.content;
        else
            entry["content_base64"] = encode_base64(file.content);
        if (file.executable) entry["executable"] = true;
        list.push_back(std::move(entry));
    }
    return {{"files", std::move(list)}};
}

Submission read_submission(const nlohmann::json& submission, const std::string& where) {
    Fields fields(submission, where, {"files", "language", "metadata"});
    Submission result;
    result.files = read_files(fields);
    result.language = fields.text("language");
    if (const json* metadata = fields.find("metadata")) {
        if (!metadata->is_object()) invalid(fields.path("metadata") + " must be a JSON object");
        result.metadata = *metadata;
    }
    return result;
}

SandboxPoolOptions read_pool_settings(const nlohmann::json& settings) {
    SandboxPoolOptions result;
    if (settings.is_null()) return result;
    Fields fields(settings, "settings_json",
                  {"default_size", "max_total", "size_per_language", "warm_languages", "sandbox"});
    result.default_size = fields.small_integer("default_size", result.default_size, -1);
    result.max_total = fields.small_integer("max_total", result.max_total, 1);
    result.warm_languages = fields.texts("warm_languages");
    for (const auto& name : result.warm_languages) find_language(result.languages, name);
    if (const json* sizes = fields.find("size_per_language")) {
        if (!sizes->is_object()) invalid(fields.path("size_per_language") + " must be a JSON object");
        for (const auto& [name, size] : sizes->items()) {
            find_language(result.languages, name);
            if (!size.is_number_integer() || size.get<int64_t>() < 0 || size.get<int64_t>() > 1024)
                invalid(fields.path("size_per_language") + "." + name + " must be an integer 0..1024");
            result.size_per_language[name] = size.get<int>();
        }
    }
    if (const json* sandbox = fields.find("sandbox")) {
        Fields options(
            *sandbox, fields.path("sandbox"),
            {"workspace_bytes", "tmp_bytes", "max_inodes", "loopback_network", "read_only_paths", "hostname"});
        SandboxOptions& s = result.sandbox;
        s.workspace_bytes = options.integer("workspace_bytes", s.workspace_bytes, 1 << 20);
        s.tmp_bytes = options.integer("tmp_bytes", s.tmp_bytes, 1 << 20);
        s.max_inodes = options.integer("max_inodes", s.max_inodes, 16);
        s.loopback_network = options.boolean("loopback_network", s.loopback_network);
        s.read_only_paths = options.texts("read_only_paths");
        s.hostname = options.text("hostname", s.hostname);
    }
    return result;
}

RunRequest read_run_request(const nlohmann::json& request, const Language& language) {
    Fields fields(request, "request_json", {"argv", "stdin", "env", "cwd", "limits", "run_as"});
    RunRequest result;
    result.argv = fields.texts("argv");
    if (result.argv.empty()) invalid(fields.path("argv") + " must be a non-empty list of strings");
    result.stdin_data = optional_text(fields, "stdin");
    result.cwd = fields.text("cwd", ".");
    std::string run_as = fields.text("run_as", "student");
    if (run_as != "student" && run_as != "grader")
        invalid(fields.path("run_as") + " must be \"student\" or \"grader\", not \"" + run_as + "\"");
    result.run_as = run_as == "grader" ? RunAs::grader : RunAs::student;
    result.limits = read_limits(fields);
    // The language's environment by default: its PATH is what finds argv[0].
    result.env = language.env;
    if (const json* env = fields.find("env")) {
        if (!env->is_object()) invalid(fields.path("env") + " must be an object of strings");
        result.env.clear();
        for (const auto& [name, value] : env->items()) {
            if (!value.is_string()) invalid(fields.path("env") + "." + name + " must be a string");
            result.env[name] = value.get<std::string>();
        }
    }
    return result;
}

ExecuteRequest read_execute_request(const nlohmann::json& request, const LanguageTable& table) {
    Fields fields(request, "request_json", {"language", "files", "stdin", "main", "limits"});
    ExecuteRequest result;
    result.language = &find_language(table, fields.required_text("language"));
    result.files = read_files(fields);
    if (result.files.empty()) invalid(fields.path("files") + " must not be empty");
    result.options.stdin_data = optional_text(fields, "stdin");
    result.options.main_file = fields.text("main");
    result.options.limits = read_limits(fields);
    return result;
}

HostFunctionDescription read_function_description(const nlohmann::json& function) {
    Fields fields(function, "function_json", {"key", "description", "parameters", "needs_sandbox"});
    HostFunctionDescription result;
    result.key = fields.required_text("key");
    if (result.key.empty()) invalid(fields.path("key") + " must not be empty");
    result.description = fields.text("description");
    result.needs_sandbox = fields.boolean("needs_sandbox", false);
    if (const json* parameters = fields.find("parameters")) {
        if (!parameters->is_array())
            invalid(fields.path("parameters") +
                    " must be a list of {\"name\", \"type\", \"required\", \"description\"}");
        for (size_t i = 0; i < parameters->size(); ++i) {
            Fields parameter((*parameters)[i], fields.path("parameters") + "[" + std::to_string(i) + "]",
                             {"name", "type", "required", "description"});
            result.parameters.push_back({parameter.required_text("name"), parameter.text("type", "any"),
                                         parameter.boolean("required", false), parameter.text("description")});
        }
    }
    return result;
}

HostStepDescription read_step_description(const nlohmann::json& step) {
    Fields fields(step, "step_json", {"name", "after"});
    HostStepDescription result{fields.required_text("name"), fields.text("after")};
    if (result.name.empty()) invalid(fields.path("name") + " must not be empty");
    return result;
}

TestOutcome read_test_reply(const nlohmann::json& reply) {
    if (reply.is_object() && reply.contains("error")) {
        Fields fields(reply, "reply", {"error"});
        return {0, fields.required_text("error"), std::nullopt};
    }
    Fields fields(reply, "reply", {"score", "report"});
    const json* score = fields.find("score");
    if (!score) invalid(fields.path("score") + " is required");
    if (!score->is_number() || !(score->get<double>() >= 0 && score->get<double>() <= 100))
        invalid(fields.path("score") + " must be a number from 0 to 100");
    return {score->get<double>(), fields.text("report"), std::nullopt};
}

StepReply read_step_reply(const nlohmann::json& reply) {
    Fields fields(reply, "reply", {"ok", "message", "host_data"});
    if (!fields.find("ok")) invalid(fields.path("ok") + " is required");
    StepReply result{fields.boolean("ok", true), fields.text("message"), std::nullopt};
    if (const json* host_data = fields.find("host_data")) {
        if (!host_data->is_object()) invalid(fields.path("host_data") + " must be a JSON object");
        result.host_data = *host_data;
    }
    return result;
}

}  // namespace autograder::c_abi
