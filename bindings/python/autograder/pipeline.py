"""Grading: a Pipeline made once from a grading configuration grades many submissions, from many
threads at once; :func:`grade` is the one-shot shortcut."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Callable, Dict, Iterable, List, Mapping, NamedTuple, Optional, Tuple, Type, Union

from . import _native
from ._documents import ConfigSource, FilesSource, load_config, optional_fields, submission_files
from ._handles import Handle
from .errors import CancelledError, ConfigIssue, InvalidArgumentError, error_for
from .extensions import FORGET_CALLBACK, STEP_CALLBACK, TEST_CALLBACK, Step, TestFunction, forget, register
from .results import GradingResult
from .sandbox import SandboxPool

LanguagesSource = Union[Mapping[str, Any], str, "os.PathLike[str]"]


@dataclass(frozen=True)
class Submission:
    """A submission: its files (``{path: content}`` or a folder), its language (a key or alias;
    None: the configuration's first language) and metadata passed through to test functions."""

    files: FilesSource
    language: Optional[str] = None
    metadata: Dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> Dict[str, Any]:
        return optional_fields(files=submission_files(self.files), language=self.language,
                               metadata=dict(self.metadata) if self.metadata else None)


@dataclass(frozen=True)
class BatchProgress:
    """What the progress callback of :meth:`Pipeline.grade_batch` receives, once per submission."""

    index: int  # the submission's position in the batch
    done: int  # how many are graded so far, this one included
    total: int
    result: GradingResult


ProgressCallback = Callable[[BatchProgress], Optional[bool]]
SubmissionSource = Union[Submission, FilesSource]


def _unreadable_submission(error: BaseException) -> GradingResult:
    """The result of a submission whose files could not be read: FAILED at PRE_FLIGHT (the step
    that checks a submission's files), score 0, the reason as its feedback."""
    message = f"The submission could not be read: {error}"
    step = {"name": "PRE_FLIGHT", "status": "FAILED", "message": message, "duration_ms": 0.0}
    return GradingResult.from_json({
        "status": "FAILED", "failed_at_step": "PRE_FLIGHT", "final_score": 0.0, "result_tree": None,
        "focus": {"base": [], "bonus": [], "penalty": []}, "score_vector": {}, "feedback": message,
        "pipeline": {"status": "FAILED", "failed_at_step": "PRE_FLIGHT", "steps": [step], "execution_time_ms": 0.0},
        "host_data": {},
    })


def _as_submission(item: SubmissionSource) -> Submission:
    return item if isinstance(item, Submission) else Submission(item)


class Pipeline:
    """A grading pipeline for one configuration.

    Args:
        config: the grading configuration: a dict, JSON text, or the path of a JSON file.
        locale: the feedback's language, ``"en"`` (default) or ``"pt_br"``.
        assignment_directory: what asset sources are relative to; default: the configuration
            file's folder when ``config`` is a path.
        pool: a :class:`SandboxPool` to take sandboxes from (default: the pipeline makes its own).
        languages: a language table replacing the defaults (format of data/languages.json): a
            dict, JSON text or a path.
        sandbox_timeout: seconds to wait for a free sandbox (default 120).
        test_functions: :class:`TestFunction` objects the configuration may use.
        steps: :class:`Step` objects added to the pipeline.

    Raises:
        ConfigError: the configuration is invalid (the message lists every problem with its path).
        InvalidArgumentError: malformed JSON or an unknown option.

    Thread-safe: many threads may call :meth:`grade` at once (the GIL is released while grading).
    Close it (or use ``with``) to free it at once; it is also freed when garbage-collected.
    """

    def __init__(
        self,
        config: ConfigSource,
        *,
        locale: Optional[str] = None,
        assignment_directory: Optional[Union[str, "os.PathLike[str]"]] = None,
        pool: Optional[SandboxPool] = None,
        languages: Optional[LanguagesSource] = None,
        sandbox_timeout: Optional[float] = None,
        test_functions: Iterable[TestFunction] = (),
        steps: Iterable[Step] = (),
    ) -> None:
        config_text, config_folder = load_config(config)
        if assignment_directory is None and config_folder is not None:
            assignment_directory = config_folder
        options = optional_fields(
            locale=locale,
            assignment_directory=os.fspath(assignment_directory) if assignment_directory is not None else None,
            sandbox_timeout_ms=int(sandbox_timeout * 1000) if sandbox_timeout is not None else None,
        )
        self.test_functions = tuple(test_functions)
        self.steps = tuple(steps)
        self.pool = pool  # the pipeline's C side keeps the pool alive; this keeps the Python object
        options_text = _native.encode_json(options) if options else None
        if pool is None and languages is None and not self.test_functions and not self.steps:
            pointer = _native.call_returning_handle(_native.lib.ag_pipeline_create,
                                                    config_text.encode("utf-8"), options_text)
        else:
            pointer = self._create_with_options(config_text, options_text, languages)
        self._handle = Handle(pointer, _native.lib.ag_pipeline_destroy, "pipeline")

    def _create_with_options(self, config_text: str, options_text: Optional[bytes],
                             languages: Optional[LanguagesSource]) -> int:
        _native.require_callbacks("Pipeline(pool=, languages=, test_functions=, steps=)")
        lib = _native.lib
        options = _native.call_returning_handle(lib.ag_pipeline_options_create, options_text)
        try:
            if self.pool is not None:
                if not isinstance(self.pool, SandboxPool):
                    raise InvalidArgumentError(f"pool must be a SandboxPool, not {type(self.pool).__name__}")
                with self.pool._use() as pool_pointer:
                    _native.check(lib.ag_pipeline_options_set_pool(options, pool_pointer))
            if languages is not None:
                languages_text, _ = load_config(languages, "languages")
                _native.check(lib.ag_pipeline_options_set_languages(options, languages_text.encode("utf-8")))
            for function in self.test_functions:
                if not isinstance(function, TestFunction):
                    raise InvalidArgumentError(
                        f"test_functions must hold TestFunction objects (see autograder.test_function), "
                        f"not {type(function).__name__}")
                token = register(function)
                status = lib.ag_pipeline_options_add_test_function(
                    options, function.template.encode("utf-8"), _native.encode_json(function.to_json()),
                    TEST_CALLBACK, token, FORGET_CALLBACK)
                if status != 0:
                    error = error_for(status, _native.last_error())
                    forget(token)  # the library keeps no token it refused
                    raise error
            for extra_step in self.steps:
                if not isinstance(extra_step, Step):
                    raise InvalidArgumentError(
                        f"steps must hold Step objects (see autograder.step), not {type(extra_step).__name__}")
                token = register(extra_step)
                status = lib.ag_pipeline_options_add_step(options, _native.encode_json(extra_step.to_json()),
                                                          STEP_CALLBACK, token, FORGET_CALLBACK)
                if status != 0:
                    error = error_for(status, _native.last_error())
                    forget(token)  # the library keeps no token it refused
                    raise error
            return _native.call_returning_handle(lib.ag_pipeline_create_with_options,
                                                 config_text.encode("utf-8"), options)
        finally:
            lib.ag_pipeline_options_destroy(options)

    def grade(
        self,
        files: SubmissionSource,
        language: Optional[str] = None,
        *,
        metadata: Optional[Mapping[str, Any]] = None,
        audience: Optional[str] = None,
    ) -> GradingResult:
        """Grades one submission.

        Args:
            files: ``{path: content}``, a folder, or a :class:`Submission`.
            language: a language key or alias (default: the configuration's first language).
            metadata: passed through to test functions, steps and exporters (a redis export keys
                the score by ``external_user_id``).
            audience: ``"teacher"`` (the default: every test, each with its ``visibility``),
                ``"student"`` (tests with visibility ``hidden`` or ``after_due_date`` left out of the
                result tree, focus, score vector and feedback; they still count in the score) or
                ``"student_after_due_date"`` (only ``hidden`` tests left out).

        Returns the result even when the pipeline FAILED (a missing file, a compile error):
        check ``result.status``.

        Raises:
            UnknownLanguageError: the language is not in the language table.
            InvalidArgumentError: the files cannot be sent (not UTF-8 text, ...).
        """
        if isinstance(files, Submission):
            submission = files
            if language is not None or metadata is not None:
                submission = Submission(files.files, language or files.language,
                                        dict(metadata) if metadata is not None else files.metadata)
        else:
            submission = Submission(files, language, dict(metadata or {}))
        request = _native.encode_json(submission.to_json())
        with self._handle.use() as pipeline:
            if audience is None:
                document = _native.call_returning_json(_native.lib.ag_pipeline_grade, pipeline, request)
            else:
                if not hasattr(_native.lib, "ag_pipeline_grade_for"):
                    raise RuntimeError("audience needs a library with C ABI version 3 or later")
                document = _native.call_returning_json(_native.lib.ag_pipeline_grade_for, pipeline, request,
                                                       audience.encode("utf-8"))
        return GradingResult.from_json(document)

    def grade_batch(
        self,
        submissions: Iterable[SubmissionSource],
        *,
        jobs: int = 0,
        progress: Optional[ProgressCallback] = None,
    ) -> List[GradingResult]:
        """Grades many submissions on ``jobs`` threads of the library (0: one per core).

        Args:
            submissions: :class:`Submission` objects, ``{path: content}`` dicts or folders.
            jobs: grading threads (0: one per core).
            progress: called once per graded submission with a :class:`BatchProgress`, from the
                grading threads but never two at once. Return False to cancel (submissions not
                yet started are skipped); raising an exception cancels too.

        Returns the results in the order of the submissions. A submission that cannot be read (a
        folder that is gone, not a folder at all) gets a FAILED result (at PRE_FLIGHT, score 0,
        the reason as its feedback); it never stops the others. Files that are not UTF-8 text
        (an image, a ``.pyc``) are sent as bytes.

        Raises:
            CancelledError: the progress callback returned False (when it raised, its exception
                is raised instead, with the CancelledError as its context).
        """
        if jobs < 0:
            raise InvalidArgumentError("jobs must be >= 0 (0: one per core)")
        # One submission that cannot be read (a folder gone, a file of the wrong type) is a FAILED
        # result of its own; it never aborts the others.
        items = list(submissions)
        results: List[Optional[GradingResult]] = [None] * len(items)
        sent: List[Dict[str, Any]] = []
        positions: List[int] = []
        unreadable: List[Tuple[int, GradingResult]] = []
        for position, item in enumerate(items):
            try:
                sent.append(_as_submission(item).to_json())
                positions.append(position)
            except (InvalidArgumentError, OSError) as error:
                failed = _unreadable_submission(error)
                results[position] = failed
                unreadable.append((position, failed))
        request = _native.encode_json(sent)
        raised: List[BaseException] = []
        if progress is not None:
            for done, (position, failed) in enumerate(unreadable, start=1):
                if progress(BatchProgress(position, done, len(items), failed)) is False:
                    raise CancelledError("the batch was cancelled by its progress callback")

        def report(_user_data: Optional[int], index: int, done: int, total: int, result_json: Optional[bytes]) -> int:
            try:
                result = GradingResult.from_json(json.loads(result_json or b"{}"))
                answer = (progress(BatchProgress(positions[index], done + len(unreadable), len(items), result))
                          if progress else None)
                return 1 if answer is False else 0
            except BaseException as error:  # never unwind into the library
                raised.append(error)
                return 1

        callback = _native.PROGRESS_FN(report) if progress is not None else _native.NO_PROGRESS
        with self._handle.use() as pipeline:
            try:
                documents = _native.call_returning_json(_native.lib.ag_pipeline_grade_batch, pipeline, request,
                                                        jobs, callback, None)
            except CancelledError as cancelled:
                if raised:
                    raise raised[0] from cancelled
                raise
        for position, document in zip(positions, documents):
            results[position] = GradingResult.from_json(document)
        return [result for result in results if result is not None]

    @property
    def warnings(self) -> List[ConfigIssue]:
        """What the configuration was accepted with but a teacher should look at. Needs C ABI 5."""
        _native.require_checks("Pipeline.warnings")
        with self._handle.use() as pipeline:
            issues = _native.call_returning_json(_native.lib.ag_pipeline_warnings_json, pipeline)
        return [ConfigIssue(issue["path"], issue["message"]) for issue in issues]

    @property
    def closed(self) -> bool:
        return self._handle.closed

    def close(self) -> None:
        """Frees the pipeline (once running calls on it end). Idempotent."""
        self._handle.close()

    def __enter__(self) -> "Pipeline":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 traceback: Optional[TracebackType]) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


def grade(
    config: ConfigSource,
    files: SubmissionSource,
    language: Optional[str] = None,
    *,
    metadata: Optional[Mapping[str, Any]] = None,
    locale: Optional[str] = None,
    assignment_directory: Optional[Union[str, "os.PathLike[str]"]] = None,
    test_functions: Iterable[TestFunction] = (),
    steps: Iterable[Step] = (),
) -> GradingResult:
    """Grades one submission against a configuration (makes a :class:`Pipeline`, grades, frees it).

    Args:
        config: a dict, JSON text, or the path of a JSON file.
        files: ``{path: content}``, a folder, or a :class:`Submission`.
        language: a language key or alias (default: the configuration's first language).
        metadata, locale, assignment_directory, test_functions, steps: as for :class:`Pipeline`.

    To grade many submissions, make one :class:`Pipeline` and reuse it: it keeps warm sandboxes.
    """
    with Pipeline(config, locale=locale, assignment_directory=assignment_directory,
                  test_functions=test_functions, steps=steps) as pipeline:
        return pipeline.grade(files, language, metadata=metadata)



class ConfigCheck(NamedTuple):
    """What :func:`check_config` found: ``valid`` is False when ``problems`` is not empty."""

    valid: bool
    problems: List[ConfigIssue]
    warnings: List[ConfigIssue]


def check_config(
    config: ConfigSource,
    *,
    locale: Optional[str] = None,
    assignment_directory: Optional[Union[str, "os.PathLike[str]"]] = None,
) -> ConfigCheck:
    """Checks a configuration as :class:`Pipeline` does, without keeping a pipeline, and returns
    every problem and warning with its JSON path instead of raising :class:`ConfigError`.
    Needs C ABI 5."""
    _native.require_checks("check_config")
    config_text, config_folder = load_config(config)
    if assignment_directory is None and config_folder is not None:
        assignment_directory = config_folder
    options = optional_fields(
        locale=locale,
        assignment_directory=os.fspath(assignment_directory) if assignment_directory is not None else None,
    )
    report = _native.call_returning_json(_native.lib.ag_config_check, config_text.encode("utf-8"),
                                         _native.encode_json(options) if options else None)
    return ConfigCheck(bool(report["valid"]),
                       [ConfigIssue(issue["path"], issue["message"]) for issue in report["problems"]],
                       [ConfigIssue(issue["path"], issue["message"]) for issue in report["warnings"]])
