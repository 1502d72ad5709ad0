// Store: what the grading service keeps — grading configurations (versioned), submissions and
// their results, live code sessions and their executions, and the durable jobs that grade and run
// them. One SQLite file (WAL) through SQLiteCpp by default, or a PostgreSQL database through
// libpqxx that several servers share (StoreOptions::url); the schema is created and upgraded by
// the same numbered migrations when the store is opened. Every state change is one transaction,
// so a process killed at any instant leaves either the whole change or none of it.
//
// Thread-safe: any thread may call any method; reads do not wait for writes.
// Times are UTC, ISO 8601 with milliseconds ("2026-11-27T21:56:31.123Z").
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace autograder {

class StoreError : public std::runtime_error {
public:
    enum class Kind {
        not_found,       // no row of that id (the message names what was looked for)
        conflict,        // a unique rule refused the change (e.g. a config of that assignment exists)
        schema_too_new,  // the database was written by a newer autograder
        busy,            // the database stayed locked past the busy timeout (transient)
        io,              // the file could not be opened, read or written
    };
    StoreError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    Kind kind() const noexcept { return kind_; }

private:
    Kind kind_;
};

struct StoreOptions {
    std::string path = "autograder.db";  // ":memory:" is refused: the store exists to survive the process
    // A PostgreSQL URL (postgresql://user:password@host:port/database?param=value, or postgres://):
    // when set, the store is that database and `path` is not used. Empty: SQLite at `path`.
    std::string url;
    std::size_t pool_size = 8;  // PostgreSQL: connections open at most (a call waits for a free one)
    // NORMAL (default): a committed change survives the process being killed; a power cut may lose
    // the last ones. FULL: also survives a power cut, at an fsync per commit.
    bool synchronous_full = false;
    // SQLite: how long a write waits for the database lock; PostgreSQL: for a row lock
    // (lock_timeout). Past it: StoreError busy.
    std::chrono::milliseconds busy_timeout{5000};
};

// Whether `location` (a --db value) names a PostgreSQL database: postgresql:// or postgres://.
bool is_postgres_url(std::string_view location);
// `location` as messages and logs show it: a URL's password replaced by "***".
std::string redact_store_location(std::string_view location);

// The grading configuration as the REST API takes it (the reference's separate fields).
struct ConfigDocument {
    nlohmann::json template_name = "input_output";  // "a", "a,b" or ["a", "b"]
    nlohmann::json criteria_config = nlohmann::json::object();
    nlohmann::json languages = nlohmann::json::array();
    nlohmann::json setup_config;     // null when absent
    nlohmann::json feedback_config;  // null when absent
    bool include_feedback = true;
    // The engine's keys beyond the reference's, as given: time_budget, feedback_mode, ai, export
    // (an object; empty when none). They are top-level keys of the configuration document.
    nlohmann::json extensions = nlohmann::json::object();
};

struct StoredConfig {
    int64_t id = 0;
    std::string external_assignment_id;
    int version = 1;  // 1, then +1 per update; earlier versions stay readable
    ConfigDocument document;
    bool is_active = true;
    std::string created_at;  // of the configuration (version 1)
    std::string updated_at;  // of this version
    // {id, external_assignment_id, version, template_name, criteria_config, languages,
    //  setup_config, feedback_config, include_feedback, is_active, created_at, updated_at}, and
    //  each of the document's extensions (time_budget, feedback_mode, ai, export) that is set
    nlohmann::json to_json() const;
};

// The latest version of an assignment's configuration, as far as accepting a submission needs it
// (without its criteria, setup and feedback, which are not read for that).
struct ConfigHead {
    int64_t id = 0;
    int version = 0;
    nlohmann::json languages = nlohmann::json::array();
};

enum class SubmissionStatus { pending, processing, completed, failed };
std::string_view to_string(SubmissionStatus status);  // "pending", ...

struct SubmittedFile {
    std::string filename;
    std::string content;
};

struct NewSubmission {
    std::string external_assignment_id;
    std::string external_user_id;
    std::string username;
    std::vector<SubmittedFile> files;
    std::string language;  // empty: the configuration's first language
    std::string locale;    // empty: "en"
    nlohmann::json metadata = nlohmann::json::object();
    nlohmann::json baseline_result_tree;  // null when absent
    std::string idempotency_key;          // empty: none
};

// What grading produced, written once per submission (keyed by the job that graded it).
struct StoredResult {
    int64_t job_id = 0;
    double final_score = 0;
    // {feedback, result_tree, focus, score_vector, comparison, pipeline_execution, ...}
    nlohmann::json body = nlohmann::json::object();
    std::string created_at;
};

struct StoredSubmission {
    int64_t id = 0;
    int64_t config_id = 0;
    int config_version = 0;  // the configuration's version when the submission arrived
    NewSubmission submission;
    SubmissionStatus status = SubmissionStatus::pending;
    std::string error;  // why it failed (status failed), else empty
    std::string submitted_at;
    std::optional<std::string> graded_at;
    std::optional<StoredResult> result;
    // While pending and read on its own (Store::submission): 1 when its job is the next one the
    // server's graders claim, n when n - 1 queued jobs come before it.
    std::optional<int64_t> queue_position;
    // {id, grading_config_id, config_version, external_assignment_id, external_user_id, username,
    //  language, locale, metadata, status, error, submitted_at, graded_at, final_score, feedback,
    //  result_tree, focus, score_vector, comparison, pipeline_execution, queue_position} (result
    //  fields null until graded; files are left out)
    nlohmann::json to_json() const;
};

struct CodeSession {
    int64_t id = 0;
    std::string user_id;
    std::string problem_id;
    std::string language;
    std::string code;
    std::string status = "ACTIVE";
    std::string created_at;
    std::string updated_at;
    nlohmann::json to_json()
        const;  // {session_id, user_id, problem_id, language, code, status, created_at, updated_at}
};

enum class ExecutionStatus { queued, running, completed, failed, timeout };
std::string_view to_string(ExecutionStatus status);  // "QUEUED", "RUNNING", "COMPLETED", "FAILED", "TIMEOUT"
bool is_terminal(ExecutionStatus status);

struct Execution {
    int64_t id = 0;
    int64_t session_id = 0;
    std::string language;
    std::string code;  // the snapshot that runs
    ExecutionStatus status = ExecutionStatus::queued;
    std::string stdout_text;
    std::string stderr_text;
    std::optional<int> exit_code;
    std::optional<int64_t> execution_time_ms;
    nlohmann::json run_report;              // the engine's run report(s) once finished, else null
    std::optional<std::string> stdin_text;  // what the program reads (a grading run's job), else none
    std::string created_at;
    std::optional<std::string> started_at;
    std::optional<std::string> finished_at;
    // {execution_id, session_id, language, status, stdout, stderr, exit_code, execution_time,
    //  created_at, started_at, finished_at, run_report}
    nlohmann::json to_json() const;
};

// What an execution ended with (finish_execution).
struct ExecutionOutcome {
    ExecutionStatus status = ExecutionStatus::completed;  // a terminal status
    std::string stdout_text;
    std::string stderr_text;
    std::optional<int> exit_code;
    int64_t execution_time_ms = 0;
    nlohmann::json run_report;
};

enum class JobKind { grade, run };  // grade a submission; run a code session's execution
enum class JobStatus { queued, running, done, failed };
std::string_view to_string(JobKind kind);      // "grade", "run"
std::string_view to_string(JobStatus status);  // "queued", "running", "done", "failed"

struct Job {
    int64_t id = 0;
    JobKind kind = JobKind::grade;
    int64_t target_id = 0;  // the submission (grade) or the execution (run)
    JobStatus status = JobStatus::queued;
    int attempts = 0;  // attempts started, this one included once claimed
    int max_attempts = 3;
    std::string last_error;
    std::string created_at;
};

struct JobAttempt {
    int attempt = 0;
    std::string worker;
    std::string started_at;
    std::optional<std::string> finished_at;
    std::string outcome;  // "done", "retry", "failed", "abandoned" (the process died), "" while running
    std::string error;
};

struct JobCounts {
    std::map<std::string, int64_t> by_status;  // "queued" -> n, ... (every status present)
    int64_t waiting = 0;                       // queued, whether or not their backoff has passed
};

// --- grading runs: a whole class graded as one unit ------------------------------------------

// A program a grading run runs once, before or after its students' gradings, in the server's
// sandbox with the limits of a live code run. Its stdin is a JSON document: before, the run and
// its students; after, the run, its students with their results, and the class summary.
struct RunProgram {
    std::string language;
    std::string code;
};

struct NewGradingRun {
    std::string external_assignment_id;
    // The students to grade (their assignment and idempotency key are not used), or, with
    // from_latest, a copy of each student's latest submission to the assignment.
    std::vector<NewSubmission> submissions;
    bool from_latest = false;
    std::optional<RunProgram> pre_job;
    std::optional<RunProgram> post_job;
};

// pre_processing (its pre job runs) -> grading (its students' jobs) -> post_processing (its post
// job) -> completed; failed when the pre or post job failed (never because a student's job did).
enum class GradingRunStatus { pre_processing, grading, post_processing, completed, failed };
std::string_view to_string(GradingRunStatus status);  // "pre_processing", ...

struct GradingRunStudent {
    int64_t submission_id = 0;
    std::string external_user_id;
    std::string username;
    SubmissionStatus status = SubmissionStatus::pending;
    std::string error;
    std::optional<StoredResult> result;  // once graded
};

struct GradingRun {
    int64_t id = 0;
    std::string external_assignment_id;
    GradingRunStatus status = GradingRunStatus::grading;
    std::string error;  // why it failed
    std::optional<RunProgram> pre_job, post_job;
    std::optional<Execution> pre_execution, post_execution;  // once created
    std::vector<GradingRunStudent> students;                 // by submission id
    std::string created_at;
    std::optional<std::string> finished_at;
    // {id, external_assignment_id, status, error, created_at, finished_at,
    //  counts: {total, pending, processing, completed, failed},
    //  pre_job, post_job: null | {language, execution_id, status, exit_code, stdout, stderr,
    //                             execution_time} (execution fields null until it is created),
    //  students: [{submission_id, external_user_id, username, status, error, final_score,
    //              result_status}],
    //  summary: the class summary of the students that finished (ClassSummary, batch.hpp), when
    //  `with_summary` and the results were read}
    nlohmann::json to_json(bool with_summary = true) const;
};

class Store {
public:
    // Opens (creating when missing) and migrates: PostgreSQL when options.url is set, else the
    // SQLite file options.path. Throws StoreError: io when the file cannot be opened or the server
    // reached, schema_too_new when a newer autograder wrote it (the message says which versions).
    static std::unique_ptr<Store> open(const StoreOptions& options);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    int schema_version() const;             // the last migration applied, after opening
    static int supported_schema_version();  // the newest migration this binary knows

    // --- grading configurations ------------------------------------------------------------
    // Version 1 of a new configuration. conflict when the assignment already has one.
    StoredConfig create_config(const std::string& external_assignment_id, const ConfigDocument& document);
    // A new version (the latest + 1) of configuration `id`; not_found when there is none.
    StoredConfig update_config(int64_t id, const ConfigDocument& document);
    std::optional<StoredConfig> config(int64_t id, std::optional<int> version = std::nullopt) const;
    std::optional<StoredConfig> config_by_assignment(const std::string& external_assignment_id) const;
    std::optional<ConfigHead> config_head(const std::string& external_assignment_id) const;
    std::vector<StoredConfig> list_configs(int64_t limit, int64_t offset) const;  // latest versions, by id
    int64_t count_configs() const;

    // --- submissions and their grading jobs ----------------------------------------------------
    struct Accepted {
        StoredSubmission submission;
        int64_t job_id = 0;
        bool created = true;  // false: the idempotency key named an earlier submission, returned as is
    };
    // Records the submission (pending, against the latest version of its assignment's
    // configuration) and its grade job in one transaction. not_found when the assignment has no
    // configuration.
    Accepted accept_submission(const NewSubmission& submission);
    std::optional<StoredSubmission> submission(int64_t id, bool with_files = false) const;
    std::vector<StoredSubmission> submissions_of_user(const std::string& external_user_id, int64_t limit,
                                                      int64_t offset) const;
    std::vector<StoredSubmission> submissions_of_assignment(const std::string& external_assignment_id, int64_t limit,
                                                            int64_t offset) const;

    // --- grading runs ----------------------------------------------------------------------------
    // Records the run, its students' submissions and its first jobs in one transaction: the pre
    // job's run when there is one, else every student's grade job. The run then advances in the
    // transactions that end its jobs. not_found when the assignment has no configuration;
    // conflict when the run would have no student (from_latest on an assignment without one).
    GradingRun create_grading_run(const NewGradingRun& run);
    std::optional<GradingRun> grading_run(int64_t id, bool with_results = true) const;
    // The newest runs first.
    std::vector<GradingRun> grading_runs_of_assignment(const std::string& external_assignment_id, int64_t limit,
                                                       int64_t offset) const;

    // --- live code sessions and executions ------------------------------------------------------
    CodeSession create_session(const std::string& user_id, const std::string& problem_id, const std::string& language);
    CodeSession save_session_code(int64_t id, const std::string& code);  // not_found when missing
    std::optional<CodeSession> session(int64_t id) const;
    struct RunRequested {
        Execution execution;
        int64_t job_id = 0;   // 0 when not created
        bool created = true;  // false: `execution` is the session's run still QUEUED or RUNNING
    };
    // Snapshots `code` (or the session's saved code) into a QUEUED execution and its run job, in
    // one transaction, unless the session has one QUEUED or RUNNING (then returned, created false).
    RunRequested request_run(int64_t session_id, const std::optional<std::string>& code);
    std::optional<Execution> execution(int64_t id) const;

    // --- jobs ---------------------------------------------------------------------------------
    // Claims the oldest queued job whose backoff has passed (run jobs before grade jobs): marks it
    // running, counts the attempt, records who took it, and marks its submission `processing` or
    // its execution RUNNING (started_at) in the same transaction. nullopt when none is ready.
    std::optional<Job> claim_job(const std::string& worker);
    // The grading of job `job_id` finished: writes the result (once: a second call for the same
    // job or submission changes nothing and returns false), the submission `completed` with
    // graded_at, the job done.
    bool complete_grade_job(int64_t job_id, const StoredResult& result);
    // The run of job `job_id` finished with `outcome` (a terminal status); the job done. Once.
    bool complete_run_job(int64_t job_id, const ExecutionOutcome& outcome);
    // A transient failure (no sandbox, store busy): queued again after `backoff` while attempts
    // remain, else failed (its submission `failed` / execution FAILED with `error`). Returns true
    // when the job was queued again.
    bool retry_job(int64_t job_id, const std::string& error, std::chrono::milliseconds backoff);
    // Fails the job now, with its submission or execution.
    void fail_job(int64_t job_id, const std::string& error);
    // Gives a running job back (a draining process): queued again, the attempt not counted.
    void release_job(int64_t job_id);
    // At start-up, before any worker claims: every job left `running` by a process that died is
    // queued again (its attempt recorded as "abandoned"); its submission goes back to `pending`,
    // its execution to QUEUED. A job whose attempts are all used fails instead (a job that takes
    // the process down each time must end). Returns how many were queued again. Only one process
    // may use a SQLite file; on PostgreSQL only the jobs of Stores that are gone (closed, or their
    // process dead) are taken, never those another live server runs.
    int64_t requeue_abandoned_jobs();
    std::optional<Job> job(int64_t id) const;
    std::vector<JobAttempt> job_attempts(int64_t job_id) const;
    std::optional<Job> job_of_submission(int64_t submission_id) const;
    JobCounts job_counts() const;
    // When the next queued job's backoff ends (nullopt when none is waiting for its backoff).
    std::optional<std::chrono::system_clock::time_point> next_backoff_end() const;

private:
    class Impl;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace autograder
