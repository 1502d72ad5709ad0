#include "autograder/execute.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

namespace autograder {
namespace {

std::string stem_of(const std::string& path) {
    auto slash = path.rfind('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    auto dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(0, dot);
}

// The package a Java source declares ("" for none). Comments before it are skipped; this is not
// a Java parser, only enough to find the first statement.
std::string java_package(const std::string& source) {
    size_t i = 0;
    auto skip_blank_and_comments = [&] {
        for (;;) {
            while (i < source.size() && std::isspace(static_cast<unsigned char>(source[i]))) ++i;
            if (source.compare(i, 2, "//") == 0) {
                i = source.find('\n', i);
                if (i == std::string::npos) i = source.size();
            } else if (source.compare(i, 2, "/*") == 0) {
                i = source.find("*/", i + 2);
                i = i == std::string::npos ? source.size() : i + 2;
            } else {
                return;
            }
        }
    };
    skip_blank_and_comments();
    if (source.compare(i, 7, "package") != 0 || i + 7 >= source.size() ||
        !std::isspace(static_cast<unsigned char>(source[i + 7])))
        return {};
    i += 7;
    skip_blank_and_comments();
    std::string name;
    while (i < source.size() && (std::isalnum(static_cast<unsigned char>(source[i])) || source[i] == '_' ||
                                 source[i] == '.' || source[i] == '$'))
        name += source[i++];
    return name;
}

// A submission's file names are the student's choice: "-fplugin=./x.c", "@opts.java" or
// "--require=./evil.js" would be read as options by the compiler or runtime they are handed to.
// A relative path starting with "./" never is, by any tool.
std::string as_path_argument(const std::string& path) {
    if (path.empty() || path.front() == '/' || path.starts_with("./")) return path;
    return "./" + path;
}

// A main file's stem that a tool could read as an option or an argument file ("-x", "@x") gets
// the same "./" ({main_stem} names a file next to the main one).
std::string as_stem_argument(const std::string& stem) {
    if (stem.empty() || (stem.front() != '-' && stem.front() != '@' && stem.front() != '+')) return stem;
    return "./" + stem;
}

bool is_java_identifier_start(unsigned char c) {
    return std::isalpha(c) || c == '_' || c == '$' || c >= 0x80;
}

// Whether `name` can be a Java binary class name ("pkg.sub.Main"): identifiers joined by dots.
// Only such a name reaches `java`, which reads "-..." as a JVM option and "@..." as an argument file.
bool is_java_class_name(const std::string& name) {
    bool at_start = true;
    for (char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '.') {
            if (at_start) return false;
            at_start = true;
        } else if (at_start ? !is_java_identifier_start(byte)
                            : !(is_java_identifier_start(byte) || std::isdigit(byte))) {
            return false;
        } else {
            at_start = false;
        }
    }
    return !at_start;
}

RunReport run_phase(Sandbox& sandbox, const Language& language, std::vector<std::string> argv,
                    std::optional<std::string> stdin_data, const Limits& limits) {
    RunRequest request;
    request.argv = std::move(argv);
    request.stdin_data = std::move(stdin_data);
    request.env = language.env;
    request.limits = limits;
    return sandbox.run(request);
}

}  // namespace

CommandContext command_context(const Language& language, const std::vector<SourceFile>& files,
                               const std::string& main_file) {
    CommandContext context;
    for (const auto& file : files)
        if (file.path.ends_with(language.extension)) context.files.push_back(file.path);
    if (!main_file.empty()) {
        context.main_file = main_file;
    } else {
        auto by_default = std::find_if(files.begin(), files.end(), [&](const SourceFile& f) {
            return f.path == language.default_main || f.path.ends_with("/" + language.default_main);
        });
        if (by_default != files.end())
            context.main_file = by_default->path;
        else if (!context.files.empty())
            context.main_file = context.files.front();
        else if (!files.empty())
            context.main_file = files.front().path;
    }
    if (language.extension == ".java") {
        auto main =
            std::find_if(files.begin(), files.end(), [&](const SourceFile& f) { return f.path == context.main_file; });
        std::string package = main != files.end() ? java_package(main->content) : std::string();
        context.main_class = (package.empty() ? "" : package + ".") + stem_of(context.main_file);
        // A file whose name is no class name ("-XX:+PrintFlagsFinal.java") cannot declare its own
        // public class: what it holds is run under the language's default main class.
        if (!is_java_class_name(context.main_class))
            context.main_class = (package.empty() ? "" : package + ".") + stem_of(language.default_main);
        if (!is_java_class_name(context.main_class)) context.main_class = stem_of(language.default_main);
    }
    return context;
}

std::vector<std::string> expand_command(const std::vector<std::string>& command, const CommandContext& context) {
    std::vector<std::string> argv;
    for (const auto& word : command) {
        if (word == "{files}") {
            for (const auto& file : context.files) argv.push_back(as_path_argument(file));
            continue;
        }
        std::string expanded = word;
        auto replace = [&](const std::string& key, const std::string& value) {
            for (size_t at = expanded.find(key); at != std::string::npos; at = expanded.find(key, at + value.size()))
                expanded.replace(at, key.size(), value);
        };
        replace("{main}", as_path_argument(context.main_file));
        replace("{main_stem}", as_stem_argument(stem_of(context.main_file)));
        replace("{main_class}", context.main_class);
        replace("{memory_mb}", std::to_string(context.memory_mb));
        argv.push_back(std::move(expanded));
    }
    return argv;
}

Limits scaled_limits(const Language& language, const Limits& limits) {
    Limits scaled = limits;
    scaled.cpu_time_s *= language.time_factor;
    scaled.wall_time_s *= language.time_factor;
    scaled.memory_bytes =
        static_cast<int64_t>(std::llround(static_cast<double>(limits.memory_bytes) * language.memory_factor));
    scaled.processes += language.extra_processes;
    return scaled;
}

ExecuteResult execute(Sandbox& sandbox, const LanguageTable& table, const Language& language,
                      const std::vector<SourceFile>& files, const ExecuteOptions& options) {
    for (const auto& file : files) sandbox.write_file(file.path, file.content, file.executable);
    ExecuteResult result;
    Limits run_limits = scaled_limits(language, options.limits);
    CommandContext context = command_context(language, files, options.main_file);
    if (!language.compile.empty()) {
        context.memory_mb = table.compile_limits.memory_bytes >> 20;
        result.compile = run_phase(sandbox, language, expand_command(language.compile, context), std::string(),
                                   table.compile_limits);
        const RunReport& compile = *result.compile;
        if (compile.status != RunStatus::ok) {
            bool compiler_said_no = compile.status == RunStatus::runtime_error && compile.signal == 0;
            result.status = compiler_said_no ? "compile_error" : std::string(to_string(compile.status));
            return result;
        }
    }
    // Runtimes that size their heap themselves (the JVM) get most of the limit, not all of it:
    // the rest is for their own code, threads and metadata.
    context.memory_mb = std::max<int64_t>(16, (run_limits.memory_bytes >> 20) * 3 / 4);
    result.run = run_phase(sandbox, language, expand_command(language.run, context), options.stdin_data, run_limits);
    result.status = to_string(result.run->status);
    return result;
}

nlohmann::json ExecuteResult::to_json() const {
    if (!run && !compile) return {{"status", status}};
    const RunReport& last = run ? *run : *compile;
    nlohmann::json json = last.to_json();
    json["status"] = status;
    json["phase"] = run ? "run" : "compile";
    if (compile && run) json["compile"] = compile->to_json();
    return json;
}

}  // namespace autograder
