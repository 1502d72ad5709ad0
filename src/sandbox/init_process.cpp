#include "init_process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

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
#include "file_descriptor.hpp"
#include "net_namespace.hpp"
#include "protocol.hpp"
#include "run_process.hpp"

namespace autograder::sandbox {
namespace {

constexpr size_t kChildStackBytes = 256 * 1024;

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

void send_text(int socket, MessageType type, int value, const std::string& text) {
    MessageHeader header{};
    header.type = type;
    header.value = value;
    send_message(socket, header, text);
}

// One run: fork its first process, report that it started, then wait for it to end.
void serve_run(const InitConfig& config, int signal_fd, const MessageHeader& request,
               const std::string& payload, std::vector<int>& fds) {
    const int socket = config.control_socket;
    auto close_received = [&] {
        for (int fd : fds) ::close(fd);
        fds.clear();
    };
    size_t offset = 0;
    auto argv_strings = unpack_strings(payload, offset, request.count_a);
    auto env_strings = unpack_strings(payload, offset, request.count_b);
    auto cwd = unpack_strings(payload, offset, 1);
    if (fds.size() != 3 || argv_strings.empty() || cwd.size() != 1) {
        close_received();
        send_text(socket, MessageType::exec_failed, EPROTO, "malformed run request");
        return;
    }
    std::vector<char*> argv, envp;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);

    int error_pipe[2];
    if (::pipe2(error_pipe, O_CLOEXEC) != 0) {
        close_received();
        send_text(socket, MessageType::exec_failed, errno, "pipe");
        return;
    }
    RunSetup setup;
    setup.argv = argv.data();
    setup.envp = envp.data();
    setup.cwd = cwd[0].c_str();
    setup.limits = request.limits;
    setup.stdin_fd = fds[0];
    setup.stdout_fd = fds[1];
    setup.stderr_fd = fds[2];
    setup.cgroup_procs_fds = &config.cgroup_procs_fds;
    setup.seccomp = config.seccomp;
    setup.error_pipe = error_pipe[1];

    // The run's first process shares init's memory until it execs (as posix_spawn does): no
    // page-table copy of init, which is itself a copy of the host process and may be large.
    static void* stack = ::mmap(nullptr, kChildStackBytes, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        close_received();
        send_text(socket, MessageType::exec_failed, errno, "mmap");
        return;
    }
    pid_t child = ::clone(
        [](void* argument) -> int { exec_run(*static_cast<const RunSetup*>(argument)); },
        static_cast<char*>(stack) + kChildStackBytes, CLONE_VM | CLONE_VFORK | SIGCHLD, &setup);
    close_received();
    ::close(error_pipe[1]);
    if (child < 0) {
        ::close(error_pipe[0]);
        send_text(socket, MessageType::exec_failed, errno, "fork");
        return;
    }
    RunSetupError setup_error;
    ssize_t n;
    do {
        n = ::read(error_pipe[0], &setup_error, sizeof setup_error);
    } while (n < 0 && errno == EINTR);
    ::close(error_pipe[0]);
    if (n == static_cast<ssize_t>(sizeof setup_error)) {
        Reaped ignored;
        kill_and_reap_all(ignored);
        send_text(socket, MessageType::exec_failed, setup_error.error, setup_error.stage);
        return;
    }
    MessageHeader started{};
    started.type = MessageType::started;
    started.value = child;
    send_message(socket, started);

    Reaped reaped;
    int main_status = 0;
    bool main_done = false;
    while (!main_done) {
        pollfd watched[2] = {{socket, POLLIN, 0}, {signal_fd, POLLIN, 0}};
        if (::poll(watched, 2, -1) < 0 && errno != EINTR) shut_down();
        if (watched[0].revents) {
            MessageHeader message{};
            std::string ignored_payload;
            if (receive_message(socket, message, ignored_payload) <= 0) shut_down();
            if (message.type == MessageType::kill && message.run_id == request.run_id)
                ::kill(-1, SIGKILL);
        }
        if (watched[1].revents) {
            signalfd_siginfo info;
            (void)!::read(signal_fd, &info, sizeof info);
            int status;
            rusage usage{};
            pid_t pid;
            while ((pid = ::wait4(-1, &status, WNOHANG | __WALL, &usage)) > 0) {
                reaped.add(usage);
                if (pid == child) {
                    main_status = status;
                    main_done = true;
                }
            }
        }
    }
    // The run ends with its first process: daemons and orphans it left go with it.
    kill_and_reap_all(reaped);
    MessageHeader exited{};
    exited.type = MessageType::exited;
    exited.value = main_status;
    exited.user_us = reaped.user_us;
    exited.system_us = reaped.system_us;
    exited.max_rss_kb = reaped.max_rss_kb;
    send_message(socket, exited);
}

}  // namespace

void run_init(const InitConfig& config) {
    const int socket = config.control_socket;
    ::prctl(PR_SET_NAME, "autograder-init", 0, 0, 0);
    std::string problem = build_root(config.root);
    if (problem.empty() && config.loopback_network) problem = bring_up_loopback();
    if (!problem.empty()) {
        send_text(socket, MessageType::error, 0, problem);
        ::_exit(1);
    }
    sigset_t child_signals;
    sigemptyset(&child_signals);
    sigaddset(&child_signals, SIGCHLD);
    ::sigprocmask(SIG_BLOCK, &child_signals, nullptr);
    int signal_fd = ::signalfd(-1, &child_signals, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signal_fd < 0) {
        send_text(socket, MessageType::error, 0, errno_message("signalfd"));
        ::_exit(1);
    }
    MessageHeader ready{};
    ready.type = MessageType::ready;
    if (!send_message(socket, ready)) ::_exit(1);

    for (;;) {
        MessageHeader request{};
        std::string payload;
        std::vector<int> fds;
        if (receive_message(socket, request, payload, &fds) <= 0) shut_down();
        if (request.type == MessageType::run) {
            serve_run(config, signal_fd, request, payload, fds);
        } else {
            for (int fd : fds) ::close(fd);
        }
    }
}

}  // namespace autograder::sandbox
