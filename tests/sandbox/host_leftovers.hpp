// What a test process left on the host: descendant processes, cgroups, temporary directories and
// mounts of its sandboxes. Everything is traced by this process's pid, so tests running in
// parallel in other processes do not interfere.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include "sandbox/cgroup.hpp"

namespace testing {

inline std::vector<int> descendant_processes(int ancestor = ::getpid()) {
    std::map<int, int> parent_of;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        auto close = line.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(line.substr(close + 2));
        char state;
        int ppid;
        if (rest >> state >> ppid) parent_of[std::stoi(name)] = ppid;
    }
    std::vector<int> result;
    for (const auto& [pid, ppid] : parent_of) {
        for (int up = ppid, hops = 0; up > 1 && hops < 64; ++hops) {
            if (up == ancestor) {
                result.push_back(pid);
                break;
            }
            auto it = parent_of.find(up);
            if (it == parent_of.end()) break;
            up = it->second;
        }
    }
    return result;
}

// Sandbox cgroups of this process ("ag-<pid>-N") in every hierarchy in use.
inline std::vector<std::string> own_sandbox_cgroups() {
    const auto& layout = autograder::sandbox::CgroupLayout::detect();
    std::set<std::string> parents = {layout.memory.directory, layout.pids.directory, layout.cpu.directory,
                                     layout.unified};
    std::string prefix = "ag-" + std::to_string(::getpid()) + "-";
    std::vector<std::string> result;
    for (const auto& parent : parents) {
        if (parent.empty() || !std::filesystem::is_directory(parent)) continue;
        for (const auto& entry : std::filesystem::directory_iterator(parent))
            if (entry.path().filename().string().rfind(prefix, 0) == 0) result.push_back(entry.path().string());
    }
    return result;
}

inline std::vector<std::string> own_staging_directories() {
    std::string prefix = "autograder-root-" + std::to_string(::getpid()) + "-";
    std::vector<std::string> result;
    for (const auto& entry : std::filesystem::directory_iterator("/tmp"))
        if (entry.path().filename().string().rfind(prefix, 0) == 0) result.push_back(entry.path().string());
    return result;
}

// Host mounts that mention a sandbox staging directory (there must never be any: every sandbox
// mount lives in the sandbox's own mount namespace).
inline std::vector<std::string> sandbox_mounts_on_host() {
    std::ifstream mountinfo("/proc/self/mountinfo");
    std::vector<std::string> result;
    std::string line;
    while (std::getline(mountinfo, line))
        if (line.find("autograder-root-") != std::string::npos) result.push_back(line);
    return result;
}

}  // namespace testing
