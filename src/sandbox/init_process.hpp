// pid: the sandbox's init, pid 1 of its pid namespace. It builds the root, then serves runs: for
// each it forks the run's first process (which sets itself up and execs, see run_process.hpp),
// reaps everything, and when that first process ends kills whatever the run left behind
// (daemons, orphans) before reporting. When the supervisor goes away (its end of the socket
// closes) init kills everything and exits, which ends the whole namespace.
#pragma once

#include <string>
#include <vector>

#include <linux/filter.h>

#include "mount_namespace.hpp"

namespace autograder::sandbox {

struct InitConfig {
    int control_socket = -1;
    RootSpec root;
    bool loopback_network = false;
    std::vector<int> cgroup_procs_fds;       // each run's first process joins these
    const std::vector<sock_filter>* seccomp = nullptr;
};

[[noreturn]] void run_init(const InitConfig& config);

}  // namespace autograder::sandbox
