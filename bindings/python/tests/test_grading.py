"""Grading the example assignment examples/assignments/python-calculator from Python: its three
submissions against expected.json, every way of passing a configuration and files, batches with
progress and cancellation."""

from __future__ import annotations

import json

import pytest

import autograder


@pytest.mark.parametrize("submission", ["correct", "partial", "broken"])
def test_grade_matches_expected_json(calculator, expected, submission):
    result = autograder.grade(calculator / "config.json", calculator / "submissions" / submission)
    want = expected[submission]
    assert result.status == want["status"]
    assert isinstance(result.status, autograder.Status)
    assert result.final_score == pytest.approx(want["final_score"], abs=1e-9)
    assert result.failed_at_step == want["failed_at_step"]
    assert result.raw["final_score"] == pytest.approx(result.final_score)


def test_result_has_typed_fields(calculator):
    result = autograder.grade(calculator / "config.json", calculator / "submissions" / "partial")
    assert result.succeeded
    assert [step.name for step in result.steps] == [
        "LOAD_TEMPLATE", "BUILD_TREE", "SANDBOX", "PRE_FLIGHT", "GRADE", "FOCUS", "FEEDBACK"]
    assert all(isinstance(step, autograder.StepResult) and step.status == "SUCCESS" for step in result.steps)
    assert "Python calculator" in result.feedback  # the configuration's report title
    assert result.result_tree is not None and "root" in result.result_tree
    assert result.score_vector["base/basic operations/addition"] == 100
    assert result.score_vector["base/basic operations/division"] == 0
    # The focus ranks what cost the most first: the 40-weight session test of the partial solution.
    assert result.focus["base"][0]["test"] == "session of several lines"
    assert result.host_data == {}
    assert result.execution_time_ms > 0
    assert result.raw["feedback"] == result.feedback


def test_broken_submission_fails_at_pre_flight_with_a_report(calculator):
    result = autograder.grade(calculator / "config.json", calculator / "submissions" / "broken")
    assert result.status is autograder.Status.FAILED
    assert not result.succeeded
    assert result.steps[-1].name == "PRE_FLIGHT" and result.steps[-1].status == "FAILED"
    assert "main.py" in result.feedback  # the student is told which file is missing
    assert result.result_tree is None


def test_config_as_dict_json_text_or_path_and_files_as_dict_or_folder_agree(calculator, calculator_config):
    source = (calculator / "submissions" / "partial" / "main.py").read_text()
    from_path = autograder.grade(str(calculator / "config.json"), calculator / "submissions" / "partial")
    from_dict = autograder.grade(calculator_config, {"main.py": source}, language="python")
    from_text = autograder.grade(json.dumps(calculator_config), {"main.py": source.encode()})
    assert from_path.final_score == from_dict.final_score == from_text.final_score
    assert from_path.score_vector == from_dict.score_vector == from_text.score_vector


def test_locale_changes_the_feedback_language(calculator):
    submission = calculator / "submissions" / "partial"
    english = autograder.grade(calculator / "config.json", submission)
    portuguese = autograder.grade(calculator / "config.json", submission, locale="pt_br")
    assert english.final_score == portuguese.final_score
    assert english.feedback != portuguese.feedback
    # The test bodies too, not only the frame.
    assert "The output is not what was expected" in english.feedback
    assert "A saída não é a esperada" in portuguese.feedback
    assert "The output is not what was expected" not in portuguese.feedback


def test_pipeline_grades_many_submissions_and_metadata_passes(calculator_pipeline, calculator, expected):
    for name in ("partial", "correct", "partial"):
        result = calculator_pipeline.grade(
            autograder.Submission(calculator / "submissions" / name, "python", {"student": name}))
        assert result.final_score == pytest.approx(expected[name]["final_score"], abs=1e-9)


def test_grade_batch_keeps_order_and_reports_progress(calculator_pipeline, calculator, expected):
    names = ["correct", "partial", "broken", "partial"]
    updates = []
    results = calculator_pipeline.grade_batch(
        [calculator / "submissions" / name for name in names], jobs=2, progress=updates.append)
    assert [r.final_score for r in results] == pytest.approx([expected[n]["final_score"] for n in names], abs=1e-9)
    assert sorted(update.index for update in updates) == [0, 1, 2, 3]
    assert [update.done for update in updates] == [1, 2, 3, 4]
    assert all(update.total == 4 for update in updates)
    for update in updates:
        assert update.result.final_score == results[update.index].final_score


def test_grade_batch_cancelled_by_progress_returning_false(calculator_pipeline, calculator):
    calls = []

    def stop_after_first(update):
        calls.append(update.index)
        return False

    with pytest.raises(autograder.CancelledError, match="cancel"):
        calculator_pipeline.grade_batch([calculator / "submissions" / "correct"] * 4, jobs=1,
                                        progress=stop_after_first)
    assert len(calls) == 1


def test_grade_batch_reraises_what_progress_raised(calculator_pipeline, calculator):
    class Stop(Exception):
        pass

    def fail(update):
        raise Stop(f"stop at {update.index}")

    with pytest.raises(Stop) as raised:
        calculator_pipeline.grade_batch([calculator / "submissions" / "correct"] * 3, jobs=1, progress=fail)
    assert isinstance(raised.value.__cause__, autograder.CancelledError)


def test_grade_batch_of_nothing(calculator_pipeline):
    assert calculator_pipeline.grade_batch([]) == []


def test_closed_pipeline_refuses_work(calculator):
    pipeline = autograder.Pipeline(calculator / "config.json")
    pipeline.close()
    pipeline.close()  # idempotent
    assert pipeline.closed
    with pytest.raises(autograder.ClosedError):
        pipeline.grade({"main.py": "print(1)"})


C_CONFIG = {
    "template_name": "input_output",
    "languages": ["c"],
    "criteria_config": {"base": {"tests": [{"name": "prints 42", "type": "expect_output", "expected_output": "42"}]}},
}
GOOD_C = {"main.c": '#include <stdio.h>\nint main(void) { puts("42"); return 0; }\n'}


def _hostile_compile_output_c() -> dict:
    """A C submission whose compiler output (eight errors quoting lines of 2500 four-byte characters)
    is cut inside a character: at 8 KiB in the feedback, at the 64 KiB output cap in the details."""
    lines = [f"  int x{k} = y{k}; /* {chr(0x1F600) * 2500} */" for k in range(8)]
    return {"main.c": "int main(void) {\n" + "\n".join(lines) + "\n  return 0;\n}\n"}


def test_grade_batch_keeps_every_good_result_next_to_a_hostile_one(source_dir):
    evil = _hostile_compile_output_c()
    threat_text = (source_dir / "tests" / "programs" / "threat_text.c").read_text(encoding="utf-8")
    # Prints bytes that are never UTF-8, overlong forms and an encoded surrogate, passes no test.
    prints_invalid = {"main.c": threat_text}
    with autograder.Pipeline(C_CONFIG) as pipeline:
        results = pipeline.grade_batch([GOOD_C, GOOD_C, evil, GOOD_C, prints_invalid], jobs=2)
        one = pipeline.grade(evil)
    assert len(results) == 5
    for index in (0, 1, 3):
        assert results[index].status == "SUCCESS"
        assert results[index].final_score == pytest.approx(100)
    assert results[2].status == "FAILED" and results[2].failed_at_step == "PRE_FLIGHT"
    assert one.failed_at_step == "PRE_FLIGHT"
    # The cuts fall between characters: nothing half-shown as U+FFFD in the compiler's output.
    assert "\ufffd" not in results[2].feedback
    assert "\U0001F600" * 4 in results[2].feedback
    assert results[4].status == "SUCCESS" and results[4].final_score == 0
    report = results[4].result_tree["root"]["base"]["tests"][0]["report"]
    assert "ok \ufffd\ufffd end" in report


def test_binary_files_in_a_submission_are_graded_as_the_cli_grades_them(calculator, expected, tmp_path):
    folder = tmp_path / "with_binaries"
    folder.mkdir()
    (folder / "main.py").write_bytes((calculator / "submissions" / "correct" / "main.py").read_bytes())
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "main.cpython-311.pyc").write_bytes(bytes(range(256)))
    result = autograder.grade(calculator / "config.json", folder)
    assert result.final_score == pytest.approx(expected["correct"]["final_score"], abs=1e-9)
    # Bytes in a dict too, delivered unchanged to the sandbox.
    files = {"main.py": "import sys\nprint(len(open('data.bin', 'rb').read()))\n", "data.bin": bytes(range(256))}
    config = {"template_name": "input_output", "languages": ["python"],
              "criteria_config": {"base": {"tests": [{"name": "size", "type": "expect_output",
                                                      "expected_output": "256"}]}}}
    assert autograder.grade(config, files).final_score == 100


def test_grade_batch_survives_a_submission_that_cannot_be_read(calculator_pipeline, calculator, expected, tmp_path):
    missing = tmp_path / "gone"
    updates = []
    results = calculator_pipeline.grade_batch(
        [calculator / "submissions" / "correct", missing, calculator / "submissions" / "partial"],
        jobs=2, progress=updates.append)
    assert len(results) == 3
    assert results[0].final_score == pytest.approx(expected["correct"]["final_score"], abs=1e-9)
    assert results[1].status is autograder.Status.FAILED
    assert results[1].failed_at_step == "PRE_FLIGHT"
    assert "gone" in results[1].feedback and results[1].final_score == 0
    assert results[2].final_score == pytest.approx(expected["partial"]["final_score"], abs=1e-9)
    assert sorted(update.index for update in updates) == [0, 1, 2]
    assert sorted(update.done for update in updates) == [1, 2, 3]
    assert all(update.total == 3 for update in updates)


def test_audience_leaves_hidden_tests_out_of_the_students_result(source_dir):
    statistics = source_dir / "examples" / "assignments" / "python-statistics"
    with autograder.Pipeline(statistics / "config.json", assignment_directory=statistics) as pipeline:
        submission = statistics / "submissions" / "partial"
        teacher = pipeline.grade(submission)
        student = pipeline.grade(submission, audience="student")
        assert student.final_score == pytest.approx(60) and teacher.final_score == pytest.approx(60)
        assert "test_mode_tie_smallest" in json.dumps(teacher.raw)  # a case of the hidden suite
        assert "test_mode_tie_smallest" not in json.dumps(student.raw)
        assert student.result_tree["summary"]["hidden"] == 2
        with pytest.raises(autograder.InvalidArgumentError):
            pipeline.grade(submission, audience="everyone")
