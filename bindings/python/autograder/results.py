"""What the library hands back, as typed read-only objects. Each keeps the JSON it came from in
``raw``, so fields added by newer library versions stay reachable."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

from . import _native

REPORT_FORMATS = ("json", "markdown", "gradescope", "junit", "tap")


class Status(str, enum.Enum):
    """The status of a grading pipeline. Compares equal to its text (``Status.SUCCESS == "SUCCESS"``)."""

    EMPTY = "EMPTY"
    RUNNING = "RUNNING"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"  # a step failed (e.g. a missing file or a compile error at PRE_FLIGHT)
    INTERRUPTED = "INTERRUPTED"  # a step broke (an error of the host or the library)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class StepResult:
    """One step of the pipeline's audit trail."""

    name: str  # "PRE_FLIGHT"
    status: Status
    message: str
    duration_ms: float
    error_details: Any = None  # what the step says about its failure, or None

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> "StepResult":
        return cls(
            name=document.get("name", ""),
            status=Status(document.get("status", "EMPTY")),
            message=document.get("message", ""),
            duration_ms=float(document.get("duration_ms", 0.0)),
            error_details=document.get("error_details"),
        )


@dataclass(frozen=True)
class ExportOutcome:
    """What one exporter of the configuration's ``export`` section did with the result. A failed
    export never changes the score or the status."""

    kind: str  # "webhook", "redis", "file"
    target: str  # the URL or path from the configuration
    ok: bool
    attempts: int  # deliveries tried, retries included
    message: str  # "HTTP 200", or why it failed

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> "ExportOutcome":
        return cls(
            kind=document.get("kind", ""),
            target=document.get("target", ""),
            ok=bool(document.get("ok", False)),
            attempts=int(document.get("attempts", 0)),
            message=document.get("message", ""),
        )


@dataclass(frozen=True)
class GradingResult:
    """The result of grading one submission.

    Attributes:
        status: SUCCESS, FAILED or INTERRUPTED.
        final_score: 0..100 (0 when the pipeline failed before grading).
        feedback: the Markdown report for the student.
        result_tree: the graded criteria tree (categories, subjects, tests with score and report),
            or None when the pipeline stopped before GRADE.
        focus: per category, the tests that cost the most points, largest impact first.
        score_vector: {test path: score}.
        steps: each pipeline step's result, in order.
        failed_at_step: the step that failed, or None.
        host_data: what host steps stored (``{}`` when none did).
        execution_time_ms: how long the whole pipeline took.
        raw: the result JSON as the library returned it.
        exports: one outcome per exporter of the configuration's ``export`` section (empty without).
    """

    status: Status
    final_score: float
    feedback: str
    result_tree: Optional[Dict[str, Any]]
    focus: Dict[str, List[Dict[str, Any]]]
    score_vector: Dict[str, float]
    steps: Tuple[StepResult, ...]
    failed_at_step: Optional[str]
    host_data: Dict[str, Any]
    execution_time_ms: float
    raw: Dict[str, Any] = field(repr=False, compare=False)
    exports: Tuple[ExportOutcome, ...] = ()

    @property
    def succeeded(self) -> bool:
        """True when every step of the pipeline succeeded."""
        return self.status is Status.SUCCESS

    def render(self, format_name: str) -> str:
        """The result in one of :data:`REPORT_FORMATS`, rendered by the library (the same text as
        ``autograder grade --format``)."""
        return _native.render_result(self.raw, format_name)

    def to_gradescope(self) -> Dict[str, Any]:
        """Gradescope's results.json: ``score``, ``output``, ``tests`` (name, score, max_score,
        status, output, visibility, tags), the test points adding up to the final score (or
        ``output`` says why not: clamping to 0..100)."""
        document: Dict[str, Any] = json.loads(self.render("gradescope"))
        return document

    def to_junit(self) -> str:
        """JUnit XML: one testsuite per category, one testcase per test, failures with reports."""
        return self.render("junit")

    def to_tap(self) -> str:
        """TAP version 14: one test point per test."""
        return self.render("tap")

    @classmethod
    def from_json(cls, document: Dict[str, Any]) -> "GradingResult":
        pipeline = document.get("pipeline") or {}
        return cls(
            status=Status(document.get("status", "EMPTY")),
            final_score=float(document.get("final_score", 0.0)),
            feedback=document.get("feedback", ""),
            result_tree=document.get("result_tree"),
            focus=document.get("focus") or {},
            score_vector=document.get("score_vector") or {},
            steps=tuple(StepResult.from_json(step) for step in pipeline.get("steps", [])),
            failed_at_step=document.get("failed_at_step"),
            host_data=document.get("host_data") or {},
            execution_time_ms=float(pipeline.get("execution_time_ms", 0.0)),
            raw=document,
            exports=tuple(ExportOutcome.from_json(entry) for entry in document.get("exports") or []),
        )


@dataclass(frozen=True)
class RunReport:
    """The report of one run in a sandbox (the same fields in C++, C, Python, CLI and REST).

    ``status`` is one of ``"ok"``, ``"runtime_error"``, ``"time_limit"``, ``"memory_limit"``,
    ``"output_limit"``, ``"security_violation"``, ``"internal_error"`` (and ``"compile_error"`` for
    :func:`autograder.execute` when the compiler refused the code).
    """

    status: str
    exit_code: Optional[int]
    signal: Optional[int]
    cpu_ms: float
    wall_ms: float
    peak_memory_kb: int
    stdout: str
    stderr: str
    stdout_truncated: bool
    stderr_truncated: bool
    message: str
    raw: Dict[str, Any] = field(repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when the program ran and exited normally with status 0."""
        return self.status == "ok"

    @classmethod
    def _fields(cls, document: Mapping[str, Any]) -> Dict[str, Any]:
        return dict(
            status=document.get("status", ""),
            exit_code=document.get("exit_code"),
            signal=document.get("signal"),
            cpu_ms=float(document.get("cpu_ms", 0.0)),
            wall_ms=float(document.get("wall_ms", 0.0)),
            peak_memory_kb=int(document.get("peak_memory_kb", 0)),
            stdout=document.get("stdout", ""),
            stderr=document.get("stderr", ""),
            stdout_truncated=bool(document.get("stdout_truncated", False)),
            stderr_truncated=bool(document.get("stderr_truncated", False)),
            message=document.get("message", ""),
            raw=dict(document),
        )

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> "RunReport":
        return cls(**cls._fields(document))


@dataclass(frozen=True)
class ExecuteResult(RunReport):
    """What :func:`autograder.execute` returns: the last run's report, ``phase`` (``"compile"`` or
    ``"run"``) and, after a compile, the compile's own report."""

    phase: str = "run"
    compile: Optional[RunReport] = None

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> "ExecuteResult":
        compile_report = document.get("compile")
        return cls(
            **cls._fields(document),
            phase=document.get("phase", "run"),
            compile=RunReport.from_json(compile_report) if isinstance(compile_report, Mapping) else None,
        )


@dataclass(frozen=True)
class PoolStats:
    """A sandbox pool's counters."""

    idle: int
    active: int
    created: int
    destroyed: int
    waits: int
    wait_time_ms: float
    failures: int
    raw: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> "PoolStats":
        return cls(
            idle=int(document.get("idle", 0)),
            active=int(document.get("active", 0)),
            created=int(document.get("created", 0)),
            destroyed=int(document.get("destroyed", 0)),
            waits=int(document.get("waits", 0)),
            wait_time_ms=float(document.get("wait_time_ms", 0.0)),
            failures=int(document.get("failures", 0)),
            raw=dict(document),
        )


@dataclass(frozen=True)
class Limits:
    """Resource limits of a run; None keeps the library's default (2 s CPU, 5 s wall, 256 MB,
    64 processes, 1024 KB output per stream). A plain dict with the same keys works too."""

    cpu_time_s: Optional[float] = None
    wall_time_s: Optional[float] = None
    memory_bytes: Optional[int] = None
    processes: Optional[int] = None
    output_bytes: Optional[int] = None
    file_size_bytes: Optional[int] = None
    open_files: Optional[int] = None
    stack_bytes: Optional[int] = None

    def to_json(self) -> Dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if value is not None}


def limits_json(limits: "Limits | Mapping[str, Any] | None") -> Optional[Dict[str, Any]]:
    if limits is None:
        return None
    if isinstance(limits, Limits):
        return limits.to_json()
    return dict(limits)
