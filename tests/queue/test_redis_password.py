"""A Redis that requires a password (--requirepass): the server and the workers give it in the
URL (redis://:password@host, percent-encoded), grade through it, and never print it; a wrong
password is refused with a message that says so, without the password."""

import subprocess

from queue_harness import CLI_BINARY, RedisServer, Worker, wait_for
from server_harness import Server, greeting_config, submission

API = "/api/v1"
PASSWORD = "s3cr%t@pw:/x"


def test_the_queue_works_through_a_redis_with_a_password(tmp_path):
    redis_server = RedisServer(tmp_path / "redis", password=PASSWORD).start()
    try:
        assert "%25" in redis_server.url and "%40" in redis_server.url
        server = Server(str(tmp_path / "server.db"), extra_args=["--queue", redis_server.url]).start()
        worker = Worker(redis_server.url, "w0").start()
        diagnostics = lambda: "\n".join([server.log()[-3000:], worker.log()])
        try:
            assert server.post(f"{API}/configs", greeting_config("locked")).status == 201
            submission_id = server.post(f"{API}/submissions", submission("locked")).json()["id"]
            graded = wait_for(lambda: (lambda s: s if s["status"] == "completed" else None)(
                server.get(f"{API}/submissions/{submission_id}").json()), 120, "the submission graded", diagnostics)
            assert graded["final_score"] == 100
            status = server.get(f"{API}/queue").json()
            assert PASSWORD not in str(status) and "s3cr" not in status["redis"]
        finally:
            assert worker.stop() == 0, worker.log()
            assert server.stop() == 0, server.log()
        for log in (server.log(), worker.log()):
            assert "s3cr" not in log

        wrong = redis_server.url.replace("s3cr", "nope")
        refused = subprocess.run([CLI_BINARY, "worker", "--redis", wrong, "--name", "w9"], capture_output=True,
                                 text=True, timeout=60)
        assert refused.returncode != 0
        output = refused.stdout + refused.stderr
        assert "refused the password" in output and "nope" not in output, output
    finally:
        redis_server.stop()
