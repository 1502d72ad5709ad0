// bench/grading: throughput of grading. A batch of N submissions of a 10-test Python assignment
// goes through one pipeline and one sandbox pool with J threads; the floor is the same program
// runs done bare (posix_spawn, pipes, compare) with the same J threads. Prints submissions per
// second for both and the engine's overhead; the last line is one JSON object.
//   usage: bench_grading [N] [J]    (default N=60, J=number of cores)
//
// So that both see the same machine (other work on the host comes and goes), the batch is done
// in rounds of 10 submissions, each round once bare and once through the engine, the order
// alternating. The engine's time of a round runs until its pool has replaced every sandbox the
// round used: that work is the engine's, and must not fall into the next bare round. Each bare
// submission's runs are made from a process in a session of its own, as a sandbox's are from
// its init's: with scheduler autogroups a session is a scheduling group, and a loaded host gives
// each group its share of the CPU, so runs of one benchmark session would get less than runs in
// sessions of their own.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"

using namespace autograder;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

extern char** environ;

namespace {

constexpr const char* kProgram =
    "import sys\n"
    "numbers = [int(x) for x in sys.stdin.read().split()]\n"
    "print(sum(numbers), max(numbers), min(numbers))\n";

struct Case {
    std::string input, expected;
};

std::vector<Case> cases() {
    std::vector<Case> result;
    for (int t = 0; t < 10; ++t) {
        std::string input;
        long sum = 0, high = -1000000, low = 1000000;
        for (int k = 1; k <= 5 + t; ++k) {
            long v = (k * 37 + t * 11) % 101 - 50;
            input += std::to_string(v) + "\n";
            sum += v;
            high = std::max(high, v);
            low = std::min(low, v);
        }
        result.push_back({input, std::to_string(sum) + " " + std::to_string(high) + " " + std::to_string(low)});
    }
    return result;
}

nlohmann::json config(const std::vector<Case>& all) {
    nlohmann::json tests = nlohmann::json::array();
    for (size_t i = 0; i < all.size(); ++i) {
        nlohmann::json lines = nlohmann::json::array();
        std::string line;
        for (char c : all[i].input)
            if (c == '\n')
                lines.push_back(std::exchange(line, {}));
            else
                line += c;
        tests.push_back({{"name", "case " + std::to_string(i + 1)},
                         {"type", "expect_output"},
                         {"inputs", lines},
                         {"expected_output", all[i].expected},
                         {"program_command", "python3 main.py"}});
    }
    return {{"template_name", "input_output"},
            {"languages", {"python"}},
            {"include_feedback", true},
            {"criteria_config", {{"base", {{"weight", 100}, {"tests", tests}}}}}};
}

// One bare run: python3 main.py in `dir` with `input` on stdin; true when the output matches.
bool bare_run(const std::string& dir, const Case& c) {
    int in[2], out[2];
    // Close-on-exec: the other threads' children must not inherit (and hold open) these pipes.
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) std::abort();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, in[1]);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::string main = dir + "/main.py";
    char* argv[] = {const_cast<char*>("/usr/bin/python3"), main.data(), nullptr};
    pid_t pid;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, argv, environ) != 0) std::abort();
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    (void)!::write(in[1], c.input.data(), c.input.size());
    ::close(in[1]);
    std::string output;
    char buffer[4096];
    for (ssize_t n; (n = ::read(out[0], buffer, sizeof buffer)) > 0;) output.append(buffer, static_cast<size_t>(n));
    ::close(out[0]);
    int status;
    ::waitpid(pid, &status, 0);
    while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
    return output == c.expected;
}

// One submission done bare: its files written to a folder, its ten runs made, from a process in
// a session of its own. Returns the number of wrong results.
int bare_submission(const fs::path& dir, const std::vector<Case>& all) {
    pid_t pid = ::fork();
    if (pid == 0) {
        ::setsid();
        fs::create_directories(dir);
        std::ofstream(dir / "main.py") << kProgram;
        int failures = 0;
        for (const auto& c : all)
            if (!bare_run(dir.string(), c)) ++failures;
        fs::remove_all(dir);
        ::_exit(failures);
    }
    int status = 0;
    if (pid < 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return static_cast<int>(all.size());
    return WEXITSTATUS(status);
}

// CPU seconds used so far by this process and by its children that have been waited for (a
// sandbox's processes are its descendants: reaped, they count).
double cpu_seconds() {
    double total = 0;
    for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
        rusage usage{};
        ::getrusage(who, &usage);
        total += static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                 static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    }
    return total;
}

template <typename Work>
double parallel_seconds(int jobs, int n, Work work) {
    std::atomic<int> next{0};
    auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int j = 0; j < jobs; ++j)
        threads.emplace_back([&] {
            for (int i; (i = next.fetch_add(1)) < n;) work(i);
        });
    for (auto& t : threads) t.join();
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    int n = argc > 1 ? std::atoi(argv[1]) : 60;
    int jobs = argc > 2 ? std::atoi(argv[2]) : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (n <= 0 || jobs <= 0) {
        std::fprintf(stderr, "usage: bench_grading [N] [J]\n");
        return 2;
    }
    auto all = cases();

    fs::path scratch = fs::temp_directory_path() / ("bench-grading-" + std::to_string(::getpid()));
    SandboxPoolOptions pool_options;
    pool_options.default_size = jobs + 1;
    pool_options.max_total = 2 * jobs + 2;
    pool_options.warm_languages = {"python"};
    PipelineOptions options;
    options.pool = std::make_shared<SandboxPool>(pool_options);
    options.pool->wait_until_ready(std::chrono::seconds(60));
    auto pipeline = Pipeline::create(config(all), options);

    std::atomic<int> bare_failures{0}, engine_failures{0};
    double bare = 0, engine = 0, bare_cpu = 0, engine_cpu = 0;
    auto bare_round = [&](int first, int count) {
        double cpu_before = cpu_seconds();
        bare += parallel_seconds(
            jobs, count, [&](int k) { bare_failures += bare_submission(scratch / std::to_string(first + k), all); });
        bare_cpu += cpu_seconds() - cpu_before;
    };
    auto engine_round = [&](int count) {
        auto start = Clock::now();
        double cpu_before = cpu_seconds();
        parallel_seconds(jobs, count, [&](int) {
            Submission submission;
            submission.files = {{"main.py", kProgram}};
            auto result = pipeline->grade(submission);
            if (result.status != PipelineStatus::success || result.final_score != 100) ++engine_failures;
        });
        options.pool->wait_until_ready(std::chrono::seconds(60));
        engine += std::chrono::duration<double>(Clock::now() - start).count();
        engine_cpu += cpu_seconds() - cpu_before;
    };
    constexpr int kRound = 10;
    for (int first = 0, round = 0; first < n; first += kRound, ++round) {
        int count = std::min(kRound, n - first);
        if (round % 2 == 0) {
            bare_round(first, count);
            engine_round(count);
        } else {
            engine_round(count);
            bare_round(first, count);
        }
    }
    fs::remove_all(scratch);
    if (bare_failures || engine_failures) {
        std::fprintf(stderr, "bench: wrong results (bare %d, engine %d)\n", bare_failures.load(),
                     engine_failures.load());
        return 1;
    }
    double overhead = (engine / bare - 1) * 100;
    std::printf("%d submissions x 10 tests, %d threads\n", n, jobs);
    std::printf("floor (bare runs):  %7.2f s  %7.2f submissions/s\n", bare, n / bare);
    std::printf("engine (pipeline):  %7.2f s  %7.2f submissions/s\n", engine, n / engine);
    std::printf("engine / floor:     %7.3f  (overhead %+.1f%%)\n", engine / bare, overhead);
    std::printf("CPU seconds:        floor %.2f, engine %.2f (engine / floor %.3f)\n", bare_cpu, engine_cpu,
                engine_cpu / bare_cpu);
    nlohmann::json figures{{"submissions", n},
                           {"tests_per_submission", 10},
                           {"threads", jobs},
                           {"floor_seconds", bare},
                           {"engine_seconds", engine},
                           {"floor_per_second", n / bare},
                           {"engine_per_second", n / engine},
                           {"ratio", engine / bare},
                           {"floor_cpu_seconds", bare_cpu},
                           {"engine_cpu_seconds", engine_cpu},
                           {"cpu_ratio", engine_cpu / bare_cpu},
                           {"overhead_percent", overhead}};
    std::printf("%s\n", figures.dump().c_str());
    return 0;
}
