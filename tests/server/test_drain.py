"""SIGTERM drains: the listener stops, the job being graded finishes, queued jobs stay queued in
the database, the process exits 0; the next start grades what was left."""

import signal
import sqlite3

from server_harness import GREETING_PROGRAM, Server, greeting_config, submission

API = "/api/v1"
SLOW_PROGRAM = "import time\ntime.sleep(1)\n" + GREETING_PROGRAM


def test_sigterm_finishes_running_jobs_and_keeps_queued_ones(tmp_path):
    db = str(tmp_path / "drain.db")
    server = Server(db, extra_args=["--workers", "1", "--pool-size", "1"]).start()
    try:
        assert server.post(f"{API}/configs", greeting_config("drain")).status == 201
        ids = [server.post(f"{API}/submissions", submission("drain", user=f"s{i}", code=SLOW_PROGRAM)).json()["id"]
               for i in range(4)]
        server.wait_until(lambda: server.get(f"{API}/submissions/{ids[0]}").json()["status"] == "processing",
                          what="the first submission being graded")
    finally:
        assert server.stop(signal.SIGTERM) == 0, server.log()
    assert "drained; exiting" in server.log()

    with sqlite3.connect(db) as connection:
        statuses = dict(connection.execute("SELECT id, status FROM submissions").fetchall())
        running = connection.execute("SELECT COUNT(*) FROM jobs WHERE status = 'running'").fetchone()[0]
    assert statuses[ids[0]] == "completed"  # it was running: it finished before the exit
    assert running == 0
    assert set(statuses.values()) <= {"completed", "pending"}

    again = Server(db, extra_args=["--workers", "2"]).start()
    try:
        again.wait_until(lambda: all(again.get(f"{API}/submissions/{i}").json()["status"] == "completed" for i in ids),
                         what="the rest graded after the restart")
        assert all(again.get(f"{API}/submissions/{i}").json()["final_score"] == 100 for i in ids)
    finally:
        assert again.stop() == 0
