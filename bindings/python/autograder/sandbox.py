"""Sandboxes: a pool of warm sandboxes per language, one sandbox on loan, and the stateless execute.

One sandbox serves one submission: write its files, run the compiler and the tests in it, then
release it (the pool destroys it and makes a fresh one in the background)::

    with autograder.SandboxPool({"default_size": 1}) as pool:
        with pool.acquire("python") as sandbox:
            sandbox.write_file("main.py", "print(input()[::-1])\\n")
            report = sandbox.run(["python3", "main.py"], stdin="olleh\\n")
            assert report.stdout == "hello\\n"
"""

from __future__ import annotations

import ctypes
import threading
from types import TracebackType
from typing import Any, Dict, Mapping, Optional, Sequence, Type, Union

from . import _native
from ._documents import FilesSource, optional_fields, submission_files
from ._handles import Handle
from .errors import ClosedError, InvalidArgumentError
from .results import ExecuteResult, Limits, PoolStats, RunReport, limits_json

LimitsSource = Union[Limits, Mapping[str, Any], None]


class Sandbox:
    """One sandbox on loan from a :class:`SandboxPool` (or lent to a test function for one call).

    Use it from one thread at a time (calls on one sandbox are serialised). ``release()`` (or the
    end of a ``with`` block) gives it back; the pool destroys it, so nothing of one submission
    reaches the next.
    """

    def __init__(self, pointer: int, language: str, *, owned: bool, pool: Optional["SandboxPool"] = None) -> None:
        self._pointer = pointer
        self._owned = owned
        self._pool = pool  # keeps the Python pool object alive as long as its sandbox
        self._lock = threading.Lock()
        self.language = language

    @property
    def released(self) -> bool:
        return self._pointer == 0

    def _require_pointer(self) -> int:
        if not self._pointer:
            what = "sandbox was released" if self._owned else "sandbox was lent for one test function call only"
            raise ClosedError(f"this {what}")
        return self._pointer

    def write_file(self, path: str, content: Union[str, bytes], *, executable: bool = False) -> None:
        """Writes a file into the workspace (``path`` relative to it; parent folders are made;
        ``..`` and symlinks are refused). Text is written as UTF-8."""
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        with self._lock:
            pointer = self._require_pointer()
            _native.check(
                _native.lib.ag_sandbox_write_file(
                    pointer, path.encode("utf-8"), data, len(data), 1 if executable else 0
                )
            )

    def read_file(self, path: str, *, max_bytes: int = 16 << 20) -> bytes:
        """The bytes of a regular file in the sandbox (``path`` as for :meth:`write_file`), e.g.
        what a run wrote. Symlinks, FIFOs, devices and files over ``max_bytes`` raise
        :class:`SandboxError`, never block. Needs C ABI 5."""
        _native.require_checks("Sandbox.read_file")
        if max_bytes <= 0:
            raise InvalidArgumentError("max_bytes must be positive")
        out = ctypes.c_void_p()
        size = ctypes.c_size_t()
        with self._lock:
            pointer = self._require_pointer()
            _native.check(_native.lib.ag_sandbox_read_file(pointer, path.encode("utf-8"), max_bytes,
                                                           ctypes.byref(out), ctypes.byref(size)))
        try:
            return ctypes.string_at(out.value, size.value) if out.value else b""
        finally:
            _native.lib.ag_free(out)

    def run(
        self,
        argv: Sequence[str],
        *,
        stdin: Optional[str] = None,
        limits: LimitsSource = None,
        env: Optional[Mapping[str, str]] = None,
        cwd: Optional[str] = None,
        run_as: Optional[str] = None,
    ) -> RunReport:
        """Runs one program in the sandbox and returns its run report, whatever the program did.

        Args:
            argv: the command (``["python3", "main.py"]``); found on the language's PATH.
            stdin: the program's standard input.
            limits: a :class:`Limits` or dict (``cpu_time_s``, ``wall_time_s``, ``memory_bytes``, ...).
            env: the whole environment (default: the language's environment).
            cwd: the working directory, relative to the workspace (default ``"."``).
            run_as: ``"student"`` (default) or ``"grader"``: another user, in ``/grader`` (which
                the student's runs can neither read nor write), for instructor code that judges
                the student's; write its files with paths under ``/grader/``.
        """
        if isinstance(argv, str):
            raise InvalidArgumentError("argv must be a list of strings, not one string")
        request = optional_fields(argv=list(argv), stdin=stdin, limits=limits_json(limits),
                                  env=dict(env) if env is not None else None, cwd=cwd, run_as=run_as)
        with self._lock:
            pointer = self._require_pointer()
            return RunReport.from_json(
                _native.call_returning_json(_native.lib.ag_sandbox_run, pointer, _native.encode_json(request))
            )

    def release(self) -> None:
        """Gives the sandbox back to its pool. Idempotent."""
        with self._lock:
            pointer, self._pointer = self._pointer, 0
        if pointer and self._owned:
            _native.lib.ag_sandbox_release(pointer)

    close = release

    def _end_loan(self) -> None:
        """A lent sandbox becomes unusable when the callback it was lent to returns."""
        with self._lock:
            self._pointer = 0

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 traceback: Optional[TracebackType]) -> None:
        self.release()

    def __del__(self) -> None:
        try:
            self.release()
        except Exception:  # interpreter shutdown: the library may be gone already
            pass

    def __repr__(self) -> str:
        state = "released" if self.released else ("on loan" if self._owned else "lent")
        return f"<autograder.Sandbox {self.language} {state}>"


class SandboxPool:
    """Warm, ready sandboxes per language; acquiring one costs microseconds.

    Args:
        settings: None (defaults) or a dict: ``default_size`` (sandboxes kept per language, default
            2 or ``$AUTOGRADER_SANDBOX_POOL_SIZE``), ``max_total``, ``size_per_language``
            (``{"python": 4}``), ``warm_languages`` (made at once), ``sandbox`` (``workspace_bytes``,
            ``tmp_bytes``, ``max_inodes``, ``loopback_network``, ``read_only_paths``, ``hostname``).

    Thread-safe. A pool can also feed pipelines (``Pipeline(config, pool=pool)``).
    """

    def __init__(self, settings: Optional[Mapping[str, Any]] = None) -> None:
        text = _native.encode_json(dict(settings)) if settings is not None else None
        pointer = _native.call_returning_handle(_native.lib.ag_sandbox_pool_create, text)
        self._handle = Handle(pointer, _native.lib.ag_sandbox_pool_destroy, "sandbox pool")

    def acquire(self, language: str, timeout: float = 120.0) -> Sandbox:
        """Takes a fresh sandbox of ``language``, waiting up to ``timeout`` seconds for one.

        Raises:
            UnknownLanguageError: the language is not in the language table.
            SandboxTimeoutError: no sandbox became free in time.
            SandboxError: no sandbox can be made on this host.
        """
        if timeout < 0:
            raise InvalidArgumentError("timeout must be >= 0 seconds")
        with self._handle.use() as pool:
            pointer = _native.call_returning_handle(
                _native.lib.ag_sandbox_pool_acquire, pool, language.encode("utf-8"), int(timeout * 1000)
            )
        return Sandbox(pointer, language, owned=True, pool=self)

    def stats(self) -> PoolStats:
        """The pool's counters: idle, active, created, destroyed, waits, wait_time_ms, failures."""
        with self._handle.use() as pool:
            return PoolStats.from_json(_native.call_returning_json(_native.lib.ag_sandbox_pool_stats_json, pool))

    @property
    def closed(self) -> bool:
        return self._handle.closed

    def close(self) -> None:
        """Destroys the pool. Sandboxes still on loan stay valid until released. Idempotent."""
        self._handle.close()

    def _use(self) -> Any:
        return self._handle.use()

    def __enter__(self) -> "SandboxPool":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 traceback: Optional[TracebackType]) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


def execute(
    language: str,
    files: FilesSource,
    *,
    stdin: Optional[str] = None,
    main: Optional[str] = None,
    limits: LimitsSource = None,
) -> ExecuteResult:
    """Compiles (when the language needs it) and runs files in a fresh sandbox, like
    ``autograder run --json``.

    Args:
        language: ``"python"``, ``"c"``, ``"cpp"``, ``"java"``, ``"javascript"`` or an alias.
        files: ``{path: content}`` or a folder.
        stdin: the program's standard input.
        main: the file to run (default: the language's ``main.py``, ``Main.java``, ...).
        limits: a :class:`Limits` or dict.

    Returns the last run's report (``phase`` says whether it was the compile or the run); a
    compile error or a crashing program is a report, not an exception.
    """
    request: Dict[str, Any] = optional_fields(
        language=language, files=submission_files(files), stdin=stdin, main=main, limits=limits_json(limits)
    )
    return ExecuteResult.from_json(_native.call_returning_json(_native.lib.ag_execute, _native.encode_json(request)))


def borrowed_sandbox(pointer: Optional[int], language: str) -> Optional[Sandbox]:
    """Wraps the sandbox a test function callback receives (never released by Python)."""
    if not pointer:
        return None
    return Sandbox(pointer, language, owned=False)

