#!/usr/bin/env python3
"""Runs one of the README's "Embedding" examples exactly as written.

The README promises that each program under `## Embedding` works as written from the repository's
root. This script takes the subsection's program block and its ```sh block, writes the program as
host.c / host.cpp / host.py into a scratch folder that looks like the repository's root (links to
bindings/, include/, examples/ and build/release → the build being tested), runs the sh block there
verbatim and checks what the program printed.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

SECTIONS = {"C": ("c", "host.c"), "C++": ("cpp", "host.cpp"), "Python": ("python", "host.py")}


def blocks(readme: str, title: str):
    embedding = readme.split("\n## Embedding\n", 1)[1].split("\n## ", 1)[0]
    parts = re.split(r"^### (.+)$", embedding, flags=re.M)
    sections = dict(zip(parts[1::2], parts[2::2]))
    if title not in sections:
        sys.exit(f"README: no '### {title}' under '## Embedding' (found: {', '.join(sections)})")
    return re.findall(r"^```(\w+)\n(.*?)^```$", sections[title], flags=re.M | re.S)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("section", choices=SECTIONS)
    parser.add_argument("--source-dir", required=True, type=Path)
    parser.add_argument("--build-dir", required=True, type=Path)
    args = parser.parse_args()

    fence, file_name = SECTIONS[args.section]
    found = blocks((args.source_dir / "README.md").read_text(encoding="utf-8"), args.section)
    programs = [text for language, text in found if language == fence]
    commands = [text for language, text in found if language == "sh"]
    if len(programs) != 1 or len(commands) != 1:
        sys.exit(f"README '### {args.section}': expected one ```{fence} block and one ```sh block, "
                 f"found {len(programs)} and {len(commands)}")

    with tempfile.TemporaryDirectory(prefix="readme-embedding-") as scratch_name:
        scratch = Path(scratch_name)
        for name in ("bindings", "include", "examples"):
            (scratch / name).symlink_to(args.source_dir / name)
        (scratch / "build").mkdir()
        (scratch / "build" / "release").symlink_to(args.build_dir.resolve())
        (scratch / file_name).write_text(programs[0], encoding="utf-8")
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)  # the block says where the package is
        run = subprocess.run(["bash", "-euo", "pipefail", "-c", commands[0]], cwd=scratch, env=env,
                             capture_output=True, text=True, timeout=600)
    print(f"$ {commands[0].strip()}\n{run.stdout}{run.stderr}")
    if run.returncode != 0:
        sys.exit(f"README '### {args.section}': the commands failed with exit code {run.returncode}")

    # Each program grades `print(int(input()) * 2)`: it doubles (one test passes) and, for C and
    # Python, defines no function (the host test function scores 0): 50 with two tests.
    out = run.stdout
    if args.section == "C":
        result = json.loads(out.strip().splitlines()[-1])
        ok = result["status"] == "SUCCESS" and result["final_score"] == 50 and result["host_data"] == {}
    elif args.section == "C++":
        ok = out.startswith("SUCCESS 100.00\n") and "**100.00 / 100**" in out
    else:
        lines = out.strip().splitlines()
        expected = json.loads((args.source_dir / "examples/assignments/python-calculator/expected.json")
                              .read_text(encoding="utf-8"))
        partial_score = expected["partial"]["final_score"]
        ok = len(lines) == 2 and lines[0] == "SUCCESS 50.0" and abs(float(lines[1]) - partial_score) < 1e-9
    if not ok:
        sys.exit(f"README '### {args.section}': unexpected output:\n{out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
