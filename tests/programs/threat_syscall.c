// Calls one forbidden or dangerous system call directly. Usage: threat_syscall NAME
// Prints "NAME returned R errno E" if the call comes back (the filter may kill instead).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#endif
#ifndef __NR_clone3
#define __NR_clone3 435
#endif

static long int80_getpid(void) {
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(20) : "memory");  // i386 getpid
    return r;
}

int main(int argc, char** argv) {
    const char* name = argc > 1 ? argv[1] : "";
    long r = -2;
    errno = 0;
    char buffer[64] = {0};
    struct iovec local = {buffer, sizeof buffer}, remote = {buffer, sizeof buffer};
    if (!strcmp(name, "ptrace"))
        r = syscall(SYS_ptrace, 0 /*PTRACE_TRACEME*/, 0, 0, 0);
    else if (!strcmp(name, "ptrace_attach"))
        r = syscall(SYS_ptrace, 16 /*PTRACE_ATTACH*/, 1, 0, 0);
    else if (!strcmp(name, "process_vm_readv"))
        r = syscall(SYS_process_vm_readv, getppid(), &local, 1, &remote, 1, 0);
    else if (!strcmp(name, "process_vm_writev"))
        r = syscall(SYS_process_vm_writev, getppid(), &local, 1, &remote, 1, 0);
    else if (!strcmp(name, "perf_event_open")) {
        char attr[128] = {0};
        r = syscall(SYS_perf_event_open, attr, 0, -1, -1, 0);
    } else if (!strcmp(name, "bpf")) {
        char attr[128] = {0};
        r = syscall(SYS_bpf, 0, attr, sizeof attr);
    } else if (!strcmp(name, "keyctl"))
        r = syscall(SYS_keyctl, 0 /*GET_KEYRING_ID*/, -3, 0);
    else if (!strcmp(name, "add_key"))
        r = syscall(SYS_add_key, "user", "threat", "secret", 6, -3 /*session*/);
    else if (!strcmp(name, "request_key"))
        r = syscall(SYS_request_key, "user", "threat", NULL, 0);
    else if (!strcmp(name, "userfaultfd"))
        r = syscall(SYS_userfaultfd, 0);
    else if (!strcmp(name, "io_uring_setup")) {
        char params[128] = {0};
        r = syscall(__NR_io_uring_setup, 8, params);
    } else if (!strcmp(name, "open_by_handle_at")) {
        char handle[136] = {0};
        ((unsigned*)handle)[0] = 8;
        r = syscall(SYS_open_by_handle_at, AT_FDCWD, handle, O_RDONLY);
    } else if (!strcmp(name, "name_to_handle_at")) {
        char handle[136] = {0};
        int mount_id;
        ((unsigned*)handle)[0] = 128;
        r = syscall(SYS_name_to_handle_at, AT_FDCWD, "/", handle, &mount_id, 0);
    } else if (!strcmp(name, "mount"))
        r = syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, NULL);
    else if (!strcmp(name, "umount2"))
        r = syscall(SYS_umount2, "/proc", MNT_DETACH);
    else if (!strcmp(name, "pivot_root"))
        r = syscall(SYS_pivot_root, "/tmp", "/tmp");
    else if (!strcmp(name, "chroot"))
        r = syscall(SYS_chroot, "/tmp");
    else if (!strcmp(name, "chroot_escape")) {
        // The classic escape: chroot into a subdirectory while keeping a cwd outside it, then
        // climb with "..".
        mkdir("/tmp/jail", 0755);
        r = syscall(SYS_chroot, "/tmp/jail");
        for (int i = 0; i < 64; ++i) (void)!chdir("..");
        r = syscall(SYS_chroot, ".");
    } else if (!strcmp(name, "open_tree"))
        r = syscall(428 /*open_tree*/, AT_FDCWD, "/", 1 /*OPEN_TREE_CLONE*/);
    else if (!strcmp(name, "fsopen"))
        r = syscall(430 /*fsopen*/, "tmpfs", 0);
    else if (!strcmp(name, "unshare_user"))
        r = syscall(SYS_unshare, CLONE_NEWUSER);
    else if (!strcmp(name, "unshare_ns"))
        r = syscall(SYS_unshare, CLONE_NEWNS);
    else if (!strcmp(name, "setns")) {
        int fd = open("/proc/1/ns/mnt", O_RDONLY);
        r = syscall(SYS_setns, fd, 0);
    } else if (!strcmp(name, "clone_newuser")) {
        r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
        if (r == 0) _exit(0);
        if (r > 0) waitpid(r, NULL, 0);
    } else if (!strcmp(name, "clone_newpid")) {
        r = syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0);
        if (r == 0) _exit(0);
        if (r > 0) waitpid(r, NULL, 0);
    } else if (!strcmp(name, "clone3_newuser")) {
        struct clone_args args;
        memset(&args, 0, sizeof args);
        args.flags = CLONE_NEWUSER;
        args.exit_signal = SIGCHLD;
        r = syscall(__NR_clone3, &args, sizeof args);
        if (r == 0) _exit(0);
        if (r > 0) waitpid(r, NULL, 0);
    } else if (!strcmp(name, "int80"))
        r = int80_getpid();
    else if (!strcmp(name, "x32"))
        r = syscall(0x40000000 | 39 /* x32 getpid */);
    else if (!strcmp(name, "x32_write"))
        r = syscall(0x40000000 | 1, 1, "x32 ran\n", 8);
    else if (!strcmp(name, "tty")) {
        // No terminal may be inherited: nothing to type into with TIOCSTI.
        for (int fd = 0; fd < 3; ++fd) {
            char c = 'x';
            errno = 0;
            long t = ioctl(fd, TIOCSTI, &c);
            printf("fd %d isatty=%d tiocsti=%ld errno=%d\n", fd, isatty(fd), t, errno);
        }
        errno = 0;
        int fd = open("/dev/tty", O_RDWR);
        printf("open /dev/tty=%d errno=%d\n", fd >= 0 ? 0 : -1, errno);
        if (fd >= 0) {
            char c = 'x';
            errno = 0;
            printf("tty tiocsti=%d errno=%d\n", ioctl(fd, TIOCSTI, &c), errno);
        }
        errno = 0;
        fd = open("/dev/ptmx", O_RDWR);
        printf("open /dev/ptmx=%d errno=%d\n", fd >= 0 ? 0 : -1, errno);
        printf("sid=%d pgid=%d tcgetpgrp=%d\n", (int)getsid(0), (int)getpgid(0), (int)tcgetpgrp(0));
        return 0;
    } else {
        printf("unknown %s\n", name);
        return 2;
    }
    printf("%s returned %ld errno %d\n", name, r, errno);
    return 0;
}
