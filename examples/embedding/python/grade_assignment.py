#!/usr/bin/env python3
"""Grades every submission of an example assignment and prints its final score.

    PYTHONPATH=build/release/python python3 examples/embedding/python/grade_assignment.py \
        [examples/assignments/python-calculator]

One Pipeline for the assignment's config.json grades each folder under submissions/.
"""

import sys
from pathlib import Path

import autograder

default = Path(__file__).resolve().parents[2] / "assignments" / "python-calculator"
assignment = Path(sys.argv[1]) if len(sys.argv) > 1 else default

with autograder.Pipeline(assignment / "config.json") as pipeline:
    for submission in sorted(path for path in (assignment / "submissions").iterdir() if path.is_dir()):
        result = pipeline.grade(submission)
        print(f"{submission.name}: {result.final_score} {result.status}")
