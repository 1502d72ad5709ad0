#include "store/migrations.hpp"

#include <span>

#include <fmt/format.h>

#include "autograder/store.hpp"

namespace autograder::store {
namespace {

struct Migration {
    int version;
    const char* sql;
};

// Migration 1: the whole first schema. Times are ISO 8601 text (UTC, milliseconds) except
// jobs.available_at, milliseconds since the epoch, which claims compare with the clock. JSON
// values are stored as their text. The column types the two databases spell differently are
// written {key} (an id the database assigns), {int} (64 bits), {real} and {blob}.
constexpr const char* kInitialSchema = R"sql(
CREATE TABLE grading_configs (
    id {key},
    external_assignment_id TEXT NOT NULL UNIQUE,
    latest_version {int} NOT NULL,
    is_active {int} NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE grading_config_versions (
    config_id {int} NOT NULL REFERENCES grading_configs(id),
    version {int} NOT NULL,
    template_name TEXT NOT NULL,
    criteria_config TEXT NOT NULL,
    languages TEXT NOT NULL,
    setup_config TEXT NOT NULL,
    feedback_config TEXT NOT NULL,
    include_feedback {int} NOT NULL,
    extensions TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (config_id, version)
);
CREATE TABLE submissions (
    id {key},
    config_id {int} NOT NULL,
    config_version {int} NOT NULL,
    external_assignment_id TEXT NOT NULL,
    external_user_id TEXT NOT NULL,
    username TEXT NOT NULL,
    language TEXT NOT NULL,
    locale TEXT NOT NULL,
    metadata TEXT NOT NULL,
    baseline_result_tree TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
    error TEXT NOT NULL DEFAULT '',
    submitted_at TEXT NOT NULL,
    graded_at TEXT,
    FOREIGN KEY (config_id, config_version) REFERENCES grading_config_versions(config_id, version)
);
CREATE INDEX submissions_by_user ON submissions(external_user_id, id);
CREATE INDEX submissions_by_assignment ON submissions(external_assignment_id, id);
CREATE TABLE submission_files (
    submission_id {int} NOT NULL REFERENCES submissions(id),
    position {int} NOT NULL,
    filename TEXT NOT NULL,
    content {blob} NOT NULL,
    UNIQUE (submission_id, position)
);
CREATE TABLE code_sessions (
    id {key},
    user_id TEXT NOT NULL,
    problem_id TEXT NOT NULL,
    language TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'ACTIVE',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE executions (
    id {key},
    session_id {int} NOT NULL REFERENCES code_sessions(id),
    language TEXT NOT NULL,
    code TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'TIMEOUT')),
    stdout TEXT NOT NULL DEFAULT '',
    stderr TEXT NOT NULL DEFAULT '',
    exit_code {int},
    execution_time_ms {int},
    run_report TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
);
-- One run at a time per session: a second request gets the first (the API's 409).
CREATE UNIQUE INDEX executions_one_active_per_session ON executions(session_id)
    WHERE status IN ('QUEUED', 'RUNNING');
CREATE TABLE jobs (
    id {key},
    kind TEXT NOT NULL CHECK (kind IN ('grade', 'run')),
    priority {int} NOT NULL,  -- claimed lowest first: 0 run (a student waits at the editor), 1 grade
    target_id {int} NOT NULL, -- submissions.id (grade) or executions.id (run)
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts {int} NOT NULL DEFAULT 0,
    max_attempts {int} NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    available_at {int} NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (kind, target_id)
);
CREATE INDEX jobs_ready ON jobs(status, priority, id);
CREATE TABLE job_attempts (
    id {key},
    job_id {int} NOT NULL REFERENCES jobs(id),
    attempt {int} NOT NULL,
    worker TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_attempts_of_job ON job_attempts(job_id, id);
-- A result is written once: per job and per submission.
CREATE TABLE results (
    id {key},
    job_id {int} NOT NULL UNIQUE REFERENCES jobs(id),
    submission_id {int} NOT NULL UNIQUE REFERENCES submissions(id),
    final_score {real},
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
)sql";

// Migration 2: which Store claimed a running job (StoreBackend::owner_key), so that a server
// sharing a PostgreSQL database requeues only the jobs of Stores that are gone.
constexpr const char* kJobOwner = R"sql(
ALTER TABLE jobs ADD COLUMN owner {int};
)sql";

// Migration 3: grading runs. A run's pre and post jobs are run jobs of executions on a code
// session of the run's own (so they are claimed, retried and recovered like any run), with the
// document they read as their stdin.
constexpr const char* kGradingRuns = R"sql(
ALTER TABLE executions ADD COLUMN stdin TEXT;
CREATE TABLE grading_runs (
    id {key},
    external_assignment_id TEXT NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('pre_processing', 'grading', 'post_processing', 'completed', 'failed')),
    error TEXT NOT NULL DEFAULT '',
    session_id {int} NOT NULL REFERENCES code_sessions(id),
    pre_language TEXT,
    pre_code TEXT,
    pre_execution_id {int} REFERENCES executions(id),
    post_language TEXT,
    post_code TEXT,
    post_execution_id {int} REFERENCES executions(id),
    created_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX grading_runs_by_assignment ON grading_runs(external_assignment_id, id);
CREATE TABLE grading_run_submissions (
    run_id {int} NOT NULL REFERENCES grading_runs(id),
    submission_id {int} NOT NULL UNIQUE REFERENCES submissions(id),
    PRIMARY KEY (run_id, submission_id)
);
)sql";

// Append only: version N is the N-th entry.
constexpr Migration kMigrations[] = {
    {1, kInitialSchema},
    {2, kJobOwner},
    {3, kGradingRuns},
};

}  // namespace

const SqlTypes kSqliteTypes{"INTEGER PRIMARY KEY", "INTEGER", "REAL", "BLOB"};
const SqlTypes kPostgresTypes{"BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BIGINT", "DOUBLE PRECISION",
                              "BYTEA"};

int newest_schema_version() {
    return std::span(kMigrations).back().version;
}

StoreError schema_too_new(std::string_view where, int version) {
    return StoreError(StoreError::Kind::schema_too_new,
                      fmt::format("{} was written by a newer autograder (schema {}; this one knows up to {}): open "
                                  "it with that version or newer",
                                  where, version, newest_schema_version()));
}

int apply_migrations(SqlConnection& connection, int current, const SqlTypes& types,
                     const std::function<void(int)>& record_version) {
    for (const Migration& migration : kMigrations) {
        if (migration.version <= current) continue;
        connection.execute_script(fmt::format(fmt::runtime(migration.sql), fmt::arg("key", types.key),
                                              fmt::arg("int", types.integer), fmt::arg("real", types.real),
                                              fmt::arg("blob", types.blob)));
        record_version(migration.version);
        current = migration.version;
    }
    return current;
}

}  // namespace autograder::store
