// Sandbox: making one (user namespace + the rest, then init), running programs in it, and
// tearing it down. The parts live in their own files: cgroup, seccomp_filter, mount_namespace,
// net_namespace, init_process (pid), run_process (subproc), run_verdict, workspace_files.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.hpp"
#include "fork_guard.hpp"
#include "init_process.hpp"
#include "leftovers.hpp"
#include "mount_namespace.hpp"
#include "protocol.hpp"
#include "run_process.hpp"
#include "run_verdict.hpp"
#include "sandbox_impl.hpp"
#include "seccomp_filter.hpp"
#include "warm_python_program.hpp"

namespace autograder {

namespace sandbox {
thread_local std::optional<int> runs_nice;
}  // namespace sandbox

using sandbox::FileDescriptor;
using sandbox::MessageHeader;
using sandbox::MessageType;
using Clock = std::chrono::steady_clock;

namespace {

// The network namespace is made apart, once init is forked (see run_outer).
constexpr int kNamespaces = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP;
constexpr auto kSetupTimeout = std::chrono::seconds(20);
// How long init may take to report a run's end after being told to kill it.
constexpr auto kKillGrace = std::chrono::seconds(10);
// How long a sandbox's init may take to end everything when the sandbox is destroyed.
constexpr auto kShutdownGrace = std::chrono::milliseconds(5000);
constexpr int kCpuCheckMs = 10;

std::atomic<uint64_t> sandbox_counter{0};

std::string sandbox_name() {
    return fmt::format("{}{}-{}", sandbox::kSandboxCgroupPrefix, ::getpid(), sandbox_counter.fetch_add(1));
}

// Each sandbox's users (student and grader) map to their own pair of unprivileged host uids, so
// that two sandboxes, or the student and the grader of one, never share an identity on the host,
// even if one escaped its namespaces. Returns the first of the pair.
uint32_t allocate_host_uids() {
    static std::atomic<uint32_t> next{0};
    uint32_t slot = (static_cast<uint32_t>(::getpid()) * 7919u + next.fetch_add(1)) % 250000u;
    return 1000000u + 2 * slot;
}

// Waits up to `timeout` for the process behind `pidfd` to end; false when it still runs.
bool wait_for_end(int pidfd, std::chrono::milliseconds timeout) {
    pollfd watched{pidfd, POLLIN, 0};
    int n;
    while ((n = ::poll(&watched, 1, static_cast<int>(timeout.count()))) < 0 && errno == EINTR) {
    }
    return n > 0;
}

// Waits up to `timeout` for a child to end and reaps it; false when it is still running.
bool reap_within(pid_t pid, std::chrono::milliseconds timeout) {
    FileDescriptor handle(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    if (handle && !wait_for_end(handle.get(), timeout)) return false;
    int status;
    pid_t done;
    while ((done = ::waitpid(pid, &status, handle ? WNOHANG : 0)) < 0 && errno == EINTR) {
    }
    return done == pid || (done < 0 && errno == ECHILD);
}

// Closes every descriptor of the calling (just forked) process except `keep`, which is sorted.
void close_all_except(const std::vector<int>& keep) {
    unsigned first = 3;
    for (int fd : keep) {
        if (fd < 3) continue;
        if (static_cast<unsigned>(fd) > first) ::syscall(SYS_close_range, first, static_cast<unsigned>(fd) - 1, 0u);
        first = static_cast<unsigned>(fd) + 1;
    }
    ::syscall(SYS_close_range, first, ~0u, 0u);
}

bool wait_readable(int fd, Clock::time_point deadline) {
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return false;
        pollfd watched{fd, POLLIN, 0};
        int n = ::poll(&watched, 1, static_cast<int>(left.count()));
        if (n > 0) return true;
        if (n < 0 && errno != EINTR) return false;
    }
}

bool read_exact(int fd, void* buffer, size_t size, Clock::time_point deadline) {
    auto* out = static_cast<char*>(buffer);
    while (size > 0) {
        if (!wait_readable(fd, deadline)) return false;
        ssize_t n = ::read(fd, out, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        out += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

// What init reported before dying, if it did: the failed operation of the root plan (or the
// stage it names) and the system's reason.
std::string init_error(int control, const sandbox::RootPlan& plan) {
    if (!wait_readable(control, Clock::now() + std::chrono::milliseconds(500))) return {};
    MessageHeader header{};
    std::string payload;
    if (sandbox::receive_message(control, header, payload) <= 0 || header.type != MessageType::error) return {};
    std::string what =
        header.count_a < plan.operations.size() ? sandbox::describe(plan.operations[header.count_a]) : payload;
    return sandbox::errno_message(what, header.value);
}

void write_id_maps(pid_t pid, uint32_t student_uid, uint32_t grader_uid) {
    // Inside uid 0 is the sandbox's own init (host root: it must manage mounts and cgroups but
    // never runs untrusted code); the student and the grader are unprivileged host uids.
    auto map = fmt::format("0 0 1\n{} {} 1\n{} {} 1\n", kSandboxUid, student_uid, kGraderUid, grader_uid);
    sandbox::write_small_file(fmt::format("/proc/{}/uid_map", pid), map);
    sandbox::write_small_file(fmt::format("/proc/{}/gid_map", pid), map);
}

// The identity map of the user namespace that init enters once the root is built (see
// run_init): the runs' view of their own uid_map names no host uid.
constexpr char kInnerIdMap[] = "0 0 1\n1000 1000 1\n1001 1001 1\n";
static_assert(kSandboxUid == 1000 && kGraderUid == 1001, "kInnerIdMap lists the sandbox's users");

// The outer process's ends of the pipes through which init asks for its inner user namespace's
// maps (init cannot write them itself: only a process of the parent namespace may map more than
// one id).
struct InnerMapPipes {
    int request_read = -1;
    int done_write = -1;
};

// Moves init into the sandbox's v2 cgroup (none on a host whose resources are all v1: there init
// moves itself, see join_cgroups in init_process.cpp), while init builds the root: this move may
// wait for an RCU grace period, which then costs less. Returns 0 or the errno.
int move_into_v2_cgroup(pid_t init, const std::vector<int>& procs_fds) {
    if (procs_fds.empty()) return 0;
    char text[16];
    size_t length = 0;
    for (auto value = static_cast<unsigned>(init); length == 0 || value > 0; value /= 10)
        text[length++] = static_cast<char>('0' + value % 10);
    std::reverse(text, text + length);
    for (int fd : procs_fds)
        if (::write(fd, text, length) != static_cast<ssize_t>(length)) return errno;
    return 0;
}

// Writes the inner namespace's maps for init, which asks once, after its pivot_root: by then
// this process's root is the sandbox's too (pivot_root moves every process of the mount
// namespace), and /proc/1 there is init. Answers with the errno (0: done), or with minus the
// errno of `join_error` (init could not be moved into the sandbox's cgroups).
void serve_inner_map_request(const InnerMapPipes& pipes, int join_error) {
    char byte;
    if (::read(pipes.request_read, &byte, 1) != 1) return;  // init ended before asking
    if (join_error != 0) {
        int32_t answer = -join_error;
        (void)!::write(pipes.done_write, &answer, sizeof answer);
        return;
    }
    int error = 0;
    for (const char* file : {"/proc/1/uid_map", "/proc/1/gid_map"}) {
        int fd = ::open(file, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || ::write(fd, kInnerIdMap, sizeof kInnerIdMap - 1) != static_cast<ssize_t>(sizeof kInnerIdMap - 1))
            error = error ? error : errno;
        if (fd >= 0) ::close(fd);
    }
    int32_t answer = error;
    (void)!::write(pipes.done_write, &answer, sizeof answer);
}

// The process between the supervisor and init: it makes the namespaces and waits for init.
// Forked from a possibly multi-threaded host: system calls only, no allocation.
[[noreturn]] void run_outer(const sandbox::InitConfig& config, const std::vector<int>& keep, int sync_write,
                            int go_read, const InnerMapPipes& inner) {
    auto die = [&](const char* what) {
        MessageHeader header{};
        header.type = MessageType::error;
        header.value = errno;
        header.count_a = sandbox::kNotARootOperation;
        sandbox::send_message(config.control_socket, header, what, std::strlen(what));
        ::_exit(1);
    };
    close_all_except(keep);
    int null_fd = ::open("/dev/null", O_RDWR);
    if (null_fd < 0) die("open /dev/null");
    for (int fd = 0; fd < 3; ++fd) ::dup2(null_fd, fd);
    if (null_fd > 2) ::close(null_fd);

    if (::unshare(kNamespaces) != 0)
        die("unshare (user, pid, mount, ipc, uts, cgroup namespaces; the sandbox needs root "
            "and a kernel with user namespaces enabled)");
    char byte = 'u';
    if (::write(sync_write, &byte, 1) != 1) ::_exit(1);
    if (::read(go_read, &byte, 1) != 1) ::_exit(1);  // the supervisor wrote our id maps

    // How init finds the network namespace made below: this process's /proc entry, opened while
    // the host's /proc is still in the mount namespace (init's root replaces it).
    const int outer_entry = ::open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (outer_entry < 0) die("open /proc/self");
    pid_t init = ::fork();  // pid 1 of the new pid namespace
    if (init < 0) die("fork init");
    if (init == 0) {
        ::close(sync_write);
        ::close(inner.request_read);
        ::close(inner.done_write);
        sandbox::run_init(config, outer_entry);
    }
    ::close(outer_entry);
    ::close(config.user_map_request);
    ::close(config.user_map_done);
    int32_t init_pid = init;
    (void)!::write(sync_write, &init_pid, sizeof init_pid);
    ::close(sync_write);
    ::close(config.control_socket);
    // Making a network namespace is most of what making the namespaces costs: it is made now, on
    // another core than init, which builds its root meanwhile and joins it afterwards (before
    // any run). The answer goes first on init's pipe: 0, or why it failed.
    int32_t net_error = ::unshare(CLONE_NEWNET) == 0 ? 0 : errno;
    (void)!::write(inner.done_write, &net_error, sizeof net_error);
    // The supervisor moves init into the sandbox's v2 cgroup meanwhile (if it has one), and says how
    // that went.
    int32_t join_error = EPROTO;
    if (::read(go_read, &join_error, sizeof join_error) != static_cast<ssize_t>(sizeof join_error)) join_error = EPROTO;
    ::close(go_read);
    serve_inner_map_request(inner, join_error);
    ::close(inner.request_read);
    ::close(inner.done_write);
    int status = 0;
    while (::waitpid(init, &status, 0) < 0 && errno == EINTR) {
    }
    ::_exit(0);
}

}  // namespace

sandbox::SandboxState::~SandboxState() {
    shut_down();
}

void sandbox::SandboxState::shut_down() {
    workspace.reset();
    tmp.reset();
    grader.reset();
    // Closing our end makes init kill everything and exit, which ends the pid namespace.
    control.reset();
    if (outer_pid > 0) {
        // Init's end is the end of the sandbox's processes (see init_handle): its cgroups go
        // meanwhile, while the outer process, which ends right after init, frees the namespaces
        // (unmounting the root waits for an RCU grace period).
        bool ended =
            init_handle ? wait_for_end(init_handle.get(), kShutdownGrace) : reap_within(outer_pid, kShutdownGrace);
        if (ended && init_handle) {
            if (cgroup) cgroup->remove();
            ended = reap_within(outer_pid, kShutdownGrace);
        }
        if (!ended) {
            // init is stuck (a run's process blocked it): killing init from outside ends its pid
            // namespace and every process in it; the cgroups catch anything that raced out.
            if (init_pid > 0) ::kill(init_pid, SIGKILL);
            if (cgroup) {
                cgroup->set_resident(0);  // init goes too
                cgroup->kill_all();
            }
            ::kill(outer_pid, SIGKILL);
            if (!reap_within(outer_pid, kShutdownGrace))
                std::fprintf(stderr, "autograder: sandbox process %d did not end after SIGKILL\n", outer_pid);
        }
        outer_pid = -1;
    }
    init_handle.reset();
    if (cgroup) cgroup->remove();
}

Sandbox::Sandbox(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Sandbox::~Sandbox() = default;

const SandboxOptions& Sandbox::options() const {
    return impl_->options;
}
int Sandbox::init_pid() const {
    return impl_->init_pid;
}

namespace {

void check_options(const SandboxOptions& options) {
    if (::geteuid() != 0)
        throw SandboxError("the sandbox must run as root (it makes namespaces, mounts and cgroups): run as root");
    if (options.workspace_bytes <= 0 || options.tmp_bytes <= 0 || options.max_inodes <= 0)
        throw SandboxError("sandbox options: workspace_bytes, tmp_bytes and max_inodes must be > 0");
    if (options.hostname.empty() || options.hostname.size() > 63)
        throw SandboxError("sandbox options: hostname must have 1 to 63 characters");
}

sandbox::RootSpec root_spec(const SandboxOptions& options) {
    sandbox::RootSpec root;
    // Init builds the root on a tmpfs that it mounts on its own mount namespace's /tmp, which only
    // it sees: the host needs no folder for it (making and removing one cost a quarter of a
    // millisecond: removing a mount point of another namespace detaches what is mounted on it).
    root.staging = "/tmp";
    root.read_only = sandbox::expand_read_only_paths(options.read_only_paths);
    root.workspace_bytes = options.workspace_bytes;
    root.tmp_bytes = options.tmp_bytes;
    root.max_inodes = options.max_inodes;
    root.hostname = options.hostname;
    return root;
}

std::pair<FileDescriptor, FileDescriptor> make_pipe() {
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) throw SandboxError(sandbox::errno_message("pipe"));
    return {FileDescriptor(ends[0]), FileDescriptor(ends[1])};
}

// The channels between the supervisor and the processes that make the sandbox: the control
// socket to init, the outer process's "namespaces made" / "id maps written" handshake, and the
// pipes through which init asks for its inner user namespace's maps.
struct SetupChannels {
    FileDescriptor control, child_end;
    FileDescriptor sync_read, sync_write, go_read, go_write;
    FileDescriptor request_read, request_write, done_read, done_write;

    SetupChannels() {
        int sockets[2];
        if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) != 0)
            throw SandboxError(sandbox::errno_message("socketpair"));
        control.reset(sockets[0]);
        child_end.reset(sockets[1]);
        std::tie(sync_read, sync_write) = make_pipe();
        std::tie(go_read, go_write) = make_pipe();
        std::tie(request_read, request_write) = make_pipe();
        std::tie(done_read, done_write) = make_pipe();
    }
    // The descriptors the forked side keeps, sorted (for close_all_except).
    std::vector<int> kept_by_child() const {
        std::vector<int> keep = {child_end.get(),     sync_write.get(), go_read.get(),   request_read.get(),
                                 request_write.get(), done_read.get(),  done_write.get()};
        std::sort(keep.begin(), keep.end());
        return keep;
    }
    // After the fork: the supervisor keeps only its own ends.
    void close_child_ends() {
        child_end.reset();
        sync_write.reset();
        go_read.reset();
        request_read.reset();
        request_write.reset();
        done_read.reset();
        done_write.reset();
    }
};

SandboxError setup_failure(int control, const sandbox::RootPlan& plan, const std::string& what) {
    std::string detail = init_error(control, plan);
    return SandboxError("cannot create the sandbox: " + (detail.empty() ? what : detail));
}

// The supervisor's side of making the sandbox, once the outer process is forked: writes its id
// maps, makes the cgroups, learns init's pid, and waits for init to report ready (or why not). A
// failure leaves cleanup to ~Impl: closing the socket ends init, then outer.
void await_init(sandbox::SandboxState& impl, SetupChannels& channels, const sandbox::InitConfig& config,
                const sandbox::CgroupLayout& layout) {
    auto deadline = Clock::now() + kSetupTimeout;
    auto fail = [&](const std::string& what) { return setup_failure(impl.control.get(), config.root, what); };
    char byte;
    if (!read_exact(channels.sync_read.get(), &byte, 1, deadline)) throw fail("namespace setup failed");
    try {
        write_id_maps(impl.outer_pid, impl.student_host_uid, impl.grader_host_uid);
    } catch (const SandboxError& e) {
        throw fail(e.what());
    }
    if (::write(channels.go_write.get(), "g", 1) != 1) throw fail("lost the sandbox process");
    // Made while the outer process forks init and init builds its root; init, once it has built
    // it, finds the files to join them waiting on its socket.
    impl.cgroup = std::make_unique<sandbox::SandboxCgroup>(layout, sandbox_name());
    MessageHeader join{};
    join.type = MessageType::join_cgroups;
    const auto join_fds = impl.cgroup->self_join_fds();
    if (!sandbox::send_message(impl.control.get(), join, nullptr, 0, join_fds.data(),
                               static_cast<int>(join_fds.size())))
        throw fail(sandbox::errno_message("send init its cgroups"));
    int32_t init_pid = -1;
    if (!read_exact(channels.sync_read.get(), &init_pid, sizeof init_pid, deadline)) throw fail("init did not start");
    impl.init_pid = init_pid;
    // Before init enters its cgroup namespace: it waits for the outer process's answer, which
    // waits for this one (init reports a failure).
    const int32_t join_error = move_into_v2_cgroup(init_pid, impl.cgroup->host_join_fds());
    if (::write(channels.go_write.get(), &join_error, sizeof join_error) != static_cast<ssize_t>(sizeof join_error))
        throw fail("lost the sandbox process");
    channels.go_write.reset();
    // init lives in the sandbox's cgroups (runs are forked from it): it counts as one process and
    // it is spared when a run's processes are killed. The OOM killer takes a run's processes
    // before it (see run_process.cpp).
    impl.cgroup->set_resident(init_pid);
    if (!wait_readable(impl.control.get(), deadline)) throw fail("init did not get ready in time");
    MessageHeader header{};
    std::string payload;
    if (sandbox::receive_message(impl.control.get(), header, payload) <= 0)
        throw fail("init exited while building the root");
    if (header.type == MessageType::error) {
        std::string what = header.count_a < config.root.operations.size()
                               ? sandbox::describe(config.root.operations[header.count_a])
                               : payload;
        throw SandboxError("cannot create the sandbox: " + sandbox::errno_message(what, header.value));
    }
    if (header.type != MessageType::ready) throw fail("unexpected message from init");
    impl.init_handle.reset(static_cast<int>(::syscall(SYS_pidfd_open, init_pid, 0)));
    if (sandbox::runs_nice && ::setpriority(PRIO_PROCESS, static_cast<id_t>(init_pid), *sandbox::runs_nice) != 0)
        throw fail(sandbox::errno_message("set the priority of init"));
}

// The workspace, /tmp and the grader's folder as the host sees them: through init's root, never
// through a path a run made.
void open_host_views(sandbox::SandboxState& impl, const sandbox::RootPlan& plan) {
    auto open_directory = [&](sandbox::FileDescriptor& view, const std::string& inside) {
        auto path = fmt::format("/proc/{}/root{}", impl.init_pid, inside);
        view.reset(::open(path.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!view) throw setup_failure(impl.control.get(), plan, sandbox::errno_message("open " + path));
    };
    open_directory(impl.workspace, std::string(kWorkspacePath));
    open_directory(impl.tmp, "/tmp");
    open_directory(impl.grader, std::string(kGraderPath));
}

}  // namespace

std::unique_ptr<Sandbox> Sandbox::create(const SandboxOptions& options) {
    check_options(options);
    const auto& layout = sandbox::CgroupLayout::detect();
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    impl->student_host_uid = allocate_host_uids();
    impl->grader_host_uid = impl->student_host_uid + 1;

    sandbox::InitConfig config;
    config.root = sandbox::plan_root(root_spec(options));
    config.loopback_network = options.loopback_network;
    config.seccomp = &sandbox::seccomp_program();
    SetupChannels channels;
    config.user_map_request = channels.request_write.get();
    config.user_map_done = channels.done_read.get();
    config.control_socket = channels.child_end.get();
    InnerMapPipes inner{channels.request_read.get(), channels.done_write.get()};
    // Everything the forked side needs is prepared here: after fork it may not allocate.
    std::vector<int> keep = channels.kept_by_child();

    std::unique_lock no_file_being_written(sandbox::fork_guard());
    pid_t outer = ::fork();
    // The child never returns from run_outer: its copy of the guard is never touched.
    if (outer == 0) run_outer(config, keep, channels.sync_write.get(), channels.go_read.get(), inner);
    no_file_being_written.unlock();
    if (outer < 0) throw SandboxError(sandbox::errno_message("fork"));
    impl->outer_pid = outer;
    impl->control = std::move(channels.control);
    channels.close_child_ends();
    await_init(*impl, channels, config, layout);
    open_host_views(*impl, config.root);
    impl->leftover_sweep = sandbox::remove_leftovers_of_ended_processes_in_background_once();
    return std::unique_ptr<Sandbox>(new Sandbox(std::move(impl)));
}

namespace {

struct Capture {
    FileDescriptor read_end;
    std::string text;
    bool truncated = false;
    bool open = true;
    // Reads what is there; returns false once more than `cap` bytes were offered.
    bool drain(int64_t cap) {
        char buffer[65536];
        for (;;) {
            ssize_t n = ::read(read_end.get(), buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return true;  // EAGAIN: nothing more now
            if (n == 0) {
                open = false;
                read_end.reset();
                return true;
            }
            auto room = static_cast<size_t>(std::max<int64_t>(0, cap - static_cast<int64_t>(text.size())));
            text.append(buffer, std::min(room, static_cast<size_t>(n)));
            if (static_cast<size_t>(n) > room) {
                truncated = true;
                return false;
            }
        }
    }
};

std::string home_of(RunAs run_as) {
    return std::string(run_as == RunAs::grader ? kGraderPath : kWorkspacePath);
}

std::string validate_cwd(const RunRequest& request) {
    const std::string& cwd = request.cwd;
    if (cwd.empty() || cwd == ".") return home_of(request.run_as);
    if (cwd[0] == '/' || cwd.find("..") != std::string::npos)
        throw SandboxError("run: cwd '" + cwd + "' must be relative to the workspace, without '..'");
    return home_of(request.run_as) + "/" + cwd;
}

std::vector<std::string> environment_of(const RunRequest& request) {
    std::map<std::string, std::string> variables = request.env;
    if (variables.empty())
        variables = {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"LANG", "C.UTF-8"}, {"TMPDIR", "/tmp"}};
    if (request.env.empty() || request.run_as == RunAs::grader) variables["HOME"] = home_of(request.run_as);
    if (request.run_as == RunAs::grader) {
        // Nothing of the grader's search paths may lead where a student's run could write.
        variables["TMPDIR"] = std::string(kGraderPath);
        variables["PYTHONNOUSERSITE"] = "1";
        for (const char* path_variable : {"PYTHONPATH", "PYTHONSTARTUP", "NODE_PATH", "CLASSPATH", "LD_PRELOAD",
                                          "LD_LIBRARY_PATH", "JAVA_TOOL_OPTIONS", "NODE_OPTIONS"})
            variables.erase(path_variable);
    }
    std::vector<std::string> env;
    for (const auto& [key, value] : variables) {
        if (key.empty() || key.find('=') != std::string::npos || key.find('\0') != std::string::npos)
            throw SandboxError("run: invalid environment variable name '" + key + "'");
        env.push_back(key + "=" + value);
    }
    return env;
}

void check_limits(const Limits& l) {
    auto positive = [](double v, const char* name) {
        if (!(v > 0)) throw SandboxError(fmt::format("run: limit {} must be > 0", name));
    };
    positive(l.cpu_time_s, "cpu_time_s");
    positive(l.wall_time_s, "wall_time_s");
    positive(static_cast<double>(l.memory_bytes), "memory_bytes");
    positive(l.processes, "processes");
    positive(static_cast<double>(l.output_bytes), "output_bytes");
    positive(static_cast<double>(l.file_size_bytes), "file_size_bytes");
    positive(l.open_files, "open_files");
    if (l.cpu_time_s > 86400 || l.wall_time_s > 86400) throw SandboxError("run: time limits above one day");
}

RunReport internal_error(const std::string& message) {
    RunReport report;
    report.status = RunStatus::internal_error;
    report.message = message;
    return report;
}

// A run's standard streams: the child's ends, passed to init, and the supervisor's captures.
struct RunStreams {
    FileDescriptor stdin_child, out_child, err_child;
    Capture out, err;
};

// stdin: the data in a sealed-off memory file; without data, an empty one, so that a program
// that reads input gets end-of-file at once (as every judge gives, /dev/null-like) instead of
// waiting for the wall limit. Returns the error, or nothing.
std::optional<std::string> open_stdin(const RunRequest& request, FileDescriptor& stdin_child) {
    FileDescriptor memfd(::memfd_create("stdin", MFD_CLOEXEC | MFD_ALLOW_SEALING));
    if (!memfd) return sandbox::errno_message("memfd_create");
    const std::string empty;
    const std::string& data = request.stdin_data ? *request.stdin_data : empty;
    for (size_t done = 0; done < data.size();) {
        ssize_t n = ::write(memfd.get(), data.data() + done, data.size() - done);
        if (n <= 0) return sandbox::errno_message("writing stdin");
        done += static_cast<size_t>(n);
    }
    // Sealed, so that even reopening /proc/self/fd/0 for writing cannot change it; and a
    // read-only description of its own, so the run does not share our file offset.
    if (::fcntl(memfd.get(), F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) != 0)
        return sandbox::errno_message("seal stdin");
    stdin_child.reset(::open(fmt::format("/proc/self/fd/{}", memfd.get()).c_str(), O_RDONLY | O_CLOEXEC));
    if (!stdin_child) return sandbox::errno_message("reopen stdin");
    return std::nullopt;
}

std::optional<std::string> open_streams(const RunRequest& request, RunStreams& streams) {
    if (auto error = open_stdin(request, streams.stdin_child)) return error;
    for (auto [capture, child] : {std::pair{&streams.out, &streams.out_child}, {&streams.err, &streams.err_child}}) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return sandbox::errno_message("pipe");
        capture->read_end.reset(fds[0]);
        child->reset(fds[1]);
        // The child's end must block: programs do not expect EAGAIN on stdout.
        ::fcntl(fds[1], F_SETFL, 0);
    }
    return std::nullopt;
}

// `type`: run or start_warm; `warm`: fork it from the warm interpreter; `warm_resident`: there is
// one (a process of the student's, which counts against the student's process limit).
MessageHeader run_message(const RunRequest& request, size_t env_count, uint64_t run_id, MessageType type, bool warm,
                          bool warm_resident) {
    const Limits& limits = request.limits;
    MessageHeader run{};
    run.type = type;
    run.warm = warm ? 1 : 0;
    run.run_id = run_id;
    run.count_a = static_cast<uint32_t>(request.argv.size());
    run.count_b = static_cast<uint32_t>(env_count);
    run.uid = request.run_as == RunAs::grader ? kGraderUid : kSandboxUid;
    int64_t stack = limits.stack_bytes.value_or(std::min<int64_t>(64LL << 20, limits.memory_bytes));
    run.limits = {static_cast<uint64_t>(limits.cpu_time_s) + 1,
                  static_cast<uint64_t>(limits.file_size_bytes),
                  static_cast<uint64_t>(limits.open_files),
                  static_cast<uint64_t>(limits.processes),
                  static_cast<uint64_t>(stack),
                  static_cast<uint64_t>(limits.memory_bytes)};
    if (request.run_as == RunAs::student && (warm_resident || type == MessageType::start_warm))
        run.limits.processes += 1;
    // The warm interpreter's own CPU limit: it lives for many runs (each run's is set in its child).
    if (type == MessageType::start_warm) run.limits.cpu_seconds = 86401;
    return run;
}

// The program could not be started: like a shell, report exit code 127.
RunReport exec_failed_report(const RunRequest& request, const MessageHeader& message, const std::string& text) {
    RunReport report;
    report.status = RunStatus::runtime_error;
    report.exit_code = 127;
    report.message =
        "Cannot run '" + request.argv[0] + "': " + text + " failed (" + std::strerror(message.value) + ").";
    if (text == sandbox::kStaticTooLarge) {
        report.status = RunStatus::memory_limit;
        report.exit_code = -1;
        report.message = fmt::format(
            "Memory limit of {} MiB exceeded: the program's static data alone takes {} MiB "
            "(e.g. a global array that is too large).",
            request.limits.memory_bytes >> 20, message.max_rss_kb >> 10);
    }
    return report;
}

// Watches one run sent to init until it ends: collects its output, enforces the wall, CPU and
// output limits, and turns what init reports into the run's report.
class RunWatch {
public:
    RunWatch(sandbox::SandboxState& impl, const RunRequest& request, uint64_t run_id, RunStreams& streams,
             Clock::time_point start)
        : impl_(impl), request_(request), run_id_(run_id), out_(streams.out), err_(streams.err), start_(start) {
        observation_.limits = request.limits;
    }

    RunReport watch() {
        const Limits& limits = request_.limits;
        const auto wall_deadline =
            start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(limits.wall_time_s));
        const int64_t cpu_limit_ns = static_cast<int64_t>(limits.cpu_time_s * 1e9);
        while (!exited_ || out_.open || err_.open) {
            pollfd watched[3] = {{impl_.control.get(), static_cast<short>(exited_ ? 0 : POLLIN), 0},
                                 {out_.open ? out_.read_end.get() : -1, POLLIN, 0},
                                 {err_.open ? err_.read_end.get() : -1, POLLIN, 0}};
            int timeout = exited_ ? 1000 : kCpuCheckMs;  // once exited, only output in the pipes remains
            int n = ::poll(watched, 3, timeout);
            if (n < 0 && errno != EINTR) return internal_error(sandbox::errno_message("poll"));
            if (watched[0].revents & (POLLIN | POLLHUP | POLLERR))
                if (auto early = receive_from_init()) return *early;
            if (watched[1].revents && !out_.drain(limits.output_bytes)) kill(sandbox::KillReason::output);
            if (watched[2].revents && !err_.drain(limits.output_bytes)) kill(sandbox::KillReason::output);
            if (exited_) {
                // Every process is gone, so the pipes hold all there is; read it out.
                if (out_.open && !out_.drain(limits.output_bytes))
                    observation_.killed_by_supervisor = sandbox::KillReason::output;
                if (err_.open && !err_.drain(limits.output_bytes))
                    observation_.killed_by_supervisor = sandbox::KillReason::output;
                if (n == 0) break;  // nothing arrived for a second: a stray holder, give up waiting
                continue;
            }
            auto now = Clock::now();
            if (now >= wall_deadline) kill(sandbox::KillReason::wall_time);
            // The run's CPU time counts from its clone (it is born in the cgroups), set-up included.
            if (impl_.cgroup->cpu_ns() > cpu_limit_ns) kill(sandbox::KillReason::cpu_time);
            if (impl_.cgroup->under_oom()) kill(sandbox::KillReason::memory);
            if (now >= kill_deadline_) return broken("init did not end the run after it was killed");
        }
        return finish();
    }

private:
    RunReport broken(const std::string& reason) {
        impl_.broken = true;
        impl_.broken_reason = reason;
        return internal_error(reason);
    }

    // Reads init's message; returns the report when the run is over without an exit to watch.
    std::optional<RunReport> receive_from_init() {
        MessageHeader message{};
        std::string text;
        if (sandbox::receive_message(impl_.control.get(), message, text) <= 0)
            return broken("the sandbox's init exited unexpectedly");
        if (message.type == MessageType::exec_failed) {
            RunReport report = exec_failed_report(request_, message, text);
            report.wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_).count();
            return report;
        }
        if (message.type == MessageType::exited) {
            exited_ = true;
            end_ = message;
            impl_.warm.alive = message.warm != 0;
            if (!impl_.warm.alive) impl_.cgroup->set_warm_resident(0);
        }
        return std::nullopt;
    }

    void kill(sandbox::KillReason reason) {
        if (observation_.killed_by_supervisor != sandbox::KillReason::none) return;
        observation_.killed_by_supervisor = reason;
        MessageHeader kill{};
        kill.type = MessageType::kill;
        kill.run_id = run_id_;
        sandbox::send_message(impl_.control.get(), kill);
        // Also from outside, through the cgroups: init may be unable to act (its run's first
        // process can hold it until exec), and no process may outlive the verdict.
        impl_.cgroup->kill_all();
        kill_deadline_ = Clock::now() + kKillGrace;
    }

    RunReport finish() {
        RunReport report;
        report.wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_).count();
        observation_.wait_status = end_.value;
        observation_.usage = impl_.cgroup->usage();
        auto& usage = observation_.usage;
        if (usage.cpu_ns >= 0) usage.cpu_ns = std::max<int64_t>(0, usage.cpu_ns - end_.init_cpu_ns);
        observation_.cpu_ms = usage.cpu_ns >= 0 ? usage.cpu_ns / 1000000 : (end_.user_us + end_.system_us) / 1000;
        report.cpu_ms = observation_.cpu_ms;
        report.peak_memory_kb = usage.peak_memory_bytes >= 0 ? usage.peak_memory_bytes / 1024 : end_.max_rss_kb;
        report.stdout_text = std::move(out_.text);
        report.stderr_text = std::move(err_.text);
        report.stdout_truncated = out_.truncated;
        report.stderr_truncated = err_.truncated;
        sandbox::decide_verdict(observation_, report);
        return report;
    }

    sandbox::SandboxState& impl_;
    const RunRequest& request_;
    const uint64_t run_id_;
    Capture& out_;
    Capture& err_;
    const Clock::time_point start_;
    sandbox::RunObservation observation_;
    bool exited_ = false;
    MessageHeader end_{};
    Clock::time_point kill_deadline_ = Clock::time_point::max();
};

}  // namespace

namespace {

// `python3 FILE.py [args...]` as the student in the workspace: what a warm interpreter can run.
bool warm_eligible(const RunRequest& request) {
    if (request.run_as != RunAs::student || request.argv.size() < 2 || (request.cwd != "." && !request.cwd.empty()))
        return false;
    const std::string& program = request.argv[0];
    std::string name = program.substr(program.rfind('/') + 1);
    if (!name.starts_with("python3") ||
        name.find_first_not_of("0123456789.", std::string_view("python3").size()) != std::string::npos)
        return false;
    const std::string& script = request.argv[1];
    return script.size() > 3 && script.ends_with(".py") && script.front() != '-' && script.front() != '/' &&
           script.find("..") == std::string::npos;
}

int64_t stack_of(const Limits& limits) {
    return limits.stack_bytes.value_or(std::min<int64_t>(64LL << 20, limits.memory_bytes));
}

}  // namespace

namespace {

// A run once the run lock is held: started by init, forked from the warm interpreter (`warm`), or
// the warm interpreter's start (`type` start_warm).
RunReport run_locked(sandbox::SandboxState& impl, const RunRequest& request, bool warm,
                     MessageType type = MessageType::run) {
    std::vector<std::string> env;
    std::string cwd;
    try {
        if (request.argv.empty() || request.argv[0].empty()) throw SandboxError("run: argv must name a program");
        check_limits(request.limits);
        env = environment_of(request);
        cwd = validate_cwd(request);
    } catch (const SandboxError& e) {
        return internal_error(e.what());
    }
    RunStreams streams;
    if (auto error = open_streams(request, streams)) return internal_error(*error);
    try {
        // What earlier runs may leave charged is bounded by the sizes of the tmpfs mounts they
        // can write (IPC objects are removed by init after every run).
        const auto& o = impl.options;
        const Limits& limits = request.limits;
        impl.cgroup->prepare_run({limits.memory_bytes, limits.processes, 2 * o.workspace_bytes + 2 * o.tmp_bytes});
    } catch (const SandboxError& e) {
        return internal_error(e.what());
    }

    MessageHeader run = run_message(request, env.size(), impl.next_run_id++, type, warm, impl.warm.alive);
    std::string payload;
    sandbox::pack_strings(payload, request.argv);
    sandbox::pack_strings(payload, env);
    sandbox::pack_strings(payload, {cwd});
    if (payload.size() > sandbox::kMaxMessageBytes || request.argv.size() + env.size() > sandbox::kMaxRunStrings)
        return internal_error("run: command line and environment exceed 64 KiB or 4096 entries");

    const auto start = Clock::now();
    int passed[3] = {streams.stdin_child.get(), streams.out_child.get(), streams.err_child.get()};
    if (!sandbox::send_message(impl.control.get(), run, payload, passed, 3)) {
        impl.broken = true;
        impl.broken_reason = sandbox::errno_message("lost contact with the sandbox's init");
        return internal_error(impl.broken_reason);
    }
    streams.stdin_child.reset();
    streams.out_child.reset();
    streams.err_child.reset();
    return RunWatch(impl, request, run.run_id, streams, start).watch();
}

// Whether `request` can be forked from the warm interpreter, starting one if there is none yet.
bool ensure_warm_interpreter(sandbox::SandboxState& impl, const RunRequest& request) {
    auto& warm = impl.warm;
    const Limits& limits = request.limits;
    if (warm.alive)
        return warm.program == request.argv[0] && warm.script == request.argv[1] && warm.env == request.env &&
               limits.file_size_bytes <= warm.limits.file_size_bytes && limits.open_files <= warm.limits.open_files &&
               limits.processes <= warm.limits.processes && stack_of(limits) <= stack_of(warm.limits);
    if (warm.failed || warm.starts >= warm.kMaxStarts) return false;
    ++warm.starts;
    RunRequest start = request;
    start.argv = {request.argv[0], "-s", "-c", sandbox::kWarmPythonProgram, request.argv[1]};
    start.stdin_data = std::string();
    RunReport started = run_locked(impl, start, false, MessageType::start_warm);
    // Its host pid: it and init are all there is in the sandbox's cgroups now.
    std::vector<int> others;
    if (warm.alive)
        for (int pid : impl.cgroup->member_pids())
            if (pid != impl.init_pid) others.push_back(pid);
    if (started.status != RunStatus::ok || started.exit_code != 0 || !warm.alive || others.size() != 1) {
        warm.failed = true;
        return false;
    }
    impl.cgroup->set_warm_resident(others.front());
    warm.program = request.argv[0];
    warm.script = request.argv[1];
    warm.env = request.env;
    warm.limits = limits;
    return true;
}

}  // namespace

RunReport Sandbox::run(const RunRequest& request) {
    std::lock_guard lock(impl_->run_mutex);
    if (impl_->broken) return internal_error("the sandbox is no longer usable: " + impl_->broken_reason);
    if (!request.warm_interpreter || !warm_eligible(request) || !ensure_warm_interpreter(*impl_, request))
        return run_locked(*impl_, request, false);
    RunReport report = run_locked(*impl_, request, true);
    if (report.status == RunStatus::runtime_error && report.exit_code == 127 &&
        report.message.find("reach the warm interpreter") != std::string::npos) {
        // It was gone (init says so after every run, so this is a race that should not happen).
        impl_->warm.alive = false;
        impl_->cgroup->set_warm_resident(0);
        return run_locked(*impl_, request, false);
    }
    return report;
}

HostSupport detect_host_support() {
    HostSupport support;
    auto version = [](sandbox::CgroupVersion v) -> std::string {
        return v == sandbox::CgroupVersion::v1 ? "v1" : v == sandbox::CgroupVersion::v2 ? "v2" : "";
    };
    const auto& layout = sandbox::CgroupLayout::detect();
    support.cgroup_memory = version(layout.memory.version);
    support.cgroup_pids = version(layout.pids.version);
    support.cgroup_cpu = version(layout.cpu.version);
    support.problems = layout.problems();
    support.user_namespaces = ::access("/proc/self/ns/user", F_OK) == 0;
    if (!support.user_namespaces) support.problems.push_back("the kernel has no user namespaces");
    if (::geteuid() != 0) support.problems.push_back("the sandbox must run as root");
    return support;
}

}  // namespace autograder
