// What only a database that several servers share must do: servers that start at once migrate
// it once; two stores claiming from it take every job once; a store requeues the jobs of a store
// that is gone, never those of one that still runs them.
#include <atomic>
#include <set>
#include <thread>

#include <doctest/doctest.h>

#include "store_test_support.hpp"

using namespace autograder;
using store_test::python_config;
using store_test::submission_of;
using store_test::TestDatabase;

STORE_TEST_CASE("servers opening a new database at once migrate it once") {
    TestDatabase database;
    constexpr int kServers = 4;
    std::vector<std::unique_ptr<Store>> stores(kServers);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kServers; ++i)
        threads.emplace_back([&, i] {
            try {
                stores[i] = Store::open(database.options());
            } catch (const std::exception& error) {
                ++failures;
                MESSAGE(error.what());
            }
        });
    for (auto& thread : threads) thread.join();
    CHECK(failures == 0);
    for (const auto& store : stores) {
        REQUIRE(store);
        CHECK(store->schema_version() == Store::supported_schema_version());
    }
    CHECK(database.count("SELECT COUNT(*) FROM autograder_schema") == 1);
    // One store's writes are the others' reads.
    auto config = stores[0]->create_config("hw1", python_config());
    auto accepted = stores[1]->accept_submission(submission_of("hw1", "alice", "key-1"));
    CHECK(accepted.submission.config_id == config.id);
    CHECK_FALSE(stores[2]->accept_submission(submission_of("hw1", "alice", "key-1")).created);
    CHECK(stores[3]->submission(accepted.submission.id));
}

STORE_TEST_CASE("two stores claiming from one database take every job exactly once") {
    TestDatabase database;
    auto first = Store::open(database.options());
    auto second = Store::open(database.options());
    first->create_config("hw1", python_config());
    constexpr int kJobs = 200, kThreadsPerStore = 3;
    for (int i = 0; i < kJobs; ++i)
        (i % 2 ? first : second)->accept_submission(submission_of("hw1", "user" + std::to_string(i)));

    std::vector<std::vector<int64_t>> claimed(2 * kThreadsPerStore);
    std::vector<std::thread> workers;
    for (int t = 0; t < 2 * kThreadsPerStore; ++t)
        workers.emplace_back([&, t] {
            Store& store = t % 2 ? *first : *second;
            while (auto job = store.claim_job("worker-" + std::to_string(t))) {
                claimed[t].push_back(job->id);
                CHECK(store.complete_grade_job(job->id, StoredResult{}));
            }
        });
    for (auto& worker : workers) worker.join();
    store_test::check_each_claimed_once(claimed, kJobs);
    CHECK(database.count("SELECT COUNT(*) FROM results") == kJobs);
    CHECK(database.count("SELECT COUNT(*) FROM job_attempts") == kJobs);
    CHECK(first->job_counts().by_status["done"] == kJobs);
}

STORE_TEST_CASE("a store starting next to a live one leaves its running jobs, and requeues them once it is gone") {
    TestDatabase database;
    auto running = Store::open(database.options());
    running->create_config("hw1", python_config());
    auto accepted = running->accept_submission(submission_of("hw1", "alice"));
    auto job = running->claim_job("busy-worker");
    REQUIRE(job);

    auto starting = Store::open(database.options());
    CHECK(starting->requeue_abandoned_jobs() == 0);
    CHECK(running->requeue_abandoned_jobs() == 0);  // its own job is not abandoned either
    CHECK(starting->job(job->id)->status == JobStatus::running);
    CHECK(starting->submission(accepted.submission.id)->status == SubmissionStatus::processing);

    running.reset();  // the busy server is gone
    CHECK(starting->requeue_abandoned_jobs() == 1);
    auto requeued = starting->job(job->id);
    REQUIRE(requeued);
    CHECK(requeued->status == JobStatus::queued);
    CHECK(starting->job_attempts(job->id)[0].outcome == "abandoned");
    auto again = starting->claim_job("new-worker");
    REQUIRE(again);
    CHECK(again->id == job->id);
    CHECK(starting->complete_grade_job(again->id, StoredResult{}));
    CHECK(starting->submission(accepted.submission.id)->status == SubmissionStatus::completed);
}
