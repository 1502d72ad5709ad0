// bench/sandbox: what isolation costs. For N runs each of /bin/true and `python3 -c pass`, the
// milliseconds per run (median and p90) of
//   cold     a sandbox created, used once, destroyed
//   warm     the first run in a sandbox taken from a warm SandboxPool (the production path), once
//            the pool has made the replacement for the sandbox taken
//   churn    the same back to back: each run overlaps the pool destroying the previous sandbox
//            and making its replacement (what a saturated 2-core host sees)
//   bwrap    bubblewrap --unshare-all --die-with-parent with read-only binds, if installed
// each with a bare fork + exec + wait (the floor) done in the same loop, the order alternating,
// so that both see the same machine: the ratio is the column's median over its own bare median.
// Then, on one warm sandbox, runs spaced 0, 20 and 100 ms apart, a bare run alongside each:
// real traffic (a student's click, a submission) does not come back to back. The warm column
// also gives CPU time per run (the sandbox's accounting against the bare child's rusage), which
// a loaded host does not blur. The last line is one JSON object with every figure.
//   usage: bench_sandbox [N] [SPACED]   (default 200 and 40 runs per spacing)
//
// Bare runs are made by a helper process in a session of its own, as a sandbox's runs are in
// its init's: with scheduler autogroups each session is a scheduling group, and on a loaded
// host a run in a group of its own gets more of the CPU than one in the benchmark's group.
//
// `bench_sandbox oneshot [N]` measures the one-shot path instead: `autograder run` of a Python
// hello against a bare `python3` on the same file, alternating (N each, default 30), with the two
// parts that make up the difference alongside in the same loop: the command line tool's own start
// (`autograder --version`) and a sandbox created, used once for the same program and destroyed,
// in this process, and bubblewrap running the same file (the leanest namespace sandbox, for
// reference). Median and p90 of each, and what one cgroup move by pid costs after 100 ms idle (the
// RCU grace period a new sandbox would wait for if its init did not move itself); the last line
// is one JSON object.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "autograder/sandbox.hpp"
#include "autograder/sandbox_pool.hpp"

using namespace autograder;
using Clock = std::chrono::steady_clock;

namespace {

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

// Runs bare programs for the benchmark from a process in a session of its own (see the top of
// this file). The time of a run is taken here, around the request and its answer (one pipe round
// trip, as a sandbox's run has one socket round trip to its init).
class BareRunner {
public:
    explicit BareRunner(std::vector<std::vector<std::string>> programs) : programs_(std::move(programs)) {
        int request[2], answer[2];
        if (::pipe2(request, O_CLOEXEC) != 0 || ::pipe2(answer, O_CLOEXEC) != 0) {
            std::perror("bench: pipe");
            std::exit(1);
        }
        pid_ = ::fork();
        if (pid_ == 0) {
            ::setsid();
            ::close(request[1]);
            ::close(answer[0]);
            serve(request[0], answer[1]);
        }
        ::close(request[0]);
        ::close(answer[1]);
        request_ = request[1];
        answer_ = answer[0];
    }
    ~BareRunner() {
        ::close(request_);
        ::close(answer_);
        int status;
        ::waitpid(pid_, &status, 0);
    }
    BareRunner(const BareRunner&) = delete;
    BareRunner& operator=(const BareRunner&) = delete;

    struct Sample {
        double wall_ms = 0, cpu_ms = 0;
    };
    // Runs programs[index] once.
    Sample run(uint32_t index) const {
        auto start = Clock::now();
        double cpu_ms = 0;
        if (::write(request_, &index, sizeof index) != sizeof index ||
            ::read(answer_, &cpu_ms, sizeof cpu_ms) != sizeof cpu_ms || cpu_ms < 0) {
            std::fprintf(stderr, "bench: bare run of %s failed\n", programs_[index][0].c_str());
            std::exit(1);
        }
        return {ms_since(start), cpu_ms};
    }

private:
    [[noreturn]] void serve(int request, int answer) const {
        uint32_t index;
        while (::read(request, &index, sizeof index) == sizeof index && index < programs_.size()) {
            std::vector<char*> args;
            for (const auto& a : programs_[index]) args.push_back(const_cast<char*>(a.c_str()));
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
            rusage usage{};
            ::wait4(pid, &status, 0, &usage);
            double cpu_ms = WIFEXITED(status) && WEXITSTATUS(status) == 0
                                ? static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
                                      static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3
                                : -1;
            if (::write(answer, &cpu_ms, sizeof cpu_ms) != sizeof cpu_ms) break;
        }
        ::_exit(0);
    }

    std::vector<std::vector<std::string>> programs_;
    pid_t pid_ = -1;
    int request_ = -1, answer_ = -1;
};

// Samples of one column and of the bare runs made alongside them.
struct Paired {
    std::vector<double> sandboxed, bare, sandboxed_cpu, bare_cpu;
    nlohmann::json to_json() const {
        Spread s = spread(sandboxed), b = spread(bare);
        nlohmann::json json = {{"runs", sandboxed.size()}, {"median_ms", s.median},
                               {"p90_ms", s.p90},          {"bare_median_ms", b.median},
                               {"bare_p90_ms", b.p90},     {"median_ratio", s.median / b.median}};
        if (!sandboxed_cpu.empty()) {
            json["cpu_median_ms"] = spread(sandboxed_cpu).median;
            json["bare_cpu_median_ms"] = spread(bare_cpu).median;
        }
        return json;
    }
};

// What one cgroup move costs on this host after 100 ms without any (median of 5): a thread moved
// into the v1 pids cgroup it is already in, by its id. Milliseconds mean an RCU grace period, which
// a sandbox's init escapes by moving itself ("0" to tasks); -1: no v1 pids.
double idle_cgroup_move_ms() {
    std::ifstream cgroups("/proc/self/cgroup");
    std::string line, tasks;
    while (std::getline(cgroups, line))
        if (auto at = line.find(":pids:"); at != std::string::npos)
            tasks = "/sys/fs/cgroup/pids" + line.substr(at + 6) + "/tasks";
    if (tasks.empty()) return -1;
    std::vector<double> samples;
    for (int i = 0; i < 5; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        int fd = ::open(tasks.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) return -1;
        const std::string tid = std::to_string(::gettid());
        auto start = Clock::now();
        bool moved = ::write(fd, tid.data(), tid.size()) == static_cast<ssize_t>(tid.size());
        samples.push_back(ms_since(start));
        ::close(fd);
        if (!moved) return -1;
    }
    return spread(samples).median;
}

// bubblewrap with every namespace, read-only /usr, /proc, /dev and a /tmp: the leanest namespace
// sandbox at hand (no cgroups, no seccomp filter, no limits), as a reference.
std::vector<std::string> bwrap_command() {
    return {"/usr/bin/bwrap", "--unshare-all", "--die-with-parent",
            "--ro-bind",      "/usr",          "/usr",
            "--symlink",      "usr/bin",       "/bin",
            "--symlink",      "usr/lib",       "/lib",
            "--symlink",      "usr/lib64",     "/lib64",
            "--proc",         "/proc",         "--dev",
            "/dev",           "--tmpfs",       "/tmp"};
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
    const bool have_bwrap = ::access("/usr/bin/bwrap", X_OK) == 0;
    std::vector<std::string> bwrap_run = bwrap_command();
    bwrap_run.insert(bwrap_run.end(), {"--ro-bind", dir, dir, "/usr/bin/python3", file});
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
    if (have_bwrap) spawn_and_wait(bwrap_run);
    std::vector<double> run_ms, bare_ms, start_ms, sandbox_ms, bwrap_ms;
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
        if (have_bwrap) {
            start = Clock::now();
            spawn_and_wait(bwrap_run);
            bwrap_ms.push_back(ms_since(start));
        }
    }
    ::unlink(file.c_str());
    ::rmdir(dir.c_str());
    Spread r = spread(run_ms), b = spread(bare_ms), c = spread(start_ms), s = spread(sandbox_ms);
    std::printf("one-shot Python hello, %d alternating runs (median / p90 ms):\n", n);
    std::printf("  autograder run       %8.2f %8.2f   ratio to bare %.2f\n", r.median, r.p90, r.median / b.median);
    std::printf("  bare python3         %8.2f %8.2f\n", b.median, b.p90);
    Spread w = spread(bwrap_ms);
    if (have_bwrap)
        std::printf(
            "  bubblewrap python3   %8.2f %8.2f   ratio to bare %.2f (namespaces only: no cgroups, no filter)\n",
            w.median, w.p90, w.median / b.median);
    std::printf("  autograder --version %8.2f %8.2f   (the tool's own start)\n", c.median, c.p90);
    std::printf("  cold sandbox run     %8.2f %8.2f   (create + run + destroy, in process)\n", s.median, s.p90);
    Spread made = spread(create_ms), used = spread(use_ms), destroyed = spread(destroy_ms);
    const double idle_move_ms = idle_cgroup_move_ms();
    std::printf("    of which create    %8.2f %8.2f\n", made.median, made.p90);
    std::printf("    run                %8.2f %8.2f\n", used.median, used.p90);
    std::printf("    destroy            %8.2f %8.2f\n", destroyed.median, destroyed.p90);
    std::printf("  a cgroup move after 100 ms idle: %.2f ms (%s)\n", idle_move_ms,
                idle_move_ms < 0   ? "no v1 pids hierarchy to measure"
                : idle_move_ms > 1 ? "an RCU grace period, which init's own move (\"0\") does not wait for"
                                   : "no grace period: favordynmods or a lock per thread group");
    nlohmann::json figures = {
        {"autograder_run", to_json(r)},
        {"bare_python3", to_json(b)},
        {"cli_start", to_json(c)},
        {"cold_sandbox_run", to_json(s)},
        {"cold_create", to_json(made)},
        {"cold_use", to_json(used)},
        {"cold_destroy", to_json(destroyed)},
        {"median_ratio", r.median / b.median},
        {"runs", n},
        {"idle_cgroup_move_ms", idle_move_ms},
        {"bwrap_python3", have_bwrap ? to_json(w) : nlohmann::json(nullptr)},
        {"bwrap_ratio", have_bwrap ? nlohmann::json(w.median / b.median) : nlohmann::json(nullptr)}};
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
    const std::vector<std::string> bwrap_prefix = bwrap_command();
    // The bare runner's programs: each program bare (2i) and under bubblewrap (2i + 1).
    std::vector<std::vector<std::string>> bare_programs;
    for (const auto& program : programs) {
        bare_programs.push_back(program.argv);
        auto wrapped = bwrap_prefix;
        wrapped.insert(wrapped.end(), program.argv.begin(), program.argv.end());
        bare_programs.push_back(wrapped);
    }
    BareRunner bare_runner(bare_programs);

    nlohmann::json figures;
    std::printf("%-8s %-22s %9s %9s   %9s %9s   %s\n", "program", "(ms per run)", "median", "p90", "bare med",
                "bare p90", "ratio of medians");
    for (size_t p = 0; p < std::size(programs); ++p) {
        const Program& program = programs[p];
        const auto bare_index = static_cast<uint32_t>(2 * p);
        RunRequest request;
        request.argv = program.argv;
        request.stdin_data = std::string();
        int runs = program.argv.size() > 1 ? std::max(1, n / 4) : n;  // python is slower per run

        // One sample of a column and one bare, in alternating order.
        auto paired_sample = [&](Paired& into, int i, const std::function<double()>& sandboxed) {
            auto bare = [&] {
                auto sample = bare_runner.run(bare_index);
                into.bare.push_back(sample.wall_ms);
                into.bare_cpu.push_back(sample.cpu_ms);
            };
            if (i % 2 == 0) bare();
            into.sandboxed.push_back(sandboxed());
            if (i % 2 != 0) bare();
        };
        bare_runner.run(bare_index);  // page cache of the binaries
        Paired cold;
        for (int i = 0; i < std::max(1, runs / 4); ++i)
            paired_sample(cold, i, [&] {
                auto start = Clock::now();
                check(Sandbox::create(options)->run(request));
                return ms_since(start);
            });
        auto pooled = [&](bool wait_for_pool) {
            SandboxPoolOptions pool_options;
            pool_options.default_size = 4;
            pool_options.warm_languages = {"python"};
            SandboxPool pool(pool_options);
            pool.wait_until_ready(std::chrono::seconds(60));
            // Time only the run in a warm sandbox: acquiring is a queue pop, and destroying
            // and replenishing happen in the background.
            Paired samples;
            for (int i = 0; i < runs; ++i) {
                auto lease = pool.acquire("python");
                // The pool replaces what acquire took; "warm" times the run once that is done.
                if (wait_for_pool) pool.wait_until_ready(std::chrono::seconds(60));
                paired_sample(samples, i, [&] {
                    auto start = Clock::now();
                    auto report = lease->run(request);
                    double wall = ms_since(start);
                    check(report);
                    samples.sandboxed_cpu.push_back(static_cast<double>(report.cpu_ms));
                    return wall;
                });
            }
            return samples;
        };
        Paired warm = pooled(true);
        Paired churn = pooled(false);
        Paired bwrap;
        if (have_bwrap)
            for (int i = 0; i < runs; ++i)
                paired_sample(bwrap, i, [&] { return bare_runner.run(bare_index + 1).wall_ms; });
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
                Paired samples;
                for (int i = 0; i < spaced_runs; ++i)
                    paired_sample(samples, i, [&] {
                        std::this_thread::sleep_for(std::chrono::milliseconds(spacing_ms));
                        auto start = Clock::now();
                        check(lease->run(request));
                        return ms_since(start);
                    });
                Spread b = spread(samples.bare), w = spread(samples.sandboxed);
                spaced_figures[std::to_string(spacing_ms) + "ms"] = {{"runs", spaced_runs},
                                                                     {"bare", to_json(b)},
                                                                     {"warm", to_json(w)},
                                                                     {"median_ratio", w.median / b.median}};
                char line[160];
                std::snprintf(line, sizeof line, "%-8s %-22s %9.3f %9.3f   %9.3f %9.3f   %.2fx", program.name,
                              (std::to_string(spacing_ms) + " ms apart").c_str(), w.median, w.p90, b.median, b.p90,
                              w.median / b.median);
                spaced_lines.push_back(line);
            }
        }
        auto print = [&](const char* column, const Paired& paired) {
            Spread s = spread(paired.sandboxed), b = spread(paired.bare);
            std::printf("%-8s %-22s %9.3f %9.3f   %9.3f %9.3f   %.2fx\n", program.name, column, s.median, s.p90,
                        b.median, b.p90, s.median / b.median);
        };
        print("cold", cold);
        print("warm (first run)", warm);
        print("churn (replenishing)", churn);
        if (have_bwrap) print("bubblewrap", bwrap);
        for (const auto& line : spaced_lines) std::printf("%s\n", line.c_str());
        std::printf("%-8s %-22s %9.1f %9s   %9.1f %9s   (CPU ms per run, median)\n", program.name, "warm CPU",
                    spread(warm.sandboxed_cpu).median, "", spread(warm.bare_cpu).median, "");
        auto ratio = [](const Paired& paired) { return spread(paired.sandboxed).median / spread(paired.bare).median; };
        figures[program.name] = {{"runs", runs},
                                 {"cold", cold.to_json()},
                                 {"warm", warm.to_json()},
                                 {"churn", churn.to_json()},
                                 {"bwrap", have_bwrap ? bwrap.to_json() : nlohmann::json(nullptr)},
                                 {"cold_ratio", ratio(cold)},
                                 {"warm_ratio", ratio(warm)},
                                 {"churn_ratio", ratio(churn)},
                                 {"bwrap_ratio", have_bwrap ? nlohmann::json(ratio(bwrap)) : nlohmann::json(nullptr)},
                                 {"spaced", spaced_figures}};
    }
    std::printf("%s\n", figures.dump().c_str());
    return 0;
}
