// The state behind a Sandbox, shared by the files of src/sandbox that implement its parts.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "autograder/sandbox.hpp"
#include "cgroup.hpp"
#include "file_descriptor.hpp"

namespace autograder {

namespace sandbox {

// The nice value for the runs of sandboxes this thread makes, when it differs from the thread's
// own: a pool's workers make sandboxes at a low priority, so that making them does not slow the
// runs being graded, and give each sandbox's init (and so its runs) this one once it is ready.
extern thread_local std::optional<int> runs_nice;

// The state behind a Sandbox. It has a name of its own, in the library's namespace, so that the
// files implementing the sandbox's parts can hand it to their helpers, while Sandbox::Impl (all
// there is of it) stays private to hosts.
class SandboxState {
public:
    SandboxOptions options;
    std::unique_ptr<sandbox::SandboxCgroup> cgroup;
    sandbox::FileDescriptor control;    // supervisor's end of the socket to init
    sandbox::FileDescriptor workspace;  // O_PATH directory of the workspace, seen from the host
    sandbox::FileDescriptor tmp;        // O_PATH directory of the sandbox's /tmp
    sandbox::FileDescriptor grader;     // O_PATH directory of kGraderPath
    int outer_pid = -1;                 // the process that made the namespaces and waits for init
    int init_pid = -1;                  // init, as seen from the host
    // A pidfd of init, opened once init is ready: init ends only after every other process of
    // its pid namespace has, so its end is the end of the sandbox's processes. Invalid on kernels
    // without pidfd_open.
    sandbox::FileDescriptor init_handle;
    uint32_t student_host_uid = 0;
    uint32_t grader_host_uid = 0;
    // The removal of what sandboxes of ended processes left, started at a process's first
    // sandbox once that sandbox is ready: it runs alongside the sandbox's first run, not while the
    // sandbox is being made. Joined when the sandbox goes.
    std::jthread leftover_sweep;
    std::mutex run_mutex;  // runs of one sandbox are serialised
    uint64_t next_run_id = 1;
    bool broken = false;  // init stopped answering: every later run is an internal error
    std::string broken_reason;
    // The warm interpreter (RunRequest::warm_interpreter): what it was started for, and whether
    // init still has it (init says so after every run).
    struct WarmInterpreter {
        bool alive = false;
        bool failed = false;  // it could not be started: runs start as usual from then on
        int starts = 0;       // a run can end it (it is the student's): started at most kMaxStarts times
        static constexpr int kMaxStarts = 4;
        std::string program, script;
        std::map<std::string, std::string> env;
        Limits limits;  // its rlimits bound those of the runs forked from it
    } warm;

    // A workspace path (relative, "/tmp/...", or under kGraderPath) as the directory it is
    // relative to, its components, and the host uid of the user who owns what is written there.
    struct Located {
        int directory;
        std::vector<std::string> parts;
        uint32_t owner;
    };
    Located locate(std::string_view path) const;  // workspace_files.cpp

    ~SandboxState();
    // Ends init and every process of the sandbox and removes its cgroups. Every wait is bounded:
    // a sandbox whose init does not end when asked (wedged by something a run did) is killed
    // from outside, through its pid namespace and its cgroups.
    void shut_down();
};

}  // namespace sandbox

class Sandbox::Impl final : public sandbox::SandboxState {};

}  // namespace autograder
