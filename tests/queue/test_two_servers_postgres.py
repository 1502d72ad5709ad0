"""Two servers on one PostgreSQL database and one Redis (`--db postgresql://… --queue redis://…`),
with two `autograder worker` processes: submissions posted to either server are graded once, by the
workers, and readable from both; a grading run posted to one is followed from the other. The
database is on the throwaway cluster of CTest's postgres_cluster fixture."""

import uuid

from queue_harness import RedisServer, Worker, wait_for
from server_harness import Server, greeting_config, submission
from test_postgres import cluster, psql

API = "/api/v1"
COUNT = 40


def test_two_servers_one_database_one_redis_grade_each_submission_once(tmp_path):
    host = cluster()
    database = "queue_test_" + uuid.uuid4().hex[:12]
    psql(host, "postgres", f"CREATE DATABASE {database}")
    url = f"postgresql://postgres@/{database}?host={host}"
    redis_server = RedisServer(tmp_path / "redis").start()
    servers, workers = [], []
    diagnostics = lambda: "\n".join([s.log()[-3000:] for s in servers] + [w.log() for w in workers])
    try:
        servers = [Server(url, extra_args=["--queue", redis_server.url]).start() for _ in range(2)]
        workers = [Worker(redis_server.url, f"w{i}").start() for i in range(2)]
        first, second = servers
        assert first.post(f"{API}/configs", greeting_config("shared")).status == 201
        ids = []
        for i in range(COUNT):
            answer = servers[i % 2].post(f"{API}/submissions", submission("shared", user=f"student{i}"))
            assert answer.status == 202, answer
            ids.append(answer.json()["id"])
        run = second.post(f"{API}/grading-runs", {"external_assignment_id": "shared", "from": "latest"})
        assert run.status == 202, run
        run_id = run.json()["id"]

        def run_completed():
            seen = first.get(f"{API}/grading-runs/{run_id}").json()
            return seen if seen["status"] == "completed" else None
        seen = wait_for(run_completed, 600, "the grading run to complete on the other server", diagnostics)
        assert seen["counts"]["completed"] == COUNT and seen["summary"]["mean"] == 100
        assert seen == second.get(f"{API}/grading-runs/{run_id}").json()

        for submission_id in ids:
            one = first.get(f"{API}/submissions/{submission_id}").json()
            other = second.get(f"{API}/submissions/{submission_id}").json()
            assert one["status"] == "completed" and one["final_score"] == 100, one
            assert one == other
        def graded_by_the_workers():  # their counts arrive with their next heartbeat
            named = {w["name"]: w for w in first.get(f"{API}/workers").json()["workers"]}
            return sum(named[n]["jobs_done"] for n in ("w0", "w1") if n in named) == 2 * COUNT
        wait_for(graded_by_the_workers, 60, "the workers' heartbeats to count every grading", diagnostics)
    finally:
        for worker in workers:
            assert worker.stop() == 0, worker.log()
        for server in servers:
            assert server.stop() == 0, server.log()
        redis_server.stop()

    try:
        results = psql(host, database, "SELECT COUNT(*), COUNT(DISTINCT submission_id) FROM results")
        assert results == [[str(2 * COUNT), str(2 * COUNT)]]
        attempts = psql(host, database, "SELECT job_id, COUNT(*) FROM job_attempts GROUP BY job_id HAVING COUNT(*) > 1")
        assert attempts == []  # handed to the workers once per job
    finally:
        psql(host, "postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
