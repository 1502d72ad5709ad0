// Hostile programs about disk space, inodes and descriptors. Usage: threat_disk MODE [ARG]
//   bigfile [ignore]  try to make a 2 GiB file with lseek+write, pwrite, ftruncate and fallocate;
//                     with "ignore", SIGXFSZ is ignored and each attempt prints its errno
//   inodes DIR        create empty files in DIR until that fails; print the count and errno
//   fds               open /dev/null until that fails; print the count and errno
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TWO_GIB (2LL << 30)

static void attempt(const char* what, int rc) {
    if (rc == 0)
        printf("%s: ok\n", what);
    else
        printf("%s: errno %d\n", what, errno);
    fflush(stdout);
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "bigfile";
    if (!strcmp(mode, "bigfile")) {
        if (argc > 2 && !strcmp(argv[2], "ignore")) signal(SIGXFSZ, SIG_IGN);
        int fd = open("big.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) {
            perror("open");
            return 3;
        }
        errno = 0;
        attempt("lseek+write", lseek(fd, TWO_GIB, SEEK_SET) == TWO_GIB && write(fd, "x", 1) == 1 ? 0 : -1);
        errno = 0;
        attempt("pwrite", pwrite(fd, "x", 1, TWO_GIB) == 1 ? 0 : -1);
        errno = 0;
        attempt("ftruncate", ftruncate(fd, TWO_GIB));
        errno = 0;
        int rc = posix_fallocate(fd, 0, TWO_GIB);
        errno = rc;
        attempt("fallocate", rc == 0 ? 0 : -1);
        struct stat info;
        fstat(fd, &info);
        printf("size %lld\n", (long long)info.st_size);
        return 0;
    } else if (!strcmp(mode, "inodes")) {
        char path[4096];
        long made = 0;
        for (;;) {
            snprintf(path, sizeof path, "%s/f%ld", argv[2], made);
            int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
            if (fd < 0) break;
            close(fd);
            ++made;
        }
        printf("made %ld errno %d\n", made, errno);
        return 0;
    } else if (!strcmp(mode, "fds")) {
        long opened = 0;
        while (open("/dev/null", O_RDONLY) >= 0) ++opened;
        printf("opened %ld errno %d\n", opened, errno);
        return 0;
    }
    return 2;
}
