"""Report formats and exporters from Python: Gradescope output validated against the JSON schema
written from Gradescope's documented results.json (tests/export/gradescope-results.schema.json)
for every example assignment's submissions, JUnit and TAP text, and an exporter configured in the
configuration's ``export`` section."""

from __future__ import annotations

import json
import math
import os
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any, Dict, Iterator, List

import jsonschema
import pytest

import autograder

SOURCE_DIR = Path(os.environ.get("AUTOGRADER_SOURCE_DIR") or Path(__file__).resolve().parents[3])
ASSIGNMENTS = SOURCE_DIR / "examples" / "assignments"
SCHEMA = json.loads((SOURCE_DIR / "tests" / "export" / "gradescope-results.schema.json").read_text())


def example_submissions() -> List[Path]:
    folders = sorted(path for path in ASSIGNMENTS.glob("*/submissions/*") if path.is_dir())
    assert len(folders) >= 18, folders
    return folders


@pytest.fixture(scope="module")
def pipelines() -> Iterator[Dict[str, autograder.Pipeline]]:
    made: Dict[str, autograder.Pipeline] = {}
    yield made
    for pipeline in made.values():
        pipeline.close()


@pytest.mark.parametrize("submission", example_submissions(), ids=lambda path: f"{path.parts[-3]}/{path.name}")
def test_gradescope_output_follows_the_schema_and_adds_up(submission: Path, pipelines: Dict[str, Any]) -> None:
    assignment = submission.parents[1]
    if assignment.name not in pipelines:
        pipelines[assignment.name] = autograder.Pipeline(assignment / "config.json")
    result = pipelines[assignment.name].grade(submission)
    gradescope = result.to_gradescope()
    jsonschema.validate(gradescope, SCHEMA)
    assert math.isclose(gradescope["score"], result.final_score, abs_tol=1e-6)
    points = sum(test["score"] for test in gradescope["tests"])
    if math.isclose(points, result.final_score, abs_tol=1e-4):
        assert "The test points add up to" not in gradescope["output"]
    else:
        assert f"The test points add up to {points:.2f}" in gradescope["output"]
    assert len(gradescope["tests"]) == len(result.score_vector)


def test_the_schema_refuses_what_gradescope_would_not_read(calculator: Path) -> None:
    result = autograder.grade(calculator / "config.json", calculator / "submissions" / "partial")
    gradescope = result.to_gradescope()
    gradescope["tests"][0]["status"] = "partial"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(gradescope, SCHEMA)


def test_junit_tap_and_render(calculator: Path) -> None:
    result = autograder.grade(calculator / "config.json", calculator / "submissions" / "partial")
    root = ElementTree.fromstring(result.to_junit())
    assert root.tag == "testsuites"
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == len(result.score_vector)
    assert len(root.findall("./testsuite/testcase/failure")) == sum(1 for s in result.score_vector.values() if s < 100)
    tap = result.to_tap()
    assert tap.startswith(f"TAP version 14\n1..{len(result.score_vector)}\n")
    expected_markdown = result.feedback if result.feedback.endswith("\n") else result.feedback + "\n"
    assert result.render("markdown") == expected_markdown
    assert json.loads(result.render("json"))["final_score"] == result.final_score
    assert set(autograder.REPORT_FORMATS) == {"json", "markdown", "gradescope", "junit", "tap"}
    with pytest.raises(autograder.InvalidArgumentError, match="unknown format 'pdf'"):
        result.render("pdf")


def test_exporters_come_from_the_configuration(calculator: Path, tmp_path: Path) -> None:
    config = json.loads((calculator / "config.json").read_text())
    config["export"] = [{"kind": "file", "path": str(tmp_path / "grades.jsonl")}]
    with autograder.Pipeline(config, assignment_directory=calculator) as pipeline:
        result = pipeline.grade(calculator / "submissions" / "partial", metadata={"external_user_id": "ana"})
    assert result.exports == (
        autograder.ExportOutcome("file", str(tmp_path / "grades.jsonl"), True, 1, result.exports[0].message),
    )
    assert result.steps[-1].name == "EXPORT"
    (line,) = (tmp_path / "grades.jsonl").read_text().splitlines()
    exported = json.loads(line)
    assert exported["final_score"] == result.final_score
    assert exported["submission"]["metadata"] == {"external_user_id": "ana"}


def test_a_bad_export_section_is_a_config_error_with_its_path(calculator: Path) -> None:
    config = json.loads((calculator / "config.json").read_text())
    config["export"] = [{"kind": "webhook", "url": "http://127.0.0.1:9/", "secret": "inline"}]
    with pytest.raises(autograder.ConfigError, match=r"export\[0\]\.secret"):
        autograder.Pipeline(config)
