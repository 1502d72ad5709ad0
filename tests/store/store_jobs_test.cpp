// The store's durable jobs: claim order and backoff, retries up to max_attempts, release, and
// concurrent claims.
#include <atomic>
#include <set>
#include <thread>

#include <doctest/doctest.h>

#include "store_test_support.hpp"

using namespace autograder;
using namespace std::chrono_literals;
using store_test::python_config;
using store_test::submission_of;
using store_test::TestDatabase;

STORE_TEST_CASE("claims take run jobs before grade jobs, then the oldest, after their backoff") {
    TestDatabase database;
    auto store = Store::open(database.options());
    store->create_config("hw1", python_config());
    auto grade_first = store->accept_submission(submission_of("hw1", "a"));
    auto grade_second = store->accept_submission(submission_of("hw1", "b"));
    auto session = store->create_session("u", "p", "python");
    auto run = store->request_run(session.id, std::string("print(1)"));
    CHECK(store->job_counts().waiting == 3);

    auto claimed = store->claim_job("w1");
    REQUIRE(claimed);
    CHECK(claimed->id == run.job_id);  // the newest, but a run
    CHECK(claimed->status == JobStatus::running);
    CHECK(claimed->attempts == 1);
    claimed = store->claim_job("w1");
    REQUIRE(claimed);
    CHECK(claimed->id == grade_first.job_id);

    // The oldest grade job waits for a long backoff: the next one is claimed, then none.
    CHECK(store->retry_job(grade_first.job_id, "no sandbox", 1h));
    CHECK(store->submission(grade_first.submission.id)->status == SubmissionStatus::pending);
    auto backoff_end = store->next_backoff_end();
    REQUIRE(backoff_end);
    CHECK(*backoff_end > std::chrono::system_clock::now() + 30min);
    claimed = store->claim_job("w1");
    REQUIRE(claimed);
    CHECK(claimed->id == grade_second.job_id);
    CHECK_FALSE(store->claim_job("w1"));

    auto counts = store->job_counts();
    CHECK(counts.by_status.size() == 4);
    CHECK(counts.by_status["queued"] == 1);
    CHECK(counts.by_status["running"] == 2);
    CHECK(counts.by_status["done"] == 0);
    CHECK(counts.by_status["failed"] == 0);
    CHECK(counts.waiting == 1);

    // A backoff of zero is ready at once.
    CHECK(store->retry_job(grade_second.job_id, "store busy", 0ms));
    CHECK(store->next_backoff_end() == backoff_end);  // still the first one's
    claimed = store->claim_job("w2");
    REQUIRE(claimed);
    CHECK(claimed->id == grade_second.job_id);
    CHECK(claimed->attempts == 2);
    CHECK(claimed->last_error == "store busy");
}

STORE_TEST_CASE("a transient failure is retried up to max_attempts, then the submission fails with the error") {
    TestDatabase database;
    auto store = Store::open(database.options());
    store->create_config("hw1", python_config());
    auto accepted = store->accept_submission(submission_of("hw1", "alice"));
    for (int attempt = 1; attempt <= 3; ++attempt) {
        auto job = store->claim_job("worker-" + std::to_string(attempt));
        REQUIRE(job);
        CHECK(job->id == accepted.job_id);
        CHECK(job->attempts == attempt);
        CHECK(store->submission(accepted.submission.id)->status == SubmissionStatus::processing);
        bool queued_again = store->retry_job(job->id, "sandbox unavailable " + std::to_string(attempt), 0ms);
        CHECK(queued_again == (attempt < 3));
    }
    CHECK_FALSE(store->claim_job("worker-4"));
    auto job = store->job(accepted.job_id);
    REQUIRE(job);
    CHECK(job->status == JobStatus::failed);
    CHECK(job->last_error == "sandbox unavailable 3");
    auto submission = store->submission(accepted.submission.id);
    REQUIRE(submission);
    CHECK(submission->status == SubmissionStatus::failed);
    CHECK(submission->error == "sandbox unavailable 3");
    CHECK(submission->to_json()["error"] == "sandbox unavailable 3");
    auto attempts = store->job_attempts(accepted.job_id);
    REQUIRE(attempts.size() == 3);
    CHECK(attempts[0].attempt == 1);
    CHECK(attempts[0].outcome == "retry");
    CHECK(attempts[0].error == "sandbox unavailable 1");
    CHECK(attempts[1].worker == "worker-2");
    CHECK(attempts[2].outcome == "failed");
    CHECK(store->job_counts().by_status["failed"] == 1);
    // A failed job cannot be completed into a second state by a late retry.
    CHECK_FALSE(store->retry_job(accepted.job_id, "late", 0ms));
}

STORE_TEST_CASE("fail_job fails the execution of a run with the error and a released job does not count its attempt") {
    TestDatabase database;
    auto store = Store::open(database.options());
    auto session = store->create_session("u", "p", "python");
    auto run = store->request_run(session.id, std::string("while True: pass"));
    auto job = store->claim_job("w1");
    REQUIRE(job);
    CHECK(job->attempts == 1);
    store->release_job(job->id);
    auto released = store->job(job->id);
    REQUIRE(released);
    CHECK(released->status == JobStatus::queued);
    CHECK(released->attempts == 0);
    auto execution = store->execution(run.execution.id);
    CHECK(execution->status == ExecutionStatus::queued);
    CHECK_FALSE(execution->started_at);
    auto attempts = store->job_attempts(job->id);
    REQUIRE(attempts.size() == 1);
    CHECK(attempts[0].outcome == "released");

    job = store->claim_job("w2");
    REQUIRE(job);
    CHECK(job->attempts == 1);
    store->fail_job(job->id, "the sandbox could not start");
    CHECK(store->job(job->id)->status == JobStatus::failed);
    execution = store->execution(run.execution.id);
    CHECK(execution->status == ExecutionStatus::failed);
    CHECK(execution->stderr_text == "the sandbox could not start");
    REQUIRE(execution->finished_at);
    CHECK(store->job_attempts(job->id).back().outcome == "failed");
    // Its session may run again.
    CHECK(store->request_run(session.id, std::nullopt).created);
}

STORE_TEST_CASE("threads claiming at once take every job exactly once") {
    TestDatabase database;
    auto options = database.options();
    auto store = Store::open(options);
    store->create_config("hw1", python_config());
    constexpr int kJobs = 300, kThreads = 6;
    for (int i = 0; i < kJobs; ++i) store->accept_submission(submission_of("hw1", "user" + std::to_string(i)));

    std::vector<std::vector<int64_t>> claimed(kThreads);
    std::atomic<bool> claiming{true};
    std::atomic<int64_t> reads{0};
    std::thread reader([&] {  // reads go on while the claims write, each one snapshot
        do {
            auto counts = store->job_counts();
            CHECK(counts.by_status["queued"] + counts.by_status["running"] + counts.by_status["done"] == kJobs);
            ++reads;
        } while (claiming);
    });
    std::vector<std::thread> workers;
    for (int t = 0; t < kThreads; ++t)
        workers.emplace_back([&, t] {
            while (auto job = store->claim_job("worker-" + std::to_string(t))) {
                claimed[t].push_back(job->id);
                StoredResult result;
                result.final_score = t;
                CHECK(store->complete_grade_job(job->id, result));
            }
        });
    for (auto& worker : workers) worker.join();
    claiming = false;
    reader.join();

    store_test::check_each_claimed_once(claimed, kJobs);
    CHECK(reads > 0);
    CHECK(database.count("SELECT COUNT(*) FROM results") == kJobs);
    CHECK(database.count("SELECT COUNT(*) FROM job_attempts") == kJobs);
    CHECK(database.count("SELECT COUNT(*) FROM submissions WHERE status = 'completed'") == kJobs);
    CHECK(store->job_counts().by_status["done"] == kJobs);
}

STORE_TEST_CASE("threads requesting runs of one session at once create one execution") {
    TestDatabase database;
    auto options = database.options();
    auto store = Store::open(options);
    auto session = store->create_session("u", "p", "python");
    constexpr int kThreads = 8;
    std::atomic<int> created{0};
    std::vector<int64_t> execution_ids(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            auto requested = store->request_run(session.id, std::string("print(") + std::to_string(t) + ")");
            if (requested.created) ++created;
            execution_ids[t] = requested.execution.id;
        });
    for (auto& thread : threads) thread.join();
    CHECK(created == 1);
    CHECK(std::set<int64_t>(execution_ids.begin(), execution_ids.end()).size() == 1);
    CHECK(database.count("SELECT COUNT(*) FROM executions") == 1);
    CHECK(database.count("SELECT COUNT(*) FROM jobs") == 1);
}
