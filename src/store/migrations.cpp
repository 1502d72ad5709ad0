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
// values are stored as their text.
constexpr const char* kInitialSchema = R"sql(
CREATE TABLE grading_configs (
    id INTEGER PRIMARY KEY,
    external_assignment_id TEXT NOT NULL UNIQUE,
    latest_version INTEGER NOT NULL,
    is_active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE grading_config_versions (
    config_id INTEGER NOT NULL REFERENCES grading_configs(id),
    version INTEGER NOT NULL,
    template_name TEXT NOT NULL,
    criteria_config TEXT NOT NULL,
    languages TEXT NOT NULL,
    setup_config TEXT NOT NULL,
    feedback_config TEXT NOT NULL,
    include_feedback INTEGER NOT NULL,
    extensions TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (config_id, version)
);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    config_id INTEGER NOT NULL,
    config_version INTEGER NOT NULL,
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
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    position INTEGER NOT NULL,
    filename TEXT NOT NULL,
    content BLOB NOT NULL,
    UNIQUE (submission_id, position)
);
CREATE TABLE code_sessions (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL,
    problem_id TEXT NOT NULL,
    language TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'ACTIVE',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE executions (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES code_sessions(id),
    language TEXT NOT NULL,
    code TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'TIMEOUT')),
    stdout TEXT NOT NULL DEFAULT '',
    stderr TEXT NOT NULL DEFAULT '',
    exit_code INTEGER,
    execution_time_ms INTEGER,
    run_report TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
);
-- One run at a time per session: a second request gets the first (the API's 409).
CREATE UNIQUE INDEX executions_one_active_per_session ON executions(session_id)
    WHERE status IN ('QUEUED', 'RUNNING');
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('grade', 'run')),
    priority INTEGER NOT NULL,  -- claimed lowest first: 0 run (a student waits at the editor), 1 grade
    target_id INTEGER NOT NULL, -- submissions.id (grade) or executions.id (run)
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    available_at INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (kind, target_id)
);
CREATE INDEX jobs_ready ON jobs(status, priority, id);
CREATE TABLE job_attempts (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id),
    attempt INTEGER NOT NULL,
    worker TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_attempts_of_job ON job_attempts(job_id, id);
-- A result is written once: per job and per submission.
CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL UNIQUE REFERENCES jobs(id),
    submission_id INTEGER NOT NULL UNIQUE REFERENCES submissions(id),
    final_score REAL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
)sql";

// Append only: version N is the N-th entry.
constexpr Migration kMigrations[] = {
    {1, kInitialSchema},
};

}  // namespace

int newest_schema_version() {
    return std::span(kMigrations).back().version;
}

int checked_schema_version(SQLite::Database& connection, const std::string& path) {
    int version = connection.execAndGet("PRAGMA user_version").getInt();
    if (version > newest_schema_version())
        throw StoreError(StoreError::Kind::schema_too_new,
                         fmt::format("{} was written by a newer autograder (schema {}; this one knows up to {}): open "
                                     "it with that version or newer",
                                     path, version, newest_schema_version()));
    return version;
}

int migrate(SQLite::Database& connection, const std::string& path) {
    SQLite::Transaction transaction(connection, SQLite::TransactionBehavior::IMMEDIATE);
    int current = checked_schema_version(connection, path);
    for (const Migration& migration : kMigrations) {
        if (migration.version <= current) continue;
        connection.exec(migration.sql);
        connection.exec(fmt::format("PRAGMA user_version = {}", migration.version));
        current = migration.version;
    }
    transaction.commit();
    return current;
}

}  // namespace autograder::store
