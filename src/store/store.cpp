// The Store's operations. Writes go through one connection behind a mutex, each in one
// `BEGIN IMMEDIATE` transaction (so a read-modify-write, such as claiming a job, holds the write
// lock from its first read); reads take a connection of their own from a pool and read one
// snapshot (WAL), so they never wait for a write.
#include "autograder/store.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <type_traits>

#include <fmt/format.h>

#include "store/connections.hpp"
#include "store/migrations.hpp"
#include "store/timestamps.hpp"

namespace autograder {

using store::iso8601;
using store::json_column_text;
using store::json_of;
using store::now_milliseconds;
using store::optional_text_of;
using store::text_of;

namespace {

constexpr int kMaxAttempts = 3;
constexpr int kRunPriority = 0;  // a student waits at the editor: runs go before gradings
constexpr int kGradePriority = 1;

[[noreturn]] void throw_not_found(const std::string& what) {
    throw StoreError(StoreError::Kind::not_found, what);
}

SubmissionStatus submission_status_of(const std::string& text) {
    if (text == "processing") return SubmissionStatus::processing;
    if (text == "completed") return SubmissionStatus::completed;
    if (text == "failed") return SubmissionStatus::failed;
    return SubmissionStatus::pending;
}

ExecutionStatus execution_status_of(const std::string& text) {
    if (text == "RUNNING") return ExecutionStatus::running;
    if (text == "COMPLETED") return ExecutionStatus::completed;
    if (text == "FAILED") return ExecutionStatus::failed;
    if (text == "TIMEOUT") return ExecutionStatus::timeout;
    return ExecutionStatus::queued;
}

JobStatus job_status_of(const std::string& text) {
    if (text == "running") return JobStatus::running;
    if (text == "done") return JobStatus::done;
    if (text == "failed") return JobStatus::failed;
    return JobStatus::queued;
}

int64_t clamped(int64_t value) {
    return std::max<int64_t>(value, 0);
}

// --- reading rows -------------------------------------------------------------------------------

constexpr const char* kConfigColumns =
    "SELECT c.id, c.external_assignment_id, v.version, v.template_name, v.criteria_config, v.languages, "
    "v.setup_config, v.feedback_config, v.include_feedback, c.is_active, c.created_at, v.created_at, "
    "v.extensions "
    "FROM grading_configs c JOIN grading_config_versions v ON v.config_id = c.id ";

StoredConfig config_of_row(SQLite::Statement& row) {
    StoredConfig config;
    config.id = row.getColumn(0).getInt64();
    config.external_assignment_id = text_of(row.getColumn(1));
    config.version = row.getColumn(2).getInt();
    config.document.template_name = json_of(row.getColumn(3));
    config.document.criteria_config = json_of(row.getColumn(4));
    config.document.languages = json_of(row.getColumn(5));
    config.document.setup_config = json_of(row.getColumn(6));
    config.document.feedback_config = json_of(row.getColumn(7));
    config.document.include_feedback = row.getColumn(8).getInt() != 0;
    config.is_active = row.getColumn(9).getInt() != 0;
    config.created_at = text_of(row.getColumn(10));
    config.updated_at = text_of(row.getColumn(11));
    config.document.extensions = json_of(row.getColumn(12));
    if (!config.document.extensions.is_object()) config.document.extensions = nlohmann::json::object();
    return config;
}

std::optional<StoredConfig> load_config(SQLite::Database& db, int64_t id, std::optional<int> version) {
    SQLite::Statement query(
        db, std::string(kConfigColumns) + "WHERE c.id = ? AND v.version = COALESCE(?, c.latest_version)");
    query.bind(1, id);
    if (version)
        query.bind(2, *version);
    else
        query.bind(2);
    if (!query.executeStep()) return std::nullopt;
    return config_of_row(query);
}

std::optional<StoredConfig> load_config_of_assignment(SQLite::Database& db, const std::string& assignment) {
    SQLite::Statement query(
        db, std::string(kConfigColumns) + "WHERE c.external_assignment_id = ? AND v.version = c.latest_version");
    query.bind(1, assignment);
    if (!query.executeStep()) return std::nullopt;
    return config_of_row(query);
}

std::optional<ConfigHead> load_config_head(SQLite::Database& db, const std::string& assignment) {
    SQLite::Statement query(db,
                            "SELECT c.id, c.latest_version, v.languages FROM grading_configs c "
                            "JOIN grading_config_versions v ON v.config_id = c.id AND v.version = c.latest_version "
                            "WHERE c.external_assignment_id = ?");
    query.bind(1, assignment);
    if (!query.executeStep()) return std::nullopt;
    ConfigHead head;
    head.id = query.getColumn(0).getInt64();
    head.version = query.getColumn(1).getInt();
    head.languages = json_of(query.getColumn(2));
    return head;
}

constexpr const char* kSubmissionColumns =
    "SELECT s.id, s.config_id, s.config_version, s.external_assignment_id, s.external_user_id, s.username, "
    "s.language, s.locale, s.metadata, s.baseline_result_tree, s.idempotency_key, s.status, s.error, "
    "s.submitted_at, s.graded_at, r.job_id, r.final_score, r.body, r.created_at "
    "FROM submissions s LEFT JOIN results r ON r.submission_id = s.id ";

std::vector<SubmittedFile> load_files(SQLite::Database& db, int64_t submission_id) {
    SQLite::Statement query(db,
                            "SELECT filename, content FROM submission_files WHERE submission_id = ? ORDER BY position");
    query.bind(1, submission_id);
    std::vector<SubmittedFile> files;
    while (query.executeStep()) files.push_back({text_of(query.getColumn(0)), text_of(query.getColumn(1))});
    return files;
}

StoredSubmission submission_of_row(SQLite::Statement& row) {
    StoredSubmission stored;
    stored.id = row.getColumn(0).getInt64();
    stored.config_id = row.getColumn(1).getInt64();
    stored.config_version = row.getColumn(2).getInt();
    stored.submission.external_assignment_id = text_of(row.getColumn(3));
    stored.submission.external_user_id = text_of(row.getColumn(4));
    stored.submission.username = text_of(row.getColumn(5));
    stored.submission.language = text_of(row.getColumn(6));
    stored.submission.locale = text_of(row.getColumn(7));
    stored.submission.metadata = json_of(row.getColumn(8));
    stored.submission.baseline_result_tree = json_of(row.getColumn(9));
    stored.submission.idempotency_key = text_of(row.getColumn(10));
    stored.status = submission_status_of(text_of(row.getColumn(11)));
    stored.error = text_of(row.getColumn(12));
    stored.submitted_at = text_of(row.getColumn(13));
    stored.graded_at = optional_text_of(row.getColumn(14));
    if (!row.getColumn(15).isNull()) {
        StoredResult result;
        result.job_id = row.getColumn(15).getInt64();
        result.final_score = row.getColumn(16).isNull() ? std::nan("") : row.getColumn(16).getDouble();
        result.body = json_of(row.getColumn(17));
        result.created_at = text_of(row.getColumn(18));
        stored.result = std::move(result);
    }
    return stored;
}

std::optional<StoredSubmission> load_submission(SQLite::Database& db, int64_t id, bool with_files) {
    SQLite::Statement query(db, std::string(kSubmissionColumns) + "WHERE s.id = ?");
    query.bind(1, id);
    if (!query.executeStep()) return std::nullopt;
    StoredSubmission stored = submission_of_row(query);
    if (with_files) stored.submission.files = load_files(db, id);
    return stored;
}

std::vector<StoredSubmission> load_submissions_where(SQLite::Database& db, const char* column, const std::string& value,
                                                     int64_t limit, int64_t offset) {
    // Newest first: a course platform shows a student's latest submission on top.
    SQLite::Statement query(
        db, fmt::format("{}WHERE s.{} = ? ORDER BY s.id DESC LIMIT ? OFFSET ?", kSubmissionColumns, column));
    query.bind(1, value);
    query.bind(2, clamped(limit));
    query.bind(3, clamped(offset));
    std::vector<StoredSubmission> submissions;
    while (query.executeStep()) submissions.push_back(submission_of_row(query));
    return submissions;
}

std::optional<CodeSession> load_session(SQLite::Database& db, int64_t id) {
    SQLite::Statement query(db,
                            "SELECT id, user_id, problem_id, language, code, status, created_at, updated_at "
                            "FROM code_sessions WHERE id = ?");
    query.bind(1, id);
    if (!query.executeStep()) return std::nullopt;
    CodeSession session;
    session.id = query.getColumn(0).getInt64();
    session.user_id = text_of(query.getColumn(1));
    session.problem_id = text_of(query.getColumn(2));
    session.language = text_of(query.getColumn(3));
    session.code = text_of(query.getColumn(4));
    session.status = text_of(query.getColumn(5));
    session.created_at = text_of(query.getColumn(6));
    session.updated_at = text_of(query.getColumn(7));
    return session;
}

std::optional<Execution> load_execution(SQLite::Database& db, int64_t id) {
    SQLite::Statement query(db,
                            "SELECT id, session_id, language, code, status, stdout, stderr, exit_code, "
                            "execution_time_ms, run_report, created_at, started_at, finished_at "
                            "FROM executions WHERE id = ?");
    query.bind(1, id);
    if (!query.executeStep()) return std::nullopt;
    Execution execution;
    execution.id = query.getColumn(0).getInt64();
    execution.session_id = query.getColumn(1).getInt64();
    execution.language = text_of(query.getColumn(2));
    execution.code = text_of(query.getColumn(3));
    execution.status = execution_status_of(text_of(query.getColumn(4)));
    execution.stdout_text = text_of(query.getColumn(5));
    execution.stderr_text = text_of(query.getColumn(6));
    if (!query.getColumn(7).isNull()) execution.exit_code = query.getColumn(7).getInt();
    if (!query.getColumn(8).isNull()) execution.execution_time_ms = query.getColumn(8).getInt64();
    execution.run_report = json_of(query.getColumn(9));
    execution.created_at = text_of(query.getColumn(10));
    execution.started_at = optional_text_of(query.getColumn(11));
    execution.finished_at = optional_text_of(query.getColumn(12));
    return execution;
}

constexpr const char* kJobColumns =
    "SELECT id, kind, target_id, status, attempts, max_attempts, last_error, created_at FROM jobs ";

Job job_of_row(SQLite::Statement& row) {
    Job job;
    job.id = row.getColumn(0).getInt64();
    job.kind = text_of(row.getColumn(1)) == "run" ? JobKind::run : JobKind::grade;
    job.target_id = row.getColumn(2).getInt64();
    job.status = job_status_of(text_of(row.getColumn(3)));
    job.attempts = row.getColumn(4).getInt();
    job.max_attempts = row.getColumn(5).getInt();
    job.last_error = text_of(row.getColumn(6));
    job.created_at = text_of(row.getColumn(7));
    return job;
}

std::optional<Job> load_job(SQLite::Database& db, int64_t id) {
    SQLite::Statement query(db, std::string(kJobColumns) + "WHERE id = ?");
    query.bind(1, id);
    if (!query.executeStep()) return std::nullopt;
    return job_of_row(query);
}

Job existing_job(SQLite::Database& db, int64_t id) {
    auto job = load_job(db, id);
    if (!job) throw_not_found(fmt::format("no job {}", id));
    return *job;
}

// --- writing rows -------------------------------------------------------------------------------

int64_t insert_job(SQLite::Database& db, JobKind kind, int64_t target_id, int64_t now, const std::string& at) {
    SQLite::Statement insert(db,
                             "INSERT INTO jobs (kind, priority, target_id, status, attempts, max_attempts, "
                             "available_at, created_at, updated_at) VALUES (?, ?, ?, 'queued', 0, ?, ?, ?, ?)");
    insert.bind(1, std::string(to_string(kind)));
    insert.bind(2, kind == JobKind::run ? kRunPriority : kGradePriority);
    insert.bind(3, target_id);
    insert.bind(4, kMaxAttempts);
    insert.bind(5, now);
    insert.bind(6, at);
    insert.bind(7, at);
    insert.exec();
    return db.getLastInsertRowid();
}

// Ends the attempt that is under way, if one is (a job released or retried twice ends none).
void finish_attempt(SQLite::Database& db, int64_t job_id, const std::string& outcome, const std::string& error,
                    const std::string& at) {
    SQLite::Statement update(db,
                             "UPDATE job_attempts SET finished_at = ?, outcome = ?, error = ? "
                             "WHERE job_id = ? AND finished_at IS NULL");
    update.bind(1, at);
    update.bind(2, outcome);
    update.bind(3, error);
    update.bind(4, job_id);
    update.exec();
}

void set_job_status(SQLite::Database& db, int64_t job_id, const char* status, const std::string& last_error,
                    const std::string& at) {
    SQLite::Statement update(db, "UPDATE jobs SET status = ?, last_error = ?, updated_at = ? WHERE id = ?");
    update.bind(1, status);
    update.bind(2, last_error);
    update.bind(3, at);
    update.bind(4, job_id);
    update.exec();
}

// The job's submission `processing` / execution RUNNING.
void mark_target_started(SQLite::Database& db, const Job& job, const std::string& at) {
    if (job.kind == JobKind::grade) {
        SQLite::Statement update(db,
                                 "UPDATE submissions SET status = 'processing' WHERE id = ? AND status = 'pending'");
        update.bind(1, job.target_id);
        update.exec();
    } else {
        SQLite::Statement update(db,
                                 "UPDATE executions SET status = 'RUNNING', started_at = ? "
                                 "WHERE id = ? AND status = 'QUEUED'");
        update.bind(1, at);
        update.bind(2, job.target_id);
        update.exec();
    }
}

// The job's submission back to `pending` / execution back to QUEUED: it waits for another attempt.
void mark_target_waiting(SQLite::Database& db, const Job& job) {
    if (job.kind == JobKind::grade) {
        SQLite::Statement update(db,
                                 "UPDATE submissions SET status = 'pending' WHERE id = ? AND status = 'processing'");
        update.bind(1, job.target_id);
        update.exec();
    } else {
        SQLite::Statement update(db,
                                 "UPDATE executions SET status = 'QUEUED', started_at = NULL "
                                 "WHERE id = ? AND status = 'RUNNING'");
        update.bind(1, job.target_id);
        update.exec();
    }
}

// The job's submission `failed` / execution FAILED (the error as its stderr), unless it finished.
void mark_target_failed(SQLite::Database& db, const Job& job, const std::string& error, const std::string& at) {
    if (job.kind == JobKind::grade) {
        SQLite::Statement update(db,
                                 "UPDATE submissions SET status = 'failed', error = ? "
                                 "WHERE id = ? AND status IN ('pending', 'processing')");
        update.bind(1, error);
        update.bind(2, job.target_id);
        update.exec();
    } else {
        SQLite::Statement update(db,
                                 "UPDATE executions SET status = 'FAILED', stderr = ?, finished_at = ? "
                                 "WHERE id = ? AND status IN ('QUEUED', 'RUNNING')");
        update.bind(1, error);
        update.bind(2, at);
        update.bind(3, job.target_id);
        update.exec();
    }
}

// The language a submission without one is graded in: its configuration's first.
std::string first_language(const nlohmann::json& languages) {
    if (languages.is_array() && !languages.empty() && languages[0].is_string()) return languages[0].get<std::string>();
    if (languages.is_string()) return languages.get<std::string>();
    return {};
}

}  // namespace

// ------------------------------------------------------------------------------------------------

class Store::Impl {
public:
    explicit Impl(const StoreOptions& options) : options_(options), readers_(options) {}

    // `change` inside one BEGIN IMMEDIATE transaction on the write connection, committed when it
    // returns; rolled back when it throws.
    template <class Change>
    auto write(std::string_view doing, Change&& change) {
        std::lock_guard lock(write_mutex_);
        try {
            SQLite::Transaction transaction(*writer_, SQLite::TransactionBehavior::IMMEDIATE);
            if constexpr (std::is_void_v<decltype(change(*writer_))>) {
                change(*writer_);
                transaction.commit();
            } else {
                auto result = change(*writer_);
                transaction.commit();
                return result;
            }
        } catch (const SQLite::Exception& error) {
            throw store::store_error(error, doing, options_.path);
        }
    }

    // `query` on a read connection, inside one read transaction (one snapshot).
    template <class Query>
    auto read(std::string_view doing, Query&& query) {
        try {
            auto connection = readers_.acquire();
            SQLite::Transaction transaction(*connection, SQLite::TransactionBehavior::DEFERRED);
            auto result = query(*connection);
            transaction.commit();
            return result;
        } catch (const SQLite::Exception& error) {
            throw store::store_error(error, doing, options_.path);
        }
    }

    void open() {
        try {
            writer_ = store::open_connection(options_, true);
            // Before the switch to WAL, which writes: a newer autograder's database stays untouched.
            store::checked_schema_version(*writer_, options_.path);
            std::string mode = writer_->execAndGet("PRAGMA journal_mode = WAL").getString();
            if (mode != "wal")
                throw StoreError(
                    StoreError::Kind::io,
                    fmt::format("{}: could not switch the database to WAL (journal_mode is {})", options_.path, mode));
            schema_version_ = store::migrate(*writer_, options_.path);
        } catch (const SQLite::Exception& error) {
            throw store::store_error(error, "opening the store", options_.path);
        }
    }

    int schema_version() const { return schema_version_; }

private:
    StoreOptions options_;
    std::mutex write_mutex_;
    std::unique_ptr<SQLite::Database> writer_;
    store::ReadPool readers_;
    int schema_version_ = 0;
};

std::unique_ptr<Store> Store::open(const StoreOptions& options) {
    const std::string& path = options.path;
    // Without SQLITE_OPEN_URI, ":memory:" is the only name SQLite does not take as a file.
    if (path.empty() || path == ":memory:")
        throw StoreError(StoreError::Kind::io,
                         fmt::format("the store's path '{}' is refused: give a file, the store exists to outlive "
                                     "the process",
                                     path));
    auto impl = std::make_unique<Impl>(options);
    impl->open();
    return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

int Store::schema_version() const {
    return impl_->schema_version();
}
int Store::supported_schema_version() {
    return store::newest_schema_version();
}

// --- grading configurations ---------------------------------------------------------------------

namespace {

void insert_config_version(SQLite::Database& db, int64_t config_id, int version, const ConfigDocument& document,
                           const std::string& at) {
    SQLite::Statement insert(db,
                             "INSERT INTO grading_config_versions (config_id, version, template_name, "
                             "criteria_config, languages, setup_config, feedback_config, include_feedback, "
                             "created_at, extensions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, config_id);
    insert.bind(2, version);
    insert.bind(3, json_column_text(document.template_name));
    insert.bind(4, json_column_text(document.criteria_config));
    insert.bind(5, json_column_text(document.languages));
    insert.bind(6, json_column_text(document.setup_config));
    insert.bind(7, json_column_text(document.feedback_config));
    insert.bind(8, document.include_feedback ? 1 : 0);
    insert.bind(9, at);
    insert.bind(10, json_column_text(document.extensions.is_object() ? document.extensions : nlohmann::json::object()));
    insert.exec();
}

}  // namespace

StoredConfig Store::create_config(const std::string& external_assignment_id, const ConfigDocument& document) {
    return impl_->write("creating a configuration", [&](SQLite::Database& db) {
        SQLite::Statement existing(db, "SELECT id FROM grading_configs WHERE external_assignment_id = ?");
        existing.bind(1, external_assignment_id);
        if (existing.executeStep())
            throw StoreError(StoreError::Kind::conflict,
                             fmt::format("assignment '{}' already has a configuration (id {})", external_assignment_id,
                                         existing.getColumn(0).getInt64()));
        std::string at = iso8601(now_milliseconds());
        SQLite::Statement insert(db,
                                 "INSERT INTO grading_configs (external_assignment_id, latest_version, is_active, "
                                 "created_at, updated_at) VALUES (?, 1, 1, ?, ?)");
        insert.bind(1, external_assignment_id);
        insert.bind(2, at);
        insert.bind(3, at);
        insert.exec();
        int64_t id = db.getLastInsertRowid();
        insert_config_version(db, id, 1, document, at);
        return *load_config(db, id, std::nullopt);
    });
}

StoredConfig Store::update_config(int64_t id, const ConfigDocument& document) {
    return impl_->write("updating a configuration", [&](SQLite::Database& db) {
        SQLite::Statement latest(db, "SELECT latest_version FROM grading_configs WHERE id = ?");
        latest.bind(1, id);
        if (!latest.executeStep()) throw_not_found(fmt::format("no configuration {}", id));
        int version = latest.getColumn(0).getInt() + 1;
        std::string at = iso8601(now_milliseconds());
        insert_config_version(db, id, version, document, at);
        SQLite::Statement update(db, "UPDATE grading_configs SET latest_version = ?, updated_at = ? WHERE id = ?");
        update.bind(1, version);
        update.bind(2, at);
        update.bind(3, id);
        update.exec();
        return *load_config(db, id, std::nullopt);
    });
}

std::optional<StoredConfig> Store::config(int64_t id, std::optional<int> version) const {
    return impl_->read("reading a configuration", [&](SQLite::Database& db) { return load_config(db, id, version); });
}

std::optional<StoredConfig> Store::config_by_assignment(const std::string& external_assignment_id) const {
    return impl_->read("reading a configuration",
                       [&](SQLite::Database& db) { return load_config_of_assignment(db, external_assignment_id); });
}

std::optional<ConfigHead> Store::config_head(const std::string& external_assignment_id) const {
    return impl_->read("reading a configuration",
                       [&](SQLite::Database& db) { return load_config_head(db, external_assignment_id); });
}

std::vector<StoredConfig> Store::list_configs(int64_t limit, int64_t offset) const {
    return impl_->read("listing configurations", [&](SQLite::Database& db) {
        SQLite::Statement query(
            db, std::string(kConfigColumns) + "WHERE v.version = c.latest_version ORDER BY c.id LIMIT ? OFFSET ?");
        query.bind(1, clamped(limit));
        query.bind(2, clamped(offset));
        std::vector<StoredConfig> configs;
        while (query.executeStep()) configs.push_back(config_of_row(query));
        return configs;
    });
}

int64_t Store::count_configs() const {
    return impl_->read("counting configurations", [&](SQLite::Database& db) {
        return db.execAndGet("SELECT COUNT(*) FROM grading_configs").getInt64();
    });
}

// --- submissions --------------------------------------------------------------------------------

Store::Accepted Store::accept_submission(const NewSubmission& submission) {
    return impl_->write("accepting a submission", [&](SQLite::Database& db) {
        if (!submission.idempotency_key.empty()) {
            SQLite::Statement earlier(db, "SELECT id FROM submissions WHERE idempotency_key = ?");
            earlier.bind(1, submission.idempotency_key);
            if (earlier.executeStep()) {
                int64_t id = earlier.getColumn(0).getInt64();
                Accepted accepted;
                accepted.submission = *load_submission(db, id, true);
                SQLite::Statement job(db, "SELECT id FROM jobs WHERE kind = 'grade' AND target_id = ?");
                job.bind(1, id);
                accepted.job_id = job.executeStep() ? job.getColumn(0).getInt64() : 0;
                accepted.created = false;
                return accepted;
            }
        }
        // Only what a submission records: parsing the whole configuration cost more than the insert.
        auto config = load_config_head(db, submission.external_assignment_id);
        if (!config)
            throw_not_found(
                fmt::format("assignment '{}' has no grading configuration", submission.external_assignment_id));

        int64_t now = now_milliseconds();
        std::string at = iso8601(now);
        StoredSubmission stored;
        stored.config_id = config->id;
        stored.config_version = config->version;
        stored.submission = submission;
        if (stored.submission.language.empty()) stored.submission.language = first_language(config->languages);
        if (stored.submission.locale.empty()) stored.submission.locale = "en";
        stored.status = SubmissionStatus::pending;
        stored.submitted_at = at;

        SQLite::Statement insert(db,
                                 "INSERT INTO submissions (config_id, config_version, external_assignment_id, "
                                 "external_user_id, username, language, locale, metadata, baseline_result_tree, "
                                 "idempotency_key, status, submitted_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)");
        insert.bind(1, stored.config_id);
        insert.bind(2, stored.config_version);
        insert.bind(3, stored.submission.external_assignment_id);
        insert.bind(4, stored.submission.external_user_id);
        insert.bind(5, stored.submission.username);
        insert.bind(6, stored.submission.language);
        insert.bind(7, stored.submission.locale);
        insert.bind(8, json_column_text(stored.submission.metadata));
        insert.bind(9, json_column_text(stored.submission.baseline_result_tree));
        if (submission.idempotency_key.empty())
            insert.bind(10);
        else
            insert.bind(10, submission.idempotency_key);
        insert.bind(11, at);
        insert.exec();
        stored.id = db.getLastInsertRowid();

        SQLite::Statement file(db,
                               "INSERT INTO submission_files (submission_id, position, filename, content) "
                               "VALUES (?, ?, ?, ?)");
        for (std::size_t position = 0; position < submission.files.size(); ++position) {
            const auto& submitted = submission.files[position];
            file.bind(1, stored.id);
            file.bind(2, static_cast<int64_t>(position));
            file.bind(3, submitted.filename);
            file.bind(4, static_cast<const void*>(submitted.content.data()),
                      static_cast<int>(submitted.content.size()));
            file.exec();
            file.reset();
        }

        Accepted accepted;
        accepted.job_id = insert_job(db, JobKind::grade, stored.id, now, at);
        accepted.submission = std::move(stored);
        return accepted;
    });
}

std::optional<StoredSubmission> Store::submission(int64_t id, bool with_files) const {
    return impl_->read("reading a submission",
                       [&](SQLite::Database& db) { return load_submission(db, id, with_files); });
}

std::vector<StoredSubmission> Store::submissions_of_user(const std::string& external_user_id, int64_t limit,
                                                         int64_t offset) const {
    return impl_->read("listing submissions", [&](SQLite::Database& db) {
        return load_submissions_where(db, "external_user_id", external_user_id, limit, offset);
    });
}

std::vector<StoredSubmission> Store::submissions_of_assignment(const std::string& external_assignment_id, int64_t limit,
                                                               int64_t offset) const {
    return impl_->read("listing submissions", [&](SQLite::Database& db) {
        return load_submissions_where(db, "external_assignment_id", external_assignment_id, limit, offset);
    });
}

// --- code sessions and executions ---------------------------------------------------------------

CodeSession Store::create_session(const std::string& user_id, const std::string& problem_id,
                                  const std::string& language) {
    return impl_->write("creating a code session", [&](SQLite::Database& db) {
        std::string at = iso8601(now_milliseconds());
        SQLite::Statement insert(db,
                                 "INSERT INTO code_sessions (user_id, problem_id, language, code, status, created_at, "
                                 "updated_at) VALUES (?, ?, ?, '', 'ACTIVE', ?, ?)");
        insert.bind(1, user_id);
        insert.bind(2, problem_id);
        insert.bind(3, language);
        insert.bind(4, at);
        insert.bind(5, at);
        insert.exec();
        return *load_session(db, db.getLastInsertRowid());
    });
}

CodeSession Store::save_session_code(int64_t id, const std::string& code) {
    return impl_->write("saving a session's code", [&](SQLite::Database& db) {
        SQLite::Statement update(db, "UPDATE code_sessions SET code = ?, updated_at = ? WHERE id = ?");
        update.bind(1, code);
        update.bind(2, iso8601(now_milliseconds()));
        update.bind(3, id);
        if (update.exec() == 0) throw_not_found(fmt::format("no code session {}", id));
        return *load_session(db, id);
    });
}

std::optional<CodeSession> Store::session(int64_t id) const {
    return impl_->read("reading a code session", [&](SQLite::Database& db) { return load_session(db, id); });
}

Store::RunRequested Store::request_run(int64_t session_id, const std::optional<std::string>& code) {
    return impl_->write("requesting a run", [&](SQLite::Database& db) {
        auto session = load_session(db, session_id);
        if (!session) throw_not_found(fmt::format("no code session {}", session_id));
        SQLite::Statement active(db,
                                 "SELECT id FROM executions WHERE session_id = ? AND status IN ('QUEUED', 'RUNNING')");
        active.bind(1, session_id);
        if (active.executeStep()) {
            RunRequested existing;
            existing.execution = *load_execution(db, active.getColumn(0).getInt64());
            existing.job_id = 0;
            existing.created = false;
            return existing;
        }
        int64_t now = now_milliseconds();
        std::string at = iso8601(now);
        SQLite::Statement insert(db,
                                 "INSERT INTO executions (session_id, language, code, status, created_at) "
                                 "VALUES (?, ?, ?, 'QUEUED', ?)");
        insert.bind(1, session_id);
        insert.bind(2, session->language);
        insert.bind(3, code.value_or(session->code));
        insert.bind(4, at);
        insert.exec();
        int64_t execution_id = db.getLastInsertRowid();
        RunRequested requested;
        requested.job_id = insert_job(db, JobKind::run, execution_id, now, at);
        requested.execution = *load_execution(db, execution_id);
        requested.created = true;
        return requested;
    });
}

std::optional<Execution> Store::execution(int64_t id) const {
    return impl_->read("reading an execution", [&](SQLite::Database& db) { return load_execution(db, id); });
}

// --- jobs ---------------------------------------------------------------------------------------

std::optional<Job> Store::claim_job(const std::string& worker) {
    return impl_->write("claiming a job", [&](SQLite::Database& db) -> std::optional<Job> {
        int64_t now = now_milliseconds();
        SQLite::Statement next(db,
                               "SELECT id FROM jobs WHERE status = 'queued' AND available_at <= ? "
                               "ORDER BY priority, id LIMIT 1");
        next.bind(1, now);
        if (!next.executeStep()) return std::nullopt;
        int64_t id = next.getColumn(0).getInt64();
        std::string at = iso8601(now);
        SQLite::Statement claim(db,
                                "UPDATE jobs SET status = 'running', attempts = attempts + 1, updated_at = ? "
                                "WHERE id = ?");
        claim.bind(1, at);
        claim.bind(2, id);
        claim.exec();
        Job job = existing_job(db, id);
        SQLite::Statement attempt(db,
                                  "INSERT INTO job_attempts (job_id, attempt, worker, started_at) VALUES (?, ?, ?, ?)");
        attempt.bind(1, id);
        attempt.bind(2, job.attempts);
        attempt.bind(3, worker);
        attempt.bind(4, at);
        attempt.exec();
        mark_target_started(db, job, at);
        return job;
    });
}

bool Store::complete_grade_job(int64_t job_id, const StoredResult& result) {
    return impl_->write("writing a grading result", [&](SQLite::Database& db) {
        Job job = existing_job(db, job_id);
        if (job.kind != JobKind::grade)
            throw StoreError(StoreError::Kind::conflict, fmt::format("job {} runs code, it grades nothing", job_id));
        SQLite::Statement written(db, "SELECT 1 FROM results WHERE job_id = ? OR submission_id = ?");
        written.bind(1, job_id);
        written.bind(2, job.target_id);
        if (written.executeStep() || job.status == JobStatus::done) return false;

        std::string at = iso8601(now_milliseconds());
        SQLite::Statement insert(db,
                                 "INSERT INTO results (job_id, submission_id, final_score, body, created_at) "
                                 "VALUES (?, ?, ?, ?, ?)");
        insert.bind(1, job_id);
        insert.bind(2, job.target_id);
        if (std::isfinite(result.final_score))
            insert.bind(3, result.final_score);
        else
            insert.bind(3);
        insert.bind(4, json_column_text(result.body));
        insert.bind(5, at);
        insert.exec();
        SQLite::Statement graded(db,
                                 "UPDATE submissions SET status = 'completed', error = '', graded_at = ? WHERE id = ?");
        graded.bind(1, at);
        graded.bind(2, job.target_id);
        graded.exec();
        set_job_status(db, job_id, "done", "", at);
        finish_attempt(db, job_id, "done", "", at);
        return true;
    });
}

bool Store::complete_run_job(int64_t job_id, const ExecutionOutcome& outcome) {
    if (!is_terminal(outcome.status))
        throw std::invalid_argument(
            fmt::format("complete_run_job: {} is not a status a run ends with", to_string(outcome.status)));
    return impl_->write("writing a run's outcome", [&](SQLite::Database& db) {
        Job job = existing_job(db, job_id);
        if (job.kind != JobKind::run)
            throw StoreError(StoreError::Kind::conflict, fmt::format("job {} grades, it runs no code", job_id));
        auto execution = load_execution(db, job.target_id);
        if (!execution) throw_not_found(fmt::format("no execution {} (of job {})", job.target_id, job_id));
        if (is_terminal(execution->status) || job.status == JobStatus::done) return false;

        std::string at = iso8601(now_milliseconds());
        SQLite::Statement update(db,
                                 "UPDATE executions SET status = ?, stdout = ?, stderr = ?, exit_code = ?, "
                                 "execution_time_ms = ?, run_report = ?, finished_at = ?, "
                                 "started_at = COALESCE(started_at, ?) WHERE id = ?");
        update.bind(1, std::string(to_string(outcome.status)));
        update.bind(2, outcome.stdout_text);
        update.bind(3, outcome.stderr_text);
        if (outcome.exit_code)
            update.bind(4, *outcome.exit_code);
        else
            update.bind(4);
        update.bind(5, outcome.execution_time_ms);
        update.bind(6, json_column_text(outcome.run_report));
        update.bind(7, at);
        update.bind(8, at);
        update.bind(9, job.target_id);
        update.exec();
        set_job_status(db, job_id, "done", "", at);
        finish_attempt(db, job_id, "done", "", at);
        return true;
    });
}

bool Store::retry_job(int64_t job_id, const std::string& error, std::chrono::milliseconds backoff) {
    return impl_->write("retrying a job", [&](SQLite::Database& db) {
        Job job = existing_job(db, job_id);
        if (job.status != JobStatus::running) return false;  // nothing under way to retry
        int64_t now = now_milliseconds();
        std::string at = iso8601(now);
        if (job.attempts < job.max_attempts) {
            SQLite::Statement requeue(db,
                                      "UPDATE jobs SET status = 'queued', available_at = ?, last_error = ?, "
                                      "updated_at = ? WHERE id = ?");
            requeue.bind(1, now + clamped(backoff.count()));
            requeue.bind(2, error);
            requeue.bind(3, at);
            requeue.bind(4, job_id);
            requeue.exec();
            finish_attempt(db, job_id, "retry", error, at);
            mark_target_waiting(db, job);
            return true;
        }
        set_job_status(db, job_id, "failed", error, at);
        finish_attempt(db, job_id, "failed", error, at);
        mark_target_failed(db, job, error, at);
        return false;
    });
}

void Store::fail_job(int64_t job_id, const std::string& error) {
    impl_->write("failing a job", [&](SQLite::Database& db) {
        Job job = existing_job(db, job_id);
        if (job.status == JobStatus::done || job.status == JobStatus::failed) return;  // it ended already
        std::string at = iso8601(now_milliseconds());
        set_job_status(db, job_id, "failed", error, at);
        finish_attempt(db, job_id, "failed", error, at);
        mark_target_failed(db, job, error, at);
    });
}

void Store::release_job(int64_t job_id) {
    impl_->write("releasing a job", [&](SQLite::Database& db) {
        Job job = existing_job(db, job_id);
        if (job.status != JobStatus::running) return;
        int64_t now = now_milliseconds();
        std::string at = iso8601(now);
        SQLite::Statement release(db,
                                  "UPDATE jobs SET status = 'queued', attempts = MAX(attempts - 1, 0), "
                                  "available_at = ?, updated_at = ? WHERE id = ?");
        release.bind(1, now);
        release.bind(2, at);
        release.bind(3, job_id);
        release.exec();
        finish_attempt(db, job_id, "released", "", at);
        mark_target_waiting(db, job);
    });
}

int64_t Store::requeue_abandoned_jobs() {
    return impl_->write("requeueing abandoned jobs", [&](SQLite::Database& db) {
        std::vector<Job> abandoned;
        {
            SQLite::Statement running(db, std::string(kJobColumns) + "WHERE status = 'running' ORDER BY id");
            while (running.executeStep()) abandoned.push_back(job_of_row(running));
        }
        int64_t now = now_milliseconds();
        std::string at = iso8601(now);
        SQLite::Statement requeue(db,
                                  "UPDATE jobs SET status = 'queued', available_at = ?, updated_at = ? WHERE id = ?");
        int64_t requeued = 0;
        for (const Job& job : abandoned) {
            finish_attempt(db, job.id, "abandoned", "the process running it ended", at);
            // A job that takes the process down every time (it crashed it, or exhausted it) must
            // end: its abandoned attempts count like any other.
            if (job.attempts >= job.max_attempts) {
                const std::string error =
                    fmt::format("the process grading it ended during each of its {} attempts", job.attempts);
                set_job_status(db, job.id, "failed", error, at);
                mark_target_failed(db, job, error, at);
                continue;
            }
            requeue.bind(1, now);
            requeue.bind(2, at);
            requeue.bind(3, job.id);
            requeue.exec();
            requeue.reset();
            mark_target_waiting(db, job);
            ++requeued;
        }
        return requeued;
    });
}

std::optional<Job> Store::job(int64_t id) const {
    return impl_->read("reading a job", [&](SQLite::Database& db) { return load_job(db, id); });
}

std::vector<JobAttempt> Store::job_attempts(int64_t job_id) const {
    return impl_->read("reading a job's attempts", [&](SQLite::Database& db) {
        SQLite::Statement query(db,
                                "SELECT attempt, worker, started_at, finished_at, outcome, error FROM job_attempts "
                                "WHERE job_id = ? ORDER BY id");
        query.bind(1, job_id);
        std::vector<JobAttempt> attempts;
        while (query.executeStep()) {
            JobAttempt attempt;
            attempt.attempt = query.getColumn(0).getInt();
            attempt.worker = text_of(query.getColumn(1));
            attempt.started_at = text_of(query.getColumn(2));
            attempt.finished_at = optional_text_of(query.getColumn(3));
            attempt.outcome = text_of(query.getColumn(4));
            attempt.error = text_of(query.getColumn(5));
            attempts.push_back(std::move(attempt));
        }
        return attempts;
    });
}

std::optional<Job> Store::job_of_submission(int64_t submission_id) const {
    return impl_->read("reading a submission's job", [&](SQLite::Database& db) -> std::optional<Job> {
        SQLite::Statement query(db, std::string(kJobColumns) + "WHERE kind = 'grade' AND target_id = ?");
        query.bind(1, submission_id);
        if (!query.executeStep()) return std::nullopt;
        return job_of_row(query);
    });
}

JobCounts Store::job_counts() const {
    return impl_->read("counting jobs", [&](SQLite::Database& db) {
        JobCounts counts;
        for (JobStatus status : {JobStatus::queued, JobStatus::running, JobStatus::done, JobStatus::failed})
            counts.by_status[std::string(to_string(status))] = 0;
        SQLite::Statement query(db, "SELECT status, COUNT(*) FROM jobs GROUP BY status");
        while (query.executeStep()) counts.by_status[text_of(query.getColumn(0))] = query.getColumn(1).getInt64();
        counts.waiting = counts.by_status["queued"];
        return counts;
    });
}

std::optional<std::chrono::system_clock::time_point> Store::next_backoff_end() const {
    return impl_->read(
        "reading the next backoff", [&](SQLite::Database& db) -> std::optional<std::chrono::system_clock::time_point> {
            SQLite::Statement query(db,
                                    "SELECT MIN(available_at) FROM jobs WHERE status = 'queued' AND available_at > ?");
            query.bind(1, now_milliseconds());
            if (!query.executeStep() || query.getColumn(0).isNull()) return std::nullopt;
            return std::chrono::system_clock::time_point(std::chrono::milliseconds(query.getColumn(0).getInt64()));
        });
}

}  // namespace autograder
