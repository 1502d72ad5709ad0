// Leaves traces for a later run, or looks for them. Usage: threat_ipc leave|look KEY
//   leave  /tmp and /dev/shm files, a System V shm segment, message queue and semaphore set, a
//          POSIX message queue, and a lock on /tmp/lock
//   look   prints one line per trace found ("found ...") and "looked" at the end
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

static void list_dir(const char* dir) {
    DIR* d = opendir(dir);
    if (!d) return;
    struct dirent* e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) printf("found %s/%s\n", dir, e->d_name);
    closedir(d);
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "look";
    key_t key = (key_t)strtol(argc > 2 ? argv[2] : "4242", NULL, 0);
    if (!strcmp(mode, "leave")) {
        FILE* f = fopen("/tmp/left-behind", "w");
        if (f) {
            fputs("secret", f);
            fclose(f);
        }
        f = fopen("/dev/shm/left-behind", "w");
        if (f) {
            fputs("secret", f);
            fclose(f);
        }
        int shm = shmget(key, 1 << 20, IPC_CREAT | 0666);
        if (shm >= 0) {
            char* p = shmat(shm, NULL, 0);
            if (p != (void*)-1) strcpy(p, "secret");
        }
        int msg = msgget(key, IPC_CREAT | 0666);
        struct {
            long type;
            char text[8];
        } m = {1, "secret"};
        if (msg >= 0) msgsnd(msg, &m, sizeof m.text, IPC_NOWAIT);
        int sem = semget(key, 1, IPC_CREAT | 0666);
        struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 16};
        mqd_t mq = mq_open("/threat-queue", O_CREAT | O_RDWR, 0666, &attr);
        if (mq != (mqd_t)-1) mq_send(mq, "secret", 6, 0);
        int lock = open("/tmp/lock", O_CREAT | O_RDWR, 0666);
        int locked = lock >= 0 ? flock(lock, LOCK_EX) : -1;
        printf("left shm=%d msg=%d sem=%d mq=%d lock=%d\n", shm >= 0, msg >= 0, sem >= 0, mq != (mqd_t)-1, locked == 0);
        return 0;
    }
    list_dir("/tmp");
    list_dir("/dev/shm");
    list_dir("/dev/mqueue");
    if (shmget(key, 0, 0) >= 0) printf("found shm\n");
    if (msgget(key, 0) >= 0) printf("found msg\n");
    if (semget(key, 0, 0) >= 0) printf("found sem\n");
    mqd_t mq = mq_open("/threat-queue", O_RDONLY);
    if (mq != (mqd_t)-1) printf("found mq\n");
    FILE* sysv = fopen("/proc/sysvipc/shm", "r");
    if (sysv) {
        char line[512];
        int lines = 0;
        while (fgets(line, sizeof line, sysv)) ++lines;
        if (lines > 1) printf("found %d shm segments in /proc/sysvipc/shm\n", lines - 1);
        fclose(sysv);
    }
    int lock = open("/tmp/lock", O_RDWR);
    if (lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) != 0) printf("found lock\n");
    printf("looked\n");
    return 0;
}
