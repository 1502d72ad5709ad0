#include "init_process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
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

// The sandbox's warm interpreter (see warm_python_program.hpp), when it has one: a child of init
// that outlives runs. What a run could change of it from outside (it is the same user as the
// run) is recorded when it is ready and checked after every run: a run that stopped it is
// undone (SIGCONT), one that changed its priority, scheduling, affinity, I/O priority or limits
// (none of which init may raise back) ends it, and later runs start as usual.
constexpr int kWarmLimitResources[] = {RLIMIT_CPU,  RLIMIT_FSIZE,   RLIMIT_NOFILE,    RLIMIT_NPROC,  RLIMIT_STACK,
                                       RLIMIT_CORE, RLIMIT_MEMLOCK, RLIMIT_MSGQUEUE,  RLIMIT_RTPRIO, RLIMIT_NICE,
                                       RLIMIT_AS,   RLIMIT_DATA,    RLIMIT_SIGPENDING};
struct WarmInterpreter {
    pid_t pid = -1;
    int channel = -1;  // init's end of its SOCK_SEQPACKET pair
    int nice = 0;
    long io_priority = 0;
    cpu_set_t affinity{};
    rlimit limits[std::size(kWarmLimitResources)]{};
};
WarmInterpreter warm;
char warm_buffer[kMaxMessageBytes];

long io_priority_of(pid_t pid) {
    return ::syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, pid);
}

// Forgets the warm interpreter (ended or reaped elsewhere).
void forget_warm() {
    if (warm.channel >= 0) ::close(warm.channel);
    warm = WarmInterpreter();
}

// Ends the warm interpreter and reaps it.
void end_warm() {
    if (warm.pid > 0) {
        ::kill(warm.pid, SIGKILL);
        int status;
        while (::waitpid(warm.pid, &status, __WALL) < 0 && errno == EINTR) {
        }
    }
    forget_warm();
}

bool record_warm_state(pid_t pid) {
    errno = 0;
    warm.nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(pid));
    if (errno != 0) return false;
    warm.io_priority = io_priority_of(pid);
    if (warm.io_priority < 0 || ::sched_getaffinity(pid, sizeof warm.affinity, &warm.affinity) != 0) return false;
    for (size_t i = 0; i < std::size(kWarmLimitResources); ++i)
        if (::prlimit(pid, static_cast<__rlimit_resource>(kWarmLimitResources[i]), nullptr, &warm.limits[i]) != 0)
            return false;
    return true;
}

// After a run: the warm interpreter as it was when it got ready, or none.
void check_warm_state() {
    if (warm.pid <= 0) return;
    ::kill(warm.pid, SIGCONT);
    errno = 0;
    bool intact = ::getpriority(PRIO_PROCESS, static_cast<id_t>(warm.pid)) == warm.nice && errno == 0 &&
                  ::sched_getscheduler(warm.pid) == SCHED_OTHER && io_priority_of(warm.pid) == warm.io_priority;
    cpu_set_t affinity;
    intact = intact && ::sched_getaffinity(warm.pid, sizeof affinity, &affinity) == 0 &&
             CPU_EQUAL(&affinity, &warm.affinity);
    for (size_t i = 0; intact && i < std::size(kWarmLimitResources); ++i) {
        rlimit now{};
        intact = ::prlimit(warm.pid, static_cast<__rlimit_resource>(kWarmLimitResources[i]), nullptr, &now) == 0 &&
                 now.rlim_cur == warm.limits[i].rlim_cur && now.rlim_max == warm.limits[i].rlim_max;
    }
    if (!intact) end_warm();
}

// A process init reaped: when it is the warm interpreter, there is none any more.
void note_reaped(pid_t pid) {
    if (pid > 0 && pid == warm.pid) forget_warm();
}

// SIGKILLs every process of the namespace but init and the warm interpreter; returns how many
// it found (zombies included).
int kill_all_but_warm() {
    if (warm.pid <= 0) {
        ::kill(-1, SIGKILL);
        return 0;
    }
    static char entries[16384];
    int found = 0;
    int proc = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (proc < 0) return 0;
    long n;
    while ((n = ::syscall(SYS_getdents64, proc, entries, sizeof entries)) > 0)
        for (long offset = 0; offset < n;) {
            auto* entry = reinterpret_cast<dirent64*>(entries + offset);
            offset += entry->d_reclen;
            pid_t pid = 0;
            const char* name = entry->d_name;
            for (; *name >= '0' && *name <= '9'; ++name) pid = pid * 10 + (*name - '0');
            if (*name != '\0' || pid <= 1 || pid == warm.pid) continue;
            ::kill(pid, SIGKILL);
            ++found;
        }
    ::close(proc);
    return found;
}

// Kills every process of the run (every process of the namespace but init and the warm
// interpreter), and waits for all of them.
void kill_and_reap_all(Reaped& reaped, int signal_fd = -1) {
    int status;
    rusage usage{};
    pid_t pid;
    if (warm.pid <= 0) {
        ::kill(-1, SIGKILL);
        while ((pid = ::wait4(-1, &status, __WALL, &usage)) > 0) {
            note_reaped(pid);
            reaped.add(usage);
        }
        return;
    }
    for (;;) {
        int found = kill_all_but_warm();
        while ((pid = ::wait4(-1, &status, WNOHANG | __WALL, &usage)) > 0) {
            note_reaped(pid);
            if (warm.pid <= 0) return kill_and_reap_all(reaped);
            reaped.add(usage);
        }
        if (found == 0) return;
        // Killed processes leave a moment later (and orphans come to init): wait for a child's end.
        pollfd watched{signal_fd, POLLIN, 0};
        if (signal_fd >= 0 && ::poll(&watched, 1, 10) > 0) {
            signalfd_siginfo info;
            (void)!::read(signal_fd, &info, sizeof info);
        } else if (signal_fd < 0) {
            ::sched_yield();
        }
    }
}

[[noreturn]] void shut_down() {
    forget_warm();
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

// Reads the supervisor's message while a run is in progress: true when it asks to kill that run.
// Only a kill is expected then; the supervisor gone (or a broken channel) ends the sandbox.
bool kill_requested(int socket, uint64_t run_id) {
    MessageHeader message{};
    size_t ignored_length;
    int passed[kMaxPassedFds];
    int passed_count = 0;
    if (receive_message(socket, message, scratch, sizeof scratch, ignored_length, passed, passed_count) <= 0)
        shut_down();
    close_all(passed, passed_count);
    return message.type == MessageType::kill && message.run_id == run_id;
}

// Waits for the run's first process to end, reaping whatever ends meanwhile into `reaped`, and
// kills the run when the supervisor asks. Returns the first process's wait status.
int wait_for_run(int socket, int signal_fd, uint64_t run_id, pid_t child, Reaped& reaped) {
    for (;;) {
        pollfd watched[2] = {{socket, POLLIN, 0}, {signal_fd, POLLIN, 0}};
        if (::poll(watched, 2, -1) < 0 && errno != EINTR) shut_down();
        if (watched[0].revents && kill_requested(socket, run_id)) kill_all_but_warm();
        if (!watched[1].revents) continue;
        signalfd_siginfo info;
        (void)!::read(signal_fd, &info, sizeof info);
        int status, main_status = 0;
        bool main_done = false;
        rusage usage{};
        pid_t pid;
        while ((pid = ::wait4(-1, &status, WNOHANG | __WALL, &usage)) > 0) {
            note_reaped(pid);
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
    kill_and_reap_all(reaped, signal_fd);
    clear_ipc_objects();
    check_warm_state();
    MessageHeader exited{};
    exited.type = MessageType::exited;
    exited.warm = warm.pid > 0 ? 1 : 0;
    exited.value = main_status;
    exited.user_us = reaped.user_us;
    exited.system_us = reaped.system_us;
    exited.max_rss_kb = reaped.max_rss_kb;
    exited.init_cpu_ns = own_cpu_ns() - cpu_start_ns;
    close_all(fds + 1, 2);
    send_message(socket, exited);
}

void send_exited(int socket, int status, const Reaped& reaped, int64_t init_cpu_ns) {
    MessageHeader exited{};
    exited.type = MessageType::exited;
    exited.warm = warm.pid > 0 ? 1 : 0;
    exited.value = status;
    exited.user_us = reaped.user_us;
    exited.system_us = reaped.system_us;
    exited.max_rss_kb = reaped.max_rss_kb;
    exited.init_cpu_ns = init_cpu_ns;
    send_message(socket, exited);
}

// Starts the warm interpreter as a run of the student's (its argv, environment, folder and
// limits) with its channel on descriptor 3, and waits until it says it is ready, ends, or the
// supervisor kills it (a wall or CPU limit). Answers with `exited`: status 0 and warm 1 when ready.
void serve_start_warm(const InitConfig& config, int signal_fd, const MessageHeader& request, size_t length, int* fds,
                      int fd_count, int64_t cpu_start_ns) {
    const int socket = config.control_socket;
    end_warm();
    RunSetup setup;
    int pair[2];
    if (!unpack_run_request(request, length, fd_count, setup) || request.uid != static_cast<uint32_t>(kSandboxUid) ||
        ::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
        close_all(fds, fd_count);
        send_simple(socket, MessageType::exec_failed, EPROTO, "start the warm interpreter");
        return;
    }
    setup.warm_channel = pair[1];
    pid_t child = start_run(socket, setup, fds);
    ::close(pair[1]);
    if (child < 0) {
        ::close(pair[0]);
        return;
    }
    Reaped reaped;
    int status = W_EXITCODE(0, SIGKILL);
    bool ready = false, over = false;
    while (!over) {
        pollfd watched[3] = {{socket, POLLIN, 0}, {signal_fd, POLLIN, 0}, {pair[0], POLLIN, 0}};
        if (::poll(watched, 3, -1) < 0 && errno != EINTR) shut_down();
        if (watched[0].revents && kill_requested(socket, request.run_id)) ::kill(child, SIGKILL);
        if (watched[2].revents) {
            char answer = 0;
            ready = ::recv(pair[0], &answer, 1, MSG_DONTWAIT) == 1 && answer == 'R';
            over = true;
        }
        if (watched[1].revents) {
            signalfd_siginfo info;
            (void)!::read(signal_fd, &info, sizeof info);
            int child_status;
            rusage usage{};
            pid_t pid;
            while ((pid = ::wait4(-1, &child_status, WNOHANG | __WALL, &usage)) > 0) {
                reaped.add(usage);
                if (pid == child) {
                    status = child_status;
                    child = -1;
                    over = true;
                }
            }
        }
    }
    if (ready && record_warm_state(child)) {
        warm.pid = child;
        warm.channel = pair[0];
        status = 0;
    } else {
        ::close(pair[0]);
        if (child > 0) ::kill(child, SIGKILL);
        kill_and_reap_all(reaped);
        if (ready) status = W_EXITCODE(0, SIGKILL);
    }
    clear_ipc_objects();
    close_all(fds + 1, 2);
    send_exited(socket, status, reaped, own_cpu_ns() - cpu_start_ns);
}

// Appends `text` and a NUL to warm_buffer at `used`; false when it does not fit.
bool append_field(size_t& used, const char* text) {
    size_t length = std::strlen(text) + 1;
    if (used + length > sizeof warm_buffer) return false;
    std::memcpy(warm_buffer + used, text, length);
    used += length;
    return true;
}

// One run forked from the warm interpreter: the request goes to it with the run's stdio, and its
// answer (the run's first process's wait status and usage) ends the run as that process's exit
// does for a run started by init. Everything else is as for any run: a kill from the supervisor,
// orphans reaped, every process of the run killed at its end (the interpreter spared), IPC
// objects removed.
void serve_warm_run(const InitConfig& config, int signal_fd, const MessageHeader& request, size_t length, int* fds,
                    int fd_count, int64_t cpu_start_ns) {
    const int socket = config.control_socket;
    RunSetup setup;
    if (warm.pid <= 0 || !unpack_run_request(request, length, fd_count, setup) ||
        request.uid != static_cast<uint32_t>(kSandboxUid)) {
        close_all(fds, fd_count);
        send_simple(socket, MessageType::exec_failed, ESRCH, "reach the warm interpreter");
        return;
    }
    size_t used = 0;
    bool fits = true;
    for (uint64_t value : {request.limits.cpu_seconds, request.limits.file_size_bytes, request.limits.open_files,
                           request.limits.processes, request.limits.stack_bytes}) {
        char number[24];
        std::snprintf(number, sizeof number, "%llu", static_cast<unsigned long long>(value));
        fits = fits && append_field(used, number);
    }
    fits = fits && append_field(used, setup.cwd);
    for (char* const* arg = setup.argv; fits && *arg; ++arg) fits = append_field(used, *arg);
    if (!fits || !send_raw(warm.channel, warm_buffer, used - 1, fds, 3)) {
        close_all(fds, fd_count);
        end_warm();
        send_simple(socket, MessageType::exec_failed, fits ? errno : E2BIG, "reach the warm interpreter");
        return;
    }
    ::close(fds[0]);
    Reaped reaped;
    int main_status = W_EXITCODE(0, SIGKILL);
    int64_t warm_cpu_ns = 0;
    for (bool over = false; !over;) {
        pollfd watched[3] = {{socket, POLLIN, 0}, {signal_fd, POLLIN, 0}, {warm.channel, POLLIN, 0}};
        if (::poll(watched, 3, -1) < 0 && errno != EINTR) shut_down();
        if (watched[0].revents) {
            MessageHeader message{};
            size_t ignored_length;
            int passed[kMaxPassedFds];
            int passed_count = 0;
            if (receive_message(socket, message, scratch, sizeof scratch, ignored_length, passed, passed_count) <= 0)
                shut_down();
            close_all(passed, passed_count);
            if (message.type == MessageType::kill && message.run_id == request.run_id) {
                kill_all_but_warm();
                ::kill(warm.pid, SIGCONT);  // a run that stopped it would hold its answer back
            }
        }
        if (watched[2].revents) {
            ssize_t n = ::recv(warm.channel, scratch, sizeof scratch - 1, MSG_DONTWAIT);
            if (n <= 0) {
                end_warm();  // it broke off: the run is over with it
            } else {
                scratch[n] = '\0';
                int status = 0;
                long long user_us = 0, system_us = 0, max_rss_kb = 0, spent_ns = 0;
                if (std::sscanf(scratch, "E %d %lld %lld %lld %lld", &status, &user_us, &system_us, &max_rss_kb,
                                &spent_ns) == 5) {
                    main_status = status;
                    reaped.user_us += user_us;
                    reaped.system_us += system_us;
                    reaped.max_rss_kb = std::max<int64_t>(reaped.max_rss_kb, max_rss_kb);
                    warm_cpu_ns = spent_ns;
                } else {
                    end_warm();
                }
            }
            over = true;
        }
        if (watched[1].revents) {
            signalfd_siginfo info;
            (void)!::read(signal_fd, &info, sizeof info);
            int status;
            rusage usage{};
            pid_t pid;
            while ((pid = ::wait4(-1, &status, WNOHANG | __WALL, &usage)) > 0) {
                if (pid == warm.pid) {
                    forget_warm();  // killed by the run: the run ends with it
                    over = true;
                } else {
                    reaped.add(usage);
                }
            }
        }
    }
    kill_and_reap_all(reaped, signal_fd);
    clear_ipc_objects();
    check_warm_state();
    close_all(fds + 1, 2);
    send_exited(socket, main_status, reaped, own_cpu_ns() - cpu_start_ns + warm_cpu_ns);
}

// Joins the network namespace the outer process made while init built the root, once it says
// so (its answer comes first on user_map_done). Through the outer process's /proc entry, opened
// before init replaced the root. Returns 0 or an errno value.
int enter_network_namespace(const InitConfig& config, int outer_entry) {
    int32_t error = EPROTO;
    if (::read(config.user_map_done, &error, sizeof error) != static_cast<ssize_t>(sizeof error)) error = EPROTO;
    if (error == 0) {
        const int net = ::openat(outer_entry, "ns/net", O_RDONLY | O_CLOEXEC);
        if (net < 0 || ::setns(net, CLONE_NEWNET) != 0) error = errno;
        if (net >= 0) ::close(net);
    }
    ::close(outer_entry);
    return error;
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

// Moves init into the sandbox's cgroups: the supervisor sends the files as soon as it has made
// the cgroups, while init builds its root. A single-threaded process writing "0" to a v1 `tasks` file
// moves only itself, so the kernel skips the host-wide lock that a move by pid takes and whose
// first taker waits for an RCU grace period: the move costs microseconds, not milliseconds.
// Returns 0 or an errno value.
int join_cgroups(int socket) {
    MessageHeader message{};
    size_t length = 0;
    int fds[kMaxPassedFds];
    int fd_count = 0;
    if (receive_message(socket, message, scratch, sizeof scratch, length, fds, fd_count) <= 0) return EPROTO;
    int error = message.type == MessageType::join_cgroups ? 0 : EPROTO;
    for (int i = 0; i < fd_count; ++i) {
        if (error == 0 && ::write(fds[i], "0", 1) != 1) error = errno;
        ::close(fds[i]);  // host files: no run may inherit them
    }
    return error;
}

}  // namespace

void run_init(const InitConfig& config, int outer_entry) {
    const int socket = config.control_socket;
    ::prctl(PR_SET_NAME, "autograder-init", 0, 0, 0);
    // A session of its own, without a controlling terminal, for every run to share: the host's
    // terminal (if it has one) is out of reach, and runs need not make sessions (see
    // run_process.hpp).
    if (::setsid() < 0) {
        send_simple(socket, MessageType::error, errno, "setsid", kNotARootOperation);
        ::_exit(1);
    }
    RootFailure failure;
    if (!execute_root_plan(config.root, failure)) {
        auto index = static_cast<uint32_t>(failure.operation - config.root.operations.data());
        send_simple(socket, MessageType::error, failure.error, nullptr, index);
        ::_exit(1);
    }
    // Once the root is built: the supervisor makes the cgroups meanwhile. Before the first run
    // and before init makes its cgroup namespace, whose root is the cgroup it is in.
    if (int error = join_cgroups(socket); error != 0) {
        send_simple(socket, MessageType::error, error, "join the sandbox's cgroups", kNotARootOperation);
        ::_exit(1);
    }
    if (int error = enter_network_namespace(config, outer_entry); error != 0) {
        send_simple(socket, MessageType::error, error, "make the network namespace", kNotARootOperation);
        ::_exit(1);
    }
    if (config.loopback_network)
        if (int error = bring_up_loopback(); error != 0) {
            send_simple(socket, MessageType::error, error, "bring up the loopback interface", kNotARootOperation);
            ::_exit(1);
        }
    if (int error = enter_inner_user_namespace(config); error != 0) {
        // A negative answer: the supervisor could not move init into the sandbox's v2 cgroup.
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
        if (request.type == MessageType::run && request.warm)
            serve_warm_run(config, signal_fd, request, length, fds, fd_count, cpu_start_ns);
        else if (request.type == MessageType::run)
            serve_run(config, signal_fd, request, length, fds, fd_count, cpu_start_ns);
        else if (request.type == MessageType::start_warm)
            serve_start_warm(config, signal_fd, request, length, fds, fd_count, cpu_start_ns);
        else
            close_all(fds, fd_count);
    }
}

}  // namespace autograder::sandbox
