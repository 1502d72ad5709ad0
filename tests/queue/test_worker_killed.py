"""Three workers grade 300 jobs through Redis; one is killed with SIGKILL while it holds a job.
Another worker takes that job over once it has been idle for --claim-idle, and every job ends with
exactly one result in the server's database (results are keyed by job id)."""

import signal
import sqlite3

from queue_harness import RedisServer, Worker, job_id_of_entry, pending_of, wait_for
from server_harness import Server, greeting_config, submission

API = "/api/v1"
COUNT = 300


def process_state(pid):
    """The state letter of /proc/PID/stat (R, S, T...)."""
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0]


def test_a_worker_killed_mid_job_loses_nothing_and_duplicates_nothing(tmp_path):
    redis_server = RedisServer(tmp_path / "redis").start()
    server = Server(str(tmp_path / "server.db"), extra_args=["--queue", redis_server.url]).start()
    workers = [Worker(redis_server.url, f"w{i}").start() for i in range(3)]
    client = redis_server.client()
    diagnostics = lambda: "\n".join([server.log()[-3000:]] + [w.log() for w in workers])
    try:
        assert server.post(f"{API}/configs", greeting_config("scale")).status == 201
        ids = []
        for i in range(COUNT):
            answer = server.post(f"{API}/submissions", submission("scale", user=f"student{i}"))
            assert answer.status == 202, answer
            ids.append(answer.json()["id"])

        # w0 holds a job (delivered, not acknowledged) after having graded a few: kill it there.
        # It is stopped before its jobs are read, so that it cannot finish (acknowledge and delete)
        # the job between the look and the kill; it goes on when it held none.
        victim = workers[0]

        def victim_stopped_holding_a_job():
            done = server.get(f"{API}/queue").json()["jobs"].get("done", 0)
            if done < 10 or not pending_of(client, victim.name):
                return None
            victim.process.send_signal(signal.SIGSTOP)
            wait_for(lambda: process_state(victim.process.pid) in "Tt", 60, "w0 stopped", diagnostics)
            held = pending_of(client, victim.name)
            jobs = [job_id_of_entry(client, entry["message_id"]) for entry in held]
            if held:
                return jobs
            victim.process.send_signal(signal.SIGCONT)
            return None
        held_jobs = wait_for(victim_stopped_holding_a_job, 240, "w0 holding a job", diagnostics)
        victim.kill()
        assert all(job_id is not None for job_id in held_jobs)

        def all_done():
            status = server.get(f"{API}/queue").json()
            return status if status["jobs"].get("done", 0) == COUNT else None
        status = wait_for(all_done, 600, f"all {COUNT} jobs done", diagnostics)
        assert status["jobs"].get("failed", 0) == 0
        assert status["length"] == 0 and status["pending"] == 0 and status["dead_letters"] == 0

        # The job w0 held was taken over by another worker, and graded.
        assert "reclaimed entry" in "\n".join(workers[1].log_lines + workers[2].log_lines), diagnostics()
        listed = {s["id"]: s for s in server.get(f"{API}/configs/scale/submissions?limit=1000").json()}
        assert sorted(listed) == sorted(ids)
        assert all(s["status"] == "completed" and s["final_score"] == 100 for s in listed.values())

        named = {w["name"]: w for w in server.get(f"{API}/workers").json()["workers"]}
        assert {"w1", "w2"} <= set(named)
        assert named["w1"]["jobs_done"] + named["w2"]["jobs_done"] > 0
        assert all(named[n]["jobs_failed"] == 0 for n in ("w1", "w2"))
    finally:
        for worker in workers[1:]:
            assert worker.stop() == 0, worker.log()
        assert server.stop() == 0, server.log()
        redis_server.stop()

    with sqlite3.connect(str(tmp_path / "server.db")) as connection:
        total, distinct_jobs, distinct_submissions = connection.execute(
            "SELECT COUNT(*), COUNT(DISTINCT job_id), COUNT(DISTINCT submission_id) FROM results").fetchone()
        held_done = connection.execute(
            f"SELECT COUNT(*) FROM jobs WHERE status = 'done' AND id IN ({','.join('?' * len(held_jobs))})",
            held_jobs).fetchone()[0]
    assert (total, distinct_jobs, distinct_submissions) == (COUNT, COUNT, COUNT)
    assert held_done == len(held_jobs)
