#include <atomic>
#include <cerrno>
#include <thread>

#include <sys/resource.h>

#include <doctest/doctest.h>

#include "autograder/sandbox_pool.hpp"
#include "host_leftovers.hpp"
#include "sandbox_fixture.hpp"

using namespace autograder;
using namespace std::chrono_literals;

namespace {

SandboxPoolOptions small_pool(int size, int max_total = 32) {
    SandboxPoolOptions options;
    options.default_size = size;
    options.max_total = max_total;
    return options;
}

}  // namespace

TEST_CASE("pool: sandboxes are warm before they are asked for, and replaced after use") {
    auto options = small_pool(2);
    options.warm_languages = {"python"};
    SandboxPool pool(options);
    // Warm-up happens in the background; the first acquire may wait for it, never fail.
    {
        auto lease = pool.acquire("python", 30s);
        REQUIRE(lease);
        CHECK(lease.language() == "python");
        auto report = testing::run_shell(*lease, "echo warm");
        CHECK(report.stdout_text == "warm\n");
    }
    // The used sandbox is destroyed and replaced: the pool returns to two idle ones.
    REQUIRE(pool.wait_until_ready(60s));
    auto stats = pool.stats();
    CHECK(stats.idle == 2);
    CHECK(stats.active == 0);
    CHECK(stats.created >= 3);
    CHECK(stats.destroyed >= 1);
    CHECK(pool.acquire("node", 30s).language() == "javascript");  // aliases resolve
}

TEST_CASE("pool: sandboxes are made at a low priority, their runs get the host's") {
    SandboxPool pool(small_pool(1));
    auto lease = pool.acquire("python", 30s);
    errno = 0;
    const int own = ::getpriority(PRIO_PROCESS, 0);
    REQUIRE(errno == 0);
    // The run's niceness, from its own /proc (field 19 of stat).
    auto report = testing::run_shell(*lease, "read -r a < /proc/self/stat; set -- ${a##*) }; echo ${17}");
    REQUIRE(report.status == RunStatus::ok);
    CHECK(report.stdout_text == std::to_string(own) + "\n");
}

TEST_CASE("pool: a sandbox is never handed to two submissions") {
    SandboxPool pool(small_pool(1));
    auto first = pool.acquire("c", 30s);
    first->write_file("secret.txt", "first submission");
    first.release();
    auto second = pool.acquire("c", 30s);
    CHECK_FALSE(second->file_exists("secret.txt"));
}

TEST_CASE("pool: acquire waits when all are busy, then times out with a clear error") {
    SandboxPool pool(small_pool(1, 1));
    auto held = pool.acquire("c", 30s);
    try {
        pool.acquire("c", 200ms);
        FAIL("acquire should have timed out");
    } catch (const SandboxError& e) {
        CHECK(std::string(e.what()).find("no 'c' sandbox free within 200 ms") != std::string::npos);
    }
    // Once the held one goes back, a waiting acquire gets the replacement (with max_total 1 it
    // must wait for the old one to be destroyed and a new one made).
    std::thread returner([&] { held.release(); });
    auto next = pool.acquire("c", 30s);
    returner.join();
    CHECK(next);
    auto stats = pool.stats();
    CHECK(stats.waits >= 2);
    CHECK(stats.wait_time_ms > 0);
}

TEST_CASE("pool: unknown languages and bad sizes are refused") {
    SandboxPool pool(small_pool(0));
    CHECK_THROWS_WITH_AS(pool.acquire("cobol"), doctest::Contains("unknown language 'cobol'"), SandboxError);
    auto options = small_pool(1);
    options.size_per_language["cobol"] = 1;
    CHECK_THROWS_AS(SandboxPool{options}, SandboxError);
    // Size 0 still serves on demand.
    CHECK(pool.acquire("python", 30s));
}

TEST_CASE("pool: 32 concurrent runs, hostile and ordinary, all correct, nothing left behind") {
    auto mounts_before = testing::sandbox_mounts_on_host();
    // Sandboxes that other tests of this process keep warm are not this test's leftovers.
    auto processes_before = testing::descendant_processes();
    auto cgroups_before = testing::own_sandbox_cgroups();
    {
        auto options = small_pool(4);
        options.warm_languages = {"c", "python"};
        SandboxPool pool(options);
        std::atomic<int> correct{0};
        std::vector<std::string> failures(32);
        std::vector<std::thread> threads;
        for (int i = 0; i < 32; ++i) {
            threads.emplace_back([&, i] {
                try {
                    Limits limits;
                    limits.cpu_time_s = 1;
                    limits.wall_time_s = 60;  // generous: 2 cores, 32 runs; never the verdict here
                    limits.memory_bytes = 64LL << 20;
                    limits.processes = 16;
                    limits.output_bytes = 64 << 10;
                    auto lease = pool.acquire(i % 2 ? "python" : "c", 120s);
                    RunReport report;
                    RunStatus expected = RunStatus::ok;
                    std::string expected_out;
                    switch (i % 8) {
                        case 0:  // CPU burn
                            report = testing::run_shell(*lease, "while :; do :; done", limits);
                            expected = RunStatus::time_limit;
                            break;
                        case 1:  // heap bomb
                            report = testing::run_shell(*lease, "exec python3 -c 'x = bytearray(200 << 20)'", limits);
                            expected = RunStatus::memory_limit;
                            break;
                        case 2:  // output flood
                            report = testing::run_shell(*lease, "exec yes", limits);
                            expected = RunStatus::output_limit;
                            break;
                        case 3:  // fork bomb: capped; the shell loops until the CPU limit
                            // The bomb runs in a subshell: once it has used up the process cap, a
                            // fork of the looping shell itself would fail too ("Cannot fork", exit
                            // 2), which depends on who forks first, not on the sandbox.
                            report = testing::run_shell(*lease, "(f() { f | f & }; f) 2>/dev/null; while :; do :; done",
                                                        limits);
                            expected = RunStatus::time_limit;
                            break;
                        default: {  // ordinary: compute and print
                            int n = 1000 + i;
                            report = testing::run_shell(
                                *lease, "exec python3 -c 'import sys; print(sum(range(int(sys.stdin.read()))))'",
                                limits, std::to_string(n));
                            expected_out = std::to_string(static_cast<long>(n) * (n - 1) / 2) + "\n";
                        }
                    }
                    bool ok = report.status == expected && (expected_out.empty() || report.stdout_text == expected_out);
                    if (ok)
                        ++correct;
                    else
                        failures[i] = testing::describe(report);
                } catch (const std::exception& e) {
                    failures[i] = e.what();
                }
            });
        }
        for (auto& t : threads) t.join();
        for (int i = 0; i < 32; ++i) CHECK_MESSAGE(failures[i].empty(), "run " << i << ": " << failures[i]);
        CHECK(correct == 32);
    }
    // The pool is gone: no process, cgroup, temporary directory or mount of ours remains.
    CHECK(testing::descendant_processes() == processes_before);
    CHECK(testing::own_sandbox_cgroups() == cgroups_before);
    CHECK(testing::own_staging_directories().empty());
    CHECK(testing::sandbox_mounts_on_host() == mounts_before);
}
