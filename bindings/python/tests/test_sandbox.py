"""SandboxPool and Sandbox from Python: context managers, files, runs with limits, counters,
timeouts, and the GIL released while a call waits inside the library."""

from __future__ import annotations

import threading

import pytest

import autograder


@pytest.fixture
def pool():
    with autograder.SandboxPool({"default_size": 1, "max_total": 2}) as pool:
        yield pool


def test_pool_and_sandbox_as_context_managers(pool):
    with pool.acquire("python", timeout=60) as sandbox:
        assert pool.stats().active == 1
        sandbox.write_file("main.py", "print(input()[::-1])\n")
        report = sandbox.run(["python3", "main.py"], stdin="olleh\n")
        assert isinstance(report, autograder.RunReport)
        assert report.ok and report.status == "ok" and report.exit_code == 0
        assert report.stdout == "hello\n"
        assert report.raw["stdout"] == "hello\n"
    assert sandbox.released
    stats = pool.stats()
    assert stats.active == 0 and stats.created >= 1
    with pytest.raises(autograder.ClosedError):
        sandbox.run(["python3", "main.py"])
    sandbox.release()  # idempotent
    pool.close()
    assert pool.closed
    with pytest.raises(autograder.ClosedError):
        pool.acquire("python")


def test_many_runs_share_one_sandbox_files_and_bytes(pool):
    with pool.acquire("python") as sandbox:
        sandbox.write_file("data/numbers.txt", b"1 2 3\n")
        sandbox.write_file("run.sh", "#!/bin/sh\necho from-script\n", executable=True)
        total = sandbox.run(["python3", "-c", "print(sum(map(int, open('data/numbers.txt').read().split())))"])
        assert total.stdout == "6\n"
        assert sandbox.run(["./run.sh"]).stdout == "from-script\n"
        env = sandbox.run(["/usr/bin/env"], env={"GREETING": "hi"})
        assert "GREETING=hi" in env.stdout.splitlines()
        failing = sandbox.run(["python3", "-c", "import sys; sys.exit(3)"])
        assert failing.status == "runtime_error" and failing.exit_code == 3 and not failing.ok


def test_grader_runs_out_of_the_students_reach(pool):
    with pool.acquire("python") as sandbox:
        sandbox.write_file("/grader/expected.txt", "secret\n")
        sandbox.write_file("json.py", "print('planted')\n")
        student = sandbox.run(["cat", "/grader/expected.txt"])
        assert student.status == "runtime_error" and "secret" not in student.stdout
        grader = sandbox.run(["python3", "-c", "import json, os; print(os.getcwd(), open('expected.txt').read())"],
                             run_as="grader")
        assert grader.stdout == "/grader secret\n\n"
        with pytest.raises(autograder.InvalidArgumentError, match="run_as"):
            sandbox.run(["true"], run_as="root")


def test_limits_as_dataclass_or_dict(pool):
    with pool.acquire("python") as sandbox:
        endless = sandbox.run(["python3", "-c", "while True: pass"], limits=autograder.Limits(cpu_time_s=0.5))
        assert endless.status == "time_limit"
        hungry = sandbox.run(["python3", "-c", "x = bytearray(400 * 1024 * 1024)"],
                             limits={"memory_bytes": 64 << 20})
        assert hungry.status == "memory_limit"


def test_workspace_paths_outside_are_refused(pool):
    with pool.acquire("python") as sandbox:
        with pytest.raises(autograder.SandboxError, match=r"\.\."):
            sandbox.write_file("../escape.py", "x")
        with pytest.raises(autograder.InvalidArgumentError, match="argv"):
            sandbox.run("python3 main.py")  # type: ignore[arg-type]


def test_acquire_times_out_when_every_sandbox_is_on_loan():
    with autograder.SandboxPool({"default_size": 1, "max_total": 1}) as pool:
        with pool.acquire("python"):
            with pytest.raises(autograder.SandboxTimeoutError, match="no 'python' sandbox free") as raised:
                pool.acquire("python", timeout=0.2)
            assert isinstance(raised.value, TimeoutError)
            assert pool.stats().waits >= 1


def test_gil_is_released_while_acquire_waits_in_the_library():
    # A thread waits inside ag_sandbox_pool_acquire for the pool's only sandbox, which this
    # thread holds; this thread runs Python code to give it back. Were the GIL held during the
    # call (PyDLL), this thread could not run until the acquire timed out and the waiter would
    # get SandboxTimeoutError instead of a sandbox.
    with autograder.SandboxPool({"default_size": 1, "max_total": 1}) as pool:
        held = pool.acquire("python")
        about_to_wait = threading.Event()
        outcome = {}

        def waiter():
            about_to_wait.set()
            try:
                with pool.acquire("python", timeout=60) as sandbox:
                    outcome["stdout"] = sandbox.run(["python3", "-c", "print('got it')"]).stdout
            except BaseException as error:
                outcome["error"] = error

        thread = threading.Thread(target=waiter)
        thread.start()
        assert about_to_wait.wait(60)
        held.release()  # runs only once the waiter released the GIL inside the library
        thread.join(120)
        assert not thread.is_alive()
        assert outcome == {"stdout": "got it\n"}


def test_read_file_gives_back_bytes_a_run_wrote_and_refuses_what_it_must():
    with autograder.SandboxPool({"default_size": 1, "max_total": 2}) as pool:
        with pool.acquire("python") as sandbox:
            sandbox.write_file("data.bin", bytes(range(256)))
            assert sandbox.read_file("data.bin") == bytes(range(256))
            sandbox.run(["python3", "-c", "open('out.txt', 'w').write('x' * 100)"])
            assert sandbox.read_file("out.txt") == b"x" * 100
            with pytest.raises(autograder.SandboxError):
                sandbox.read_file("out.txt", max_bytes=10)
            with pytest.raises(autograder.SandboxError):
                sandbox.read_file("../etc/passwd")
            with pytest.raises(autograder.InvalidArgumentError):
                sandbox.read_file("out.txt", max_bytes=0)
