"""The server's database is the outbox of the queue: a server restarted while its jobs wait in Redis
enqueues each of them again, which Redis ignores (one entry per job), and a job given back for a
retry waits in the sorted set of delayed jobs until it is due, then returns to the stream."""

import json
import time

from queue_harness import JOBS, RedisServer, Worker, wait_for
from server_harness import Server, greeting_config, submission

API = "/api/v1"
DELAYED = "autograder:jobs:delayed"
COUNT = 5


def test_a_restarted_server_does_not_enqueue_its_jobs_twice(tmp_path):
    redis_server = RedisServer(tmp_path / "redis").start()
    client = redis_server.client()
    db = str(tmp_path / "server.db")
    first = Server(db, extra_args=["--queue", redis_server.url]).start()
    try:
        assert first.post(f"{API}/configs", greeting_config("outbox")).status == 201
        ids = [first.post(f"{API}/submissions", submission("outbox", user=f"s{i}")).json()["id"] for i in range(COUNT)]
        wait_for(lambda: client.xlen(JOBS) == COUNT, 60, f"{COUNT} jobs in the stream", first.log)
    finally:
        assert first.stop() == 0, first.log()

    second = Server(db, extra_args=["--queue", redis_server.url]).start()
    worker = None
    try:
        # The restart found the jobs running (handed to Redis) and enqueued them again: no-ops.
        wait_for(lambda: second.log().count("already in the queue") == COUNT, 60,
                 "the jobs enqueued again and refused", second.log)
        assert client.xlen(JOBS) == COUNT
        assert client.hlen("autograder:jobs:enqueued") == COUNT
        worker = Worker(redis_server.url, "only").start()
        for submission_id in ids:
            second.wait_until(lambda: second.get(f"{API}/submissions/{submission_id}").json()["status"] == "completed",
                              what=f"submission {submission_id} graded")
        assert client.xlen(JOBS) == 0 and client.hlen("autograder:jobs:enqueued") == 0
        assert second.get(f"{API}/queue").json()["jobs"] == {"done": COUNT, "failed": 0, "queued": 0, "running": 0}
    finally:
        if worker:
            assert worker.stop() == 0, worker.log()
        assert second.stop() == 0, second.log()
        redis_server.stop()


def test_a_delayed_job_returns_to_the_stream_when_due(tmp_path):
    redis_server = RedisServer(tmp_path / "redis").start()
    client = redis_server.client()
    server = Server(str(tmp_path / "server.db"), extra_args=["--queue", redis_server.url]).start()
    worker = None
    try:
        assert server.post(f"{API}/configs", greeting_config("later")).status == 201
        due_id = server.post(f"{API}/submissions", submission("later", user="due")).json()["id"]
        future_id = server.post(f"{API}/submissions", submission("later", user="future")).json()["id"]
        entries = wait_for(lambda: (lambda e: e if len(e) == 2 else None)(client.xrange(JOBS)), 60,
                           "both jobs in the stream", server.log)
        # Move both to the delayed set as a worker's retry_later does: one due now, one in an hour.
        # The server's threads enqueue the two jobs in either order: the entries are told apart by
        # their submission, not by their position in the stream.
        entries = sorted(entries, key=lambda entry: entry[1]["submission_id"] != str(due_id))
        now_ms = int(time.time() * 1000)
        for (entry_id, fields), due in zip(entries, (now_ms - 1, now_ms + 3_600_000)):
            member = json.dumps(dict(fields, attempts="1"))
            assert client.xdel(JOBS, entry_id) == 1
            client.zadd(DELAYED, {member: due})
        assert client.xlen(JOBS) == 0

        worker = Worker(redis_server.url, "patient").start()
        body = server.wait_until(
            lambda: (lambda b: b if b["status"] == "completed" else None)(
                server.get(f"{API}/submissions/{due_id}").json()),
            what="the due job graded")
        assert body["final_score"] == 100
        assert client.zcard(DELAYED) == 1
        waiting = json.loads(client.zrange(DELAYED, 0, -1)[0])
        assert waiting["submission_id"] == str(future_id) and waiting["attempts"] == "1"
        assert server.get(f"{API}/submissions/{future_id}").json()["status"] == "processing"
        status = server.get(f"{API}/queue").json()
        assert status["delayed"] == 1 and status["length"] == 0
    finally:
        if worker:
            assert worker.stop() == 0, worker.log()
        assert server.stop() == 0, server.log()
        redis_server.stop()


def test_unreadable_results_do_not_stop_the_server(tmp_path):
    redis_server = RedisServer(tmp_path / "redis").start()
    client = redis_server.client()
    server = Server(str(tmp_path / "server.db"), extra_args=["--queue", redis_server.url]).start()
    try:
        assert server.post(f"{API}/configs", greeting_config("hostile")).status == 201
        submission_id = server.post(f"{API}/submissions", submission("hostile")).json()["id"]
        entries = wait_for(lambda: client.xrange(JOBS), 60, "the job in the stream", server.log)
        job_id = entries[0][1]["job_id"]
        # Entries no worker would write: no job id, then a result of the real job that is not one.
        client.xadd("autograder:results", {"garbage": "x" * 1000})
        client.xadd("autograder:dead-letters", {"job_id": "not a number", "reason": "?"})
        client.xadd("autograder:results", {"job_id": job_id, "submission_id": str(submission_id), "worker": "evil",
                                           "status": "SUCCESS", "final_score": "1e999", "result": "{}"})
        body = server.wait_until(
            lambda: (lambda b: b if b["status"] == "failed" else None)(
                server.get(f"{API}/submissions/{submission_id}").json()),
            what="the submission failed by its unreadable result")
        assert "the worker's answer was unreadable" in body["error"] and "final_score" in body["error"]
        wait_for(lambda: client.xpending("autograder:results", "servers")["pending"] == 0, 60,
                 "every result entry acknowledged", server.log)
        assert server.get(f"{API}/health").status == 200
        # The log reaches the harness through a pipe and a reader thread, after the acknowledgement.
        server.wait_until(lambda: server.log().count("an unreadable entry") >= 3,
                          what="three unreadable entries logged")
        assert server.log().count("an unreadable entry") == 3
    finally:
        assert server.stop() == 0, server.log()
        redis_server.stop()
