"""Turns what Python callers pass (dicts, JSON text, paths, folders) into the JSON documents the
C ABI reads. The library validates every field itself; this module only gathers the data."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from . import _native
from .errors import InvalidArgumentError

PathLike = Union[str, "os.PathLike[str]"]
# A configuration: a dict, JSON text, or the path of a JSON file.
ConfigSource = Union[Mapping[str, Any], str, "os.PathLike[str]"]
# Submission files: {relative path: text or bytes}, or a folder (every regular file under it).
FilesSource = Union[Mapping[str, Union[str, bytes]], str, "os.PathLike[str]"]


def _looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def load_config(config: ConfigSource, what: str = "config") -> Tuple[str, Optional[Path]]:
    """The configuration as JSON text, and the folder of its file when it came from one."""
    if isinstance(config, Mapping):
        return json.dumps(config, ensure_ascii=True, allow_nan=False), None
    if isinstance(config, str) and _looks_like_json(config):
        return config, None
    if isinstance(config, (str, os.PathLike)):
        path = Path(config)
        try:
            return path.read_text(encoding="utf-8"), path.resolve().parent
        except OSError as error:
            raise InvalidArgumentError(f"{what}: cannot read {str(path)!r}: {error.strerror or error}") from error
        except UnicodeDecodeError as error:
            raise InvalidArgumentError(f"{what}: {str(path)!r} is not UTF-8 text: {error}") from error
    raise InvalidArgumentError(
        f"{what} must be a dict, JSON text or the path of a JSON file, not {type(config).__name__}"
    )


def _file_entry(path: str, content: Union[str, bytes]) -> Dict[str, Any]:
    """{"path", "content"} for text; {"path", "content_base64"} for bytes that are not UTF-8 (an
    image, a .pyc): the library receives them unchanged, as the CLI reads them."""
    if isinstance(content, str):
        return {"path": path, "content": content}
    if isinstance(content, (bytes, bytearray, memoryview)):
        data = bytes(content)
        try:
            return {"path": path, "content": data.decode("utf-8")}
        except UnicodeDecodeError:
            return {"path": path, "content_base64": base64.b64encode(data).decode("ascii")}
    raise InvalidArgumentError(f"files[{path!r}] must be str or bytes, not {type(content).__name__}")


def read_from_disk(paths: List[str]) -> List[Dict[str, Any]]:
    """Files and folders read by the library's own submission reader (as the CLI reads them:
    symlinks never followed, a stable order, 1000 files and 64 MiB at most)."""
    _native.require_checks("reading a submission folder")
    document = _native.call_returning_json(_native.lib.ag_submission_read, _native.encode_json(paths))
    files: List[Dict[str, Any]] = document["files"]
    return files


def submission_files(files: FilesSource) -> List[Dict[str, Any]]:
    """The C ABI's list of {"path", "content"[, "executable"]}."""
    if isinstance(files, Mapping):
        result = []
        for path, content in files.items():
            if not isinstance(path, str):
                raise InvalidArgumentError(f"file names must be str, not {type(path).__name__}")
            result.append(_file_entry(path, content))
        return result
    if isinstance(files, (str, os.PathLike)):
        return read_from_disk([os.fspath(files)])
    raise InvalidArgumentError(
        f"files must be a dict {{path: content}} or a folder, not {type(files).__name__}"
    )


def optional_fields(**fields: Any) -> Dict[str, Any]:
    """A JSON object of the fields that are not None."""
    return {name: value for name, value in fields.items() if value is not None}
