"""A real redis-server and real `autograder worker` processes, for the queue's tests.

redis-server is Debian's (scripts/setup.sh), started on a free loopback port with its data in a
temporary folder and the append-only file on, so a restart keeps what was written. The worker
binary comes from AUTOGRADER_CLI (set by CTest). Anything that does not start is a test failure
with its log, never a skip. Waits poll observable state (Redis, the server's API) with deadlines.
"""

import os
import queue as queue_module
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.parse

import redis

CLI_BINARY = os.environ.get("AUTOGRADER_CLI", "")
START_TIMEOUT_S = 30
JOBS = "autograder:jobs"
RESULTS = "autograder:results"
DEAD_LETTERS = "autograder:dead-letters"
WORKER_GROUP = "workers"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, timeout_s, what, diagnostics=lambda: ""):
    """Polls `predicate` until it returns a true value (which is returned)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)  # a poll interval, not a race fix: the predicate decides
    raise AssertionError(f"timed out waiting for {what}\n{diagnostics()}")


class RedisServer:
    def __init__(self, directory, password=None):
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (scripts/setup.sh installs Debian's redis-server)"
        self.binary = binary
        self.directory = str(directory)
        os.makedirs(self.directory, exist_ok=True)
        self.port = free_port()
        self.password = password
        self.process = None

    @property
    def url(self):
        if self.password:
            return f"redis://:{urllib.parse.quote(self.password, safe='')}@127.0.0.1:{self.port}"
        return f"redis://127.0.0.1:{self.port}"

    def client(self):
        return redis.Redis(host="127.0.0.1", port=self.port, password=self.password, decode_responses=True,
                           socket_timeout=10)

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.directory,
             "--appendonly", "yes", "--save", "", "--logfile", os.path.join(self.directory, "redis.log"),
             *(["--requirepass", self.password] if self.password else [])],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        client = self.client()

        def answers():
            assert self.process.poll() is None, f"redis-server exited:\n{self.log()}"
            try:
                return client.ping()
            except redis.exceptions.ConnectionError:
                return False
        wait_for(answers, START_TIMEOUT_S, "redis-server to answer PING", self.log)
        return self

    def log(self):
        try:
            with open(os.path.join(self.directory, "redis.log")) as log:
                return log.read()[-5000:]
        except OSError:
            return "(no redis log)"

    def stop(self):
        """SIGTERM: Redis writes what it holds to the append-only file and exits."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            assert self.process.wait(timeout=60) == 0, self.log()

    def restart(self):
        self.stop()
        return self.start()


class Worker:
    def __init__(self, redis_url, name, concurrency=1, claim_idle_s=2.0, heartbeat_s=0.3, extra_args=()):
        assert CLI_BINARY and os.access(CLI_BINARY, os.X_OK), (
            f"AUTOGRADER_CLI={CLI_BINARY!r} is not an executable autograder")
        self.name = name
        self.args = [CLI_BINARY, "worker", "--redis", redis_url, "--name", name, "--concurrency", str(concurrency),
                     "--claim-idle", str(claim_idle_s), "--heartbeat-interval", str(heartbeat_s), *extra_args]
        self.process = None
        self.log_lines = []
        self._lines = queue_module.Queue()

    def start(self):
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        errors="replace")
        threading.Thread(target=self._read_log, daemon=True).start()
        return self

    def _read_log(self):
        for line in self.process.stdout:
            self.log_lines.append(line.rstrip("\n"))
        self._lines.put(None)

    def log(self):
        return f"--- worker {self.name} ---\n" + "\n".join(self.log_lines[-200:])

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        assert self.process.wait(timeout=60) == -signal.SIGKILL

    def stop(self, timeout=120):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise AssertionError(f"the worker did not exit after SIGTERM:\n{self.log()}")
        return self.process.returncode if self.process else None


def pending_of(client, consumer):
    """The job entries `consumer` holds: [{message_id, consumer, time_since_delivered, times_delivered}]."""
    try:
        return client.xpending_range(JOBS, WORKER_GROUP, min="-", max="+", count=1000, consumername=consumer)
    except redis.exceptions.ResponseError:  # no group yet
        return []


def job_id_of_entry(client, entry_id):
    entries = client.xrange(JOBS, min=entry_id, max=entry_id)
    return int(entries[0][1]["job_id"]) if entries else None
