// Puts something that blocks whoever opens it where the next run's program (or the grader) will
// look. Usage: hostile_fifo fifo:PATH | fifo-link:PATH
//   fifo:PATH       a FIFO at PATH (what was there is removed first), mode 0755 like a program
//   fifo-link:PATH  a FIFO in /tmp and a symlink at PATH pointing to it
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const char* colon = strchr(argv[i], ':');
        if (!colon) return 2;
        const char* path = colon + 1;
        unlink(path);
        int ok;
        if (strncmp(argv[i], "fifo:", 5) == 0) {
            ok = mkfifo(path, 0755) == 0;
        } else {
            unlink("/tmp/blocking.fifo");
            ok = mkfifo("/tmp/blocking.fifo", 0755) == 0 && symlink("/tmp/blocking.fifo", path) == 0;
        }
        printf("%s %s\n", argv[i], ok ? "made" : "failed");
    }
    return 0;
}
