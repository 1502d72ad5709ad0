"""autograder.execute: compile when needed, run in a fresh sandbox, report."""

from __future__ import annotations

import autograder


def test_execute_python_with_stdin():
    result = autograder.execute("python", {"main.py": "print(int(input()) * 2)\n"}, stdin="21\n")
    assert isinstance(result, autograder.ExecuteResult)
    assert result.status == "ok" and result.stdout == "42\n" and result.phase == "run"


def test_execute_without_stdin_gives_end_of_file_at_once():
    # It used to be an empty pipe that stayed open: input() waited for the wall limit.
    result = autograder.execute("python", {"main.py": "import sys\nprint(len(sys.stdin.read()))\n"},
                                limits={"wall_time_s": 30})
    assert result.status == "ok" and result.stdout == "0\n"
    failing = autograder.execute("python", {"main.py": "input()\n"}, limits={"wall_time_s": 30})
    assert failing.status == "runtime_error" and "EOFError" in failing.stderr


def test_execute_c_compiles_then_runs_and_reports_the_compile():
    result = autograder.execute("c", {"main.c": '#include <stdio.h>\nint main(void) { puts("compiled"); }\n'})
    assert result.ok and result.stdout == "compiled\n"
    assert result.compile is not None and result.compile.status == "ok"


def test_execute_reports_a_compile_error_instead_of_raising():
    result = autograder.execute("c", {"main.c": "int main( {"})
    assert result.status == "compile_error" and result.phase == "compile"
    assert "error" in result.stderr


def test_execute_with_a_main_file_and_limits(tmp_path):
    (tmp_path / "helper.py").write_text("def double(x):\n    return 2 * x\n")
    (tmp_path / "start.py").write_text("import helper\nprint(helper.double(4))\nwhile True: pass\n")
    result = autograder.execute("python", tmp_path, main="start.py", limits=autograder.Limits(cpu_time_s=0.5))
    assert result.status == "time_limit"
    assert result.stdout == "8\n"
