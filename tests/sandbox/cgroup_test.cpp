#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

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
    // v2: the supervisor moves init, by pid, into the one cgroup; init has nothing to write.
    CHECK(cgroup.host_join_fds().size() == 1);
    CHECK(cgroup.self_join_fds().empty());

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

TEST_CASE(
    "cgroup join on this host: a single-threaded process that writes 0 to the v1 tasks files is in every cgroup") {
    const auto& layout = CgroupLayout::detect();
    REQUIRE(layout.problems().empty());
    SandboxCgroup cgroup(layout, "autograder-join-test-" + std::to_string(::getpid()));
    const auto self = cgroup.self_join_fds();
    const auto host = cgroup.host_join_fds();
    // Every cgroup made is joined one way or the other.
    CHECK(self.size() + host.size() == cgroup.directories().size());
    for (int fd : self) CHECK(fd >= 0);
    // A child as a sandbox's init is: one thread, writing "0" (itself) to each v1 file, and the
    // supervisor writing its pid to each v2 one.
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(ready[0]);
        char result = 'y';
        for (int fd : self)
            if (::write(fd, "0", 1) != 1) result = 'n';
        (void)!::write(ready[1], &result, 1);
        ::pause();
        ::_exit(0);
    }
    ::close(ready[1]);
    char result = 0;
    CHECK(::read(ready[0], &result, 1) == 1);
    ::close(ready[0]);
    CHECK(result == 'y');
    const std::string pid_text = std::to_string(child);
    for (int fd : host) CHECK(::write(fd, pid_text.data(), pid_text.size()) == static_cast<ssize_t>(pid_text.size()));
    for (const auto& directory : cgroup.directories()) {
        INFO(directory);
        const std::string members = slurp(fs::path(directory) / "cgroup.procs");
        CHECK(members == pid_text + "\n");
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
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
