"""Shared fixtures. The tests run through CTest (bindings/python/CMakeLists.txt), which puts the
build tree's copy of the package (build/<preset>/python) on PYTHONPATH; run by hand:

    PYTHONPATH=build/release/python /usr/bin/python3 -m pytest -p no:cacheprovider bindings/python/tests
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict

import pytest

# The tests are about the package next to its library; an inherited override would test another.
os.environ.pop("AUTOGRADER_LIBRARY", None)

import autograder  # noqa: E402

SOURCE_DIR = Path(os.environ.get("AUTOGRADER_SOURCE_DIR") or Path(__file__).resolve().parents[3])
CALCULATOR = SOURCE_DIR / "examples" / "assignments" / "python-calculator"

_expected_package = os.environ.get("AUTOGRADER_PYTHON_PACKAGE_DIR")
if _expected_package and not Path(autograder.__file__).resolve().is_relative_to(Path(_expected_package).resolve()):
    raise RuntimeError(f"the tests imported {autograder.__file__}, not the build tree's copy in {_expected_package}")


@pytest.fixture(scope="session")
def source_dir() -> Path:
    return SOURCE_DIR


@pytest.fixture(scope="session")
def calculator() -> Path:
    """examples/assignments/python-calculator: config.json, submissions/{correct,partial,broken}."""
    return CALCULATOR


@pytest.fixture(scope="session")
def expected() -> Dict[str, Dict[str, Any]]:
    """The calculator's expected.json: per submission, status, final_score and failed_at_step."""
    return json.loads((CALCULATOR / "expected.json").read_text())


@pytest.fixture(scope="module")
def calculator_pipeline() -> Any:
    with autograder.Pipeline(CALCULATOR / "config.json") as pipeline:
        yield pipeline


@pytest.fixture
def calculator_config() -> Dict[str, Any]:
    """A fresh copy of the calculator's configuration, to modify."""
    return json.loads((CALCULATOR / "config.json").read_text())
