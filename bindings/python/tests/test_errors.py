"""The library's errors reach Python as exceptions of the autograder hierarchy, with the
library's messages (the JSON path of each problem, the unknown language, ...)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import autograder
from autograder import errors


def test_malformed_json_config_is_an_invalid_argument():
    with pytest.raises(autograder.InvalidArgumentError, match="config_json is not valid JSON") as raised:
        autograder.Pipeline('{"template_name": ')
    assert isinstance(raised.value, ValueError)
    assert raised.value.code == errors.AG_ERROR_INVALID_ARGUMENT


def test_invalid_config_lists_every_problem_with_its_path():
    config = {
        "template_name": "input_output",
        "criteria_config": {"base": {"weight": 100, "tests": [
            {"name": "a", "type": "no_such_function"},
            {"name": "b", "type": "expect_output", "weight": "heavy"},
        ]}},
    }
    with pytest.raises(autograder.ConfigError) as raised:
        autograder.Pipeline(config)
    message = str(raised.value)
    assert "criteria_config.base.tests[0].type" in message and "no_such_function" in message
    assert "criteria_config.base.tests[1].weight" in message
    assert raised.value.code == errors.AG_ERROR_CONFIG
    assert isinstance(raised.value, ValueError)


def test_config_without_criteria_names_the_missing_part():
    with pytest.raises(autograder.ConfigError, match="criteria_config"):
        autograder.Pipeline({"template_name": "input_output"})


def test_unknown_option_and_locale_are_refused():
    with pytest.raises(autograder.InvalidArgumentError, match="klingon"):
        autograder.Pipeline({"template_name": "input_output"}, locale="klingon")


def test_missing_config_file_names_the_path(tmp_path):
    missing = tmp_path / "nowhere.json"
    with pytest.raises(autograder.InvalidArgumentError, match="nowhere.json"):
        autograder.Pipeline(missing)


def test_unknown_language_when_grading(calculator_pipeline):
    with pytest.raises(autograder.UnknownLanguageError, match="cobol") as raised:
        calculator_pipeline.grade({"main.cob": "DISPLAY 'HI'."}, language="cobol")
    assert isinstance(raised.value, LookupError)
    assert "python" in str(raised.value)  # the message lists the known languages


def test_unknown_language_in_execute_and_pool():
    with pytest.raises(autograder.UnknownLanguageError, match="cobol"):
        autograder.execute("cobol", {"a.cob": ""})
    with autograder.SandboxPool({"default_size": 0}) as pool:
        with pytest.raises(autograder.UnknownLanguageError, match="cobol"):
            pool.acquire("cobol")


def test_files_that_are_not_there_or_of_the_wrong_type(calculator_pipeline, tmp_path):
    # Bytes that are not UTF-8 are a file like any other (an image): graded, not refused.
    assert calculator_pipeline.grade({"main.py": b"\xff\xfe print(1)"}).status is not None
    with pytest.raises(autograder.InvalidArgumentError, match="main.py.*must be str or bytes"):
        calculator_pipeline.grade({"main.py": 42})  # type: ignore[dict-item]
    with pytest.raises(autograder.InvalidArgumentError, match="no such file or folder"):
        calculator_pipeline.grade(tmp_path / "absent")
    with pytest.raises(autograder.InvalidArgumentError, match="files must be"):
        calculator_pipeline.grade(42)  # type: ignore[arg-type]


def test_bad_limit_names_the_field():
    with pytest.raises(autograder.InvalidArgumentError, match=r"limits\.cpu_time_s"):
        autograder.execute("python", {"main.py": "pass"}, limits={"cpu_time_s": -1})
    with pytest.raises(autograder.InvalidArgumentError, match="unknown field 'cpu_seconds'"):
        autograder.execute("python", {"main.py": "pass"}, limits={"cpu_seconds": 1})


def test_every_status_code_maps_to_its_class():
    expected = {
        errors.AG_ERROR_INVALID_ARGUMENT: autograder.InvalidArgumentError,
        errors.AG_ERROR_CONFIG: autograder.ConfigError,
        errors.AG_ERROR_UNKNOWN_LANGUAGE: autograder.UnknownLanguageError,
        errors.AG_ERROR_SANDBOX: autograder.SandboxError,
        errors.AG_ERROR_TIMEOUT: autograder.SandboxTimeoutError,
        errors.AG_ERROR_OUT_OF_MEMORY: autograder.OutOfMemoryError,
        errors.AG_ERROR_INTERNAL: autograder.InternalError,
        errors.AG_ERROR_CANCELLED: autograder.CancelledError,
    }
    for code, cls in expected.items():
        error = errors.error_for(code, "the library's message")
        assert type(error) is cls and error.code == code
        assert str(error) == "the library's message"
        assert isinstance(error, autograder.AutograderError)
    assert issubclass(autograder.SandboxTimeoutError, TimeoutError)
    assert issubclass(autograder.SandboxTimeoutError, autograder.SandboxError)
    unknown = errors.error_for(99, "odd")
    assert type(unknown) is autograder.AutograderError and "99" in str(unknown)


def _import_autograder(environment_update):
    environment = dict(os.environ)
    environment.update(environment_update)
    return subprocess.run([sys.executable, "-c", "import autograder"], env=environment, capture_output=True,
                          text=True, cwd="/", timeout=120)


def test_library_override_that_does_not_exist_is_an_import_error(tmp_path):
    done = _import_autograder({"AUTOGRADER_LIBRARY": str(tmp_path / "libnothing.so")})
    assert done.returncode != 0
    assert "LibraryNotFoundError" in done.stderr and "libnothing.so" in done.stderr
    assert "package directory" in done.stderr  # and says where else it would look


def test_library_that_is_not_a_shared_object_is_an_import_error(tmp_path):
    fake = tmp_path / "libautograder.so"
    fake.write_text("not an ELF file")
    done = _import_autograder({"AUTOGRADER_LIBRARY": str(tmp_path)})  # a folder holding it works too
    assert done.returncode != 0
    assert "cannot load" in done.stderr and str(fake) in done.stderr


def test_check_config_returns_every_problem_with_its_path_instead_of_raising():
    check = autograder.check_config({"template_name": 7, "criteria_config": {"base": {"tests": [
        {"name": "t", "type": "expect_output", "weight": -1}]}}})
    assert not check.valid
    paths = [problem.path for problem in check.problems]
    assert "template_name" in paths
    assert all(isinstance(problem, autograder.ConfigIssue) and problem.message for problem in check.problems)
    good = autograder.check_config({"template_name": "input_output", "languages": ["python"], "criteria_config": {
        "base": {"tests": [{"name": "t", "type": "expect_output", "expected_output": "4"}]}}})
    assert good.valid and good.problems == []
    with pytest.raises(autograder.InvalidArgumentError):
        autograder.check_config("{not json")


def test_pipeline_warnings_are_data():
    with autograder.Pipeline({"template_name": "input_output", "languages": ["python"], "criteria_config": {
            "base": {"tests": [{"name": "t", "type": "expect_output", "expected_output": "4"}]}}}) as pipeline:
        assert isinstance(pipeline.warnings, list)
        assert all(isinstance(warning, autograder.ConfigIssue) for warning in pipeline.warnings)
