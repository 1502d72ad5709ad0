// The threats of docs/sandbox.md, one by one: hostile programs (tests/programs/
// threat_*.c, or inline Python and shell) run in real sandboxes, and the test asserts the report,
// that the host is untouched (sentinel files, listeners that nobody reached, no process of the run
// left on the host) and that the next run is unaffected. Test cases are named "threat NN: ..." after
// the item they cover.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/vm_sockets.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "sandbox/host_leftovers.hpp"
#include "sandbox/sandbox_fixture.hpp"

using autograder::Limits;
using autograder::RunReport;
using autograder::RunRequest;
using autograder::RunStatus;
using autograder::Sandbox;
using autograder::SandboxError;
using autograder::SandboxOptions;
using testing::describe;
using testing::make_sandbox;
using testing::run_shell;
using testing::run_test_program;

namespace {

namespace fs = std::filesystem;

constexpr int64_t MiB = 1LL << 20;

// Small limits keep the suite fast; each test raises what it needs.
Limits small_limits(double cpu_s = 1.0, double wall_s = 2.0, int64_t memory = 64 * MiB) {
    Limits limits;
    limits.cpu_time_s = cpu_s;
    limits.wall_time_s = wall_s;
    limits.memory_bytes = memory;
    limits.processes = 16;
    limits.output_bytes = 64 << 10;
    limits.file_size_bytes = 16 * MiB;
    return limits;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string read_host_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream content;
    content << file.rdbuf();
    return content.str();
}

void write_host_file(const std::string& path, const std::string& content) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << content;
    REQUIRE_MESSAGE(file, "cannot write " << path);
}

// A fresh directory on the host, removed with everything in it at the end of the test.
struct HostTempDir {
    std::string path;
    explicit HostTempDir(const std::string& base = "/tmp") {
        std::string pattern = base + "/ag-threat-XXXXXX";
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~HostTempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    HostTempDir(const HostTempDir&) = delete;
    HostTempDir& operator=(const HostTempDir&) = delete;
};

// Fields of /proc/PID/status, or empty when the process is gone.
std::map<std::string, std::string> proc_status(const std::string& pid) {
    std::map<std::string, std::string> fields;
    std::ifstream file("/proc/" + pid + "/status");
    std::string line;
    while (std::getline(file, line)) {
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        auto value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        fields[line.substr(0, colon)] = value;
    }
    return fields;
}

// Host pids of the processes that run programs of a sandbox made by this test process: a run's
// processes have a host uid >= 1000000 and descend (through the sandbox's init) from us.
std::vector<int> host_processes_of_runs() {
    std::map<int, int> parent;
    std::vector<int> candidates;
    for (const auto& entry : fs::directory_iterator("/proc")) {
        const std::string name = entry.path().filename();
        if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
        auto status = proc_status(name);
        if (status.empty()) continue;
        int pid = std::atoi(name.c_str());
        parent[pid] = std::atoi(status["PPid"].c_str());
        long uid = std::atol(status["Uid"].c_str());  // the real uid comes first
        if (uid >= 1000000) candidates.push_back(pid);
    }
    std::vector<int> ours;
    const int self = ::getpid();
    for (int pid : candidates) {
        for (int p = pid, steps = 0; p > 1 && steps < 64; ++steps) {
            auto it = parent.find(p);
            if (it == parent.end()) break;
            p = it->second;
            if (p == self) {
                ours.push_back(pid);
                break;
            }
        }
    }
    return ours;
}

// Counts, while alive, the largest number of run processes seen on the host at once.
class ProcessWatcher {
public:
    ProcessWatcher()
        : thread_([this] {
              while (!stop_) {
                  int now = static_cast<int>(host_processes_of_runs().size());
                  int seen = most_.load();
                  while (now > seen && !most_.compare_exchange_weak(seen, now)) {
                  }
                  // A sampling interval, not a synchronisation: the maximum is an upper-bound check.
                  std::this_thread::sleep_for(std::chrono::milliseconds(5));
              }
          }) {}
    ~ProcessWatcher() { finish(); }
    int finish() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
        return most_;
    }

private:
    std::atomic<bool> stop_{false};
    std::atomic<int> most_{0};
    std::thread thread_;
};

// No process of any run is left: none on the host, and a fresh run of the same sandbox sees none
// but itself (and init) in its /proc.
void require_nothing_left(Sandbox& sandbox) {
    auto left = host_processes_of_runs();
    CHECK_MESSAGE(left.empty(), "run processes left on the host: " << left.size());
    auto ps = run_test_program(sandbox, "threat_proc", small_limits(), {"ps"});
    CHECK_MESSAGE(ps.status == RunStatus::ok, describe(ps));
    CHECK_MESSAGE(ps.stdout_text == "none\n", "processes left in the sandbox: " << ps.stdout_text);
}

// An ordinary program gives the right answer: the sandbox (or a new one) is unaffected.
void require_ordinary_run_works(Sandbox& sandbox) {
    auto report = run_shell(sandbox, "read a b; echo $((a + b))", small_limits(), "20 22\n");
    CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
    CHECK(report.stdout_text == "42\n");
}

void require_fresh_sandbox_works() {
    auto fresh = make_sandbox();
    require_ordinary_run_works(*fresh);
}

// Descriptors this (supervisor) process has open.
int open_descriptor_count() {
    int count = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/fd")) ++count;
    return count;
}

RunReport run_python(Sandbox& sandbox, const std::string& code, const Limits& limits) {
    const auto& table = autograder::LanguageTable::defaults();
    sandbox.write_file("hostile.py", code);
    RunRequest request;
    request.argv = {"/usr/bin/python3", "hostile.py"};
    request.env = table.find("python")->env;
    request.limits = limits;
    request.stdin_data = std::string();
    return sandbox.run(request);
}

RunReport run_argv(Sandbox& sandbox, std::vector<std::string> argv, const Limits& limits,
                   std::optional<std::string> stdin_data = std::string()) {
    RunRequest request;
    request.argv = std::move(argv);
    request.limits = limits;
    request.stdin_data = std::move(stdin_data);
    return sandbox.run(request);
}

// Lines of threat_fs output, by "OP PATH".
std::map<std::string, std::string> fs_results(const std::string& output) {
    std::map<std::string, std::string> results;
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        auto colon = line.find(": ");
        if (colon != std::string::npos) results[line.substr(0, colon)] = line.substr(colon + 2);
    }
    return results;
}

bool refused(const std::string& result) {
    return result.rfind("errno ", 0) == 0;
}

// The number printed after `prefix` in `text`, or -1 when `prefix` is not there.
long long number_after(const std::string& text, const std::string& prefix) {
    auto at = text.find(prefix);
    if (at == std::string::npos) return -1;
    return std::atoll(text.c_str() + at + prefix.size());
}

}  // namespace

// ---------------------------------------------------------------------------------------------- Time

TEST_CASE("threat 01: CPU burn ends at the CPU limit") {
    auto sandbox = make_sandbox();
    // A roomy wall limit: on a loaded machine the CPU limit must still be the one that ends it.
    auto limits = small_limits(1.0, 60.0);
    auto report = run_test_program(*sandbox, "threat_time", limits, {"spin"});
    CHECK_MESSAGE(report.status == RunStatus::time_limit, describe(report));
    CHECK_MESSAGE(contains(report.message, "CPU"), describe(report));
    CHECK(report.cpu_ms >= 1000);
    CHECK(report.cpu_ms < 1000 + 1500);
    require_nothing_left(*sandbox);
}

TEST_CASE("threat 01: a CPU burn cannot take a real-time or raised priority over the host") {
    // Hosts (or their containers) may allow real-time scheduling to root; a sandbox made there
    // must not hand that to runs: a SCHED_FIFO spin would starve the supervisor.
    rlimit saved_rtprio{}, saved_nice{};
    REQUIRE(::getrlimit(RLIMIT_RTPRIO, &saved_rtprio) == 0);
    REQUIRE(::getrlimit(RLIMIT_NICE, &saved_nice) == 0);
    rlimit generous{RLIM_INFINITY, RLIM_INFINITY};
    bool raised = ::setrlimit(RLIMIT_RTPRIO, &generous) == 0 && ::setrlimit(RLIMIT_NICE, &generous) == 0;
    if (!raised) MESSAGE("this host does not let root raise RLIMIT_RTPRIO/RLIMIT_NICE; checking the defaults only");
    auto sandbox = make_sandbox();
    ::setrlimit(RLIMIT_RTPRIO, &saved_rtprio);
    ::setrlimit(RLIMIT_NICE, &saved_nice);
    auto report = run_shell(*sandbox,
                            "chrt -f 1 echo realtime 2>/dev/null; chrt -r 1 echo round-robin 2>/dev/null; "
                            "nice -n -10 sh -c '[ $(nice) -lt 0 ] && echo raised' 2>/dev/null; echo done",
                            small_limits());
    CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
    CHECK_MESSAGE(report.stdout_text == "done\n", describe(report));
}

TEST_CASE("threat 02: waiting forever ends at the wall limit with no CPU used") {
    auto sandbox = make_sandbox();
    auto limits = small_limits(5.0, 1.0);
    for (const std::string mode : {"sleep", "pause", "select", "read"}) {
        CAPTURE(mode);
        auto report = run_test_program(*sandbox, "threat_time", limits, {mode});
        CHECK_MESSAGE(report.status == RunStatus::time_limit, describe(report));
        CHECK_MESSAGE(contains(report.message, "Wall"), describe(report));
        CHECK(report.wall_ms >= 1000);
        CHECK(report.wall_ms < 1000 + 3000);
        CHECK(report.cpu_ms < 300);
    }
    // The shell's sleep, a separate program started by the run.
    auto report = run_shell(*sandbox, "sleep 100", limits);
    CHECK_MESSAGE(report.status == RunStatus::time_limit, describe(report));
    CHECK(report.cpu_ms < 300);
    require_nothing_left(*sandbox);
}

TEST_CASE("threat 03: SIGSTOP to itself or its parent still ends at the wall limit") {
    auto sandbox = make_sandbox();
    auto limits = small_limits(5.0, 1.0);
    auto report = run_test_program(*sandbox, "threat_time", limits, {"stop", "0", std::to_string(::getpid())});
    CHECK_MESSAGE(report.status == RunStatus::time_limit, describe(report));
    CHECK(report.wall_ms < 1000 + 3000);
    CHECK_MESSAGE(!contains(report.stdout_text, "resumed"), report.stdout_text);
    // Its parent is the sandbox's init, which a run may not signal; the supervisor (this very
    // process) is not even visible.
    CHECK_MESSAGE(contains(report.stdout_text, "ppid=1 kill_parent=-1 errno=1\n"), report.stdout_text);
    CHECK_MESSAGE(contains(report.stdout_text, "kill_1_KILL=-1 errno=1\n"), report.stdout_text);
    CHECK_MESSAGE(contains(report.stdout_text, "kill_host=-1 errno=3\n"), report.stdout_text);
    // init still serves runs, and nothing stopped is left behind.
    require_nothing_left(*sandbox);
    require_ordinary_run_works(*sandbox);
}

TEST_CASE("threat 04: CPU is summed over threads and processes") {
    auto sandbox = make_sandbox();
    auto limits = small_limits(1.0, 60.0);
    limits.processes = 32;
    for (const std::string mode : {"threads", "procs"}) {
        CAPTURE(mode);
        auto report = run_test_program(*sandbox, "threat_time", limits, {mode, "6"});
        CHECK_MESSAGE(report.status == RunStatus::time_limit, describe(report));
        CHECK_MESSAGE(contains(report.message, "CPU"), describe(report));
        CHECK(report.cpu_ms >= 1000);
        // Per-process limits alone would let six burners use six times the limit.
        CHECK(report.cpu_ms < 1000 + 1500);
    }
    require_nothing_left(*sandbox);
}

// ----------------------------------------------------------------------------------------- Processes

TEST_CASE("threat 05: fork bombs are capped at the process limit and leave nothing") {
    auto sandbox = make_sandbox();
    auto limits = small_limits(1.0, 2.0, 512 * MiB);
    limits.processes = 12;

    SUBCASE("C fork() loop") {
        ProcessWatcher watcher;
        auto report = run_test_program(*sandbox, "threat_proc", limits, {"bomb"});
        int most = watcher.finish();
        CHECK_MESSAGE(report.status == RunStatus::time_limit, describe(report));
        CHECK_MESSAGE(most <= limits.processes, "processes at once: " << most);
        CHECK(most >= 1);
    }
    SUBCASE("fork until it fails") {
        auto report = run_test_program(*sandbox, "threat_proc", limits, {"count"});
        CHECK_MESSAGE(report.status == RunStatus::time_limit, describe(report));
        // The first process and its children together: at most the limit.
        long long forked = number_after(report.stdout_text, "forked ");
        CHECK_MESSAGE(forked >= 0, report.stdout_text);
        CHECK(forked + 1 <= limits.processes);
        CHECK(forked >= limits.processes / 2);
    }
    SUBCASE("Python os.fork") {
        ProcessWatcher watcher;
        auto report = run_python(*sandbox,
                                 "import os\n"
                                 "while True:\n"
                                 "    try:\n"
                                 "        os.fork()\n"
                                 "    except OSError:\n"
                                 "        pass\n",
                                 limits);
        int most = watcher.finish();
        CHECK_MESSAGE(report.status == RunStatus::time_limit, describe(report));
        CHECK_MESSAGE(most <= limits.processes, "processes at once: " << most);
    }
    SUBCASE("bash :(){ :|:& };:") {
        ProcessWatcher watcher;
        // The bomb, then the first process waits (exec: no fork needed) so the run lasts.
        auto report = run_argv(*sandbox, {"/bin/bash", "-c", ":(){ :|:& };: ; exec sleep 100"}, limits);
        int most = watcher.finish();
        CHECK_MESSAGE(report.status == RunStatus::time_limit, describe(report));
        CHECK_MESSAGE(most <= limits.processes, "processes at once: " << most);
    }
    SUBCASE("sh f(){ f|f& };f") {
        ProcessWatcher watcher;
        // The bomb in a subshell: dash gives up on a failed fork, so the first shell forks once,
        // while its cgroup is empty, then waits in sleep (a bomb of its own could find the
        // limit reached by its children between two forks and end at once).
        auto report = run_shell(*sandbox, "(f(){ f|f& }; f); exec sleep 100", limits);
        int most = watcher.finish();
        CHECK_MESSAGE(report.status == RunStatus::time_limit, describe(report));
        CHECK_MESSAGE(most <= limits.processes, "processes at once: " << most);
    }
    require_nothing_left(*sandbox);
    require_ordinary_run_works(*sandbox);
    require_fresh_sandbox_works();
}

TEST_CASE("threat 06: a daemon (fork + setsid, parent exits) dies with the run") {
    auto sandbox = make_sandbox();
    // The daemon burns CPU forever: a run that waited for it would end at the 3 s CPU limit, so
    // status ok proves the run ended with the parent. The wall limit is roomy for loaded hosts.
    auto limits = small_limits(3.0, 60.0);
    SUBCASE("parent exits at once") {
        auto report = run_test_program(*sandbox, "threat_proc", limits, {"daemon"});
        CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
        CHECK(report.stdout_text == "parent leaves\n");
    }
    SUBCASE("its CPU is counted") {
        auto report = run_test_program(*sandbox, "threat_proc", limits, {"daemon_cpu"});
        CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
        CHECK(sandbox->file_exists("daemon.pid"));
        // The daemon burnt 600 ms before the parent left: all of it is in the report.
        CHECK_MESSAGE(report.cpu_ms >= 600, describe(report));
        CHECK(report.cpu_ms < 3000);
    }
    require_nothing_left(*sandbox);
}

// -------------------------------------------------------------------------------------------- Memory

TEST_CASE("threat 07: a heap bomb ends at the memory limit") {
    auto sandbox = make_sandbox();
    auto limits = small_limits(5.0, 10.0, 64 * MiB);
    auto report = run_test_program(*sandbox, "threat_mem", limits, {"heap"});
    CHECK_MESSAGE(report.status == RunStatus::memory_limit, describe(report));
    CHECK_MESSAGE(report.peak_memory_kb >= 56 * 1024, describe(report));
    CHECK_MESSAGE(report.peak_memory_kb <= 66 * 1024, describe(report));
    require_nothing_left(*sandbox);
    require_ordinary_run_works(*sandbox);
}

TEST_CASE("threat 07: a heap bomb in a sandbox of a large host ends the bomb, never init") {
    // init is a fork of this process: with 384 MiB resident here, init is larger than the bomb
    // and its limit together, and an OOM killer choosing by size would take init.
    std::vector<char> ballast(384 * MiB);
    for (size_t i = 0; i < ballast.size(); i += 4096) ballast[i] = static_cast<char>(i / 4096);
    auto sandbox = make_sandbox();
    auto report = run_test_program(*sandbox, "threat_mem", small_limits(5.0, 10.0, 64 * MiB), {"heap"});
    CHECK_MESSAGE(report.status == RunStatus::memory_limit, describe(report));
    require_nothing_left(*sandbox);
    require_ordinary_run_works(*sandbox);
    CHECK(ballast[4096 * 3] == static_cast<char>(3));
}

TEST_CASE("threat 08: a static array larger than the limit is a memory_limit") {
    auto sandbox = make_sandbox();
    auto limits = small_limits(5.0, 10.0, 64 * MiB);
    SUBCASE("512 MiB array, every page touched") {
        auto report = run_test_program(*sandbox, "threat_bigstatic", limits);
        CHECK_MESSAGE(report.status == RunStatus::memory_limit, describe(report));
    }
    SUBCASE("64 GiB array: more than the machine has") {
        auto report = run_test_program(*sandbox, "threat_hugestatic", limits);
        CHECK_MESSAGE(report.status == RunStatus::memory_limit, describe(report));
        CHECK_MESSAGE(contains(report.message, "Memory limit"), describe(report));
    }
    require_nothing_left(*sandbox);
}

TEST_CASE("threat 09: deep recursion and huge stack arrays get a consistent, explained verdict") {
    auto sandbox = make_sandbox();
    SUBCASE("recursion with room: a stack overflow, said so") {
        auto limits = small_limits(5.0, 10.0, 256 * MiB);
        limits.stack_bytes = 8 * MiB;
        for (int i = 0; i < 3; ++i) {
            auto report = run_test_program(*sandbox, "threat_mem", limits, {"recurse"});
            CHECK_MESSAGE(report.status == RunStatus::runtime_error, describe(report));
            CHECK(report.signal == SIGSEGV);
            CHECK_MESSAGE(contains(report.message, "stack overflow"), describe(report));
        }
        // A crash leaves no core dump behind.
        CHECK(!sandbox->file_exists("core"));
    }
    SUBCASE("recursion with the default stack (= the memory limit): always the same verdict") {
        auto limits = small_limits(5.0, 10.0, 64 * MiB);
        std::set<std::string> verdicts;
        for (int i = 0; i < 3; ++i) {
            auto report = run_test_program(*sandbox, "threat_mem", limits, {"recurse"});
            CAPTURE(describe(report));
            CHECK((report.status == RunStatus::memory_limit ||
                   (report.status == RunStatus::runtime_error && report.signal == SIGSEGV)));
            CHECK((contains(report.message, "stack") || contains(report.message, "emory")));
            verdicts.insert(std::string(autograder::to_string(report.status)));
        }
        CHECK_MESSAGE(verdicts.size() == 1, "verdicts differ between identical runs");
    }
    SUBCASE("a 100 MiB array on an 8 MiB stack") {
        auto limits = small_limits(5.0, 10.0, 256 * MiB);
        limits.stack_bytes = 8 * MiB;
        for (int i = 0; i < 2; ++i) {
            auto report = run_test_program(*sandbox, "threat_mem", limits, {"stack_array", "100"});
            CHECK_MESSAGE(report.status == RunStatus::runtime_error, describe(report));
            CHECK(report.signal == SIGSEGV);
            CHECK_MESSAGE(contains(report.message, "stack"), describe(report));
        }
    }
    require_nothing_left(*sandbox);
}

TEST_CASE("threat 10: filling /dev/shm, /tmp, the workspace, memfd or SysV shm is bounded") {
    SandboxOptions options = autograder::sandbox_options_for(autograder::LanguageTable::defaults(),
                                                             *autograder::LanguageTable::defaults().find("c"));
    options.tmp_bytes = 16 * MiB;
    options.workspace_bytes = 24 * MiB;
    auto sandbox = Sandbox::create(options);
    auto roomy = small_limits(5.0, 10.0, 256 * MiB);
    roomy.file_size_bytes = 128 * MiB;
    sandbox->write_file("threat_mem", testing::test_program("threat_mem"), true);
    auto fill = [&](const std::string& path, const Limits& limits) {
        return run_argv(*sandbox, {"./threat_mem", "fill", path}, limits);
    };
    auto written = [](const RunReport& report) { return number_after(report.stdout_text, "wrote "); };
    SUBCASE("tmpfs size limits") {
        for (auto [path, cap] : {std::pair<std::string, int64_t>{"/dev/shm/fill", 16 * MiB},
                                 {"/tmp/fill", 16 * MiB},
                                 {"fill", 24 * MiB}}) {
            CAPTURE(path);
            auto report = fill(path, roomy);
            CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
            CHECK_MESSAGE(contains(report.stdout_text, "errno=28"), report.stdout_text);  // ENOSPC
            CHECK(written(report) <= cap);
            CHECK(written(report) >= cap / 2);
            auto cleaned = run_argv(*sandbox, {"/bin/rm", "-f", path}, roomy);
            CHECK_MESSAGE(cleaned.status == RunStatus::ok, describe(cleaned));
        }
    }
    SUBCASE("tmpfs pages count as the run's memory") {
        auto limits = small_limits(5.0, 10.0, 8 * MiB);
        limits.file_size_bytes = 128 * MiB;
        auto report = fill("/dev/shm/fill", limits);
        CAPTURE(describe(report));
        if (report.status == RunStatus::ok)
            CHECK(written(report) < 8 * MiB);
        else
            CHECK(report.status == RunStatus::memory_limit);
        CHECK(report.peak_memory_kb <= 8 * 1024 + 512);
    }
    SUBCASE("memfd") {
        auto limits = small_limits(5.0, 10.0, 48 * MiB);
        limits.file_size_bytes = 1024 * MiB;
        auto report = run_argv(*sandbox, {"./threat_mem", "memfd"}, limits);
        CHECK_MESSAGE(report.status == RunStatus::memory_limit, describe(report));
        CHECK(report.peak_memory_kb <= 48 * 1024 + 512);
    }
    SUBCASE("System V shared memory") {
        auto limits = small_limits(5.0, 10.0, 48 * MiB);
        auto report = run_argv(*sandbox, {"./threat_mem", "sysv_shm", "512"}, limits);
        CHECK_MESSAGE(report.status == RunStatus::memory_limit, describe(report));
        CHECK(report.peak_memory_kb <= 48 * 1024 + 512);
    }
    require_nothing_left(*sandbox);
    require_fresh_sandbox_works();
}

TEST_CASE("threat 10: what a run leaves in /dev/shm and /tmp does not break the next run") {
    // Within one sandbox (one submission), test 1 may leave memory-backed files; test 2, with a
    // smaller memory limit, must still get a correct verdict and not an internal error.
    auto sandbox = make_sandbox();
    auto big = small_limits(5.0, 10.0, 256 * MiB);
    big.file_size_bytes = 128 * MiB;
    sandbox->write_file("threat_mem", testing::test_program("threat_mem"), true);
    auto leave = run_argv(*sandbox,
                          {"/bin/sh", "-c",
                           "head -c 40000000 /dev/zero > /dev/shm/ballast && "
                           "head -c 40000000 /dev/zero > /tmp/ballast && echo left"},
                          big);
    REQUIRE_MESSAGE(leave.status == RunStatus::ok, describe(leave));
    REQUIRE(leave.stdout_text == "left\n");
    SUBCASE("a smaller memory limit than what was left") {
        auto next = run_shell(*sandbox, "read a b; echo $((a + b))", small_limits(1.0, 2.0, 32 * MiB), "20 22\n");
        CHECK_MESSAGE(next.status == RunStatus::ok, describe(next));
        CHECK(next.stdout_text == "42\n");
    }
    SUBCASE("the next run gets its whole memory limit") {
        auto next = run_argv(*sandbox, {"./threat_mem", "alloc", "48"}, small_limits(2.0, 4.0, 96 * MiB));
        CHECK_MESSAGE(next.status == RunStatus::ok, describe(next));
        CHECK(next.stdout_text == "allocated 48\n");
    }
}

// ---------------------------------------------------------------------------------- Output and disk

TEST_CASE("threat 11: output floods stop at the exact cap") {
    auto sandbox = make_sandbox();
    auto limits = small_limits(5.0, 10.0);
    const auto cap = static_cast<size_t>(limits.output_bytes);
    SUBCASE("stdout") {
        auto report = run_test_program(*sandbox, "threat_output", limits, {"out"});
        CHECK_MESSAGE(report.status == RunStatus::output_limit, describe(report).substr(0, 300));
        CHECK(report.stdout_text.size() == cap);
        CHECK(report.stdout_truncated);
        CHECK(report.stderr_text.empty());
    }
    SUBCASE("stderr") {
        auto report = run_test_program(*sandbox, "threat_output", limits, {"err"});
        CHECK(report.status == RunStatus::output_limit);
        CHECK(report.stderr_text.size() == cap);
        CHECK(report.stderr_truncated);
    }
    SUBCASE("both at once, from two processes") {
        auto report = run_test_program(*sandbox, "threat_output", limits, {"both"});
        CHECK(report.status == RunStatus::output_limit);
        CHECK(report.stdout_text.size() <= cap);
        CHECK(report.stderr_text.size() <= cap);
        CHECK((report.stdout_truncated || report.stderr_truncated));
        if (report.stdout_truncated) CHECK(report.stdout_text.size() == cap);
        if (report.stderr_truncated) CHECK(report.stderr_text.size() == cap);
    }
    SUBCASE("exactly the cap is fine, one byte more is not") {
        auto exact = run_test_program(*sandbox, "threat_output", limits, {"exact", std::to_string(cap)});
        CHECK_MESSAGE(exact.status == RunStatus::ok, describe(exact).substr(0, 300));
        CHECK(exact.stdout_text.size() == cap);
        CHECK(!exact.stdout_truncated);
        auto over = run_test_program(*sandbox, "threat_output", limits, {"exact", std::to_string(cap + 1)});
        CHECK(over.status == RunStatus::output_limit);
        CHECK(over.stdout_text.size() == cap);
        CHECK(over.stdout_truncated);
    }
    SUBCASE("the supervisor's memory stays bounded") {
        // 1 GiB offered with a 1 MiB cap: the supervisor keeps the cap, not the flood.
        auto roomy = small_limits(10.0, 20.0);
        roomy.output_bytes = 1 * MiB;
        auto rss_kb = [] { return std::atol(proc_status("self")["VmHWM"].c_str()); };
        long before = rss_kb();
        auto report = run_shell(*sandbox, "head -c 1073741824 /dev/zero", roomy);
        long after = rss_kb();
        CHECK(report.status == RunStatus::output_limit);
        CHECK(report.stdout_text.size() == static_cast<size_t>(roomy.output_bytes));
        CHECK_MESSAGE(after - before < 64 * 1024, "supervisor peak RSS grew by " << (after - before) << " KiB");
    }
    require_nothing_left(*sandbox);
}

TEST_CASE("threat 12: a 2 GiB file is refused by the file-size limit") {
    auto sandbox = make_sandbox();
    auto limits = small_limits(5.0, 10.0);
    limits.file_size_bytes = 16 * MiB;
    SUBCASE("killed by SIGXFSZ") {
        auto report = run_test_program(*sandbox, "threat_disk", limits, {"bigfile"});
        CHECK_MESSAGE(report.status == RunStatus::runtime_error, describe(report));
        CHECK(report.signal == SIGXFSZ);
        CHECK_MESSAGE(contains(report.message, "file size limit"), describe(report));
    }
    SUBCASE("SIGXFSZ ignored: every way fails with EFBIG") {
        auto report = run_test_program(*sandbox, "threat_disk", limits, {"bigfile", "ignore"});
        CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
        for (const std::string way : {"lseek+write", "pwrite", "ftruncate", "fallocate"})
            CHECK_MESSAGE(contains(report.stdout_text, std::string(way) + ": errno 27\n"), report.stdout_text);
        CHECK_MESSAGE(contains(report.stdout_text, "size 0\n"), report.stdout_text);
    }
    // Nothing big is left for the grader either.
    CHECK(sandbox->read_file("big.bin", 16 * MiB).empty());
    require_nothing_left(*sandbox);
}

TEST_CASE("threat 13: exhausting inodes and descriptors is refused") {
    SandboxOptions options = autograder::sandbox_options_for(autograder::LanguageTable::defaults(),
                                                             *autograder::LanguageTable::defaults().find("c"));
    options.max_inodes = 2000;
    auto sandbox = Sandbox::create(options);
    auto limits = small_limits(5.0, 10.0, 128 * MiB);
    sandbox->write_file("threat_disk", testing::test_program("threat_disk"), true);
    for (const std::string dir : {".", "/tmp", "/dev/shm"}) {
        CAPTURE(dir);
        auto report = run_argv(*sandbox, {"./threat_disk", "inodes", dir}, limits);
        CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
        CHECK_MESSAGE(contains(report.stdout_text, "errno 28\n"), report.stdout_text);  // ENOSPC
        long long made = number_after(report.stdout_text, "made ");
        CHECK(made <= options.max_inodes);
        CHECK(made >= options.max_inodes / 2);
    }
    limits.open_files = 64;
    auto report = run_argv(*sandbox, {"./threat_disk", "fds"}, limits);
    CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
    CHECK_MESSAGE(contains(report.stdout_text, "errno 24\n"), report.stdout_text);  // EMFILE
    CHECK(number_after(report.stdout_text, "opened ") <= 64);
    CHECK(number_after(report.stdout_text, "opened ") >= 32);
    auto cleaned = run_shell(*sandbox, "rm -f f* /tmp/f* /dev/shm/f*", limits);
    CHECK_MESSAGE(cleaned.status == RunStatus::ok, describe(cleaned));
    require_nothing_left(*sandbox);
    require_fresh_sandbox_works();
}

// ---------------------------------------------------------------------------------------- File system

TEST_CASE("threat 14: host secrets, other sandboxes and hidden expected outputs cannot be read") {
    HostTempDir host;
    const std::string secret = "SENTINEL-" + std::to_string(::getpid()) + "-hidden-expected";
    fs::create_directories(host.path + "/hidden");
    write_host_file(host.path + "/hidden/expected_output.txt", secret);
    ::chmod(host.path.c_str(), 0755);

    auto other = make_sandbox();
    other->write_file("secret.txt", secret);
    auto sandbox = make_sandbox();
    auto limits = small_limits(3.0, 6.0);

    const std::string self_pid = std::to_string(::getpid());
    const std::string other_init = std::to_string(other->init_pid());
    auto report = run_test_program(*sandbox, "threat_fs", limits,
                                   {"read:/etc/shadow", "read:/etc/gshadow", "list:/root", "list:/home",
                                    "read:" + host.path + "/hidden/expected_output.txt", "list:" + host.path,
                                    "read:/proc/" + self_pid + "/cmdline", "read:/proc/" + self_pid + "/environ",
                                    "read:/proc/" + other_init + "/root/workspace/secret.txt", "read:/proc/1/environ",
                                    "list:/proc/1/root", "read:/proc/1/root/etc/shadow", "list:/sys/fs/cgroup",
                                    "list:/run", "read:/var/run/docker.sock", "list:/proc/self/fd"});
    CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
    auto results = fs_results(report.stdout_text);
    CAPTURE(report.stdout_text);
    for (const auto& [attempt, result] : results) {
        if (attempt == "list /proc/self/fd") continue;
        CAPTURE(attempt);
        CHECK_MESSAGE(refused(result), attempt << " -> " << result);
    }
    CHECK(results.size() == 16);
    // Nothing of the host leaks into descriptors: stdin, stdout, stderr and the listing itself.
    CHECK(results["list /proc/self/fd"] == ". .. 0 1 2 3");
    CHECK(!contains(report.stdout_text, secret));

    // Searching everything the run can see finds neither the host's nor the other sandbox's secret.
    auto search = run_shell(*sandbox,
                            "grep -rs " + secret +
                                " /etc /tmp /dev/shm /workspace 2>/dev/null; "
                                "cat /proc/[0-9]*/root/workspace/secret.txt /proc/[0-9]*/cwd/secret.txt "
                                "2>/dev/null; echo searched",
                            small_limits(5.0, 10.0));
    CHECK_MESSAGE(search.stdout_text == "searched\n", describe(search));
    CHECK(read_host_file(host.path + "/hidden/expected_output.txt") == secret);
}

TEST_CASE("threat 15: nothing outside the workspace and /tmp can be written") {
    HostTempDir host;
    const std::string sentinel = host.path + "/sentinel.txt";
    write_host_file(sentinel, "original");
    auto sandbox = make_sandbox();
    struct stat gcc_before {};
    REQUIRE(::stat("/usr/bin/gcc", &gcc_before) == 0);

    auto report =
        run_test_program(*sandbox, "threat_fs", small_limits(3.0, 6.0),
                         {"openw:/etc/passwd", "create:/etc/ag-threat-new", "unlink:/etc/hosts", "mkdir:/etc/ag-dir",
                          "openw:/etc/ld.so.cache", "openw:/usr/bin/gcc", "create:/usr/bin/ag-threat-new",
                          "create:/usr/lib/ag-threat-new", "chmod:/usr/bin/gcc", "rename:/usr/bin/gcc",
                          "unlink:/usr/bin/gcc", "create:/bin/ag-threat-new", "create:/lib/ag-threat-new",
                          "create:/ag-threat-new", "mkdir:/ag-dir", "create:/dev/ag-threat-new",
                          "create:/proc/ag-threat-new", "openw:/proc/sys/kernel/hostname", "openw:/proc/sysrq-trigger",
                          "openw:/proc/sys/vm/drop_caches", "openw:" + sentinel, "create:" + host.path + "/new.txt",
                          // Allowed: the workspace and /tmp.
                          "create:/workspace/ok.txt", "create:/tmp/ok.txt"});
    CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
    auto results = fs_results(report.stdout_text);
    CAPTURE(report.stdout_text);
    CHECK(results.size() == 24);
    for (const auto& [attempt, result] : results) {
        CAPTURE(attempt);
        if (attempt == "create /workspace/ok.txt" || attempt == "create /tmp/ok.txt")
            CHECK(result == "ok");
        else
            CHECK_MESSAGE(refused(result), attempt << " -> " << result);
    }
    struct stat gcc_after {};
    REQUIRE(::stat("/usr/bin/gcc", &gcc_after) == 0);
    CHECK(gcc_after.st_mtime == gcc_before.st_mtime);
    CHECK(gcc_after.st_mode == gcc_before.st_mode);
    CHECK(!fs::exists("/usr/bin/ag-threat-new"));
    CHECK(!fs::exists("/usr/lib/ag-threat-new"));
    CHECK(!fs::exists(host.path + "/new.txt"));
    CHECK(read_host_file(sentinel) == "original");
}

TEST_CASE("threat 16: rewritten or deleted input files: the checker still sees the originals") {
    auto sandbox = make_sandbox();
    const std::string original = "3\n1 2 3\n";
    auto limits = small_limits(3.0, 6.0);
    const char* attacks[] = {
        "echo fake > input.txt",
        "rm -f input.txt",
        "rm -f input.txt && ln -s /etc/passwd input.txt",
        "rm -f input.txt && mkfifo input.txt",
        "chmod 000 input.txt",
        "mkdir -p tests && echo fake > tests/input.txt && chmod 500 tests",
        "rm -f input.txt && mkdir input.txt && echo x > input.txt/inner",
    };
    for (const std::string attack : attacks) {
        CAPTURE(attack);
        REQUIRE_NOTHROW(sandbox->write_file("input.txt", original));
        REQUIRE_NOTHROW(sandbox->write_file("tests/input.txt", original));
        auto hostile = run_shell(*sandbox, attack, limits);
        CHECK_MESSAGE(hostile.status == RunStatus::ok, describe(hostile));
        // The grader puts the inputs back before the checker runs: that must always work.
        CHECK_NOTHROW(sandbox->write_file("input.txt", original));
        CHECK_NOTHROW(sandbox->write_file("tests/input.txt", original));
        auto checker = run_shell(*sandbox, "cat input.txt tests/input.txt", limits);
        CHECK_MESSAGE(checker.status == RunStatus::ok, describe(checker));
        CHECK(checker.stdout_text == original + original);
        CHECK(sandbox->read_file("input.txt") == original);
    }
}

TEST_CASE("threat 17: escaping the root is refused") {
    auto sandbox = make_sandbox();
    auto limits = small_limits(3.0, 6.0);
    for (const std::string call : {"chroot", "chroot_escape", "mount", "umount2", "pivot_root", "unshare_user",
                                   "unshare_ns", "setns", "clone_newuser", "clone_newpid", "open_tree", "fsopen"}) {
        CAPTURE(call);
        auto report = run_test_program(*sandbox, "threat_syscall", limits, {call});
        CHECK_MESSAGE(report.status == RunStatus::security_violation, describe(report));
        CHECK(report.signal == SIGSYS);
        CHECK_MESSAGE(contains(report.message, "forbidden system call"), describe(report));
    }
    // clone3 hides its flags from the filter: refused with ENOSYS, never run.
    auto clone3 = run_test_program(*sandbox, "threat_syscall", limits, {"clone3_newuser"});
    CHECK_MESSAGE(clone3.status == RunStatus::ok, describe(clone3));
    CHECK(clone3.stdout_text == "clone3_newuser returned -1 errno 38\n");

    SUBCASE("setuid binaries give no privilege") {
        // A setuid-root copy of a program that prints its euid, made visible read-only (not under
        // /tmp, which the sandbox's own /tmp hides).
        HostTempDir host("/var/tmp");
        fs::create_directories(host.path + "/suid");
        std::string program = host.path + "/suid/threat_fs";
        write_host_file(program, testing::test_program("threat_fs"));
        REQUIRE(::chown(program.c_str(), 0, 0) == 0);
        REQUIRE(::chmod(program.c_str(), 04755) == 0);
        ::chmod(host.path.c_str(), 0755);
        SandboxOptions options = autograder::sandbox_options_for(autograder::LanguageTable::defaults(),
                                                                 *autograder::LanguageTable::defaults().find("c"));
        options.read_only_paths.push_back(host.path + "/suid");
        auto with_suid = Sandbox::create(options);
        auto report = run_argv(*with_suid, {program, "euid:"}, limits);
        CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
        CHECK(report.stdout_text == "euid 1000 uid 1000\n");
        // The system's own setuid programs: su, mount, passwd.
        auto su = run_shell(*with_suid,
                            "su -c id root </dev/null; mount -t tmpfs none /tmp; "
                            "passwd -S root; id -u",
                            limits);
        CHECK_MESSAGE(su.stdout_text == "1000\n", describe(su));
    }
    require_nothing_left(*sandbox);
}

TEST_CASE("threat 18: ptrace, process_vm_*, perf, bpf, keyctl, userfaultfd, io_uring, handles") {
    auto sandbox = make_sandbox();
    auto limits = small_limits(3.0, 6.0);
    for (const std::string call :
         {"ptrace", "ptrace_attach", "process_vm_readv", "process_vm_writev", "perf_event_open", "bpf", "keyctl",
          "add_key", "request_key", "userfaultfd", "open_by_handle_at", "name_to_handle_at"}) {
        CAPTURE(call);
        auto report = run_test_program(*sandbox, "threat_syscall", limits, {call});
        CHECK_MESSAGE(report.status == RunStatus::security_violation, describe(report));
        CHECK(report.signal == SIGSYS);
        CHECK(report.stdout_text.empty());
    }
    // io_uring: refused with ENOSYS (runtimes probe it and fall back).
    auto uring = run_test_program(*sandbox, "threat_syscall", limits, {"io_uring_setup"});
    CHECK_MESSAGE(uring.status == RunStatus::ok, describe(uring));
    CHECK(uring.stdout_text == "io_uring_setup returned -1 errno 38\n");
    require_nothing_left(*sandbox);
}

TEST_CASE("threat 21: symlinks planted in the workspace are never followed by the grader") {
    HostTempDir host;
    const std::string sentinel = host.path + "/sentinel.txt";
    write_host_file(sentinel, "host secret");
    fs::create_directories(host.path + "/dir");
    auto sandbox = make_sandbox();
    auto plant = run_shell(*sandbox,
                           "ln -s /etc/passwd result.txt && ln -s /dev/urandom random.txt && "
                           "ln -s " +
                               sentinel +
                               " host.txt && ln -s / rootlink && "
                               "ln -s ../../../../../../../etc/shadow relative.txt && "
                               "ln -s " +
                               host.path +
                               "/dir hostdir && ln -s /proc/1/root initroot && "
                               "mkdir -p out && ln -s /etc/hostname out/answer.txt && echo planted",
                           small_limits());
    REQUIRE_MESSAGE(plant.stdout_text == "planted\n", describe(plant));

    for (const std::string path : {"result.txt", "random.txt", "host.txt", "relative.txt", "rootlink/etc/passwd",
                                   "hostdir/anything", "initroot/etc/hostname", "out/answer.txt"}) {
        CAPTURE(path);
        CHECK_THROWS_AS(sandbox->read_file(path), SandboxError);
    }
    // Writing where a symlink is replaces the link and never writes through it.
    sandbox->write_file("host.txt", "overwritten");
    CHECK(read_host_file(sentinel) == "host secret");
    CHECK(sandbox->read_file("host.txt") == "overwritten");
    sandbox->write_file("result.txt", "expected");
    CHECK(sandbox->read_file("result.txt") == "expected");
    // A symlink on the way to a file is refused, for writing as for reading.
    CHECK_THROWS_AS(sandbox->write_file("hostdir/planted.txt", "x"), SandboxError);
    CHECK_THROWS_AS(sandbox->write_file("rootlink/tmp/planted.txt", "x"), SandboxError);
    CHECK(!fs::exists(host.path + "/dir/planted.txt"));
    CHECK(!sandbox->file_exists("hostdir/anything"));
    CHECK(fs::is_empty(host.path + "/dir"));
}

TEST_CASE("threat 22: FIFOs, sockets and device nodes named as an artifact are rejected") {
    auto sandbox = make_sandbox();
    auto report = run_test_program(*sandbox, "threat_fs", small_limits(),
                                   {"fifo:out.fifo", "socket:out.sock", "mknod:out.dev", "mkdir:out.dir"});
    CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
    auto results = fs_results(report.stdout_text);
    CHECK(results["fifo out.fifo"] == "ok");
    CHECK(results["socket out.sock"] == "ok");
    CHECK_MESSAGE(refused(results["mknod out.dev"]), report.stdout_text);  // no device nodes
    // A symlink to a device is the other way to name one.
    auto link = run_shell(*sandbox, "ln -s /dev/zero zero.out && ln -s /dev/stdin stdin.out", small_limits());
    REQUIRE(link.status == RunStatus::ok);
    for (const std::string artifact : {"out.fifo", "out.sock", "out.dev", "out.dir", "zero.out", "stdin.out"}) {
        CAPTURE(artifact);
        auto started = std::chrono::steady_clock::now();
        CHECK_THROWS_AS(sandbox->read_file(artifact), SandboxError);
        CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    }
    // And writing the artifact's name replaces the odd file with a regular one.
    sandbox->write_file("out.fifo", "regular");
    CHECK(sandbox->read_file("out.fifo") == "regular");
}

namespace {

// Whether this kernel runs i386 system calls (int 0x80) of 64-bit processes at all: kernels
// without IA32 emulation (or hypervisors that lack it) answer them with SIGSEGV before any seccomp
// filter sees them.
bool host_runs_int80() {
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::signal(SIGSEGV, SIG_DFL);  // not the test framework's crash handler
        long result;
        __asm__ volatile("int $0x80" : "=a"(result) : "a"(20) : "memory");  // i386 getpid
        ::_exit(result > 0 ? 0 : 1);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

TEST_CASE("threat 23: 32-bit (int 0x80) and x32 system calls are killed") {
    auto sandbox = make_sandbox();
    for (const std::string call : {"x32", "x32_write"}) {
        CAPTURE(call);
        auto report = run_test_program(*sandbox, "threat_syscall", small_limits(), {call});
        CHECK_MESSAGE(report.status == RunStatus::security_violation, describe(report));
        CHECK(report.signal == SIGSYS);
        CHECK(report.stdout_text.empty());
    }
    auto report = run_test_program(*sandbox, "threat_syscall", small_limits(), {"int80"});
    CHECK(report.stdout_text.empty());  // the call never came back
    if (host_runs_int80()) {
        CHECK_MESSAGE(report.status == RunStatus::security_violation, describe(report));
        CHECK(report.signal == SIGSYS);
    } else {
        // The kernel itself refuses i386 calls here: killed by SIGSEGV before the filter runs.
        MESSAGE("this kernel does not run int 0x80 system calls; the filter is not reached");
        CHECK_MESSAGE(report.signal == SIGSEGV, describe(report));
    }
}

TEST_CASE("threat 24: no terminal is inherited, TIOCSTI has nothing to type into") {
    auto sandbox = make_sandbox();
    auto report = run_test_program(*sandbox, "threat_syscall", small_limits(), {"tty"});
    CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
    CAPTURE(report.stdout_text);
    CHECK(!contains(report.stdout_text, "isatty=1"));
    CHECK(!contains(report.stdout_text, "tiocsti=0"));
    CHECK(contains(report.stdout_text, "open /dev/tty=-1"));
    CHECK(contains(report.stdout_text, "open /dev/ptmx=-1"));
    CHECK(contains(report.stdout_text, "tcgetpgrp=-1"));
}

// -------------------------------------------------------------------------------- Network and leaks

namespace {

int make_socket(int family, int type) {
    int s = ::socket(family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    REQUIRE(s >= 0);
    return s;
}

// A dual-stack TCP listener and a UDP socket on one port, on every host address.
struct HostListeners {
    int tcp = -1, udp = -1, unix_abstract = -1;
    int port = 0;
    std::string abstract_name;
    HostListeners() {
        tcp = make_socket(AF_INET6, SOCK_STREAM);
        int off = 0, on = 1;
        ::setsockopt(tcp, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
        ::setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        sockaddr_in6 address{};
        address.sin6_family = AF_INET6;
        address.sin6_addr = in6addr_any;
        REQUIRE(::bind(tcp, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(::listen(tcp, 16) == 0);
        socklen_t length = sizeof address;
        REQUIRE(::getsockname(tcp, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        port = ntohs(address.sin6_port);
        udp = make_socket(AF_INET6, SOCK_DGRAM);
        ::setsockopt(udp, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
        REQUIRE(::bind(udp, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);

        unix_abstract = make_socket(AF_UNIX, SOCK_STREAM);
        abstract_name = "autograder-threat-" + std::to_string(::getpid());
        sockaddr_un unix_address{};
        unix_address.sun_family = AF_UNIX;
        std::memcpy(unix_address.sun_path + 1, abstract_name.data(), abstract_name.size());
        auto unix_length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + abstract_name.size());
        REQUIRE(::bind(unix_abstract, reinterpret_cast<sockaddr*>(&unix_address), unix_length) == 0);
        REQUIRE(::listen(unix_abstract, 16) == 0);
    }
    ~HostListeners() {
        for (int fd : {tcp, udp, unix_abstract})
            if (fd >= 0) ::close(fd);
    }
    HostListeners(const HostListeners&) = delete;
    HostListeners& operator=(const HostListeners&) = delete;

    // Whether anybody connected or sent anything (connections wait in the backlog unaccepted).
    int contacts() {
        int count = 0;
        for (int listener : {tcp, unix_abstract})
            for (int fd; (fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC)) >= 0; ++count) ::close(fd);
        char buffer[64];
        while (::recv(udp, buffer, sizeof buffer, MSG_DONTWAIT) >= 0) ++count;
        return count;
    }
};

// The host's own addresses (besides loopback): reachable from the host, never from a sandbox.
std::vector<std::string> host_addresses() {
    std::vector<std::string> result;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) return result;
    for (ifaddrs* i = list; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
        char text[INET_ADDRSTRLEN];
        auto* v4 = reinterpret_cast<sockaddr_in*>(i->ifa_addr);
        ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
        if (std::string(text) != "127.0.0.1") result.push_back(text);
    }
    ::freeifaddrs(list);
    return result;
}

unsigned local_vsock_cid() {
    int fd = ::open("/dev/vsock", O_RDONLY | O_CLOEXEC);
    unsigned cid = VMADDR_CID_LOCAL;
    if (fd >= 0) {
        ::ioctl(fd, IOCTL_VM_SOCKETS_GET_LOCAL_CID, &cid);
        ::close(fd);
    }
    return cid;
}

}  // namespace

TEST_CASE("threat 19: no network: TCP, UDP, DNS, raw, packet, vsock, abstract unix sockets") {
    HostListeners listeners;
    const std::string port = std::to_string(listeners.port);
    auto sandbox = make_sandbox();
    auto limits = small_limits(3.0, 8.0);
    sandbox->write_file("threat_net", testing::test_program("threat_net"), true);
    auto net = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "./threat_net");
        auto report = run_argv(*sandbox, args, limits);
        CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
        return report.stdout_text;
    };
    // A sanity check of the listeners themselves: the host can reach them.
    {
        int probe = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(listeners.port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        ::close(probe);
        REQUIRE(listeners.contacts() == 1);
    }

    std::vector<std::string> targets = {"127.0.0.1", "::1", "192.0.2.1"};
    for (const auto& address : host_addresses()) targets.push_back(address);
    for (const auto& target : targets) {
        CAPTURE(target);
        auto tcp = net({"tcp", target, port});
        CHECK_MESSAGE(contains(tcp, "tcp: errno "), tcp);
        auto udp = net({"udp", target, port});
        CHECK_MESSAGE(!contains(udp, "sent"), udp);
    }
    auto dns = net({"dns", "example.com"});
    CHECK_MESSAGE(contains(dns, "dns: failed"), dns);
    auto raw = net({"raw"});
    CHECK_MESSAGE(contains(raw, "raw: errno"), raw);
    auto packet = net({"packet"});
    CHECK_MESSAGE(contains(packet, "packet: errno"), packet);
    auto abstract = net({"abstract", listeners.abstract_name});
    CHECK_MESSAGE(contains(abstract, "abstract: errno 111"), abstract);  // ECONNREFUSED: not ours
    auto interfaces = net({"interfaces"});
    CHECK_MESSAGE(interfaces == "interfaces: done\n", interfaces);

    SUBCASE("AF_VSOCK is refused: it is not namespaced and leads to the hypervisor") {
        // Only our own listener is ever contacted (at this VM's own CID), never the hypervisor.
        int vsock = ::socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        int vsock_port = 40000 + ::getpid() % 20000;
        if (vsock >= 0) {
            sockaddr_vm address{};
            address.svm_family = AF_VSOCK;
            address.svm_cid = VMADDR_CID_ANY;
            address.svm_port = static_cast<unsigned>(vsock_port);
            if (::bind(vsock, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) ::listen(vsock, 4);
        }
        auto out = net({"vsock", std::to_string(local_vsock_cid()), std::to_string(vsock_port)});
        CHECK_MESSAGE(!contains(out, "vsock connect: connected"), out);
        CHECK_MESSAGE(contains(out, "vsock socket: errno"), out);
        if (vsock >= 0) {
            CHECK(::accept4(vsock, nullptr, nullptr, SOCK_CLOEXEC) < 0);
            ::close(vsock);
        }
    }
    CHECK_MESSAGE(listeners.contacts() == 0, "a sandbox reached a host listener");
}

TEST_CASE("threat 20: /tmp, /dev/shm, SysV IPC, message queues and locks are gone for the next run") {
    auto first = make_sandbox();
    auto limits = small_limits(3.0, 6.0);
    auto leave = run_test_program(*first, "threat_ipc", limits, {"leave", "0x7471"});
    CHECK_MESSAGE(leave.status == RunStatus::ok, describe(leave));
    // POSIX message queues are refused outright (their memory is outside every cgroup).
    CHECK_MESSAGE(leave.stdout_text == "left shm=1 msg=1 sem=1 mq=0 lock=1\n", leave.stdout_text);
    // The host's IPC namespace did not get them either.
    CHECK(!contains(read_host_file("/proc/sysvipc/shm"), " 29809 "));  // key 0x7471
    // Keyrings: the calls are killed outright.
    auto key = run_test_program(*first, "threat_syscall", limits, {"add_key"});
    CHECK_MESSAGE(key.status == RunStatus::security_violation, describe(key));

    auto next = make_sandbox();
    auto look = run_test_program(*next, "threat_ipc", limits, {"look", "0x7471"});
    CHECK_MESSAGE(look.status == RunStatus::ok, describe(look));
    CHECK_MESSAGE(look.stdout_text == "looked\n", look.stdout_text);
    first.reset();
    auto after = run_test_program(*next, "threat_ipc", limits, {"look", "0x7471"});
    CHECK_MESSAGE(after.stdout_text == "looked\n", after.stdout_text);
}

TEST_CASE("threat 26: the environment holds only what the language table sets") {
    ::setenv("AG_THREAT_SECRET", "hunter2-threat-secret", 1);
    const auto& table = autograder::LanguageTable::defaults();
    auto limits = small_limits();
    for (const std::string language : {"python", "c"}) {
        CAPTURE(language);
        auto sandbox = make_sandbox(language);
        const auto& env = table.find(language)->env;
        RunRequest request;
        request.argv = {"/usr/bin/printenv"};
        request.env = env;
        request.limits = limits;
        auto report = sandbox->run(request);
        CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
        std::set<std::string> names;
        std::istringstream lines(report.stdout_text);
        for (std::string line; std::getline(lines, line);) names.insert(line.substr(0, line.find('=')));
        std::set<std::string> expected;
        for (const auto& [name, value] : env) expected.insert(name);
        if (env.empty()) expected = {"HOME", "LANG", "PATH", "TMPDIR"};  // the sandbox's defaults
        CHECK_MESSAGE(names == expected, report.stdout_text);
        CHECK(!contains(report.stdout_text, "hunter2"));
    }
    SUBCASE("the host's environment and command line are not visible through init") {
        auto sandbox = make_sandbox();
        auto init_environment = run_shell(*sandbox, "cat /proc/1/environ; echo", limits);
        CHECK_MESSAGE(!contains(init_environment.stdout_text, "hunter2"), describe(init_environment));
        std::string host_cmdline = read_host_file("/proc/self/cmdline");
        std::string host_program = host_cmdline.substr(0, host_cmdline.find('\0'));
        auto cmdline = run_shell(*sandbox, "cat /proc/1/cmdline; echo", limits);
        CHECK_MESSAGE(!contains(cmdline.stdout_text, host_program),
                      "init shows the host's command line: " << cmdline.stdout_text);
    }
    ::unsetenv("AG_THREAT_SECRET");
}

// ---------------------------------------------------------------------------------------- Compilers

TEST_CASE("threat 25: hostile sources fail to compile cleanly, inside the sandbox, with limits") {
    autograder::LanguageTable table = autograder::LanguageTable::defaults();
    table.compile_limits.cpu_time_s = 4.0;
    table.compile_limits.wall_time_s = 8.0;
    table.compile_limits.memory_bytes = 256 * MiB;
    table.compile_limits.output_bytes = 64 << 10;
    const std::set<std::string> clean = {"compile_error", "time_limit", "memory_limit", "output_limit"};
    auto compile = [&](const std::string& language, const std::string& file, const std::string& source) {
        auto sandbox = make_sandbox(language);
        autograder::ExecuteOptions options;
        options.limits = small_limits();
        return autograder::execute(*sandbox, table, *table.find(language), {{file, source, false}}, options);
    };
    std::string host_shadow = read_host_file("/etc/shadow");
    std::string root_hash = host_shadow.substr(0, host_shadow.find('\n'));

    SUBCASE("#include \"/dev/zero\"") {
        auto result = compile("c", "main.c", "#include \"/dev/zero\"\nint main(void){return 0;}\n");
        CHECK_MESSAGE(clean.count(result.status), result.to_json().dump().substr(0, 400));
        CHECK(!result.run);
        REQUIRE(result.compile);
        CHECK(result.compile->wall_ms < 8000 + 3000);
    }
    SUBCASE("#include \"/dev/urandom\"") {
        auto result = compile("c", "main.c", "#include \"/dev/urandom\"\nint main(void){return 0;}\n");
        CHECK_MESSAGE(clean.count(result.status), result.to_json().dump().substr(0, 400));
        CHECK(!result.run);
    }
    SUBCASE("#include \"/etc/shadow\" and /proc/1/environ") {
        for (const std::string path : {"/etc/shadow", "/proc/1/environ"}) {
            CAPTURE(path);
            auto result = compile("c", "main.c", "#include \"" + std::string(path) + "\"\nint main(void){return 0;}\n");
            CHECK_MESSAGE(result.status == "compile_error", result.to_json().dump());
            CHECK(!result.run);
            REQUIRE(result.compile);
            CHECK(!contains(result.compile->stderr_text, "root:"));
            if (!root_hash.empty()) CHECK(!contains(result.compile->stderr_text, root_hash));
        }
    }
    SUBCASE("recursive self-include") {
        auto result = compile("c", "main.c", "#include \"main.c\"\nint main(void){return 0;}\n");
        CHECK_MESSAGE(clean.count(result.status), result.to_json().dump().substr(0, 400));
        CHECK(!result.run);
    }
    SUBCASE("template recursion without end") {
        auto result = compile("cpp", "main.cpp",
                              "template<int N> struct R { static const int v = R<N + 1>::v; };\n"
                              "int main() { return R<0>::v; }\n");
        CHECK_MESSAGE(clean.count(result.status), result.to_json().dump().substr(0, 400));
        CHECK(!result.run);
    }
    SUBCASE("exponential template explosion") {
        auto result = compile("cpp", "main.cpp",
                              "template<class A, class B> struct P {};\n"
                              "template<int N, class T> struct E { using type = typename E<N - 1, P<T, T>>::type; };\n"
                              "template<class T> struct E<0, T> { using type = T; };\n"
                              "int main() { E<40, int>::type x = 1; return 0; }\n");
        CHECK_MESSAGE(clean.count(result.status), result.to_json().dump().substr(0, 400));
        CHECK(!result.run);
        REQUIRE(result.compile);
        CHECK(result.compile->cpu_ms < 4000 + 1500);
        CHECK(result.compile->stderr_text.size() <= static_cast<size_t>(64 << 10));
    }
}

// ------------------------------------------------------------------------------- Text and file names

namespace {

const std::string kReplacementCharacter = "\xEF\xBF\xBD";

// Whether `text` can be written as JSON at all: nlohmann refuses anything but valid UTF-8.
bool writes_as_json(const std::string& text) {
    try {
        (void)nlohmann::json(text).dump();
        return true;
    } catch (const nlohmann::json::type_error&) {
        return false;
    }
}

// The report as JSON text and read back, as a host would see it.
nlohmann::json report_json(const RunReport& report) {
    std::string text;
    REQUIRE_NOTHROW(text = report.to_json().dump());
    nlohmann::json parsed;
    REQUIRE_NOTHROW(parsed = nlohmann::json::parse(text));
    return parsed;
}

}  // namespace

TEST_CASE("hostile text: output that is not UTF-8 gives a valid report, with U+FFFD in place") {
    auto sandbox = make_sandbox();
    auto limits = small_limits();
    auto report = run_test_program(*sandbox, "threat_text", limits, {"invalid"});
    REQUIRE(report.status == RunStatus::ok);
    // The C++ report keeps the bytes (output comparison needs them); its JSON is valid UTF-8.
    CHECK(contains(report.stdout_text, "\xff\xfe"));
    auto json = report_json(report);
    const std::string out = json["stdout"], err = json["stderr"];
    for (const std::string& text : {out, err}) {
        CHECK(writes_as_json(text));
        CHECK(contains(text, "ok " + kReplacementCharacter));
        CHECK(contains(text, " end "));
        CHECK(contains(text, " lone"));
        CHECK(!contains(text, "\xed\xa0\x80"));  // a surrogate is not a character
        CHECK(!contains(text, "\xc0\xaf"));      // nor is an overlong '/'
    }
    CHECK(contains(out, std::string("lone\0\n", 6)));  // NUL is a character: kept

    SUBCASE("stdin echoed back, surrogates and overlong forms included") {
        auto echo =
            run_test_program(*sandbox, "threat_text", limits, {"echo"}, std::string("a\xed\xa0\x80z\xc0\xaf\xff"));
        REQUIRE(echo.status == RunStatus::ok);
        auto echoed = report_json(echo);
        CHECK(echoed["stdout"] == "a" + kReplacementCharacter + kReplacementCharacter + kReplacementCharacter + "z" +
                                      kReplacementCharacter + kReplacementCharacter + kReplacementCharacter);
    }
}

TEST_CASE("hostile text: output cut by the cap inside a character is cut before that character") {
    auto sandbox = make_sandbox();
    auto limits = small_limits(5.0, 10.0);
    limits.output_bytes = 4096;
    for (const char* mode : {"cut", "cuterr"}) {
        CAPTURE(mode);
        auto report = run_test_program(*sandbox, "threat_text", limits, {mode, "4096"});
        CHECK(report.status == RunStatus::output_limit);
        const bool on_stdout = std::string(mode) == "cut";
        const std::string& raw = on_stdout ? report.stdout_text : report.stderr_text;
        // The cap is exact in bytes: 4095 'a' and the first byte of U+1F600.
        REQUIRE(raw.size() == 4096);
        CHECK(raw.back() == '\xf0');
        auto json = report_json(report);
        const std::string shown = json[on_stdout ? "stdout" : "stderr"];
        CHECK(shown == std::string(4095, 'a'));
        CHECK(json[on_stdout ? "stdout_truncated" : "stderr_truncated"] == true);
    }
}

// A submission's file names reach command lines through the language table's {files} and {main}.
// Each case names files so that, read as options, they make the tool do something visible.
TEST_CASE("hostile names: a file name never reaches a compiler or runtime as an option") {
    const auto& table = autograder::LanguageTable::defaults();
    auto run = [&](const std::string& language, std::vector<autograder::SourceFile> files) {
        auto sandbox = make_sandbox(language);
        autograder::ExecuteOptions options;
        options.limits = small_limits(10.0, 20.0, 256 * MiB);
        options.stdin_data = std::string();
        return autograder::execute(*sandbox, table, *table.find(language), files, options);
    };
    auto all_output = [](const autograder::ExecuteResult& result) {
        std::string text;
        for (const auto* report : {result.compile ? &*result.compile : nullptr, result.run ? &*result.run : nullptr})
            if (report) text += report->stdout_text + report->stderr_text;
        return text;
    };
    const std::set<std::string> compile_failed = {"compile_error", "output_limit"};

    SUBCASE("gcc: a folder named -fplugin=. holding a shared object saved as x.c") {
        const std::string plugin = testing::test_program("threat_compiler_plugin.so");
        auto result = run("c", {{"main.c", "int main(void) { return 0; }\n", false},
                                {"-fplugin=./x.c", plugin, false},
                                {"x.c", plugin, false}});
        REQUIRE(result.compile);
        CHECK_MESSAGE(!contains(all_output(result), "threat_compiler_plugin: loaded"), "gcc loaded the plugin");
        // The shared objects were compiled as (broken) C sources: a normal compile failure, whose
        // first complaint is about the file named like the option.
        CHECK_MESSAGE(compile_failed.count(result.status), result.status);
        CHECK(contains(result.compile->stderr_text, "./-fplugin=./x.c:1:1: error"));
    }
    SUBCASE("gcc: a file named @opts.c is not a response file") {
        auto result = run("c", {{"main.c", "int main(void) { return 0; }\n", false},
                                {"@opts.c", "int unused_function(void) { return 1; }\n", false},
                                {"opts.c", "-v\n", false}});
        REQUIRE(result.compile);
        CHECK_MESSAGE(!contains(all_output(result), "gcc version"), "gcc read options from opts.c");
        CHECK(result.status == "compile_error");
    }
    SUBCASE("javac: a file named @opts.java is not an argument file") {
        auto result =
            run("java", {{"Main.java", "public class Main { public static void main(String[] a) {} }\n", false},
                         {"@opts.java", "class Extra {}\n", false},
                         {"opts.java", "-version\n", false}});
        REQUIRE(result.compile);
        CHECK_MESSAGE(!contains(all_output(result), "javac 1"), "javac read options from opts.java");
        CHECK(result.status == "compile_error");
        CHECK(contains(result.compile->stderr_text, "opts.java"));
    }
    SUBCASE("java: a main file named like a JVM option or an argument file") {
        for (const std::string name : {"-XX:+PrintFlagsFinal.java", "@opts.java"}) {
            CAPTURE(name);
            auto result = run("java", {{name,
                                        "class Main { public static void main(String[] a) { "
                                        "System.out.println(\"main ran\"); } }\n",
                                        false},
                                       {"opts", "-XX:+PrintFlagsFinal\n", false}});
            CHECK_MESSAGE(!contains(all_output(result), "PrintFlagsFinal"), "java took the file name as an option");
            // Not a class name: the language's default main class is run instead.
            REQUIRE_MESSAGE(result.run, result.to_json().dump().substr(0, 600));
            CHECK(result.run->stdout_text == "main ran\n");
        }
    }
    SUBCASE("node: a main file named --require=./evil.js") {
        auto result = run("javascript", {{"--require=./evil.js", "console.log('main ran');\n", false},
                                         {"evil.js", "console.log('preloaded');\n", false}});
        REQUIRE(result.run);
        CHECK(!contains(all_output(result), "preloaded"));
        CHECK_MESSAGE(result.run->stdout_text == "main ran\n", describe(*result.run));
    }
    SUBCASE("python: a main file named -mevil.py") {
        auto result =
            run("python", {{"-mevil.py", "print('main ran')\n", false}, {"evil.py", "print('imported')\n", false}});
        REQUIRE(result.run);
        CHECK(!contains(all_output(result), "imported"));
        CHECK_MESSAGE(result.run->stdout_text == "main ran\n", describe(*result.run));
    }
}

// --------------------------------------------------------------------------------------------- Load

TEST_CASE("threat 27: hostile programs in parallel do not disturb ordinary submissions") {
    // Sandboxes other tests of this process keep (warm pools) are not this test's leftovers.
    const auto cgroups_before = testing::own_sandbox_cgroups();
    struct Outcome {
        std::string what;
        bool ordinary = false;
        RunReport report;
        std::string expected_stdout;
        RunStatus expected = RunStatus::ok;
        std::string error;
    };
    constexpr int kThreads = 10;
    const int descriptors_before = open_descriptor_count();
    std::vector<std::vector<Outcome>> outcomes(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([t, &outcomes] {
            auto& mine = outcomes[static_cast<size_t>(t)];
            try {
                auto sandbox = make_sandbox();
                auto limits = small_limits(1.0, 3.0, 64 * MiB);
                limits.processes = 12;
                auto ordinary = [&](int round) {
                    Limits generous = small_limits(2.0, 20.0, 64 * MiB);
                    int a = t * 1000 + round, b = 7 * round;
                    Outcome o{"ordinary", true, {}, std::to_string(a + b) + "\n", RunStatus::ok, {}};
                    o.report = run_shell(*sandbox, "read a b; echo $((a + b))", generous,
                                         std::to_string(a) + " " + std::to_string(b) + "\n");
                    mine.push_back(std::move(o));
                };
                auto hostile = [&](const std::string& what, std::vector<std::string> args, RunStatus expected) {
                    Outcome o{what, false, {}, {}, expected, {}};
                    o.report = run_test_program(*sandbox, args[0], limits,
                                                std::vector<std::string>(args.begin() + 1, args.end()));
                    mine.push_back(std::move(o));
                };
                for (int round = 0; round < 3; ++round) {
                    ordinary(round);
                    switch ((t + round) % 6) {
                        case 0:
                            hostile("spin", {"threat_time", "spin"}, RunStatus::time_limit);
                            break;
                        case 1:
                            hostile("fork bomb", {"threat_proc", "bomb"}, RunStatus::time_limit);
                            break;
                        case 2:
                            hostile("heap bomb", {"threat_mem", "heap"}, RunStatus::memory_limit);
                            break;
                        case 3:
                            hostile("flood", {"threat_output", "both"}, RunStatus::output_limit);
                            break;
                        case 4:
                            hostile("ptrace", {"threat_syscall", "ptrace"}, RunStatus::security_violation);
                            break;
                        default:
                            hostile("daemon", {"threat_proc", "daemon"}, RunStatus::ok);
                            break;
                    }
                }
                ordinary(3);
            } catch (const std::exception& e) {
                Outcome o;
                o.what = "thread";
                o.error = e.what();
                mine.push_back(std::move(o));
            }
        });
    }
    for (auto& thread : threads) thread.join();
    int ordinary_runs = 0;
    for (const auto& mine : outcomes) {
        for (const auto& o : mine) {
            CAPTURE(o.what);
            CHECK_MESSAGE(o.error.empty(), o.error);
            if (!o.error.empty()) continue;
            CHECK_MESSAGE(o.report.status == o.expected, describe(o.report).substr(0, 400));
            if (o.ordinary) {
                ++ordinary_runs;
                CHECK(o.report.stdout_text == o.expected_stdout);
            }
        }
    }
    CHECK(ordinary_runs == kThreads * 4);
    // The host is as before: no process, no cgroup, no descriptor of any sandbox left.
    CHECK(host_processes_of_runs().empty());
    auto cgroups = testing::own_sandbox_cgroups();
    std::erase_if(cgroups, [&](const std::string& c) {
        return std::find(cgroups_before.begin(), cgroups_before.end(), c) != cgroups_before.end();
    });
    CHECK_MESSAGE(cgroups.empty(), "cgroups left: " << (cgroups.empty() ? "" : cgroups.front()));
    CHECK(open_descriptor_count() == descriptors_before);
}
