// Hostile programs about output. Usage: threat_output MODE [BYTES]
//   out | err | both   write to stdout / stderr / both (two processes) forever
//   exact BYTES        write exactly BYTES bytes to stdout and exit 0
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buffer[1 << 16];

static void flood(int fd) {
    for (;;)
        if (write(fd, buffer, sizeof buffer) < 0) _exit(7);
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "out";
    memset(buffer, 'o', sizeof buffer);
    if (!strcmp(mode, "out")) flood(1);
    if (!strcmp(mode, "err")) flood(2);
    if (!strcmp(mode, "both")) {
        if (fork() == 0) flood(2);
        flood(1);
    }
    if (!strcmp(mode, "exact")) {
        long left = atol(argv[2]);
        while (left > 0) {
            long n = left < (long)sizeof buffer ? left : (long)sizeof buffer;
            ssize_t w = write(1, buffer, n);
            if (w <= 0) return 8;
            left -= w;
        }
        return 0;
    }
    return 2;
}
