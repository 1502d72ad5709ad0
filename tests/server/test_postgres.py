"""Two servers on one PostgreSQL database (`--db postgresql://...`), each grading with its own
workers: submissions posted to either are graded once and readable from both. The database is on
the throwaway cluster that CTest's store.pg fixture starts (tests/store/postgres_cluster.sh)."""

import os
import subprocess
import uuid

from server_harness import Server, greeting_config, submission

API = "/api/v1"
COUNT = 40
ARGS = ["--workers", "2", "--pool-size", "2"]


def cluster():
    host = os.environ.get("AUTOGRADER_TEST_POSTGRES_HOST", "")
    assert host and os.path.exists(os.path.join(host, ".s.PGSQL.5432")), (
        f"no PostgreSQL test cluster at AUTOGRADER_TEST_POSTGRES_HOST={host!r}: run this test through ctest, "
        "whose fixture store.pg.cluster.start starts it")
    return host


def psql(host, database, sql):
    """The rows of `sql`, as lists of strings (psql, unaligned, no header)."""
    answer = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "|", "-h", host, "-U", "postgres", "-d", database,
                             "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True, timeout=60)
    assert answer.returncode == 0, answer.stderr
    return [line.split("|") for line in answer.stdout.splitlines() if line]


def test_two_servers_share_one_database_and_grade_each_submission_once():
    host = cluster()
    database = "server_test_" + uuid.uuid4().hex[:12]
    psql(host, "postgres", f"CREATE DATABASE {database}")
    url = f"postgresql://postgres:not-a-secret-pw@/{database}?host={host}"
    servers = []
    try:
        servers = [Server(url, extra_args=ARGS).start() for _ in range(2)]
        for server in servers:
            assert "not-a-secret-pw" not in server.log(), server.log()
            assert "postgresql://postgres:***@/" in server.log()
        first, second = servers
        assert first.post(f"{API}/configs", greeting_config("shared")).status == 201
        # The configuration one server stored is the other's: a second one is a conflict there.
        assert second.post(f"{API}/configs", greeting_config("shared")).status == 409

        ids = []
        for i in range(COUNT):
            server = servers[i % 2]
            answer = server.post(f"{API}/submissions", submission("shared", user=f"student{i}"))
            assert answer.status == 202, answer
            ids.append(answer.json()["id"])
        assert len(set(ids)) == COUNT
        # An idempotency key is one submission whichever server sees it.
        keyed = first.post(f"{API}/submissions", submission("shared", user="keyed"), headers={"Idempotency-Key": "k-1"})
        again = second.post(f"{API}/submissions", submission("shared", user="keyed"), headers={"Idempotency-Key": "k-1"})
        assert (keyed.status, again.status) == (202, 200), (keyed, again)
        assert keyed.json()["id"] == again.json()["id"], (keyed, again)
        ids.append(keyed.json()["id"])

        def graded_on(server):
            def all_completed():
                listed = server.get(f"{API}/configs/shared/submissions?limit=1000")
                assert listed.status == 200, listed
                now = {s["id"]: s for s in listed.json()}
                return now if len(now) == len(ids) and all(s["status"] == "completed" for s in now.values()) else None
            return server.wait_until(all_completed, timeout_s=240, what="every submission graded")

        seen_by_first, seen_by_second = graded_on(first), graded_on(second)
        assert sorted(seen_by_first) == sorted(ids) == sorted(seen_by_second)
        for submission_id in ids:
            one = first.get(f"{API}/submissions/{submission_id}").json()
            other = second.get(f"{API}/submissions/{submission_id}").json()
            assert one["final_score"] == 100 and one["graded_at"], one
            assert one == other
    finally:
        for server in servers:
            assert server.stop() == 0, server.log()

    try:
        results = psql(host, database, "SELECT COUNT(*), COUNT(DISTINCT submission_id) FROM results")
        assert results == [[str(len(ids)), str(len(ids))]]
        attempts = psql(host, database, "SELECT job_id, COUNT(*) FROM job_attempts GROUP BY job_id HAVING COUNT(*) > 1")
        assert attempts == []  # graded once: one attempt per job
        # Each server's workers graded (what was posted to it, at least).
        workers = psql(host, database, "SELECT DISTINCT split_part(worker, '-', 1) FROM job_attempts")
        pids = {f"pid{server.process.pid}" for server in servers}
        assert {row[0] for row in workers} == pids
    finally:
        psql(host, "postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


SLOW_PROGRAM = 'import time\ntime.sleep(3)\nprint("Hello, " + input())\n'


def test_a_shared_database_s_jobs_reach_idle_servers_and_outlive_a_killed_one():
    """Server B is idle and nothing wakes it: it still grades what A2 (which runs no jobs) accepted,
    by looking every --shared-poll; and when A1 is killed with SIGKILL while grading, the live servers queue A1's
    job again (--requeue-interval) and B grades it; A2, alive and idle, is never taken for dead."""
    host = cluster()
    database = "server_test_" + uuid.uuid4().hex[:12]
    psql(host, "postgres", f"CREATE DATABASE {database}")
    url = f"postgresql://postgres@/{database}?host={host}"
    polling = ["--shared-poll", "0.2", "--requeue-interval", "0.5"]
    servers = []
    try:
        a1 = Server(url, extra_args=["--workers", "1", "--pool-size", "1", *polling]).start()
        b = Server(url, extra_args=["--workers", "2", "--pool-size", "2", *polling]).start()
        a2 = Server(url, extra_args=["--workers", "0", *polling]).start()
        servers = [a1, b, a2]
        assert a1.post(f"{API}/configs", greeting_config("shared")).status == 201
        slow = a1.post(f"{API}/submissions", submission("shared", user="slow", code=SLOW_PROGRAM)).json()["id"]

        def held_by_a1():
            rows = psql(host, database, f"SELECT worker FROM job_attempts a JOIN jobs j ON j.id = a.job_id "
                                        f"WHERE j.target_id = {slow} AND a.finished_at IS NULL")
            return rows and rows[0][0].startswith(f"pid{a1.process.pid}-")
        b.wait_until(held_by_a1, 120, "A1 grading the slow submission")

        quick = a2.post(f"{API}/submissions", submission("shared", user="quick")).json()["id"]
        graded = b.wait_until(lambda: (lambda s: s if s["status"] == "completed" else None)(
            b.get(f"{API}/submissions/{quick}").json()), 120, "the submission A2 accepted graded by B")
        assert graded["final_score"] == 100
        a1.process.kill()
        assert a1.process.wait(timeout=60) == -9
        regraded = b.wait_until(lambda: (lambda s: s if s["status"] == "completed" else None)(
            b.get(f"{API}/submissions/{slow}").json()), 120, "A1's job queued again and graded by B")
        assert regraded["final_score"] == 100
    finally:
        for server in servers[1:]:
            assert server.stop() == 0, server.log()

    try:
        workers = {row[0]: row[1] for row in psql(
            host, database, "SELECT j.target_id || '-' || a.attempt, a.worker || ':' || a.outcome FROM job_attempts a "
                            "JOIN jobs j ON j.id = a.job_id")}
        assert workers[f"{quick}-1"].startswith(f"pid{b.process.pid}-") and workers[f"{quick}-1"].endswith(":done")
        assert workers[f"{slow}-1"].startswith(f"pid{a1.process.pid}-") and workers[f"{slow}-1"].endswith(":abandoned")
        assert workers[f"{slow}-2"].startswith(f"pid{b.process.pid}-") and workers[f"{slow}-2"].endswith(":done")
    finally:
        psql(host, "postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
