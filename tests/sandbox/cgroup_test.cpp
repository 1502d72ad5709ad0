#include <filesystem>
#include <fstream>
#include <thread>

#include <doctest/doctest.h>
#include <unistd.h>

#include "autograder/sandbox.hpp"
#include "sandbox/cgroup.hpp"

namespace fs = std::filesystem;
using autograder::sandbox::CgroupLayout;
using autograder::sandbox::CgroupVersion;
using autograder::sandbox::SandboxCgroup;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream file(path);
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    return text;
}

void put(const fs::path& path, const std::string& text) {
    std::ofstream(path) << text;
}

// A directory laid out like a cgroup v2 hierarchy: the parent and one sandbox cgroup with the
// files the kernel would make.
struct FakeCgroupV2 {
    fs::path root = fs::temp_directory_path() / ("fake-cgroup-" + std::to_string(::getpid()));
    fs::path parent = root / "autograder";
    fs::path cgroup = parent / "sandbox-1";
    FakeCgroupV2() {
        fs::create_directories(cgroup);
        put(root / "cgroup.subtree_control", "");
        put(parent / "cgroup.subtree_control", "");
        put(cgroup / "cgroup.procs", "");
        put(cgroup / "cgroup.kill", "");
        put(cgroup / "memory.max", "");
        put(cgroup / "memory.swap.max", "");
        put(cgroup / "memory.peak", "0\n");
        put(cgroup / "memory.current", "1048576\n");  // 1 MiB left by an earlier run (tmpfs)
        put(cgroup / "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
        put(cgroup / "pids.max", "");
        put(cgroup / "pids.events", "max 0\n");
        put(cgroup / "cpu.stat", "usage_usec 1000\nuser_usec 600\nsystem_usec 400\n");
    }
    ~FakeCgroupV2() { fs::remove_all(root); }
    CgroupLayout layout() const {
        CgroupLayout l;
        l.memory = l.pids = l.cpu = {CgroupVersion::v2, parent.string()};
        return l;
    }
};

}  // namespace

TEST_CASE("cgroup v2 logic against a fake cgroupfs: limits written, counters as deltas") {
    FakeCgroupV2 fake;
    auto layout = fake.layout();
    SandboxCgroup cgroup(layout, "sandbox-1");
    CHECK(cgroup.directories() == std::vector<std::string>{fake.cgroup.string()});
    CHECK(cgroup.procs_fds().size() == 1);

    cgroup.prepare_run({64LL << 20, 17});
    // The run gets its whole limit on top of what earlier runs left charged.
    CHECK(slurp(fake.cgroup / "memory.max") == std::to_string((64LL << 20) + (1 << 20)));
    CHECK(slurp(fake.cgroup / "memory.swap.max") == "0");
    CHECK(slurp(fake.cgroup / "pids.max") == "17");

    // The run: 2.5 ms more CPU, an OOM kill, a refused fork, a peak of 5 MiB.
    put(fake.cgroup / "cpu.stat", "usage_usec 3500\nuser_usec 2000\nsystem_usec 1500\n");
    put(fake.cgroup / "memory.events", "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n");
    put(fake.cgroup / "pids.events", "max 1\n");
    put(fake.cgroup / "memory.peak", std::to_string(5 << 20) + "\n");
    auto usage = cgroup.usage();
    CHECK(usage.cpu_ns == 2500 * 1000);
    CHECK(usage.oom_kills == 1);
    CHECK(usage.memory_limit_hit);
    CHECK(usage.pids_limit_hits == 1);
    CHECK(usage.peak_memory_bytes == (4 << 20));  // the 5 MiB peak less the 1 MiB left before

    // The next run starts from the current counters.
    cgroup.prepare_run({32LL << 20, 8});
    auto next = cgroup.usage();
    CHECK(next.cpu_ns == 0);
    CHECK(next.oom_kills == 0);
    CHECK_FALSE(next.memory_limit_hit);
    CHECK(next.pids_limit_hits == 0);
    CHECK(slurp(fake.cgroup / "memory.max") == std::to_string((32LL << 20) + (1 << 20)));
}

TEST_CASE("migration head start: a thread moves itself into the v1 cgroup the process is in, not the sandbox's") {
    // Laid out like a v1 hierarchy: "<our cgroup>/autograder" is where sandboxes would go.
    const fs::path own = fs::temp_directory_path() / ("fake-cgroup-v1-" + std::to_string(::getpid()));
    fs::create_directories(own / "autograder");
    put(own / "tasks", "");
    CgroupLayout layout;
    layout.memory = layout.pids = layout.cpu = {CgroupVersion::v1, (own / "autograder").string()};
    { autograder::sandbox::MigrationHeadStart head_start(layout); }  // joined on destruction
    const std::string written = slurp(own / "tasks");
    CHECK_FALSE(written.empty());
    CHECK(written.find_first_not_of("0123456789") == std::string::npos);  // one thread id
    CHECK(std::stol(written) != ::getpid());                              // its own thread's, not the process's
    CHECK_FALSE(fs::exists(own / "autograder" / "tasks"));
    fs::remove_all(own);

    // v2 only: nothing to start (a v2 move into a cgroup without controllers is never made).
    FakeCgroupV2 fake;
    { autograder::sandbox::MigrationHeadStart head_start(fake.layout()); }
    CHECK_FALSE(fs::exists(fake.root / "tasks"));
    CHECK_FALSE(fs::exists(fake.parent / "tasks"));
}

TEST_CASE("migration head start: the work given for afterwards is done on its own thread, v1 or v2") {
    FakeCgroupV2 fake;
    std::thread::id done_on;
    {
        autograder::sandbox::MigrationHeadStart head_start(fake.layout(),
                                                           [&] { done_on = std::this_thread::get_id(); });
    }
    CHECK(done_on != std::thread::id());  // done, and joined on destruction
    CHECK(done_on != std::this_thread::get_id());
    CHECK_FALSE(fs::exists(fake.parent / "tasks"));
}

TEST_CASE("cgroup layout of this host: every resource found, sandbox cgroups made and removed") {
    const auto& layout = CgroupLayout::detect();
    INFO("memory " << static_cast<int>(layout.memory.version) << " pids " << static_cast<int>(layout.pids.version)
                   << " cpu " << static_cast<int>(layout.cpu.version));
    REQUIRE(layout.problems().empty());
    std::vector<std::string> made;
    {
        SandboxCgroup cgroup(layout, "autograder-test-" + std::to_string(::getpid()));
        made = cgroup.directories();
        REQUIRE_FALSE(made.empty());
        for (const auto& directory : made) CHECK(fs::is_directory(directory));
        cgroup.prepare_run({128LL << 20, 10});
        CHECK(cgroup.cpu_ns() == 0);
        auto usage = cgroup.usage();
        CHECK(usage.oom_kills == 0);
        CHECK(usage.peak_memory_bytes >= 0);
        // No cgroup in the unified hierarchy unless a resource uses it: joining one that carries
        // no controller would cost a migration and buy nothing.
        bool uses_v2 = layout.memory.version == CgroupVersion::v2 || layout.pids.version == CgroupVersion::v2 ||
                       layout.cpu.version == CgroupVersion::v2;
        if (!layout.unified.empty() && !uses_v2)
            for (const auto& directory : made) CHECK(directory.rfind(layout.unified, 0) != 0);
    }
    for (const auto& directory : made) CHECK_FALSE(fs::exists(directory));
}

TEST_CASE("host support names what is missing") {
    auto support = autograder::detect_host_support();
    CHECK(support.user_namespaces);
    CHECK_FALSE(support.cgroup_memory.empty());
    CHECK_FALSE(support.cgroup_pids.empty());
    CHECK_FALSE(support.cgroup_cpu.empty());
    CHECK(support.problems.empty());
}
