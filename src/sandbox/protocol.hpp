// protocol: the messages between the supervisor (the host process) and the sandbox's init over a
// SOCK_SEQPACKET socket pair. Fixed-size headers, strings packed after them, descriptors passed
// with SCM_RIGHTS. Both ends are this library, so the format is private and versionless.
//
// init and the process that makes the namespaces are forked from a host that may have many
// threads, so on their side nothing may allocate or take a lock: the functions here use only the
// caller's buffers and system calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace autograder::sandbox {

enum class MessageType : uint32_t {
    ready = 1,  // init → supervisor: the root is built, runs may start
    error = 2,  // init → supervisor: setting up failed; value: errno, payload: what failed
    run = 3,    // supervisor → init: start a run; fds: stdin, stdout, stderr
    kill = 4,   // supervisor → init: kill every process of the current run
    // 5 was "started": the run's program is executing. Not sent any more (a wake-up per run).
    exec_failed = 6,  // init → supervisor: it could not be started; value: errno, payload: stage
    exited = 7,       // init → supervisor: the run's processes are all gone
    // supervisor → init: start the sandbox's warm interpreter, like a run (argv, env, cwd; fds:
    // stdin, stdout, stderr). Answered with `exited`: value 0 and `warm` 1 once it is ready.
    start_warm = 8,
    // supervisor → init, once, before anything else: join the sandbox's cgroups; fds: the
    // cgroup files to write "0" to (v1 `tasks` files; none when the supervisor moves init).
    join_cgroups = 9,
};

struct RunLimitsMessage {
    uint64_t cpu_seconds;  // RLIMIT_CPU soft limit (backstop for the cgroup check)
    uint64_t file_size_bytes;
    uint64_t open_files;
    uint64_t processes;
    uint64_t stack_bytes;
    uint64_t memory_bytes;  // checked against a program's static size before exec
};

struct MessageHeader {
    MessageType type;
    uint32_t count_a = 0;  // run: argc
    uint32_t count_b = 0;  // run: envc
    int32_t value = 0;     // exited: wait status; error, exec_failed: errno
    uint64_t run_id = 0;   // run and kill: which run (a late kill must not hit the next run)
    uint32_t uid = 0;      // run: the user it executes as (kSandboxUid or kGraderUid)
    // run: 1 to fork it from the warm interpreter instead of starting it. exited: 1 when the warm
    // interpreter is there (and unharmed) after the run, 0 when there is none.
    uint32_t warm = 0;
    RunLimitsMessage limits{};
    int64_t user_us = 0;  // exited: CPU time of the reaped processes (fallback accounting)
    int64_t system_us = 0;
    int64_t max_rss_kb = 0;
    int64_t init_cpu_ns = 0;  // exited: CPU time init spent on the run (left out of the run's)
};

constexpr size_t kMaxMessageBytes = 64 * 1024;
constexpr size_t kMaxRunStrings = 4096;  // argv + environment entries of one run
constexpr int kMaxPassedFds = 4;

// Sends header + payload (+ fds). Returns false on failure (errno set). Allocation-free.
bool send_message(int socket, const MessageHeader& header, const char* payload = nullptr, size_t length = 0,
                  const int* fds = nullptr, int fd_count = 0);
// Sends `payload` alone, without a header (+ fds): what init sends the warm interpreter, which
// is Python. Allocation-free.
bool send_raw(int socket, const char* payload, size_t length, const int* fds, int fd_count);
// Receives one message into `buffer`. Returns > 0 for a message, 0 on orderly shutdown (EOF), -1
// on error. Sets `length` to the payload size; received descriptors (close-on-exec) go to `fds`
// (capacity kMaxPassedFds) and their number to `fd_count`. Allocation-free.
long receive_message(int socket, MessageHeader& header, char* buffer, size_t capacity, size_t& length, int* fds,
                     int& fd_count);

// Supervisor-side conveniences (they allocate).
bool send_message(int socket, const MessageHeader& header, const std::string& payload, const int* fds = nullptr,
                  int fd_count = 0);
long receive_message(int socket, MessageHeader& header, std::string& payload);
void pack_strings(std::string& payload, const std::vector<std::string>& strings);

// Splits `count` NUL-terminated strings of payload[offset, length) into `out` (pointers into the
// payload, which must end with a NUL); returns false when they are not all there.
bool unpack_strings(char* payload, size_t length, size_t& offset, size_t count, char** out);

}  // namespace autograder::sandbox
