// cgroup: per-sandbox control groups that limit and account a run's whole process tree.
//
// A sandbox's init joins its cgroups once, as it starts, and every run's processes are born
// inside them by fork: no run pays a migration. Limits are written only when they change,
// counters are taken as differences or resets through control files that stay open. What init
// itself holds (one process, its memory) is left out of a run's figures.
//
// How init joins matters to a new sandbox. A move made by writing a pid to cgroup.procs or
// tasks takes a host-wide lock whose writer waits for an RCU grace period (about 8 ms at
// HZ=250) unless the previous move was very recent, and every sandbox needs one. On v1, a
// single-threaded process that writes "0" to a `tasks` file moves only itself and the kernel
// skips that lock: init does that, and a new sandbox waits for no grace period. v2 has no such
// exemption (cgroup.threads takes only threads of threaded cgroups): there the supervisor writes
// init's pid to cgroup.procs.
//
// Each resource (memory, pids, cpu accounting) is looked up separately, because hosts mix the two
// versions: the machines this project is built on mount memory and pids as cgroup v1 controllers
// while their unified (v2) hierarchy carries none of them. A resource uses v2 when the unified
// hierarchy offers its controller, else the v1 hierarchy that has it.
#pragma once

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "file_descriptor.hpp"

namespace autograder::sandbox {

enum class CgroupVersion { none, v1, v2 };

// Where each resource lives on this host. `detect()` reads /proc/self/mountinfo and
// /proc/self/cgroup; tests build layouts by hand over a directory laid out like cgroupfs.
struct CgroupLayout {
    struct Hierarchy {
        CgroupVersion version = CgroupVersion::none;
        std::string directory;  // the parent under which sandbox cgroups are made
    };
    Hierarchy memory, pids, cpu;
    // Where sandboxes would go in the unified (v2) hierarchy; empty when the host has none. A
    // sandbox gets a cgroup there only when a resource uses v2: a migration into a cgroup that
    // carries no controller would cost as much as any other and buy nothing.
    std::string unified;

    static const CgroupLayout& detect();  // cached; never throws
    // One sentence per missing resource, saying what to do; empty when all are present.
    std::vector<std::string> problems() const;
};

struct CgroupLimits {
    int64_t memory_bytes = 0;
    int processes = 0;
    // Of what earlier runs left charged (files in the sandbox's tmpfs mounts), at most this much
    // is added on top of memory_bytes: a sandbox's memory has one bound, whatever its history.
    int64_t max_carried_bytes = INT64_MAX;
};

// Figures of the current run, as deltas since the last reset.
struct CgroupUsage {
    int64_t cpu_ns = -1;             // -1: not accounted on this host
    int64_t peak_memory_bytes = -1;  // -1: not accounted
    int64_t oom_kills = 0;           // processes killed for memory
    bool memory_limit_hit = false;   // the limit was reached (even without a kill)
    int64_t pids_limit_hits = 0;     // forks refused for the process limit
};

// One cgroup control file, opened once and read or written at offset 0.
class ControlFile {
public:
    // Opens `directory/name`; an absent file leaves it closed (see operator bool).
    void open(const std::string& directory, const char* name, int flags);
    explicit operator bool() const { return static_cast<bool>(fd_); }
    // The file's first number ("max" reads as INT64_MAX); nullopt when closed or unreadable.
    std::optional<int64_t> number() const;
    // The value of "key value" lines (memory.events, cpu.stat, memory.oom_control...).
    std::optional<int64_t> keyed(const char* key) const;
    // Throws SandboxError naming the file when the write fails; false when the file is closed.
    bool write(std::string_view text) const;

private:
    std::string path_;
    FileDescriptor fd_;
    // Up to 4 KiB of the file's text, NUL-terminated; empty when it cannot be read.
    std::string_view read(char (&buffer)[4096]) const;
};

// The cgroups of one sandbox (one directory per hierarchy in use), removed on destruction.
class SandboxCgroup {
public:
    // Makes "<hierarchy parent>/<name>" for every resource in use. Throws SandboxError.
    SandboxCgroup(const CgroupLayout& layout, const std::string& name);
    ~SandboxCgroup();
    SandboxCgroup(const SandboxCgroup&) = delete;
    SandboxCgroup& operator=(const SandboxCgroup&) = delete;

    // Writes the limits that changed and takes the counters' starting points before a run.
    // Throws SandboxError.
    void prepare_run(const CgroupLimits& limits);
    CgroupUsage usage() const;
    // Total CPU time so far in this run, for enforcing the CPU limit while it runs; -1 if unknown.
    int64_t cpu_ns() const;
    // v1: the run reached the memory limit and waits for memory (the cgroup's OOM killer is off,
    // see open_controls): the supervisor ends it as a memory_limit. Always false on v2.
    bool under_oom() const;

    // The v1 cgroups' `tasks` files, open: the sandbox's init writes "0" to each once it has
    // built its root, which moves it in without the lock's grace period (it has one thread).
    std::vector<int> self_join_fds() const;
    // The v2 cgroup's cgroup.procs file, open (none on a host whose resources are all v1): the
    // supervisor writes init's pid to it.
    std::vector<int> host_join_fds() const;

    // The host pid of the process that lives in these cgroups between runs (the sandbox's init):
    // kill_all() spares it and the process limit is raised by one for it. 0: none.
    void set_resident(int pid) { resident_pid_ = pid; }
    // The host pid of the sandbox's warm interpreter, which lives in these cgroups between runs
    // too (spared and counted like the resident); 0: none.
    void set_warm_resident(int pid) { warm_pid_ = pid; }
    // Host pids of the processes in the sandbox's cgroups (of its first hierarchy).
    std::vector<int> member_pids() const;

    // Directories made, for tests and diagnostics.
    std::vector<std::string> directories() const;

    // SIGKILLs every process in the sandbox's cgroups but the resident (cgroup.kill on v2 when
    // there is no resident; else each listed process, a few passes to catch forks in flight).
    // Never blocks on the processes.
    void kill_all() const;

    // Removes the directories (waiting briefly for exiting processes). Idempotent.
    void remove();

private:
    struct Member {
        CgroupVersion version;
        std::string directory;
        FileDescriptor join;  // v1: tasks, v2: cgroup.procs
    };
    // The control files a run uses, by role; which file fills a role depends on the version.
    struct Controls {
        ControlFile memory_limit;       // v1 memory.limit_in_bytes, v2 memory.max
        ControlFile memory_swap_limit;  // v1 memory.memsw.limit_in_bytes, v2 memory.swap.max
        ControlFile memory_usage;       // v1 memory.usage_in_bytes, v2 memory.current
        ControlFile memory_peak;        // v1 memory.max_usage_in_bytes, v2 memory.peak
        ControlFile memory_reclaim;     // v1 memory.force_empty, v2 memory.reclaim
        ControlFile memory_events;      // v1 memory.oom_control, v2 memory.events
        ControlFile memory_failures;    // v1 memory.failcnt (v2: "max" of memory.events)
        ControlFile pids_limit;         // pids.max
        ControlFile pids_events;        // pids.events
        ControlFile cpu_usage;          // v1 cpuacct.usage, v2 cpu.stat
    };
    std::vector<Member> members_;
    const Member* memory_ = nullptr;
    const Member* pids_ = nullptr;
    const Member* cpu_ = nullptr;
    Controls controls_;
    int resident_pid_ = 0;
    int warm_pid_ = 0;
    int64_t cpu_base_ns_ = 0;
    int64_t oom_kill_base_ = 0;
    int64_t failcnt_base_ = 0;
    int64_t pids_max_base_ = 0;
    int64_t memory_limit_ = INT64_MAX;  // v1 starts unlimited
    int64_t pids_limit_ = -1;           // as last written; -1: never
    int64_t residual_bytes_ = 0;        // charged before this run began (init, tmpfs files)
    int64_t reclaimed_bytes_ = 0;       // charged after the last reclaim

    void open_controls();
    int64_t read_cpu_ns() const;
    int64_t read_memory_usage() const;
    int64_t read_oom_kills() const;
    int64_t read_memory_failures() const;
    int64_t read_pids_max_events() const;
};

// Reads "key value" lines (memory.events, cpu.stat, memory.oom_control...); nullopt when absent.
std::optional<int64_t> read_keyed_value(const std::string& path, const std::string& key);

}  // namespace autograder::sandbox
