"""Grading runs on one server (its own workers, the default store queue): a class graded as one
unit, the pre job before the gradings and the post job after them, each reading the run on its
stdin; a failed student does not fail the run, a failed pre or post job does; requests are checked
field by field."""

import json

import pytest

from server_harness import GREETING_PROGRAM, WRONG_PROGRAM, Server, greeting_config, submission

API = "/api/v1"

PRE_JOB = """import json, sys
run = json.load(sys.stdin)
assert run["stage"] == "pre", run["stage"]
assert all(s["status"] == "pending" for s in run["students"])
print(len(run["students"]), "students:", " ".join(s["external_user_id"] for s in run["students"]))
"""

POST_JOB = """import json, sys
run = json.load(sys.stdin)
print(json.dumps({"stage": run["stage"],
                  "scores": {s["external_user_id"]: s["final_score"] for s in run["students"]},
                  "statuses": sorted({s["status"] for s in run["students"]}),
                  "mean": run["summary"]["mean"]}))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("runs") / "grades.db"
    srv = Server(str(db), extra_args=["--workers", "2"]).start()
    assert srv.post(f"{API}/configs", greeting_config("greet")).status == 201
    yield srv
    assert srv.stop() == 0, srv.log()


def student(user, code=GREETING_PROGRAM):
    body = submission("greet", user=user, code=code)
    del body["external_assignment_id"]
    return body


def finished_run(server, run_id):
    def ended():
        run = server.get(f"{API}/grading-runs/{run_id}").json()
        return run if run["status"] in ("completed", "failed") else None
    return server.wait_until(ended, 180, f"grading run {run_id} to end")


def test_a_run_grades_every_student_between_its_pre_and_post_jobs(server):
    students = [student(f"s{i}", GREETING_PROGRAM if i % 3 else WRONG_PROGRAM) for i in range(9)]
    students.append(student("crasher", "raise SystemExit(3)\n"))
    created = server.post(f"{API}/grading-runs", {"external_assignment_id": "greet", "submissions": students,
                                                  "pre_job": {"language": "python", "code": PRE_JOB},
                                                  "post_job": {"language": "python", "code": POST_JOB}})
    assert created.status == 202, created
    assert created.headers["Location"] == f"{API}/grading-runs/{created.json()['id']}"
    assert created.json()["status"] == "pre_processing"
    assert created.json()["counts"] == {"total": 10, "pending": 10, "processing": 0, "completed": 0, "failed": 0}

    run = finished_run(server, created.json()["id"])
    assert run["status"] == "completed", run
    assert run["counts"]["completed"] == 10 and run["counts"]["failed"] == 0
    # The pre job saw every student before any was graded.
    assert run["pre_job"]["status"] == "COMPLETED" and run["pre_job"]["exit_code"] == 0
    assert run["pre_job"]["stdout"].startswith("10 students: s0 s1 s2"), run["pre_job"]
    # The post job saw every student's result, and the class summary.
    seen = json.loads(run["post_job"]["stdout"])
    assert seen["stage"] == "post" and seen["statuses"] == ["completed"]
    scores = {s["external_user_id"]: s["final_score"] for s in run["students"]}
    assert seen["scores"] == scores
    assert scores["s1"] == 100 and scores["s0"] == 0 and scores["crasher"] == 0
    assert seen["mean"] == run["summary"]["mean"] == pytest.approx(60.0)
    summary = run["summary"]
    assert summary["submissions"] == 10 and summary["histogram"][9] == 6 and summary["histogram"][0] == 4
    assert summary["pass_rates"] == [{"test": next(iter(summary["pass_rates"]))["test"], "passed": 6, "graded": 10,
                                      "pass_rate": 60.0}]
    # Each student is an ordinary submission, readable on its own.
    one = server.get(f"{API}/submissions/{run['students'][1]['submission_id']}").json()
    assert one["external_user_id"] == "s1" and one["status"] == "completed" and one["final_score"] == 100

    listed = server.get(f"{API}/grading-runs?external_assignment_id=greet").json()
    assert run["id"] in [r["id"] for r in listed]


def test_a_failing_pre_job_fails_the_run_and_grades_nobody(server):
    created = server.post(f"{API}/grading-runs", {
        "external_assignment_id": "greet", "submissions": [student("a"), student("b")],
        "pre_job": {"language": "python", "code": "import sys\nprint('no rubric files', file=sys.stderr)\nsys.exit(4)\n"},
        "post_job": {"language": "python", "code": POST_JOB}})
    assert created.status == 202, created
    run = finished_run(server, created.json()["id"])
    assert run["status"] == "failed"
    assert "pre-processing" in run["error"] and "exit code 4" in run["error"] and "no rubric files" in run["error"]
    assert run["counts"]["failed"] == 2 and run["post_job"]["execution_id"] is None
    for s in run["students"]:
        assert s["final_score"] is None and "grading run failed" in s["error"]


def test_a_failing_post_job_fails_the_run_but_keeps_the_grades(server):
    created = server.post(f"{API}/grading-runs", {
        "external_assignment_id": "greet", "submissions": [student("c")],
        "post_job": {"language": "python", "code": "raise RuntimeError('export failed')\n"}})
    assert created.status == 202 and created.json()["status"] == "grading"
    run = finished_run(server, created.json()["id"])
    assert run["status"] == "failed" and "post-processing" in run["error"] and "export failed" in run["error"]
    assert run["students"][0]["status"] == "completed" and run["students"][0]["final_score"] == 100


def test_from_latest_regrades_each_students_latest_submission(server):
    assert server.post(f"{API}/configs", greeting_config("latest")).status == 201
    server.post(f"{API}/submissions", submission("latest", user="x", code=WRONG_PROGRAM))
    last_x = server.post(f"{API}/submissions", submission("latest", user="x")).json()["id"]
    last_y = server.post(f"{API}/submissions", submission("latest", user="y", code=WRONG_PROGRAM)).json()["id"]
    created = server.post(f"{API}/grading-runs", {"external_assignment_id": "latest", "from": "latest"})
    assert created.status == 202, created
    run = finished_run(server, created.json()["id"])
    assert run["status"] == "completed"
    assert {s["external_user_id"]: s["final_score"] for s in run["students"]} == {"x": 100, "y": 0}
    assert all(s["submission_id"] > last_y > last_x for s in run["students"])  # copies, graded anew

    empty = server.post(f"{API}/configs", greeting_config("nobody"))
    assert empty.status == 201
    refused = server.post(f"{API}/grading-runs", {"external_assignment_id": "nobody", "from": "latest"})
    assert refused.status == 409 and "no submission" in refused.json()["detail"]


def test_bad_requests_name_the_field(server):
    answer = server.post(f"{API}/grading-runs", {
        "external_assignment_id": "greet",
        "submissions": [student("ok"), {"external_user_id": "bad", "username": "bad",
                                        "files": [{"filename": "../x.py", "content": ""}]}, 7],
        "pre_job": {"language": "cobol", "code": "x"}, "post_job": {"code": "x"}, "extra": 1})
    assert answer.status == 422, answer
    fields = {e["field"] for e in answer.json()["errors"]}
    assert {"submissions[1].files[0].filename", "submissions[2]", "pre_job.language", "post_job.language",
            "extra"} <= fields, answer.json()
    neither = server.post(f"{API}/grading-runs", {"external_assignment_id": "greet"})
    assert neither.status == 422 and neither.json()["errors"][0]["field"] == "submissions"
    both = server.post(f"{API}/grading-runs", {"external_assignment_id": "greet", "from": "latest",
                                               "submissions": [student("a")]})
    assert both.status == 422
    unknown = server.post(f"{API}/grading-runs", {"external_assignment_id": "nope", "submissions": [student("a")]})
    assert unknown.status == 404
    assert server.get(f"{API}/grading-runs/999999").status == 404
    assert server.get(f"{API}/grading-runs").status == 422
