#!/usr/bin/env python3
"""Runs the README's "The grading service" commands exactly as written.

The README shows how to start autograder-server and grade a submission with curl. This script takes
that section's ```sh block, runs it verbatim with bash from a scratch folder that looks like the
repository's root (links to examples/ and build/release → the build being tested), and checks what
it printed: the stored configuration, the accepted submission, and the score that
examples/assignments/python-calculator/expected.json gives for the same submission. Whatever the
block leaves running (the server, if a line fails) is killed with its process group.
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source-dir", required=True, type=Path)
    parser.add_argument("--build-dir", required=True, type=Path)
    args = parser.parse_args()

    readme = (args.source_dir / "README.md").read_text(encoding="utf-8")
    if "\n## The grading service\n" not in readme:
        sys.exit("README: no '## The grading service' section")
    section = readme.split("\n## The grading service\n", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^```sh\n(.*?)^```$", section, flags=re.M | re.S)
    if not commands:
        sys.exit("README '## The grading service': no ```sh block")

    with tempfile.TemporaryDirectory(prefix="readme-server-") as scratch_name:
        scratch = Path(scratch_name)
        (scratch / "examples").symlink_to(args.source_dir / "examples")
        (scratch / "build").mkdir()
        (scratch / "build" / "release").symlink_to(args.build_dir.resolve())
        process = subprocess.Popen(["bash", "-euo", "pipefail", "-c", commands[0]], cwd=scratch,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=300)
        finally:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    print(f"$ {commands[0].strip()}\n--- stdout\n{stdout}--- stderr\n{stderr}")
    if process.returncode != 0:
        sys.exit(f"README '## The grading service': the commands failed with exit code {process.returncode}")

    expected = json.loads((args.source_dir / "examples/assignments/python-calculator/expected.json")
                          .read_text(encoding="utf-8"))["partial"]["final_score"]
    numbers = [float(line) for line in stdout.splitlines() if re.fullmatch(r"-?\d+(\.\d+)?", line.strip())]
    if not any(abs(number - expected) < 1e-9 for number in numbers):
        sys.exit(f"README '## The grading service': expected the final score {expected} in the output")
    for needle in ('"status": "pending"', '"version": 1', "## "):
        if needle not in stdout:
            sys.exit(f"README '## The grading service': expected {needle!r} in the output")
    print("the README's server commands ran as written and graded the submission as the CLI does")
    return 0


if __name__ == "__main__":
    sys.exit(main())
