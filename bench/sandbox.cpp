// bench/sandbox: what isolation costs. For N runs each of /bin/true and `python3 -c pass`, the
// milliseconds per run of
//   (a) bare     fork + exec + wait, no isolation (the floor)
//   (b) cold     a sandbox created, used once, destroyed
//   (c) warm     a run in a sandbox taken from a warm SandboxPool (the production path), once
//                the pool has made the replacement for the sandbox taken
//   (c') churn   the same back to back: each run overlaps the pool destroying the previous
//                sandbox and making its replacement (what a saturated 2-core host sees)
//   (d) bwrap    bubblewrap --unshare-all --die-with-parent with read-only binds, if installed
// and each as a ratio to (a). Then, on one warm sandbox, runs spaced 0, 20 and 100 ms apart with
// a bare run alongside each (interleaved, in the same loop): median and p90 of both, since real
// traffic (a student's click, a submission) does not come back to back. (c) and (c') are also
// given as median and p90. The last line is one JSON object with every figure.
//   usage: bench_sandbox [N] [SPACED]   (default 200 and 40 runs per spacing)
//
// `bench_sandbox oneshot [N]` measures the one-shot path instead: `autograder run` of a Python
// hello against a bare `python3` on the same file, alternating (N each, default 30), with the two
// parts that make up the difference alongside in the same loop: the command line tool's own start
// (`autograder --version`) and a sandbox created, used once for the same program and destroyed,
// in this process. Median and p90 of each; the last line is one JSON object.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "autograder/sandbox.hpp"
#include "autograder/sandbox_pool.hpp"

using namespace autograder;
using Clock = std::chrono::steady_clock;

namespace {

double ms_per_run(int n, const std::function<void()>& once) {
    once();  // warm caches (page cache of the binaries)
    auto start = Clock::now();
    for (int i = 0; i < n; ++i) once();
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count() / n;
}

// stdin is /dev/null: `autograder run` reads a piped stdin to its end.
void spawn_and_wait(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid == 0) {
        int null_fd = ::open("/dev/null", O_RDWR);
        ::dup2(null_fd, 0);
        ::dup2(null_fd, 1);
        ::dup2(null_fd, 2);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    int status;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "bench: %s failed\n", argv[0].c_str());
        std::exit(1);
    }
}

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Spread {
    double median = 0, p90 = 0;
};

Spread spread(std::vector<double> samples) {
    if (samples.empty()) return {};
    std::sort(samples.begin(), samples.end());
    auto at = [&](double q) {
        return samples[std::min(samples.size() - 1, static_cast<size_t>(q * static_cast<double>(samples.size())))];
    };
    return {at(0.5), at(0.9)};
}

nlohmann::json to_json(const Spread& s) {
    return {{"median_ms", s.median}, {"p90_ms", s.p90}};
}

void check(const RunReport& report) {
    if (report.status != RunStatus::ok) {
        std::fprintf(stderr, "bench: sandboxed run failed: %s\n", report.to_json().dump().c_str());
        std::exit(1);
    }
}

int one_shot(int n) {
    char dir_template[] = "/tmp/bench-oneshot-XXXXXX";
    if (!::mkdtemp(dir_template)) {
        std::perror("bench: mkdtemp");
        return 1;
    }
    const std::string dir = dir_template, file = dir + "/main.py";
    if (FILE* out = std::fopen(file.c_str(), "w")) {
        std::fputs("print('Hello, world!')\n", out);
        std::fclose(out);
    }
    const std::vector<std::string> cli_run = {AUTOGRADER_CLI, "run", "--language", "python", file};
    const std::vector<std::string> cli_start = {AUTOGRADER_CLI, "--version"};
    const std::vector<std::string> bare = {"/usr/bin/python3", file};
    const auto& table = LanguageTable::defaults();
    SandboxOptions options = sandbox_options_for(table, *table.find("python"));
    RunRequest request;
    request.argv = {"/usr/bin/python3", "main.py"};
    request.stdin_data = std::string();
    std::vector<double> create_ms, use_ms, destroy_ms;
    auto in_process = [&] {
        auto start = Clock::now();
        auto sandbox = Sandbox::create(options);
        create_ms.push_back(ms_since(start));
        start = Clock::now();
        sandbox->write_file("main.py", "print('Hello, world!')\n");
        check(sandbox->run(request));
        use_ms.push_back(ms_since(start));
        start = Clock::now();
        sandbox.reset();
        destroy_ms.push_back(ms_since(start));
    };
    spawn_and_wait(cli_run);  // page cache of the binaries, the grammars, python's modules
    spawn_and_wait(bare);
    std::vector<double> run_ms, bare_ms, start_ms, sandbox_ms;
    for (int i = 0; i < n; ++i) {
        auto start = Clock::now();
        spawn_and_wait(cli_run);
        run_ms.push_back(ms_since(start));
        start = Clock::now();
        spawn_and_wait(bare);
        bare_ms.push_back(ms_since(start));
        start = Clock::now();
        spawn_and_wait(cli_start);
        start_ms.push_back(ms_since(start));
        start = Clock::now();
        in_process();
        sandbox_ms.push_back(ms_since(start));
    }
    ::unlink(file.c_str());
    ::rmdir(dir.c_str());
    Spread r = spread(run_ms), b = spread(bare_ms), c = spread(start_ms), s = spread(sandbox_ms);
    std::printf("one-shot Python hello, %d alternating runs (median / p90 ms):\n", n);
    std::printf("  autograder run       %8.2f %8.2f   ratio to bare %.2f\n", r.median, r.p90, r.median / b.median);
    std::printf("  bare python3         %8.2f %8.2f\n", b.median, b.p90);
    std::printf("  autograder --version %8.2f %8.2f   (the tool's own start)\n", c.median, c.p90);
    std::printf("  cold sandbox run     %8.2f %8.2f   (create + run + destroy, in process)\n", s.median, s.p90);
    Spread made = spread(create_ms), used = spread(use_ms), destroyed = spread(destroy_ms);
    std::printf("    of which create    %8.2f %8.2f\n", made.median, made.p90);
    std::printf("    run                %8.2f %8.2f\n", used.median, used.p90);
    std::printf("    destroy            %8.2f %8.2f\n", destroyed.median, destroyed.p90);
    nlohmann::json figures = {
        {"autograder_run", to_json(r)},       {"bare_python3", to_json(b)},          {"cli_start", to_json(c)},
        {"cold_sandbox_run", to_json(s)},     {"cold_create", to_json(made)},        {"cold_use", to_json(used)},
        {"cold_destroy", to_json(destroyed)}, {"median_ratio", r.median / b.median}, {"runs", n}};
    std::printf("%s\n", figures.dump().c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "oneshot") {
        int n = argc > 2 ? std::atoi(argv[2]) : 30;
        if (n <= 0) {
            std::fprintf(stderr, "usage: bench_sandbox oneshot [N]\n");
            return 2;
        }
        return one_shot(n);
    }
    int n = argc > 1 ? std::atoi(argv[1]) : 200;
    int spaced_runs = argc > 2 ? std::atoi(argv[2]) : 40;
    if (n <= 0 || spaced_runs <= 0) {
        std::fprintf(stderr, "usage: bench_sandbox [N] [SPACED]\n");
        return 2;
    }
    const auto& table = LanguageTable::defaults();
    SandboxOptions options = sandbox_options_for(table, *table.find("python"));
    bool have_bwrap = ::access("/usr/bin/bwrap", X_OK) == 0;

    struct Program {
        const char* name;
        std::vector<std::string> argv;
    };
    const Program programs[] = {{"true", {"/bin/true"}}, {"python", {"/usr/bin/python3", "-c", "pass"}}};
    nlohmann::json figures;
    std::printf("%-8s %10s %10s %10s %10s %10s   (ms per run; ratio to bare)\n", "program", "bare", "cold", "warm",
                "churn", "bwrap");
    for (const auto& program : programs) {
        RunRequest request;
        request.argv = program.argv;
        request.stdin_data = std::string();
        int runs = program.argv.size() > 1 ? std::max(1, n / 4) : n;  // python is slower per run

        double bare = ms_per_run(runs, [&] { spawn_and_wait(program.argv); });
        double cold = ms_per_run(std::max(1, runs / 4), [&] { check(Sandbox::create(options)->run(request)); });
        auto pooled = [&](bool wait_for_pool) {
            SandboxPoolOptions pool_options;
            pool_options.default_size = 4;
            pool_options.warm_languages = {"python"};
            SandboxPool pool(pool_options);
            // Time only the run in a warm sandbox: acquiring is a queue pop, and destroying
            // and replenishing happen in the background.
            std::vector<double> samples;
            for (int i = 0; i <= runs; ++i) {
                auto lease = pool.acquire("python");
                // The pool replaces what acquire took; (c) times the run once that is done.
                if (wait_for_pool) pool.wait_until_ready(std::chrono::seconds(60));
                auto start = Clock::now();
                check(lease->run(request));
                if (i > 0) samples.push_back(ms_since(start));
            }
            return samples;
        };
        auto mean = [](const std::vector<double>& samples) {
            double total = 0;
            for (double s : samples) total += s;
            return total / static_cast<double>(samples.size());
        };
        auto warm_samples = pooled(true);
        auto churn_samples = pooled(false);
        double warm = mean(warm_samples);
        double churn = mean(churn_samples);
        double bwrap = -1;
        if (have_bwrap) {
            std::vector<std::string> wrapped = {"/usr/bin/bwrap", "--unshare-all", "--die-with-parent",
                                                "--ro-bind",      "/usr",          "/usr",
                                                "--symlink",      "usr/bin",       "/bin",
                                                "--symlink",      "usr/lib",       "/lib",
                                                "--symlink",      "usr/lib64",     "/lib64",
                                                "--proc",         "/proc",         "--dev",
                                                "/dev",           "--tmpfs",       "/tmp"};
            wrapped.insert(wrapped.end(), program.argv.begin(), program.argv.end());
            bwrap = ms_per_run(runs, [&] { spawn_and_wait(wrapped); });
        }
        // One warm sandbox, many runs with a pause before each; a bare run alongside in the same
        // loop, the order alternating, so both see the same machine.
        nlohmann::json spaced_figures;
        std::vector<std::string> spaced_lines;
        {
            SandboxPoolOptions pool_options;
            pool_options.default_size = 1;
            pool_options.warm_languages = {"python"};
            SandboxPool pool(pool_options);
            auto lease = pool.acquire("python");
            pool.wait_until_ready(std::chrono::seconds(60));
            check(lease->run(request));
            for (int spacing_ms : {0, 20, 100}) {
                std::vector<double> bare_samples, sandbox_samples;
                auto time_bare = [&] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(spacing_ms));
                    auto start = Clock::now();
                    spawn_and_wait(program.argv);
                    bare_samples.push_back(ms_since(start));
                };
                auto time_sandbox = [&] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(spacing_ms));
                    auto start = Clock::now();
                    check(lease->run(request));
                    sandbox_samples.push_back(ms_since(start));
                };
                for (int i = 0; i < spaced_runs; ++i) {
                    if (i % 2 == 0) {
                        time_bare();
                        time_sandbox();
                    } else {
                        time_sandbox();
                        time_bare();
                    }
                }
                Spread b = spread(bare_samples), w = spread(sandbox_samples);
                spaced_figures[std::to_string(spacing_ms) + "ms"] = {{"runs", spaced_runs},
                                                                     {"bare", to_json(b)},
                                                                     {"warm", to_json(w)},
                                                                     {"median_ratio", w.median / b.median}};
                char line[160];
                std::snprintf(line, sizeof line, "%-8s %6d ms apart: bare %7.3f / %7.3f   warm %7.3f / %7.3f   %5.2fx",
                              program.name, spacing_ms, b.median, b.p90, w.median, w.p90, w.median / b.median);
                spaced_lines.push_back(line);
            }
        }
        Spread warm_spread = spread(warm_samples), churn_spread = spread(churn_samples);
        std::printf("%-8s %10.3f %10.3f %10.3f %10.3f %10.3f\n", program.name, bare, cold, warm, churn, bwrap);
        std::printf("%-8s %10s %9.2fx %9.2fx %9.2fx %9.2fx\n", "", "1.00x", cold / bare, warm / bare, churn / bare,
                    bwrap > 0 ? bwrap / bare : 0.0);
        std::printf(
            "%-8s first run of a pooled sandbox: median %.3f p90 %.3f; while the pool replenishes: "
            "median %.3f p90 %.3f\n",
            "", warm_spread.median, warm_spread.p90, churn_spread.median, churn_spread.p90);
        for (const auto& line : spaced_lines) std::printf("%s   (median / p90 ms)\n", line.c_str());
        figures[program.name] = {{"runs", runs},
                                 {"bare_ms", bare},
                                 {"cold_ms", cold},
                                 {"warm_ms", warm},
                                 {"churn_ms", churn},
                                 {"bwrap_ms", have_bwrap ? nlohmann::json(bwrap) : nlohmann::json(nullptr)},
                                 {"warm_minus_bare_ms", warm - bare},
                                 {"warm_ratio", warm / bare},
                                 {"cold_ratio", cold / bare},
                                 {"bwrap_ratio", have_bwrap ? nlohmann::json(bwrap / bare) : nlohmann::json(nullptr)},
                                 {"first_run", to_json(warm_spread)},
                                 {"replenishing", to_json(churn_spread)},
                                 {"spaced", spaced_figures}};
    }
    std::printf("%s\n", figures.dump().c_str());
    return 0;
}
