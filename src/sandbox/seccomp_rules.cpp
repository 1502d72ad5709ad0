// The rules of the system-call filter every run gets, compiled to BPF with libseccomp. Only the
// build runs this (seccomp_program_generator.cpp): the library embeds the program it prints.
#include "seccomp_rules.hpp"

#include <cerrno>
#include <memory>
#include <stdexcept>
#include <string>

#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "file_descriptor.hpp"

namespace autograder::sandbox {
namespace {

// Calls that would let a run escape, spy on others or attack the kernel: the process is killed
// and the run reported as a security violation.
constexpr const char* kKilled[] = {
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "process_madvise",
    "pidfd_getfd",
    "kexec_load",
    "kexec_file_load",
    "reboot",
    "init_module",
    "finit_module",
    "delete_module",
    "bpf",
    "perf_event_open",
    "open_by_handle_at",
    "name_to_handle_at",
    "keyctl",
    "add_key",
    "request_key",
    "userfaultfd",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "move_mount",
    "open_tree",
    "fsopen",
    "fsmount",
    "fsconfig",
    "fspick",
    "mount_setattr",
    "unshare",
    "setns",
    "swapon",
    "swapoff",
    "acct",
    "iopl",
    "ioperm",
    "quotactl",
    "quotactl_fd",
    "lookup_dcookie",
    "syslog",
    "vhangup",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "fanotify_init",
    "kcmp",
    "nfsservctl",
    "uselib",
    "sysfs",
    "_sysctl",
    "vm86",
    "vm86old",
    "create_module",
    "get_kernel_syms",
    "query_module",
};

// Calls that runtimes probe and fall back from: refused with an error instead of a kill.
// clone3 passes its flags in memory, where BPF cannot check them for namespace flags; glibc then
// uses clone, whose flags are checked below. io_uring bypasses seccomp for the work it submits.
constexpr const char* kRefusedNoSys[] = {"clone3", "io_uring_setup", "io_uring_enter", "io_uring_register"};

using Context = std::unique_ptr<void, void (*)(scmp_filter_ctx)>;

void check(int rc, const char* what) {
    if (rc < 0) throw std::runtime_error(errno_message(std::string("seccomp: ") + what, -rc));
}

}  // namespace

std::vector<sock_filter> compile_seccomp_rules() {
    Context ctx(seccomp_init(SCMP_ACT_ALLOW), seccomp_release);
    if (!ctx) throw std::runtime_error("seccomp: cannot initialise libseccomp");
    // Syscalls of another ABI (i386 int 0x80, x32) are killed: the filter only knows the native.
    check(seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS), "badarch");
    check(seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0), "no_new_privs attribute");
    for (const char* name : kKilled) {
        int nr = seccomp_syscall_resolve_name(name);
        if (nr == __NR_SCMP_ERROR) continue;  // not on this architecture
        check(seccomp_rule_add(ctx.get(), SCMP_ACT_KILL_PROCESS, nr, 0), name);
    }
    for (const char* name : kRefusedNoSys) {
        int nr = seccomp_syscall_resolve_name(name);
        if (nr == __NR_SCMP_ERROR) continue;
        check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(ENOSYS), nr, 0), name);
    }
    // clone with any namespace flag: a new namespace would be a step outside the sandbox. One rule
    // per flag, since a BPF comparison can test "(flags & bit) == bit" but not "!= 0".
    for (scmp_datum_t flag : {CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
                              CLONE_NEWCGROUP, 0x00000080 /* CLONE_NEWTIME */})
        check(seccomp_rule_add(ctx.get(), SCMP_ACT_KILL_PROCESS, SCMP_SYS(clone), 1,
                               SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag)),
              "clone");
    // Sockets: only unix, IPv4, IPv6 (in an empty network namespace) and netlink. Other families
    // reach past network namespaces (AF_VSOCK talks to the hypervisor) or expose rarely used
    // kernel code (AF_ALG, AF_PACKET, AF_TIPC, AF_XDP...): refused as unsupported.
    for (int call : {SCMP_SYS(socket), SCMP_SYS(socketpair)}) {
        for (scmp_datum_t family = AF_UNIX + 2; family < AF_NETLINK; ++family)  // 3..15
            if (family != AF_INET6)
                check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(EAFNOSUPPORT), call, 1, SCMP_A0(SCMP_CMP_EQ, family)),
                      "socket family");
        check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(EAFNOSUPPORT), call, 1, SCMP_A0(SCMP_CMP_GE, AF_NETLINK + 1)),
              "socket family");
    }
    // Typing into a terminal (TIOCSTI) and rewriting its line discipline: refused.
    check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                           SCMP_A1(SCMP_CMP_MASKED_EQ, 0xFFFFFFFFu, TIOCSTI)),
          "ioctl TIOCSTI");

    FileDescriptor memfd(::memfd_create("seccomp-bpf", MFD_CLOEXEC));
    if (!memfd) throw std::runtime_error(errno_message("seccomp: memfd_create"));
    check(seccomp_export_bpf(ctx.get(), memfd.get()), "export");
    off_t size = ::lseek(memfd.get(), 0, SEEK_END);
    if (size <= 0 || size % static_cast<off_t>(sizeof(sock_filter)) != 0)
        throw std::runtime_error("seccomp: unexpected BPF program size");
    std::vector<sock_filter> program(static_cast<size_t>(size) / sizeof(sock_filter));
    if (::pread(memfd.get(), program.data(), static_cast<size_t>(size), 0) != size)
        throw std::runtime_error(errno_message("seccomp: reading the BPF program"));
    return program;
}

}  // namespace autograder::sandbox
