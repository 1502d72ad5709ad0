"""Host extensions written in Python: test functions and pipeline steps.

A test function scores one test of the criteria tree::

    @autograder.test_function(template="my_checks", parameters=[autograder.Parameter("word", required=True)])
    def mentions(context: autograder.TestContext) -> autograder.TestResult:
        \"\"\"The submission mentions a word.\"\"\"
        found = any(context.parameters["word"] in text for text in context.submission.files.values())
        return autograder.TestResult(100 if found else 0, "found" if found else "not found")

    pipeline = autograder.Pipeline(config, test_functions=[mentions])  # config lists "my_checks"

A step runs after a built-in step and sees the execution so far::

    @autograder.step("AUDIT", after="GRADE")
    def audit(context: autograder.StepContext) -> None:
        context.host_data["audited"] = True

Both are called from the library's grading threads, possibly several at once, with the GIL
held while they run. An exception never escapes into the library: in a test function it scores
the test 0 with the exception's message; in a step it fails the pipeline at that step with the
message. The traceback goes to the ``autograder`` logger.
"""

from __future__ import annotations

import inspect
import itertools
import json
import logging
import math
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Tuple, Union

from . import _native
from .catalog import Parameter
from .results import Status, StepResult
from .sandbox import Sandbox, borrowed_sandbox

logger = logging.getLogger("autograder")


# ---- What the callables receive and return ---------------------------------------------------


@dataclass(frozen=True)
class SubmissionView:
    """The submission being graded, as a test function or step sees it."""

    language: str
    files: Dict[str, str]
    metadata: Dict[str, Any]

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> "SubmissionView":
        return cls(
            language=document.get("language", ""),
            files={entry.get("path", ""): entry.get("content", "") for entry in document.get("files", [])},
            metadata=document.get("metadata") or {},
        )


@dataclass(frozen=True)
class TestContext:
    """One test of one submission, as a test function receives it.

    Attributes:
        name: the test's name in the criteria tree.
        function: the function key the test names.
        parameters: the test's parameters (from the configuration).
        file: the file the test targets, or None.
        weight: the test's weight.
        submission: the submission's language, files and metadata.
        sandbox: the submission's sandbox when the function was declared with
            ``needs_sandbox=True`` (valid during this call only), else None.
        raw: the context JSON as the library passed it.
    """

    __test__ = False  # not a pytest test class

    name: str
    function: str
    parameters: Dict[str, Any]
    file: Optional[str]
    weight: float
    submission: SubmissionView
    sandbox: Optional[Sandbox]
    raw: Dict[str, Any] = field(repr=False)


@dataclass(frozen=True)
class TestResult:
    """What a test function returns: a score 0..100 and a Markdown report for the student.
    A function may also return a bare number, a ``(score, report)`` pair, or a bool (100/0)."""

    __test__ = False

    score: float
    report: str = ""


@dataclass
class StepContext:
    """The pipeline execution as a custom step sees it.

    Attributes:
        step: the step's name.
        submission: the submission's language, files and metadata.
        language: the submission's language key.
        status: the pipeline status so far.
        steps: the results of the steps that ran before this one.
        final_score: the score once GRADE ran, else None.
        result_tree: the graded tree once GRADE ran, else None.
        host_data: data steps hand to each other and to the result (``GradingResult.host_data``);
            changes made here are kept.
        raw: the execution JSON as the library passed it.
    """

    step: str
    submission: SubmissionView
    language: str
    status: Status
    steps: Tuple[StepResult, ...]
    final_score: Optional[float]
    result_tree: Optional[Dict[str, Any]]
    host_data: Dict[str, Any]
    raw: Dict[str, Any] = field(repr=False)


@dataclass(frozen=True)
class StepOutcome:
    """What a step may return: ``ok=False`` fails the pipeline at this step with ``message``.
    ``host_data``, when given, replaces the execution's host data. Returning None means ok."""

    ok: bool = True
    message: str = ""
    host_data: Optional[Dict[str, Any]] = None


class StepFailed(Exception):
    """Raised by a step to fail the pipeline at that step with this message (like
    ``StepOutcome(ok=False, message=...)``)."""


TestReturn = Union[TestResult, float, int, bool, Tuple[float, str]]
StepReturn = Union[StepOutcome, bool, str, None]


# ---- Declarations ----------------------------------------------------------------------------


def _description_of(function: Callable[..., Any]) -> str:
    doc = inspect.getdoc(function) or ""
    return doc.split("\n\n", 1)[0].replace("\n", " ").strip()


class TestFunction:
    """A test function written in Python.

    Args:
        key: the name tests use in the configuration (``"type": key``).
        function: called with a :class:`TestContext`; returns a :class:`TestResult`, a score, a
            ``(score, report)`` pair or a bool.
        template: the template it belongs to (made if new); the configuration must list it in its
            ``template_name``, e.g. ``"input_output,my_checks"``.
        description: shown by template listings; default: the function's docstring.
        parameters: the :class:`Parameter` list the tests give (checked by the configuration parser).
        needs_sandbox: True to receive the submission's sandbox (``context.sandbox``).
    """

    __test__ = False

    def __init__(
        self,
        key: str,
        function: Callable[[TestContext], TestReturn],
        *,
        template: str,
        description: Optional[str] = None,
        parameters: Iterable[Parameter] = (),
        needs_sandbox: bool = False,
    ) -> None:
        if not key:
            raise ValueError("a test function needs a key")
        if not template:
            raise ValueError(f"test function {key!r} needs a template name")
        self.key = key
        self.function = function
        self.template = template
        self.description = description if description is not None else _description_of(function)
        self.parameters = tuple(parameters)
        self.needs_sandbox = needs_sandbox

    def __call__(self, context: TestContext) -> TestReturn:
        return self.function(context)

    def to_json(self) -> Dict[str, Any]:
        return {
            "key": self.key,
            "description": self.description,
            "parameters": [parameter.to_json() for parameter in self.parameters],
            "needs_sandbox": self.needs_sandbox,
        }

    def __repr__(self) -> str:
        return f"<autograder.TestFunction {self.template}/{self.key}>"


def test_function(
    key: Optional[str] = None,
    *,
    template: str,
    description: Optional[str] = None,
    parameters: Iterable[Parameter] = (),
    needs_sandbox: bool = False,
) -> Callable[[Callable[[TestContext], TestReturn]], TestFunction]:
    """Decorator making a :class:`TestFunction`; the key defaults to the function's name."""

    def make(function: Callable[[TestContext], TestReturn]) -> TestFunction:
        return TestFunction(key or function.__name__, function, template=template, description=description,
                            parameters=parameters, needs_sandbox=needs_sandbox)

    return make


test_function.__test__ = False  # type: ignore[attr-defined]


class Step:
    """A pipeline step written in Python.

    Args:
        name: the step's name in the audit trail (``"AUDIT"``).
        function: called with a :class:`StepContext`; returns None (ok), a :class:`StepOutcome`,
            a bool, or a message string (ok with that message); raising fails the step.
        after: the built-in step it runs after (``"GRADE"``); None or unknown: at the end.
    """

    def __init__(self, name: str, function: Callable[[StepContext], StepReturn], *, after: Optional[str] = None) -> None:
        if not name:
            raise ValueError("a step needs a name")
        self.name = name
        self.function = function
        self.after = after

    def __call__(self, context: StepContext) -> StepReturn:
        return self.function(context)

    def to_json(self) -> Dict[str, Any]:
        document: Dict[str, Any] = {"name": self.name}
        if self.after is not None:
            document["after"] = self.after
        return document

    def __repr__(self) -> str:
        return f"<autograder.Step {self.name} after {self.after or 'the end'}>"


def step(name: Optional[str] = None, *, after: Optional[str] = None) -> Callable[[Callable[[StepContext], StepReturn]], Step]:
    """Decorator making a :class:`Step`; the name defaults to the function's name in upper case."""

    def make(function: Callable[[StepContext], StepReturn]) -> Step:
        return Step(name or function.__name__.upper(), function, after=after)

    return make


# ---- The callbacks the library calls ---------------------------------------------------------
#
# Three module-level ctypes callbacks serve every pipeline; user_data is a token naming the
# Python object in _registry. The library calls destroy_user_data once it no longer needs a
# token (the last pipeline using it is gone), which drops the registry's reference.

_registry: Dict[int, Any] = {}
_registry_lock = threading.Lock()
_tokens = itertools.count(1)


def register(extension: Any) -> int:
    """A token for `extension`, kept alive until the library calls destroy_user_data on it."""
    with _registry_lock:
        token = next(_tokens)
        _registry[token] = extension
    return token


def _lookup(token: Optional[int]) -> Any:
    with _registry_lock:
        return _registry[token or 0]


def _describe_exception(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _set_reply(reply: Optional[int], document: Dict[str, Any]) -> int:
    return 0 if _native.lib.ag_reply_set(reply, _native.encode_json(document)) == 0 else 1


def _test_reply(extension: TestFunction, value: Any) -> Dict[str, Any]:
    if isinstance(value, TestResult):
        score, report = value.score, value.report
    elif isinstance(value, bool):
        score, report = (100.0 if value else 0.0), ""
    elif isinstance(value, (int, float)):
        score, report = float(value), ""
    elif isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], (int, float)):
        score, report = float(value[0]), str(value[1])
    else:
        return {"error": f"test function '{extension.key}' returned {type(value).__name__}; expected a "
                         f"TestResult, a score or a (score, report) pair"}
    if not isinstance(report, str):
        report = str(report)
    if not math.isfinite(score) or not 0 <= score <= 100:
        return {"error": f"test function '{extension.key}' returned the score {score}; scores are 0..100"}
    return {"score": score, "report": report}


def _call_test_function(user_data: Optional[int], context_json: Optional[bytes], sandbox: Optional[int],
                        reply: Optional[int]) -> int:
    lent: Optional[Sandbox] = None
    try:
        extension: TestFunction = _lookup(user_data)
        try:
            document = json.loads(context_json or b"{}")
            test = document.get("test") or {}
            submission = SubmissionView.from_json(document.get("submission") or {})
            lent = borrowed_sandbox(sandbox, submission.language)
            context = TestContext(
                name=test.get("name", ""),
                function=test.get("function", extension.key),
                parameters=test.get("parameters") or {},
                file=test.get("file"),
                weight=float(test.get("weight") or 0.0),
                submission=submission,
                sandbox=lent,
                raw=document,
            )
            answer = _test_reply(extension, extension(context))
        except BaseException as error:  # never unwind into the library, whatever was raised
            logger.exception("test function %r raised", extension.key)
            answer = {"error": f"test function '{extension.key}' raised {_describe_exception(error)}"}
        return _set_reply(reply, answer)
    except BaseException:  # the registry lookup or the reply itself failed
        return 1
    finally:
        if lent is not None:
            lent._end_loan()


def _step_reply(value: Any, context: StepContext, host_data_before: str) -> Dict[str, Any]:
    if isinstance(value, StepOutcome):
        document: Dict[str, Any] = {"ok": value.ok, "message": value.message}
        if value.host_data is not None:
            document["host_data"] = value.host_data
            return document
    elif value is None or value is True:
        document = {"ok": True, "message": ""}
    elif value is False:
        document = {"ok": False, "message": f"step {context.step} failed"}
    elif isinstance(value, str):
        document = {"ok": True, "message": value}
    else:
        return {"ok": False, "message": f"step {context.step} returned {type(value).__name__}; expected None, "
                                        f"a StepOutcome, a bool or a message"}
    if json.dumps(context.host_data, sort_keys=True, default=str) != host_data_before:
        document["host_data"] = context.host_data
    return document


def _call_step(user_data: Optional[int], execution_json: Optional[bytes], reply: Optional[int]) -> int:
    try:
        extension: Step = _lookup(user_data)
        try:
            document = json.loads(execution_json or b"{}")
            host_data = document.get("host_data") or {}
            final_score = document.get("final_score")
            context = StepContext(
                step=document.get("step", extension.name),
                submission=SubmissionView.from_json(document.get("submission") or {}),
                language=document.get("language", ""),
                status=Status(document.get("status", "RUNNING")),
                steps=tuple(StepResult.from_json(entry) for entry in document.get("steps", [])),
                final_score=float(final_score) if final_score is not None else None,
                result_tree=document.get("result_tree"),
                host_data=host_data,
                raw=document,
            )
            before = json.dumps(host_data, sort_keys=True, default=str)
            answer = _step_reply(extension(context), context, before)
            _native.encode_json(answer)  # host data that is not JSON fails here, as the step's error
        except StepFailed as failure:
            answer = {"ok": False, "message": str(failure) or f"step {extension.name} failed"}
        except BaseException as error:
            logger.exception("step %r raised", extension.name)
            answer = {"ok": False, "message": f"step {extension.name} raised {_describe_exception(error)}"}
        return _set_reply(reply, answer)
    except BaseException:
        return 1


def forget(user_data: Optional[int]) -> None:
    """Drops a token (what the library's destroy_user_data does)."""
    try:
        with _registry_lock:
            _registry.pop(user_data or 0, None)
    except BaseException:  # interpreter shutdown: nothing left to forget
        pass


# Module-level and never freed (the library may call them until its last pipeline is gone).
TEST_CALLBACK = _native.keep_alive_forever(_native.TEST_FN(_call_test_function))
STEP_CALLBACK = _native.keep_alive_forever(_native.STEP_FN(_call_step))
FORGET_CALLBACK = _native.keep_alive_forever(_native.DESTROY_FN(forget))
