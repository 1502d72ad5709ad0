// subproc: what a run's first process does between fork and exec, in this order: a process group
// of its own (in init's session, which has no controlling terminal), the OOM killer's first
// choice (never init), default signal handling, rlimits, stdio, close every other descriptor,
// enter the working directory, drop every capability and become the run's unprivileged user
// (student or grader), set no_new_privs, exec. It is born inside the sandbox's cgroups and under
// its seccomp filter, both init's (see init_process.hpp). Any failure is reported through
// `error_pipe` as a RunSetupError and the process exits 127. It runs in a CLONE_VM|CLONE_VFORK
// child of init: only system calls and stack memory, nothing that allocates or takes a lock.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <vector>

#include "protocol.hpp"

namespace autograder::sandbox {

struct RunSetupError {
    int error = 0;              // errno
    char stage[48] = {};        // what was being done
    uint64_t static_bytes = 0;  // stage kStaticTooLarge: the program's loadable size
};

// The stage reported when a program's static data alone exceeds the memory limit (error ENOMEM).
inline constexpr const char* kStaticTooLarge = "load the program";

struct RunSetup {
    char* const* argv = nullptr;
    char* const* envp = nullptr;
    const char* cwd = nullptr;  // absolute, inside the sandbox
    RunLimitsMessage limits{};
    int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
    int error_pipe = -1;    // close-on-exec
    uint32_t uid = 0;       // kSandboxUid or kGraderUid (checked by init)
    int warm_channel = -1;  // the warm interpreter's channel to init, given to it as descriptor 3
};

[[noreturn]] void exec_run(const RunSetup& setup);

}  // namespace autograder::sandbox
