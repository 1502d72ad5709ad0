#include "cgroup.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <csignal>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "autograder/sandbox.hpp"

namespace autograder::sandbox {
namespace {

constexpr const char* kParentName = "autograder";

struct MountedHierarchy {
    CgroupVersion version;
    std::string mount_point;
    std::vector<std::string> controllers;  // v1: from the super options; v2: cgroup.controllers
    std::string own_path;                  // this process's cgroup in that hierarchy
};

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream stream(text);
    while (std::getline(stream, part, separator))
        if (!part.empty()) parts.push_back(part);
    return parts;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    for (const auto& entry : list)
        if (entry == item) return true;
    return false;
}

std::vector<MountedHierarchy> mounted_hierarchies() {
    // /proc/self/cgroup: "id:controller,controller:/path" (v1) and "0::/path" (v2).
    std::vector<std::pair<std::vector<std::string>, std::string>> memberships;
    std::string unified_path;
    {
        std::ifstream cgroup_file("/proc/self/cgroup");
        std::string line;
        while (std::getline(cgroup_file, line)) {
            auto first = line.find(':');
            auto second = line.find(':', first + 1);
            if (first == std::string::npos || second == std::string::npos) continue;
            auto controllers = line.substr(first + 1, second - first - 1);
            auto path = line.substr(second + 1);
            if (controllers.empty())
                unified_path = path;
            else
                memberships.emplace_back(split(controllers, ','), path);
        }
    }
    std::vector<MountedHierarchy> result;
    std::ifstream mountinfo("/proc/self/mountinfo");
    std::string line;
    while (std::getline(mountinfo, line)) {
        // "id parent major:minor root mount_point options ... - fstype source super_options"
        auto fields_end = line.find(" - ");
        if (fields_end == std::string::npos) continue;
        auto fields = split(line.substr(0, fields_end), ' ');
        auto tail = split(line.substr(fields_end + 3), ' ');
        if (fields.size() < 5 || tail.size() < 3) continue;
        const auto& fstype = tail[0];
        if (fstype == "cgroup2") {
            MountedHierarchy h{CgroupVersion::v2, fields[4], {}, unified_path};
            std::ifstream controllers(fields[4] + "/cgroup.controllers");
            std::string name;
            while (controllers >> name) h.controllers.push_back(name);
            result.push_back(std::move(h));
        } else if (fstype == "cgroup") {
            auto options = split(tail[2], ',');
            for (const auto& [controllers, path] : memberships) {
                bool all_present = true;
                for (const auto& c : controllers)
                    if (c.rfind("name=", 0) != 0 && !contains(options, c)) all_present = false;
                if (all_present && !controllers.empty() && contains(options, controllers[0])) {
                    result.push_back({CgroupVersion::v1, fields[4], options, path});
                    break;
                }
            }
        }
    }
    return result;
}

CgroupLayout::Hierarchy place(const MountedHierarchy& h) {
    if (h.version == CgroupVersion::v2) {
        // v2 forbids processes in inner cgroups that distribute controllers, so sandboxes go
        // under a dedicated top-level cgroup unless the host names another (delegated) parent.
        const char* parent = std::getenv("AUTOGRADER_CGROUP_V2_PARENT");
        return {CgroupVersion::v2, parent && *parent ? std::string(parent) : h.mount_point + "/" + kParentName};
    }
    // v1 has no such rule: nest under our own cgroup, so the host's limits on us still hold.
    std::string own = h.own_path == "/" ? std::string() : h.own_path;
    return {CgroupVersion::v1, h.mount_point + own + "/" + kParentName};
}

CgroupLayout detect_layout() {
    CgroupLayout layout;
    auto hierarchies = mounted_hierarchies();
    const MountedHierarchy* unified = nullptr;
    for (const auto& h : hierarchies)
        if (h.version == CgroupVersion::v2) unified = &h;
    auto find_v1 = [&](const std::string& controller) -> const MountedHierarchy* {
        for (const auto& h : hierarchies)
            if (h.version == CgroupVersion::v1 && contains(h.controllers, controller)) return &h;
        return nullptr;
    };
    auto choose = [&](const std::string& v2_name, const std::string& v1_name) {
        if (unified && contains(unified->controllers, v2_name)) return place(*unified);
        if (auto* v1 = find_v1(v1_name)) return place(*v1);
        return CgroupLayout::Hierarchy{};
    };
    layout.memory = choose("memory", "memory");
    layout.pids = choose("pids", "pids");
    layout.cpu = choose("cpu", "cpuacct");
    if (unified) {
        layout.unified = place(*unified).directory;
        // cpu.stat exists in every v2 cgroup, controller or not: the fallback for CPU time.
        if (layout.cpu.version == CgroupVersion::none) layout.cpu = place(*unified);
    }
    return layout;
}

std::optional<int64_t> read_number(const std::string& path) {
    std::ifstream file(path);
    std::string text;
    if (!(file >> text)) return std::nullopt;
    if (text == "max") return INT64_MAX;
    try {
        return std::stoll(text);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void make_directory(const std::string& path) {
    if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
        throw SandboxError(errno_message("cannot create cgroup " + path) +
                           " (the sandbox needs root to manage cgroups)");
}

void enable_v2_controllers(const std::string& directory) {
    // Best effort: controllers the host does not have are simply not enabled.
    for (const char* controller : {"+memory", "+pids", "+cpu"}) try {
            try_write_small_file(directory + "/cgroup.subtree_control", controller);
        } catch (const SandboxError&) {
        }
}

}  // namespace

const CgroupLayout& CgroupLayout::detect() {
    // Never destroyed: a pool's worker may still make a sandbox while static objects are being
    // destroyed at exit.
    static const CgroupLayout* layout = new CgroupLayout(detect_layout());
    return *layout;
}

std::vector<std::string> CgroupLayout::problems() const {
    std::vector<std::string> result;
    if (memory.version == CgroupVersion::none)
        result.push_back(
            "no cgroup memory controller: mount cgroup v2 with the memory controller enabled "
            "(cgroup_enable=memory) or a cgroup v1 memory hierarchy at /sys/fs/cgroup/memory");
    if (pids.version == CgroupVersion::none)
        result.push_back(
            "no cgroup pids controller: enable it in cgroup v2 or mount a v1 pids hierarchy at "
            "/sys/fs/cgroup/pids");
    if (cpu.version == CgroupVersion::none)
        result.push_back(
            "no cgroup CPU accounting: mount cgroup v2 or a v1 cpuacct hierarchy at "
            "/sys/fs/cgroup/cpuacct");
    return result;
}

std::optional<int64_t> read_keyed_value(const std::string& path, const std::string& key) {
    std::ifstream file(path);
    std::string name;
    int64_t value = 0;
    while (file >> name >> value)
        if (name == key) return value;
    return std::nullopt;
}

SandboxCgroup::SandboxCgroup(const CgroupLayout& layout, const std::string& name) : layout_(layout) {
    auto problems = layout.problems();
    if (!problems.empty()) throw SandboxError("cannot limit sandboxes on this host: " + problems[0]);
    members_.reserve(4);
    auto join = [&](const CgroupLayout::Hierarchy& h) -> const Member* {
        for (const auto& m : members_)
            if (m.directory == h.directory + "/" + name) return &m;
        make_directory(h.directory);
        if (h.version == CgroupVersion::v2) {
            auto slash = h.directory.rfind('/');
            enable_v2_controllers(h.directory.substr(0, slash));
            enable_v2_controllers(h.directory);
        }
        std::string directory = h.directory + "/" + name;
        if (::mkdir(directory.c_str(), 0755) != 0) {
            // Another process may have removed the shared parent just now: make it again.
            if (errno == ENOENT) make_directory(h.directory);
            make_directory(directory);
        }
        Member member{h.version, directory, FileDescriptor()};
        member.procs.reset(::open((directory + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC));
        if (!member.procs) {
            auto message = errno_message("cannot open " + directory + "/cgroup.procs");
            ::rmdir(directory.c_str());
            throw SandboxError(message);
        }
        members_.push_back(std::move(member));
        return &members_.back();
    };
    try {
        memory_ = join(layout.memory);
        pids_ = join(layout.pids);
        cpu_ = join(layout.cpu);
        if (!layout.unified.empty()) join({CgroupVersion::v2, layout.unified});
        if (memory_->version == CgroupVersion::v2) {
            memory_peak_.reset(::open((memory_->directory + "/memory.peak").c_str(), O_RDWR | O_CLOEXEC));
        }
    } catch (...) {
        remove();
        throw;
    }
}

SandboxCgroup::~SandboxCgroup() {
    remove();
}

std::vector<int> SandboxCgroup::procs_fds() const {
    std::vector<int> fds;
    for (const auto& m : members_) fds.push_back(m.procs.get());
    return fds;
}

std::vector<std::string> SandboxCgroup::directories() const {
    std::vector<std::string> result;
    for (const auto& m : members_) result.push_back(m.directory);
    return result;
}

void SandboxCgroup::kill_all() const {
    bool has_v2 = false;
    for (const auto& m : members_)
        if (m.version == CgroupVersion::v2) {
            has_v2 = true;
            try {
                try_write_small_file(m.directory + "/cgroup.kill", "1");
            } catch (const SandboxError&) {
                has_v2 = false;  // a kernel before 5.14: fall back to killing each process
            }
            break;
        }
    if (has_v2) return;
    for (int pass = 0; pass < 8; ++pass) {
        bool found = false;
        for (const auto& m : members_) {
            std::ifstream procs(m.directory + "/cgroup.procs");
            long pid;
            while (procs >> pid)
                if (pid > 1) {
                    ::kill(static_cast<pid_t>(pid), SIGKILL);
                    found = true;
                }
        }
        if (!found) return;
    }
}

void SandboxCgroup::remove() {
    for (auto it = members_.rbegin(); it != members_.rend(); ++it) {
        it->procs.reset();
        if (it->version == CgroupVersion::v2) try {
                try_write_small_file(it->directory + "/cgroup.kill", "1");
            } catch (const SandboxError&) {
            }
        // A process that has just been killed leaves its cgroup a moment later.
        for (int attempt = 0; attempt < 200; ++attempt) {
            if (::rmdir(it->directory.c_str()) == 0 || errno == ENOENT) break;
            if (errno != EBUSY) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        // The shared parent goes too once the last sandbox of any process is gone.
        auto parent = it->directory.substr(0, it->directory.rfind('/'));
        ::rmdir(parent.c_str());
    }
    members_.clear();
    memory_ = pids_ = cpu_ = nullptr;
}

int64_t SandboxCgroup::read_memory_usage() const {
    const std::string& mem = memory_->directory;
    auto file = memory_->version == CgroupVersion::v1 ? "/memory.usage_in_bytes" : "/memory.current";
    return read_number(mem + file).value_or(0);
}

void SandboxCgroup::prepare_run(const CgroupLimits& limits) {
    const std::string& mem = memory_->directory;
    // Page cache left by the previous run (a compiler's files) would count in this run's peak:
    // reclaim what can be. No task is in the cgroup between runs, which force_empty requires.
    try {
        if (memory_->version == CgroupVersion::v1)
            try_write_small_file(mem + "/memory.force_empty", "0");
        else
            try_write_small_file(mem + "/memory.reclaim", "1T");  // EAGAIN when not all could go
    } catch (const SandboxError&) {
    }
    // What cannot be reclaimed (files in /tmp, /dev/shm or the workspace, IPC objects of earlier
    // runs) stays charged. Each run gets its full limit on top of it, and its peak is reported
    // without it, so earlier runs neither starve nor inflate this one.
    residual_bytes_ = std::max<int64_t>(0, read_memory_usage());
    int64_t effective = limits.memory_bytes + std::min(residual_bytes_, limits.max_carried_bytes);
    auto bytes = std::to_string(effective);
    if (memory_->version == CgroupVersion::v1) {
        // memsw (memory + swap) must never be below the memory limit: order the writes.
        bool has_memsw = ::access((mem + "/memory.memsw.limit_in_bytes").c_str(), F_OK) == 0;
        if (has_memsw && effective >= memory_limit_) {
            write_small_file(mem + "/memory.memsw.limit_in_bytes", bytes);
            write_small_file(mem + "/memory.limit_in_bytes", bytes);
        } else {
            write_small_file(mem + "/memory.limit_in_bytes", bytes);
            if (has_memsw) write_small_file(mem + "/memory.memsw.limit_in_bytes", bytes);
        }
        write_small_file(mem + "/memory.max_usage_in_bytes", "0");
        try_write_small_file(mem + "/memory.memsw.max_usage_in_bytes", "0");
    } else {
        write_small_file(mem + "/memory.max", bytes);
        try_write_small_file(mem + "/memory.swap.max", "0");
        // Since Linux 6.12 a write resets memory.peak for reads through this same descriptor.
        if (memory_peak_) (void)!::pwrite(memory_peak_.get(), "reset", 5, 0);
    }
    memory_limit_ = effective;
    write_small_file(pids_->directory + "/pids.max", std::to_string(limits.processes));
    if (cpu_->version == CgroupVersion::v1) try_write_small_file(cpu_->directory + "/cpuacct.usage", "0");
    cpu_base_ns_ = read_cpu_ns();
    oom_kill_base_ = read_oom_kills();
    failcnt_base_ = read_memory_failures();
    pids_max_base_ = read_pids_max_events();
}

int64_t SandboxCgroup::read_cpu_ns() const {
    if (!cpu_) return -1;
    if (cpu_->version == CgroupVersion::v1) return read_number(cpu_->directory + "/cpuacct.usage").value_or(-1);
    auto usec = read_keyed_value(cpu_->directory + "/cpu.stat", "usage_usec");
    return usec ? *usec * 1000 : -1;
}

int64_t SandboxCgroup::cpu_ns() const {
    auto now = read_cpu_ns();
    return now < 0 ? -1 : now - cpu_base_ns_;
}

int64_t SandboxCgroup::read_oom_kills() const {
    const std::string& mem = memory_->directory;
    auto file = memory_->version == CgroupVersion::v1 ? "/memory.oom_control" : "/memory.events";
    return read_keyed_value(mem + file, "oom_kill").value_or(0);
}

int64_t SandboxCgroup::read_memory_failures() const {
    const std::string& mem = memory_->directory;
    if (memory_->version == CgroupVersion::v1) return read_number(mem + "/memory.failcnt").value_or(0);
    return read_keyed_value(mem + "/memory.events", "max").value_or(0);
}

int64_t SandboxCgroup::read_pids_max_events() const {
    return read_keyed_value(pids_->directory + "/pids.events", "max").value_or(0);
}

CgroupUsage SandboxCgroup::usage() const {
    CgroupUsage usage;
    usage.cpu_ns = cpu_ns();
    const std::string& mem = memory_->directory;
    if (memory_->version == CgroupVersion::v1) {
        usage.peak_memory_bytes = read_number(mem + "/memory.max_usage_in_bytes").value_or(-1);
    } else if (memory_peak_) {
        char buffer[32] = {};
        auto n = ::pread(memory_peak_.get(), buffer, sizeof buffer - 1, 0);
        if (n > 0) usage.peak_memory_bytes = std::atoll(buffer);
    }
    if (usage.peak_memory_bytes > 0)
        usage.peak_memory_bytes = std::max<int64_t>(0, usage.peak_memory_bytes - residual_bytes_);
    usage.oom_kills = read_oom_kills() - oom_kill_base_;
    usage.memory_limit_hit = read_memory_failures() > failcnt_base_;
    usage.pids_limit_hits = read_pids_max_events() - pids_max_base_;
    return usage;
}

}  // namespace autograder::sandbox
