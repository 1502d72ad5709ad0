// autograder run: compile (when the language needs it) and run files in a fresh sandbox, then
// print the run report.
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include "autograder/execute.hpp"
#include "autograder/languages.hpp"
#include "autograder/sandbox.hpp"
#include "commands.hpp"
#include "autograder/submission_reader.hpp"
#include "text/utf8.hpp"

namespace autograder::cli {
namespace {

struct RunOptions {
    std::string language;
    std::string stdin_file;
    std::string main_file;
    double cpu_s = 2.0;
    double wall_s = 5.0;
    int64_t memory_mb = 256;
    int processes = 64;
    int64_t output_kb = 1024;
    bool json = false;
    std::vector<std::string> files;
};

// `status` is the report's own, unless the caller knows better (a failed compile is
// compile_error, not the compiler's runtime_error).
void print_text(const RunReport& report, const char* title, std::string_view status = {}) {
    std::cout << fmt::format("{}: {} — {}\n", title, status.empty() ? to_string(report.status) : status,
                             text::valid_utf8(report.message));
    std::cout << fmt::format("exit code {} · signal {} · cpu {} ms · wall {} ms · peak memory {} KiB\n",
                             report.exit_code, report.signal, report.cpu_ms, report.wall_ms, report.peak_memory_kb);
    auto section = [](const char* name, const std::string& output, bool truncated) {
        if (output.empty()) return;
        // What the program printed, as the JSON report shows it: valid UTF-8, cut between characters.
        std::string shown =
            text::valid_utf8(truncated ? text::without_cut_character(output) : std::string_view(output));
        std::cout << fmt::format("--- {}{} ---\n", name, truncated ? " (truncated)" : "") << shown;
        if (shown.empty() || shown.back() != '\n') std::cout << '\n';
    };
    section("stdout", report.stdout_text, report.stdout_truncated);
    section("stderr", report.stderr_text, report.stderr_truncated);
}

// At most 64 MiB: beyond that the run's own output caps make the rest pointless.
std::string read_piped_stdin() {
    constexpr size_t kMaxBytes = 64u << 20;
    std::string data;
    char buffer[1 << 16];
    while (data.size() < kMaxBytes) {
        ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // end of input, or no readable stdin at all (closed)
        data.append(buffer, static_cast<size_t>(n));
    }
    if (data.size() > kMaxBytes) data.resize(kMaxBytes);
    return data;
}

int run(const RunOptions& o) {
    const LanguageTable& table = LanguageTable::defaults();
    const Language* language = table.find(o.language);
    if (!language) {
        std::string known;
        for (const auto& name : table.names()) known += (known.empty() ? "" : ", ") + name;
        std::cerr << "autograder run: unknown language '" << o.language << "' (known: " << known << ")\n";
        return 2;
    }
    ExecuteOptions options;
    options.main_file = o.main_file;
    options.limits.cpu_time_s = o.cpu_s;
    options.limits.wall_time_s = o.wall_s;
    options.limits.memory_bytes = o.memory_mb << 20;
    options.limits.processes = o.processes;
    options.limits.output_bytes = o.output_kb << 10;
    std::vector<SourceFile> files;
    try {
        files = read_submission_files(o.files);
        if (!o.stdin_file.empty()) {
            std::ifstream input(o.stdin_file, std::ios::binary);
            if (!input) throw std::runtime_error("cannot read --stdin file " + o.stdin_file);
            std::ostringstream content;
            content << input.rdbuf();
            options.stdin_data = content.str();
        } else if (::isatty(STDIN_FILENO) == 0) {
            // Piped input (`echo 5 | autograder run ...`) is the program's stdin; a terminal is never
            // read (the program gets end-of-file), so an interactive shell does not wait.
            options.stdin_data = read_piped_stdin();
        }
    } catch (const std::exception& e) {
        std::cerr << "autograder run: " << e.what() << "\n";
        return 2;
    }
    try {
        auto sandbox = Sandbox::create(sandbox_options_for(table, *language));
        ExecuteResult result = execute(*sandbox, table, *language, files, options);
        if (o.json) {
            std::cout << text::json_text(result.to_json()) << "\n";
        } else {
            bool compile_failed = result.status == "compile_error";
            if (result.compile) print_text(*result.compile, "compile", compile_failed ? "compile_error" : "");
            if (result.run) print_text(*result.run, "run");
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "autograder run: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace

Action add_run_command(CLI::App& app) {
    auto options = std::make_shared<RunOptions>();
    auto* command = app.add_subcommand(
        "run", "Compile (if the language needs it) and run FILE... in a fresh sandbox; print the run report");
    command->add_option("--language,-l", options->language, "python, c, cpp, java or javascript (node)")->required();
    command
        ->add_option("--stdin", options->stdin_file,
                     "File fed to the program's stdin (default: what is piped in; from a terminal, nothing: "
                     "end-of-file)")
        ->check(CLI::ExistingFile);
    command->add_option("--main", options->main_file, "Main file (default: the language's, e.g. main.py)");
    command->add_option("--time-limit", options->cpu_s, "CPU time limit in seconds, whole process tree")
        ->capture_default_str()
        ->check(CLI::Range(0.001, 3600.0));
    command->add_option("--wall-time-limit", options->wall_s, "Wall time limit in seconds")
        ->capture_default_str()
        ->check(CLI::Range(0.001, 3600.0));
    command->add_option("--memory-limit", options->memory_mb, "Memory limit in MiB, whole process tree")
        ->capture_default_str()
        ->check(CLI::Range(int64_t{4}, int64_t{65536}));
    command->add_option("--processes", options->processes, "Processes and threads at once")
        ->capture_default_str()
        ->check(CLI::Range(1, 4096));
    command->add_option("--output-limit", options->output_kb, "Cap of stdout and of stderr, in KiB")
        ->capture_default_str()
        ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
    command->add_flag("--json", options->json, "Print the report as one JSON object");
    command->add_option("FILE", options->files, "Source files or folders")->required();
    command->footer(
        "Exit status: 0 when a report was produced (whatever its status), 1 when the sandbox "
        "failed, 2 for usage errors.\nExample: autograder run --language python --stdin in.txt main.py");
    return [options] { return run(*options); };
}

Action add_check_host_command(CLI::App& app) {
    auto* command = app.add_subcommand("check-host", "Report what this host offers the sandbox");
    (void)command;
    return [] {
        HostSupport support = detect_host_support();
        nlohmann::json json{{"user_namespaces", support.user_namespaces},
                            {"cgroup_memory", support.cgroup_memory},
                            {"cgroup_pids", support.cgroup_pids},
                            {"cgroup_cpu", support.cgroup_cpu},
                            {"problems", support.problems}};
        std::cout << text::json_text(json, 2) << "\n";
        return support.problems.empty() ? 0 : 1;
    };
}

}  // namespace autograder::cli
