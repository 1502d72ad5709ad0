"""autograder: grade student code in a sandbox, from Python.

A ctypes binding of libautograder's C ABI (bindings/c/autograder.h); it needs no compiler and
works with any CPython 3.9+. The GIL is released while the library grades or runs code.

    import autograder

    result = autograder.grade("examples/assignments/python-calculator/config.json",
                              "examples/assignments/python-calculator/submissions/partial")
    print(result.status, result.final_score)
    print(result.feedback)

The shared library is found through $AUTOGRADER_LIBRARY (a path to libautograder.so or its folder)
or next to this file.
"""

from ._native import LIBRARY_PATH, LibraryNotFoundError, abi_version, version
from .catalog import FunctionInfo, Parameter, TemplateInfo, templates
from .errors import (
    AutograderError,
    CancelledError,
    ClosedError,
    ConfigError,
    ConfigIssue,
    InternalError,
    InvalidArgumentError,
    OutOfMemoryError,
    SandboxError,
    SandboxTimeoutError,
    UnknownLanguageError,
)
from .extensions import (
    Step,
    StepContext,
    StepFailed,
    StepOutcome,
    SubmissionView,
    TestContext,
    TestFunction,
    TestResult,
    step,
    test_function,
)
from .pipeline import BatchProgress, ConfigCheck, Pipeline, Submission, check_config, grade
from .results import (
    REPORT_FORMATS,
    ExecuteResult,
    ExportOutcome,
    GradingResult,
    Limits,
    PoolStats,
    RunReport,
    Status,
    StepResult,
)
from .sandbox import Sandbox, SandboxPool, execute

__version__ = "0.1.0"

__all__ = [
    "LIBRARY_PATH",
    "REPORT_FORMATS",
    "AutograderError",
    "BatchProgress",
    "CancelledError",
    "ClosedError",
    "ConfigCheck",
    "ConfigError",
    "ConfigIssue",
    "ExecuteResult",
    "ExportOutcome",
    "FunctionInfo",
    "GradingResult",
    "InternalError",
    "InvalidArgumentError",
    "LibraryNotFoundError",
    "Limits",
    "OutOfMemoryError",
    "Parameter",
    "Pipeline",
    "PoolStats",
    "RunReport",
    "Sandbox",
    "SandboxError",
    "SandboxPool",
    "SandboxTimeoutError",
    "Status",
    "Step",
    "StepContext",
    "StepFailed",
    "StepOutcome",
    "StepResult",
    "Submission",
    "SubmissionView",
    "TemplateInfo",
    "TestContext",
    "TestFunction",
    "TestResult",
    "UnknownLanguageError",
    "abi_version",
    "check_config",
    "execute",
    "grade",
    "step",
    "templates",
    "test_function",
    "version",
]
