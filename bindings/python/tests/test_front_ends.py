"""One core behind every front end: the CLI (`autograder grade --json`), the C ABI (through this
package: ag_submission_read + ag_pipeline_grade) and the C++ embedding example read a submission
folder with the library's one reader and grade it with one pipeline, so they give the same result
JSON. Timings differ from run to run and are left out of the comparison; everything else must be
byte-identical."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import autograder

TIMING_KEYS = {"execution_time_ms", "duration_ms", "resources"}


def _without_timings(document: Any) -> Any:
    if isinstance(document, dict):
        return {key: _without_timings(value) for key, value in document.items() if key not in TIMING_KEYS}
    if isinstance(document, list):
        return [_without_timings(item) for item in document]
    return document


def _cli() -> str:
    path = os.environ.get("AUTOGRADER_CLI")
    assert path and Path(path).is_file(), "AUTOGRADER_CLI must name the built autograder command (CTest sets it)"
    return path


@pytest.mark.parametrize("assignment,submission", [("python-calculator", "partial"), ("c-geometry", "partial"),
                                                   ("webdev-portfolio", "partial")])
def test_cli_and_c_abi_give_the_same_result_json(source_dir, tmp_path, assignment, submission):
    folder = source_dir / "examples" / "assignments" / assignment
    # A copy with a binary file and a file in a sub-folder: both readers must agree on them too.
    copied = tmp_path / submission
    shutil.copytree(folder / "submissions" / submission, copied)
    (copied / "notes").mkdir(exist_ok=True)
    (copied / "notes" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    done = subprocess.run([_cli(), "grade", "--config", str(folder / "config.json"), "--json", str(copied)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    from_cli = json.loads(done.stdout)
    with autograder.Pipeline(folder / "config.json") as pipeline:
        from_package = pipeline.grade(copied).raw
    assert _without_timings(from_package) == _without_timings(from_cli)
    assert json.dumps(_without_timings(from_package), sort_keys=True) == json.dumps(_without_timings(from_cli),
                                                                                     sort_keys=True)


def test_the_package_reads_a_folder_with_the_librarys_reader(tmp_path):
    folder = tmp_path / "submission"
    (folder / "b").mkdir(parents=True)
    (folder / "b" / "z.py").write_text("z")
    (folder / "a.py").write_text("a")
    (folder / "data.bin").write_bytes(b"\xff\x00")
    (folder / "link.py").symlink_to(folder / "a.py")
    from autograder._documents import submission_files

    files = submission_files(folder)
    assert [entry["path"] for entry in files] == ["a.py", "data.bin", "b/z.py"]  # the folder's own files first
    assert files[1]["content_base64"] == "/wA="
    with pytest.raises(autograder.InvalidArgumentError, match="no such file or folder"):
        submission_files(tmp_path / "missing")
