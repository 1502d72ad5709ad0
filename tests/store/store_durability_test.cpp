// What survives the process: jobs left running by a killed process are run again after the
// database is reopened, and a process SIGKILLed while accepting submissions loses none that it
// reported accepted, leaving a sound database.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include "store_test_support.hpp"

using namespace autograder;
using store_test::python_config;
using store_test::submission_of;
using store_test::TestDatabase;

STORE_TEST_CASE("jobs a killed process left running are queued again when the database is reopened") {
    TestDatabase database;
    auto options = database.options();
    int64_t submission_id = 0, grade_job = 0, execution_id = 0, run_job = 0, waiting_job = 0;
    {
        auto store = Store::open(options);
        store->create_config("hw1", python_config());
        auto accepted = store->accept_submission(submission_of("hw1", "alice"));
        submission_id = accepted.submission.id;
        grade_job = accepted.job_id;
        auto session = store->create_session("u", "p", "python");
        auto run = store->request_run(session.id, std::string("print(1)"));
        execution_id = run.execution.id;
        run_job = run.job_id;
        waiting_job = store->accept_submission(submission_of("hw1", "bob")).job_id;
        REQUIRE(store->claim_job("dying-worker")->id == run_job);
        REQUIRE(store->claim_job("dying-worker")->id == grade_job);
        CHECK(store->submission(submission_id)->status == SubmissionStatus::processing);
        // The store is destroyed with both jobs running, as a killed process would leave them.
    }
    auto store = Store::open(options);
    CHECK(store->job(grade_job)->status == JobStatus::running);
    CHECK(store->requeue_abandoned_jobs() == 2);
    CHECK(store->requeue_abandoned_jobs() == 0);

    auto job = store->job(grade_job);
    REQUIRE(job);
    CHECK(job->status == JobStatus::queued);
    CHECK(job->attempts == 1);
    CHECK(store->job(waiting_job)->status == JobStatus::queued);
    CHECK(store->submission(submission_id)->status == SubmissionStatus::pending);
    auto execution = store->execution(execution_id);
    REQUIRE(execution);
    CHECK(execution->status == ExecutionStatus::queued);
    CHECK_FALSE(execution->started_at);
    auto attempts = store->job_attempts(grade_job);
    REQUIRE(attempts.size() == 1);
    CHECK(attempts[0].outcome == "abandoned");
    CHECK(attempts[0].worker == "dying-worker");
    REQUIRE(attempts[0].finished_at);
    CHECK(store->job_attempts(run_job)[0].outcome == "abandoned");

    // They run again, in the order they would have: the run, then the oldest grading.
    auto again = store->claim_job("new-worker");
    REQUIRE(again);
    CHECK(again->id == run_job);
    again = store->claim_job("new-worker");
    REQUIRE(again);
    CHECK(again->id == grade_job);
    CHECK(again->attempts == 2);
    CHECK(store->complete_grade_job(grade_job, StoredResult{}));
    CHECK(store->submission(submission_id)->status == SubmissionStatus::completed);
    CHECK(database.count("SELECT COUNT(*) FROM results") == 1);
}

namespace {

bool read_exactly(int fd, void* buffer, std::size_t size) {
    auto* bytes = static_cast<char*>(buffer);
    while (size > 0) {
        ssize_t got = ::read(fd, bytes, size);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        bytes += got;
        size -= static_cast<std::size_t>(got);
    }
    return true;
}

// The child: accepts submissions until it is killed, reporting each id once it is committed.
[[noreturn]] void accept_until_killed(const StoreOptions& options, int report_fd) {
    try {
        auto store = Store::open(options);
        for (int i = 0;; ++i) {
            NewSubmission submission = submission_of("hw1", "user" + std::to_string(i), "key-" + std::to_string(i));
            submission.files.push_back({"big.txt", std::string(2000 + i % 5000, 'x')});
            int64_t id = store->accept_submission(submission).submission.id;
            if (::write(report_fd, &id, sizeof id) != static_cast<ssize_t>(sizeof id)) ::_exit(2);
        }
    } catch (...) {
        ::_exit(1);
    }
}

}  // namespace

STORE_TEST_CASE("a job that took the process down on each of its attempts fails instead of looping") {
    TestDatabase database;
    auto options = database.options();
    int64_t submission_id = 0, job_id = 0;
    {
        auto store = Store::open(options);
        store->create_config("hw1", python_config());
        auto accepted = store->accept_submission(submission_of("hw1", "mallory"));
        submission_id = accepted.submission.id;
        job_id = accepted.job_id;
    }
    // Each round: a process claims the job and dies with it (the store object is dropped while the
    // job runs); the next start requeues it, until its attempts are used.
    for (int round = 1; round <= 3; ++round) {
        auto store = Store::open(options);
        CHECK(store->requeue_abandoned_jobs() == (round == 1 ? 0 : 1));
        auto claimed = store->claim_job("worker-" + std::to_string(round));
        REQUIRE(claimed);
        CHECK(claimed->id == job_id);
        CHECK(claimed->attempts == round);
    }
    auto store = Store::open(options);
    CHECK(store->requeue_abandoned_jobs() == 0);
    auto job = store->job(job_id);
    REQUIRE(job);
    CHECK(job->status == JobStatus::failed);
    CHECK(job->last_error.find("each of its 3 attempts") != std::string::npos);
    auto submission = store->submission(submission_id);
    REQUIRE(submission);
    CHECK(submission->status == SubmissionStatus::failed);
    CHECK(submission->error.find("each of its 3 attempts") != std::string::npos);
    CHECK_FALSE(store->claim_job("worker-4"));
    auto attempts = store->job_attempts(job_id);
    REQUIRE(attempts.size() == 3);
    for (const auto& attempt : attempts) CHECK(attempt.outcome == "abandoned");
}

STORE_TEST_CASE("a process killed while accepting submissions loses none it reported, and the database is sound") {
    TestDatabase database;
    auto options = database.options();
    Store::open(options)->create_config("hw1", python_config());

    constexpr int kReported = 300;
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(pipe_fds[0]);
        accept_until_killed(options, pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    std::vector<int64_t> reported;
    for (int i = 0; i < kReported; ++i) {
        int64_t id = 0;
        if (!read_exactly(pipe_fds[0], &id, sizeof id)) break;
        reported.push_back(id);
    }
    ::kill(child, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    ::close(pipe_fds[0]);
    REQUIRE(reported.size() == kReported);  // else the child failed before reporting them all
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);

    auto store = Store::open(options);
    for (int64_t id : reported) {
        auto submission = store->submission(id, true);
        REQUIRE(submission);
        CHECK(submission->status == SubmissionStatus::pending);
        CHECK(submission->submission.files.size() == 2);
        auto job = store->job_of_submission(id);
        REQUIRE(job);
        CHECK(job->status == JobStatus::queued);
    }
    // Whatever the kill interrupted is either wholly there or not at all.
    CHECK(database.count("SELECT COUNT(*) FROM submissions") >= kReported);
    CHECK(database.count("SELECT COUNT(*) FROM submissions s WHERE NOT EXISTS "
                         "(SELECT 1 FROM jobs j WHERE j.kind = 'grade' AND j.target_id = s.id)") == 0);
    CHECK(database.count("SELECT COUNT(*) FROM submissions s WHERE (SELECT COUNT(*) FROM submission_files f "
                         "WHERE f.submission_id = s.id) != 2") == 0);
    CHECK(database.count("SELECT COUNT(*) FROM submission_files f WHERE NOT EXISTS "
                         "(SELECT 1 FROM submissions s WHERE s.id = f.submission_id)") == 0);
    CHECK(database.count("SELECT COUNT(*) FROM jobs j WHERE NOT EXISTS "
                         "(SELECT 1 FROM submissions s WHERE s.id = j.target_id)") == 0);
#ifndef AUTOGRADER_STORE_TEST_POSTGRES
    auto db = database.raw();
    CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
    SQLite::Statement foreign_keys(db, "PRAGMA foreign_key_check");
    CHECK_FALSE(foreign_keys.executeStep());  // no row names a violation
#endif
}
