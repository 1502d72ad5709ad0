// Sandbox: one isolated environment per submission. Many runs happen inside it (compile, then
// tests 1..N); destroying it kills every process it still holds and frees all it used.
//
// Isolation (all on, none optional): user, pid, mount, network, ipc, uts and cgroup namespaces; a
// pivot_root into a minimal root (read-only binds of the toolchain, a generated /etc, fresh /proc,
// minimal /dev, size-limited tmpfs /tmp and workspace); a seccomp filter; no_new_privs; no
// capabilities; closed file descriptors; a clean environment; a session of its own. Limits are
// enforced by cgroups (v1 or v2, detected per controller) with rlimits as a backstop.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "autograder/run_report.hpp"

namespace autograder {

// Thrown when a sandbox cannot be made or used (the host lacks a facility, a path is refused, ...).
// The message names what is missing and what to do.
class SandboxError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Limits of one run. Defaults are those of `autograder run`.
struct Limits {
    double cpu_time_s = 2.0;               // CPU time over the whole process tree
    double wall_time_s = 5.0;              // elapsed time
    int64_t memory_bytes = 256LL << 20;    // whole process tree, no swap
    int processes = 64;                    // processes and threads at once
    int64_t output_bytes = 1024LL << 10;   // cap for stdout and for stderr (each)
    int64_t file_size_bytes = 64LL << 20;  // largest file a run may write
    int open_files = 256;                  // file descriptors per process
    std::optional<int64_t> stack_bytes;    // default: min(64 MiB, memory_bytes)
};

// Settings fixed when the sandbox is made.
struct SandboxOptions {
    // Host paths made visible read-only at the same path (files or directories). Globs allowed
    // ("/etc/java-*"); a pattern that matches nothing is skipped. The defaults of a language come
    // from the language table; /usr and the merged-/usr links are always present.
    std::vector<std::string> read_only_paths;
    int64_t workspace_bytes = 64LL << 20;  // size of the workspace tmpfs
    int64_t tmp_bytes = 64LL << 20;        // size of /tmp and of /dev/shm, each
    int64_t max_inodes = 16384;            // inodes per tmpfs
    bool loopback_network = false;         // false: no network at all; true: only 127.0.0.1
    std::string hostname = "sandbox";
};

// Who a run executes as. Student code runs as `student`; instructor code that judges it (a
// checker, unit tests) runs as `grader`: another unprivileged user, in its own directory
// kGraderPath that the student's runs can neither read nor write, with HOME and TMPDIR there, so
// nothing a student run planted (a module, a class, a node_modules folder) is on its search path.
enum class RunAs { student, grader };

// One program execution inside a sandbox.
struct RunRequest {
    std::vector<std::string> argv;  // argv[0] is looked up in PATH when it has no '/'
    // stdin contents; std::nullopt gives an empty stdin: the first read returns end-of-file at
    // once (as /dev/null would), so a program that reads input never waits for the wall limit.
    std::optional<std::string> stdin_data;
    std::map<std::string, std::string> env;  // the whole environment of the run (see languages)
    // Relative to the workspace (student) or to kGraderPath (grader).
    std::string cwd = ".";
    Limits limits;
    RunAs run_as = RunAs::student;
    // The run may be forked from the sandbox's warm Python interpreter (docs/sandbox.md, "Warm
    // interpreter") when it is `python3 FILE.py [args...]` as the student: the first such run
    // starts one that has compiled FILE.py, later runs of the same file with the same environment
    // and no larger limits are forked from it. Any other run, or when it cannot be had, starts
    // the program as usual.
    bool warm_interpreter = false;
};

// Where the workspace appears inside the sandbox.
inline constexpr std::string_view kWorkspacePath = "/workspace";
// The grader's own directory inside the sandbox (a tmpfs of workspace size, mode 0700).
inline constexpr std::string_view kGraderPath = "/grader";
// The unprivileged users runs execute as, inside the sandbox.
inline constexpr int kSandboxUid = 1000;
inline constexpr int kGraderUid = 1001;

class Sandbox {
public:
    // Makes a sandbox ready for runs. Throws SandboxError naming what the host lacks.
    static std::unique_ptr<Sandbox> create(const SandboxOptions& options = {});
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    // Runs one program and waits for it (and every process it started) to end. Runs of one
    // sandbox are serialised; different sandboxes run in parallel. Never throws for anything the
    // program does: failures of the sandbox itself give status internal_error.
    RunReport run(const RunRequest& request);

    // Files of the workspace. Paths are relative to it ("src/main.c"), or absolute inside the
    // sandbox under /workspace/, /tmp/ or /grader/; "..", other absolute paths, and symlinks
    // anywhere on the way are refused with SandboxError. write_file replaces whatever is at the
    // path (a file, a FIFO, or a symlink planted by a previous run) and creates parent folders;
    // the run's user (under /grader/: the grader) owns the result unless `read_only`, which
    // leaves it and the folders on its way owned by root (folders sticky, mode 1777), so no run
    // can change, remove or rename it.
    void write_file(std::string_view relative_path, std::string_view content, bool executable = false,
                    bool read_only = false);
    // Removes a file or symlink (never what it points to); false when there was none.
    bool remove_file(std::string_view relative_path);
    // Reads a regular file of at most max_bytes; refuses symlinks, FIFOs, sockets, devices and
    // larger files with SandboxError, never blocks.
    std::string read_file(std::string_view relative_path, int64_t max_bytes = 16LL << 20);
    bool file_exists(std::string_view relative_path);
    // Empties kGraderPath (never following symlinks), so that nothing of one grader run (a test's
    // input and expected output) is left for the next.
    void clear_grader_files();

    const SandboxOptions& options() const;
    // Process id (host view) of the sandbox's init, for diagnostics and tests.
    int init_pid() const;

private:
    // The implementation (src/sandbox/): private, so that hosts depend on this header only.
    class Impl;
    explicit Sandbox(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// What the host offers, detected once. Throws nothing; unavailable parts carry an explanation.
struct HostSupport {
    bool user_namespaces = false;
    std::string cgroup_memory;  // "v1", "v2" or "" when unavailable
    std::string cgroup_pids;
    std::string cgroup_cpu;
    std::vector<std::string> problems;  // one sentence per missing facility: what to do
};
HostSupport detect_host_support();

}  // namespace autograder
