"""Back-pressure and the one-run-per-session rule, made deterministic: with --workers 0 the server
accepts jobs and runs none, so the queue only grows."""

import pytest

from server_harness import Server, greeting_config, submission

API = "/api/v1"


@pytest.fixture(scope="module")
def idle_server(tmp_path_factory):
    db = tmp_path_factory.mktemp("queue") / "grades.db"
    srv = Server(str(db), extra_args=["--workers", "0", "--max-queue", "3"]).start()
    yield srv
    assert srv.stop() == 0, srv.log()


def test_full_queue_answers_503_with_retry_after(idle_server):
    assert idle_server.post(f"{API}/configs", greeting_config("busy")).status == 201
    accepted = [idle_server.post(f"{API}/submissions", submission("busy", user="u0"))]
    assert accepted[0].status == 202
    sid = idle_server.post(f"{API}/code-sessions", {"user_id": "u", "problem_id": "p", "language": "python"}).json()[
        "session_id"]
    run = idle_server.post(f"{API}/code-sessions/{sid}/run", {"code": "print(1)"})
    assert run.status == 202 and run.json()["status"] == "QUEUED"

    # One run per session while it is QUEUED or RUNNING: 409 with that execution.
    duplicate = idle_server.post(f"{API}/code-sessions/{sid}/run", {"code": "print(2)"})
    assert duplicate.status == 409, duplicate
    assert duplicate.json()["execution_id"] == run.json()["execution_id"]
    assert duplicate.json()["status"] == "QUEUED" and duplicate.json()["detail"]

    accepted.append(idle_server.post(f"{API}/submissions", submission("busy", user="u1")))
    assert accepted[1].status == 202  # three jobs wait now: the limit
    # A pending submission says where its job stands: the run (code sessions go first), then u0, then u1.
    positions = [idle_server.get(f"{API}/submissions/{a.json()['id']}").json()["queue_position"] for a in accepted]
    assert positions == [2, 3], positions

    full = idle_server.post(f"{API}/submissions", submission("busy", user="late"))
    assert full.status == 503, full
    assert int(full.headers["Retry-After"]) > 0 and full.json()["detail"]
    other = idle_server.post(f"{API}/code-sessions", {"user_id": "v", "problem_id": "p", "language": "python"})
    assert idle_server.post(f"{API}/code-sessions/{other.json()['session_id']}/run").status == 503
    metrics = idle_server.get("/metrics", token=None).body.decode()
    assert "autograder_queue_depth 3" in metrics
    assert all(idle_server.get(f"{API}/submissions/{a.json()['id']}").json()["status"] == "pending"
               for a in accepted)


def test_a_grading_run_larger_than_the_queue_s_room_is_refused(tmp_path):
    srv = Server(str(tmp_path / "runs.db"), extra_args=["--workers", "0", "--max-queue", "5"]).start()
    try:
        assert srv.post(f"{API}/configs", greeting_config("room")).status == 201
        students = [{k: v for k, v in submission("room", user=f"s{i}").items() if k != "external_assignment_id"}
                    for i in range(6)]
        too_many = srv.post(f"{API}/grading-runs", {"external_assignment_id": "room", "submissions": students})
        assert too_many.status == 503, too_many
        assert "the run adds 6" in too_many.json()["detail"] and int(too_many.headers["Retry-After"]) > 0
        fits = srv.post(f"{API}/grading-runs", {"external_assignment_id": "room", "submissions": students[:5]})
        assert fits.status == 202, fits
        positions = [srv.get(f"{API}/submissions/{s['submission_id']}").json()["queue_position"]
                     for s in fits.json()["students"]]
        assert positions == [1, 2, 3, 4, 5]
        # The five jobs count at once: the next submission finds the queue full.
        assert srv.post(f"{API}/submissions", submission("room", user="late")).status == 503
    finally:
        assert srv.stop() == 0, srv.log()
