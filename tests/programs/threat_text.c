// Hostile programs about text: output that is not valid UTF-8, or is cut by the output cap in the
// middle of a character. Also a submission source (the pipeline and CLI tests compile it in the
// sandbox), so it uses nothing but the C library. Usage: threat_text MODE [BYTES]
//   invalid      stdout and stderr hold bytes that are never UTF-8 (\xff \xfe), overlong forms
//                (\xc0\xaf), a UTF-16 surrogate encoded as UTF-8 (\xed\xa0\x80), a code point above
//                U+10FFFF (\xf4\x90\x80\x80), a lone continuation byte and a NUL byte
//   cut BYTES [COUNT]     BYTES - 1 ASCII bytes, then COUNT 4-byte characters (U+1F600; without
//                         end when COUNT is absent) on stdout: a cut at BYTES splits the first one
//   cuterr BYTES [COUNT]  the same on stderr
//   echo         copies stdin to stdout
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char kInvalid[] =
    "ok \xff\xfe end \xc0\xaf overlong \xed\xa0\x80 surrogate \xf4\x90\x80\x80 big \x80 lone";

static int write_all(int fd, const char* data, size_t size) {
    while (size > 0) {
        ssize_t written = write(fd, data, size);
        if (written <= 0) return -1;
        data += written;
        size -= (size_t)written;
    }
    return 0;
}

static void cut(int fd, long bytes, long count) {
    static char ascii[1 << 16];
    memset(ascii, 'a', sizeof ascii);
    for (long left = bytes - 1; left > 0;) {
        long n = left < (long)sizeof ascii ? left : (long)sizeof ascii;
        if (write_all(fd, ascii, (size_t)n) < 0) _exit(0);
        left -= n;
    }
    static char faces[4 * 4096];
    for (size_t i = 0; i < sizeof faces; i += 4) memcpy(faces + i, "\xf0\x9f\x98\x80", 4);
    if (count >= 0) {
        for (; count > 0; --count)
            if (write_all(fd, faces, 4) < 0) _exit(0);
        _exit(0);
    }
    for (;;)
        if (write_all(fd, faces, sizeof faces) < 0) _exit(0);
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "invalid";
    if (!strcmp(mode, "invalid")) {
        write_all(1, kInvalid, sizeof kInvalid);  // the terminating NUL included
        write_all(1, "\n", 1);
        write_all(2, kInvalid, sizeof kInvalid - 1);
        write_all(2, "\n", 1);
        return 0;
    }
    long count = argc > 3 ? atol(argv[3]) : -1;
    if (!strcmp(mode, "cut") && argc > 2) cut(1, atol(argv[2]), count);
    if (!strcmp(mode, "cuterr") && argc > 2) cut(2, atol(argv[2]), count);
    if (!strcmp(mode, "echo")) {
        char buffer[4096];
        ssize_t n;
        while ((n = read(0, buffer, sizeof buffer)) > 0)
            if (write_all(1, buffer, (size_t)n) < 0) return 3;
        return 0;
    }
    return 2;
}
