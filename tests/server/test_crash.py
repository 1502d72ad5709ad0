"""Durable jobs: 200 submissions, the server killed with SIGKILL while grading, restarted on the
same database: every submission ends completed with exactly one result, none lost."""

import signal
import sqlite3

from server_harness import Server, greeting_config, submission

API = "/api/v1"
COUNT = 200
ARGS = ["--workers", "2", "--pool-size", "2"]


def statuses(server):
    listed = server.get(f"{API}/configs/crash/submissions?limit=1000")
    assert listed.status == 200, listed
    return {s["id"]: s["status"] for s in listed.json()}


def test_sigkill_while_grading_loses_nothing(tmp_path):
    db = str(tmp_path / "crash.db")
    first = Server(db, extra_args=ARGS).start()
    try:
        assert first.post(f"{API}/configs", greeting_config("crash")).status == 201
        ids = []
        for i in range(COUNT):
            answer = first.post(f"{API}/submissions", submission("crash", user=f"student{i}"))
            assert answer.status == 202, answer
            ids.append(answer.json()["id"])
        assert len(set(ids)) == COUNT

        def partly_graded():
            now = statuses(first)
            done = sum(1 for s in now.values() if s == "completed")
            return now if 1 <= done < COUNT else None
        before = first.wait_until(partly_graded, what="some but not all submissions graded")
    finally:
        first.process.send_signal(signal.SIGKILL)
        assert first.process.wait(timeout=60) == -signal.SIGKILL
    completed_before = sum(1 for s in before.values() if s == "completed")
    assert 1 <= completed_before < COUNT

    second = Server(db, extra_args=ARGS).start()
    try:
        def all_graded():
            now = statuses(second)
            return now if len(now) == COUNT and all(s == "completed" for s in now.values()) else None
        after = second.wait_until(all_graded, timeout_s=240, what="every submission graded after the restart")
        assert sorted(after) == sorted(ids)
        for submission_id in (ids[0], ids[COUNT // 2], ids[-1]):
            body = second.get(f"{API}/submissions/{submission_id}").json()
            assert body["status"] == "completed" and body["final_score"] == 100 and body["graded_at"]
    finally:
        assert second.stop() == 0, second.log()

    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT submission_id, COUNT(*) FROM results GROUP BY submission_id").fetchall()
        total = connection.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    assert total == COUNT
    assert sorted(submission_id for submission_id, _ in rows) == sorted(ids)
    assert all(count == 1 for _, count in rows)
