"""Loads libautograder.so and declares the functions of bindings/c/autograder.h for ctypes.

The library is opened with ``ctypes.CDLL`` (never ``PyDLL``): ctypes releases the GIL for the
duration of every call, so grading, batch grading and sandbox runs let other Python threads run.
Callbacks from the library (progress, test functions, steps) take the GIL back while they run.

Where the library comes from, first match wins:

1. ``$AUTOGRADER_LIBRARY``: the path of ``libautograder.so`` (or of the folder holding it);
2. ``libautograder.so`` in this package's directory (what the CMake build and the wheels made from
   the build tree provide).
"""

from __future__ import annotations

import ctypes
import json
import os
from pathlib import Path
from typing import Any, Callable, Optional

from .errors import AG_OK, AutograderError, error_for

LIBRARY_ENVIRONMENT_VARIABLE = "AUTOGRADER_LIBRARY"
LIBRARY_FILE_NAME = "libautograder.so"
PACKAGE_DIRECTORY = Path(__file__).resolve().parent
# The oldest library this package works with; callables need MINIMUM_CALLBACK_ABI.
MINIMUM_ABI = 1
MINIMUM_CALLBACK_ABI = 2


class LibraryNotFoundError(ImportError):
    """libautograder.so is neither where $AUTOGRADER_LIBRARY says nor next to the package."""


def _locate_library() -> Path:
    override = os.environ.get(LIBRARY_ENVIRONMENT_VARIABLE, "")
    in_package = PACKAGE_DIRECTORY / LIBRARY_FILE_NAME
    if override:
        path = Path(override)
        if path.is_dir():
            path = path / LIBRARY_FILE_NAME
        if path.is_file():
            return path
        raise LibraryNotFoundError(
            f"autograder: {LIBRARY_ENVIRONMENT_VARIABLE}={override!r} is not a {LIBRARY_FILE_NAME} "
            f"(nor a folder holding one); unset it to use the copy in the package directory "
            f"({in_package})"
        )
    if in_package.is_file():
        return in_package
    raise LibraryNotFoundError(
        f"autograder: cannot find {LIBRARY_FILE_NAME}; looked in the package directory "
        f"({in_package}: absent) and in ${LIBRARY_ENVIRONMENT_VARIABLE} (not set). Build the CMake "
        f"target 'autograder' and use build/<preset>/python, or set {LIBRARY_ENVIRONMENT_VARIABLE}="
        f"/path/to/{LIBRARY_FILE_NAME}"
    )


def _open_library(path: Path) -> ctypes.CDLL:
    try:
        return ctypes.CDLL(str(path))
    except OSError as error:
        raise LibraryNotFoundError(f"autograder: cannot load {path}: {error}") from error


LIBRARY_PATH = _locate_library()
lib = _open_library(LIBRARY_PATH)

# ---- Types ---------------------------------------------------------------------------------

c_char_p = ctypes.c_char_p
c_int = ctypes.c_int
c_void_p = ctypes.c_void_p
c_size_t = ctypes.c_size_t
_out_pointer = ctypes.POINTER(c_void_p)

# typedef int (*ag_progress_fn)(void*, size_t index, size_t done, size_t total, const char*);
PROGRESS_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_size_t, c_size_t, c_size_t, c_char_p)
# typedef int (*ag_test_fn)(void*, const char* context_json, ag_sandbox*, ag_reply*);
TEST_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_char_p, c_void_p, c_void_p)
# typedef int (*ag_step_fn)(void*, const char* execution_json, ag_reply*);
STEP_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_char_p, c_void_p)
# void (*destroy_user_data)(void*)
DESTROY_FN = ctypes.CFUNCTYPE(None, c_void_p)
NO_PROGRESS = ctypes.cast(0, PROGRESS_FN)  # a NULL ag_progress_fn


def _declare(name: str, restype: Any, *argtypes: Any) -> None:
    function = getattr(lib, name)
    function.restype = restype
    function.argtypes = list(argtypes)


_declare("ag_abi_version", c_int)
_declare("ag_version", c_char_p)
_declare("ag_last_error", c_char_p)
_declare("ag_free", None, c_void_p)
_declare("ag_templates_json", c_int, _out_pointer)
_declare("ag_pipeline_create", c_int, c_char_p, c_char_p, _out_pointer)
_declare("ag_pipeline_destroy", None, c_void_p)
_declare("ag_pipeline_grade", c_int, c_void_p, c_char_p, _out_pointer)
if hasattr(lib, "ag_pipeline_grade_for"):  # ABI 4
    _declare("ag_pipeline_grade_for", c_int, c_void_p, c_char_p, c_char_p, _out_pointer)
_declare("ag_pipeline_grade_batch", c_int, c_void_p, c_char_p, c_int, PROGRESS_FN, c_void_p, _out_pointer)
_declare("ag_sandbox_pool_create", c_int, c_char_p, _out_pointer)
_declare("ag_sandbox_pool_destroy", None, c_void_p)
_declare("ag_sandbox_pool_acquire", c_int, c_void_p, c_char_p, ctypes.c_int64, _out_pointer)
_declare("ag_sandbox_pool_stats_json", c_int, c_void_p, _out_pointer)
_declare("ag_sandbox_write_file", c_int, c_void_p, c_char_p, c_char_p, c_size_t, c_int)
_declare("ag_sandbox_run", c_int, c_void_p, c_char_p, _out_pointer)
_declare("ag_sandbox_release", None, c_void_p)
_declare("ag_execute", c_int, c_char_p, _out_pointer)

ABI_VERSION: int = lib.ag_abi_version()
if ABI_VERSION < MINIMUM_ABI:
    raise LibraryNotFoundError(
        f"autograder: {LIBRARY_PATH} has C ABI version {ABI_VERSION}; this package needs {MINIMUM_ABI}+"
    )

# ABI 2: host additions (pipeline options, callable test functions and steps).
HAS_CALLBACKS = ABI_VERSION >= MINIMUM_CALLBACK_ABI and hasattr(lib, "ag_pipeline_create_with_options")
if HAS_CALLBACKS:
    _declare("ag_pipeline_options_create", c_int, c_char_p, _out_pointer)
    _declare("ag_pipeline_options_destroy", None, c_void_p)
    _declare("ag_pipeline_options_set_pool", c_int, c_void_p, c_void_p)
    _declare("ag_pipeline_options_set_languages", c_int, c_void_p, c_char_p)
    _declare("ag_pipeline_options_add_test_function", c_int, c_void_p, c_char_p, c_char_p, TEST_FN, c_void_p,
             DESTROY_FN)
    _declare("ag_pipeline_options_add_step", c_int, c_void_p, c_char_p, STEP_FN, c_void_p, DESTROY_FN)
    _declare("ag_pipeline_create_with_options", c_int, c_char_p, c_void_p, _out_pointer)
    _declare("ag_reply_set", c_int, c_void_p, c_char_p)


# ABI 3: ag_render_result (report formats).
MINIMUM_REPORT_FORMATS_ABI = 3
HAS_REPORT_FORMATS = ABI_VERSION >= MINIMUM_REPORT_FORMATS_ABI and hasattr(lib, "ag_render_result")
if HAS_REPORT_FORMATS:
    _declare("ag_render_result", c_int, c_char_p, c_char_p, _out_pointer)


# ABI 5: configuration checks as data, pipeline warnings, reading a sandbox's file.
MINIMUM_CHECKS_ABI = 5
HAS_CHECKS = ABI_VERSION >= MINIMUM_CHECKS_ABI and hasattr(lib, "ag_config_check")
if HAS_CHECKS:
    _declare("ag_config_check", c_int, c_char_p, c_char_p, _out_pointer)
    _declare("ag_pipeline_warnings_json", c_int, c_void_p, _out_pointer)
    _declare("ag_sandbox_read_file", c_int, c_void_p, c_char_p, ctypes.c_int64, _out_pointer,
             ctypes.POINTER(c_size_t))
    _declare("ag_submission_read", c_int, c_char_p, _out_pointer)


def require_checks(feature: str) -> None:
    """Raises AutograderError when the loaded library predates ABI 5."""
    if not HAS_CHECKS:
        raise AutograderError(
            f"{feature} needs libautograder with C ABI {MINIMUM_CHECKS_ABI}+; {LIBRARY_PATH} has {ABI_VERSION}"
        )


def require_callbacks(feature: str) -> None:
    """Raises AutograderError when the loaded library predates the host additions of ABI 2."""
    if not HAS_CALLBACKS:
        raise AutograderError(
            f"{feature} needs libautograder with C ABI {MINIMUM_CALLBACK_ABI}+; {LIBRARY_PATH} has {ABI_VERSION}"
        )


# ---- Calls ---------------------------------------------------------------------------------


def last_error() -> str:
    message: Optional[bytes] = lib.ag_last_error()
    return message.decode("utf-8", "replace") if message else ""


def check(status: int) -> None:
    """Raises the exception for a failed call; ag_last_error is per thread, so this must follow
    the failing call on the same thread with no ag_ call in between."""
    if status != AG_OK:
        raise error_for(status, last_error())


def take_string(pointer: c_void_p) -> str:
    """The text of a string the library returned through a char**, which this frees."""
    if not pointer.value:
        return ""
    try:
        return ctypes.string_at(pointer.value).decode("utf-8", "replace")
    finally:
        lib.ag_free(pointer)


def call_returning_json(function: Callable[..., int], *arguments: Any) -> Any:
    """Calls an ag_ function whose last argument is a char** of JSON; returns the parsed JSON."""
    out = c_void_p()
    check(function(*arguments, ctypes.byref(out)))
    return json.loads(take_string(out))


def call_returning_handle(function: Callable[..., int], *arguments: Any) -> int:
    """Calls an ag_ function whose last argument is a handle output; returns the handle."""
    out = c_void_p()
    check(function(*arguments, ctypes.byref(out)))
    if not out.value:
        raise AutograderError(f"{getattr(function, '__name__', 'ag_ call')} returned no handle")
    return out.value


def render_result(result: Any, format_name: str) -> str:
    """A result JSON rendered by the library in a named format (json, markdown, gradescope, junit, tap)."""
    if not HAS_REPORT_FORMATS:
        raise AutograderError(
            f"report formats need libautograder with C ABI {MINIMUM_REPORT_FORMATS_ABI}+; {LIBRARY_PATH} has "
            f"{ABI_VERSION}"
        )
    out = c_void_p()
    check(lib.ag_render_result(encode_json(result), format_name.encode("utf-8"), ctypes.byref(out)))
    return take_string(out)


def encode_json(document: Any) -> bytes:
    """JSON text for the library. ASCII escapes keep it valid UTF-8 whatever the strings hold."""
    return json.dumps(document, ensure_ascii=True, allow_nan=False).encode("ascii")


def keep_alive_forever(callback: Any) -> Any:
    """Leaks one reference to a module-level ctypes callback: the library may call it (e.g. a
    destroy_user_data from a pipeline freed at interpreter exit) after this module is torn down."""
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(callback))
    return callback


def version() -> str:
    """The version of the loaded libautograder, e.g. ``"0.1.0"``."""
    text: Optional[bytes] = lib.ag_version()
    return text.decode("utf-8") if text else ""


def abi_version() -> int:
    """The C ABI version of the loaded libautograder (``AG_ABI_VERSION``)."""
    return ABI_VERSION
