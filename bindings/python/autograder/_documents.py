"""Turns what Python callers pass (dicts, JSON text, paths, folders) into the JSON documents the
C ABI reads. The library validates every field itself; this module only gathers the data."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from .errors import InvalidArgumentError

PathLike = Union[str, "os.PathLike[str]"]
# A configuration: a dict, JSON text, or the path of a JSON file.
ConfigSource = Union[Mapping[str, Any], str, "os.PathLike[str]"]
# Submission files: {relative path: text or bytes}, or a folder (every regular file under it).
FilesSource = Union[Mapping[str, Union[str, bytes]], str, "os.PathLike[str]"]

# Like the CLI (src/cli/submission_files.cpp): a folder may not hold more than this.
MAX_FOLDER_FILES = 1000
MAX_FOLDER_BYTES = 64 << 20


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


def _folder_files(folder: Path) -> List[Dict[str, Any]]:
    """Every regular file under `folder`, symlinks never followed (as the CLI reads a folder)."""
    files: List[Dict[str, Any]] = []
    total = 0
    for directory, subdirectories, names in os.walk(folder, followlinks=False):
        subdirectories.sort()
        for name in sorted(names):
            path = Path(directory, name)
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                continue  # symlinks, FIFOs, sockets, devices
            total += info.st_size
            if len(files) >= MAX_FOLDER_FILES or total > MAX_FOLDER_BYTES:
                raise InvalidArgumentError(
                    f"{str(folder)!r} holds more than {MAX_FOLDER_FILES} files or {MAX_FOLDER_BYTES >> 20} MiB"
                )
            relative = path.relative_to(folder).as_posix()
            entry = _file_entry(relative, path.read_bytes())
            if info.st_mode & stat.S_IXUSR:
                entry["executable"] = True
            files.append(entry)
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
        location = Path(files)
        if location.is_dir():
            found = _folder_files(location)
            if not found:
                raise InvalidArgumentError(f"{str(location)!r} holds no files")
            return found
        if location.is_file():
            return [_file_entry(location.name, location.read_bytes())]
        raise InvalidArgumentError(f"{str(location)!r}: no such file or folder")
    raise InvalidArgumentError(
        f"files must be a dict {{path: content}} or a folder, not {type(files).__name__}"
    )


def optional_fields(**fields: Any) -> Dict[str, Any]:
    """A JSON object of the fields that are not None."""
    return {name: value for name, value in fields.items() if value is not None}
