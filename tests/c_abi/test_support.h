/* Helpers of the C ABI test: checks that count failures, and building JSON in plain C. */
#ifndef AUTOGRADER_C_ABI_TEST_SUPPORT_H
#define AUTOGRADER_C_ABI_TEST_SUPPORT_H

#include <stddef.h>

/* Failed checks so far; main returns non-zero when it is not 0. */
extern int test_failures;

/* Prints "ok"/"FAIL" with `what`; counts a failure when `condition` is false. */
void check(int condition, const char* what);
/* Checks that `status` is `expected`; on a mismatch prints both and ag_last_error(). */
void check_status(int status, int expected, const char* what);
/* Checks that `text` (which may be NULL) contains `needle`; prints text when it does not. */
void check_contains(const char* text, const char* needle, const char* what);

/* The whole file at AUTOGRADER_SOURCE_DIR/relative_path, malloc'd; exits when unreadable. */
char* read_source_file(const char* relative_path);
/* `text` as a JSON string literal with its quotes, malloc'd. */
char* json_quote(const char* text);
/* printf into a malloc'd string. */
char* format(const char* pattern, ...);

#endif
