// bench/sandbox: what isolation costs. For N runs each of /bin/true and `python3 -c pass`, the
// milliseconds per run of
//   (a) bare     fork + exec + wait, no isolation (the floor)
//   (b) cold     a sandbox created, used once, destroyed
//   (c) warm     a run in a sandbox taken from a warm SandboxPool (the production path), once
//                the pool has made the replacement for the sandbox taken
//   (c') churn   the same back to back: each run overlaps the pool destroying the previous
//                sandbox and making its replacement (what a saturated 2-core host sees)
//   (d) bwrap    bubblewrap --unshare-all --die-with-parent with read-only binds, if installed
// and each as a ratio to (a). The last line is one JSON object with every figure.
//   usage: bench_sandbox [N]   (default 200)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
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

void spawn_and_wait(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid == 0) {
        int null_fd = ::open("/dev/null", O_RDWR);
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

void check(const RunReport& report) {
    if (report.status != RunStatus::ok) {
        std::fprintf(stderr, "bench: sandboxed run failed: %s\n", report.to_json().dump().c_str());
        std::exit(1);
    }
}

}  // namespace

int main(int argc, char** argv) {
    int n = argc > 1 ? std::atoi(argv[1]) : 200;
    if (n <= 0) {
        std::fprintf(stderr, "usage: bench_sandbox [N]\n");
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
            double total = 0;
            for (int i = 0; i <= runs; ++i) {
                auto lease = pool.acquire("python");
                // The pool replaces what acquire took; (c) times the run once that is done.
                if (wait_for_pool) pool.wait_until_ready(std::chrono::seconds(60));
                auto start = Clock::now();
                check(lease->run(request));
                if (i > 0) total += std::chrono::duration<double, std::milli>(Clock::now() - start).count();
            }
            return total / runs;
        };
        double warm = pooled(true);
        double churn = pooled(false);
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
        std::printf("%-8s %10.3f %10.3f %10.3f %10.3f %10.3f\n", program.name, bare, cold, warm, churn, bwrap);
        std::printf("%-8s %10s %9.2fx %9.2fx %9.2fx %9.2fx\n", "", "1.00x", cold / bare, warm / bare, churn / bare,
                    bwrap > 0 ? bwrap / bare : 0.0);
        figures[program.name] = {{"runs", runs},
                                 {"bare_ms", bare},
                                 {"cold_ms", cold},
                                 {"warm_ms", warm},
                                 {"churn_ms", churn},
                                 {"bwrap_ms", have_bwrap ? nlohmann::json(bwrap) : nlohmann::json(nullptr)},
                                 {"warm_minus_bare_ms", warm - bare},
                                 {"warm_ratio", warm / bare},
                                 {"cold_ratio", cold / bare},
                                 {"bwrap_ratio", have_bwrap ? nlohmann::json(bwrap / bare) : nlohmann::json(nullptr)}};
    }
    std::printf("%s\n", figures.dump().c_str());
    return 0;
}
