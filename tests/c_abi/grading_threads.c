/* Eight threads grade the same submission on one pipeline at once through the C ABI; every one
 * must get the same status, score, score vector, focus and feedback (a pipeline grades from many
 * threads at once, issue 5 acceptance 2). */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograder.h"
#include "test_support.h"

enum { kThreads = 8 };

struct grading {
    const ag_pipeline* pipeline;
    const char* submission;
    int status;
    char* result;
};

static void* grade(void* argument) {
    struct grading* grading = argument;
    grading->status = ag_pipeline_grade(grading->pipeline, grading->submission, &grading->result);
    return NULL;
}

/* The end of the JSON value starting at `value` (a string, an object or array, or a scalar):
 * enough to compare parts of results without a JSON parser. */
static const char* value_end(const char* value) {
    int depth = 0;
    int in_string = 0;
    const char* p;
    for (p = value; *p; ++p) {
        if (in_string) {
            if (*p == '\\' && p[1]) ++p;
            else if (*p == '"') in_string = 0;
            if (!in_string && depth == 0) return p + 1;
            continue;
        }
        if (*p == '"') in_string = 1;
        else if (*p == '{' || *p == '[') ++depth;
        else if (*p == '}' || *p == ']') {
            if (depth == 0) return p;
            if (--depth == 0) return p + 1;
        } else if (*p == ',' && depth == 0) return p;
    }
    return p;
}

/* The text of the first `"field":value` of `json`, malloc'd ("" when absent). */
static char* field_text(const char* json, const char* field) {
    char* key = format("\"%s\":", field);
    const char* start = json ? strstr(json, key) : NULL;
    int length = start ? (int)(value_end(start + strlen(key)) - start) : 0;
    char* text = format("%.*s", length, start ? start : "");
    free(key);
    return text;
}

/* What must be identical whatever thread graded: everything but the timings. */
static const char* const kComparedFields[] = {"status", "final_score", "score_vector", "focus", "feedback"};
enum { kComparedCount = sizeof kComparedFields / sizeof kComparedFields[0] };

int main(void) {
    char* config = read_source_file("examples/assignments/python-calculator/config.json");
    char* source = read_source_file("examples/assignments/python-calculator/submissions/partial/main.py");
    char* quoted = json_quote(source);
    char* submission = format("{\"files\": [{\"path\": \"main.py\", \"content\": %s}]}", quoted);
    ag_pipeline* pipeline = NULL;
    struct grading gradings[kThreads];
    pthread_t threads[kThreads];
    int i;

    check_status(ag_pipeline_create(config, NULL, &pipeline), AG_OK, "ag_pipeline_create");
    for (i = 0; i < kThreads; ++i) {
        gradings[i].pipeline = pipeline;
        gradings[i].submission = submission;
        gradings[i].status = -1;
        gradings[i].result = NULL;
        check(pthread_create(&threads[i], NULL, grade, &gradings[i]) == 0, "start a grading thread");
    }
    for (i = 0; i < kThreads; ++i) pthread_join(threads[i], NULL);

    check_contains(gradings[0].result, "\"final_score\":38.19", "the first thread got the partial submission's score");
    for (i = 0; i < kThreads; ++i) {
        int field;
        check_status(gradings[i].status, AG_OK, "a thread graded");
        for (field = 0; field < kComparedCount; ++field) {
            char* expected = field_text(gradings[0].result, kComparedFields[field]);
            char* actual = field_text(gradings[i].result, kComparedFields[field]);
            char* what = format("thread %d: %s is the first thread's", i, kComparedFields[field]);
            check(expected[0] != '\0' && strcmp(expected, actual) == 0, what);
            free(expected);
            free(actual);
            free(what);
        }
    }
    for (i = 0; i < kThreads; ++i) ag_free(gradings[i].result);

    ag_pipeline_destroy(pipeline);
    free(config);
    free(source);
    free(quoted);
    free(submission);
    printf("%d failure(s)\n", test_failures);
    return test_failures == 0 ? 0 : 1;
}
