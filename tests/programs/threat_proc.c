// Hostile programs about processes. Usage: threat_proc MODE
//   bomb       fork() in an endless loop, every child too
//   count      fork children that wait forever until fork fails; print how many, then spin
//   daemon     fork; the child setsid()s, writes its pid to daemon.pid and burns; the parent exits
//   daemon_cpu like daemon, but the parent waits until the child has burnt 600 ms of CPU
//   ps         print every pid of /proc except 1 and our own ("none" if there is none)
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

static double own_cpu_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "bomb";
    if (!strcmp(mode, "bomb")) {
        for (;;) fork();
    } else if (!strcmp(mode, "count")) {
        int made = 0;
        for (;;) {
            pid_t p = fork();
            if (p == 0) {
                for (;;) pause();
            }
            if (p < 0) break;
            ++made;
        }
        printf("forked %d errno=%d\n", made, errno);
        fflush(stdout);
        for (;;) sink++;
    } else if (!strcmp(mode, "daemon") || !strcmp(mode, "daemon_cpu")) {
        int ready[2];
        if (pipe(ready) != 0) return 4;
        pid_t p = fork();
        if (p == 0) {
            setsid();
            if (fork() > 0) _exit(0);  // double fork: the daemon is re-parented to init
            FILE* f = fopen("daemon.pid", "w");
            if (f) {
                fprintf(f, "%d\n", getpid());
                fclose(f);
            }
            while (own_cpu_ms() < 600) sink++;
            (void)!write(ready[1], "r", 1);
            for (;;) sink++;
        }
        if (!strcmp(mode, "daemon_cpu")) {
            char c;
            close(ready[1]);
            if (read(ready[0], &c, 1) != 1) return 5;
        }
        printf("parent leaves\n");
        return 0;
    } else if (!strcmp(mode, "ps")) {
        DIR* d = opendir("/proc");
        if (!d) {
            perror("opendir /proc");
            return 6;
        }
        struct dirent* e;
        int found = 0;
        while ((e = readdir(d))) {
            int pid = atoi(e->d_name);
            if (pid <= 0 || pid == 1 || pid == getpid()) continue;
            char path[64], comm[64] = "?";
            snprintf(path, sizeof path, "/proc/%d/comm", pid);
            FILE* f = fopen(path, "r");
            if (f) {
                if (fgets(comm, sizeof comm, f)) comm[strcspn(comm, "\n")] = 0;
                fclose(f);
            }
            printf("pid %d %s\n", pid, comm);
            found = 1;
        }
        closedir(d);
        if (!found) printf("none\n");
        return 0;
    }
    return 2;
}
