"""examples/embedding/python/grade_assignment.py prints the scores expected.json gives."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_example_prints_the_expected_scores(source_dir, calculator, expected):
    script = source_dir / "examples" / "embedding" / "python" / "grade_assignment.py"
    done = subprocess.run([sys.executable, str(script), str(calculator)], capture_output=True, text=True,
                          timeout=300, cwd="/")
    assert done.returncode == 0, done.stderr
    printed = {}
    for line in done.stdout.splitlines():
        name, _, rest = line.partition(": ")
        score, status = rest.split()
        printed[name] = (float(score), status)
    assert set(printed) == set(expected)
    for name, want in expected.items():
        assert printed[name][0] == pytest.approx(want["final_score"], abs=1e-9)
        assert printed[name][1] == want["status"]
