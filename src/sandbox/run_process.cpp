#include "run_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include <elf.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "autograder/sandbox.hpp"

namespace autograder::sandbox {
namespace {

[[noreturn]] void fail(int error_pipe, const char* stage, int error, uint64_t static_bytes = 0) {
    RunSetupError report;
    report.error = error;
    report.static_bytes = static_bytes;
    std::strncpy(report.stage, stage, sizeof report.stage - 1);
    (void)!::write(error_pipe, &report, sizeof report);
    ::_exit(127);
}

bool set_limit(int resource, uint64_t soft, uint64_t hard) {
    rlimit limit{soft, hard};
    return ::setrlimit(resource, &limit) == 0;
}

const char* find_env(char* const* envp, const char* name) {
    size_t length = std::strlen(name);
    for (char* const* entry = envp; *entry; ++entry)
        if (std::strncmp(*entry, name, length) == 0 && (*entry)[length] == '=') return *entry + length + 1;
    return nullptr;
}

// The memory an ELF program's loadable segments take (its code, data and bss); 0 when the
// file is not an ELF executable. A bss larger than the memory limit would otherwise make the
// kernel kill the process inside execve with a bare SIGSEGV.
// The path is the student's: it may name a FIFO or a device, whose open or read would block
// this process, and with it init (which waits for this vfork child): opened non-blocking, and
// only a regular file is read.
uint64_t loadable_bytes(const char* path) {
    int fd = ::open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return 0;
    Elf64_Ehdr header;
    uint64_t total = 0;
    struct stat info {};
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
        ::pread(fd, &header, sizeof header, 0) == static_cast<ssize_t>(sizeof header) &&
        std::memcmp(header.e_ident, ELFMAG, SELFMAG) == 0 && header.e_ident[EI_CLASS] == ELFCLASS64 &&
        header.e_phentsize == sizeof(Elf64_Phdr) && header.e_phnum <= 64) {
        Elf64_Phdr segments[64];
        size_t bytes = sizeof(Elf64_Phdr) * header.e_phnum;
        if (::pread(fd, segments, bytes, static_cast<off_t>(header.e_phoff)) == static_cast<ssize_t>(bytes))
            for (int i = 0; i < header.e_phnum; ++i)
                if (segments[i].p_type == PT_LOAD) total += segments[i].p_memsz;
    }
    ::close(fd);
    return total;
}

int checked_execve(int error_pipe, const char* path, char* const* argv, char* const* envp, uint64_t memory_limit) {
    uint64_t size = loadable_bytes(path);
    if (size > memory_limit) fail(error_pipe, kStaticTooLarge, ENOMEM, size);
    ::execve(path, argv, envp);
    return errno;
}

// execvpe, but with PATH taken from the run's environment rather than the caller's.
int exec_searching_path(int error_pipe, char* const* argv, char* const* envp, uint64_t memory_limit) {
    const char* file = argv[0];
    if (std::strchr(file, '/')) return checked_execve(error_pipe, file, argv, envp, memory_limit);
    const char* path = find_env(envp, "PATH");
    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    int result = ENOENT;
    char candidate[4096];
    for (const char* dir = path;;) {
        const char* end = std::strchr(dir, ':');
        size_t length = end ? static_cast<size_t>(end - dir) : std::strlen(dir);
        size_t file_length = std::strlen(file);
        if (length + 1 + file_length < sizeof candidate) {
            std::memcpy(candidate, dir, length);
            candidate[length] = '/';
            std::memcpy(candidate + length + 1, file, file_length + 1);
            int error = checked_execve(error_pipe, candidate, argv, envp, memory_limit);
            if (error != ENOENT && error != ENOTDIR) result = error;
        }
        if (!end) break;
        dir = end + 1;
    }
    return result;
}

}  // namespace

void exec_run(const RunSetup& s) {
    const int err = s.error_pipe;
    // A process group of its own, in init's session (which has no controlling terminal). Not a
    // session of its own: with scheduler autogroups, each new session makes a scheduling group,
    // which costs a run milliseconds on a busy host.
    if (::setpgid(0, 0) < 0) fail(err, "setpgid", errno);
    // The run is born in init's cgroups (see init_process.hpp). When they run out of memory the
    // OOM killer must take the run's processes, never init (the sandbox would die with it): the
    // highest score (raising it needs no privilege; lowering it back below init's does). Done as
    // uid 0, while /proc/self is still ours to write.
    int oom_score = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (oom_score < 0 || ::write(oom_score, "1000", 4) != 4) fail(err, "set the OOM score", errno);
    ::close(oom_score);

    sigset_t all;
    sigemptyset(&all);
    ::sigprocmask(SIG_SETMASK, &all, nullptr);
    for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);  // ignored signals survive exec

    const RunLimitsMessage& l = s.limits;
    // RLIMIT_CPU is per process: a backstop only, the cgroup counts the whole tree.
    if (!set_limit(RLIMIT_CPU, l.cpu_seconds, l.cpu_seconds + 1) ||
        !set_limit(RLIMIT_FSIZE, l.file_size_bytes, l.file_size_bytes) ||
        !set_limit(RLIMIT_NOFILE, l.open_files, l.open_files) || !set_limit(RLIMIT_NPROC, l.processes, l.processes) ||
        !set_limit(RLIMIT_STACK, l.stack_bytes, l.stack_bytes) || !set_limit(RLIMIT_CORE, 0, 0) ||
        !set_limit(RLIMIT_MEMLOCK, 64 << 10, 64 << 10) ||
        // No POSIX message queues: their memory would outlive the run, out of every cgroup.
        !set_limit(RLIMIT_MSGQUEUE, 0, 0) ||
        // No real-time scheduling and no raised priority, whatever the host allows.
        !set_limit(RLIMIT_RTPRIO, 0, 0) || !set_limit(RLIMIT_NICE, 0, 0))
        fail(err, "setrlimit", errno);

    if (::dup2(s.stdin_fd, 0) < 0 || ::dup2(s.stdout_fd, 1) < 0 || ::dup2(s.stderr_fd, 2) < 0)
        fail(err, "redirect stdio", errno);
    unsigned first_closed = 3;
    if (s.warm_channel >= 0) {
        if (::dup2(s.warm_channel, 3) < 0) fail(err, "redirect the warm interpreter's channel", errno);
        first_closed = 4;
    }
    // Everything else closes at exec (the error pipe stays usable until then).
    if (::syscall(SYS_close_range, first_closed, ~0u, CLOSE_RANGE_CLOEXEC) != 0) fail(err, "close descriptors", errno);
    if (::chdir(s.cwd) != 0) fail(err, "enter the working directory", errno);

    for (int cap = 0; cap <= CAP_LAST_CAP; ++cap)
        if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) fail(err, "drop capabilities", errno);
    // Raw system calls: glibc's wrappers would try to change the ids of every thread of the
    // process, and this process shares its memory with init until exec.
    const uid_t uid = s.uid;
    const gid_t gid = s.uid;
    if (::syscall(SYS_setgroups, 1, &gid) != 0) fail(err, "setgroups", errno);
    if (::syscall(SYS_setresgid, gid, gid, gid) != 0) fail(err, "setresgid", errno);
    // Leaving uid 0 clears the permitted, effective and ambient capability sets.
    if (::syscall(SYS_setresuid, uid, uid, uid) != 0) fail(err, "setresuid", errno);
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail(err, "no_new_privs", errno);

    fail(err, "execute", exec_searching_path(err, s.argv, s.envp, s.limits.memory_bytes));
}

}  // namespace autograder::sandbox
