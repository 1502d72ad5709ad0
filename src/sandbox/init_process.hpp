// pid: the sandbox's init, pid 1 of its pid namespace. It builds the root, then serves runs: for
// each it starts the run's first process (which sets itself up and execs, see run_process.hpp),
// reaps everything, and when that first process ends kills whatever the run left behind
// (daemons, orphans) before reporting. When the supervisor goes away (its end of the socket
// closes) init kills everything and exits, which ends the whole namespace.
//
// init is forked from a host process that may have other threads holding locks (the allocator's
// among them), so it never allocates and never takes a lock: static buffers and system calls.
#pragma once

#include <vector>

#include <linux/filter.h>

#include "mount_namespace.hpp"

namespace autograder::sandbox {

struct InitConfig {
    int control_socket = -1;
    RootPlan root;  // planned by the supervisor before the fork
    bool loopback_network = false;
    // Once the root is built, init enters a user namespace of its own whose ids map one to one
    // onto the sandbox's (0, 1000, 1001), so that a run's /proc/self/uid_map shows no host uid.
    // Its maps are written by the process that made the namespaces: init asks on
    // user_map_request and reads the errno (0: done) from user_map_done. Before that answer,
    // user_map_done carries that process's answer for the network namespace (see run_init).
    int user_map_request = -1;
    int user_map_done = -1;
    // Installed by init once the sandbox is set up, for every run to inherit.
    const std::vector<sock_filter>* seccomp = nullptr;
};

// Error messages init sends carry the index of the failed root operation in `count_a` (or
// kNotARootOperation) and the errno in `value`.
constexpr uint32_t kNotARootOperation = 0xFFFFFFFF;

// `outer_entry`: the /proc entry (O_PATH) of the process that made the namespaces, which makes
// the network namespace once init is forked; init joins it through that entry and closes it.
[[noreturn]] void run_init(const InitConfig& config, int outer_entry);

}  // namespace autograder::sandbox
