// What a hostile submission could still do after the threat list's items were closed: findings of
// a security review, each with its hostile program (tests/programs/hostile_*.c, or inline shell)
// and at least one variant of its class. Test cases are named "hardening N: ..." after the finding.
// The grading-level halves (checkers in a real pipeline, a shared pool under attack) are in
// tests/pipeline/hostile_submissions_test.cpp.
#include <csignal>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "sandbox/host_leftovers.hpp"
#include "sandbox/sandbox_fixture.hpp"

using autograder::kGraderPath;
using autograder::Limits;
using autograder::RunAs;
using autograder::RunReport;
using autograder::RunRequest;
using autograder::RunStatus;
using autograder::Sandbox;
using testing::describe;
using testing::make_sandbox;
using testing::run_shell;
using testing::run_test_program;

namespace {

constexpr int64_t MiB = 1LL << 20;

Limits hardening_limits(int64_t memory = 64 * MiB) {
    Limits limits;
    limits.cpu_time_s = 2.0;
    limits.wall_time_s = 4.0;
    limits.memory_bytes = memory;
    limits.processes = 16;
    limits.output_bytes = 64 << 10;
    return limits;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

RunReport run_as_grader(Sandbox& sandbox, std::vector<std::string> argv, std::map<std::string, std::string> env = {}) {
    RunRequest request;
    request.argv = std::move(argv);
    request.run_as = RunAs::grader;
    request.stdin_data = std::string();
    request.env = std::move(env);
    request.limits = hardening_limits(256 * MiB);
    return sandbox.run(request);
}

void require_alive(Sandbox& sandbox) {
    auto report = run_shell(sandbox, "echo alive", hardening_limits());
    CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
    CHECK(report.stdout_text == "alive\n");
}

}  // namespace

TEST_CASE("hardening 1: the grader's folder is out of the student's reach, its search paths out of the workspace") {
    auto sandbox = make_sandbox("python");
    sandbox->write_file(std::string(kGraderPath) + "/expected.txt", "the hidden answer\n");
    // The student can neither list, read nor write the grader's folder.
    auto peek = run_shell(*sandbox, "ls /grader; cat /grader/expected.txt; echo planted > /grader/x; echo done",
                          hardening_limits());
    CHECK_MESSAGE(peek.status == RunStatus::ok, describe(peek));
    CHECK(!contains(peek.stdout_text, "hidden answer"));
    CHECK(contains(peek.stderr_text, "Permission denied"));
    CHECK(!sandbox->file_exists(std::string(kGraderPath) + "/x"));

    // What a student plants for an interpreter started from the workspace, or with HOME there.
    sandbox->write_file(".local/lib/python3.11/site-packages/usercustomize.py", "print('planted user site')\n");
    sandbox->write_file("sitecustomize.py", "print('planted site')\n");
    sandbox->write_file("json.py", "print('planted json')\n");
    sandbox->write_file("node_modules/verdict/index.js", "console.log('planted node module')\n");
    const std::map<std::string, std::string> hostile_env = {{"PATH", "/usr/bin:/bin"},
                                                            {"HOME", "/workspace"},
                                                            {"PYTHONPATH", "/workspace"},
                                                            {"NODE_PATH", "/workspace/node_modules"}};
    auto python = run_as_grader(*sandbox,
                                {"python3", "-c",
                                 "import json, os, sys; print(json.dumps([os.getcwd(), os.environ['HOME'], "
                                 "[p for p in sys.path if p.startswith('/workspace')]]))"},
                                hostile_env);
    CHECK_MESSAGE(python.status == RunStatus::ok, describe(python));
    CHECK(python.stdout_text == "[\"/grader\", \"/grader\", []]\n");
    auto node = run_as_grader(
        *sandbox, {"node", "-e", "try { require('verdict'); } catch (e) { console.log('absent'); }"}, hostile_env);
    CHECK_MESSAGE(node.status == RunStatus::ok, describe(node));
    CHECK(node.stdout_text == "absent\n");

    // The grader reads its files; clearing leaves nothing for the next test.
    auto grader = run_as_grader(*sandbox, {"cat", "expected.txt"});
    CHECK(grader.stdout_text == "the hidden answer\n");
    sandbox->write_file(std::string(kGraderPath) + "/deep/er/file.txt", "x");
    sandbox->clear_grader_files();
    CHECK(!sandbox->file_exists(std::string(kGraderPath) + "/expected.txt"));
    CHECK(!sandbox->file_exists(std::string(kGraderPath) + "/deep"));
    auto empty = run_as_grader(*sandbox, {"ls", "-A"});
    CHECK(empty.stdout_text.empty());
}

TEST_CASE("hardening 2: a FIFO where the program should be does not wedge the sandbox") {
    auto sandbox = make_sandbox();
    const auto cgroups_before = testing::own_sandbox_cgroups();
    for (const std::string plant : {"fifo:a.out", "fifo-link:a.out"}) {
        CAPTURE(plant);
        auto planted = run_test_program(*sandbox, "hostile_fifo", hardening_limits(), {plant});
        REQUIRE_MESSAGE(planted.status == RunStatus::ok, describe(planted));
        REQUIRE(contains(planted.stdout_text, "made"));
        RunRequest next;
        next.argv = {"./a.out"};
        next.stdin_data = std::string();
        next.limits = hardening_limits();
        auto report = sandbox->run(next);
        // Like a shell: the program cannot be executed (exit 127), not a time-out or a dead sandbox.
        CHECK_MESSAGE(report.status == RunStatus::runtime_error, describe(report));
        CHECK(report.exit_code == 127);
        require_alive(*sandbox);
    }
    // Variant: the interpreter's script is a FIFO. The interpreter blocks inside the sandbox, where
    // the wall limit ends it like any other wait; the sandbox goes on.
    auto planted = run_test_program(*sandbox, "hostile_fifo", hardening_limits(), {"fifo:main.sh"});
    REQUIRE(contains(planted.stdout_text, "made"));
    auto limits = hardening_limits();
    limits.wall_time_s = 1.0;
    RunRequest script;
    script.argv = {"/bin/sh", "main.sh"};
    script.stdin_data = std::string();
    script.limits = limits;
    auto report = sandbox->run(script);
    CHECK_MESSAGE(report.status == RunStatus::time_limit, describe(report));
    require_alive(*sandbox);
    sandbox.reset();
    CHECK(testing::descendant_processes().empty());
    CHECK(testing::own_sandbox_cgroups().size() < cgroups_before.size());
}

TEST_CASE("hardening 2: a sandbox whose init is stopped is still destroyed, leaving nothing") {
    auto before_cgroups = testing::own_sandbox_cgroups();
    {
        auto sandbox = make_sandbox();
        require_alive(*sandbox);
        // Nothing a run does should stop init; this stands for whatever might: teardown may not
        // wait for init's cooperation.
        REQUIRE(::kill(sandbox->init_pid(), SIGSTOP) == 0);
    }
    CHECK(testing::descendant_processes().empty());
    CHECK(testing::own_sandbox_cgroups() == before_cgroups);
}

TEST_CASE("hardening 4: System V IPC objects do not pile up across the runs of one sandbox") {
    auto sandbox = make_sandbox();
    // Each run leaves a 40 MiB segment, a queue and a semaphore set under a 64 MiB limit: left in
    // place they would add up to many times the limit; removed after each run, every run starts
    // from nothing and is never short of memory.
    for (int run = 0; run < 5; ++run) {
        CAPTURE(run);
        auto report = run_test_program(*sandbox, "hostile_ipc_leak", hardening_limits(64 * MiB), {"40"});
        CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
        CHECK_MESSAGE(contains(report.stdout_text, "before shm=0 msg=0 sem=0\n"), report.stdout_text);
        // POSIX message queues live outside every cgroup: refused outright.
        CHECK_MESSAGE(contains(report.stdout_text, "left shm=1 msg=1 sem=1 mq=0\n"), report.stdout_text);
        CHECK(report.peak_memory_kb < 64 * 1024);
    }
}

TEST_CASE("hardening 5: files the grader puts in read-only cannot be removed, renamed or replaced") {
    auto sandbox = make_sandbox();
    const std::string original = "original\n";
    REQUIRE_NOTHROW(run_shell(*sandbox, "mkdir mine", hardening_limits()));
    const char* attacks[] = {
        "rm -f top.txt",
        "mv top.txt elsewhere.txt",
        "mv -f other.txt top.txt",
        "rm -rf assets",
        "mv assets assets2 && mkdir assets && echo fake > assets/data.txt",
        "rm -f assets/data.txt && echo fake > assets/data.txt",
        "mv assets/data.txt assets/moved.txt",
        "mv mine theirs && mkdir mine && echo fake > mine/data.txt",
        "echo fake > top.txt",
        "chmod 666 top.txt && echo fake > top.txt",
    };
    for (const std::string attack : attacks) {
        CAPTURE(attack);
        sandbox->write_file("top.txt", original, false, true);
        sandbox->write_file("assets/data.txt", original, false, true);
        sandbox->write_file("mine/data.txt", original, false, true);
        auto report = run_shell(*sandbox, "echo fake > other.txt; " + attack, hardening_limits());
        // The attack fails (the shell says why); the run itself is an ordinary one.
        CHECK_MESSAGE((report.status == RunStatus::runtime_error || report.status == RunStatus::ok), describe(report));
        CHECK(sandbox->read_file("top.txt") == original);
        CHECK(sandbox->read_file("assets/data.txt") == original);
        CHECK(sandbox->read_file("mine/data.txt") == original);
    }
    // The student still writes where it always could, next to them.
    auto ordinary = run_shell(*sandbox,
                              "echo a > new.txt && echo b > assets/new.txt && rm new.txt assets/new.txt && "
                              "echo ok",
                              hardening_limits());
    CHECK(ordinary.stdout_text == "ok\n");
}

TEST_CASE("hardening 7: the host's command line, uids and cgroup paths are not visible inside") {
    auto sandbox = make_sandbox();
    auto report = run_shell(*sandbox,
                            "echo cmdline=$(wc -c < /proc/cmdline); echo timers=$(wc -c < /proc/timer_list); "
                            "echo keys=$(wc -c < /proc/keys); cat /proc/self/cgroup; cat /proc/self/mountinfo",
                            hardening_limits());
    CHECK_MESSAGE(report.status == RunStatus::ok, describe(report));
    const std::string& out = report.stdout_text;
    CHECK_MESSAGE(contains(out, "cmdline=0\n"), out);
    CHECK_MESSAGE(contains(out, "timers=0\n"), out);
    CHECK_MESSAGE(contains(out, "keys=0\n"), out);
    // No tmpfs is mounted with uid=/gid= options, which mountinfo would show as host uids.
    CHECK_MESSAGE(!contains(out, ",uid="), out);
    CHECK_MESSAGE(!contains(out, ",gid="), out);
    // Every cgroup line is the namespace's root, naming nothing of the host (nor our pid).
    std::istringstream lines(out);
    std::string line;
    int cgroup_lines = 0;
    while (std::getline(lines, line)) {
        if (line.find("::/") == std::string::npos && line.find(":/") == std::string::npos) continue;
        if (line.find(' ') != std::string::npos) continue;  // a mountinfo line
        ++cgroup_lines;
        CHECK_MESSAGE(line.ends_with(":/"), line);
        CHECK_MESSAGE(!contains(line, std::to_string(::getpid())), line);
    }
    CHECK(cgroup_lines >= 1);

    // The run's own uid and gid maps are those of a namespace nested in the sandbox's: identities,
    // never the host uids the sandbox's users really are.
    for (const char* map : {"/proc/self/uid_map", "/proc/self/gid_map"}) {
        CAPTURE(map);
        auto read = run_shell(*sandbox, std::string("cat ") + map, hardening_limits());
        REQUIRE_MESSAGE(read.status == RunStatus::ok, describe(read));
        std::istringstream entries(read.stdout_text);
        long inside, outside, count;
        int seen = 0;
        while (entries >> inside >> outside >> count) {
            CHECK_MESSAGE(inside == outside, read.stdout_text);
            CHECK_MESSAGE(outside < 65536, read.stdout_text);
            ++seen;
        }
        CHECK(seen == 3);
    }
    auto id = run_shell(*sandbox, "id -u; id -g", hardening_limits());
    CHECK(id.stdout_text == "1000\n1000\n");
}
