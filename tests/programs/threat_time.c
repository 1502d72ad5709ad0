// Hostile programs about time: CPU burns (one thread, many threads, many processes), waits that
// never end, and SIGSTOP games. Usage: threat_time MODE [N] [HOST_PID]
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

static volatile unsigned long sink;

static void* burn(void* arg) {
    (void)arg;
    for (;;) sink++;
    return NULL;
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "spin";
    int n = argc > 2 ? atoi(argv[2]) : 4;
    if (!strcmp(mode, "spin")) {
        for (;;) sink++;
    } else if (!strcmp(mode, "threads")) {
        pthread_t t;
        for (int i = 1; i < n; ++i) pthread_create(&t, NULL, burn, NULL);
        burn(NULL);
    } else if (!strcmp(mode, "procs")) {
        for (int i = 1; i < n; ++i)
            if (fork() == 0) break;
        burn(NULL);
    } else if (!strcmp(mode, "sleep")) {
        sleep(1000);
    } else if (!strcmp(mode, "pause")) {
        pause();
    } else if (!strcmp(mode, "select")) {
        select(0, NULL, NULL, NULL, NULL);
    } else if (!strcmp(mode, "read")) {
        // A pipe of its own that nobody writes to (it holds the write end): read() blocks for
        // good. (stdin would not do: the sandbox gives end-of-file when there is no input.)
        int fds[2];
        if (pipe(fds) != 0) return 4;
        char c;
        ssize_t r = read(fds[0], &c, 1);
        printf("read returned %zd\n", r);
        return 3;
    } else if (!strcmp(mode, "stop")) {
        // Try to stop init (our parent), every process we can reach, and the supervisor's host
        // pid (argv[3]); then stop ourselves.
        pid_t host_pid = argc > 3 ? atoi(argv[3]) : 0;
        int r;
        errno = 0;
        r = kill(getppid(), SIGSTOP);
        printf("ppid=%d kill_parent=%d errno=%d\n", getppid(), r, errno);
        errno = 0;
        r = kill(1, SIGSTOP);
        printf("kill_1=%d errno=%d\n", r, errno);
        errno = 0;
        r = kill(1, SIGKILL);
        printf("kill_1_KILL=%d errno=%d\n", r, errno);
        if (host_pid > 0) {
            errno = 0;
            r = kill(host_pid, 0);
            printf("kill_host=%d errno=%d\n", r, errno);
        }
        errno = 0;
        r = kill(-1, SIGSTOP);
        printf("kill_all=%d errno=%d\n", r, errno);
        fflush(stdout);
        raise(SIGSTOP);
        printf("resumed\n");
        return 0;
    }
    return 2;
}
