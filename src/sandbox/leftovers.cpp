#include "leftovers.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <set>
#include <string_view>
#include <system_error>

#include <sys/stat.h>
#include <unistd.h>

namespace autograder::sandbox {

namespace {

constexpr time_t kMinimumAgeSeconds = 60;

// The pid in "<prefix><pid>-...", or 0 when the name is not one of ours.
pid_t owner_of(std::string_view name, std::string_view prefix) {
    if (name.substr(0, prefix.size()) != prefix) return 0;
    name.remove_prefix(prefix.size());
    auto dash = name.find('-');
    if (dash == 0 || dash == std::string_view::npos || dash > 9) return 0;
    pid_t pid = 0;
    for (char c : name.substr(0, dash)) {
        if (c < '0' || c > '9') return 0;
        pid = pid * 10 + (c - '0');
    }
    return pid;
}

bool has_ended(pid_t pid) {
    return pid > 0 && pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH;
}

int remove_in(const std::string& parent, std::string_view prefix) {
    int removed = 0;
    std::error_code error;
    std::filesystem::directory_iterator entries(parent, error);
    if (error) return 0;
    const time_t now = ::time(nullptr);
    for (const auto& entry : entries) {
        const std::string path = entry.path().string();
        struct stat info;
        // lstat: a symbolic link planted in /tmp under our name is not followed, and not removed.
        if (!has_ended(owner_of(entry.path().filename().string(), prefix)) || ::lstat(path.c_str(), &info) != 0 ||
            !S_ISDIR(info.st_mode) || now - info.st_mtime < kMinimumAgeSeconds)
            continue;
        if (::rmdir(path.c_str()) == 0) ++removed;
    }
    return removed;
}

}  // namespace

int remove_leftovers_of_ended_processes(const CgroupLayout& layout, const std::string& staging_parent) {
    std::set<std::string> parents;
    for (const auto* h : {&layout.memory, &layout.pids, &layout.cpu})
        if (h->version != CgroupVersion::none) parents.insert(h->directory);
    if (!layout.unified.empty()) parents.insert(layout.unified);
    int removed = 0;
    for (const auto& parent : parents) removed += remove_in(parent, kSandboxCgroupPrefix);
    return removed + remove_in(staging_parent, kStagingDirectoryPrefix);
}

std::jthread remove_leftovers_of_ended_processes_in_background_once() {
    static std::atomic<bool> started{false};
    if (started.exchange(true)) return {};
    try {
        return std::jthread([] { remove_leftovers_of_ended_processes(CgroupLayout::detect()); });
    } catch (const std::system_error&) {
        started = false;  // no thread to spare now: at a later sandbox
        return {};
    }
}

}  // namespace autograder::sandbox
