#!/usr/bin/env python3
"""bench/server.py: what a course platform sees of autograder-server on loopback.

  1. Accepting: POST /api/v1/submissions per second (wrk, keep-alive connections), with no worker
     grading (the server's intake alone) and with the workers grading what arrives (a deadline).
     Then GET /api/v1/submissions/{id} per second.
  2. Spaced: one POST every 20 ms (a class submitting, not a load generator): median and p90.
  3. End to end: N submissions of examples/assignments/python-calculator posted at once and polled
     until every one is graded, against `autograder grade --batch` of the same N folders with as
     many jobs as the server has workers. Runs alternate (server, CLI, server, ...), each on a
     fresh database; the medians are compared.

The load generator runs on the same machine as the server: on 2 cores, wrk's thread takes CPU the
server would otherwise use, so the accepting figures are a floor. The last line is JSON.

  bench/server.py [--build build/release] [--submissions 60] [--rounds 3] [--duration 5]
"""
import argparse
import json
import os
import re
import shutil
import signal
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


class Server:
    """The real server binary on a free loopback port, on a database of its own."""

    def __init__(self, binary, directory, workers):
        self.db = os.path.join(directory, "autograder.db")
        self.log = open(os.path.join(directory, "server.log"), "w+")
        command = [binary, "--host", "127.0.0.1", "--port", "0", "--db", self.db, "--token", TOKEN,
                   "--max-queue", "1000000"]
        if workers is not None:
            command += ["--workers", str(workers)]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.port = self._read_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def _read_port(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            self.log.seek(0)
            match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", self.log.read())
            if match:
                return int(match.group(1))
            time.sleep(0.05)
        self.log.seek(0)
        raise SystemExit(f"autograder-server did not start:\n{self.log.read()}")

    def request(self, method, path, body=None, expected=(200, 201, 202)):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Authorization": f"Bearer {TOKEN}",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        if status not in expected:
            raise SystemExit(f"{method} {path}: HTTP {status}: {payload[:500]!r}")
        return json.loads(payload) if payload else None

    def wait_ready(self):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self._ready():
                return
            time.sleep(0.1)
        raise SystemExit("the server never became ready")

    def _ready(self):
        request = urllib.request.Request(self.base + "/api/v1/ready")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status == 200
        except urllib.error.HTTPError:
            return False

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def config_document(assignment_id):
    with open(os.path.join(ASSIGNMENT, "config.json")) as handle:
        document = json.load(handle)
    document["external_assignment_id"] = assignment_id
    return document


def submission_body(assignment_id, user, folder):
    files = []
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name)) as handle:
            files.append({"filename": name, "content": handle.read()})
    return {"external_assignment_id": assignment_id, "external_user_id": user, "username": user,
            "files": files, "language": "python"}


def parse_wrk(output):
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {}
    for quantile, value, unit in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M):
        latency[quantile] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    return {"per_s": rate, "p50_ms": latency.get("50"), "p90_ms": latency.get("90"),
            "non_2xx": int(failed.group(1)) if failed else 0, "socket_errors": errors.group(0) if errors else ""}


def run_wrk(directory, url, duration, connections, method="GET", body=None):
    script = os.path.join(directory, "request.lua")
    with open(script, "w") as handle:
        handle.write(f'wrk.method = "{method}"\n')
        handle.write('wrk.headers["Content-Type"] = "application/json"\n')
        handle.write(f'wrk.headers["Authorization"] = "Bearer {TOKEN}"\n')
        if body is not None:
            handle.write(f"wrk.body = {json.dumps(json.dumps(body))}\n")
    output = subprocess.run(["wrk", "-t", "1", "-c", str(connections), "-d", f"{duration}s", "--latency",
                             "-s", script, url], check=True, capture_output=True, text=True).stdout
    return parse_wrk(output)


def accepting(binary, directory, workers, duration, connections):
    server = Server(binary, directory, workers)
    try:
        server.request("POST", "/api/v1/configs", config_document("bench"))
        body = submission_body("bench", "student", os.path.join(ASSIGNMENT, "submissions", "correct"))
        first = server.request("POST", "/api/v1/submissions", body)
        posts = run_wrk(directory, server.base + "/api/v1/submissions", duration, connections, "POST", body)
        gets = run_wrk(directory, f"{server.base}/api/v1/submissions/{first['id']}", duration, connections)
        spaced = []
        for _ in range(100):
            started = time.perf_counter()
            server.request("POST", "/api/v1/submissions", body)
            spaced.append((time.perf_counter() - started) * 1000)
            time.sleep(0.02)
        return posts, gets, {"median_ms": statistics.median(spaced), "p90_ms": percentile(spaced, 0.9)}
    finally:
        server.stop()


def class_folder(directory, count):
    """count student folders, cycling over the assignment's correct, partial and broken submissions."""
    kinds = sorted(os.listdir(os.path.join(ASSIGNMENT, "submissions")))
    folders = []
    for index in range(count):
        folder = os.path.join(directory, "class", f"student{index:04d}")
        shutil.copytree(os.path.join(ASSIGNMENT, "submissions", kinds[index % len(kinds)]), folder)
        folders.append(folder)
    return os.path.join(directory, "class"), folders


def end_to_end_server(binary, directory, folders, workers):
    server = Server(binary, directory, workers)
    try:
        server.request("POST", "/api/v1/configs", config_document("e2e"))
        bodies = [submission_body("e2e", os.path.basename(folder), folder) for folder in folders]
        server.wait_ready()
        started = time.perf_counter()
        ids = [server.request("POST", "/api/v1/submissions", body)["id"] for body in bodies]
        # Workers take jobs oldest first, so the newest submission is about the last graded: poll
        # it alone (polling every one would load the server with the bench's own requests), then
        # whichever is still not done.
        pending = list(ids)
        scores = {}
        while pending:
            submission = server.request("GET", f"/api/v1/submissions/{pending[-1]}")
            if submission["status"] in ("completed", "failed"):
                scores[pending.pop()] = submission.get("final_score")
            else:
                time.sleep(0.02)
        elapsed = time.perf_counter() - started
        return elapsed, [scores[i] for i in ids]
    finally:
        server.stop()


def end_to_end_cli(cli, directory, class_dir, workers):
    started = time.perf_counter()
    subprocess.run([cli, "grade", "--config", os.path.join(ASSIGNMENT, "config.json"), "--batch", class_dir,
                    "--jobs", str(workers), "--summary", os.path.join(directory, "summary")],
                   check=True, capture_output=True)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    parser.add_argument("--submissions", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    options = parser.parse_args()
    binary = os.path.join(options.build, "examples", "server", "autograder-server")
    cli = os.path.join(options.build, "src", "cli", "autograder")
    for path in (binary, cli):
        if not os.access(path, os.X_OK):
            raise SystemExit(f"{path} is missing: build first (cmake --build --preset release)")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (scripts/setup.sh installs it)")

    figures = {"cores": os.cpu_count(), "workers": options.workers, "submissions": options.submissions}
    with tempfile.TemporaryDirectory(prefix="bench-server-") as directory:
        for label, workers in (("intake", 0), ("grading", options.workers)):
            sub = os.path.join(directory, label)
            os.makedirs(sub)
            posts, gets, spaced = accepting(binary, sub, workers, options.duration, options.connections)
            figures[f"post_{label}"] = posts
            figures[f"get_{label}"] = gets
            figures[f"post_spaced_{label}"] = spaced
            print(f"{label:8} POST /submissions {posts['per_s']:8.0f}/s  p50 {posts['p50_ms']:.2f} ms  "
                  f"p90 {posts['p90_ms']:.2f} ms  non-2xx {posts['non_2xx']}")
            print(f"{label:8} GET  /submissions/ID {gets['per_s']:6.0f}/s  p50 {gets['p50_ms']:.2f} ms  "
                  f"p90 {gets['p90_ms']:.2f} ms  non-2xx {gets['non_2xx']}")
            print(f"{label:8} POST spaced 20 ms: median {spaced['median_ms']:.2f} ms  p90 {spaced['p90_ms']:.2f} ms")

        class_dir, folders = class_folder(directory, options.submissions)
        server_times, cli_times = [], []
        for round_index in range(options.rounds):
            sub = os.path.join(directory, f"e2e{round_index}")
            os.makedirs(sub)
            elapsed, scores = end_to_end_server(binary, sub, folders, options.workers)
            server_times.append(elapsed)
            cli_times.append(end_to_end_cli(cli, sub, class_dir, options.workers))
            print(f"round {round_index}: server {elapsed:.2f} s, CLI --batch {cli_times[-1]:.2f} s "
                  f"({options.submissions} submissions, {sum(1 for s in scores if s is not None)} scored)")
        server_rate = options.submissions / statistics.median(server_times)
        cli_rate = options.submissions / statistics.median(cli_times)
        figures["graded_per_s_server"] = server_rate
        figures["graded_per_s_cli"] = cli_rate
        figures["server_vs_cli"] = server_rate / cli_rate
        print(f"end to end: server {server_rate:.2f} graded/s, CLI {cli_rate:.2f} graded/s "
              f"(server/CLI {server_rate / cli_rate:.3f}; medians of {options.rounds} rounds)")
    print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
