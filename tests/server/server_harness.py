"""Starts the real autograder-server binary on a free loopback port and talks HTTP to it.

The binary comes from AUTOGRADER_SERVER (set by CTest). A server that does not start is a test
failure with its log, never a skip.
"""

import http.client
import json
import os
import queue
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

SERVER_BINARY = os.environ.get("AUTOGRADER_SERVER", "")
START_TIMEOUT_S = 60
LISTENING = re.compile(r"listening on http://([0-9.]+):(\d+)")


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body  # bytes

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<{self.status} {self.body[:500]!r}>"


class Server:
    def __init__(self, db_path, token="test-token", extra_args=(), env=None):
        assert SERVER_BINARY and os.access(SERVER_BINARY, os.X_OK), (
            f"AUTOGRADER_SERVER={SERVER_BINARY!r} is not an executable autograder-server")
        self.db_path = db_path
        self.token = token
        self.args = [SERVER_BINARY, "--host", "127.0.0.1", "--port", "0", "--db", db_path, *extra_args]
        if token is not None:
            self.args += ["--token", token]
        self.env = dict(os.environ, **(env or {}))
        self.process = None
        self.port = None
        self.log_lines = []
        self._lines = queue.Queue()

    def start(self):
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        env=self.env, text=True, errors="replace")
        threading.Thread(target=self._read_log, daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while self.port is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.process.kill()
                raise AssertionError("autograder-server did not start in time:\n" + "\n".join(self.log_lines))
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"autograder-server exited with {self.process.wait()} before listening:\n"
                                     + "\n".join(self.log_lines))
            match = LISTENING.search(line)
            if match:
                self.port = int(match.group(2))
        return self

    def _read_log(self):
        for line in self.process.stdout:
            self.log_lines.append(line.rstrip("\n"))
            self._lines.put(line)
        self._lines.put(None)

    def log(self):
        return "\n".join(self.log_lines)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def request(self, method, path, body=None, token="default", headers=None, raw=None, timeout=60):
        """body: JSON-encoded; raw: bytes sent as is. token "default" is the server's, None sends none."""
        headers = dict(headers or {})
        if token == "default":
            token = self.token
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            headers.setdefault("Content-Type", "application/json")
        request = urllib.request.Request(self.url(path), data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read())

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request("POST", path, body=body, **kwargs)

    def events(self, path, timeout=120):
        """The Server-Sent Events of `path` until the server closes the stream: [(event, data)]."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        connection.request("GET", path, headers={"Authorization": f"Bearer {self.token}"})
        answer = connection.getresponse()
        assert answer.status == 200, (answer.status, answer.read())
        assert answer.getheader("Content-Type").startswith("text/event-stream")
        events, fields = [], {}
        for raw_line in answer:
            line = raw_line.decode().rstrip("\r\n")
            if not line:
                if "data" in fields:
                    events.append((fields.get("event", "message"), json.loads(fields["data"])))
                fields = {}
            elif not line.startswith(":"):
                key, _, value = line.partition(":")
                fields[key] = value[1:] if value.startswith(" ") else value
        connection.close()
        return events

    def wait_until(self, predicate, timeout_s=120, what="condition"):
        """Polls `predicate` (an HTTP read each time) until it returns a true value."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            assert self.process.poll() is None, f"the server died:\n{self.log()}"
            time.sleep(0.05)  # a poll interval, not a race fix: the predicate decides
        raise AssertionError(f"timed out waiting for {what}\n{self.log()[-5000:]}")

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                return self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise AssertionError(f"the server did not exit after signal {sig}:\n{self.log()}")
        return self.process.returncode if self.process else None


GREETING_CONFIG = {
    "template_name": "input_output",
    "languages": ["python"],
    "criteria_config": {
        "base": {
            "weight": 100,
            "tests": [{
                "name": "greets",
                "type": "expect_output",
                "inputs": ["Ada"],
                "expected_output": "Hello, Ada",
                "program_command": "python3 main.py",
            }],
        }
    },
}
GREETING_PROGRAM = 'print("Hello, " + input())\n'
WRONG_PROGRAM = 'print("Bye")\n'


def greeting_config(assignment_id):
    return dict(GREETING_CONFIG, external_assignment_id=assignment_id)


def submission(assignment_id, user="u1", code=GREETING_PROGRAM, **extra):
    body = {"external_assignment_id": assignment_id, "external_user_id": user, "username": user,
            "files": [{"filename": "main.py", "content": code}]}
    body.update(extra)
    return body
