#!/usr/bin/env python3
"""Runs one libFuzzer target of the `fuzz` build for a fixed time (CTest: fuzz.<target>).

First every input of tests/fuzz/regressions/<target>/ is replayed once (what earlier runs found,
kept so that it stays fixed); then the target fuzzes for --seconds from a seed corpus made from
examples/ (assignments' configurations and submissions, the example programs) plus
tests/fuzz/seeds/<target>/. Any crash, leak, undefined behaviour, time-out or finding of the
target fails the test, printing the saved input and how to replay it. A missing fuzz build
fails too: this test never skips.
"""
import argparse
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# libFuzzer flags of every target: clang 14's entropic schedule spends about half of each run
# updating feature frequencies here, twice the executions per second without it.
COMMON_FLAGS = ["-entropic=0"]
# Inputs per suite run (about a minute each on a 2-core machine); 0: until --seconds.
SUITE_RUNS = {"config_parser": 80000, "submission_reader": 1500, "c_abi": 6000}
# Per target: the largest input, and the time one input may take (ASan on a busy machine is slow;
# a real hang still takes far longer).
TARGET_FLAGS = {
    "config_parser": ["-max_len=16384", "-timeout=30"],
    "submission_reader": ["-max_len=16384", "-timeout=30"],
    "c_abi": ["-max_len=16384", "-timeout=30"],
}


def assignments(source_dir):
    return sorted(p for p in (source_dir / "examples" / "assignments").iterdir() if (p / "config.json").is_file())


def submission_folders(source_dir):
    folders = []
    for assignment in assignments(source_dir):
        folders += sorted(p for p in (assignment / "submissions").iterdir() if p.is_dir())
    programs = source_dir / "examples" / "programs"
    folders += sorted(p for p in programs.iterdir() if p.is_dir())
    return folders


def folder_files(folder):
    """(relative path, bytes, executable) of every file under folder, in a stable order."""
    files = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            files.append((path.relative_to(folder).as_posix(), path.read_bytes(), os.access(path, os.X_OK)))
    return files


def tree_record(kind, path, body=b""):
    return b"@@ " + kind + b" " + path.encode() + b"\n" + body


def config_seeds(source_dir):
    for assignment in assignments(source_dir):
        yield assignment.name, (assignment / "config.json").read_bytes()


def submission_reader_seeds(source_dir):
    for folder in submission_folders(source_dir):
        records = []
        for path, content, executable in folder_files(folder):
            records.append(tree_record(b"X" if executable else b"F", path, content))
        # Odd entries next to the real files: a link out of the folder, a FIFO, a big sparse file.
        records.append(tree_record(b"L", "outside", b"/etc"))
        records.append(tree_record(b"P", "pipe"))
        records.append(tree_record(b"S", "big/blob.bin", b"20000000"))
        yield f"{folder.parent.parent.name}-{folder.name}", b"\n".join(records)


def c_abi_seeds(source_dir):
    languages = (source_dir / "data" / "languages.json").read_bytes()
    for assignment in assignments(source_dir):
        config = (assignment / "config.json").read_bytes()
        folders = sorted(p for p in (assignment / "submissions").iterdir() if p.is_dir())
        submissions = [
            {"files": [{"path": p, "content": c.decode("utf-8", "replace")} for p, c, _ in folder_files(f)]}
            for f in folders
        ]
        for folder, submission in zip(folders, submissions):
            parts = [
                config,
                b'{"locale": "pt_br"}',
                json.dumps(submission).encode(),
                json.dumps(submissions[:2]).encode(),
                languages if folder.name == "broken" else None,
                b'{"key": "host_check", "description": "d", "parameters": [{"name": "n", "type": "int"}]}',
                b'{"name": "AUDIT", "after": "GRADE"}',
                b'{"score": 50, "report": "half"}',
                b'{"ok": true, "message": "m", "host_data": {"k": [1, 2]}}',
                b'{"default_size": 1, "size_per_language": {"python": 2}, "sandbox": {"hostname": "h"}}',
                b'{"argv": ["python3", "main.py"], "stdin": "1\\n", "env": {"A": "b"}, "limits": {"cpu_time_s": 1}}',
                b'{"language": "python", "files": [{"path": "main.py", "content": "print(1)"}], "main": "main.py"}',
            ]
            while parts and parts[-1] is None:
                parts.pop()
            yield f"{assignment.name}-{folder.name}", b"\0".join(p or b"" for p in parts)


SEEDS = {"config_parser": config_seeds, "submission_reader": submission_reader_seeds, "c_abi": c_abi_seeds}


def write_seed_corpus(target, source_dir, seeds_dir):
    shutil.rmtree(seeds_dir, ignore_errors=True)
    seeds_dir.mkdir(parents=True)
    count = 0
    for name, content in SEEDS[target](source_dir):
        (seeds_dir / f"example-{name}").write_bytes(content)
        count += 1
    extra = source_dir / "tests" / "fuzz" / "seeds" / target
    if extra.is_dir():
        for path in sorted(extra.iterdir()):
            shutil.copyfile(path, seeds_dir / f"seed-{path.name}")
            count += 1
    return count


def fail(message):
    print(f"fuzz: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, choices=sorted(TARGET_FLAGS))
    parser.add_argument("--fuzzer", required=True, type=Path)
    parser.add_argument("--source-dir", required=True, type=Path)
    parser.add_argument("--work-dir", required=True, type=Path)
    parser.add_argument("--seconds", type=int, default=60)
    # The suite fuzzes from a fixed seed for a fixed number of inputs, so that a run in CI repeats
    # what passed here instead of drawing new inputs; --seed 0 draws a new seed (by hand, longer).
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()

    if not os.access(args.fuzzer, os.X_OK):
        fail(
            f"no fuzz target at {args.fuzzer}: the `fuzz` build is missing. Build it with scripts/setup.sh, "
            "or: cmake --preset fuzz && cmake --build --preset fuzz"
        )
    work = args.work_dir
    artifacts = work / "artifacts"
    corpus = work / "corpus"
    for folder in (artifacts, corpus):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    # The submission reader makes a folder tree per input: on tmpfs when there is one (ext4
    # spends most of the time finding free inodes), and removed afterwards in any case.
    shm = Path("/dev/shm")
    scratch = Path(tempfile.mkdtemp(prefix=f"ag-fuzz-{args.target}-", dir=shm if os.access(shm, os.W_OK) else work))
    atexit.register(shutil.rmtree, scratch, True)
    env = dict(os.environ, TMPDIR=str(scratch))
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
    env.setdefault("LSAN_OPTIONS", f"suppressions={args.source_dir / 'tests' / 'fuzz' / 'lsan.supp'}:print_suppressions=0")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    flags = COMMON_FLAGS + TARGET_FLAGS[args.target] + [f"-artifact_prefix={artifacts}/"]
    dictionary = args.source_dir / "tests" / "fuzz" / "json.dict"
    if dictionary.is_file():
        flags.append(f"-dict={dictionary}")

    regressions_dir = args.source_dir / "tests" / "fuzz" / "regressions" / args.target
    regressions = sorted(p for p in regressions_dir.iterdir() if p.is_file()) if regressions_dir.is_dir() else []
    if regressions:
        print(f"fuzz: replaying {len(regressions)} regression input(s) of {regressions_dir}", flush=True)
        result = subprocess.run([str(args.fuzzer), *flags, *map(str, regressions)], env=env)
        if result.returncode != 0:
            fail(f"a regression input of {regressions_dir} fails again (exit {result.returncode}); see above")

    seeds = work / "seeds"
    count = write_seed_corpus(args.target, args.source_dir, seeds)
    print(f"fuzz: {args.target} for {args.seconds} s from {count} seeds", flush=True)
    runs = args.runs if args.runs is not None else SUITE_RUNS[args.target]
    command = [str(args.fuzzer), *flags, f"-max_total_time={args.seconds}", "-print_final_stats=1",
               f"-seed={args.seed}", *([f"-runs={runs}"] if runs > 0 else []), str(corpus), str(seeds)]
    result = subprocess.run(command, env=env)
    found = sorted(artifacts.iterdir())
    if result.returncode != 0 or found:
        replay = " ".join([str(args.fuzzer), *map(str, found)]) if found else "(no input saved)"
        fail(
            f"the fuzzer stopped with exit {result.returncode}; saved input(s): "
            f"{', '.join(map(str, found)) or 'none'}\n  replay: {replay}\n"
            f"  once fixed, keep the input in tests/fuzz/regressions/{args.target}/"
        )
    print(f"fuzz: {args.target}: nothing found in {args.seconds} s", flush=True)


if __name__ == "__main__":
    main()
