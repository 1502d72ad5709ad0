"""A job on which the worker dies three times (each worker that takes it is killed with SIGKILL
while grading it) ends in the dead-letter stream with the reason and its attempts, and its
submission says `failed` with that reason. A malformed entry put on the stream by hand is
dead-lettered too, and the worker that read it goes on grading."""

from queue_harness import DEAD_LETTERS, JOBS, RedisServer, Worker, job_id_of_entry, pending_of, wait_for
from server_harness import Server, greeting_config, submission

API = "/api/v1"
# Sleeps far longer than the test needs to see the job taken and kill its worker.
SLOW_PROGRAM = "import time\ntime.sleep(60)\nprint('Hello, ' + input())\n"


def slow_config(assignment_id):
    config = greeting_config(assignment_id)
    test = dict(config["criteria_config"]["base"]["tests"][0], time_limit=30, wall_time_limit=90)
    config["criteria_config"] = {"base": {"weight": 100, "tests": [test]}}
    return config


def test_a_job_that_kills_its_worker_three_times_is_dead_lettered(tmp_path):
    redis_server = RedisServer(tmp_path / "redis").start()
    client = redis_server.client()
    server = Server(str(tmp_path / "server.db"), extra_args=["--queue", redis_server.url]).start()
    workers = []
    diagnostics = lambda: "\n".join([server.log()[-3000:]] + [w.log() for w in workers])
    try:
        assert server.post(f"{API}/configs", slow_config("poison")).status == 201
        answer = server.post(f"{API}/submissions", submission("poison", code=SLOW_PROGRAM))
        assert answer.status == 202, answer
        submission_id = answer.json()["id"]

        for crash in range(1, 4):
            worker = Worker(redis_server.url, f"doomed{crash}", claim_idle_s=1.0).start()
            workers.append(worker)
            held = wait_for(lambda: pending_of(client, worker.name), 120, f"{worker.name} taking the job",
                            diagnostics)
            assert held[0]["times_delivered"] == crash
            worker.kill()
            sub = server.get(f"{API}/submissions/{submission_id}").json()
            assert sub["status"] == "processing", sub

        survivor = Worker(redis_server.url, "survivor", claim_idle_s=1.0).start()
        workers.append(survivor)

        def failed():
            body = server.get(f"{API}/submissions/{submission_id}").json()
            return body if body["status"] == "failed" else None
        body = wait_for(failed, 120, "the submission failed", diagnostics)
        assert "stopped 3 times" in body["error"] and "3 attempts" in body["error"], body

        letters = client.xrange(DEAD_LETTERS)
        assert len(letters) == 1
        fields = letters[0][1]
        assert fields["submission_id"] == str(submission_id)
        assert fields["attempts"] == "3"
        assert fields["reason"] == body["error"]
        assert fields["worker"] == "survivor"
        assert client.xlen(JOBS) == 0
        status = server.get(f"{API}/queue").json()
        assert status["dead_letters"] == 1 and status["pending"] == 0 and status["length"] == 0
        assert status["jobs"]["failed"] == 1

        # A hostile entry: no job_id, JSON that is not. The worker dead-letters it and goes on.
        client.xadd(JOBS, {"submission_id": "abc", "job": "{not json"})
        wait_for(lambda: client.xlen(DEAD_LETTERS) == 2, 60, "the malformed entry dead-lettered", diagnostics)
        assert "malformed job entry" in client.xrange(DEAD_LETTERS)[-1][1]["reason"]
        client.xadd(JOBS, {"job_id": "77", "submission_id": "1", "attempts": "0", "max_attempts": "3",
                           "job": '{"config_id": 1, "config_version": 1, "configuration": {}, "locale": "en", '
                                  '"language": "python", "metadata": {}, "files": [{"filename": "../etc/passwd", '
                                  '"content": ""}]}'})
        wait_for(lambda: client.xlen(DEAD_LETTERS) == 3, 60, "the entry with a bad file name dead-lettered",
                 diagnostics)
        assert "job.files[0].filename" in client.xrange(DEAD_LETTERS)[-1][1]["reason"]

        assert server.post(f"{API}/configs", greeting_config("fine")).status == 201
        good = server.post(f"{API}/submissions", submission("fine")).json()["id"]
        wait_for(lambda: server.get(f"{API}/submissions/{good}").json()["status"] == "completed", 120,
                 "a good submission graded after the malformed entries", diagnostics)

        def survivor_counted():  # its next heartbeat carries the counts
            named = {w["name"]: w for w in server.get(f"{API}/workers").json()["workers"]}
            return named["survivor"] if named["survivor"]["jobs_done"] == 1 else None
        survivor_status = wait_for(survivor_counted, 30, "the survivor's heartbeat counting its job", diagnostics)
        assert survivor_status["jobs_failed"] == 3 and survivor_status["state"] in ("idle", "busy")
        assert survivor.process.poll() is None
    finally:
        for worker in workers:
            if worker.process.poll() is None:
                assert worker.stop() == 0, worker.log()
        assert server.stop() == 0, server.log()
        redis_server.stop()


def test_sigterm_drains_a_worker_and_its_job_is_published(tmp_path):
    redis_server = RedisServer(tmp_path / "redis").start()
    client = redis_server.client()
    server = Server(str(tmp_path / "server.db"), extra_args=["--queue", redis_server.url]).start()
    worker = Worker(redis_server.url, "drainer").start()
    try:
        config = slow_config("drain")
        assert server.post(f"{API}/configs", config).status == 201
        program = "import time\ntime.sleep(2)\nprint('Hello, ' + input())\n"
        submission_id = server.post(f"{API}/submissions", submission("drain", code=program)).json()["id"]
        held = wait_for(lambda: pending_of(client, worker.name), 120, "the worker taking the job", worker.log)
        assert job_id_of_entry(client, held[0]["message_id"]) is not None
        assert worker.stop() == 0, worker.log()
        body = server.wait_until(
            lambda: (lambda b: b if b["status"] == "completed" else None)(
                server.get(f"{API}/submissions/{submission_id}").json()),
            what="the drained worker's result recorded")
        assert body["final_score"] == 100
        assert "drained; exiting" in worker.log()
    finally:
        if worker.process.poll() is None:
            worker.stop()
        assert server.stop() == 0, server.log()
        redis_server.stop()
