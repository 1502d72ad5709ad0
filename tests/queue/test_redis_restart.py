"""Redis is restarted (SIGTERM, started again on the same append-only file) while jobs wait in its
stream and workers grade: the server and the workers wait for it to come back, and every job ends
with exactly one result."""

import sqlite3

from queue_harness import RedisServer, Worker, wait_for
from server_harness import Server, greeting_config, submission

API = "/api/v1"
COUNT = 150


def test_redis_restarted_mid_run_loses_nothing(tmp_path):
    redis_server = RedisServer(tmp_path / "redis").start()
    server = Server(str(tmp_path / "server.db"), extra_args=["--queue", redis_server.url]).start()
    workers = [Worker(redis_server.url, f"w{i}").start() for i in range(2)]
    diagnostics = lambda: "\n".join([server.log()[-3000:], redis_server.log()] + [w.log() for w in workers])
    try:
        assert server.post(f"{API}/configs", greeting_config("restart")).status == 201
        for i in range(COUNT):
            assert server.post(f"{API}/submissions", submission("restart", user=f"s{i}")).status == 202

        def midway():
            status = server.get(f"{API}/queue").json()
            return status if status["jobs"].get("done", 0) >= 5 and status["length"] >= 20 else None
        before = wait_for(midway, 240, "some jobs graded and at least 20 waiting in Redis", diagnostics)
        assert before["length"] >= 20
        redis_server.restart()
        # What the stream held is back from the append-only file.
        assert redis_server.client().xlen("autograder:jobs") > 0

        def all_done():
            answer = server.get(f"{API}/queue")
            if answer.status != 200:
                return None
            status = answer.json()
            return status if status["jobs"].get("done", 0) == COUNT else None
        status = wait_for(all_done, 600, f"all {COUNT} jobs done after the restart", diagnostics)
        assert status["jobs"].get("failed", 0) == 0 and status["dead_letters"] == 0
    finally:
        for worker in workers:
            assert worker.stop() == 0, worker.log()
        assert server.stop() == 0, server.log()
        redis_server.stop()

    with sqlite3.connect(str(tmp_path / "server.db")) as connection:
        total, distinct_jobs = connection.execute("SELECT COUNT(*), COUNT(DISTINCT job_id) FROM results").fetchone()
        completed = connection.execute("SELECT COUNT(*) FROM submissions WHERE status = 'completed'").fetchone()[0]
    assert (total, distinct_jobs, completed) == (COUNT, COUNT, COUNT)
