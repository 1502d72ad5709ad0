// Tries file operations and prints one line per attempt, "OP PATH: ok ..." or "OP PATH: errno N".
// Usage: threat_fs OP:PATH ...   with OP one of
//   read     open read-only and print the first 60 bytes
//   write    open for writing without creating (O_WRONLY|O_APPEND) and append a byte
//   create   create a new file (O_CREAT|O_EXCL)
//   trunc    truncate to zero length
//   openw    open an existing file for writing, write nothing (harmless if it wrongly succeeds)
//   mkdir    make a directory            unlink   remove a file
//   rmdir    remove a directory          chmod    chmod 0777
//   rename   rename PATH to PATH.moved   list     list a directory's entries
//   symlink  make PATH a symlink to /etc/passwd
//   fifo     make PATH a FIFO            socket   bind a unix socket at PATH
//   mknod    make PATH a character device node (1,3: /dev/null)
//   euid     print the effective uid (PATH ignored)
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

static void result(const char* op, const char* path, int rc) {
    if (rc == 0)
        printf("%s %s: ok\n", op, path);
    else
        printf("%s %s: errno %d\n", op, path, errno);
}

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        char op[16] = {0};
        const char* colon = strchr(argv[i], ':');
        if (!colon || colon - argv[i] >= (long)sizeof op) continue;
        memcpy(op, argv[i], colon - argv[i]);
        const char* path = colon + 1;
        errno = 0;
        if (!strcmp(op, "read")) {
            int fd = open(path, O_RDONLY | O_NONBLOCK);
            if (fd < 0) {
                result(op, path, -1);
                continue;
            }
            char buf[61] = {0};
            ssize_t n = read(fd, buf, 60);
            if (n < 0) {
                result(op, path, -1);
                close(fd);
                continue;
            }
            for (ssize_t k = 0; k < n; ++k)
                if (buf[k] == '\n' || buf[k] == 0) buf[k] = ' ';
            printf("read %s: ok [%s]\n", path, buf);
            close(fd);
        } else if (!strcmp(op, "write") || !strcmp(op, "create") || !strcmp(op, "trunc")) {
            int flags = !strcmp(op, "write")    ? O_WRONLY | O_APPEND
                        : !strcmp(op, "create") ? O_WRONLY | O_CREAT | O_EXCL
                                                : O_WRONLY | O_TRUNC;
            int fd = open(path, flags, 0644);
            if (fd < 0) {
                result(op, path, -1);
                continue;
            }
            int rc = write(fd, "X", 1) == 1 ? 0 : -1;
            result(op, path, rc);
            close(fd);
        } else if (!strcmp(op, "openw")) {
            int fd = open(path, O_WRONLY);
            result(op, path, fd < 0 ? -1 : 0);
            if (fd >= 0) close(fd);
        } else if (!strcmp(op, "mkdir"))
            result(op, path, mkdir(path, 0755));
        else if (!strcmp(op, "unlink"))
            result(op, path, unlink(path));
        else if (!strcmp(op, "rmdir"))
            result(op, path, rmdir(path));
        else if (!strcmp(op, "chmod"))
            result(op, path, chmod(path, 0777));
        else if (!strcmp(op, "rename")) {
            char to[4096];
            snprintf(to, sizeof to, "%s.moved", path);
            result(op, path, rename(path, to));
        } else if (!strcmp(op, "list")) {
            DIR* d = opendir(path);
            if (!d) {
                result(op, path, -1);
                continue;
            }
            printf("list %s:", path);
            struct dirent* e;
            while ((e = readdir(d))) printf(" %s", e->d_name);
            printf("\n");
            closedir(d);
        } else if (!strcmp(op, "symlink"))
            result(op, path, symlink("/etc/passwd", path));
        else if (!strcmp(op, "fifo"))
            result(op, path, mkfifo(path, 0644));
        else if (!strcmp(op, "socket")) {
            int s = socket(AF_UNIX, SOCK_STREAM, 0);
            struct sockaddr_un a = {.sun_family = AF_UNIX};
            snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
            result(op, path, bind(s, (struct sockaddr*)&a, sizeof a));
        } else if (!strcmp(op, "mknod"))
            result(op, path, mknod(path, S_IFCHR | 0666, makedev(1, 3)));
        else if (!strcmp(op, "euid"))
            printf("euid %d uid %d\n", (int)geteuid(), (int)getuid());
        fflush(stdout);
    }
    return 0;
}
