/*
 * autograder.h: the stable C ABI of libautograder (DESIGN §4).
 *
 * Conventions, true of every function below:
 *  - Functions returning int return AG_OK (0) or one of the AG_ERROR_* codes. On failure,
 *    ag_last_error() says why (one human sentence, or one line per configuration problem)
 *    and every output pointer is set to NULL.
 *  - Structured data goes in and out as UTF-8 JSON text. Strings the library returns through a
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
#define AG_ABI_VERSION 1

/* Status codes. */
#define AG_OK 0
#define AG_ERROR_INVALID_ARGUMENT 1 /* a NULL argument, malformed JSON, a wrong field type */
#define AG_ERROR_CONFIG 2           /* an invalid grading configuration (every problem listed) */
#define AG_ERROR_UNKNOWN_LANGUAGE 3 /* a language that is not in the language table */
#define AG_ERROR_SANDBOX 4          /* a sandbox could not be made or used on this host */
#define AG_ERROR_TIMEOUT 5          /* no sandbox became free within the timeout */
#define AG_ERROR_OUT_OF_MEMORY 6
#define AG_ERROR_INTERNAL 7         /* a bug of the library; the message says where */
#define AG_ERROR_CANCELLED 8        /* a progress callback asked to stop */

typedef struct ag_pipeline ag_pipeline;         /* an immutable grading pipeline */
typedef struct ag_sandbox_pool ag_sandbox_pool; /* warm sandboxes per language */
typedef struct ag_sandbox ag_sandbox;           /* one sandbox on loan from a pool */

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

/* Makes a pipeline from a grading configuration document (spec/grading-config.md §1).
 * options_json may be NULL, or {"locale": "en"|"pt_br", "assignment_directory": "/path"
 * (what asset sources are relative to), "sandbox_timeout_ms": 120000}. An invalid
 * configuration gives AG_ERROR_CONFIG listing every problem with its JSON path.
 * *out is owned by the caller (ag_pipeline_destroy). Thread-safe. */
AG_API int ag_pipeline_create(const char* config_json, const char* options_json,
                              ag_pipeline** out);

/* Destroys a pipeline. Call it once no ag_pipeline_grade on it is running. NULL is a no-op. */
AG_API void ag_pipeline_destroy(ag_pipeline* pipeline);

/* Grades one submission: {"files": [{"path", "content", "executable"?}], "language"?,
 * "metadata"?} (language: a key or alias; absent: the configuration's first language).
 * AG_OK whenever a result was produced, even when the pipeline FAILED (e.g. a compile error):
 * *result_json is {status, failed_at_step, final_score, result_tree, focus, score_vector,
 * feedback, pipeline}. *result_json is owned by the caller (ag_free).
 * Thread-safe: many threads may grade on one pipeline at once. */
AG_API int ag_pipeline_grade(const ag_pipeline* pipeline, const char* submission_json,
                             char** result_json);

/* Called once per graded submission of a batch, from the grading threads but never two at once:
 * index is the submission's position in the batch, done how many are graded so far (this one
 * included), result_json its result (owned by the library, valid during the call). Return 0 to
 * go on, non-zero to cancel: submissions not yet started are skipped. Must not unwind (no C++
 * exception, no longjmp) out of the library. */
typedef int (*ag_progress_fn)(void* user_data, size_t index, size_t done, size_t total,
                              const char* result_json);

/* Grades a batch: submissions_json is a JSON list of submissions as in ag_pipeline_grade,
 * graded by `jobs` threads (0: one per core). progress may be NULL. *results_json is the list
 * of results, in the order of the submissions; on AG_ERROR_CANCELLED it is NULL (each result
 * has gone through the progress callback). *results_json is owned by the caller (ag_free).
 * Thread-safe, like ag_pipeline_grade. */
AG_API int ag_pipeline_grade_batch(const ag_pipeline* pipeline, const char* submissions_json,
                                   int jobs, ag_progress_fn progress, void* user_data,
                                   char** results_json);

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
AG_API int ag_sandbox_pool_acquire(ag_sandbox_pool* pool, const char* language,
                                   int64_t timeout_ms, ag_sandbox** out);

/* The pool's counters as JSON: {"idle", "active", "created", "destroyed", "waits",
 * "wait_time_ms", "failures"}. *out_json is owned by the caller (ag_free). Thread-safe. */
AG_API int ag_sandbox_pool_stats_json(const ag_sandbox_pool* pool, char** out_json);

/* Writes `size` bytes of `content` to `path` (relative to the workspace; parents are made;
 * ".." and symlinks are refused). executable: non-zero for mode 0755.
 * Not thread-safe on one sandbox: use each sandbox from one thread at a time. */
AG_API int ag_sandbox_write_file(ag_sandbox* sandbox, const char* path, const char* content,
                                 size_t size, int executable);

/* Runs one program: request_json is {"argv": [...], "stdin"?: "...", "env"?: {...} (default:
 * the language's environment), "cwd"?: ".", "limits"?: {"cpu_time_s", "wall_time_s",
 * "memory_bytes", "processes", "output_bytes", "file_size_bytes", "open_files",
 * "stack_bytes"}}. AG_OK whatever the program did: *report_json is the run report (DESIGN §3:
 * status, exit_code, signal, cpu_ms, wall_ms, peak_memory_kb, stdout, stderr, ...).
 * *report_json is owned by the caller (ag_free). Not thread-safe on one sandbox. */
AG_API int ag_sandbox_run(ag_sandbox* sandbox, const char* request_json, char** report_json);

/* Returns a sandbox to its pool, which destroys it (a sandbox never serves two submissions)
 * and makes a fresh one in the background. NULL is a no-op. Thread-safe across sandboxes. */
AG_API void ag_sandbox_release(ag_sandbox* sandbox);

/* ---- Stateless execute ------------------------------------------------------------------- */

/* Compiles (when the language needs it) and runs files in a fresh sandbox, like
 * `autograder run --json`. request_json: {"language", "files": [{"path", "content"}],
 * "stdin"?, "main"?, "limits"?: as in ag_sandbox_run}. AG_OK whenever a report was produced
 * (a compile error or a crash of the program included): *result_json is the last report's
 * fields plus "phase" and "compile". *result_json is owned by the caller (ag_free).
 * Thread-safe. */
AG_API int ag_execute(const char* request_json, char** result_json);

#ifdef __cplusplus
}
#endif

#endif /* AUTOGRADER_H */
