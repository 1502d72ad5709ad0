#include <filesystem>
#include <string>

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/leftovers.hpp"

namespace fs = std::filesystem;
using autograder::sandbox::CgroupLayout;

namespace {

// The pid of a child that has ended and been reaped: no process has it (until the kernel hands it
// out again, which takes a full turn of the pid space).
pid_t pid_of_an_ended_process() {
    pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    REQUIRE(child > 0);
    int status;
    REQUIRE(::waitpid(child, &status, 0) == child);
    return child;
}

void make_old(const std::string& path) {
    const timespec two_minutes_ago[2] = {{::time(nullptr) - 120, 0}, {::time(nullptr) - 120, 0}};
    REQUIRE(::utimensat(AT_FDCWD, path.c_str(), two_minutes_ago, AT_SYMLINK_NOFOLLOW) == 0);
}

}  // namespace

TEST_CASE("leftovers: the cgroups and staging directories of an ended process are removed, no others") {
    const auto& layout = CgroupLayout::detect();
    REQUIRE(layout.problems().empty());
    const std::string parent = layout.pids.directory;
    fs::create_directories(parent);
    const fs::path staging = fs::temp_directory_path() / ("leftovers-test-" + std::to_string(::getpid()));
    fs::create_directories(staging);

    const std::string dead = std::to_string(pid_of_an_ended_process());
    const std::string self = std::to_string(::getpid());
    // Real cgroups (mkdir in the cgroup filesystem), as a SIGKILLed host leaves them.
    const std::string dead_old = parent + "/ag-" + dead + "-0";
    const std::string dead_young = parent + "/ag-" + dead + "-1";
    const std::string alive_old = parent + "/ag-" + self + "-999999";
    const std::string staging_dead = (staging / ("autograder-root-" + dead + "-abcdef")).string();
    const std::string staging_alive = (staging / ("autograder-root-" + self + "-abcdef")).string();
    const std::string staging_link = (staging / ("autograder-root-" + dead + "-link")).string();
    const std::string staging_full = (staging / ("autograder-root-" + dead + "-full")).string();
    for (const auto& d : {dead_old, dead_young, alive_old, staging_dead, staging_alive, staging_full})
        REQUIRE(::mkdir(d.c_str(), 0755) == 0);
    REQUIRE(::symlink(staging_alive.c_str(), staging_link.c_str()) == 0);
    { REQUIRE(::close(::open((staging_full + "/kept").c_str(), O_CREAT | O_WRONLY, 0600)) == 0); }
    for (const auto& d : {dead_old, alive_old, staging_dead, staging_alive, staging_link, staging_full}) make_old(d);

    const int removed = autograder::sandbox::remove_leftovers_of_ended_processes(layout, staging.string());

    CHECK_FALSE(fs::exists(dead_old));
    CHECK_FALSE(fs::exists(staging_dead));
    CHECK(fs::exists(dead_young));  // made less than a minute ago: perhaps being made right now
    CHECK(fs::exists(alive_old));   // its process runs
    CHECK(fs::exists(staging_alive));
    CHECK(fs::is_symlink(staging_link));        // never followed, never removed
    CHECK(fs::exists(staging_full + "/kept"));  // only empty directories go
    CHECK(removed >= 2);

    for (const auto& d : {dead_young, alive_old}) ::rmdir(d.c_str());
    fs::remove_all(staging);
}
