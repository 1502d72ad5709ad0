// The warm Python interpreter (RunRequest::warm_interpreter, docs/sandbox.md "Warm interpreter"):
// runs forked from it behave as `python3 main.py` started afresh, nothing one run does reaches
// the next, limits hold over the whole process tree of a run, and a run that harms the
// interpreter only costs later runs their speed.
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>

#include "sandbox_fixture.hpp"

using namespace autograder;
using testing::describe;

namespace {

constexpr int64_t MiB = 1 << 20;

struct WarmSandbox {
    std::unique_ptr<Sandbox> sandbox = testing::make_sandbox("python");
    const Language& python = *LanguageTable::defaults().find("python");

    RunReport run(const std::string& input, Limits limits = {}, bool warm = true) {
        RunRequest request;
        request.argv = {"/usr/bin/python3", "main.py", "an argument"};
        request.env = python.env;
        request.stdin_data = input;
        request.limits = limits;
        request.warm_interpreter = warm;
        return sandbox->run(request);
    }
};

// What a run tells about itself: its parent (init is 1; the warm interpreter is another), its
// argv, module name, search path, and whether it sees anything an earlier run left.
constexpr const char* kProbe = R"(import builtins, os, sys
command = sys.stdin.readline().strip()
print("parent", os.getppid())
print("argv", sys.argv)
print("name", __name__, __file__, sys.path[0])
print("clean", not hasattr(builtins, "planted"), "json" not in sys.modules or sys.modules["json"] != "planted",
      os.getcwd() == "/workspace", "PLANTED" not in os.environ, print.__module__ == "builtins")
if command == "plant":
    builtins.planted = True
    sys.modules["json"] = "planted"
    os.getcwd = lambda: "/elsewhere"
    os.environ["PLANTED"] = "1"
    builtins.print = lambda *args, **kwargs: None
elif command == "fail":
    raise ValueError("as asked")
elif command == "exit":
    import atexit
    atexit.register(lambda: print("at exit"))
    sys.stdout.write("unflushed")
    sys.exit(3)
elif command == "kill parent":
    os.kill(os.getppid(), 9)
elif command == "stop parent":
    os.kill(os.getppid(), 19)
elif command == "renice parent":
    os.setpriority(os.PRIO_PROCESS, os.getppid(), 19)
elif command == "limit parent":
    import resource
    resource.prlimit(os.getppid(), resource.RLIMIT_NOFILE, (8, 8))
elif command == "fork bomb":
    while True:
        try:
            os.fork()
        except OSError:
            pass
elif command == "heap bomb":
    blocks = []
    while True:
        blocks.append(bytearray(8 << 20))
elif command == "count":
    print("processes", sum(name.isdigit() for name in os.listdir("/proc")))
elif command == "rewrite":
    with open("main.py", "w") as main:
        main.write("print('rewritten')\n")
)";

std::string parent_of(const RunReport& report) {
    auto at = report.stdout_text.find("parent ");
    if (at == std::string::npos) return {};
    return report.stdout_text.substr(at + 7, report.stdout_text.find('\n', at) - at - 7);
}

constexpr const char* kClean = "clean True True True True True\n";

}  // namespace

TEST_CASE("warm interpreter: runs are forked from it, each as `python3 main.py` would run") {
    WarmSandbox warm;
    warm.sandbox->write_file("main.py", kProbe);
    auto first = warm.run("");
    REQUIRE_MESSAGE(first.status == RunStatus::ok, describe(first));
    CHECK(parent_of(first) != "1");  // forked from the warm interpreter, not started by init
    CHECK(first.stdout_text.find("argv ['main.py', 'an argument']\n") != std::string::npos);
    CHECK(first.stdout_text.find("name __main__ /workspace/main.py /workspace\n") != std::string::npos);
    CHECK(first.stdout_text.find(kClean) != std::string::npos);
    auto second = warm.run("");
    REQUIRE_MESSAGE(second.status == RunStatus::ok, describe(second));
    CHECK(parent_of(second) == parent_of(first));  // the same interpreter
    // Without the flag, init starts the program.
    auto cold = warm.run("", {}, false);
    CHECK(parent_of(cold) == "1");
    // An uncaught exception: the traceback of `python3 main.py` (no frame of the interpreter's
    // own program), exit code 1.
    auto failed = warm.run("fail");
    CHECK(parent_of(failed) == parent_of(first));
    CHECK(failed.status == RunStatus::runtime_error);
    CHECK(failed.exit_code == 1);
    CHECK(failed.stderr_text.starts_with("Traceback (most recent call last):\n  File \"/workspace/main.py\""));
    CHECK(failed.stderr_text.ends_with("ValueError: as asked\n"));
    CHECK(failed.stderr_text.find("<string>") == std::string::npos);
    // sys.exit: its status, atexit functions run, output flushed.
    auto exited = warm.run("exit");
    CHECK(exited.exit_code == 3);
    CHECK(exited.stdout_text.ends_with("unflushedat exit\n"));
}

TEST_CASE("warm interpreter: nothing one run does reaches the next") {
    WarmSandbox warm;
    warm.sandbox->write_file("main.py", kProbe);
    auto planted = warm.run("plant");
    REQUIRE_MESSAGE(planted.status == RunStatus::ok, describe(planted));
    auto after = warm.run("");
    REQUIRE_MESSAGE(after.status == RunStatus::ok, describe(after));
    CHECK(parent_of(after) == parent_of(planted));
    CHECK_MESSAGE(after.stdout_text.find(kClean) != std::string::npos, after.stdout_text);
    // A run that rewrites the main file: the next runs what is there now, as python3 would.
    REQUIRE(warm.run("rewrite").status == RunStatus::ok);
    auto rewritten = warm.run("");
    CHECK(rewritten.stdout_text == "rewritten\n");
}

TEST_CASE("warm interpreter: a fork bomb and a heap bomb are contained as in any run") {
    WarmSandbox warm;
    warm.sandbox->write_file("main.py", kProbe);
    auto first = warm.run("");
    REQUIRE(first.status == RunStatus::ok);
    Limits limits;
    limits.cpu_time_s = 1;
    limits.wall_time_s = 2;
    limits.processes = 12;
    auto bomb = warm.run("fork bomb", limits);
    CHECK_MESSAGE(bomb.status == RunStatus::time_limit, describe(bomb));
    limits = Limits{};
    limits.memory_bytes = 64 * MiB;
    auto heap = warm.run("heap bomb", limits);
    CHECK_MESSAGE(heap.status == RunStatus::memory_limit, describe(heap));
    // Nothing of them is left (a run sees only its own processes in /proc: init is root's, the
    // warm interpreter is not dumpable), and the warm interpreter serves on.
    auto count = warm.run("count");
    REQUIRE_MESSAGE(count.status == RunStatus::ok, describe(count));
    CHECK(parent_of(count) == parent_of(first));
    CHECK_MESSAGE(count.stdout_text.find("processes 1\n") != std::string::npos, count.stdout_text);
    CHECK(count.stdout_text.find(kClean) != std::string::npos);
}

TEST_CASE("warm interpreter: a run that harms it costs later runs their speed, never their result") {
    for (const char* harm : {"kill parent", "stop parent", "renice parent", "limit parent"}) {
        CAPTURE(harm);
        WarmSandbox warm;
        warm.sandbox->write_file("main.py", kProbe);
        auto first = warm.run("");
        REQUIRE(parent_of(first) != "1");
        Limits limits;
        limits.wall_time_s = 3;
        warm.run(harm, limits);
        auto next = warm.run("count");
        REQUIRE_MESSAGE(next.status == RunStatus::ok, describe(next));
        CHECK(next.stdout_text.find(kClean) != std::string::npos);
        // A stopped interpreter is continued and serves on; one killed, reniced or limited is
        // gone, and the next run starts a new one.
        if (std::string(harm) == "stop parent")
            CHECK(parent_of(next) == parent_of(first));
        else
            CHECK(parent_of(next) != parent_of(first));
    }
}

TEST_CASE("warm interpreter: one that keeps being ended is not started again") {
    WarmSandbox warm;
    warm.sandbox->write_file("main.py", kProbe);
    std::string parent;
    for (int i = 0; i < 4; ++i) parent = parent_of(warm.run("kill parent"));
    CHECK(parent != "1");
    auto next = warm.run("");
    REQUIRE_MESSAGE(next.status == RunStatus::ok, describe(next));
    CHECK(parent_of(next) == "1");
    CHECK(next.stdout_text.find(kClean) != std::string::npos);
}

TEST_CASE("warm interpreter: a main file that does not compile runs as usual") {
    WarmSandbox warm;
    warm.sandbox->write_file("main.py", "print('unclosed'\n");
    auto report = warm.run("");
    CHECK(report.status == RunStatus::runtime_error);
    CHECK(report.exit_code == 1);
    CHECK_MESSAGE(report.stderr_text.find("SyntaxError") != std::string::npos, describe(report));
    CHECK(report.stderr_text.find("/workspace/main.py") != std::string::npos);
}

TEST_CASE("warm interpreter: opt-in per language in the table, Python only") {
    CHECK_FALSE(LanguageTable::defaults().find("python")->warm_interpreter);
    auto table = LanguageTable::from_json(nlohmann::json::parse(
        R"({"languages": {"python": {"extension": ".py", "run": ["/usr/bin/python3", "{main}"], "warm_interpreter": true}}})"));
    CHECK(table.find("python")->warm_interpreter);
    try {
        LanguageTable::from_json(nlohmann::json::parse(
            R"({"languages": {"js": {"extension": ".js", "run": ["/usr/bin/node", "{main}"], "warm_interpreter": true}}})"));
        FAIL("a warm interpreter for node was accepted");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()).find("languages.js.warm_interpreter") != std::string::npos);
    }
}
