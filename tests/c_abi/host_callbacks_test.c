/* The host additions of autograder.h (AG_ABI_VERSION 2) from C99: pipeline options, test
 * functions and steps as C callbacks, a shared sandbox pool, a custom language table. Each
 * grading is real (a real configuration, a real sandbox); the callbacks' answers must show in
 * the scores, and every wrong use must give a status code and a message naming the field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograder.h"
#include "host_callbacks_test.h"
#include "test_support.h"

/* A callback that does what the test says: replies `reply` (NULL: no reply) and returns
 * `status`; it keeps the last JSON it was given and counts its calls and destructions. */
struct scripted_callback {
    const char* reply;
    int status;
    int reply_null_first; /* first call ag_reply_set(reply, NULL) and keep its status */
    int calls;
    int reply_status; /* what the last ag_reply_set returned */
    int null_reply_status;
    int got_sandbox;
    int destroyed;
    char* last_json;
};

static void reset_script(struct scripted_callback* script, const char* reply, int status) {
    script->reply = reply;
    script->status = status;
    script->reply_null_first = 0;
    script->reply_status = -1;
}

static void answer(struct scripted_callback* script, const char* json, ag_reply* reply) {
    ++script->calls;
    free(script->last_json);
    script->last_json = format("%s", json);
    if (script->reply_null_first) script->null_reply_status = ag_reply_set(reply, NULL);
    if (script->reply) script->reply_status = ag_reply_set(reply, script->reply);
}

static int scripted_test(void* user_data, const char* context_json, ag_sandbox* sandbox, ag_reply* reply) {
    struct scripted_callback* script = user_data;
    script->got_sandbox = sandbox != NULL;
    answer(script, context_json, reply);
    return script->status;
}

static int scripted_step(void* user_data, const char* execution_json, ag_reply* reply) {
    struct scripted_callback* script = user_data;
    answer(script, execution_json, reply);
    return script->status;
}

static void count_destruction(void* user_data) {
    ++((struct scripted_callback*)user_data)->destroyed;
}

/* A test function with real logic: full marks when the submission defines a function. */
static int defines_function(void* user_data, const char* context_json, ag_sandbox* sandbox, ag_reply* reply) {
    (void)user_data;
    (void)sandbox;
    return ag_reply_set(reply, strstr(context_json, "def ") ? "{\"score\": 100, \"report\": \"A function, well done.\"}"
                                                            : "{\"score\": 0, \"report\": \"Write a function.\"}");
}

/* The configuration most tests use: a program test and a host test of `host_function`, 50 each. */
static char* doubling_config(const char* host_function) {
    return format(
        "{\"template_name\": [\"input_output\", \"host\"], \"languages\": [\"python\"],"
        " \"criteria_config\": {\"base\": {\"weight\": 100, \"tests\": ["
        "{\"name\": \"doubles\", \"type\": \"expect_output\", \"weight\": 50, \"inputs\": [\"21\"],"
        " \"expected_output\": \"42\", \"program_command\": \"python3 main.py\"},"
        "{\"name\": \"host check\", \"type\": \"%s\", \"weight\": 50, \"limit\": 3}]}}}",
        host_function);
}

static char* submission_in(const char* language, const char* source) {
    char* quoted = json_quote(source);
    char* json =
        format("{\"language\": \"%s\", \"files\": [{\"path\": \"main.py\", \"content\": %s}]}", language, quoted);
    free(quoted);
    return json;
}

static const char* const kDoubling = "print(int(input()) * 2)\n";
static const char* const kDoublingWithFunction = "def double(x):\n    return 2 * x\n\nprint(double(int(input())))\n";

/* The top-level final_score of a result: the first one, as the library writes keys in order. */
static double final_score(const char* result) {
    const char* found = result ? strstr(result, "\"final_score\":") : NULL;
    return found ? strtod(found + strlen("\"final_score\":"), NULL) : -1;
}

static void check_score(const char* result, double expected, const char* what) {
    double score = final_score(result);
    check(score > expected - 1e-9 && score < expected + 1e-9, what);
    if (!(score > expected - 1e-9 && score < expected + 1e-9))
        printf("     final_score %g, expected %g\n", score, expected);
}

/* Grades; *result is the library's (ag_free). */
static void grade(const ag_pipeline* pipeline, const char* submission, char** result) {
    check_status(ag_pipeline_grade(pipeline, submission, result), AG_OK, "ag_pipeline_grade");
}

static ag_pipeline* pipeline_with(const char* config, const ag_pipeline_options* options) {
    ag_pipeline* pipeline = NULL;
    check_status(ag_pipeline_create_with_options(config, options, &pipeline), AG_OK, "ag_pipeline_create_with_options");
    return pipeline;
}

static void test_options_errors(void) {
    struct scripted_callback script;
    ag_pipeline_options* options = (ag_pipeline_options*)&options; /* must come back NULL */
    ag_pipeline* pipeline = (ag_pipeline*)&pipeline;
    ag_sandbox_pool* pool = NULL;
    char* config = doubling_config("scripted");
    memset(&script, 0, sizeof script);

    check_status(ag_pipeline_options_create("{\"locale\": ", &options), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_options_create with malformed JSON");
    check_contains(ag_last_error(), "options_json is not valid JSON", "the message says which JSON is bad");
    check(options == NULL, "the output is NULL after a failure");
    check_status(ag_pipeline_options_create("{\"locale\": 7}", &options), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_options_create with a locale that is not a string");
    check_contains(ag_last_error(), "options_json.locale", "the message names the field");
    check_status(ag_pipeline_options_create(NULL, NULL), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_options_create(NULL out)");
    check_status(ag_pipeline_options_create(NULL, &options), AG_OK, "ag_pipeline_options_create(NULL options_json)");

    check_status(ag_pipeline_options_set_pool(NULL, NULL), AG_ERROR_INVALID_ARGUMENT, "set_pool(NULL options)");
    check_contains(ag_last_error(), "options is NULL", "the message names the argument");
    check_status(ag_pipeline_options_set_pool(options, NULL), AG_ERROR_INVALID_ARGUMENT, "set_pool(NULL pool)");
    check_contains(ag_last_error(), "pool is NULL", "the message names the argument");
    check_status(ag_sandbox_pool_create(NULL, &pool), AG_OK, "ag_sandbox_pool_create");
    check_status(ag_pipeline_options_set_pool(NULL, pool), AG_ERROR_INVALID_ARGUMENT, "set_pool(NULL options, pool)");
    ag_sandbox_pool_destroy(pool);

    check_status(ag_pipeline_options_set_languages(options, NULL), AG_ERROR_INVALID_ARGUMENT, "set_languages(NULL)");
    check_contains(ag_last_error(), "languages_json is NULL", "the message names the argument");
    check_status(ag_pipeline_options_set_languages(options, "{\"languages\": "), AG_ERROR_INVALID_ARGUMENT,
                 "set_languages with malformed JSON");
    check_status(ag_pipeline_options_set_languages(options, "{\"languages\": {\"snake\": {\"extension\": \".py\"}}}"),
                 AG_ERROR_INVALID_ARGUMENT, "set_languages with a language without a run command");
    check_contains(ag_last_error(), "languages.snake.run", "the message names the field");
    check_status(ag_pipeline_options_set_languages(NULL, "{}"), AG_ERROR_INVALID_ARGUMENT,
                 "set_languages(NULL options)");

    check_status(ag_pipeline_options_add_test_function(NULL, "host", "{\"key\": \"k\"}", scripted_test, &script,
                                                       count_destruction),
                 AG_ERROR_INVALID_ARGUMENT, "add_test_function(NULL options)");
    check_status(ag_pipeline_options_add_test_function(options, NULL, "{\"key\": \"k\"}", scripted_test, &script,
                                                       count_destruction),
                 AG_ERROR_INVALID_ARGUMENT, "add_test_function(NULL template_name)");
    check_contains(ag_last_error(), "template_name is NULL", "the message names the argument");
    check_status(ag_pipeline_options_add_test_function(options, "", "{\"key\": \"k\"}", scripted_test, &script,
                                                       count_destruction),
                 AG_ERROR_INVALID_ARGUMENT, "add_test_function with an empty template name");
    check_status(
        ag_pipeline_options_add_test_function(options, "host", "{\"key\": \"k\"}", NULL, &script, count_destruction),
        AG_ERROR_INVALID_ARGUMENT, "add_test_function(NULL fn)");
    check_contains(ag_last_error(), "fn is NULL", "the message names the argument");
    check_status(
        ag_pipeline_options_add_test_function(options, "host", NULL, scripted_test, &script, count_destruction),
        AG_ERROR_INVALID_ARGUMENT, "add_test_function(NULL function_json)");
    check_status(
        ag_pipeline_options_add_test_function(options, "host", "{\"key\"", scripted_test, &script, count_destruction),
        AG_ERROR_INVALID_ARGUMENT, "add_test_function with malformed JSON");
    check_contains(ag_last_error(), "function_json is not valid JSON", "the message says which JSON is bad");
    check_status(
        ag_pipeline_options_add_test_function(options, "host", "{}", scripted_test, &script, count_destruction),
        AG_ERROR_INVALID_ARGUMENT, "add_test_function without a key");
    check_contains(ag_last_error(), "function_json.key is required", "the message names the field");
    check_status(ag_pipeline_options_add_test_function(options, "host", "{\"key\": 3}", scripted_test, &script,
                                                       count_destruction),
                 AG_ERROR_INVALID_ARGUMENT, "add_test_function with a key that is not a string");
    check_contains(ag_last_error(), "function_json.key must be a string", "the message names the field");
    check_status(ag_pipeline_options_add_test_function(options, "host", "{\"key\": \"k\", \"needs_sandbox\": \"yes\"}",
                                                       scripted_test, &script, count_destruction),
                 AG_ERROR_INVALID_ARGUMENT, "add_test_function with needs_sandbox not a boolean");
    check_contains(ag_last_error(), "function_json.needs_sandbox", "the message names the field");
    check_status(ag_pipeline_options_add_test_function(options, "host", "{\"key\": \"k\", \"colour\": \"red\"}",
                                                       scripted_test, &script, count_destruction),
                 AG_ERROR_INVALID_ARGUMENT, "add_test_function with an unknown field");
    check_contains(ag_last_error(), "unknown field 'colour'", "the message names the field");
    check_status(ag_pipeline_options_add_test_function(options, "host", "{\"key\": \"k\", \"parameters\": [{}]}",
                                                       scripted_test, &script, count_destruction),
                 AG_ERROR_INVALID_ARGUMENT, "add_test_function with a parameter without a name");
    check_contains(ag_last_error(), "function_json.parameters[0].name is required", "the message names the element");

    check_status(ag_pipeline_options_add_step(NULL, "{\"name\": \"AUDIT\"}", scripted_step, &script, count_destruction),
                 AG_ERROR_INVALID_ARGUMENT, "add_step(NULL options)");
    check_status(ag_pipeline_options_add_step(options, "{\"name\": \"AUDIT\"}", NULL, &script, count_destruction),
                 AG_ERROR_INVALID_ARGUMENT, "add_step(NULL fn)");
    check_status(ag_pipeline_options_add_step(options, NULL, scripted_step, &script, count_destruction),
                 AG_ERROR_INVALID_ARGUMENT, "add_step(NULL step_json)");
    check_contains(ag_last_error(), "step_json is NULL", "the message names the argument");
    check_status(ag_pipeline_options_add_step(options, "[", scripted_step, &script, count_destruction),
                 AG_ERROR_INVALID_ARGUMENT, "add_step with malformed JSON");
    check_status(
        ag_pipeline_options_add_step(options, "{\"after\": \"GRADE\"}", scripted_step, &script, count_destruction),
        AG_ERROR_INVALID_ARGUMENT, "add_step without a name");
    check_contains(ag_last_error(), "step_json.name is required", "the message names the field");
    check_status(ag_pipeline_options_add_step(options, "{\"name\": \"AUDIT\", \"after\": 4}", scripted_step, &script,
                                              count_destruction),
                 AG_ERROR_INVALID_ARGUMENT, "add_step with an 'after' that is not a string");
    check_contains(ag_last_error(), "step_json.after must be a string", "the message names the field");
    check_status(
        ag_pipeline_options_add_step(options, "{\"name\": \"GRADE\"}", scripted_step, &script, count_destruction),
        AG_ERROR_INVALID_ARGUMENT, "add_step with a built-in step's name");
    check_contains(ag_last_error(), "'GRADE' already exists", "the message says why");
    check_status(
        ag_pipeline_options_add_step(options, "{\"name\": \"AUDIT\"}", scripted_step, &script, count_destruction),
        AG_OK, "add_step AUDIT");
    check_status(
        ag_pipeline_options_add_step(options, "{\"name\": \"AUDIT\"}", scripted_step, &script, count_destruction),
        AG_ERROR_INVALID_ARGUMENT, "add_step with the name of a step already added");
    check(script.destroyed == 0, "failed calls do not take (or destroy) the user_data");

    /* The configuration names a host function nobody added: an invalid configuration. */
    check_status(ag_pipeline_create_with_options(config, options, &pipeline), AG_ERROR_CONFIG,
                 "ag_pipeline_create_with_options with a function the options lack");
    check_contains(ag_last_error(), "scripted", "the message names the test function");
    check(pipeline == NULL, "the output is NULL after a failure");
    check_status(ag_pipeline_create_with_options(NULL, options, &pipeline), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_create_with_options(NULL config)");
    check_status(ag_pipeline_create_with_options("{\"template_name\"", options, &pipeline), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_create_with_options with malformed JSON");
    check_status(ag_pipeline_create_with_options(config, options, NULL), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_create_with_options(NULL out)");
    check_status(ag_reply_set(NULL, "{\"score\": 1}"), AG_ERROR_INVALID_ARGUMENT, "ag_reply_set(NULL reply)");
    check_contains(ag_last_error(), "reply is NULL", "the message names the argument");

    ag_pipeline_options_destroy(options);
    check(script.destroyed == 1, "destroying the options destroys the step's user_data, once");
    ag_pipeline_options_destroy(NULL);
    free(config);
    free(script.last_json);
}

static void test_function_replies(void) {
    struct scripted_callback script;
    ag_pipeline_options* options = NULL;
    ag_pipeline* pipeline;
    ag_pipeline* without_options;
    char* config = doubling_config("scripted");
    char* submission = submission_in("python", kDoubling);
    char* result;
    memset(&script, 0, sizeof script);

    check_status(ag_pipeline_options_create("{\"locale\": \"en\"}", &options), AG_OK, "ag_pipeline_options_create");
    check_status(ag_pipeline_options_add_test_function(options, "host",
                                                       "{\"key\": \"scripted\", \"description\": \"replies "
                                                       "what the test says\", \"parameters\": "
                                                       "[{\"name\": \"limit\", \"type\": \"number\", "
                                                       "\"required\": true, \"description\": \"a limit\"}]}",
                                                       scripted_test, &script, count_destruction),
                 AG_OK, "ag_pipeline_options_add_test_function");
    pipeline = pipeline_with(config, options);
    ag_pipeline_options_destroy(options);
    check(script.destroyed == 0, "the pipeline keeps the function and its user_data once the options are gone");
    check_status(ag_pipeline_create_with_options(config, NULL, &without_options), AG_ERROR_CONFIG,
                 "without the options the host function is unknown");

    reset_script(&script, "{\"score\": 80, \"report\": \"eighty points\"}", 0);
    grade(pipeline, submission, &result);
    check(script.reply_status == AG_OK, "ag_reply_set accepts a score and a report");
    check_score(result, 90, "the host function's 80 and the program test's 100 average to 90");
    check_contains(result, "eighty points", "the host function's report is in the result");
    check_contains(script.last_json, "\"function\":\"scripted\"", "the context names the function");
    check_contains(script.last_json, "\"name\":\"host check\"", "the context names the test");
    check_contains(script.last_json, "\"parameters\":{\"limit\":3}", "the context has the test's parameters");
    check_contains(script.last_json, "\"file\":null", "the context has the test's file");
    check_contains(script.last_json, "\"weight\":50", "the context has the test's weight");
    check_contains(script.last_json, "\"language\":\"python\"", "the context has the submission's language");
    check_contains(script.last_json, "print(int(input()) * 2)", "the context has the submission's files");
    check_contains(script.last_json, "\"metadata\":{}", "the context has the submission's metadata");
    check(script.got_sandbox == 0, "a function without needs_sandbox gets no sandbox");
    ag_free(result);

    reset_script(&script, "{\"error\": \"the checker crashed\"}", 0);
    grade(pipeline, submission, &result);
    check_score(result, 50, "a reply of {\"error\"} scores 0");
    check_contains(result, "the checker crashed", "and its message is the report");
    ag_free(result);

    reset_script(&script, "{\"score\": 80}", 3);
    grade(pipeline, submission, &result);
    check_score(result, 50, "a callback returning non-zero scores 0 whatever it replied");
    check_contains(result, "the host test function 'scripted' returned 3", "the report says what it returned");
    ag_free(result);

    reset_script(&script, NULL, 0);
    grade(pipeline, submission, &result);
    check_score(result, 50, "a callback that does not reply scores 0");
    check_contains(result, "did not reply", "the report says it did not reply");
    ag_free(result);

    reset_script(&script, "{\"score\": ", 0);
    grade(pipeline, submission, &result);
    check(script.reply_status == AG_ERROR_INVALID_ARGUMENT, "ag_reply_set refuses malformed JSON");
    check_score(result, 50, "a callback replying malformed JSON scores 0");
    check_contains(result, "gave an invalid reply: json is not valid JSON", "the report says why");
    ag_free(result);

    reset_script(&script, "{\"score\": 120}", 0);
    grade(pipeline, submission, &result);
    check(script.reply_status == AG_ERROR_INVALID_ARGUMENT, "ag_reply_set refuses a score above 100");
    check_score(result, 50, "a score out of range scores 0");
    check_contains(result, "reply.score must be a number from 0 to 100", "the report names the field");
    ag_free(result);

    reset_script(&script, "{\"score\": 100, \"colour\": \"red\"}", 0);
    grade(pipeline, submission, &result);
    check(script.reply_status == AG_ERROR_INVALID_ARGUMENT, "ag_reply_set refuses an unknown field");
    check_contains(result, "reply: unknown field 'colour'", "the report names the field");
    ag_free(result);

    reset_script(&script, "{\"score\": 100, \"report\": 5}", 0);
    grade(pipeline, submission, &result);
    check_contains(result, "reply.report must be a string", "a report that is not a string is refused");
    ag_free(result);

    reset_script(&script, "{\"score\": 100}", 0);
    script.reply_null_first = 1;
    grade(pipeline, submission, &result);
    check(script.null_reply_status == AG_ERROR_INVALID_ARGUMENT, "ag_reply_set(reply, NULL) is refused");
    check_score(result, 100, "a later valid reply replaces a refused one");
    ag_free(result);

    ag_pipeline_destroy(pipeline);
    check(script.destroyed == 1, "destroy_user_data runs once, when the last pipeline is gone");
    free(script.last_json);
    free(config);
    free(submission);
}

static void test_function_decides_score(void) {
    ag_pipeline_options* options = NULL;
    ag_pipeline* pipeline;
    char* config = doubling_config("defines_function");
    char* with_function = submission_in("python", kDoublingWithFunction);
    char* without_function = submission_in("python", kDoubling);
    char* result;

    check_status(ag_pipeline_options_create(NULL, &options), AG_OK, "ag_pipeline_options_create");
    check_status(ag_pipeline_options_add_test_function(options, "host", "{\"key\": \"defines_function\"}",
                                                       defines_function, NULL, NULL),
                 AG_OK, "add a test function without user_data");
    pipeline = pipeline_with(config, options);
    ag_pipeline_options_destroy(options);

    grade(pipeline, with_function, &result);
    check_contains(result, "\"status\":\"SUCCESS\"", "the submission is graded");
    check_score(result, 100, "a submission with a function gets the host function's 100");
    check_contains(result, "A function, well done.", "with its report");
    check_contains(result, "\"host_data\":{}", "no host step: the host data is empty");
    ag_free(result);
    grade(pipeline, without_function, &result);
    check_score(result, 50, "one without gets the host function's 0");
    check_contains(result, "Write a function.", "with its report");
    ag_free(result);

    ag_pipeline_destroy(pipeline);
    free(config);
    free(with_function);
    free(without_function);
}

/* Whether `first` is in `text` and `then` after it. */
static int in_order(const char* text, const char* first, const char* then) {
    const char* found = text ? strstr(text, first) : NULL;
    return found != NULL && strstr(found + strlen(first), then) != NULL;
}

static void test_steps(void) {
    struct scripted_callback audit;
    struct scripted_callback export_step;
    struct scripted_callback gate;
    ag_pipeline_options* options = NULL;
    ag_pipeline* pipeline;
    char* config = doubling_config("defines_function");
    char* submission = submission_in("python", kDoublingWithFunction);
    char* result;
    memset(&audit, 0, sizeof audit);
    memset(&export_step, 0, sizeof export_step);
    memset(&gate, 0, sizeof gate);

    check_status(ag_pipeline_options_create(NULL, &options), AG_OK, "ag_pipeline_options_create");
    check_status(ag_pipeline_options_add_test_function(options, "host", "{\"key\": \"defines_function\"}",
                                                       defines_function, NULL, NULL),
                 AG_OK, "add the test function");
    check_status(ag_pipeline_options_add_step(options, "{\"name\": \"AUDIT\", \"after\": \"GRADE\"}", scripted_step,
                                              &audit, count_destruction),
                 AG_OK, "add a step after GRADE");
    check_status(
        ag_pipeline_options_add_step(options, "{\"name\": \"EXPORT\"}", scripted_step, &export_step, count_destruction),
        AG_OK, "add a step at the end");
    pipeline = pipeline_with(config, options);

    reset_script(&audit, "{\"ok\": true, \"message\": \"audited\", \"host_data\": {\"audited_by\": \"c_abi_test\"}}",
                 0);
    reset_script(&export_step, "{\"ok\": true, \"message\": \"exported\"}", 0);
    grade(pipeline, submission, &result);
    check_contains(result, "\"status\":\"SUCCESS\"", "the pipeline with host steps succeeds");
    check_score(result, 100, "and scores");
    check_contains(result, "\"host_data\":{\"audited_by\":\"c_abi_test\"}", "the result carries the step's host_data");
    check(audit.calls == 1 && export_step.calls == 1, "each host step ran once");
    check(in_order(result, "\"name\":\"GRADE\"", "\"name\":\"AUDIT\"") &&
              in_order(result, "\"name\":\"AUDIT\"", "\"name\":\"FOCUS\"") &&
              in_order(result, "\"name\":\"FEEDBACK\"", "\"name\":\"EXPORT\""),
          "AUDIT runs right after GRADE, EXPORT at the end");
    check_contains(result, "\"message\":\"audited\"", "the step's message is in the audit trail");
    check_contains(audit.last_json, "\"step\":\"AUDIT\"", "the execution names the step");
    check_contains(audit.last_json, "\"status\":\"RUNNING\"", "the execution has its status");
    check_contains(audit.last_json, "\"final_score\":100", "after GRADE, the execution has the final score");
    check_contains(audit.last_json, "\"result_tree\":{", "and the result tree");
    check_contains(audit.last_json, "\"host_data\":{}", "the host data starts empty");
    check_contains(audit.last_json, "\"language\":\"python\"", "the execution has the language");
    check_contains(audit.last_json, "def double(x)", "the execution has the submission");
    check_contains(export_step.last_json, "\"audited_by\":\"c_abi_test\"", "a later step sees the host data");
    check_contains(export_step.last_json, "\"name\":\"FEEDBACK\"", "and the steps so far");
    ag_free(result);

    /* A step that fails the pipeline: FAILED at it, before GRADE. */
    check_status(ag_pipeline_options_add_step(options, "{\"name\": \"GATE\", \"after\": \"PRE_FLIGHT\"}", scripted_step,
                                              &gate, count_destruction),
                 AG_OK, "add a step after PRE_FLIGHT");
    ag_pipeline_destroy(pipeline);
    check(audit.destroyed == 0, "the options still hold the steps");
    pipeline = pipeline_with(config, options);
    ag_pipeline_options_destroy(options);

    reset_script(&gate,
                 "{\"ok\": false, \"message\": \"submitted after the deadline\", \"host_data\": "
                 "{\"late\": true}}",
                 0);
    audit.calls = 0;
    grade(pipeline, submission, &result);
    check_contains(result, "\"status\":\"FAILED\"", "a step replying ok false fails the pipeline");
    check_contains(result, "\"failed_at_step\":\"GATE\"", "at that step");
    check_contains(result, "submitted after the deadline", "with its message");
    check_contains(result, "\"host_data\":{\"late\":true}", "its host_data is in the result");
    check(strstr(result, "\"name\":\"GRADE\"") == NULL && audit.calls == 0, "nothing runs after the failed step");
    check_score(result, 0, "a failed pipeline scores 0");
    ag_free(result);

    reset_script(&gate, "{\"ok\": true}", 2);
    grade(pipeline, submission, &result);
    check_contains(result, "\"status\":\"INTERRUPTED\"", "a step returning non-zero interrupts the pipeline");
    check_contains(result, "\"failed_at_step\":\"GATE\"", "at that step");
    check_contains(result, "the host step GATE returned 2", "the message says what it returned");
    ag_free(result);

    reset_script(&gate, NULL, 0);
    grade(pipeline, submission, &result);
    check_contains(result, "\"status\":\"INTERRUPTED\"", "a step that does not reply interrupts the pipeline");
    check_contains(result, "the host step GATE did not reply", "the message says so");
    ag_free(result);

    reset_script(&gate, "{\"ok\": tru", 0);
    grade(pipeline, submission, &result);
    check(gate.reply_status == AG_ERROR_INVALID_ARGUMENT, "ag_reply_set refuses malformed JSON from a step");
    check_contains(result, "\"status\":\"INTERRUPTED\"", "a step replying malformed JSON interrupts the pipeline");
    check_contains(result, "the host step GATE gave an invalid reply", "the message says so");
    ag_free(result);

    reset_script(&gate, "{\"ok\": \"yes\"}", 0);
    grade(pipeline, submission, &result);
    check_contains(result, "reply.ok must be true or false", "a step's ok must be a boolean");
    ag_free(result);

    reset_script(&gate, "{\"ok\": true, \"host_data\": [1]}", 0);
    grade(pipeline, submission, &result);
    check_contains(result, "reply.host_data must be a JSON object", "a step's host_data must be an object");
    ag_free(result);

    reset_script(&gate, "{\"message\": \"fine\"}", 0);
    grade(pipeline, submission, &result);
    check_contains(result, "reply.ok is required", "a step must say ok");
    ag_free(result);

    ag_pipeline_destroy(pipeline);
    check(audit.destroyed == 1 && export_step.destroyed == 1 && gate.destroyed == 1,
          "each step's user_data is destroyed once, with the last pipeline");
    free(audit.last_json);
    free(export_step.last_json);
    free(gate.last_json);
    free(config);
    free(submission);
}

/* A test function that needs the sandbox: it runs the submission itself. */
struct sandbox_probe {
    ag_sandbox_pool* pool; /* NULL: do not look at the pool */
    char* stats_during;
    int probe_printed_42;
    int ran_after_release;
};

static int run_in_sandbox(void* user_data, const char* context_json, ag_sandbox* sandbox, ag_reply* reply) {
    struct sandbox_probe* probe = user_data;
    const char* probe_program = "print(6 * 7)\n";
    char* report = NULL;
    int doubled;
    (void)context_json;
    if (!sandbox) return ag_reply_set(reply, "{\"error\": \"no sandbox\"}");
    if (ag_sandbox_write_file(sandbox, "probe.py", probe_program, strlen(probe_program), 0) == AG_OK &&
        ag_sandbox_run(sandbox, "{\"argv\": [\"python3\", \"probe.py\"]}", &report) == AG_OK)
        probe->probe_printed_42 = strstr(report, "\"stdout\":\"42\\n\"") != NULL;
    ag_free(report);
    report = NULL;
    if (probe->pool) {
        ag_free(probe->stats_during);
        ag_sandbox_pool_stats_json(probe->pool, &probe->stats_during);
    }
    /* The submission's files are already in the sandbox. */
    doubled =
        ag_sandbox_run(sandbox, "{\"argv\": [\"python3\", \"main.py\"], \"stdin\": \"21\\n\"}", &report) == AG_OK &&
        strstr(report, "\"stdout\":\"42\\n\"") != NULL;
    ag_free(report);
    report = NULL;
    /* Releasing a borrowed sandbox is a no-op: it stays usable until the callback returns. */
    ag_sandbox_release(sandbox);
    probe->ran_after_release = ag_sandbox_run(sandbox, "{\"argv\": [\"true\"]}", &report) == AG_OK;
    ag_free(report);
    return ag_reply_set(reply, doubled ? "{\"score\": 100, \"report\": \"doubles\"}"
                                       : "{\"score\": 0, \"report\": \"does not double\"}");
}

static void test_borrowed_sandbox_and_shared_pool(void) {
    struct sandbox_probe probe = {NULL, NULL, 0, 0};
    ag_sandbox_pool* pool = NULL;
    ag_pipeline_options* options = NULL;
    ag_pipeline* pipeline;
    char* stats = NULL;
    char* result;
    char* doubling = submission_in("python", kDoubling);
    char* adding = submission_in("python", "print(int(input()) + 2)\n");
    const char* config =
        "{\"template_name\": [\"host\"], \"languages\": [\"python\"], \"criteria_config\": "
        "{\"base\": {\"tests\": "
        "[{\"name\": \"doubles, run by the host\", \"type\": \"runs_in_sandbox\"}]}}}";

    check_status(
        ag_sandbox_pool_create("{\"default_size\": 1, \"max_total\": 2, \"warm_languages\": [\"python\"]}", &pool),
        AG_OK, "ag_sandbox_pool_create");
    probe.pool = pool;
    check_status(ag_pipeline_options_create(NULL, &options), AG_OK, "ag_pipeline_options_create");
    check_status(ag_pipeline_options_set_pool(options, pool), AG_OK, "ag_pipeline_options_set_pool");
    check_status(
        ag_pipeline_options_add_test_function(
            options, "host", "{\"key\": \"runs_in_sandbox\", \"needs_sandbox\": true}", run_in_sandbox, &probe, NULL),
        AG_OK, "add a test function that needs the sandbox");
    pipeline = pipeline_with(config, options);
    ag_pipeline_options_destroy(options);

    grade(pipeline, doubling, &result);
    check_contains(result, "\"name\":\"SANDBOX\"", "a host function needing a sandbox brings the SANDBOX step");
    check_score(result, 100, "the host function ran the submission in the borrowed sandbox: 100");
    check(probe.probe_printed_42, "a file written to the borrowed sandbox runs");
    check(probe.ran_after_release, "ag_sandbox_release on a borrowed sandbox is a no-op");
    check_contains(probe.stats_during, "\"active\":1", "during grading the shared pool has the sandbox on loan");
    check_status(ag_sandbox_pool_stats_json(pool, &stats), AG_OK, "ag_sandbox_pool_stats_json");
    check_contains(stats, "\"active\":0", "after grading the sandbox is back");
    ag_free(stats);
    ag_free(result);

    grade(pipeline, adding, &result);
    check_score(result, 0, "a submission that adds instead scores the host function's 0");
    check_contains(result, "does not double", "with its report");
    ag_free(result);

    /* The pipeline keeps the pool alive once the caller lets go of it. */
    ag_free(probe.stats_during);
    ag_sandbox_pool_destroy(pool);
    probe.pool = NULL;
    grade(pipeline, doubling, &result);
    check_score(result, 100, "the pipeline still grades from the pool after ag_sandbox_pool_destroy");
    ag_free(result);

    ag_pipeline_destroy(pipeline);
    free(doubling);
    free(adding);
}

static void test_custom_languages(void) {
    ag_pipeline_options* options = NULL;
    ag_pipeline* pipeline;
    char* result = (char*)&result;
    char* snake = submission_in("snake", "import os\nprint(os.environ.get('SNAKE_TABLE', 'defaults'))\n");
    char* python = submission_in("python", "print('hello')\n");
    const char* table =
        "{\"common_paths\": [\"/etc/alternatives\", \"/etc/ld.so.cache\"], \"languages\": "
        "{\"snake\": {"
        "\"extension\": \".py\", \"default_main\": \"main.py\", \"run\": [\"/usr/bin/python3\", "
        "\"{main}\"],"
        " \"env\": {\"PYTHONDONTWRITEBYTECODE\": \"1\", \"SNAKE_TABLE\": \"custom\"}}}}";
    const char* config =
        "{\"template_name\": \"input_output\", \"languages\": [\"snake\"], \"criteria_config\": "
        "{\"base\": {\"tests\":"
        " [{\"name\": \"runs with the table's environment\", \"type\": \"expect_output\", "
        "\"inputs\": [],"
        " \"expected_output\": \"custom\", \"program_command\": \"CMD\"}]}}}";

    check_status(ag_pipeline_options_create(NULL, &options), AG_OK, "ag_pipeline_options_create");
    check_status(ag_pipeline_create_with_options(config, options, &pipeline), AG_ERROR_CONFIG,
                 "with the default languages, 'snake' is unknown");
    check_status(ag_pipeline_options_set_languages(options, table), AG_OK, "ag_pipeline_options_set_languages");
    pipeline = pipeline_with(config, options);
    ag_pipeline_options_destroy(options);

    grade(pipeline, snake, &result);
    check_contains(result, "\"status\":\"SUCCESS\"", "a submission in the table's language is graded");
    check_score(result, 100, "its program ran with the table's run command and environment");
    ag_free(result);
    result = (char*)&result;
    check_status(ag_pipeline_grade(pipeline, python, &result), AG_ERROR_UNKNOWN_LANGUAGE,
                 "the table replaces the defaults: python is unknown");
    check_contains(ag_last_error(), "known: snake", "the message lists the table's languages");
    check(result == NULL, "no result");

    ag_pipeline_destroy(pipeline);
    free(snake);
    free(python);
}

void test_host_callbacks(void) {
    test_options_errors();
    test_function_replies();
    test_function_decides_score();
    test_steps();
    test_borrowed_sandbox_and_shared_pool();
    test_custom_languages();
}
