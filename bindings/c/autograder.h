/*
 * autograder.h: the stable C ABI of libautograder (bindings/c/README.md).
 *
 * Conventions, true of every function below:
 *  - Functions returning int return AG_OK (0) or one of the AG_ERROR_* codes. On failure,
 *    ag_last_error() says why (one human sentence, or one line per configuration problem)
 *    and every output pointer is set to NULL.
 *  - Structured data goes in and out as UTF-8 JSON text; a document nested deeper than 128
 *    levels is refused (AG_ERROR_INVALID_ARGUMENT). Strings the library returns through a
 *    char** are owned by the caller and freed with ag_free().
 *  - No C++ exception ever crosses this boundary; NULL arguments are reported, never dereferenced.
 *  - The ABI only grows: AG_ABI_VERSION increases when functions are added, never on removal.
 *
 * Linux only (the sandbox uses namespaces, seccomp and cgroups) and the sandbox needs root.
 */
#ifndef AUTOGRADER_H
#define AUTOGRADER_H

#include <stddef.h>
#include <stdint.h>

/* The library is built with hidden visibility; only what carries AG_API is exported. */
#if defined(__GNUC__)
#define AG_API __attribute__((visibility("default")))
#else
#define AG_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes; compare it with ag_abi_version() at run time. */
#define AG_ABI_VERSION 5 /* 2: pipeline options with host test functions and steps; 3: ag_render_result;
                            4: ag_pipeline_grade_for; 5: ag_config_check, ag_pipeline_warnings_json,
                            ag_sandbox_read_file, ag_submission_read */

/* Status codes. */
#define AG_OK 0
#define AG_ERROR_INVALID_ARGUMENT 1 /* a NULL argument, malformed JSON, a wrong field type */
#define AG_ERROR_CONFIG 2           /* an invalid grading configuration (every problem listed) */
#define AG_ERROR_UNKNOWN_LANGUAGE 3 /* a language that is not in the language table */
#define AG_ERROR_SANDBOX 4          /* a sandbox could not be made or used on this host */
#define AG_ERROR_TIMEOUT 5          /* no sandbox became free within the timeout */
#define AG_ERROR_OUT_OF_MEMORY 6
#define AG_ERROR_INTERNAL 7  /* a bug of the library; the message says where */
#define AG_ERROR_CANCELLED 8 /* a progress callback asked to stop */

typedef struct ag_pipeline ag_pipeline;                 /* an immutable grading pipeline */
typedef struct ag_sandbox_pool ag_sandbox_pool;         /* warm sandboxes per language */
typedef struct ag_sandbox ag_sandbox;                   /* one sandbox on loan from a pool */
typedef struct ag_pipeline_options ag_pipeline_options; /* host additions for a pipeline */
typedef struct ag_reply ag_reply;                       /* where a callback writes its answer (owned by the library) */

/* ---- Library ----------------------------------------------------------------------------- */

/* The ABI version of the loaded library (AG_ABI_VERSION of the header it was built with).
 * Thread-safe. */
AG_API int ag_abi_version(void);

/* The library version, e.g. "0.1.0". Static storage: never free it. Thread-safe. */
AG_API const char* ag_version(void);

/* Why the last failing ag_ call of this thread failed; "" after an int-returning call that
 * succeeded.
 * Owned by the library, valid until the next ag_ call on the same thread. Never NULL. */
AG_API const char* ag_last_error(void);

/* Frees a string returned by the library through a char** output. NULL is a no-op.
 * Thread-safe. */
AG_API void ag_free(void* string);

/* ---- Templates --------------------------------------------------------------------------- */

/* The built-in templates and their test functions with parameter docs, as JSON:
 * {"templates": [{"name", "description", "functions": [{"key", "description", "parameters"}]}]}.
 * *out_json is owned by the caller (ag_free). Thread-safe. */
AG_API int ag_templates_json(char** out_json);

/* ---- Pipeline ---------------------------------------------------------------------------- */

/* Makes a pipeline from a grading configuration document (docs/configuration.md).
 * options_json may be NULL, or {"locale": "en"|"pt_br", "assignment_directory": "/path"
 * (what asset sources are relative to), "sandbox_timeout_ms": 120000}. An invalid
 * configuration gives AG_ERROR_CONFIG listing every problem with its JSON path.
 * *out is owned by the caller (ag_pipeline_destroy). Thread-safe. */
AG_API int ag_pipeline_create(const char* config_json, const char* options_json, ag_pipeline** out);

/* ABI 5. Checks a configuration as ag_pipeline_create does, keeping nothing, and answers with the
 * problems as data: *out_json is {"valid": bool, "problems": [{"path", "message"}], "warnings":
 * [{"path", "message"}]} (path: the JSON path, e.g. "criteria_config.base.tests[0].weight").
 * AG_OK whether or not the configuration is valid; malformed JSON is AG_ERROR_INVALID_ARGUMENT.
 * *out_json is owned by the caller (ag_free). Thread-safe. */
AG_API int ag_config_check(const char* config_json, const char* options_json, char** out_json);

/* ABI 5. What ag_pipeline_create accepted but a teacher should look at (a weight of 0, an unknown
 * key the reference engine ignores): [{"path", "message"}], [] when none.
 * *out_json is owned by the caller (ag_free). Thread-safe. */
AG_API int ag_pipeline_warnings_json(const ag_pipeline* pipeline, char** out_json);

/* Destroys a pipeline. Call it once no ag_pipeline_grade on it is running. NULL is a no-op.
 * It may call the destroy_user_data of host callbacks (ag_pipeline_options_add_test_function). */
AG_API void ag_pipeline_destroy(ag_pipeline* pipeline);

/* Grades one submission: {"files": [{"path", "content" | "content_base64", "executable"?}],
 * "language"?, "metadata"?} (language: a key or alias; absent: the configuration's first
 * language; content_base64: the bytes of a file that is not UTF-8 text, base64-encoded).
 * AG_OK whenever a result was produced, even when the pipeline FAILED (e.g. a compile error):
 * *result_json is {status, failed_at_step, final_score, result_tree, focus, score_vector,
 * feedback, pipeline, host_data, exports?} (host_data: what host steps set, else {}; exports:
 * one {kind, target, ok, attempts, message} per exporter of the configuration's "export" section).
 * *result_json is owned by the caller (ag_free).
 * Thread-safe: many threads may grade on one pipeline at once. */
AG_API int ag_pipeline_grade(const ag_pipeline* pipeline, const char* submission_json, char** result_json);

/* ABI 3. Like ag_pipeline_grade, for one audience: "teacher" (what ag_pipeline_grade returns: every
 * test, each with its "visibility"), "student" (tests with visibility "hidden" or "after_due_date"
 * left out of result_tree, focus, score_vector and feedback, counted in result_tree.summary.hidden;
 * they still count in final_score) or "student_after_due_date" (only "hidden" tests left out).
 * Any other audience is AG_ERROR_INVALID_ARGUMENT. */
AG_API int ag_pipeline_grade_for(const ag_pipeline* pipeline, const char* submission_json, const char* audience,
                                 char** result_json);

/* ABI 5. Reads a submission from disk as the CLI does: paths_json is a JSON list of paths, each a
 * file (read under its own name) or a folder (every regular file under it, by its path relative to
 * the folder; a folder's own files by name, then each sub-folder's). Symlinks are never followed,
 * FIFOs and devices refused, at most 1000 files and 64 MiB in all, no two files of one path.
 * *submission_json is {"files": [{"path", "content" | "content_base64", "executable"?}]}, ready for
 * ag_pipeline_grade (content_base64 for a file that is not UTF-8 text). A file that cannot be read
 * is AG_ERROR_INVALID_ARGUMENT naming it. *submission_json is owned by the caller (ag_free).
 * Thread-safe. */
AG_API int ag_submission_read(const char* paths_json, char** submission_json);

/* Called once per graded submission of a batch, from the grading threads but never two at once:
 * index is the submission's position in the batch, done how many are graded so far (this one
 * included), result_json its result (owned by the library, valid during the call). Return 0 to
 * go on, non-zero to cancel: submissions not yet started are skipped. Must not unwind (no C++
 * exception, no longjmp) out of the library. */
typedef int (*ag_progress_fn)(void* user_data, size_t index, size_t done, size_t total, const char* result_json);

/* Grades a batch: submissions_json is a JSON list of submissions as in ag_pipeline_grade,
 * graded by `jobs` threads (0: one per core). progress may be NULL. *results_json is the list
 * of results, in the order of the submissions; on AG_ERROR_CANCELLED it is NULL (each result
 * has gone through the progress callback). *results_json is owned by the caller (ag_free).
 * One submission cannot fail the batch: should its grading fail inside the library, its result
 * has status INTERRUPTED and one step "BATCH" whose message says why; the others are graded. 
 * Thread-safe, like ag_pipeline_grade. */
AG_API int ag_pipeline_grade_batch(const ag_pipeline* pipeline, const char* submissions_json, int jobs,
                                   ag_progress_fn progress, void* user_data, char** results_json);

/* ---- Pipeline options: host test functions, host steps, a shared pool, a language table ----
 *
 * Options are configured from one thread, then any number of pipelines are made from them;
 * each pipeline copies what it needs, so later changes to the options do not affect it. */

/* Makes options; options_json: as ag_pipeline_create's (may be NULL). *out is owned by the
 * caller (ag_pipeline_options_destroy). Thread-safe. */
AG_API int ag_pipeline_options_create(const char* options_json, ag_pipeline_options** out);

/* Destroys options. Pipelines made from them keep what they need (their callbacks and
 * user_data included). NULL is a no-op. Call it once no other call on these options runs. */
AG_API void ag_pipeline_options_destroy(ag_pipeline_options* options);

/* Pipelines made from these options take their sandboxes from `pool` and keep it alive
 * (ag_sandbox_pool_destroy on it is then safe). The pool keeps its own language table (the
 * defaults for ag_sandbox_pool_create). Not thread-safe on one options object. */
AG_API int ag_pipeline_options_set_pool(ag_pipeline_options* options, ag_sandbox_pool* pool);

/* A custom language table, JSON in the format of data/languages.json; it replaces the defaults
 * (for submissions' languages and for the pool the pipeline makes when none is set). The
 * document is copied. Not thread-safe on one options object. */
AG_API int ag_pipeline_options_set_languages(ag_pipeline_options* options, const char* languages_json);

/* A host test function, called from grading threads, possibly several at once (one call per
 * test of a submission; user_data is shared by all calls, so guard what it points to).
 * context_json (valid during the call):
 *   {"test": {"name", "function", "parameters": {...}, "file": null|"path", "weight"},
 *    "submission": {"language", "files": [{"path", "content"}], "metadata": {...}}}
 * sandbox: the submission's sandbox (its files written, setup done) when the function was
 *   added with "needs_sandbox": true, else NULL. Borrowed for the call: use it with
 *   ag_sandbox_write_file / ag_sandbox_run, never keep it; ag_sandbox_release on it is a no-op.
 * Answer with ag_reply_set(reply, "{\"score\": 0..100, \"report\": \"Markdown\"}") and return 0.
 * A non-zero return, no reply or an invalid reply scores 0 with a report saying why; a reply of
 * {"error": "message"} scores 0 with that message as the report. Must not unwind (no C++
 * exception, no longjmp) out of the library. */
typedef int (*ag_test_fn)(void* user_data, const char* context_json, ag_sandbox* sandbox, ag_reply* reply);

/* Adds a host test function to template `template_name` (made if new; a configuration names
 * the template in its template list as usual, e.g. ["input_output", "host"]); a function of
 * the same key in that template is replaced. function_json: {"key", "description"?,
 * "parameters"?: [{"name", "type"?, "required"?, "description"?}], "needs_sandbox"?: false}.
 * On AG_OK the library owns user_data: destroy_user_data (may be NULL) is called once, on the
 * thread that destroys the last owner (these options, or the last pipeline made from them).
 * On failure the library takes nothing: destroy_user_data is not called. Not thread-safe on
 * one options object. */
AG_API int ag_pipeline_options_add_test_function(ag_pipeline_options* options, const char* template_name,
                                                 const char* function_json, ag_test_fn fn, void* user_data,
                                                 void (*destroy_user_data)(void* user_data));

/* A host step, called from grading threads, possibly several at once (one call per graded
 * submission). execution_json (valid during the call): {"step": "NAME", "submission": {...as
 * above}, "language", "status", "steps": [{"name", "status", "message", "duration_ms"}, ...],
 * "final_score"?: number once GRADE ran, "result_tree"?: once GRADE ran, "host_data": {...}}.
 * Reply {"ok": true|false, "message"?: "...", "host_data"?: {...}} and return 0: ok false
 * fails the pipeline at this step (FAILED, failed_at_step NAME); host_data replaces the
 * grading's host data, which the result JSON carries as "host_data". A non-zero return, no
 * reply or an invalid reply makes the step INTERRUPTED, its message saying why. Must not
 * unwind out of the library. */
typedef int (*ag_step_fn)(void* user_data, const char* execution_json, ag_reply* reply);

/* Adds a host step. step_json: {"name": "AUDIT", "after"?: "GRADE"}: it runs right after that
 * built-in step (LOAD_TEMPLATE, BUILD_TREE, SANDBOX, PRE_FLIGHT, STRUCTURAL_ANALYSIS, GRADE,
 * FOCUS, FEEDBACK), or at the end when "after" is absent or names a step the pipeline does not
 * have (a pipeline has only the built-in steps its configuration needs). The name must
 * not be a built-in step's or another host step's. user_data ownership: as in
 * ag_pipeline_options_add_test_function. Not thread-safe on one options object. */
AG_API int ag_pipeline_options_add_step(ag_pipeline_options* options, const char* step_json, ag_step_fn fn,
                                        void* user_data, void (*destroy_user_data)(void* user_data));

/* Like ag_pipeline_create, with host additions; options may be NULL (the defaults). The
 * pipeline copies the options. *out is owned by the caller (ag_pipeline_destroy). Thread-safe
 * while nobody changes the options. */
AG_API int ag_pipeline_create_with_options(const char* config_json, const ag_pipeline_options* options,
                                           ag_pipeline** out);

/* Sets a callback's answer (copied; a second call replaces the first). The JSON is checked at
 * once: malformed JSON or a wrong field gives AG_ERROR_INVALID_ARGUMENT naming the field, and
 * the callback then counts as answering invalidly unless a later call succeeds. Valid only
 * during the callback that received `reply`, on its thread. */
AG_API int ag_reply_set(ag_reply* reply, const char* json);

/* ---- Report formats --------------------------------------------------------------------- */

/* Renders a result JSON (as ag_pipeline_grade returns it, or read back from a file) in the named
 * format: "json", "markdown" (the student's feedback), "gradescope" (Gradescope's results.json),
 * "junit" (JUnit XML) or "tap" (TAP version 14). An unknown format, or a document that is not a
 * result, gives AG_ERROR_INVALID_ARGUMENT naming the offending field.
 * *out_text is owned by the caller (ag_free). Thread-safe; no I/O. Since ABI 3. */
AG_API int ag_render_result(const char* result_json, const char* format, char** out_text);

/* ---- Sandbox pool ------------------------------------------------------------------------ */

/* Makes a pool. settings_json may be NULL (defaults), or {"default_size": 2, "max_total": 32,
 * "size_per_language": {"python": 4}, "warm_languages": ["python"], "sandbox":
 * {"workspace_bytes", "tmp_bytes", "max_inodes", "loopback_network", "read_only_paths",
 * "hostname"}}. *out is owned by the caller (ag_sandbox_pool_destroy). Thread-safe. */
AG_API int ag_sandbox_pool_create(const char* settings_json, ag_sandbox_pool** out);

/* Destroys a pool. Sandboxes still on loan stay valid; the pool goes when the last one is
 * released. NULL is a no-op. Call it once no other call on this pool is running. */
AG_API void ag_sandbox_pool_destroy(ag_sandbox_pool* pool);

/* Takes a fresh sandbox of `language`, waiting up to timeout_ms for one (AG_ERROR_TIMEOUT).
 * *out is owned by the caller (ag_sandbox_release). Thread-safe. */
AG_API int ag_sandbox_pool_acquire(ag_sandbox_pool* pool, const char* language, int64_t timeout_ms, ag_sandbox** out);

/* The pool's counters as JSON: {"idle", "active", "created", "destroyed", "waits",
 * "wait_time_ms", "failures"}. *out_json is owned by the caller (ag_free). Thread-safe. */
AG_API int ag_sandbox_pool_stats_json(const ag_sandbox_pool* pool, char** out_json);

/* Writes `size` bytes of `content` to `path` (relative to the workspace, or under "/tmp/" or
 * "/grader/"; parents are made; ".." and symlinks are refused). executable: non-zero for mode 0755.
 * Not thread-safe on one sandbox: use each sandbox from one thread at a time. */
AG_API int ag_sandbox_write_file(ag_sandbox* sandbox, const char* path, const char* content, size_t size,
                                 int executable);

/* ABI 5. Reads a regular file of at most max_bytes (<= 0: 16 MiB) from the sandbox: `path` as in
 * ag_sandbox_write_file. Symlinks, FIFOs, devices and larger files are refused (AG_ERROR_SANDBOX,
 * never blocking). *content holds *size bytes plus a terminating NUL (the file may hold NULs);
 * it is owned by the caller (ag_free). Not thread-safe on one sandbox. */
AG_API int ag_sandbox_read_file(ag_sandbox* sandbox, const char* path, int64_t max_bytes, char** content,
                                size_t* size);

/* Runs one program: request_json is {"argv": [...], "stdin"?: "...", "env"?: {...} (default:
 * the language's environment), "cwd"?: ".", "run_as"?: "student" (default) or "grader" (another
 * user, in /grader, which student runs can neither read nor write: for instructor code that
 * judges the student's; files go there with paths under "/grader/"), "limits"?: {"cpu_time_s", "wall_time_s",
 * "memory_bytes", "processes", "output_bytes", "file_size_bytes", "open_files",
 * "stack_bytes"}}. AG_OK whatever the program did: *report_json is the run report (docs/sandbox.md:
 * status, exit_code, signal, cpu_ms, wall_ms, peak_memory_kb, stdout, stderr, ...).
 * *report_json is owned by the caller (ag_free). Not thread-safe on one sandbox. */
AG_API int ag_sandbox_run(ag_sandbox* sandbox, const char* request_json, char** report_json);

/* Returns a sandbox to its pool, which destroys it (a sandbox never serves two submissions)
 * and makes a fresh one in the background. NULL, and a sandbox borrowed by an ag_test_fn, are
 * no-ops. Thread-safe across sandboxes. */
AG_API void ag_sandbox_release(ag_sandbox* sandbox);

/* ---- Stateless execute ------------------------------------------------------------------- */

/* Compiles (when the language needs it) and runs files in a fresh sandbox, like
 * `autograder run --json`. request_json: {"language", "files": [{"path", "content"}],
 * "stdin"?, "main"?, "limits"?: as in ag_sandbox_run}. AG_OK whenever a report was produced
 * (a compile error or a crash of the program included): *result_json is the last report's
 * fields plus "phase" and "compile". *result_json is owned by the caller (ag_free).
 * Thread-safe. */
AG_API int ag_execute(const char* request_json, char** result_json);

/* ---- What this ABI leaves out, on purpose ----------------------------------------------
 *
 * The C++ API (include/autograder/) has more; what is not here is deliberate:
 *  - Comparing two results (C++ compare_results): a result's "score_vector" holds every test's
 *    score by path, which is all a comparison reads; compare them on the host's side.
 *  - The pipeline's execution state (C++ PipelineExecution) and the parsed syntax trees (C++
 *    SubmissionSyntax, tree-sitter queries over each file): a host test function or step gets a
 *    JSON snapshot of what it may read (context_json, execution_json) with the submission's files,
 *    never the live state, so no callback can change another test's result.
 *  - Host templates with their own steps, and replacing built-in steps: add test functions to a
 *    template and steps after built-in ones instead.
 *  - Removing files from a sandbox, or emptying /grader (C++ Sandbox::remove_file,
 *    clear_grader_files): a sandbox serves one submission and is destroyed on release.
 *  - Logging hooks: the library does not log; what it has to say is in status codes,
 *    ag_last_error() and the JSON it returns.
 */

#ifdef __cplusplus
}
#endif

#endif /* AUTOGRADER_H */
