// mnt: builds the sandbox's root inside its own mount namespace and pivots into it.
//
//   /usr, /bin, /lib...   read-only binds of the host's (merged-/usr links copied as links)
//   extra paths           read-only binds at the same path (the language's toolchain)
//   /etc                  generated passwd, group, hosts, nsswitch.conf + read-only extras
//   /proc                 a fresh procfs of the sandbox's pid namespace
//   /dev                  null, zero, full, random, urandom + a size-limited /dev/shm
//   /tmp, /workspace      size- and inode-limited tmpfs, world-writable and sticky (files root
//                         puts there cannot be removed or renamed by a run)
//   /grader               size-limited tmpfs only the grader's user may enter (mode 0700)
//   /proc/cmdline ...     host details in /proc masked by /dev/null
// Everything else of the host is gone after the pivot; the root itself is read-only.
//
// The supervisor plans every operation (it may allocate and look at the host); init, forked from
// a possibly multi-threaded host, only executes the plan with system calls.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace autograder::sandbox {

struct RootSpec {
    std::string staging;                 // where init mounts the tmpfs it builds the root on
    std::vector<std::string> read_only;  // host paths (already glob-expanded, existing)
    int64_t workspace_bytes = 0;
    int64_t tmp_bytes = 0;
    int64_t max_inodes = 0;
    std::string hostname;
};

struct RootOperation {
    enum class Kind { make_directory, create_file, write_file, symlink, mount, pivot, hostname, change_owner };
    Kind kind;
    std::string path;    // target path (or the new root, for pivot; the name, for hostname)
    std::string source;  // mount: source ("" for none); symlink: link target
    std::string fstype;  // mount: filesystem type ("" for a bind or remount)
    std::string data;    // mount: options; write_file: content
    unsigned long flags = 0;
    unsigned mode = 0755;
    unsigned owner = 0;  // change_owner: uid and gid inside the sandbox
};

struct RootPlan {
    std::vector<RootOperation> operations;
};

// Throws SandboxError when a host path cannot be inspected.
RootPlan plan_root(const RootSpec& spec);

// What went wrong executing a plan: the operation and the errno.
struct RootFailure {
    const RootOperation* operation = nullptr;
    int error = 0;
};

// Runs in init (pid 1 of the new pid namespace, in the new mount namespace). Allocation-free.
bool execute_root_plan(const RootPlan& plan, RootFailure& failure);

// "mount tmpfs on /workspace" style description of an operation (supervisor side).
std::string describe(const RootOperation& operation);

// Expands globs and drops paths that do not exist; keeps order, removes duplicates.
std::vector<std::string> expand_read_only_paths(const std::vector<std::string>& patterns);

}  // namespace autograder::sandbox
