// Grading runs in the store: each step is taken in the transaction that ends the job before it
// (pre job -> the students' gradings -> post job -> the end), a failed student does not fail the
// run, a failed pre or post job does.
#include <doctest/doctest.h>

#include "store_test_support.hpp"

using namespace autograder;
using store_test::python_config;
using store_test::submission_of;
using store_test::TestDatabase;

namespace {

NewGradingRun run_of(const std::vector<std::string>& users, bool pre, bool post) {
    NewGradingRun run;
    run.external_assignment_id = "hw1";
    for (const auto& user : users) run.submissions.push_back(submission_of("", user));
    if (pre) run.pre_job = RunProgram{"python", "print('pre')"};
    if (post) run.post_job = RunProgram{"python", "print('post')"};
    return run;
}

ExecutionOutcome exited(int code) {
    ExecutionOutcome outcome;
    outcome.status = code == 0 ? ExecutionStatus::completed : ExecutionStatus::failed;
    outcome.exit_code = code;
    outcome.stderr_text = code == 0 ? "" : "boom";
    return outcome;
}

StoredResult scored(double score) {
    StoredResult result;
    result.final_score = score;
    result.body = {{"status", "SUCCESS"}, {"score_vector", {{"base/t1", score}}}};
    return result;
}

}  // namespace

STORE_TEST_CASE("a grading run goes from its pre job to its students to its post job") {
    TestDatabase database;
    auto store = Store::open(database.options());
    store->create_config("hw1", python_config());
    GradingRun run = store->create_grading_run(run_of({"ann", "bob", "cid"}, true, true));
    CHECK(run.status == GradingRunStatus::pre_processing);
    REQUIRE(run.students.size() == 3);
    REQUIRE(run.pre_execution);
    // Only the pre job waits: no student is graded before it succeeded.
    auto pre = store->claim_job("w");
    REQUIRE(pre);
    CHECK(pre->kind == JobKind::run);
    CHECK(pre->target_id == run.pre_execution->id);
    CHECK_FALSE(store->claim_job("w"));
    auto document = nlohmann::json::parse(*store->execution(pre->target_id)->stdin_text);
    CHECK(document["stage"] == "pre");
    CHECK(document["students"].size() == 3);

    CHECK(store->complete_run_job(pre->id, exited(0)));
    CHECK(store->grading_run(run.id)->status == GradingRunStatus::grading);
    std::vector<Job> gradings;
    while (auto job = store->claim_job("w")) gradings.push_back(*job);
    REQUIRE(gradings.size() == 3);
    CHECK(store->complete_grade_job(gradings[0].id, scored(100)));
    CHECK(store->complete_grade_job(gradings[1].id, scored(40)));
    CHECK(store->grading_run(run.id)->status == GradingRunStatus::grading);
    store->fail_job(gradings[2].id, "the worker crashed");  // a failed student: the run goes on

    GradingRun graded = *store->grading_run(run.id);
    CHECK(graded.status == GradingRunStatus::post_processing);
    REQUIRE(graded.post_execution);
    auto post = store->claim_job("w");
    REQUIRE(post);
    CHECK(post->target_id == graded.post_execution->id);
    auto seen = nlohmann::json::parse(*graded.post_execution->stdin_text);
    CHECK(seen["stage"] == "post");
    CHECK(seen["counts"]["completed"] == 2);
    CHECK(seen["counts"]["failed"] == 1);
    CHECK(seen["summary"]["submissions"] == 3);
    CHECK(seen["summary"]["success"] == 2);
    CHECK(seen["summary"]["mean"] == doctest::Approx(140.0 / 3).epsilon(0.001));
    CHECK(seen["summary"]["pass_rates"][0]["passed"] == 1);

    CHECK(store->complete_run_job(post->id, exited(0)));
    GradingRun done = *store->grading_run(run.id);
    CHECK(done.status == GradingRunStatus::completed);
    CHECK(done.finished_at);
    auto json = done.to_json();
    CHECK(json["post_job"]["status"] == "COMPLETED");
    CHECK(json["students"][2]["error"] == "the worker crashed");
    CHECK(store->grading_runs_of_assignment("hw1", 10, 0).size() == 1);
}

STORE_TEST_CASE("a failed pre job fails the run and its students, a failed post job only the run") {
    TestDatabase database;
    auto store = Store::open(database.options());
    store->create_config("hw1", python_config());
    GradingRun failing = store->create_grading_run(run_of({"ann", "bob"}, true, true));
    auto pre = store->claim_job("w");
    REQUIRE(pre);
    CHECK(store->complete_run_job(pre->id, exited(3)));
    GradingRun failed = *store->grading_run(failing.id);
    CHECK(failed.status == GradingRunStatus::failed);
    CHECK(failed.error.find("exit code 3: boom") != std::string::npos);
    for (const auto& student : failed.students) CHECK(student.status == SubmissionStatus::failed);
    CHECK_FALSE(store->claim_job("w"));  // neither gradings nor the post job

    GradingRun later = store->create_grading_run(run_of({"cid"}, false, true));
    CHECK(later.status == GradingRunStatus::grading);
    auto grading = store->claim_job("w");
    REQUIRE(grading);
    CHECK(store->complete_grade_job(grading->id, scored(100)));
    auto post = store->claim_job("w");
    REQUIRE(post);
    CHECK(store->complete_run_job(post->id, exited(1)));
    GradingRun ended = *store->grading_run(later.id);
    CHECK(ended.status == GradingRunStatus::failed);
    CHECK(ended.error.find("post-processing") != std::string::npos);
    CHECK(ended.students[0].status == SubmissionStatus::completed);
}

STORE_TEST_CASE("from latest copies each student latest submission and none is a conflict") {
    TestDatabase database;
    auto store = Store::open(database.options());
    store->create_config("hw1", python_config());
    store->create_config("hw2", python_config());
    store->accept_submission(submission_of("hw1", "ann"));
    auto newest = store->accept_submission(submission_of("hw1", "ann")).submission.id;
    store->accept_submission(submission_of("hw1", "bob"));
    NewGradingRun latest;
    latest.external_assignment_id = "hw1";
    latest.from_latest = true;
    GradingRun run = store->create_grading_run(latest);
    REQUIRE(run.students.size() == 2);
    CHECK(run.students[0].external_user_id == "ann");
    CHECK(run.students[0].submission_id > newest);
    CHECK(store->submission(run.students[0].submission_id, true)->submission.files.size() == 1);
    latest.external_assignment_id = "hw2";
    CHECK_THROWS_AS(store->create_grading_run(latest), StoreError);
    latest.external_assignment_id = "nope";
    CHECK_THROWS_AS(store->create_grading_run(latest), StoreError);
}
