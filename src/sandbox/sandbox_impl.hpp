// The state behind a Sandbox, shared by the files of src/sandbox that implement its parts.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include "autograder/sandbox.hpp"
#include "cgroup.hpp"
#include "file_descriptor.hpp"

namespace autograder {

class Sandbox::Impl {
public:
    SandboxOptions options;
    std::unique_ptr<sandbox::SandboxCgroup> cgroup;
    sandbox::FileDescriptor control;    // supervisor's end of the socket to init
    sandbox::FileDescriptor workspace;  // O_PATH directory of the workspace, seen from the host
    sandbox::FileDescriptor tmp;        // O_PATH directory of the sandbox's /tmp
    int outer_pid = -1;                 // the process that made the namespaces and waits for init
    int init_pid = -1;                  // init, as seen from the host
    uint32_t student_host_uid = 0;
    std::mutex run_mutex;  // runs of one sandbox are serialised
    uint64_t next_run_id = 1;
    bool broken = false;  // init stopped answering: every later run is an internal error
    std::string broken_reason;

    ~Impl();
    void shut_down();
};

}  // namespace autograder
