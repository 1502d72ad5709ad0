// mnt: builds the sandbox's root inside its own mount namespace and pivots into it.
//
//   /usr, /bin, /lib...   read-only binds of the host's (merged-/usr links copied as links)
//   extra paths           read-only binds at the same path (the language's toolchain)
//   /etc                  generated passwd, group, hosts, nsswitch.conf + read-only extras
//   /proc                 a fresh procfs of the sandbox's pid namespace
//   /dev                  null, zero, full, random, urandom + a size-limited /dev/shm
//   /tmp, /workspace      size- and inode-limited tmpfs, the workspace owned by the run's user
// Everything else of the host is gone after the pivot; the root itself is read-only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace autograder::sandbox {

struct RootSpec {
    std::string staging;                  // an empty host directory to build the root on
    std::vector<std::string> read_only;   // host paths (already glob-expanded, existing)
    int64_t workspace_bytes = 0;
    int64_t tmp_bytes = 0;
    int64_t max_inodes = 0;
    std::string hostname;
};

// Runs in the sandbox's init (pid 1 of the new pid namespace). Returns an empty string on
// success, else what failed.
std::string build_root(const RootSpec& spec);

// Expands globs and drops paths that do not exist; keeps order, removes duplicates.
std::vector<std::string> expand_read_only_paths(const std::vector<std::string>& patterns);

}  // namespace autograder::sandbox
