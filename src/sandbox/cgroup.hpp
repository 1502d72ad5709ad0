// cgroup: per-sandbox control groups that limit and account a run's whole process tree.
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
    // A v2 directory in which sandboxes get a cgroup even when no resource uses v2, so that
    // cgroup.kill and cpu.stat work where they exist. Empty when the host has no unified hierarchy.
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

// The cgroups of one sandbox (one directory per hierarchy in use), removed on destruction.
class SandboxCgroup {
public:
    // Makes "<hierarchy parent>/<name>" for every resource in use. Throws SandboxError.
    SandboxCgroup(const CgroupLayout& layout, const std::string& name);
    ~SandboxCgroup();
    SandboxCgroup(const SandboxCgroup&) = delete;
    SandboxCgroup& operator=(const SandboxCgroup&) = delete;

    // Writes limits and resets the counters before a run. Throws SandboxError.
    void prepare_run(const CgroupLimits& limits);
    CgroupUsage usage() const;
    // Total CPU time so far in this run, for enforcing the CPU limit while it runs; -1 if unknown.
    int64_t cpu_ns() const;

    // Open descriptors of every cgroup.procs file: writing "0" to each moves the writer in. The
    // run's first process does this before exec, so its whole tree is accounted.
    std::vector<int> procs_fds() const;

    // Directories made, for tests and diagnostics.
    std::vector<std::string> directories() const;

    // SIGKILLs every process in the sandbox's cgroups (cgroup.kill on v2; on v1 each listed
    // process, a few passes to catch forks in flight). Never blocks on the processes.
    void kill_all() const;

    // Removes the directories (waiting briefly for exiting processes). Idempotent.
    void remove();

private:
    struct Member {
        CgroupVersion version;
        std::string directory;
        FileDescriptor procs;
    };
    const CgroupLayout& layout_;
    std::vector<Member> members_;
    const Member* memory_ = nullptr;
    const Member* pids_ = nullptr;
    const Member* cpu_ = nullptr;
    FileDescriptor memory_peak_;  // v2 memory.peak: reset per open file description
    int64_t cpu_base_ns_ = 0;
    int64_t oom_kill_base_ = 0;
    int64_t failcnt_base_ = 0;
    int64_t pids_max_base_ = 0;
    int64_t memory_limit_ = INT64_MAX;  // v1 starts unlimited
    int64_t residual_bytes_ = 0;        // charged before this run began (tmpfs files, IPC)

    int64_t read_cpu_ns() const;
    int64_t read_memory_usage() const;
    int64_t read_oom_kills() const;
    int64_t read_memory_failures() const;
    int64_t read_pids_max_events() const;
};

// Reads "key value" lines (memory.events, cpu.stat, memory.oom_control...); nullopt when absent.
std::optional<int64_t> read_keyed_value(const std::string& path, const std::string& key);

}  // namespace autograder::sandbox
