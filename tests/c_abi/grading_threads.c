/* Eight threads grade the same submission on one pipeline at once through the C ABI; every one
 * must get the same status, score, score vector, focus and feedback (a pipeline grades from many
 * threads at once, issue 5 acceptance 2). Twice: the example assignment's pipeline, and a
 * pipeline whose configuration uses a C callback test function. */
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
            if (*p == '\\' && p[1])
                ++p;
            else if (*p == '"')
                in_string = 0;
            if (!in_string && depth == 0) return p + 1;
            continue;
        }
        if (*p == '"')
            in_string = 1;
        else if (*p == '{' || *p == '[')
            ++depth;
        else if (*p == '}' || *p == ']') {
            if (depth == 0) return p;
            if (--depth == 0) return p + 1;
        } else if (*p == ',' && depth == 0)
            return p;
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

/* Grades `submission` from kThreads threads at once; checks that every thread got what the first
 * did, and that the first got `expected_score` (the start of the final_score's JSON text). */
static void grade_from_threads(const ag_pipeline* pipeline, const char* submission, const char* expected_score,
                               const char* label) {
    struct grading gradings[kThreads];
    pthread_t threads[kThreads];
    char* expected_text = format("\"final_score\":%s", expected_score);
    int i;

    for (i = 0; i < kThreads; ++i) {
        gradings[i].pipeline = pipeline;
        gradings[i].submission = submission;
        gradings[i].status = -1;
        gradings[i].result = NULL;
        check(pthread_create(&threads[i], NULL, grade, &gradings[i]) == 0, "start a grading thread");
    }
    for (i = 0; i < kThreads; ++i) pthread_join(threads[i], NULL);

    check_contains(gradings[0].result, expected_text, label);
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
    free(expected_text);
}

/* A C test function called from the grading threads at once: full marks when the submission
 * defines a function. Its call counter is shared, so it takes the lock (the header says so). */
struct call_counter {
    pthread_mutex_t lock;
    int calls;
};

static int defines_function(void* user_data, const char* context_json, ag_sandbox* sandbox, ag_reply* reply) {
    struct call_counter* counter = user_data;
    (void)sandbox;
    pthread_mutex_lock(&counter->lock);
    ++counter->calls;
    pthread_mutex_unlock(&counter->lock);
    return ag_reply_set(reply, strstr(context_json, "def ") ? "{\"score\": 100, \"report\": \"A function.\"}"
                                                            : "{\"score\": 0, \"report\": \"No function.\"}");
}

static void grade_with_callback_from_threads(void) {
    /* The program test fails (it adds one), the host function passes: 50. */
    const char* config =
        "{\"template_name\": [\"input_output\", \"host\"], \"languages\": [\"python\"], "
        "\"criteria_config\": {"
        "\"base\": {\"tests\": [{\"name\": \"doubles\", \"type\": \"expect_output\", \"inputs\": "
        "[\"21\"],"
        " \"expected_output\": \"42\", \"program_command\": \"python3 main.py\"},"
        " {\"name\": \"defines a function\", \"type\": \"defines_function\"}]}}}";
    char* quoted = json_quote("def double(x):\n    return 2 * x + 1\n\nprint(double(int(input())))\n");
    char* submission = format("{\"files\": [{\"path\": \"main.py\", \"content\": %s}]}", quoted);
    struct call_counter counter;
    ag_pipeline_options* options = NULL;
    ag_pipeline* pipeline = NULL;

    pthread_mutex_init(&counter.lock, NULL);
    counter.calls = 0;
    check_status(ag_pipeline_options_create(NULL, &options), AG_OK, "ag_pipeline_options_create");
    check_status(ag_pipeline_options_add_test_function(options, "host", "{\"key\": \"defines_function\"}",
                                                       defines_function, &counter, NULL),
                 AG_OK, "ag_pipeline_options_add_test_function");
    check_status(ag_pipeline_create_with_options(config, options, &pipeline), AG_OK, "ag_pipeline_create_with_options");
    ag_pipeline_options_destroy(options);

    grade_from_threads(pipeline, submission, "50",
                       "with a C test function: the program test's 0 and the callback's 100");
    check(counter.calls == kThreads, "the C test function ran once per grading");

    ag_pipeline_destroy(pipeline);
    pthread_mutex_destroy(&counter.lock);
    free(quoted);
    free(submission);
}

int main(void) {
    char* config = read_source_file("examples/assignments/python-calculator/config.json");
    char* source = read_source_file("examples/assignments/python-calculator/submissions/partial/main.py");
    char* quoted = json_quote(source);
    char* submission = format("{\"files\": [{\"path\": \"main.py\", \"content\": %s}]}", quoted);
    ag_pipeline* pipeline = NULL;

    check_status(ag_pipeline_create(config, NULL, &pipeline), AG_OK, "ag_pipeline_create");
    grade_from_threads(pipeline, submission, "38.19", "the first thread got the partial submission's score");
    ag_pipeline_destroy(pipeline);

    grade_with_callback_from_threads();

    free(config);
    free(source);
    free(quoted);
    free(submission);
    printf("%d failure(s)\n", test_failures);
    return test_failures == 0 ? 0 : 1;
}
