"""A grading run of 100 submissions, with a pre and a post job, graded by `autograder worker`
processes through Redis: the run completes, and its class summary equals the one `autograder grade
--batch` prints for the same folder graded on this machine."""

import json
import os
import re
import shutil
import subprocess

from queue_harness import CLI_BINARY, RedisServer, Worker, wait_for
from server_harness import Server

API = "/api/v1"
COUNT = 100
ASSIGNMENT = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "assignments", "python-calculator")

PRE_JOB = """import json, sys
run = json.load(sys.stdin)
print(run["stage"], len(run["students"]))
"""
POST_JOB = """import json, sys
run = json.load(sys.stdin)
graded = [s for s in run["students"] if s["final_score"] is not None]
print(json.dumps({"stage": run["stage"], "graded": len(graded), "summary": run["summary"]}))
"""


def make_class(folder):
    """COUNT students: the example's correct, partial and broken (no main.py: pre-flight fails)
    submissions in turn, and every seventh one a program that exits with an error."""
    sources = ["correct", "partial", "broken"]
    for i in range(COUNT):
        student = folder / f"student{i:03d}"
        if i % 7 == 6:
            student.mkdir(parents=True)
            (student / "main.py").write_text("import sys\nsys.exit('crashed on purpose')\n")
        else:
            shutil.copytree(os.path.join(ASSIGNMENT, "submissions", sources[i % 3]), student)


def submissions_of(folder):
    students = []
    for student in sorted(folder.iterdir()):
        files = [{"filename": f.name, "content": f.read_text()} for f in sorted(student.iterdir())]
        students.append({"external_user_id": student.name, "username": student.name, "files": files})
    return students


def cli_summary(stdout):
    """The class summary as `grade --batch` prints it."""
    counts = re.search(r"graded (\d+) submissions \((\d+) SUCCESS, (\d+) not\)", stdout)
    stats = re.search(r"score: mean ([\d.]+), median ([\d.]+), min ([\d.]+), max ([\d.]+)", stdout)
    assert counts and stats, stdout
    histogram = [int(m.group(1)) for m in re.finditer(r"^\s*\d+-\d+\s+(\d+)", stdout, re.M)]
    rates = {m.group(1): (int(m.group(2)), int(m.group(3)))
             for m in re.finditer(r"^  (\S.*?)\s+(\d+)/(\d+)\s+[\d.]+%$", stdout, re.M)}
    return {"submissions": int(counts.group(1)), "success": int(counts.group(2)),
            "not_success": int(counts.group(3)), "mean": float(stats.group(1)), "median": float(stats.group(2)),
            "min": float(stats.group(3)), "max": float(stats.group(4)), "histogram": histogram, "rates": rates}


def test_a_grading_run_through_the_workers_matches_the_cli_batch(tmp_path):
    folder = tmp_path / "class"
    make_class(folder)
    config = json.loads(open(os.path.join(ASSIGNMENT, "config.json")).read())
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config))

    batch = subprocess.run([CLI_BINARY, "grade", "--config", str(config_path), "--batch", str(folder),
                            "--summary", str(tmp_path / "cli"), "--jobs", "2"],
                           capture_output=True, text=True, timeout=900)
    assert batch.returncode == 0, batch.stderr
    expected = cli_summary(batch.stdout)
    assert expected["submissions"] == COUNT and 0 < expected["success"] < COUNT
    cli_rows = {}
    with open(tmp_path / "cli.jsonl") as rows:
        for line in rows:
            row = json.loads(line)
            cli_rows[row["submission"]] = row

    redis_server = RedisServer(tmp_path / "redis").start()
    server = Server(str(tmp_path / "server.db"), extra_args=["--queue", redis_server.url]).start()
    workers = [Worker(redis_server.url, f"w{i}").start() for i in range(2)]
    diagnostics = lambda: "\n".join([server.log()[-3000:]] + [w.log() for w in workers])
    try:
        assert server.post(f"{API}/configs", dict(config, external_assignment_id="calc")).status == 201
        created = server.post(f"{API}/grading-runs", {
            "external_assignment_id": "calc", "submissions": submissions_of(folder),
            "pre_job": {"language": "python", "code": PRE_JOB},
            "post_job": {"language": "python", "code": POST_JOB}})
        assert created.status == 202, created
        run_id = created.json()["id"]

        def ended():
            run = server.get(f"{API}/grading-runs/{run_id}").json()
            return run if run["status"] in ("completed", "failed") else None
        run = wait_for(ended, 900, "the grading run to end", diagnostics)
        assert run["status"] == "completed", (run["status"], run["error"], diagnostics())
        assert run["counts"] == {"total": COUNT, "pending": 0, "processing": 0, "completed": COUNT, "failed": 0}
        assert run["pre_job"]["stdout"].strip() == f"pre {COUNT}"
        post = json.loads(run["post_job"]["stdout"])
        assert post["stage"] == "post" and post["graded"] == COUNT and post["summary"] == run["summary"]

        # Graded by the workers, not by the server.
        def graded_by_the_workers():  # their counts arrive with their next heartbeat
            named = {w["name"]: w for w in server.get(f"{API}/workers").json()["workers"]}
            return sum(named[n]["jobs_done"] for n in ("w0", "w1") if n in named) == COUNT
        wait_for(graded_by_the_workers, 60, "the workers' heartbeats to count every grading", diagnostics)

        summary = run["summary"]
        for key in ("submissions", "success", "not_success", "histogram"):
            assert summary[key] == expected[key], (key, summary[key], expected[key])
        for key in ("mean", "median", "min", "max"):  # the CLI prints two decimals
            assert abs(summary[key] - expected[key]) <= 0.0051, (key, summary[key], expected[key])
        assert {r["test"]: (r["passed"], r["graded"]) for r in summary["pass_rates"]} == expected["rates"]
        for student in run["students"]:
            row = cli_rows[student["external_user_id"]]
            assert student["result_status"] == row["status"], (student, row)
            assert abs(student["final_score"] - row["score"]) < 1e-3, (student, row)
    finally:
        for worker in workers:
            assert worker.stop() == 0, worker.log()
        assert server.stop() == 0, server.log()
        redis_server.stop()
