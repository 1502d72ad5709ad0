/* Exercises every function of autograder.h from C99, error paths included: NULL arguments,
 * malformed JSON and unknown languages must give a status code and a message, never a crash.
 * The host additions (pipeline options, callbacks) are in host_callbacks_test.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograder.h"
#include "host_callbacks_test.h"
#include "test_support.h"

static const char* const kCalculator = "examples/assignments/python-calculator";

static int count_lines(const char* text) {
    int lines = 1;
    for (; *text; ++text) lines += *text == '\n';
    return lines;
}

static void test_library(void) {
    check(ag_abi_version() == AG_ABI_VERSION, "ag_abi_version matches the header");
    check(AG_ABI_VERSION >= 5, "the header describes host additions (2), report formats (3), audiences (4), checks (5)");
    check(ag_version() != NULL && strlen(ag_version()) > 0, "ag_version is not empty");
    check(ag_last_error() != NULL, "ag_last_error is never NULL");
    ag_free(NULL);
    check(1, "ag_free(NULL) is a no-op");
}

static void test_templates(void) {
    char* json = NULL;
    check_status(ag_templates_json(&json), AG_OK, "ag_templates_json");
    check_contains(json, "\"input_output\"", "templates list input_output");
    check_contains(json, "\"expect_output\"", "templates list expect_output with its parameters");
    ag_free(json);
    check_status(ag_templates_json(NULL), AG_ERROR_INVALID_ARGUMENT, "ag_templates_json(NULL)");
    check_contains(ag_last_error(), "out_json", "the message names the NULL argument");
}

static ag_pipeline* make_calculator_pipeline(void) {
    char* config = read_source_file("examples/assignments/python-calculator/config.json");
    char* path = format("%s/%s", AUTOGRADER_SOURCE_DIR, kCalculator);
    char* directory = json_quote(path);
    char* options = format("{\"assignment_directory\": %s, \"locale\": \"en\"}", directory);
    ag_pipeline* pipeline = NULL;
    check_status(ag_pipeline_create(config, options, &pipeline), AG_OK, "ag_pipeline_create");
    check(ag_last_error()[0] == '\0', "a successful call clears the last error");
    free(config);
    free(path);
    free(directory);
    free(options);
    return pipeline;
}

static char* submission_json(const char* submission_folder) {
    char* path = format("%s/submissions/%s/main.py", kCalculator, submission_folder);
    char* source = read_source_file(path);
    char* quoted = json_quote(source);
    char* json = format("{\"language\": \"python\", \"files\": [{\"path\": \"main.py\", \"content\": %s}]}", quoted);
    free(path);
    free(source);
    free(quoted);
    return json;
}

static void test_pipeline_errors(void) {
    ag_pipeline* pipeline = (ag_pipeline*)&pipeline; /* must come back NULL */
    check_status(ag_pipeline_create(NULL, NULL, &pipeline), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_create(NULL config)");
    check(pipeline == NULL, "the output is NULL after a failure");
    check_status(ag_pipeline_create("{\"template_name\": ", NULL, &pipeline), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_create with malformed JSON");
    check_contains(ag_last_error(), "config_json is not valid JSON", "the message says which JSON is bad");
    /* Found by fuzzing: a number beyond a double is malformed JSON too, and the parser's message,
     * which quotes the bytes it stopped at, stays UTF-8. */
    check_status(ag_pipeline_create("{\"template_name\": 1e999}", NULL, &pipeline), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_create with a number too large");
    check_contains(ag_last_error(), "config_json is not valid JSON", "the message says which JSON is bad");
    check_status(ag_pipeline_create("{\"template_name\": \"\xff\"}", NULL, &pipeline), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_create with a string that is not UTF-8");
    check(strstr(ag_last_error(), "\xff") == NULL, "ag_last_error has no invalid byte");
    { /* Found by fuzzing: a document nested this deep would overflow the stack when copied. */
        char deep[1024] = "{\"a\": ";
        size_t at = strlen(deep);
        for (int i = 0; i < 200; ++i) deep[at++] = '[';
        for (int i = 0; i < 200; ++i) deep[at++] = ']';
        deep[at++] = '}';
        deep[at] = '\0';
        check_status(ag_pipeline_create(deep, NULL, &pipeline), AG_ERROR_INVALID_ARGUMENT,
                     "ag_pipeline_create with a document 200 levels deep");
        check_contains(ag_last_error(), "config_json is nested deeper than 128 levels", "the message gives the limit");
    }
    check_status(ag_pipeline_create("{\"template_name\": \"input_output\"}", NULL, &pipeline), AG_ERROR_CONFIG,
                 "ag_pipeline_create with an invalid configuration");
    check_contains(ag_last_error(), "criteria_config", "the message names the missing part");
    /* Every problem on a line of its own, even beyond the five the C++ message shows. */
    check_status(ag_pipeline_create("{\"template_name\": 7, \"languages\": 8, \"include_feedback\": \"x\","
                                    " \"criteria_config\": {\"base\": {\"tests\": [{\"type\": 1},"
                                    " {\"type\": 2}, {\"type\": 3}, {\"type\": 4}]}}}",
                                    NULL, &pipeline),
                 AG_ERROR_CONFIG, "ag_pipeline_create with many problems");
    check(count_lines(ag_last_error()) >= 7, "one line per configuration problem, all of them");
    check_contains(ag_last_error(), "\ntemplate_name", "a problem's line starts with its JSON path");
    check_status(ag_pipeline_create("{}", "{\"locale\": \"klingon\"}", &pipeline), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_create with an unknown locale");
    check_status(ag_pipeline_create("{}", "{\"timeout\": 3}", &pipeline), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_create with an unknown option");
    check_status(ag_pipeline_create("{}", NULL, NULL), AG_ERROR_INVALID_ARGUMENT, "ag_pipeline_create(NULL out)");
    ag_pipeline_destroy(NULL);
}

/* ABI 5: configuration problems and warnings as data. */
static void test_config_check(void) {
    char* json = (char*)&json; /* must come back NULL on failure */
    ag_pipeline* pipeline = NULL;
    check_status(ag_config_check("{\"template_name\": 7, \"criteria_config\": {\"base\": {\"tests\": ["
                                 "{\"name\": \"t\", \"type\": \"expect_output\", \"weight\": -1}]}}}",
                                 NULL, &json),
                 AG_OK, "ag_config_check of an invalid configuration");
    check_contains(json, "\"valid\":false", "an invalid configuration is not valid");
    check_contains(json, "{\"message\":", "each problem is an object");
    check_contains(json, "\"path\":\"template_name\"", "a problem names its JSON path");
    ag_free(json);
    check_status(ag_config_check("{\"template_name\": \"input_output\", \"languages\": [\"python\"],"
                                 " \"criteria_config\": {\"base\": {\"tests\": [{\"name\": \"t\","
                                 " \"type\": \"expect_output\", \"expected_output\": \"4\"}]}}}",
                                 NULL, &json),
                 AG_OK, "ag_config_check of a valid configuration");
    check_contains(json, "\"valid\":true", "a valid configuration is valid");
    check_contains(json, "\"problems\":[]", "and has no problems");
    ag_free(json);
    check_status(ag_config_check("{", NULL, &json), AG_ERROR_INVALID_ARGUMENT, "ag_config_check of malformed JSON");
    check(json == NULL, "the output is NULL after a failure");
    check_status(ag_config_check("{}", NULL, NULL), AG_ERROR_INVALID_ARGUMENT, "ag_config_check(NULL out)");

    check_status(ag_pipeline_create("{\"template_name\": \"input_output\", \"languages\": [\"python\"],"
                                    " \"criteria_config\": {\"base\": {\"tests\": [{\"name\": \"t\","
                                    " \"type\": \"expect_output\", \"expected_output\": \"4\"}]}}}",
                                    NULL, &pipeline),
                 AG_OK, "ag_pipeline_create");
    check_status(ag_pipeline_warnings_json(pipeline, &json), AG_OK, "ag_pipeline_warnings_json");
    check(json != NULL && json[0] == '[', "warnings are a JSON list");
    ag_free(json);
    check_status(ag_pipeline_warnings_json(NULL, &json), AG_ERROR_INVALID_ARGUMENT, "ag_pipeline_warnings_json(NULL)");
    ag_pipeline_destroy(pipeline);
}

/* ABI 3: a result JSON rendered in each named format. */
static void test_render_result(const char* result) {
    char* text = NULL;
    check(AG_ABI_VERSION >= 3, "the header describes ag_render_result (ABI 3)");
    check_status(ag_render_result(result, "junit", &text), AG_OK, "ag_render_result (junit)");
    check_contains(text, "<testsuites name=\"autograder\"", "JUnit XML");
    check_contains(text, "<failure message=", "the partial submission's failed tests are failures");
    ag_free(text);
    check_status(ag_render_result(result, "tap", &text), AG_OK, "ag_render_result (tap)");
    check_contains(text, "TAP version 14\n1..", "TAP 14 with its plan");
    ag_free(text);
    check_status(ag_render_result(result, "gradescope", &text), AG_OK, "ag_render_result (gradescope)");
    check_contains(text, "\"max_score\"", "Gradescope tests");
    ag_free(text);
    check_status(ag_render_result(result, "markdown", &text), AG_OK, "ag_render_result (markdown)");
    check_contains(text, "/ 100**", "the feedback");
    ag_free(text);

    text = (char*)&text;
    check_status(ag_render_result(result, "pdf", &text), AG_ERROR_INVALID_ARGUMENT, "an unknown format");
    check(text == NULL, "the output is NULL after a failure");
    check_contains(ag_last_error(), "unknown format 'pdf'", "the message names the format");
    check_status(ag_render_result("{\"status\": \"SUCCESS\", \"final_score\": \"high\"}", "tap", &text),
                 AG_ERROR_INVALID_ARGUMENT, "a document that is not a result");
    check_contains(ag_last_error(), "final_score: expected a number", "the message names the field");
    check_status(ag_render_result(NULL, "tap", &text), AG_ERROR_INVALID_ARGUMENT, "a NULL result");
    check_status(ag_render_result(result, NULL, &text), AG_ERROR_INVALID_ARGUMENT, "a NULL format");
    check_status(ag_render_result(result, "tap", NULL), AG_ERROR_INVALID_ARGUMENT, "a NULL output");
}

static void test_pipeline_grading(void) {
    ag_pipeline* pipeline = make_calculator_pipeline();
    char* correct = submission_json("correct");
    char* partial = submission_json("partial");
    char* result = NULL;

    check_status(ag_pipeline_grade(pipeline, correct, &result), AG_OK, "ag_pipeline_grade (correct)");
    check_contains(result, "\"status\":\"SUCCESS\"", "the correct submission succeeds");
    check_contains(result, "\"final_score\":100", "the correct submission scores 100");
    check_contains(result, "\"feedback\":", "the result carries feedback");
    check_contains(result, "\"host_data\":{}", "without host steps the host data is empty");
    ag_free(result);

    check_status(ag_pipeline_grade(pipeline, partial, &result), AG_OK, "ag_pipeline_grade (partial)");
    check_contains(result, "\"final_score\":38.19", "the partial submission scores as expected.json says");
    test_render_result(result);
    ag_free(result);

    check_status(ag_pipeline_grade_for(pipeline, partial, "student", &result), AG_OK,
                 "ag_pipeline_grade_for (student)");
    check_contains(result, "\"final_score\":38.19", "the student's view keeps the score");
    ag_free(result);
    result = (char*)&result;
    check_status(ag_pipeline_grade_for(pipeline, partial, "everyone", &result), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_grade_for with an unknown audience");
    check(result == NULL, "the result is NULL after a failure");
    check_status(ag_pipeline_grade_for(pipeline, partial, NULL, &result), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_grade_for with a NULL audience");

    result = (char*)&result;
    check_status(ag_pipeline_grade(NULL, correct, &result), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_grade(NULL pipeline)");
    check(result == NULL, "the result is NULL after a failure");
    check_status(ag_pipeline_grade(pipeline, NULL, &result), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_grade(NULL submission)");
    check_status(ag_pipeline_grade(pipeline, correct, NULL), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_grade(NULL result)");
    check_status(ag_pipeline_grade(pipeline, "[1, 2", &result), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_grade with malformed JSON");
    check_status(ag_pipeline_grade(pipeline, "{\"language\": \"python\"}", &result), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_grade without files");
    check_contains(ag_last_error(), "submission_json.files is required", "the message names the field");
    check_status(ag_pipeline_grade(pipeline, "{\"files\": [{\"path\": 3, \"content\": \"\"}]}", &result),
                 AG_ERROR_INVALID_ARGUMENT, "ag_pipeline_grade with a path that is not a string");
    check_contains(ag_last_error(), "files[0].path", "the message names the element");
    check_status(ag_pipeline_grade(pipeline, "{\"language\": \"cobol\", \"files\": []}", &result),
                 AG_ERROR_UNKNOWN_LANGUAGE, "ag_pipeline_grade with an unknown language");
    check_contains(ag_last_error(), "cobol", "the message names the language");

    free(correct);
    free(partial);
    ag_pipeline_destroy(pipeline);
}

struct progress_log {
    int calls;
    size_t last_done;
    size_t total;
    int cancel_after; /* 0: never */
    int saw_result;
};

static int log_progress(void* user_data, size_t index, size_t done, size_t total, const char* result_json) {
    struct progress_log* log = user_data;
    (void)index;
    ++log->calls;
    log->last_done = done;
    log->total = total;
    log->saw_result += result_json != NULL && strstr(result_json, "\"final_score\"") != NULL;
    return log->cancel_after != 0 && log->calls >= log->cancel_after;
}

static void test_pipeline_batch(void) {
    ag_pipeline* pipeline = make_calculator_pipeline();
    char* correct = submission_json("correct");
    char* partial = submission_json("partial");
    char* batch = format("[%s, %s, %s]", correct, partial, correct);
    char* results = NULL;
    struct progress_log log = {0, 0, 0, 0, 0};

    check_status(ag_pipeline_grade_batch(pipeline, batch, 2, log_progress, &log, &results), AG_OK,
                 "ag_pipeline_grade_batch");
    check(log.calls == 3 && log.last_done == 3 && log.total == 3 && log.saw_result == 3,
          "progress reported each of the 3 results");
    check(results != NULL && results[0] == '[', "the results are a JSON list");
    check_contains(results, "\"final_score\":38.19", "the partial submission is among them");
    ag_free(results);

    check_status(ag_pipeline_grade_batch(pipeline, "[]", 0, NULL, NULL, &results), AG_OK,
                 "ag_pipeline_grade_batch of nothing, no callback");
    check(results != NULL && strcmp(results, "[]") == 0, "gives an empty list");
    ag_free(results);

    memset(&log, 0, sizeof log);
    log.cancel_after = 1;
    results = (char*)&results;
    check_status(ag_pipeline_grade_batch(pipeline, batch, 1, log_progress, &log, &results), AG_ERROR_CANCELLED,
                 "a progress callback cancels the batch");
    check(log.calls == 1 && results == NULL, "nothing is graded after the cancel");

    check_status(ag_pipeline_grade_batch(NULL, batch, 1, NULL, NULL, &results), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_grade_batch(NULL pipeline)");
    check_status(ag_pipeline_grade_batch(pipeline, batch, 1, NULL, NULL, NULL), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_grade_batch(NULL results)");
    check_status(ag_pipeline_grade_batch(pipeline, batch, -1, NULL, NULL, &results), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_grade_batch with jobs -1");
    check_status(ag_pipeline_grade_batch(pipeline, correct, 1, NULL, NULL, &results), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_grade_batch with an object instead of a list");
    check_status(ag_pipeline_grade_batch(pipeline, "[{\"files\": []}, {\"files\": 1}]", 1, NULL, NULL, &results),
                 AG_ERROR_INVALID_ARGUMENT, "ag_pipeline_grade_batch with an invalid submission");
    check_contains(ag_last_error(), "submissions_json[1].files", "the message names the submission");
    check_status(ag_pipeline_grade_batch(pipeline, "[1,", 1, NULL, NULL, &results), AG_ERROR_INVALID_ARGUMENT,
                 "ag_pipeline_grade_batch with malformed JSON");

    free(correct);
    free(partial);
    free(batch);
    ag_pipeline_destroy(pipeline);
}

/* A C submission: `body` as main.c. */
static char* c_submission_json(const char* body) {
    char* quoted = json_quote(body);
    char* json = format("{\"language\": \"c\", \"files\": [{\"path\": \"main.c\", \"content\": %s}]}", quoted);
    free(quoted);
    return json;
}

/* Whether `text` is well-formed UTF-8 (Unicode table 3-7): no stray, overlong or surrogate bytes. */
static int is_valid_utf8(const char* text) {
    const unsigned char* s = (const unsigned char*)text;
    while (*s) {
        unsigned char lead = *s;
        int length = lead < 0x80                    ? 1
                     : lead >= 0xC2 && lead <= 0xDF ? 2
                     : lead >= 0xE0 && lead <= 0xEF ? 3
                     : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                    : 0;
        unsigned char low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
        unsigned char high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
        int i;
        if (length == 0) return 0;
        for (i = 1; i < length; ++i) {
            unsigned char lower = i == 1 ? low : 0x80, upper = i == 1 ? high : 0xBF;
            if (s[i] < lower || s[i] > upper) return 0;
        }
        s += length;
    }
    return 1;
}

/* A batch of [good, good, evil, good]: the evil one's compiler output (eight errors quoting lines of
 * 2500 four-byte characters) is cut inside a character, at 8 KiB in the feedback and at the 64 KiB
 * output cap in the details. The batch still returns four valid UTF-8 results. */
static void test_pipeline_batch_with_hostile_text(void) {
    const char* config =
        "{\"template_name\": \"input_output\", \"languages\": [\"c\"], \"criteria_config\": {\"base\": "
        "{\"tests\": [{\"name\": \"prints 42\", \"type\": \"expect_output\", \"expected_output\": \"42\"}]}}}";
    size_t size = 64 + 8 * (40 + 2500 * 4);
    char* source = malloc(size);
    char* good = c_submission_json("#include <stdio.h>\nint main(void) { puts(\"42\"); return 0; }\n");
    char *evil, *batch, *results = NULL;
    ag_pipeline* pipeline = NULL;
    int k, i;
    if (!source) exit(2);
    strcpy(source, "int main(void) {\n");
    for (k = 0; k < 8; ++k) {
        char* end = source + strlen(source);
        end += sprintf(end, "  int x%d = y%d; /* ", k, k);
        for (i = 0; i < 2500; ++i, end += 4) memcpy(end, "\xf0\x9f\x98\x80", 4);
        strcpy(end, " */\n");
    }
    strcat(source, "  return 0;\n}\n");
    evil = c_submission_json(source);
    batch = format("[%s, %s, %s, %s]", good, good, evil, good);
    check_status(ag_pipeline_create(config, NULL, &pipeline), AG_OK, "a C pipeline");
    check_status(ag_pipeline_grade_batch(pipeline, batch, 2, NULL, NULL, &results), AG_OK,
                 "a batch with a hostile submission is graded");
    check(results != NULL && is_valid_utf8(results), "its results are valid UTF-8");
    if (results) {
        const char* at = results;
        int successes = 0, failures = 0;
        while ((at = strstr(at, "{\"failed_at_step\"")) != NULL) {
            successes += strncmp(at, "{\"failed_at_step\":null", 22) == 0;
            failures += strncmp(at, "{\"failed_at_step\":\"PRE_FLIGHT\"", 30) == 0;
            ++at;
        }
        check(successes == 3 && failures == 1, "three good results and the hostile one failing PRE_FLIGHT");
    }
    check_contains(results, "\"final_score\":100.0", "the good ones score 100");
    ag_free(results);
    /* A request that is not UTF-8: the error message quotes its bytes, repaired. */
    check_status(ag_pipeline_grade(pipeline, "{\"files\": [{\"path\": \"m\xff.c\", \"content\": \"\"}]}", &results),
                 AG_ERROR_INVALID_ARGUMENT, "a submission that is not UTF-8 is refused");
    check_contains(ag_last_error(), "ill-formed UTF-8", "the message says why");
    check(is_valid_utf8(ag_last_error()), "and is itself valid UTF-8");
    ag_pipeline_destroy(pipeline);
    free(source);
    free(good);
    free(evil);
    free(batch);
}

static void test_execute(void) {
    char* result = NULL;
    check_status(ag_execute("{\"language\": \"python\", \"stdin\": \"21\\n\", \"files\": [{\"path\": \"main.py\","
                            " \"content\": \"print(int(input()) * 2)\\n\"}]}",
                            &result),
                 AG_OK, "ag_execute (python)");
    check_contains(result, "\"status\":\"ok\"", "the program ran");
    check_contains(result, "\"stdout\":\"42\\n\"", "its output is 42");
    ag_free(result);

    check_status(
        ag_execute("{\"language\": \"c\", \"files\": [{\"path\": \"main.c\", \"content\": \"int main( {\"}]}", &result),
        AG_OK, "ag_execute (C that does not compile)");
    check_contains(result, "compile_error", "the result says compile_error");
    ag_free(result);

    check_status(ag_execute("{\"language\": \"python\", \"limits\": {\"cpu_time_s\": 0.5}, \"files\": [{\"path\":"
                            " \"main.py\", \"content\": \"while True: pass\\n\"}]}",
                            &result),
                 AG_OK, "ag_execute with a CPU limit");
    check_contains(result, "\"status\":\"time_limit\"", "an endless loop hits the time limit");
    ag_free(result);

    check_status(ag_execute("{\"language\": \"cobol\", \"files\": [{\"path\": \"a\", \"content\": \"\"}]}", &result),
                 AG_ERROR_UNKNOWN_LANGUAGE, "ag_execute with an unknown language");
    check_contains(ag_last_error(), "known: ", "the message lists the known languages");
    check_status(ag_execute("{\"language\": \"python\", \"files\": [{\"path\": \"a.py\", \"content\": \"\"}],"
                            " \"limits\": {\"memory\": 1}}",
                            &result),
                 AG_ERROR_INVALID_ARGUMENT, "ag_execute with an unknown limit");
    check_contains(ag_last_error(), "unknown field 'memory'", "the message names the field");
    check_status(ag_execute("not json", &result), AG_ERROR_INVALID_ARGUMENT, "ag_execute with malformed JSON");
    check_status(ag_execute(NULL, &result), AG_ERROR_INVALID_ARGUMENT, "ag_execute(NULL request)");
    check_status(ag_execute("{}", NULL), AG_ERROR_INVALID_ARGUMENT, "ag_execute(NULL result)");
}

static void test_sandbox_pool(void) {
    ag_sandbox_pool* pool = NULL;
    ag_sandbox_pool* small_pool = NULL;
    ag_sandbox* sandbox = NULL;
    ag_sandbox* second = NULL;
    char* json = NULL;
    const char* program = "print(int(input()) * 2)\n";

    check_status(
        ag_sandbox_pool_create("{\"default_size\": 1, \"max_total\": 4, \"warm_languages\": [\"python\"]}", &pool),
        AG_OK, "ag_sandbox_pool_create");
    check_status(ag_sandbox_pool_acquire(pool, "python", 30000, &sandbox), AG_OK, "ag_sandbox_pool_acquire");
    check_status(ag_sandbox_write_file(sandbox, "main.py", program, strlen(program), 0), AG_OK,
                 "ag_sandbox_write_file");
    check_status(ag_sandbox_run(sandbox, "{\"argv\": [\"python3\", \"main.py\"], \"stdin\": \"21\\n\"}", &json), AG_OK,
                 "ag_sandbox_run");
    check_contains(json, "\"stdout\":\"42\\n\"", "the run printed 42");
    ag_free(json);
    check_status(ag_sandbox_run(sandbox,
                                "{\"argv\": [\"python3\", \"-c\", \"import time; time.sleep(5)\"],"
                                " \"limits\": {\"wall_time_s\": 0.3}}",
                                &json),
                 AG_OK, "ag_sandbox_run with a wall limit");
    check_contains(json, "\"status\":\"time_limit\"", "a sleeping program hits the wall limit");
    ag_free(json);

    { /* ABI 5: files read back, bytes and all; what a run wrote, too. */
        char* content = NULL;
        size_t size = 1;
        const char bytes[] = {'a', '\0', 'b'};
        check_status(ag_sandbox_write_file(sandbox, "data.bin", bytes, sizeof bytes, 0), AG_OK, "write data.bin");
        check_status(ag_sandbox_read_file(sandbox, "data.bin", 0, &content, &size), AG_OK, "ag_sandbox_read_file");
        check(size == 3 && memcmp(content, bytes, 3) == 0 && content[3] == '\0', "the bytes come back, NUL included");
        ag_free(content);
        check_status(ag_sandbox_run(sandbox, "{\"argv\": [\"python3\", \"-c\", \"open('out.txt', 'w').write('x' * 100)\"]}",
                                    &json),
                     AG_OK, "a run writes out.txt");
        ag_free(json);
        check_status(ag_sandbox_read_file(sandbox, "out.txt", 1000, &content, &size), AG_OK, "read out.txt");
        check(size == 100, "what the run wrote");
        ag_free(content);
        check_status(ag_sandbox_read_file(sandbox, "out.txt", 10, &content, &size), AG_ERROR_SANDBOX,
                     "a file over max_bytes is refused");
        check(content == NULL && size == 0, "no content after a failure");
        check_status(ag_sandbox_read_file(sandbox, "../etc/passwd", 0, &content, &size), AG_ERROR_SANDBOX,
                     "a path outside the workspace is refused");
        check_status(ag_sandbox_read_file(NULL, "a", 0, &content, &size), AG_ERROR_INVALID_ARGUMENT,
                     "ag_sandbox_read_file(NULL sandbox)");
        check_status(ag_sandbox_read_file(sandbox, "a", 0, &content, NULL), AG_ERROR_INVALID_ARGUMENT,
                     "ag_sandbox_read_file(NULL size)");
    }
    check_status(ag_sandbox_pool_stats_json(pool, &json), AG_OK, "ag_sandbox_pool_stats_json");
    check_contains(json, "\"active\":1", "one sandbox is in use");
    ag_free(json);

    check_status(ag_sandbox_write_file(sandbox, "../escape", "x", 1, 0), AG_ERROR_SANDBOX,
                 "ag_sandbox_write_file outside the workspace");
    check_status(ag_sandbox_write_file(NULL, "a", "x", 1, 0), AG_ERROR_INVALID_ARGUMENT, "ag_sandbox_write_file(NULL)");
    check_status(ag_sandbox_write_file(sandbox, "a", NULL, 1, 0), AG_ERROR_INVALID_ARGUMENT,
                 "ag_sandbox_write_file(NULL content)");
    check_status(ag_sandbox_run(sandbox, "{\"argv\": []}", &json), AG_ERROR_INVALID_ARGUMENT,
                 "ag_sandbox_run with an empty argv");
    check_status(ag_sandbox_run(sandbox, "{argv", &json), AG_ERROR_INVALID_ARGUMENT,
                 "ag_sandbox_run with malformed JSON");
    check_status(ag_sandbox_run(NULL, "{}", &json), AG_ERROR_INVALID_ARGUMENT, "ag_sandbox_run(NULL sandbox)");
    check_status(ag_sandbox_pool_acquire(pool, "cobol", 1000, &second), AG_ERROR_UNKNOWN_LANGUAGE,
                 "ag_sandbox_pool_acquire with an unknown language");
    check_status(ag_sandbox_pool_acquire(pool, NULL, 1000, &second), AG_ERROR_INVALID_ARGUMENT,
                 "ag_sandbox_pool_acquire(NULL language)");
    check_status(ag_sandbox_pool_acquire(NULL, "python", 1000, &second), AG_ERROR_INVALID_ARGUMENT,
                 "ag_sandbox_pool_acquire(NULL pool)");
    check_status(ag_sandbox_pool_stats_json(NULL, &json), AG_ERROR_INVALID_ARGUMENT,
                 "ag_sandbox_pool_stats_json(NULL)");
    check_status(ag_sandbox_pool_create("{\"max_total\": \"many\"}", &small_pool), AG_ERROR_INVALID_ARGUMENT,
                 "ag_sandbox_pool_create with a wrong type");
    check_status(ag_sandbox_pool_create("{\"warm_languages\": [\"cobol\"]}", &small_pool), AG_ERROR_UNKNOWN_LANGUAGE,
                 "ag_sandbox_pool_create with an unknown language");
    check_status(ag_sandbox_pool_create(NULL, NULL), AG_ERROR_INVALID_ARGUMENT, "ag_sandbox_pool_create(NULL out)");

    /* A pool of one: the second acquire must time out. */
    check_status(ag_sandbox_pool_create("{\"default_size\": 1, \"max_total\": 1}", &small_pool), AG_OK,
                 "ag_sandbox_pool_create (max_total 1)");
    check_status(ag_sandbox_pool_acquire(small_pool, "python", 30000, &second), AG_OK, "acquire the only sandbox");
    {
        ag_sandbox* third = NULL;
        check_status(ag_sandbox_pool_acquire(small_pool, "python", 300, &third), AG_ERROR_TIMEOUT,
                     "a second acquire times out");
        check(third == NULL, "no sandbox after a timeout");
    }
    /* Destroying a pool while one of its sandboxes is on loan: the sandbox stays usable. */
    ag_sandbox_pool_destroy(small_pool);
    check_status(ag_sandbox_run(second, "{\"argv\": [\"python3\", \"-c\", \"print(7)\"]}", &json), AG_OK,
                 "a sandbox outlives its destroyed pool");
    check_contains(json, "\"stdout\":\"7\\n\"", "and still runs programs");
    ag_free(json);
    ag_sandbox_release(second);

    ag_sandbox_release(sandbox);
    ag_sandbox_release(NULL);
    ag_sandbox_pool_destroy(pool);
    ag_sandbox_pool_destroy(NULL);
}

int main(void) {
    test_library();
    test_templates();
    test_pipeline_errors();
    test_config_check();
    test_pipeline_grading();
    test_pipeline_batch();
    test_pipeline_batch_with_hostile_text();
    test_execute();
    test_sandbox_pool();
    test_host_callbacks();
    printf("%d failure(s)\n", test_failures);
    return test_failures == 0 ? 0 : 1;
}
