// The Store's operations, written once in the SQL that SQLite and PostgreSQL both speak, against
// the backend the options name (store/sql.hpp). Each operation is one transaction. Where a
// read-modify-write must not interleave with another server's (PostgreSQL), its first read locks
// the rows it reads (`lock_rows`, empty on SQLite, whose write transaction holds the whole file);
// a unique rule that two writers could both pass is an INSERT ... ON CONFLICT.
#include "autograder/store.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>
#include <unordered_map>

#include <fmt/format.h>

#include "store/migrations.hpp"
#include "store/postgres_backend.hpp"
#include "store/sql.hpp"
#include "store/sqlite_backend.hpp"
#include "store/timestamps.hpp"
#include "text/utf8.hpp"

namespace autograder {

using store::iso8601;
using store::now_milliseconds;
using store::SqlConnection;
using store::SqlRow;
using store::SqlValue;

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

// JSON as stored in a TEXT column (invalid UTF-8 repaired, never throws).
SqlValue json_text(const nlohmann::json& value) {
    return SqlValue(text::json_text(value));
}

// NULL or unparsable text: null.
nlohmann::json json_of(const SqlValue& value) {
    if (value.is_null()) return nullptr;
    auto parsed = nlohmann::json::parse(value.text(), nullptr, /*allow_exceptions=*/false);
    return parsed.is_discarded() ? nlohmann::json() : parsed;
}

// The id an INSERT ... RETURNING id returned.
int64_t inserted_id(SqlConnection& db, const std::string& sql, const store::SqlParams& params) {
    auto row = db.first(sql, params);
    if (!row) throw StoreError(StoreError::Kind::io, "an insert returned no id");
    return (*row)[0].integer();
}

// --- reading rows -------------------------------------------------------------------------------

constexpr const char* kConfigColumns =
    "SELECT c.id, c.external_assignment_id, v.version, v.template_name, v.criteria_config, v.languages, "
    "v.setup_config, v.feedback_config, v.include_feedback, c.is_active, c.created_at, v.created_at, "
    "v.extensions "
    "FROM grading_configs c JOIN grading_config_versions v ON v.config_id = c.id ";

StoredConfig config_of_row(const SqlRow& row) {
    StoredConfig config;
    config.id = row[0].integer();
    config.external_assignment_id = row[1].text();
    config.version = static_cast<int>(row[2].integer());
    config.document.template_name = json_of(row[3]);
    config.document.criteria_config = json_of(row[4]);
    config.document.languages = json_of(row[5]);
    config.document.setup_config = json_of(row[6]);
    config.document.feedback_config = json_of(row[7]);
    config.document.include_feedback = row[8].integer() != 0;
    config.is_active = row[9].integer() != 0;
    config.created_at = row[10].text();
    config.updated_at = row[11].text();
    config.document.extensions = json_of(row[12]);
    if (!config.document.extensions.is_object()) config.document.extensions = nlohmann::json::object();
    return config;
}

std::optional<StoredConfig> load_config(SqlConnection& db, int64_t id, std::optional<int> version) {
    auto row = db.first(std::string(kConfigColumns) + "WHERE c.id = ? AND v.version = COALESCE(?, c.latest_version)",
                        {id, version});
    if (!row) return std::nullopt;
    return config_of_row(*row);
}

std::optional<StoredConfig> load_config_of_assignment(SqlConnection& db, const std::string& assignment) {
    auto row =
        db.first(std::string(kConfigColumns) + "WHERE c.external_assignment_id = ? AND v.version = c.latest_version",
                 {assignment});
    if (!row) return std::nullopt;
    return config_of_row(*row);
}

std::optional<ConfigHead> load_config_head(SqlConnection& db, const std::string& assignment) {
    auto row = db.first(
        "SELECT c.id, c.latest_version, v.languages FROM grading_configs c "
        "JOIN grading_config_versions v ON v.config_id = c.id AND v.version = c.latest_version "
        "WHERE c.external_assignment_id = ?",
        {assignment});
    if (!row) return std::nullopt;
    ConfigHead head;
    head.id = (*row)[0].integer();
    head.version = static_cast<int>((*row)[1].integer());
    head.languages = json_of((*row)[2]);
    return head;
}

constexpr const char* kSubmissionColumns =
    "SELECT s.id, s.config_id, s.config_version, s.external_assignment_id, s.external_user_id, s.username, "
    "s.language, s.locale, s.metadata, s.baseline_result_tree, s.idempotency_key, s.status, s.error, "
    "s.submitted_at, s.graded_at, r.job_id, r.final_score, r.body, r.created_at "
    "FROM submissions s LEFT JOIN results r ON r.submission_id = s.id ";

std::vector<SubmittedFile> load_files(SqlConnection& db, int64_t submission_id) {
    std::vector<SubmittedFile> files;
    for (const SqlRow& row :
         db.query("SELECT filename, content FROM submission_files WHERE submission_id = ? ORDER BY position",
                  {submission_id}))
        files.push_back({row[0].text(), row[1].text()});
    return files;
}

StoredSubmission submission_of_row(const SqlRow& row) {
    StoredSubmission stored;
    stored.id = row[0].integer();
    stored.config_id = row[1].integer();
    stored.config_version = static_cast<int>(row[2].integer());
    stored.submission.external_assignment_id = row[3].text();
    stored.submission.external_user_id = row[4].text();
    stored.submission.username = row[5].text();
    stored.submission.language = row[6].text();
    stored.submission.locale = row[7].text();
    stored.submission.metadata = json_of(row[8]);
    stored.submission.baseline_result_tree = json_of(row[9]);
    stored.submission.idempotency_key = row[10].text();
    stored.status = submission_status_of(row[11].text());
    stored.error = row[12].text();
    stored.submitted_at = row[13].text();
    stored.graded_at = row[14].optional_text();
    if (!row[15].is_null()) {
        StoredResult result;
        result.job_id = row[15].integer();
        result.final_score = row[16].is_null() ? std::nan("") : row[16].real();
        result.body = json_of(row[17]);
        result.created_at = row[18].text();
        stored.result = std::move(result);
    }
    return stored;
}

std::optional<StoredSubmission> load_submission(SqlConnection& db, int64_t id, bool with_files) {
    auto row = db.first(std::string(kSubmissionColumns) + "WHERE s.id = ?", {id});
    if (!row) return std::nullopt;
    StoredSubmission stored = submission_of_row(*row);
    if (with_files) stored.submission.files = load_files(db, id);
    return stored;
}

std::vector<StoredSubmission> load_submissions_where(SqlConnection& db, const char* column, const std::string& value,
                                                     int64_t limit, int64_t offset) {
    // Newest first: a course platform shows a student's latest submission on top.
    std::vector<StoredSubmission> submissions;
    for (const SqlRow& row :
         db.query(fmt::format("{}WHERE s.{} = ? ORDER BY s.id DESC LIMIT ? OFFSET ?", kSubmissionColumns, column),
                  {value, clamped(limit), clamped(offset)}))
        submissions.push_back(submission_of_row(row));
    return submissions;
}

// `lock`: hold the session's row until the transaction ends (see the file's comment).
std::optional<CodeSession> load_session(SqlConnection& db, int64_t id, bool lock = false) {
    auto row = db.first(fmt::format("SELECT id, user_id, problem_id, language, code, status, created_at, "
                                    "updated_at FROM code_sessions WHERE id = ?{}",
                                    lock ? db.lock_rows() : ""),
                        {id});
    if (!row) return std::nullopt;
    CodeSession session;
    session.id = (*row)[0].integer();
    session.user_id = (*row)[1].text();
    session.problem_id = (*row)[2].text();
    session.language = (*row)[3].text();
    session.code = (*row)[4].text();
    session.status = (*row)[5].text();
    session.created_at = (*row)[6].text();
    session.updated_at = (*row)[7].text();
    return session;
}

std::optional<Execution> load_execution(SqlConnection& db, int64_t id) {
    auto row = db.first(
        "SELECT id, session_id, language, code, status, stdout, stderr, exit_code, "
        "execution_time_ms, run_report, created_at, started_at, finished_at, stdin "
        "FROM executions WHERE id = ?",
        {id});
    if (!row) return std::nullopt;
    const SqlRow& r = *row;
    Execution execution;
    execution.id = r[0].integer();
    execution.session_id = r[1].integer();
    execution.language = r[2].text();
    execution.code = r[3].text();
    execution.status = execution_status_of(r[4].text());
    execution.stdout_text = r[5].text();
    execution.stderr_text = r[6].text();
    if (!r[7].is_null()) execution.exit_code = static_cast<int>(r[7].integer());
    if (!r[8].is_null()) execution.execution_time_ms = r[8].integer();
    execution.run_report = json_of(r[9]);
    execution.created_at = r[10].text();
    execution.started_at = r[11].optional_text();
    execution.finished_at = r[12].optional_text();
    execution.stdin_text = r[13].optional_text();
    return execution;
}

constexpr const char* kJobColumns =
    "SELECT id, kind, target_id, status, attempts, max_attempts, last_error, created_at, owner FROM jobs ";

Job job_of_row(const SqlRow& row) {
    Job job;
    job.id = row[0].integer();
    job.kind = row[1].text() == "run" ? JobKind::run : JobKind::grade;
    job.target_id = row[2].integer();
    job.status = job_status_of(row[3].text());
    job.attempts = static_cast<int>(row[4].integer());
    job.max_attempts = static_cast<int>(row[5].integer());
    job.last_error = row[6].text();
    job.created_at = row[7].text();
    return job;
}

std::optional<Job> load_job(SqlConnection& db, int64_t id) {
    auto row = db.first(std::string(kJobColumns) + "WHERE id = ?", {id});
    if (!row) return std::nullopt;
    return job_of_row(*row);
}

// The job about to change state, its row held until the transaction ends: two servers finishing,
// retrying or releasing one job take turns.
Job existing_job(SqlConnection& db, int64_t id) {
    auto row = db.first(fmt::format("{}WHERE id = ?{}", kJobColumns, db.lock_rows()), {id});
    if (!row) throw_not_found(fmt::format("no job {}", id));
    return job_of_row(*row);
}

// --- writing rows -------------------------------------------------------------------------------

int64_t insert_job(SqlConnection& db, JobKind kind, int64_t target_id, int64_t now, const std::string& at) {
    return inserted_id(db,
                       "INSERT INTO jobs (kind, priority, target_id, status, attempts, max_attempts, "
                       "available_at, created_at, updated_at) VALUES (?, ?, ?, 'queued', 0, ?, ?, ?, ?) RETURNING id",
                       {std::string(to_string(kind)), kind == JobKind::run ? kRunPriority : kGradePriority, target_id,
                        kMaxAttempts, now, at, at});
}

// Ends the attempt that is under way, if one is (a job released or retried twice ends none).
void finish_attempt(SqlConnection& db, int64_t job_id, const std::string& outcome, const std::string& error,
                    const std::string& at) {
    db.execute(
        "UPDATE job_attempts SET finished_at = ?, outcome = ?, error = ? WHERE job_id = ? AND finished_at IS NULL",
        {at, outcome, error, job_id});
}

void set_job_status(SqlConnection& db, int64_t job_id, const char* status, const std::string& last_error,
                    const std::string& at) {
    db.execute("UPDATE jobs SET status = ?, last_error = ?, updated_at = ? WHERE id = ?",
               {status, last_error, at, job_id});
}

// The job's submission `processing` / execution RUNNING.
void mark_target_started(SqlConnection& db, const Job& job, const std::string& at) {
    if (job.kind == JobKind::grade)
        db.execute("UPDATE submissions SET status = 'processing' WHERE id = ? AND status = 'pending'", {job.target_id});
    else
        db.execute("UPDATE executions SET status = 'RUNNING', started_at = ? WHERE id = ? AND status = 'QUEUED'",
                   {at, job.target_id});
}

// The job's submission back to `pending` / execution back to QUEUED: it waits for another attempt.
void mark_target_waiting(SqlConnection& db, const Job& job) {
    if (job.kind == JobKind::grade)
        db.execute("UPDATE submissions SET status = 'pending' WHERE id = ? AND status = 'processing'", {job.target_id});
    else
        db.execute("UPDATE executions SET status = 'QUEUED', started_at = NULL WHERE id = ? AND status = 'RUNNING'",
                   {job.target_id});
}

// The grading run the job is part of, if any, takes its next step once the job ended (defined with
// the grading runs below).
void advance_grading_run(SqlConnection& db, const Job& job, const std::string& at);

// The job's submission `failed` / execution FAILED (the error as its stderr), unless it finished;
// its grading run, if any, goes on.
void mark_target_failed(SqlConnection& db, const Job& job, const std::string& error, const std::string& at) {
    if (job.kind == JobKind::grade)
        db.execute(
            "UPDATE submissions SET status = 'failed', error = ? WHERE id = ? AND status IN ('pending', 'processing')",
            {error, job.target_id});
    else
        db.execute(
            "UPDATE executions SET status = 'FAILED', stderr = ?, finished_at = ? "
            "WHERE id = ? AND status IN ('QUEUED', 'RUNNING')",
            {error, at, job.target_id});
    advance_grading_run(db, job, at);
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
    explicit Impl(std::unique_ptr<store::StoreBackend> backend) : backend_(std::move(backend)) {}

    template <class Change>
    auto write(std::string_view doing, Change&& change) {
        return run(doing, std::forward<Change>(change), true);
    }
    template <class Query>
    auto read(std::string_view doing, Query&& query) {
        return run(doing, std::forward<Query>(query), false);
    }

    store::StoreBackend& backend() { return *backend_; }

private:
    template <class Operation>
    auto run(std::string_view doing, Operation&& operation, bool writes) {
        using Result = decltype(operation(std::declval<SqlConnection&>()));
        if constexpr (std::is_void_v<Result>) {
            auto body = [&](SqlConnection& db) { operation(db); };
            writes ? backend_->write(doing, body) : backend_->read(doing, body);
        } else {
            std::optional<Result> result;
            auto body = [&](SqlConnection& db) { result.emplace(operation(db)); };
            writes ? backend_->write(doing, body) : backend_->read(doing, body);
            return std::move(*result);
        }
    }

    std::unique_ptr<store::StoreBackend> backend_;
};

std::unique_ptr<Store> Store::open(const StoreOptions& options) {
    if (!options.url.empty() && !is_postgres_url(options.url))
        throw StoreError(StoreError::Kind::io,
                         fmt::format("the store's URL '{}' is refused: give a postgresql:// or postgres:// URL",
                                     redact_store_location(options.url)));
    auto backend = options.url.empty() ? store::open_sqlite_backend(options) : store::open_postgres_backend(options);
    return std::unique_ptr<Store>(new Store(std::make_unique<Impl>(std::move(backend))));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

int Store::schema_version() const {
    return impl_->backend().schema_version();
}
int Store::supported_schema_version() {
    return store::newest_schema_version();
}

// --- grading configurations ---------------------------------------------------------------------

namespace {

void insert_config_version(SqlConnection& db, int64_t config_id, int version, const ConfigDocument& document,
                           const std::string& at) {
    db.execute(
        "INSERT INTO grading_config_versions (config_id, version, template_name, criteria_config, languages, "
        "setup_config, feedback_config, include_feedback, created_at, extensions) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {config_id, version, json_text(document.template_name), json_text(document.criteria_config),
         json_text(document.languages), json_text(document.setup_config), json_text(document.feedback_config),
         document.include_feedback ? 1 : 0, at,
         json_text(document.extensions.is_object() ? document.extensions : nlohmann::json::object())});
}

}  // namespace

StoredConfig Store::create_config(const std::string& external_assignment_id, const ConfigDocument& document) {
    return impl_->write("creating a configuration", [&](SqlConnection& db) {
        std::string at = iso8601(now_milliseconds());
        auto created = db.first(
            "INSERT INTO grading_configs (external_assignment_id, latest_version, is_active, created_at, updated_at) "
            "VALUES (?, 1, 1, ?, ?) ON CONFLICT (external_assignment_id) DO NOTHING RETURNING id",
            {external_assignment_id, at, at});
        if (!created) {
            auto existing =
                db.first("SELECT id FROM grading_configs WHERE external_assignment_id = ?", {external_assignment_id});
            throw StoreError(StoreError::Kind::conflict,
                             fmt::format("assignment '{}' already has a configuration (id {})", external_assignment_id,
                                         existing ? (*existing)[0].integer() : 0));
        }
        int64_t id = (*created)[0].integer();
        insert_config_version(db, id, 1, document, at);
        return *load_config(db, id, std::nullopt);
    });
}

StoredConfig Store::update_config(int64_t id, const ConfigDocument& document) {
    return impl_->write("updating a configuration", [&](SqlConnection& db) {
        auto latest =
            db.first(fmt::format("SELECT latest_version FROM grading_configs WHERE id = ?{}", db.lock_rows()), {id});
        if (!latest) throw_not_found(fmt::format("no configuration {}", id));
        int version = static_cast<int>((*latest)[0].integer()) + 1;
        std::string at = iso8601(now_milliseconds());
        insert_config_version(db, id, version, document, at);
        db.execute("UPDATE grading_configs SET latest_version = ?, updated_at = ? WHERE id = ?", {version, at, id});
        return *load_config(db, id, std::nullopt);
    });
}

std::optional<StoredConfig> Store::config(int64_t id, std::optional<int> version) const {
    return impl_->read("reading a configuration", [&](SqlConnection& db) { return load_config(db, id, version); });
}

std::optional<StoredConfig> Store::config_by_assignment(const std::string& external_assignment_id) const {
    return impl_->read("reading a configuration",
                       [&](SqlConnection& db) { return load_config_of_assignment(db, external_assignment_id); });
}

std::optional<ConfigHead> Store::config_head(const std::string& external_assignment_id) const {
    return impl_->read("reading a configuration",
                       [&](SqlConnection& db) { return load_config_head(db, external_assignment_id); });
}

std::vector<StoredConfig> Store::list_configs(int64_t limit, int64_t offset) const {
    return impl_->read("listing configurations", [&](SqlConnection& db) {
        std::vector<StoredConfig> configs;
        for (const SqlRow& row :
             db.query(std::string(kConfigColumns) + "WHERE v.version = c.latest_version ORDER BY c.id LIMIT ? OFFSET ?",
                      {clamped(limit), clamped(offset)}))
            configs.push_back(config_of_row(row));
        return configs;
    });
}

int64_t Store::count_configs() const {
    return impl_->read("counting configurations", [&](SqlConnection& db) {
        return (*db.first("SELECT COUNT(*) FROM grading_configs"))[0].integer();
    });
}

// --- submissions --------------------------------------------------------------------------------

namespace {

// The submission an idempotency key names, with its job, as accept_submission returns it.
std::optional<Store::Accepted> accepted_earlier(SqlConnection& db, const std::string& idempotency_key) {
    auto earlier = db.first("SELECT id FROM submissions WHERE idempotency_key = ?", {idempotency_key});
    if (!earlier) return std::nullopt;
    int64_t id = (*earlier)[0].integer();
    Store::Accepted accepted;
    accepted.submission = *load_submission(db, id, true);
    auto job = db.first("SELECT id FROM jobs WHERE kind = 'grade' AND target_id = ?", {id});
    accepted.job_id = job ? (*job)[0].integer() : 0;
    accepted.created = false;
    return accepted;
}

// Inserts the submission (pending, against `config`) with its files: its row, or nullopt when its
// idempotency key names a submission another server accepted since the caller looked.
std::optional<StoredSubmission> insert_submission(SqlConnection& db, const NewSubmission& submission,
                                                  const ConfigHead& config, const std::string& at) {
    StoredSubmission stored;
    stored.config_id = config.id;
    stored.config_version = config.version;
    stored.submission = submission;
    if (stored.submission.language.empty()) stored.submission.language = first_language(config.languages);
    if (stored.submission.locale.empty()) stored.submission.locale = "en";
    stored.status = SubmissionStatus::pending;
    stored.submitted_at = at;
    const std::string& key = submission.idempotency_key;
    // The unique key decides between servers accepting the same key at once.
    auto inserted = db.first(
        "INSERT INTO submissions (config_id, config_version, external_assignment_id, external_user_id, username, "
        "language, locale, metadata, baseline_result_tree, idempotency_key, status, submitted_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
        {stored.config_id, stored.config_version, stored.submission.external_assignment_id,
         stored.submission.external_user_id, stored.submission.username, stored.submission.language,
         stored.submission.locale, json_text(stored.submission.metadata),
         json_text(stored.submission.baseline_result_tree), key.empty() ? SqlValue() : SqlValue(key), at});
    if (!inserted) return std::nullopt;
    stored.id = (*inserted)[0].integer();
    for (std::size_t position = 0; position < submission.files.size(); ++position) {
        const auto& submitted = submission.files[position];
        db.execute("INSERT INTO submission_files (submission_id, position, filename, content) VALUES (?, ?, ?, ?)",
                   {stored.id, static_cast<int64_t>(position), submitted.filename, SqlValue::bytes(submitted.content)});
    }
    return stored;
}

}  // namespace

Store::Accepted Store::accept_submission(const NewSubmission& submission) {
    return impl_->write("accepting a submission", [&](SqlConnection& db) {
        const std::string& key = submission.idempotency_key;
        if (!key.empty())
            if (auto earlier = accepted_earlier(db, key)) return std::move(*earlier);
        // Only what a submission records: parsing the whole configuration cost more than the insert.
        auto config = load_config_head(db, submission.external_assignment_id);
        if (!config)
            throw_not_found(
                fmt::format("assignment '{}' has no grading configuration", submission.external_assignment_id));

        int64_t now = now_milliseconds();
        std::string at = iso8601(now);
        auto stored = insert_submission(db, submission, *config, at);
        if (!stored) return std::move(*accepted_earlier(db, key));
        Accepted accepted;
        accepted.job_id = insert_job(db, JobKind::grade, stored->id, now, at);
        accepted.submission = std::move(*stored);
        return accepted;
    });
}

std::optional<StoredSubmission> Store::submission(int64_t id, bool with_files) const {
    return impl_->read("reading a submission", [&](SqlConnection& db) {
        auto stored = load_submission(db, id, with_files);
        if (!stored || stored->status != SubmissionStatus::pending) return stored;
        // Claims take queued jobs by (priority, id): those before this one's are ahead of it.
        auto ahead = db.first(
            "SELECT COUNT(*) FROM jobs j, jobs mine WHERE mine.kind = 'grade' AND mine.target_id = ? "
            "AND mine.status = 'queued' AND j.status = 'queued' "
            "AND (j.priority < mine.priority OR (j.priority = mine.priority AND j.id < mine.id))",
            {id});
        auto queued = db.first("SELECT 1 FROM jobs WHERE kind = 'grade' AND target_id = ? AND status = 'queued'", {id});
        if (ahead && queued) stored->queue_position = (*ahead)[0].integer() + 1;
        return stored;
    });
}

std::vector<StoredSubmission> Store::submissions_of_user(const std::string& external_user_id, int64_t limit,
                                                         int64_t offset) const {
    return impl_->read("listing submissions", [&](SqlConnection& db) {
        return load_submissions_where(db, "external_user_id", external_user_id, limit, offset);
    });
}

std::vector<StoredSubmission> Store::submissions_of_assignment(const std::string& external_assignment_id, int64_t limit,
                                                               int64_t offset) const {
    return impl_->read("listing submissions", [&](SqlConnection& db) {
        return load_submissions_where(db, "external_assignment_id", external_assignment_id, limit, offset);
    });
}

// --- code sessions and executions ---------------------------------------------------------------

CodeSession Store::create_session(const std::string& user_id, const std::string& problem_id,
                                  const std::string& language) {
    return impl_->write("creating a code session", [&](SqlConnection& db) {
        std::string at = iso8601(now_milliseconds());
        int64_t id = inserted_id(db,
                                 "INSERT INTO code_sessions (user_id, problem_id, language, code, status, created_at, "
                                 "updated_at) VALUES (?, ?, ?, '', 'ACTIVE', ?, ?) RETURNING id",
                                 {user_id, problem_id, language, at, at});
        return *load_session(db, id);
    });
}

CodeSession Store::save_session_code(int64_t id, const std::string& code) {
    return impl_->write("saving a session's code", [&](SqlConnection& db) {
        if (db.execute("UPDATE code_sessions SET code = ?, updated_at = ? WHERE id = ?",
                       {code, iso8601(now_milliseconds()), id}) == 0)
            throw_not_found(fmt::format("no code session {}", id));
        return *load_session(db, id);
    });
}

std::optional<CodeSession> Store::session(int64_t id) const {
    return impl_->read("reading a code session", [&](SqlConnection& db) { return load_session(db, id); });
}

Store::RunRequested Store::request_run(int64_t session_id, const std::optional<std::string>& code) {
    return impl_->write("requesting a run", [&](SqlConnection& db) {
        // The session's row held: two servers asked for a run at once take turns, the second
        // finds the first's execution.
        auto session = load_session(db, session_id, /*lock=*/true);
        if (!session) throw_not_found(fmt::format("no code session {}", session_id));
        if (auto active = db.first("SELECT id FROM executions WHERE session_id = ? AND status IN ('QUEUED', 'RUNNING')",
                                   {session_id})) {
            RunRequested existing;
            existing.execution = *load_execution(db, (*active)[0].integer());
            existing.job_id = 0;
            existing.created = false;
            return existing;
        }
        int64_t now = now_milliseconds();
        std::string at = iso8601(now);
        int64_t execution_id = inserted_id(db,
                                           "INSERT INTO executions (session_id, language, code, status, created_at) "
                                           "VALUES (?, ?, ?, 'QUEUED', ?) RETURNING id",
                                           {session_id, session->language, code.value_or(session->code), at});
        RunRequested requested;
        requested.job_id = insert_job(db, JobKind::run, execution_id, now, at);
        requested.execution = *load_execution(db, execution_id);
        requested.created = true;
        return requested;
    });
}

std::optional<Execution> Store::execution(int64_t id) const {
    return impl_->read("reading an execution", [&](SqlConnection& db) { return load_execution(db, id); });
}

// --- grading runs -------------------------------------------------------------------------------

namespace {

constexpr const char* kRunColumns =
    "SELECT id, external_assignment_id, status, error, session_id, pre_language, pre_code, pre_execution_id, "
    "post_language, post_code, post_execution_id, created_at, finished_at FROM grading_runs ";

GradingRunStatus run_status_of(const std::string& text) {
    if (text == "pre_processing") return GradingRunStatus::pre_processing;
    if (text == "post_processing") return GradingRunStatus::post_processing;
    if (text == "completed") return GradingRunStatus::completed;
    if (text == "failed") return GradingRunStatus::failed;
    return GradingRunStatus::grading;
}

std::optional<RunProgram> program_of(const SqlValue& language, const SqlValue& code) {
    if (language.is_null()) return std::nullopt;
    return RunProgram{language.text(), code.text()};
}

struct RunRow {
    GradingRun run;
    int64_t session_id = 0;
    std::optional<int64_t> pre_execution_id, post_execution_id;
};

// `lock`: hold the run's row until the transaction ends, so that two servers finishing its last
// two students take turns, and the second sees the first's (see the file's comment).
std::optional<RunRow> load_run_row(SqlConnection& db, int64_t id, bool lock) {
    auto row = db.first(fmt::format("{}WHERE id = ?{}", kRunColumns, lock ? db.lock_rows() : ""), {id});
    if (!row) return std::nullopt;
    const SqlRow& r = *row;
    RunRow loaded;
    loaded.run.id = r[0].integer();
    loaded.run.external_assignment_id = r[1].text();
    loaded.run.status = run_status_of(r[2].text());
    loaded.run.error = r[3].text();
    loaded.session_id = r[4].integer();
    loaded.run.pre_job = program_of(r[5], r[6]);
    if (!r[7].is_null()) loaded.pre_execution_id = r[7].integer();
    loaded.run.post_job = program_of(r[8], r[9]);
    if (!r[10].is_null()) loaded.post_execution_id = r[10].integer();
    loaded.run.created_at = r[11].text();
    loaded.run.finished_at = r[12].optional_text();
    return loaded;
}

std::vector<GradingRunStudent> load_run_students(SqlConnection& db, int64_t run_id, bool with_results) {
    std::vector<GradingRunStudent> students;
    for (const SqlRow& row :
         db.query(fmt::format("SELECT s.id, s.external_user_id, s.username, s.status, s.error, r.job_id, "
                              "r.final_score, {}, r.created_at FROM grading_run_submissions g "
                              "JOIN submissions s ON s.id = g.submission_id "
                              "LEFT JOIN results r ON r.submission_id = s.id WHERE g.run_id = ? ORDER BY s.id",
                              with_results ? "r.body" : "NULL"),
                  {run_id})) {
        GradingRunStudent student;
        student.submission_id = row[0].integer();
        student.external_user_id = row[1].text();
        student.username = row[2].text();
        student.status = submission_status_of(row[3].text());
        student.error = row[4].text();
        if (!row[5].is_null()) {
            StoredResult result;
            result.job_id = row[5].integer();
            result.final_score = row[6].is_null() ? std::nan("") : row[6].real();
            result.body = with_results ? json_of(row[7]) : nlohmann::json::object();
            result.created_at = row[8].text();
            student.result = std::move(result);
        }
        students.push_back(std::move(student));
    }
    return students;
}

GradingRun load_whole_run(SqlConnection& db, RunRow row, bool with_results) {
    GradingRun run = std::move(row.run);
    if (row.pre_execution_id) run.pre_execution = load_execution(db, *row.pre_execution_id);
    if (row.post_execution_id) run.post_execution = load_execution(db, *row.post_execution_id);
    run.students = load_run_students(db, run.id, with_results);
    return run;
}

// The run's program as a QUEUED execution on the run's session, reading `stdin`, and its run job.
int64_t start_run_program(SqlConnection& db, int64_t session_id, const RunProgram& program, const std::string& stdin,
                          int64_t now, const std::string& at) {
    int64_t execution_id = inserted_id(db,
                                       "INSERT INTO executions (session_id, language, code, status, stdin, created_at) "
                                       "VALUES (?, ?, ?, 'QUEUED', ?, ?) RETURNING id",
                                       {session_id, program.language, program.code, stdin, at});
    insert_job(db, JobKind::run, execution_id, now, at);
    return execution_id;
}

// What the program reads on its stdin: the run as GET /grading-runs/{id} shows it (with every
// student and, after the gradings, their results and the class summary), without the programs.
std::string run_document(SqlConnection& db, const RunRow& row, const char* stage) {
    nlohmann::json document = load_whole_run(db, row, /*with_results=*/true).to_json();
    document.erase("pre_job");
    document.erase("post_job");
    document["stage"] = stage;
    return text::json_text(document);
}

// Why the run's program did not succeed, as the run's error says it.
std::string program_failure(const char* which, const std::optional<Execution>& execution) {
    if (!execution) return fmt::format("its {} job is gone", which);
    std::string stderr_tail =
        execution->stderr_text.substr(execution->stderr_text.size() > 500 ? execution->stderr_text.size() - 500 : 0);
    return fmt::format("its {} job ended {}{}{}", which, to_string(execution->status),
                       execution->exit_code ? fmt::format(" with exit code {}", *execution->exit_code) : "",
                       stderr_tail.empty() ? "" : ": " + text::valid_utf8(stderr_tail));
}

bool program_succeeded(const std::optional<Execution>& execution) {
    return execution && execution->status == ExecutionStatus::completed && execution->exit_code.value_or(0) == 0;
}

void finish_run(SqlConnection& db, int64_t run_id, const char* status, const std::string& error,
                const std::string& at) {
    db.execute("UPDATE grading_runs SET status = ?, error = ?, finished_at = ? WHERE id = ?",
               {status, error, at, run_id});
}

void start_gradings(SqlConnection& db, int64_t run_id, int64_t now, const std::string& at) {
    for (const SqlRow& row : db.query(
             "SELECT submission_id FROM grading_run_submissions WHERE run_id = ? ORDER BY submission_id", {run_id}))
        insert_job(db, JobKind::grade, row[0].integer(), now, at);
    db.execute("UPDATE grading_runs SET status = 'grading' WHERE id = ?", {run_id});
}

// Every student graded (or failed): the post job, or the end of the run.
void after_gradings(SqlConnection& db, const RunRow& row, int64_t now, const std::string& at) {
    auto unfinished = db.first(
        "SELECT COUNT(*) FROM grading_run_submissions g JOIN submissions s ON s.id = g.submission_id "
        "WHERE g.run_id = ? AND s.status IN ('pending', 'processing')",
        {row.run.id});
    if (unfinished && (*unfinished)[0].integer() > 0) return;
    if (!row.run.post_job) return finish_run(db, row.run.id, "completed", "", at);
    const std::string stdin = run_document(db, row, "post");
    int64_t execution_id = start_run_program(db, row.session_id, *row.run.post_job, stdin, now, at);
    db.execute("UPDATE grading_runs SET status = 'post_processing', post_execution_id = ? WHERE id = ?",
               {execution_id, row.run.id});
}

void advance_grading_run(SqlConnection& db, const Job& job, const std::string& at) {
    auto owner = job.kind == JobKind::grade
                     ? db.first("SELECT run_id FROM grading_run_submissions WHERE submission_id = ?", {job.target_id})
                     : db.first("SELECT id FROM grading_runs WHERE pre_execution_id = ? OR post_execution_id = ?",
                                {job.target_id, job.target_id});
    if (!owner) return;
    auto row = load_run_row(db, (*owner)[0].integer(), /*lock=*/true);
    if (!row) return;
    const int64_t now = now_milliseconds();
    switch (row->run.status) {
        case GradingRunStatus::pre_processing: {
            if (!row->pre_execution_id || job.kind != JobKind::run || job.target_id != *row->pre_execution_id) return;
            auto execution = load_execution(db, *row->pre_execution_id);
            if (execution && !is_terminal(execution->status)) return;
            if (program_succeeded(execution)) return start_gradings(db, row->run.id, now, at);
            const std::string error = program_failure("pre-processing", execution);
            finish_run(db, row->run.id, "failed", error, at);
            db.execute(
                "UPDATE submissions SET status = 'failed', error = ? WHERE status = 'pending' AND id IN "
                "(SELECT submission_id FROM grading_run_submissions WHERE run_id = ?)",
                {"not graded: the grading run failed, " + error, row->run.id});
            return;
        }
        case GradingRunStatus::grading:
            if (job.kind == JobKind::grade) after_gradings(db, *row, now, at);
            return;
        case GradingRunStatus::post_processing: {
            if (!row->post_execution_id || job.kind != JobKind::run || job.target_id != *row->post_execution_id) return;
            auto execution = load_execution(db, *row->post_execution_id);
            if (execution && !is_terminal(execution->status)) return;
            if (program_succeeded(execution)) return finish_run(db, row->run.id, "completed", "", at);
            return finish_run(db, row->run.id, "failed", program_failure("post-processing", execution), at);
        }
        case GradingRunStatus::completed:
        case GradingRunStatus::failed:
            return;
    }
}

// The students of a new run: as given, or a copy of each student's latest submission.
std::vector<NewSubmission> run_students(SqlConnection& db, const NewGradingRun& run) {
    if (!run.from_latest) return run.submissions;
    std::vector<NewSubmission> students;
    for (const SqlRow& row :
         db.query("SELECT s.id FROM submissions s WHERE s.external_assignment_id = ? AND s.id = "
                  "(SELECT MAX(t.id) FROM submissions t WHERE t.external_assignment_id = s.external_assignment_id "
                  "AND t.external_user_id = s.external_user_id) ORDER BY s.id",
                  {run.external_assignment_id})) {
        auto latest = load_submission(db, row[0].integer(), /*with_files=*/true);
        if (!latest) continue;
        NewSubmission copy = std::move(latest->submission);
        copy.idempotency_key.clear();
        students.push_back(std::move(copy));
    }
    return students;
}

}  // namespace

GradingRun Store::create_grading_run(const NewGradingRun& request) {
    return impl_->write("creating a grading run", [&](SqlConnection& db) {
        auto config = load_config_head(db, request.external_assignment_id);
        if (!config)
            throw_not_found(
                fmt::format("assignment '{}' has no grading configuration", request.external_assignment_id));
        std::vector<NewSubmission> students = run_students(db, request);
        if (students.empty())
            throw StoreError(StoreError::Kind::conflict,
                             fmt::format("assignment '{}' has no submission to grade", request.external_assignment_id));
        const int64_t now = now_milliseconds();
        const std::string at = iso8601(now);
        // The run's programs run as executions of a code session of its own.
        const int64_t session_id = inserted_id(
            db,
            "INSERT INTO code_sessions (user_id, problem_id, language, code, status, created_at, updated_at) "
            "VALUES ('grading-run', ?, ?, '', 'ACTIVE', ?, ?) RETURNING id",
            {request.external_assignment_id,
             request.pre_job    ? request.pre_job->language
             : request.post_job ? request.post_job->language
                                : "",
             at, at});
        const auto program_column = [](const std::optional<RunProgram>& program, bool code) {
            return program ? SqlValue(code ? program->code : program->language) : SqlValue();
        };
        const int64_t run_id =
            inserted_id(db,
                        "INSERT INTO grading_runs (external_assignment_id, status, session_id, pre_language, pre_code, "
                        "post_language, post_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        {request.external_assignment_id, request.pre_job ? "pre_processing" : "grading", session_id,
                         program_column(request.pre_job, false), program_column(request.pre_job, true),
                         program_column(request.post_job, false), program_column(request.post_job, true), at});
        for (NewSubmission& student : students) {
            student.external_assignment_id = request.external_assignment_id;
            student.idempotency_key.clear();
            auto stored = insert_submission(db, student, *config, at);
            db.execute("INSERT INTO grading_run_submissions (run_id, submission_id) VALUES (?, ?)",
                       {run_id, stored->id});
        }
        auto row = load_run_row(db, run_id, /*lock=*/false);
        if (request.pre_job) {
            const int64_t execution_id =
                start_run_program(db, session_id, *request.pre_job, run_document(db, *row, "pre"), now, at);
            db.execute("UPDATE grading_runs SET pre_execution_id = ? WHERE id = ?", {execution_id, run_id});
        } else {
            start_gradings(db, run_id, now, at);
        }
        return load_whole_run(db, *load_run_row(db, run_id, false), /*with_results=*/false);
    });
}

std::optional<GradingRun> Store::grading_run(int64_t id, bool with_results) const {
    return impl_->read("reading a grading run", [&](SqlConnection& db) -> std::optional<GradingRun> {
        auto row = load_run_row(db, id, /*lock=*/false);
        if (!row) return std::nullopt;
        return load_whole_run(db, std::move(*row), with_results);
    });
}

std::vector<GradingRun> Store::grading_runs_of_assignment(const std::string& external_assignment_id, int64_t limit,
                                                          int64_t offset) const {
    return impl_->read("listing grading runs", [&](SqlConnection& db) {
        std::vector<GradingRun> runs;
        for (const SqlRow& row :
             db.query("SELECT id FROM grading_runs WHERE external_assignment_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
                      {external_assignment_id, clamped(limit), clamped(offset)}))
            runs.push_back(load_whole_run(db, *load_run_row(db, row[0].integer(), false), /*with_results=*/false));
        return runs;
    });
}

// --- jobs ---------------------------------------------------------------------------------------

std::optional<Job> Store::claim_job(const std::string& worker) {
    const int64_t owner = impl_->backend().owner_key();
    return impl_->write("claiming a job", [&](SqlConnection& db) -> std::optional<Job> {
        int64_t now = now_milliseconds();
        // Servers claiming at once each take another job instead of queueing behind one.
        auto next = db.first(fmt::format("SELECT id FROM jobs WHERE status = 'queued' AND available_at <= ? "
                                         "ORDER BY priority, id LIMIT 1{}",
                                         db.lock_rows_skip_locked()),
                             {now});
        if (!next) return std::nullopt;
        int64_t id = (*next)[0].integer();
        std::string at = iso8601(now);
        db.execute(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, owner = ?, updated_at = ? WHERE id = ?",
            {owner, at, id});
        Job job = *load_job(db, id);
        db.execute("INSERT INTO job_attempts (job_id, attempt, worker, started_at) VALUES (?, ?, ?, ?)",
                   {id, job.attempts, worker, at});
        mark_target_started(db, job, at);
        return job;
    });
}

bool Store::complete_grade_job(int64_t job_id, const StoredResult& result) {
    return impl_->write("writing a grading result", [&](SqlConnection& db) {
        Job job = existing_job(db, job_id);
        if (job.kind != JobKind::grade)
            throw StoreError(StoreError::Kind::conflict, fmt::format("job {} runs code, it grades nothing", job_id));
        if (job.status == JobStatus::done) return false;

        std::string at = iso8601(now_milliseconds());
        // Once per job and per submission: a result already there wins.
        auto written = db.first(
            "INSERT INTO results (job_id, submission_id, final_score, body, created_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING RETURNING id",
            {job_id, job.target_id, std::isfinite(result.final_score) ? SqlValue(result.final_score) : SqlValue(),
             json_text(result.body), at});
        if (!written) return false;
        db.execute("UPDATE submissions SET status = 'completed', error = '', graded_at = ? WHERE id = ?",
                   {at, job.target_id});
        set_job_status(db, job_id, "done", "", at);
        finish_attempt(db, job_id, "done", "", at);
        advance_grading_run(db, job, at);
        return true;
    });
}

bool Store::complete_run_job(int64_t job_id, const ExecutionOutcome& outcome) {
    if (!is_terminal(outcome.status))
        throw std::invalid_argument(
            fmt::format("complete_run_job: {} is not a status a run ends with", to_string(outcome.status)));
    return impl_->write("writing a run's outcome", [&](SqlConnection& db) {
        Job job = existing_job(db, job_id);
        if (job.kind != JobKind::run)
            throw StoreError(StoreError::Kind::conflict, fmt::format("job {} grades, it runs no code", job_id));
        auto execution = load_execution(db, job.target_id);
        if (!execution) throw_not_found(fmt::format("no execution {} (of job {})", job.target_id, job_id));
        if (is_terminal(execution->status) || job.status == JobStatus::done) return false;

        std::string at = iso8601(now_milliseconds());
        db.execute(
            "UPDATE executions SET status = ?, stdout = ?, stderr = ?, exit_code = ?, execution_time_ms = ?, "
            "run_report = ?, finished_at = ?, started_at = COALESCE(started_at, ?) WHERE id = ?",
            {std::string(to_string(outcome.status)), outcome.stdout_text, outcome.stderr_text, outcome.exit_code,
             outcome.execution_time_ms, json_text(outcome.run_report), at, at, job.target_id});
        set_job_status(db, job_id, "done", "", at);
        finish_attempt(db, job_id, "done", "", at);
        advance_grading_run(db, job, at);
        return true;
    });
}

bool Store::retry_job(int64_t job_id, const std::string& error, std::chrono::milliseconds backoff) {
    return impl_->write("retrying a job", [&](SqlConnection& db) {
        Job job = existing_job(db, job_id);
        if (job.status != JobStatus::running) return false;  // nothing under way to retry
        int64_t now = now_milliseconds();
        std::string at = iso8601(now);
        if (job.attempts < job.max_attempts) {
            db.execute(
                "UPDATE jobs SET status = 'queued', available_at = ?, last_error = ?, updated_at = ? WHERE id = ?",
                {now + clamped(backoff.count()), error, at, job_id});
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
    impl_->write("failing a job", [&](SqlConnection& db) {
        Job job = existing_job(db, job_id);
        if (job.status == JobStatus::done || job.status == JobStatus::failed) return;  // it ended already
        std::string at = iso8601(now_milliseconds());
        set_job_status(db, job_id, "failed", error, at);
        finish_attempt(db, job_id, "failed", error, at);
        mark_target_failed(db, job, error, at);
    });
}

void Store::release_job(int64_t job_id) {
    impl_->write("releasing a job", [&](SqlConnection& db) {
        Job job = existing_job(db, job_id);
        if (job.status != JobStatus::running) return;
        int64_t now = now_milliseconds();
        std::string at = iso8601(now);
        db.execute(
            "UPDATE jobs SET status = 'queued', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, "
            "available_at = ?, updated_at = ? WHERE id = ?",
            {now, at, job_id});
        finish_attempt(db, job_id, "released", "", at);
        mark_target_waiting(db, job);
    });
}

int64_t Store::requeue_abandoned_jobs() {
    store::StoreBackend& backend = impl_->backend();
    return impl_->write("requeueing abandoned jobs", [&](SqlConnection& db) {
        std::vector<Job> abandoned;
        std::unordered_map<int64_t, bool> alive;  // owner -> still running its jobs
        // Rows another transaction holds are a live Store's, finishing them now.
        for (const SqlRow& row : db.query(
                 fmt::format("{}WHERE status = 'running' ORDER BY id{}", kJobColumns, db.lock_rows_skip_locked()))) {
            int64_t owner = row[8].integer();
            auto known = alive.find(owner);
            if (known == alive.end()) known = alive.emplace(owner, backend.owner_alive(db, owner)).first;
            if (!known->second) abandoned.push_back(job_of_row(row));
        }
        int64_t now = now_milliseconds();
        std::string at = iso8601(now);
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
            db.execute("UPDATE jobs SET status = 'queued', available_at = ?, updated_at = ? WHERE id = ?",
                       {now, at, job.id});
            mark_target_waiting(db, job);
            ++requeued;
        }
        return requeued;
    });
}

std::optional<Job> Store::job(int64_t id) const {
    return impl_->read("reading a job", [&](SqlConnection& db) { return load_job(db, id); });
}

std::vector<JobAttempt> Store::job_attempts(int64_t job_id) const {
    return impl_->read("reading a job's attempts", [&](SqlConnection& db) {
        std::vector<JobAttempt> attempts;
        for (const SqlRow& row : db.query("SELECT attempt, worker, started_at, finished_at, outcome, error "
                                          "FROM job_attempts WHERE job_id = ? ORDER BY id",
                                          {job_id})) {
            JobAttempt attempt;
            attempt.attempt = static_cast<int>(row[0].integer());
            attempt.worker = row[1].text();
            attempt.started_at = row[2].text();
            attempt.finished_at = row[3].optional_text();
            attempt.outcome = row[4].text();
            attempt.error = row[5].text();
            attempts.push_back(std::move(attempt));
        }
        return attempts;
    });
}

std::optional<Job> Store::job_of_submission(int64_t submission_id) const {
    return impl_->read("reading a submission's job", [&](SqlConnection& db) -> std::optional<Job> {
        auto row = db.first(std::string(kJobColumns) + "WHERE kind = 'grade' AND target_id = ?", {submission_id});
        if (!row) return std::nullopt;
        return job_of_row(*row);
    });
}

JobCounts Store::job_counts() const {
    return impl_->read("counting jobs", [&](SqlConnection& db) {
        JobCounts counts;
        for (JobStatus status : {JobStatus::queued, JobStatus::running, JobStatus::done, JobStatus::failed})
            counts.by_status[std::string(to_string(status))] = 0;
        for (const SqlRow& row : db.query("SELECT status, COUNT(*) FROM jobs GROUP BY status"))
            counts.by_status[row[0].text()] = row[1].integer();
        counts.waiting = counts.by_status["queued"];
        return counts;
    });
}

std::optional<std::chrono::system_clock::time_point> Store::next_backoff_end() const {
    return impl_->read(
        "reading the next backoff", [&](SqlConnection& db) -> std::optional<std::chrono::system_clock::time_point> {
            auto row = db.first("SELECT MIN(available_at) FROM jobs WHERE status = 'queued' AND available_at > ?",
                                {now_milliseconds()});
            if (!row || (*row)[0].is_null()) return std::nullopt;
            return std::chrono::system_clock::time_point(std::chrono::milliseconds((*row)[0].integer()));
        });
}

}  // namespace autograder
