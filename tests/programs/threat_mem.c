// Hostile programs about memory. Usage: threat_mem MODE [ARG]
//   heap             allocate and touch 1 MiB blocks forever
//   alloc MiB        allocate and touch that much, then exit normally
//   recurse          unbounded recursion
//   stack_array MiB  a local array of that size, touched from its far end
//   memfd            write to a memfd until it fails
//   fill PATH        write 1 MiB chunks to PATH until it fails; print the bytes written
//   sysv_shm MiB     create a System V shared memory segment of that size and touch it
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

static int depth(int n) {
    volatile char pad[256];
    pad[0] = (char)n;
    return depth(n + 1) + pad[0];
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "heap";
    static char chunk[1 << 20];
    memset(chunk, 'x', sizeof chunk);
    if (!strcmp(mode, "heap")) {
        for (;;) {
            char* p = malloc(1 << 20);
            if (!p) {
                printf("malloc failed\n");
                return 3;
            }
            memset(p, 1, 1 << 20);
        }
    } else if (!strcmp(mode, "alloc")) {  // an ordinary program: allocate and touch ARG MiB
        size_t size = (size_t)atol(argv[2]) << 20;
        char* p = malloc(size);
        if (!p) {
            printf("malloc failed\n");
            return 3;
        }
        memset(p, 1, size);
        printf("allocated %zu\n", size >> 20);
        return 0;
    } else if (!strcmp(mode, "recurse")) {
        return depth(0);
    } else if (!strcmp(mode, "stack_array")) {
        size_t size = (size_t)atol(argv[2]) << 20;
        char* a = alloca(size);
        for (size_t i = size; i > 0; i -= 4096) a[i - 1] = 1;
        printf("survived %c\n", a[0] + '0');
        return 0;
    } else if (!strcmp(mode, "memfd") || !strcmp(mode, "fill")) {
        int fd = !strcmp(mode, "memfd") ? memfd_create("bomb", 0) : open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) {
            printf("open failed errno=%d\n", errno);
            return 4;
        }
        long long total = 0;
        for (;;) {
            ssize_t n = write(fd, chunk, sizeof chunk);
            if (n <= 0) break;
            total += n;
        }
        printf("wrote %lld errno=%d\n", total, errno);
        return 0;
    } else if (!strcmp(mode, "sysv_shm")) {
        size_t size = (size_t)atol(argv[2]) << 20;
        int id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
        if (id < 0) {
            printf("shmget failed errno=%d\n", errno);
            return 5;
        }
        char* p = shmat(id, NULL, 0);
        if (p == (void*)-1) {
            printf("shmat failed errno=%d\n", errno);
            return 6;
        }
        for (size_t i = 0; i < size; i += 4096) p[i] = 1;
        printf("touched %zu\n", size);
        return 0;
    }
    return 2;
}
