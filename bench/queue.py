#!/usr/bin/env python3
"""bench/queue.py: grading through Redis Streams on this machine.

  1. Graded jobs per second with 1, 2 and 4 `autograder worker` processes (one job at a time
     each): N submissions of examples/assignments/python-calculator posted to a server started with
     --queue, timed from the first POST until every job is done in the server's database.
  2. The queue's own cost per job: the same with an empty grading (a static_analysis check, no
     sandbox) and one worker; wall time per job minus the worker's grading time per job (its log
     says how long each grading took) is what the queue adds: the server's dispatch, Redis round
     trips, the result written into the database.

Each run has its own redis-server (Debian's, loopback, AOF on, a temporary folder) and database.
Workers, server, Redis and this script share the machine's cores: the figures are a floor. The last
line is JSON. It is not a test.

  bench/queue.py [--build build/release] [--submissions 120] [--empty-submissions 400]
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSIGNMENT = os.path.join(ROOT, "examples", "assignments", "python-calculator")
TOKEN = "bench-token"
API = "/api/v1"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, timeout_s, what):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise SystemExit(f"timed out waiting for {what}")


class Redis:
    def __init__(self, directory):
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", directory,
             "--appendonly", "yes", "--save", "", "--logfile", os.path.join(directory, "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_for(self._answers, 30, "redis-server")
        self.url = f"redis://127.0.0.1:{self.port}"

    def _answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


class Server:
    def __init__(self, binary, directory, redis_url):
        self.log = open(os.path.join(directory, "server.log"), "w+")
        self.process = subprocess.Popen(
            [binary, "--host", "127.0.0.1", "--port", "0", "--db", os.path.join(directory, "autograder.db"),
             "--token", TOKEN, "--max-queue", "1000000", "--queue", redis_url],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.port = wait_for(self._port, 60, "autograder-server listening")
        self.base = f"http://127.0.0.1:{self.port}"

    def _port(self):
        if self.process.poll() is not None:
            self.log.seek(0)
            raise SystemExit(f"autograder-server exited:\n{self.log.read()}")
        self.log.seek(0)
        match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", self.log.read())
        return int(match.group(1)) if match else None

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Authorization": f"Bearer {TOKEN}",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{method} {path}: HTTP {error.code}: {error.read()[:500]!r}")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=120)
        self.log.close()


class Worker:
    def __init__(self, binary, directory, redis_url, name):
        self.log_path = os.path.join(directory, f"{name}.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([binary, "worker", "--redis", redis_url, "--name", name,
                                         "--heartbeat-interval", "0.5"],
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def grading_ms(self):
        with open(self.log_path) as handle:
            return [int(ms) for ms in re.findall(r"graded job \d+ .* in (\d+) ms", handle.read())]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=120)
        self.log.close()


def calculator_config(assignment_id):
    with open(os.path.join(ASSIGNMENT, "config.json")) as handle:
        document = json.load(handle)
    document["external_assignment_id"] = assignment_id
    return document


def calculator_submission(assignment_id, user):
    folder = os.path.join(ASSIGNMENT, "submissions", "correct")
    files = [{"filename": name, "content": open(os.path.join(folder, name)).read()} for name in sorted(os.listdir(folder))]
    return {"external_assignment_id": assignment_id, "external_user_id": user, "username": user, "files": files,
            "language": "python"}


def empty_config(assignment_id):
    return {"external_assignment_id": assignment_id, "template_name": "static_analysis", "languages": ["python"],
            "criteria_config": {"base": {"weight": 100, "tests": [
                {"name": "has main", "type": "has_function", "function_name": "main"}]}}}


def empty_submission(assignment_id, user):
    return {"external_assignment_id": assignment_id, "external_user_id": user, "username": user,
            "files": [{"filename": "main.py", "content": "def main():\n    return 0\n"}]}


def run(build, workers, count, config, make_submission):
    """Seconds from the first POST until `count` jobs are done, and the workers' grading times."""
    directory = tempfile.mkdtemp(prefix="bench-queue-")
    redis = Redis(directory)
    server = Server(os.path.join(build, "examples", "server", "autograder-server"), directory, redis.url)
    started = [Worker(os.path.join(build, "src", "cli", "autograder"), directory, redis.url, f"w{i}")
               for i in range(workers)]
    try:
        wait_for(lambda: len(server.request("GET", f"{API}/workers")["workers"]) == workers, 60, "workers")
        server.request("POST", f"{API}/configs", config("bench"))
        begin = time.monotonic()
        for i in range(count):
            server.request("POST", f"{API}/submissions", make_submission("bench", f"s{i}"))
        status = wait_for(lambda: (lambda s: s if s["jobs"].get("done", 0) + s["jobs"].get("failed", 0) >= count
                                   else None)(server.request("GET", f"{API}/queue")), 1800, "every job done")
        seconds = time.monotonic() - begin
        if status["jobs"].get("failed", 0):
            raise SystemExit(f"{status['jobs']['failed']} jobs failed; see {directory}")
        last = server.request("GET", f"{API}/submissions/{count}")
        if last["status"] != "completed" or last["final_score"] != 100:
            raise SystemExit(f"the last submission was not graded 100: {json.dumps(last)[:500]}")
    finally:
        for worker in started:
            worker.stop()
        server.stop()
        redis.stop()
    grading = [ms for worker in started for ms in worker.grading_ms()]
    shutil.rmtree(directory, ignore_errors=True)
    return seconds, grading


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    parser.add_argument("--submissions", type=int, default=120)
    parser.add_argument("--empty-submissions", type=int, default=400)
    options = parser.parse_args()
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is not installed (scripts/setup.sh)")

    figures = {"cores": os.cpu_count(), "submissions": options.submissions, "graded_jobs_per_s": {}}
    for workers in (1, 2, 4):
        seconds, grading = run(options.build, workers, options.submissions, calculator_config, calculator_submission)
        rate = options.submissions / seconds
        figures["graded_jobs_per_s"][str(workers)] = round(rate, 1)
        print(f"{workers} worker(s): {options.submissions} graded in {seconds:.1f} s: {rate:.1f} jobs/s "
              f"(grading median {statistics.median(grading):.0f} ms)", flush=True)

    seconds, grading = run(options.build, 1, options.empty_submissions, empty_config, empty_submission)
    per_job_ms = seconds * 1000 / options.empty_submissions
    grading_ms = statistics.mean(grading) if grading else 0.0
    figures["empty"] = {"submissions": options.empty_submissions, "jobs_per_s": round(options.empty_submissions / seconds, 1),
                        "wall_ms_per_job": round(per_job_ms, 2), "grading_ms_per_job": round(grading_ms, 2),
                        "queue_overhead_ms_per_job": round(per_job_ms - grading_ms, 2)}
    print(f"empty grading, 1 worker: {options.empty_submissions} jobs in {seconds:.1f} s: {per_job_ms:.2f} ms per job, "
          f"of which grading {grading_ms:.2f} ms: the queue adds {per_job_ms - grading_ms:.2f} ms per job", flush=True)
    print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
