// The store's records: versioned configurations, submissions with their results, code sessions
// with their executions, and the errors it reports (schema too new, unopenable path).
#include <fstream>
#include <functional>
#include <set>

#include <doctest/doctest.h>

#include "store_test_support.hpp"

using namespace autograder;
using store_test::is_utc_timestamp;
using store_test::python_config;
using store_test::submission_of;
using store_test::TemporaryDirectory;
using store_test::TestDatabase;

namespace {

std::set<std::string> keys_of(const nlohmann::json& object) {
    std::set<std::string> keys;
    for (auto it = object.begin(); it != object.end(); ++it) keys.insert(it.key());
    return keys;
}

StoreError::Kind error_kind_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const StoreError& error) {
        return error.kind();
    }
    FAIL("no StoreError was thrown");
    return StoreError::Kind::io;
}

}  // namespace

STORE_TEST_CASE("a new database is at the newest schema (SQLite: in WAL mode)") {
    TestDatabase database;
    auto options = database.options();
    auto store = Store::open(options);
    CHECK(Store::supported_schema_version() >= 1);
    CHECK(store->schema_version() == Store::supported_schema_version());
    CHECK(database.recorded_schema_version() == Store::supported_schema_version());
#ifndef AUTOGRADER_STORE_TEST_POSTGRES
    CHECK(database.raw().execAndGet("PRAGMA journal_mode").getString() == "wal");
#endif
    for (const char* table : {"grading_configs", "grading_config_versions", "submissions", "submission_files",
                              "results", "code_sessions", "executions", "jobs", "job_attempts"}) {
        INFO(table);
        CHECK(database.table_exists(table));
    }
    store.reset();
    // Reopening migrates nothing and keeps the data.
    CHECK(Store::open(options)->schema_version() == Store::supported_schema_version());
}

STORE_TEST_CASE("configurations are versioned and every version stays readable") {
    TestDatabase database;
    auto store = Store::open(database.options());
    StoredConfig first = store->create_config("hw1", python_config(100));
    CHECK(first.id > 0);
    CHECK(first.version == 1);
    CHECK(first.external_assignment_id == "hw1");
    CHECK(first.is_active);
    CHECK(is_utc_timestamp(first.created_at));
    CHECK(first.updated_at == first.created_at);
    CHECK(first.document.criteria_config["base"]["weight"] == 100);
    CHECK(first.document.setup_config.is_null());

    CHECK(first.document.extensions == nlohmann::json::object());
    CHECK_FALSE(first.to_json().contains("time_budget"));

    ConfigDocument changed = python_config(50);
    changed.extensions = {{"time_budget", 30}, {"feedback_mode", "ai"}};
    changed.setup_config = {{"python", {{"required_files", {"main.py"}}}}};
    changed.include_feedback = false;
    StoredConfig second = store->update_config(first.id, changed);
    StoredConfig third = store->update_config(first.id, python_config(25));
    CHECK(second.version == 2);
    CHECK(third.version == 3);
    CHECK(third.id == first.id);
    CHECK(third.created_at == first.created_at);
    CHECK(is_utc_timestamp(third.updated_at));

    auto head = store->config_head("hw1");
    REQUIRE(head);
    CHECK(head->id == first.id);
    CHECK(head->version == 3);
    CHECK(head->languages == nlohmann::json(third.document.languages));
    CHECK_FALSE(store->config_head("hw2"));

    auto version_two = store->config(first.id, 2);
    REQUIRE(version_two);
    CHECK(version_two->document.criteria_config["base"]["weight"] == 50);
    CHECK(version_two->document.setup_config["python"]["required_files"][0] == "main.py");
    CHECK_FALSE(version_two->document.include_feedback);
    CHECK(version_two->document.extensions["time_budget"] == 30);
    CHECK(version_two->to_json()["feedback_mode"] == "ai");
    auto version_one = store->config(first.id, 1);
    REQUIRE(version_one);
    CHECK(version_one->document.criteria_config["base"]["weight"] == 100);
    CHECK(version_one->document.include_feedback);
    auto latest = store->config(first.id);
    REQUIRE(latest);
    CHECK(latest->version == 3);
    auto by_assignment = store->config_by_assignment("hw1");
    REQUIRE(by_assignment);
    CHECK(by_assignment->version == 3);
    CHECK(by_assignment->document.criteria_config["base"]["weight"] == 25);
    CHECK_FALSE(store->config(first.id, 4));
    CHECK_FALSE(store->config(first.id + 1));
    CHECK_FALSE(store->config_by_assignment("hw2"));

    store->create_config("hw2", python_config());
    store->create_config("hw3", python_config());
    CHECK(store->count_configs() == 3);
    auto page = store->list_configs(2, 1);
    REQUIRE(page.size() == 2);
    CHECK(page[0].external_assignment_id == "hw2");
    CHECK(page[1].external_assignment_id == "hw3");
    auto all = store->list_configs(10, 0);
    REQUIRE(all.size() == 3);
    CHECK(all[0].version == 3);  // the latest version of each
    CHECK(store->list_configs(-5, -5).empty());

    nlohmann::json json = third.to_json();
    CHECK(keys_of(json) == std::set<std::string>{"id", "external_assignment_id", "version", "template_name",
                                                 "criteria_config", "languages", "setup_config", "feedback_config",
                                                 "include_feedback", "is_active", "created_at", "updated_at"});
    CHECK(json["version"] == 3);
    CHECK(json["languages"] == nlohmann::json({"python", "java"}));
}

STORE_TEST_CASE("a second configuration of an assignment is a conflict, a missing one not_found") {
    TestDatabase database;
    auto store = Store::open(database.options());
    auto config = store->create_config("hw1", python_config());
    CHECK(error_kind_of([&] { store->create_config("hw1", python_config()); }) == StoreError::Kind::conflict);
    CHECK(error_kind_of([&] { store->update_config(config.id + 7, python_config()); }) == StoreError::Kind::not_found);
    CHECK(store->count_configs() == 1);
    CHECK(store->config(config.id)->version == 1);  // the refused changes left nothing behind
}

STORE_TEST_CASE("a submission is accepted pending with its grade job and an idempotency key returns the first") {
    TestDatabase database;
    auto options = database.options();
    auto store = Store::open(options);
    CHECK(error_kind_of([&] { store->accept_submission(submission_of("hw1", "alice")); }) ==
          StoreError::Kind::not_found);
    auto config = store->create_config("hw1", python_config());
    store->update_config(config.id, python_config(80));

    NewSubmission submitted = submission_of("hw1", "alice", "key-1");
    submitted.files.push_back({"data.bin", std::string("a\0b\xff", 4)});
    submitted.metadata = {{"course", "cs1"}};
    auto accepted = store->accept_submission(submitted);
    CHECK(accepted.created);
    CHECK(accepted.job_id > 0);
    CHECK(accepted.submission.id > 0);
    CHECK(accepted.submission.config_id == config.id);
    CHECK(accepted.submission.config_version == 2);  // the latest version when it arrived
    CHECK(accepted.submission.status == SubmissionStatus::pending);
    CHECK(accepted.submission.submission.language == "python");  // the configuration's first language
    CHECK(accepted.submission.submission.locale == "en");

    auto again = store->accept_submission(submitted);
    CHECK_FALSE(again.created);
    CHECK(again.submission.id == accepted.submission.id);
    CHECK(again.job_id == accepted.job_id);
    CHECK(database.count("SELECT COUNT(*) FROM submissions") == 1);
    CHECK(database.count("SELECT COUNT(*) FROM jobs") == 1);

    auto other = store->accept_submission(submission_of("hw1", "alice"));  // no key: a new one
    CHECK(other.created);
    CHECK(other.submission.id != accepted.submission.id);

    auto stored = store->submission(accepted.submission.id, true);
    REQUIRE(stored);
    REQUIRE(stored->submission.files.size() == 2);
    CHECK(stored->submission.files[0].filename == "main.py");
    CHECK(stored->submission.files[1].content == std::string("a\0b\xff", 4));
    CHECK(stored->submission.metadata["course"] == "cs1");
    CHECK(stored->submission.idempotency_key == "key-1");
    CHECK(stored->submission.baseline_result_tree.is_null());
    CHECK(is_utc_timestamp(stored->submitted_at));
    CHECK_FALSE(stored->graded_at);
    CHECK_FALSE(stored->result);
    CHECK(store->submission(accepted.submission.id)->submission.files.empty());
    CHECK_FALSE(store->submission(9999));

    auto job = store->job_of_submission(accepted.submission.id);
    REQUIRE(job);
    CHECK(job->id == accepted.job_id);
    CHECK(job->kind == JobKind::grade);
    CHECK(job->status == JobStatus::queued);
    CHECK(job->attempts == 0);
    CHECK(job->max_attempts == 3);

    auto json = stored->to_json();
    CHECK(keys_of(json) == std::set<std::string>{"id",
                                                 "grading_config_id",
                                                 "config_version",
                                                 "external_assignment_id",
                                                 "external_user_id",
                                                 "username",
                                                 "language",
                                                 "locale",
                                                 "metadata",
                                                 "status",
                                                 "error",
                                                 "submitted_at",
                                                 "graded_at",
                                                 "final_score",
                                                 "feedback",
                                                 "result_tree",
                                                 "focus",
                                                 "score_vector",
                                                 "comparison",
                                                 "pipeline_execution",
                                                 "queue_position"});
    CHECK(json["status"] == "pending");
    CHECK(json["queue_position"] == 1);  // the only job waiting
    CHECK(json["final_score"].is_null());
    CHECK(json["feedback"].is_null());
    CHECK(json["graded_at"].is_null());

    auto of_alice = store->submissions_of_user("alice", 10, 0);
    REQUIRE(of_alice.size() == 2);
    CHECK(of_alice[0].id == other.submission.id);  // newest first
    CHECK(store->submissions_of_user("alice", 1, 1)[0].id == accepted.submission.id);
    CHECK(store->submissions_of_user("bob", 10, 0).empty());
    CHECK(store->submissions_of_assignment("hw1", 10, 0).size() == 2);
}

STORE_TEST_CASE("a grading result is written once, and the submission shows it") {
    TestDatabase database;
    auto options = database.options();
    auto store = Store::open(options);
    store->create_config("hw1", python_config());
    auto accepted = store->accept_submission(submission_of("hw1", "alice"));
    auto job = store->claim_job("worker-1");
    REQUIRE(job);
    CHECK(store->submission(accepted.submission.id)->status == SubmissionStatus::processing);

    StoredResult result;
    result.final_score = 87.5;
    result.body = {{"feedback", "## Well done"},
                   {"result_tree", {{"name", "root"}}},
                   {"focus", nlohmann::json::array()},
                   {"score_vector", {1, 0}},
                   {"pipeline_execution", {{"status", "success"}}}};
    CHECK(store->complete_grade_job(job->id, result));
    StoredResult other = result;
    other.final_score = 10;
    CHECK_FALSE(store->complete_grade_job(job->id, other));
    CHECK(database.count("SELECT COUNT(*) FROM results") == 1);

    auto stored = store->submission(accepted.submission.id);
    REQUIRE(stored);
    CHECK(stored->status == SubmissionStatus::completed);
    REQUIRE(stored->graded_at);
    CHECK(is_utc_timestamp(*stored->graded_at));
    REQUIRE(stored->result);
    CHECK(stored->result->job_id == job->id);
    CHECK(stored->result->final_score == 87.5);
    auto json = stored->to_json();
    CHECK(json["final_score"] == 87.5);
    CHECK(json["feedback"] == "## Well done");
    CHECK(json["result_tree"]["name"] == "root");
    CHECK(json["score_vector"] == nlohmann::json({1, 0}));
    CHECK(json["comparison"].is_null());
    CHECK(json["pipeline_execution"]["status"] == "success");
    CHECK(json["status"] == "completed");
    CHECK(store->job(job->id)->status == JobStatus::done);
    auto attempts = store->job_attempts(job->id);
    REQUIRE(attempts.size() == 1);
    CHECK(attempts[0].outcome == "done");
    CHECK(attempts[0].worker == "worker-1");
    REQUIRE(attempts[0].finished_at);
    // A job that is not a grading cannot complete one; an unknown job is not_found.
    CHECK(error_kind_of([&] { store->complete_grade_job(job->id + 100, result); }) == StoreError::Kind::not_found);
}

STORE_TEST_CASE("one QUEUED or RUNNING execution per session and a new run once it ended") {
    TestDatabase database;
    auto options = database.options();
    auto store = Store::open(options);
    CodeSession session = store->create_session("u1", "p1", "python");
    CHECK(session.id > 0);
    CHECK(session.status == "ACTIVE");
    CHECK(session.code.empty());
    CHECK(is_utc_timestamp(session.created_at));
    CodeSession saved = store->save_session_code(session.id, "print(1)");
    CHECK(saved.code == "print(1)");
    CHECK(store->session(session.id)->code == "print(1)");
    CHECK(error_kind_of([&] { store->save_session_code(session.id + 5, "x"); }) == StoreError::Kind::not_found);
    CHECK(error_kind_of([&] { store->request_run(session.id + 5, std::nullopt); }) == StoreError::Kind::not_found);
    CHECK(keys_of(saved.to_json()) == std::set<std::string>{"session_id", "user_id", "problem_id", "language", "code",
                                                            "status", "created_at", "updated_at"});

    auto first = store->request_run(session.id, std::nullopt);
    CHECK(first.created);
    CHECK(first.job_id > 0);
    CHECK(first.execution.code == "print(1)");  // the saved code
    CHECK(first.execution.status == ExecutionStatus::queued);
    CHECK(first.execution.session_id == session.id);
    auto second = store->request_run(session.id, std::string("print(2)"));
    CHECK_FALSE(second.created);
    CHECK(second.job_id == 0);
    CHECK(second.execution.id == first.execution.id);
    CHECK(second.execution.code == "print(1)");

    // The partial unique index holds even for a writer that skips request_run.
    CHECK_THROWS(
        database.execute(fmt::format("INSERT INTO executions (session_id, language, code, status, "
                                     "created_at) VALUES ({}, 'python', '', 'QUEUED', 'now')",
                                     session.id)));

    auto job = store->claim_job("w");
    REQUIRE(job);
    CHECK(job->kind == JobKind::run);
    CHECK(job->target_id == first.execution.id);
    auto running = store->execution(first.execution.id);
    REQUIRE(running);
    CHECK(running->status == ExecutionStatus::running);
    REQUIRE(running->started_at);
    CHECK_FALSE(store->request_run(session.id, std::nullopt).created);  // RUNNING counts too

    ExecutionOutcome outcome;
    outcome.status = ExecutionStatus::completed;
    outcome.stdout_text = "1\n";
    outcome.exit_code = 0;
    outcome.execution_time_ms = 42;
    outcome.run_report = {{"status", "ok"}};
    CHECK(store->complete_run_job(job->id, outcome));
    CHECK_FALSE(store->complete_run_job(job->id, outcome));
    auto finished = store->execution(first.execution.id);
    REQUIRE(finished);
    CHECK(finished->status == ExecutionStatus::completed);
    CHECK(finished->stdout_text == "1\n");
    CHECK(finished->exit_code == 0);
    CHECK(finished->execution_time_ms == 42);
    REQUIRE(finished->finished_at);
    auto json = finished->to_json();
    CHECK(keys_of(json) == std::set<std::string>{"execution_id", "session_id", "language", "status", "stdout", "stderr",
                                                 "exit_code", "execution_time", "created_at", "started_at",
                                                 "finished_at", "run_report"});
    CHECK(json["status"] == "COMPLETED");
    CHECK(json["execution_time"] == 42);
    CHECK(json["run_report"]["status"] == "ok");

    auto third = store->request_run(session.id, std::string("print(3)"));
    CHECK(third.created);
    CHECK(third.execution.id != first.execution.id);
    CHECK(third.execution.code == "print(3)");
    CHECK(store->session(session.id)->code == "print(1)");  // a snapshot, not an autosave
    auto queued_json = third.execution.to_json();
    CHECK(queued_json["status"] == "QUEUED");
    CHECK(queued_json["exit_code"].is_null());
    CHECK(queued_json["started_at"].is_null());
}

STORE_TEST_CASE("a database written by a newer autograder is refused with both versions") {
    TestDatabase database;
    auto options = database.options();
    Store::open(options).reset();
    database.record_schema_version(99);
    try {
        Store::open(options);
        FAIL("a newer database was opened");
    } catch (const StoreError& error) {
        CHECK(error.kind() == StoreError::Kind::schema_too_new);
        std::string message = error.what();
        CHECK(message.find(database.where()) != std::string::npos);
        CHECK(message.find("newer autograder") != std::string::npos);
        CHECK(message.find("schema 99") != std::string::npos);
        CHECK(message.find("knows up to " + std::to_string(Store::supported_schema_version())) != std::string::npos);
    }
    CHECK(database.recorded_schema_version() == 99);  // left as it was
}

#ifdef AUTOGRADER_STORE_TEST_POSTGRES

STORE_TEST_CASE("a server that cannot be reached is an io error naming it without its password") {
    StoreOptions options;
    options.url = "postgresql://alice:s3cret-pass@/autograder?host=/nonexistent-autograder-socket";
    try {
        Store::open(options);
        FAIL("a database on a missing server was opened");
    } catch (const StoreError& error) {
        CHECK(error.kind() == StoreError::Kind::io);
        std::string message = error.what();
        CHECK(message.find("postgresql://alice:***@/autograder?host=/nonexistent-autograder-socket") !=
              std::string::npos);
        CHECK(message.find("s3cret-pass") == std::string::npos);
    }
    // A database the server does not have, and a URL of another database system.
    options.url = store_test::database_url("no_such_database") + "&password=hunter2hunter2";
    try {
        Store::open(options);
        FAIL("a missing database was opened");
    } catch (const StoreError& error) {
        CHECK(error.kind() == StoreError::Kind::io);
        std::string message = error.what();
        CHECK(message.find("no_such_database") != std::string::npos);
        CHECK(message.find("hunter2hunter2") == std::string::npos);
    }
    options.url = "mysql://root:pw@localhost/autograder";
    CHECK(error_kind_of([&] { Store::open(options); }) == StoreError::Kind::io);
    CHECK(is_postgres_url("postgres://u@h/d"));
    CHECK_FALSE(is_postgres_url("/var/lib/autograder/grades.db"));
    CHECK(redact_store_location("postgres://u:pw@h:5432/d?sslmode=require") ==
          "postgres://u:***@h:5432/d?sslmode=require");
    CHECK(redact_store_location("postgresql:///d?host=/run&password=pw&user=u") ==
          "postgresql:///d?host=/run&password=***&user=u");
    CHECK(redact_store_location("grades.db") == "grades.db");
}

#else

STORE_TEST_CASE("a path that cannot be opened is an io error naming it and an in-memory database is refused") {
    TemporaryDirectory directory;
    StoreOptions options;
    options.path = (directory.path() / "missing" / "autograder.db").string();
    try {
        Store::open(options);
        FAIL("a database in a missing directory was opened");
    } catch (const StoreError& error) {
        CHECK(error.kind() == StoreError::Kind::io);
        CHECK(std::string(error.what()).find(options.path) != std::string::npos);
    }
    options.path = (directory.path() / "not-a-database").string();
    {
        std::ofstream out(options.path);
        out << std::string(4096, 'x');
    }
    CHECK(error_kind_of([&] { Store::open(options); }) == StoreError::Kind::io);
    options.path = ":memory:";
    CHECK(error_kind_of([&] { Store::open(options); }) == StoreError::Kind::io);
    options.path = "";
    CHECK(error_kind_of([&] { Store::open(options); }) == StoreError::Kind::io);
}

#endif
