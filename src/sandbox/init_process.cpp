#include "init_process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "autograder/sandbox.hpp"
#include "ipc_namespace.hpp"
#include "net_namespace.hpp"
#include "protocol.hpp"
#include "run_process.hpp"
#include "seccomp_filter.hpp"

namespace autograder::sandbox {
namespace {

constexpr size_t kChildStackBytes = 256 * 1024;

// init's only memory: a run request is unpacked in place, pointers into it.
char request_buffer[kMaxMessageBytes + 1];
char* run_strings[kMaxRunStrings + 3];  // argv NULL env NULL cwd
char* run_cwd = nullptr;
char scratch[256];

struct Reaped {
    int64_t user_us = 0, system_us = 0, max_rss_kb = 0;
    void add(const rusage& usage) {
        user_us += usage.ru_utime.tv_sec * 1000000 + usage.ru_utime.tv_usec;
        system_us += usage.ru_stime.tv_sec * 1000000 + usage.ru_stime.tv_usec;
        max_rss_kb = std::max<int64_t>(max_rss_kb, usage.ru_maxrss);
    }
};

// Kills every process of the namespace but init, and waits for all of them.
void kill_and_reap_all(Reaped& reaped) {
    ::kill(-1, SIGKILL);
    int status;
    rusage usage{};
    while (::wait4(-1, &status, __WALL, &usage) > 0) reaped.add(usage);
}

[[noreturn]] void shut_down() {
    Reaped ignored;
    kill_and_reap_all(ignored);
    ::_exit(0);
}

void send_simple(int socket, MessageType type, int value, const char* text = nullptr, uint32_t count_a = 0) {
    MessageHeader header{};
    header.type = type;
    header.value = value;
    header.count_a = count_a;
    send_message(socket, header, text, text ? std::strlen(text) : 0);
}

void close_all(const int* fds, int count) {
    for (int i = 0; i < count; ++i) ::close(fds[i]);
}

int64_t own_cpu_ns() {
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// Unpacks a run request received into request_buffer: argv, environment and working folder, in
// place. False when it is malformed.
bool unpack_run_request(const MessageHeader& request, size_t length, int fd_count, RunSetup& setup) {
    size_t argc = request.count_a, envc = request.count_b, offset = 0;
    request_buffer[length] = '\0';
    char** argv = run_strings;
    char** envp = run_strings + argc + 1;
    bool well_formed =
        fd_count == 3 && argc >= 1 &&
        (request.uid == static_cast<uint32_t>(kSandboxUid) || request.uid == static_cast<uint32_t>(kGraderUid)) &&
        argc + envc <= kMaxRunStrings && unpack_strings(request_buffer, length, offset, argc, argv) &&
        unpack_strings(request_buffer, length, offset, envc, envp) &&
        unpack_strings(request_buffer, length, offset, 1, &run_cwd);
    if (!well_formed) return false;
    argv[argc] = nullptr;
    envp[envc] = nullptr;
    setup.argv = argv;
    setup.envp = envp;
    setup.cwd = run_cwd;
    setup.limits = request.limits;
    setup.uid = request.uid;
    return true;
}

// Starts the run's first process and waits until it has exec'd (or failed to). Returns its pid,
// or -1 once the failure is reported to the supervisor. Closes fds[0] (stdin); stdout and stderr
// stay open here until the run is over, so that the supervisor sees their end together with the
// run's (one wake-up, not two).
pid_t start_run(int socket, RunSetup& setup, int* fds) {
    int error_pipe[2];
    if (::pipe2(error_pipe, O_CLOEXEC) != 0) {
        close_all(fds, 3);
        send_simple(socket, MessageType::exec_failed, errno, "pipe");
        return -1;
    }
    setup.stdin_fd = fds[0];
    setup.stdout_fd = fds[1];
    setup.stderr_fd = fds[2];
    setup.error_pipe = error_pipe[1];
    // The run's first process shares init's memory until it execs (as posix_spawn does): no
    // page-table copy of init, which is itself a copy of the host process and may be large.
    static void* stack =
        ::mmap(nullptr, kChildStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    pid_t child = stack == MAP_FAILED
                      ? -1
                      : ::clone([](void* argument) -> int { exec_run(*static_cast<const RunSetup*>(argument)); },
                                static_cast<char*>(stack) + kChildStackBytes, CLONE_VM | CLONE_VFORK | SIGCHLD, &setup);
    int clone_error = errno;
    ::close(fds[0]);
    ::close(error_pipe[1]);
    if (child < 0) {
        close_all(fds + 1, 2);
        ::close(error_pipe[0]);
        send_simple(socket, MessageType::exec_failed, clone_error, "start the process");
        return -1;
    }
    RunSetupError setup_error;
    ssize_t n;
    do {
        n = ::read(error_pipe[0], &setup_error, sizeof setup_error);
    } while (n < 0 && errno == EINTR);
    ::close(error_pipe[0]);
    if (n != static_cast<ssize_t>(sizeof setup_error)) return child;
    close_all(fds + 1, 2);
    Reaped ignored;
    kill_and_reap_all(ignored);
    clear_ipc_objects();
    setup_error.stage[sizeof setup_error.stage - 1] = '\0';
    MessageHeader failed{};
    failed.type = MessageType::exec_failed;
    failed.value = setup_error.error;
    failed.max_rss_kb = static_cast<int64_t>(setup_error.static_bytes >> 10);
    send_message(socket, failed, setup_error.stage, std::strlen(setup_error.stage));
    return -1;
}

// Waits for the run's first process to end, reaping whatever ends meanwhile into `reaped`, and
// kills the run when the supervisor asks. Returns the first process's wait status.
int wait_for_run(int socket, int signal_fd, uint64_t run_id, pid_t child, Reaped& reaped) {
    for (;;) {
        pollfd watched[2] = {{socket, POLLIN, 0}, {signal_fd, POLLIN, 0}};
        if (::poll(watched, 2, -1) < 0 && errno != EINTR) shut_down();
        if (watched[0].revents) {
            MessageHeader message{};
            size_t ignored_length;
            int passed[kMaxPassedFds];
            int passed_count = 0;
            if (receive_message(socket, message, scratch, sizeof scratch, ignored_length, passed, passed_count) <= 0)
                shut_down();
            close_all(passed, passed_count);
            if (message.type == MessageType::kill && message.run_id == run_id) ::kill(-1, SIGKILL);
        }
        if (!watched[1].revents) continue;
        signalfd_siginfo info;
        (void)!::read(signal_fd, &info, sizeof info);
        int status, main_status = 0;
        bool main_done = false;
        rusage usage{};
        pid_t pid;
        while ((pid = ::wait4(-1, &status, WNOHANG | __WALL, &usage)) > 0) {
            reaped.add(usage);
            if (pid == child) {
                main_status = status;
                main_done = true;
            }
        }
        if (main_done) return main_status;
    }
}

// One run: start its first process, then wait for it to end. init lives
// in the run's cgroups; its own CPU time from `cpu_start_ns` is reported for the supervisor to
// leave out of the run's.
void serve_run(const InitConfig& config, int signal_fd, const MessageHeader& request, size_t length, int* fds,
               int fd_count, int64_t cpu_start_ns) {
    const int socket = config.control_socket;
    RunSetup setup;
    if (!unpack_run_request(request, length, fd_count, setup)) {
        close_all(fds, fd_count);
        send_simple(socket, MessageType::exec_failed, EPROTO, "read the run request");
        return;
    }
    pid_t child = start_run(socket, setup, fds);
    if (child < 0) return;
    // No "started" message: the supervisor has nothing to do until the run ends, and waking it
    // (while the run wants the CPU) costs more than it tells.
    Reaped reaped;
    int main_status = wait_for_run(socket, signal_fd, request.run_id, child, reaped);
    // The run ends with its first process: daemons and orphans it left go with it, and so do
    // the IPC objects it made.
    kill_and_reap_all(reaped);
    clear_ipc_objects();
    MessageHeader exited{};
    exited.type = MessageType::exited;
    exited.value = main_status;
    exited.user_us = reaped.user_us;
    exited.system_us = reaped.system_us;
    exited.max_rss_kb = reaped.max_rss_kb;
    exited.init_cpu_ns = own_cpu_ns() - cpu_start_ns;
    close_all(fds + 1, 2);
    send_message(socket, exited);
}

// The last step of setting up: from here init keeps full capabilities over its runs (all of them
// in the same inner namespace) but none over the mounts, network and IPC namespace, which belong
// to the outer one. Nothing after this needs them: IPC objects are removed as their owners (see
// clear_ipc_objects).
int enter_inner_user_namespace(const InitConfig& config) {
    if (::unshare(CLONE_NEWUSER) != 0) return errno;
    char byte = 'm';
    if (::write(config.user_map_request, &byte, 1) != 1) return errno;
    int32_t error = EPROTO;
    if (::read(config.user_map_done, &error, sizeof error) != static_cast<ssize_t>(sizeof error)) return EPROTO;
    ::close(config.user_map_request);
    ::close(config.user_map_done);
    return error;
}

}  // namespace

void run_init(const InitConfig& config) {
    const int socket = config.control_socket;
    ::prctl(PR_SET_NAME, "autograder-init", 0, 0, 0);
    // A session of its own, without a controlling terminal, for every run to share: the host's
    // terminal (if it has one) is out of reach, and runs need not make sessions (see
    // run_process.hpp).
    if (::setsid() < 0) {
        send_simple(socket, MessageType::error, errno, "setsid", kNotARootOperation);
        ::_exit(1);
    }
    // The process that made the namespaces moves init into the sandbox's cgroups meanwhile (see
    // sandbox.cpp); init does not use them itself.
    for (int fd : config.cgroup_procs_fds) ::close(fd);
    RootFailure failure;
    if (!execute_root_plan(config.root, failure)) {
        auto index = static_cast<uint32_t>(failure.operation - config.root.operations.data());
        send_simple(socket, MessageType::error, failure.error, nullptr, index);
        ::_exit(1);
    }
    if (config.loopback_network)
        if (int error = bring_up_loopback(); error != 0) {
            send_simple(socket, MessageType::error, error, "bring up the loopback interface", kNotARootOperation);
            ::_exit(1);
        }
    if (int error = enter_inner_user_namespace(config); error != 0) {
        // A negative answer: init could not be moved into the sandbox's cgroups.
        send_simple(socket, MessageType::error, error < 0 ? -error : error,
                    error < 0 ? "join the sandbox's cgroups" : "enter the inner user namespace", kNotARootOperation);
        ::_exit(1);
    }
    // Moved into the sandbox's cgroups by now (the answer above came after): a cgroup namespace
    // rooted there, so that a run's /proc/self/cgroup reads "/" and names nothing of the host's
    // hierarchy (which carries the supervisor's pid).
    if (::unshare(CLONE_NEWCGROUP) != 0) {
        send_simple(socket, MessageType::error, errno, "make the cgroup namespace", kNotARootOperation);
        ::_exit(1);
    }
    sigset_t child_signals;
    sigemptyset(&child_signals);
    sigaddset(&child_signals, SIGCHLD);
    ::sigprocmask(SIG_BLOCK, &child_signals, nullptr);
    int signal_fd = ::signalfd(-1, &child_signals, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signal_fd < 0) {
        send_simple(socket, MessageType::error, errno, "signalfd", kNotARootOperation);
        ::_exit(1);
    }
    // The system-call filter, once for the whole sandbox: every run inherits it by fork, so no
    // run pays for the kernel's preparing it (copying, checking and compiling the program and
    // working out which calls it always allows). init makes no call it forbids from here on.
    if (int error = install_seccomp(*config.seccomp); error != 0) {
        send_simple(socket, MessageType::error, error, "install the seccomp filter", kNotARootOperation);
        ::_exit(1);
    }
    send_simple(socket, MessageType::ready, 0);

    for (;;) {
        MessageHeader request{};
        size_t length = 0;
        int fds[kMaxPassedFds];
        int fd_count = 0;
        const int64_t cpu_start_ns = own_cpu_ns();  // blocked in receive, init spends none
        if (receive_message(socket, request, request_buffer, kMaxMessageBytes, length, fds, fd_count) <= 0) shut_down();
        if (request.type == MessageType::run)
            serve_run(config, signal_fd, request, length, fds, fd_count, cpu_start_ns);
        else
            close_all(fds, fd_count);
    }
}

}  // namespace autograder::sandbox
