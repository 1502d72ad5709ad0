#include "cgroup.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
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
// Growth of a sandbox's charge since the last reclaim that makes the next run reclaim first.
constexpr int64_t kReclaimThreshold = 2 << 20;

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

void ControlFile::open(const std::string& directory, const char* name, int flags) {
    path_ = directory + "/" + name;
    fd_.reset(::open(path_.c_str(), flags | O_CLOEXEC));
}

std::string_view ControlFile::read(char (&buffer)[4096]) const {
    if (!fd_) return {};
    ssize_t n;
    while ((n = ::pread(fd_.get(), buffer, sizeof buffer - 1, 0)) < 0 && errno == EINTR) {
    }
    if (n <= 0) return {};
    buffer[n] = '\0';
    return {buffer, static_cast<size_t>(n)};
}

std::optional<int64_t> ControlFile::number() const {
    char buffer[4096];
    auto text = read(buffer);
    if (text.empty()) return std::nullopt;
    if (text.rfind("max", 0) == 0) return INT64_MAX;
    char* end = nullptr;
    errno = 0;
    long long value = std::strtoll(buffer, &end, 10);
    if (end == buffer || errno != 0) return std::nullopt;
    return value;
}

std::optional<int64_t> ControlFile::keyed(const char* key) const {
    char buffer[4096];
    auto text = read(buffer);
    const size_t key_length = std::strlen(key);
    for (size_t line = 0; line < text.size();) {
        size_t end = text.find('\n', line);
        if (end == std::string_view::npos) end = text.size();
        if (end - line > key_length && text.compare(line, key_length, key) == 0 && text[line + key_length] == ' ') {
            char* stop = nullptr;
            long long value = std::strtoll(buffer + line + key_length + 1, &stop, 10);
            if (stop != buffer + line + key_length + 1) return value;
        }
        line = end + 1;
    }
    return std::nullopt;
}

bool ControlFile::write(std::string_view text) const {
    if (!fd_) return false;
    ssize_t n;
    while ((n = ::pwrite(fd_.get(), text.data(), text.size(), 0)) < 0 && errno == EINTR) {
    }
    if (n != static_cast<ssize_t>(text.size()))
        throw SandboxError(errno_message("cannot write '" + std::string(text) + "' to " + path_));
    return true;
}

SandboxCgroup::SandboxCgroup(const CgroupLayout& layout, const std::string& name) {
    auto problems = layout.problems();
    if (!problems.empty()) throw SandboxError("cannot limit sandboxes on this host: " + problems[0]);
    members_.reserve(3);
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
        const std::string join_file = directory + (h.version == CgroupVersion::v1 ? "/tasks" : "/cgroup.procs");
        member.join.reset(::open(join_file.c_str(), O_WRONLY | O_CLOEXEC));
        if (!member.join) {
            auto message = errno_message("cannot open " + join_file);
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
        open_controls();
    } catch (...) {
        remove();
        throw;
    }
}

void SandboxCgroup::open_controls() {
    auto& c = controls_;
    const std::string& mem = memory_->directory;
    if (memory_->version == CgroupVersion::v1) {
        c.memory_limit.open(mem, "memory.limit_in_bytes", O_WRONLY);
        c.memory_swap_limit.open(mem, "memory.memsw.limit_in_bytes", O_WRONLY);
        c.memory_usage.open(mem, "memory.usage_in_bytes", O_RDONLY);
        c.memory_peak.open(mem, "memory.max_usage_in_bytes", O_RDWR);
        c.memory_reclaim.open(mem, "memory.force_empty", O_WRONLY);
        c.memory_events.open(mem, "memory.oom_control", O_RDWR);
        c.memory_failures.open(mem, "memory.failcnt", O_RDONLY);
        // No OOM killer in the sandbox's memory cgroup: it would choose among the cgroup's
        // processes by size, and init (a fork of the host process, as large as the host) can be
        // larger than the run that filled the cgroup plus the run's +1000 score. A run that
        // reaches the limit waits instead ("under_oom"), and the supervisor, which watches for
        // that, kills the run's processes and reports memory_limit.
        c.memory_events.write("1");
    } else {
        c.memory_limit.open(mem, "memory.max", O_WRONLY);
        c.memory_swap_limit.open(mem, "memory.swap.max", O_WRONLY);
        c.memory_usage.open(mem, "memory.current", O_RDONLY);
        // Since Linux 6.12 a write resets memory.peak for reads through this same descriptor.
        c.memory_peak.open(mem, "memory.peak", O_RDWR);
        c.memory_reclaim.open(mem, "memory.reclaim", O_WRONLY);
        c.memory_events.open(mem, "memory.events", O_RDONLY);
    }
    c.pids_limit.open(pids_->directory, "pids.max", O_WRONLY);
    c.pids_events.open(pids_->directory, "pids.events", O_RDONLY);
    c.cpu_usage.open(cpu_->directory, cpu_->version == CgroupVersion::v1 ? "cpuacct.usage" : "cpu.stat", O_RDONLY);
    if (!c.memory_limit || !c.memory_usage || !c.pids_limit)
        throw SandboxError(errno_message("cannot open the control files of " + mem + " and " + pids_->directory));
}

SandboxCgroup::~SandboxCgroup() {
    remove();
}

std::vector<int> SandboxCgroup::self_join_fds() const {
    std::vector<int> fds;
    for (const auto& m : members_)
        if (m.version == CgroupVersion::v1) fds.push_back(m.join.get());
    return fds;
}

std::vector<int> SandboxCgroup::host_join_fds() const {
    std::vector<int> fds;
    for (const auto& m : members_)
        if (m.version == CgroupVersion::v2) fds.push_back(m.join.get());
    return fds;
}

std::vector<std::string> SandboxCgroup::directories() const {
    std::vector<std::string> result;
    for (const auto& m : members_) result.push_back(m.directory);
    return result;
}

std::vector<int> SandboxCgroup::member_pids() const {
    std::vector<int> pids;
    if (members_.empty()) return pids;
    std::ifstream procs(members_.front().directory + "/cgroup.procs");
    long pid;
    while (procs >> pid) pids.push_back(static_cast<int>(pid));
    return pids;
}

void SandboxCgroup::kill_all() const {
    // cgroup.kill would take the resident (init) too: with one, each process is killed by pid.
    if (resident_pid_ <= 0)
        for (const auto& m : members_)
            if (m.version == CgroupVersion::v2) try {
                    if (try_write_small_file(m.directory + "/cgroup.kill", "1")) return;
                } catch (const SandboxError&) {
                    // a kernel before 5.14: fall back to killing each process
                }
    for (int pass = 0; pass < 8; ++pass) {
        bool found = false;
        for (const auto& m : members_) {
            std::ifstream procs(m.directory + "/cgroup.procs");
            long pid;
            while (procs >> pid)
                if (pid > 1 && pid != resident_pid_ && pid != warm_pid_) {
                    ::kill(static_cast<pid_t>(pid), SIGKILL);
                    found = true;
                }
        }
        if (!found) return;
    }
}

void SandboxCgroup::remove() {
    controls_ = Controls();
    for (auto it = members_.rbegin(); it != members_.rend(); ++it) {
        it->join.reset();
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
    return controls_.memory_usage.number().value_or(0);
}

void SandboxCgroup::prepare_run(const CgroupLimits& limits) {
    auto& c = controls_;
    const bool v1 = memory_->version == CgroupVersion::v1;
    // What earlier runs left charged (init, files in /tmp, /dev/shm or the workspace, page cache)
    // stays charged. Each run gets its full limit on top of it, and its peak is reported without
    // it, so earlier runs neither starve nor inflate this one. Page cache of some size (a
    // compiler's files) is reclaimed first, so that it is not carried as if it were files; not
    // every time, since a reclaim costs a fraction of a millisecond.
    residual_bytes_ = std::max<int64_t>(0, read_memory_usage());
    reclaimed_bytes_ = std::min(reclaimed_bytes_, residual_bytes_);
    if (residual_bytes_ > reclaimed_bytes_ + kReclaimThreshold) {
        try {
            c.memory_reclaim.write(v1 ? "0" : "1T");  // v2: EAGAIN when not all could go
        } catch (const SandboxError&) {
        }
        residual_bytes_ = std::max<int64_t>(0, read_memory_usage());
        reclaimed_bytes_ = residual_bytes_;
    }
    int64_t effective = limits.memory_bytes + std::min(residual_bytes_, limits.max_carried_bytes);
    if (effective != memory_limit_) {
        auto bytes = std::to_string(effective);
        if (v1) {
            // memsw (memory + swap) must never be below the memory limit: order the writes.
            if (c.memory_swap_limit && effective >= memory_limit_) {
                c.memory_swap_limit.write(bytes);
                c.memory_limit.write(bytes);
            } else {
                c.memory_limit.write(bytes);
                c.memory_swap_limit.write(bytes);
            }
        } else {
            c.memory_limit.write(bytes);
            if (memory_limit_ == INT64_MAX) try {
                    c.memory_swap_limit.write("0");
                } catch (const SandboxError&) {
                }
        }
        memory_limit_ = effective;
    }
    // Resets the peak to the current usage (v2: since Linux 6.12, for reads through this same
    // descriptor; before, the peak of the cgroup's whole life, less the residual).
    try {
        c.memory_peak.write(v1 ? "0" : "reset");
    } catch (const SandboxError&) {
        if (v1) throw;
    }
    // The resident (init) counts as a process: the run gets its whole limit besides it.
    int64_t processes = limits.processes + (resident_pid_ > 0 ? 1 : 0) + (warm_pid_ > 0 ? 1 : 0);
    if (processes != pids_limit_) {
        c.pids_limit.write(std::to_string(processes));
        pids_limit_ = processes;
    }
    cpu_base_ns_ = read_cpu_ns();
    oom_kill_base_ = read_oom_kills();
    failcnt_base_ = read_memory_failures();
    pids_max_base_ = read_pids_max_events();
}

int64_t SandboxCgroup::read_cpu_ns() const {
    if (!cpu_) return -1;
    if (cpu_->version == CgroupVersion::v1) return controls_.cpu_usage.number().value_or(-1);
    auto usec = controls_.cpu_usage.keyed("usage_usec");
    return usec ? *usec * 1000 : -1;
}

int64_t SandboxCgroup::cpu_ns() const {
    auto now = read_cpu_ns();
    return now < 0 ? -1 : now - cpu_base_ns_;
}

bool SandboxCgroup::under_oom() const {
    return memory_->version == CgroupVersion::v1 && controls_.memory_events.keyed("under_oom").value_or(0) > 0;
}

int64_t SandboxCgroup::read_oom_kills() const {
    return controls_.memory_events.keyed("oom_kill").value_or(0);
}

int64_t SandboxCgroup::read_memory_failures() const {
    if (memory_->version == CgroupVersion::v1) return controls_.memory_failures.number().value_or(0);
    return controls_.memory_events.keyed("max").value_or(0);
}

int64_t SandboxCgroup::read_pids_max_events() const {
    return controls_.pids_events.keyed("max").value_or(0);
}

CgroupUsage SandboxCgroup::usage() const {
    CgroupUsage usage;
    usage.cpu_ns = cpu_ns();
    usage.peak_memory_bytes = controls_.memory_peak.number().value_or(-1);
    if (usage.peak_memory_bytes > 0)
        usage.peak_memory_bytes = std::max<int64_t>(0, usage.peak_memory_bytes - residual_bytes_);
    usage.oom_kills = read_oom_kills() - oom_kill_base_;
    usage.memory_limit_hit = read_memory_failures() > failcnt_base_;
    usage.pids_limit_hits = read_pids_max_events() - pids_max_base_;
    return usage;
}

}  // namespace autograder::sandbox
