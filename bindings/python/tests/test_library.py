"""The library as a whole: versions and the template catalog."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import autograder


def test_versions(source_dir):
    assert autograder.abi_version() >= 1
    assert re.fullmatch(r"\d+\.\d+\.\d+", autograder.version())
    # The package's version is the library's, which is the CMake project's.
    cmake = (source_dir / "CMakeLists.txt").read_text()
    project_version = re.search(r"project\(autograder VERSION (\S+)", cmake).group(1)
    assert autograder.__version__ == autograder.version() == project_version


def test_loaded_library_is_next_to_the_package():
    assert autograder.LIBRARY_PATH == Path(autograder.__file__).resolve().parent / "libautograder.so"


def test_library_is_opened_with_cdll_so_the_gil_is_released():
    from autograder import _native

    assert type(_native.lib) is __import__("ctypes").CDLL
    assert not isinstance(_native.lib, __import__("ctypes").PyDLL)


def test_templates_list_functions_with_parameter_docs():
    templates = {template.name: template for template in autograder.templates()}
    assert {"input_output", "static_analysis"} <= set(templates)
    expect_output = templates["input_output"].function("expect_output")
    assert expect_output.description
    parameters = {parameter.name: parameter for parameter in expect_output.parameters}
    assert "expected_output" in parameters and parameters["expected_output"].description
    assert isinstance(parameters["expected_output"], autograder.Parameter)
    assert "forbidden_import" in [f.key for f in templates["static_analysis"].functions]


def test_package_is_typed():
    assert (Path(autograder.__file__).parent / "py.typed").is_file()
    assert sys.version_info >= (3, 9)
