"""`autograder grade --batch DIR --queue redis://…`: a class graded by real `autograder worker`
processes through a real redis-server gives the same summaries, statistics and feedback files as
the same batch graded on this machine; its results never reach the server's stream; it leaves
nothing behind in Redis; and it says what is wrong when Redis, the workers or the configuration
cannot do the job."""

import json
import os
import re
import shutil
import signal
import subprocess

from queue_harness import CLI_BINARY, DEAD_LETTERS, JOBS, RESULTS, RedisServer, Worker, free_port, wait_for

SOURCE = os.environ.get("AUTOGRADER_SOURCE_DIR", "")
ASSIGNMENT = os.path.join(SOURCE, "examples", "assignments", "c-geometry")
CONFIG = os.path.join(ASSIGNMENT, "config.json")
ENQUEUED = "autograder:jobs:enqueued"
GRADE_TIMEOUT_S = 900


def make_class(root):
    """30 students: correct, partial and broken (does not compile) programs, one without a required
    file (the pipeline's pre-flight fails it) and one empty folder (its files cannot be read)."""
    assert os.path.isdir(ASSIGNMENT), f"AUTOGRADER_SOURCE_DIR={SOURCE!r} has no {ASSIGNMENT}"
    submissions = os.path.join(ASSIGNMENT, "submissions")
    batch = os.path.join(root, "class")
    os.makedirs(batch)
    kinds = ["correct"] * 10 + ["partial"] * 9 + ["broken"] * 8
    for number, kind in enumerate(kinds):
        shutil.copytree(os.path.join(submissions, kind), os.path.join(batch, f"student{number:02d}-{kind}"))
    shutil.copytree(os.path.join(submissions, "correct"), os.path.join(batch, "student27-no-header"))
    os.remove(os.path.join(batch, "student27-no-header", "shapes.h"))
    shutil.copytree(os.path.join(submissions, "partial"), os.path.join(batch, "student28-extra-file"))
    with open(os.path.join(batch, "student28-extra-file", "NOTES.md"), "w") as notes:
        notes.write("my notes\n")
    os.makedirs(os.path.join(batch, "student29-empty"))
    os.makedirs(os.path.join(batch, ".git"))  # not a student, in both runs
    return batch


def grade(*args, timeout=GRADE_TIMEOUT_S):
    assert CLI_BINARY and os.access(CLI_BINARY, os.X_OK), f"AUTOGRADER_CLI={CLI_BINARY!r}"
    return subprocess.run([CLI_BINARY, "grade", *args], capture_output=True, text=True, errors="replace",
                          timeout=timeout)


def jsonl_rows(prefix):
    with open(prefix + ".jsonl") as lines:
        return [json.loads(line) for line in lines]


def read(path):
    with open(path, encoding="utf-8", errors="replace") as file:
        return file.read()


TIMING = re.compile(r"^graded (\d+) submissions \((\d+) SUCCESS, (\d+) not\) in [0-9.]+ s \([0-9.]+/s\) "
                    r"with \d+ jobs$")


def statistics(stdout, prefix):
    """The printed statistics with the run's own prefix made neutral, and the timing line's counts."""
    lines = stdout.replace(prefix, "PREFIX").splitlines()
    timing = TIMING.match(lines[0])
    assert timing, stdout
    return timing.groups(), lines[1:]


def leftovers(client):
    return {"replies": client.keys("autograder:replies:*"), "enqueued": client.hgetall(ENQUEUED)}


def test_a_batch_through_two_workers_equals_the_local_batch(tmp_path):
    batch = make_class(tmp_path)
    redis_server = RedisServer(tmp_path / "redis").start()
    client = redis_server.client()
    # A server sharing the prefix would read these through its consumer group.
    client.xgroup_create(RESULTS, "servers", id="$", mkstream=True)
    client.xgroup_create(DEAD_LETTERS, "servers", id="$", mkstream=True)
    workers = [Worker(redis_server.url, f"grader{n}").start() for n in (1, 2)]
    diagnostics = lambda: "\n".join(w.log() for w in workers)
    try:
        queued_prefix = str(tmp_path / "queued")
        queued = grade("--batch", batch, "--config", CONFIG, "--queue", redis_server.url, "--summary", queued_prefix)
        assert queued.returncode == 0, queued.stderr + diagnostics()
        local_prefix = str(tmp_path / "local")
        local = grade("--batch", batch, "--config", CONFIG, "--summary", local_prefix)
        assert local.returncode == 0, local.stderr

        queued_rows, local_rows = jsonl_rows(queued_prefix), jsonl_rows(local_prefix)
        assert len(local_rows) == 30
        for row in queued_rows + local_rows:
            row.pop("duration_ms")
        assert queued_rows == local_rows
        by_name = {row["submission"]: row for row in queued_rows}
        # The class is mixed, so equal summaries say something.
        assert by_name["student00-correct"]["status"] == "SUCCESS" and by_name["student00-correct"]["score"] == 100
        assert 0 < by_name["student10-partial"]["score"] < 100
        assert by_name["student19-broken"]["status"] == "FAILED"
        assert by_name["student27-no-header"]["failed_at_step"] == "PRE_FLIGHT"
        assert by_name["student29-empty"] == {"submission": "student29-empty", "status": "FAILED", "score": 0,
                                              "failed_at_step": "PRE_FLIGHT", "message": "no files to read"}
        assert len({row["score"] for row in queued_rows}) >= 3

        assert read(queued_prefix + "-tests.csv") == read(local_prefix + "-tests.csv")
        assert read(queued_prefix + "-tests.csv").count("\n") > 5
        queued_timing, queued_stats = statistics(queued.stdout, queued_prefix)
        local_timing, local_stats = statistics(local.stdout, local_prefix)
        assert queued_timing == local_timing and queued_timing[0] == "30", (queued.stdout, local.stdout)
        assert queued_stats == local_stats
        assert any(line.startswith("pass rate per test:") for line in queued_stats)

        queued_files = sorted(os.listdir(queued_prefix + "-results"))
        assert queued_files == sorted(os.listdir(local_prefix + "-results"))
        assert len(queued_files) == 30
        for name in queued_files:
            assert read(os.path.join(queued_prefix + "-results", name)) == read(
                os.path.join(local_prefix + "-results", name)), name
        assert read(os.path.join(queued_prefix + "-results", "student10-partial.md"))

        # The workers graded the 29 students sent, and nothing reached the server's streams.
        # (A worker logs a job after publishing it: its last line may come after the batch ended.)
        wait_for(lambda: sum("graded job" in line for w in workers for line in w.log_lines) >= 29, 60,
                 "the workers' logs of the 29 jobs", diagnostics)
        assert client.xreadgroup("servers", "a-server", {RESULTS: ">", DEAD_LETTERS: ">"}, count=10) == []
        assert client.xlen(RESULTS) == 0 and client.xlen(DEAD_LETTERS) == 0
        assert client.xlen(JOBS) == 0
        assert leftovers(client) == {"replies": [], "enqueued": {}}

        # A job that names another key as its reply stream is refused by the worker.
        job = {"config_id": 1, "config_version": 1, "configuration": {}, "locale": "en", "language": "c",
               "metadata": {}, "files": [{"filename": "main.c", "content": "int main(){}"}],
               "reply_to": RESULTS}
        client.xadd(JOBS, {"job_id": "5", "submission_id": "5", "attempts": "0", "max_attempts": "3",
                           "job": json.dumps(job)})
        wait_for(lambda: client.xlen(DEAD_LETTERS) == 1, 60, "the hostile reply_to dead-lettered", diagnostics)
        reason = client.xrange(DEAD_LETTERS)[0][1]["reason"]
        assert "job.reply_to must be a key 'autograder:replies:" in reason, reason
        assert client.xlen(RESULTS) == 0

        # A job the worker gives up on (a configuration it cannot use) is dead-lettered to its
        # reply stream, not to the server's dead letters.
        probe = "autograder:replies:probe"
        client.xadd(probe, {"outcome": "opened"})
        client.xadd(JOBS, {"job_id": "6", "submission_id": "6", "attempts": "0", "max_attempts": "3",
                           "job": json.dumps(dict(job, reply_to=probe))})
        letter = wait_for(lambda: [f for _, f in client.xrange(probe) if f.get("outcome") == "dead_letter"], 60,
                          "the job dead-lettered to its reply stream", diagnostics)[0]
        assert letter["job_id"] == "6" and "the configuration cannot be used" in letter["reason"], letter
        assert client.xlen(DEAD_LETTERS) == 1

        # A reply stream that is gone (its batch gave up) is not made again by a worker's result.
        correct = os.path.join(ASSIGNMENT, "submissions", "correct")
        with open(CONFIG) as file:
            configuration = json.load(file)
        files = [{"filename": name, "content": read(os.path.join(correct, name))} for name in sorted(os.listdir(correct))]
        client.xadd(JOBS, {"job_id": "7", "submission_id": "7", "attempts": "0", "max_attempts": "3",
                           "job": json.dumps(dict(job, configuration=configuration, files=files,
                                                  config_id=3 << 61, reply_to="autograder:replies:gone"))})
        wait_for(lambda: client.xlen(JOBS) == 0 and any("graded job 7 " in line for w in workers for line in w.log_lines),
                 120, "job 7 graded", diagnostics)
        assert not client.exists("autograder:replies:gone")
        assert client.xlen(RESULTS) == 0
    finally:
        for worker in workers:
            assert worker.stop() == 0, worker.log()
        redis_server.stop()


def test_a_dead_lettered_student_is_an_interrupted_row(tmp_path):
    """A dead letter on the batch's reply stream (what a worker sends when it gives up on a job:
    here written by hand, the worker's side is the test above) is the student's row INTERRUPTED at
    BATCH with the reason, the way a local batch shows a grading the host failed."""
    batch = os.path.join(tmp_path, "class")
    os.makedirs(os.path.join(batch, "one"))
    shutil.copytree(os.path.join(ASSIGNMENT, "submissions", "correct"), os.path.join(batch, "one"),
                    dirs_exist_ok=True)
    redis_server = RedisServer(tmp_path / "redis").start()
    client = redis_server.client()
    try:
        run = subprocess.Popen([CLI_BINARY, "grade", "--batch", batch, "--config", CONFIG, "--queue",
                                redis_server.url, "--summary", str(tmp_path / "s")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
        entry = wait_for(lambda: client.xrange(JOBS), 60, "the batch's job enqueued")[0][1]
        reply_to = json.loads(entry["job"])["reply_to"]
        assert reply_to.startswith("autograder:replies:")
        assert client.hgetall(ENQUEUED) == {f"{reply_to}#{entry['job_id']}": "1"}
        assert int(entry["job_id"]) > 2 ** 62  # far from the server's job ids
        client.xadd(reply_to, {"outcome": "dead_letter", "job_id": entry["job_id"], "submission_id": "1",
                               "reason": "the worker grading it stopped 3 times", "attempts": "3",
                               "worker": "w", "failed_at": "2026-01-01T00:00:00.000Z", "job": ""})
        stdout, stderr = run.communicate(timeout=120)
        assert run.returncode == 0, stderr
        rows = jsonl_rows(str(tmp_path / "s"))
        assert rows[0]["status"] == "INTERRUPTED" and rows[0]["failed_at_step"] == "BATCH"
        assert rows[0]["message"] == "the workers gave up on this submission: the worker grading it stopped 3 times"
        assert "graded 1 submissions (0 SUCCESS, 1 not)" in stdout
        assert leftovers(client) == {"replies": [], "enqueued": {}}
    finally:
        redis_server.stop()


def test_no_worker_warns_and_the_timeout_gives_up_cleanly(tmp_path):
    batch = make_class(tmp_path)
    redis_server = RedisServer(tmp_path / "redis").start()
    client = redis_server.client()
    try:
        prefix = str(tmp_path / "s")
        run = grade("--batch", batch, "--config", CONFIG, "--queue", redis_server.url, "--summary", prefix,
                    "--queue-timeout", "7", timeout=120)
        assert run.returncode == 1, run.stderr
        assert "no worker heartbeat on autograder:workers" in run.stderr, run.stderr
        assert "--queue-timeout: gave up waiting; 29 submissions are INTERRUPTED" in run.stderr, run.stderr
        rows = jsonl_rows(prefix)
        assert len(rows) == 30
        statuses = {row["submission"]: row["status"] for row in rows}
        assert statuses.pop("student29-empty") == "FAILED"  # never sent: its files cannot be read
        assert set(statuses.values()) == {"INTERRUPTED"}
        assert "no worker graded it" in rows[0]["message"]
        # The jobs no worker took are withdrawn, with the reply stream and the marks.
        assert client.xlen(JOBS) == 0
        assert leftovers(client) == {"replies": [], "enqueued": {}}
    finally:
        redis_server.stop()


def test_ctrl_c_stops_waiting_and_cleans_up(tmp_path):
    batch = make_class(tmp_path)
    redis_server = RedisServer(tmp_path / "redis").start()
    client = redis_server.client()
    try:
        run = subprocess.Popen([CLI_BINARY, "grade", "--batch", batch, "--config", CONFIG, "--queue",
                                redis_server.url, "--summary", str(tmp_path / "s")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
        wait_for(lambda: client.xlen(JOBS) == 29, 60, "the batch's 29 jobs enqueued")
        run.send_signal(signal.SIGINT)
        stdout, stderr = run.communicate(timeout=60)
        assert run.returncode == 128 + signal.SIGINT, stderr
        assert "may still be graded" in stderr and "No summary was written" in stderr, stderr
        assert not os.path.exists(str(tmp_path / "s") + ".jsonl")
        assert client.xlen(JOBS) == 0
        assert leftovers(client) == {"replies": [], "enqueued": {}}
    finally:
        redis_server.stop()


def test_what_the_queue_cannot_do_is_refused_before_the_folder_is_read(tmp_path):
    batch = make_class(tmp_path)
    prefix = str(tmp_path / "s")
    unreachable = f"redis://127.0.0.1:{free_port()}"
    run = grade("--batch", batch, "--config", CONFIG, "--queue", unreachable, "--summary", prefix)
    assert run.returncode == 2 and f"--queue: cannot reach Redis at {unreachable}" in run.stderr, run.stderr
    assert not os.path.exists(prefix + "-results")

    run = grade("--batch", batch, "--config", CONFIG, "--queue", "http://127.0.0.1:6379", "--summary", prefix)
    assert run.returncode == 2 and "--queue: " in run.stderr and "redis://" in run.stderr, run.stderr

    run = grade("--config", CONFIG, "--queue", unreachable, os.path.join(batch, "student00-correct"))
    assert run.returncode == 2 and "--queue grades a batch: give --batch DIR" in run.stderr, run.stderr

    run = grade("--batch", batch, "--config", CONFIG, "--queue", unreachable, "--jobs", "4")
    assert run.returncode == 2 and "--jobs does not apply with --queue" in run.stderr, run.stderr

    # Its instructor tests are files of the assignment folder, which the workers do not have.
    needs_files = os.path.join(SOURCE, "examples", "assignments", "c-doctest", "config.json")
    run = grade("--batch", batch, "--config", needs_files, "--queue", unreachable, "--summary", prefix)
    assert run.returncode == 2, run.stderr
    assert "needs files of its assignment folder" in run.stderr and "does not exist" in run.stderr, run.stderr
    assert not os.path.exists(prefix + "-results")
