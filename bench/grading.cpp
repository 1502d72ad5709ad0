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
//
// The engine grades the batch twice, as it ships and with Python's warm interpreter on (the
// language table's "warm_interpreter"): each submission's tests then fork from one interpreter
// in its sandbox. Last, the cost of one test's run: on one sandbox, the submission's program run
// on a test's input with the warm interpreter (after the first run, which starts it), against a
// bare `python3 main.py` on the same input, alternating (median and p90 of wall and CPU time).
#include <fcntl.h>
#include <linux/close_range.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograder/languages.hpp"
#include "autograder/pipeline.hpp"
#include "autograder/sandbox.hpp"

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
        // Nothing of the benchmark's (its sandboxes' control sockets would keep their inits up).
        ::close_range(3, ~0u, 0);
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

// The default table with Python's warm interpreter on.
LanguageTable warm_python_table() {
    nlohmann::json python = {{"extension", ".py"},
                             {"default_main", "main.py"},
                             {"run", LanguageTable::defaults().find("python")->run},
                             {"env", LanguageTable::defaults().find("python")->env},
                             {"warm_interpreter", true}};
    return LanguageTable::defaults().merged_with(LanguageTable::from_json({{"languages", {{"python", python}}}}));
}

struct Spread {
    double median = 0, p90 = 0;
};
Spread spread(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    auto at = [&](double q) {
        return samples[std::min(samples.size() - 1, static_cast<size_t>(q * static_cast<double>(samples.size())))];
    };
    return {at(0.5), at(0.9)};
}

struct PerTest {
    Spread warm, bare;
    double warm_cpu_median = 0, bare_cpu_median = 0;
};

// `runs` runs of the program on the tests' inputs in turn, on one sandbox with the warm
// interpreter, each beside a bare `python3 main.py` on the same input (from a process in a
// session of its own, see the top), the order alternating.
PerTest per_test_run_cost(const std::vector<Case>& all, int runs) {
    const LanguageTable table = warm_python_table();  // `python` points into it
    const Language& python = *table.find("python");
    auto sandbox = Sandbox::create(sandbox_options_for(LanguageTable::defaults(), python));
    sandbox->write_file("main.py", kProgram);
    fs::path dir = fs::temp_directory_path() / ("bench-grading-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "main.py") << kProgram;
    int request[2], answer[2];
    if (::pipe2(request, O_CLOEXEC) != 0 || ::pipe2(answer, O_CLOEXEC) != 0) std::abort();
    pid_t runner = ::fork();
    if (runner == 0) {
        ::setsid();
        int from = ::fcntl(request[0], F_DUPFD, 100), to = ::fcntl(answer[1], F_DUPFD, 100);
        ::dup2(from, 3);
        ::dup2(to, 4);
        ::close_range(5, ~0u, 0);  // nothing else of the benchmark's (its sandboxes' sockets)
        request[0] = 3;
        answer[1] = 4;
        uint32_t index;
        while (::read(request[0], &index, sizeof index) == sizeof index) {
            rusage before{}, after{};
            ::getrusage(RUSAGE_CHILDREN, &before);
            bool right = bare_run(dir.string(), all[index % all.size()]);
            ::getrusage(RUSAGE_CHILDREN, &after);
            auto ms = [](const rusage& u) {
                return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
                       static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
            };
            double cpu = right ? ms(after) - ms(before) : -1;
            if (::write(answer[1], &cpu, sizeof cpu) != sizeof cpu) break;
        }
        ::_exit(0);
    }
    std::vector<double> warm_ms, bare_ms, warm_cpu, bare_cpu;
    auto warm_run = [&](int i) {
        RunRequest run;
        run.argv = {"/usr/bin/python3", "main.py"};
        run.env = python.env;
        run.stdin_data = all[static_cast<size_t>(i) % all.size()].input;
        run.warm_interpreter = true;
        auto start = Clock::now();
        auto report = sandbox->run(run);
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        if (report.status != RunStatus::ok) {
            std::fprintf(stderr, "bench: warm run failed: %s\n", report.to_json().dump().c_str());
            std::exit(1);
        }
        return std::pair{ms, static_cast<double>(report.cpu_ms)};
    };
    auto bare = [&](int i) {
        auto index = static_cast<uint32_t>(i);
        double cpu = -1;
        auto start = Clock::now();
        if (::write(request[1], &index, sizeof index) != sizeof index ||
            ::read(answer[0], &cpu, sizeof cpu) != sizeof cpu || cpu < 0) {
            std::fprintf(stderr, "bench: bare run failed\n");
            std::exit(1);
        }
        return std::pair{std::chrono::duration<double, std::milli>(Clock::now() - start).count(), cpu};
    };
    warm_run(0);  // starts the warm interpreter: a submission's first test
    bare(0);
    for (int i = 0; i < runs; ++i) {
        std::pair<double, double> w, b;
        if (i % 2 == 0) {
            w = warm_run(i);
            b = bare(i);
        } else {
            b = bare(i);
            w = warm_run(i);
        }
        warm_ms.push_back(w.first);
        warm_cpu.push_back(w.second);
        bare_ms.push_back(b.first);
        bare_cpu.push_back(b.second);
    }
    ::close(request[1]);
    ::close(answer[0]);
    int status;
    ::waitpid(runner, &status, 0);
    ::close(request[0]);
    ::close(answer[1]);
    fs::remove_all(dir);
    return {spread(warm_ms), spread(bare_ms), spread(warm_cpu).median, spread(bare_cpu).median};
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
    PipelineOptions warm_options = options;
    warm_options.languages = warm_python_table();
    auto warm_pipeline = Pipeline::create(config(all), warm_options);

    std::atomic<int> bare_failures{0}, engine_failures{0};
    double bare = 0, engine = 0, bare_cpu = 0, engine_cpu = 0, warm = 0, warm_cpu = 0;
    auto bare_round = [&](int first, int count) {
        double cpu_before = cpu_seconds();
        bare += parallel_seconds(
            jobs, count, [&](int k) { bare_failures += bare_submission(scratch / std::to_string(first + k), all); });
        bare_cpu += cpu_seconds() - cpu_before;
    };
    auto engine_round = [&](const Pipeline& graded_by, int count, double& seconds, double& cpu) {
        auto start = Clock::now();
        double cpu_before = cpu_seconds();
        parallel_seconds(jobs, count, [&](int) {
            Submission submission;
            submission.files = {{"main.py", kProgram}};
            auto result = graded_by.grade(submission);
            if (result.status != PipelineStatus::success || result.final_score != 100) ++engine_failures;
        });
        options.pool->wait_until_ready(std::chrono::seconds(60));
        seconds += std::chrono::duration<double>(Clock::now() - start).count();
        cpu += cpu_seconds() - cpu_before;
    };
    constexpr int kRound = 10;
    for (int first = 0, round = 0; first < n; first += kRound, ++round) {
        int count = std::min(kRound, n - first);
        // The three in turn, each round starting with the next one.
        for (int step = 0; step < 3; ++step) switch ((round + step) % 3) {
                case 0:
                    bare_round(first, count);
                    break;
                case 1:
                    engine_round(*pipeline, count, engine, engine_cpu);
                    break;
                default:
                    engine_round(*warm_pipeline, count, warm, warm_cpu);
            }
    }
    const auto per_test = per_test_run_cost(all, 10 * std::min(n, 10));
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
    std::printf(
        "engine, warm Python interpreter: %.2f s  %.2f submissions/s  (/ floor %.3f; CPU %.2f s, / floor %.3f)\n", warm,
        n / warm, warm / bare, warm_cpu, warm_cpu / bare_cpu);
    std::printf(
        "one test's run (ms, median / p90): warm interpreter %.2f / %.2f (CPU %.1f), bare python3 %.2f / %.2f "
        "(CPU %.1f): %.2fx\n",
        per_test.warm.median, per_test.warm.p90, per_test.warm_cpu_median, per_test.bare.median, per_test.bare.p90,
        per_test.bare_cpu_median, per_test.warm.median / per_test.bare.median);
    nlohmann::json figures{{"submissions", n},
                           {"tests_per_submission", 10},
                           {"threads", jobs},
                           {"floor_seconds", bare},
                           {"engine_seconds", engine},
                           {"floor_per_second", n / bare},
                           {"engine_per_second", n / engine},
                           {"ratio", engine / bare},
                           {"warm_engine_seconds", warm},
                           {"warm_engine_cpu_seconds", warm_cpu},
                           {"warm_ratio", warm / bare},
                           {"warm_cpu_ratio", warm_cpu / bare_cpu},
                           {"per_test_run",
                            {{"warm_median_ms", per_test.warm.median},
                             {"warm_p90_ms", per_test.warm.p90},
                             {"warm_cpu_median_ms", per_test.warm_cpu_median},
                             {"bare_median_ms", per_test.bare.median},
                             {"bare_p90_ms", per_test.bare.p90},
                             {"bare_cpu_median_ms", per_test.bare_cpu_median},
                             {"median_ratio", per_test.warm.median / per_test.bare.median}}},
                           {"floor_cpu_seconds", bare_cpu},
                           {"engine_cpu_seconds", engine_cpu},
                           {"cpu_ratio", engine_cpu / bare_cpu},
                           {"overhead_percent", overhead}};
    std::printf("%s\n", figures.dump().c_str());
    return 0;
}
