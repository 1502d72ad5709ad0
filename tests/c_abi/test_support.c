#include "test_support.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograder.h"

int test_failures = 0;

void check(int condition, const char* what) {
    printf("%s %s\n", condition ? "ok  " : "FAIL", what);
    if (!condition) ++test_failures;
}

void check_status(int status, int expected, const char* what) {
    check(status == expected, what);
    if (status != expected) printf("     status %d, expected %d; last error: %s\n", status, expected, ag_last_error());
}

void check_contains(const char* text, const char* needle, const char* what) {
    int found = text != NULL && strstr(text, needle) != NULL;
    check(found, what);
    if (!found) printf("     expected to find %s in: %.2000s\n", needle, text ? text : "(NULL)");
}

char* read_source_file(const char* relative_path) {
    char* path = format("%s/%s", AUTOGRADER_SOURCE_DIR, relative_path);
    FILE* file = fopen(path, "rb");
    char* content;
    long size;
    if (!file || fseek(file, 0, SEEK_END) != 0 || (size = ftell(file)) < 0 || fseek(file, 0, SEEK_SET) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    content = malloc((size_t)size + 1);
    if (!content || fread(content, 1, (size_t)size, file) != (size_t)size) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    content[size] = '\0';
    fclose(file);
    free(path);
    return content;
}

char* json_quote(const char* text) {
    /* Worst case: every byte becomes \u00XX (6 bytes), plus quotes and the terminator. */
    char* quoted = malloc(strlen(text) * 6 + 3);
    char* out = quoted;
    const unsigned char* in;
    if (!quoted) exit(2);
    *out++ = '"';
    for (in = (const unsigned char*)text; *in; ++in) {
        if (*in == '"' || *in == '\\') {
            *out++ = '\\';
            *out++ = (char)*in;
        } else if (*in == '\n') {
            *out++ = '\\';
            *out++ = 'n';
        } else if (*in < 0x20) {
            out += sprintf(out, "\\u%04x", (unsigned)*in);
        } else {
            *out++ = (char)*in;
        }
    }
    *out++ = '"';
    *out = '\0';
    return quoted;
}

char* format(const char* pattern, ...) {
    va_list arguments;
    int length;
    char* text;
    va_start(arguments, pattern);
    length = vsnprintf(NULL, 0, pattern, arguments);
    va_end(arguments);
    text = malloc((size_t)length + 1);
    if (!text) exit(2);
    va_start(arguments, pattern);
    vsnprintf(text, (size_t)length + 1, pattern, arguments);
    va_end(arguments);
    return text;
}
