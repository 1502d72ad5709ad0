"""The exceptions the package raises, one per status code of the C ABI (``AG_ERROR_*``).

Each carries the library's own message (``str(error)``) and the status ``code``. They also derive
from the closest built-in exception, so ``except ValueError`` catches a bad configuration and
``except TimeoutError`` a pool that had no free sandbox in time.
"""

from __future__ import annotations

from typing import NamedTuple

from typing import Dict, Type

# Status codes of bindings/c/autograder.h.
AG_OK = 0
AG_ERROR_INVALID_ARGUMENT = 1
AG_ERROR_CONFIG = 2
AG_ERROR_UNKNOWN_LANGUAGE = 3
AG_ERROR_SANDBOX = 4
AG_ERROR_TIMEOUT = 5
AG_ERROR_OUT_OF_MEMORY = 6
AG_ERROR_INTERNAL = 7
AG_ERROR_CANCELLED = 8


class AutograderError(Exception):
    """Base class of every error reported by libautograder.

    Attributes:
        code: the C ABI status code (``AG_ERROR_*``), or 0 for errors raised by the package itself.
        message: the library's message (also ``str(error)``).
    """

    code: int = 0

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidArgumentError(AutograderError, ValueError):
    """Malformed JSON, a wrong field type or an unknown field in a request (``AG_ERROR_INVALID_ARGUMENT``)."""

    code = AG_ERROR_INVALID_ARGUMENT


class ConfigIssue(NamedTuple):
    """One problem or warning of a grading configuration: its JSON path and what is wrong."""

    path: str
    message: str


class ConfigError(AutograderError, ValueError):
    """An invalid grading configuration (``AG_ERROR_CONFIG``); the message lists every problem
    with its JSON path (``criteria_config.base.tests[0].type: unknown test function ...``)."""

    code = AG_ERROR_CONFIG


class UnknownLanguageError(AutograderError, LookupError):
    """A language that is not in the language table (``AG_ERROR_UNKNOWN_LANGUAGE``)."""

    code = AG_ERROR_UNKNOWN_LANGUAGE


class SandboxError(AutograderError, RuntimeError):
    """A sandbox could not be made or used on this host (``AG_ERROR_SANDBOX``)."""

    code = AG_ERROR_SANDBOX


class SandboxTimeoutError(SandboxError, TimeoutError):
    """No sandbox became free within the timeout (``AG_ERROR_TIMEOUT``)."""

    code = AG_ERROR_TIMEOUT


class OutOfMemoryError(AutograderError, MemoryError):
    """The library ran out of memory (``AG_ERROR_OUT_OF_MEMORY``)."""

    code = AG_ERROR_OUT_OF_MEMORY


class InternalError(AutograderError, RuntimeError):
    """A bug of the library; the message says where (``AG_ERROR_INTERNAL``)."""

    code = AG_ERROR_INTERNAL


class CancelledError(AutograderError):
    """A batch was cancelled by its progress callback (``AG_ERROR_CANCELLED``)."""

    code = AG_ERROR_CANCELLED


class ClosedError(AutograderError, ValueError):
    """A pipeline, pool or sandbox was used after ``close()``/``release()``."""


_BY_CODE: Dict[int, Type[AutograderError]] = {
    cls.code: cls
    for cls in (
        InvalidArgumentError,
        ConfigError,
        UnknownLanguageError,
        SandboxError,
        SandboxTimeoutError,
        OutOfMemoryError,
        InternalError,
        CancelledError,
    )
}


def error_for(code: int, message: str) -> AutograderError:
    """The exception for a status code returned by an ``ag_`` function."""
    cls = _BY_CODE.get(code)
    if cls is None:
        return AutograderError(f"{message} (unknown status code {code})", code)
    return cls(message or f"libautograder failed with status {code}", code)
