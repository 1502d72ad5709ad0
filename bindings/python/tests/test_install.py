"""`pip install` works offline with Debian's setuptools (--no-build-isolation --no-index), into a
temporary --target: from bindings/python (the library then comes from $AUTOGRADER_LIBRARY) and
from the build tree's copy (which carries libautograder.so)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

PROBE = ("import json, autograder; print(json.dumps([autograder.__file__, str(autograder.LIBRARY_PATH), "
         "autograder.version(), autograder.execute('python', {'main.py': 'print(6 * 7)'}).stdout]))")


def _pip_install(source: Path, target: Path) -> None:
    # pip builds in the source folder (build/, *.egg-info): give it a copy, never the tree itself.
    copy = target.parent / (target.name + "-source")
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "build", "*.egg-info"))
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-index", "--no-deps",
         "--disable-pip-version-check", "--no-cache-dir", "--target", str(target), str(copy)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def _python(code: str, **environment: str) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items()
           if name not in ("PYTHONPATH", "AUTOGRADER_LIBRARY")}
    env.update(environment)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300,
                          cwd="/")


def test_install_from_the_source_folder_with_the_library_from_the_environment(tmp_path, source_dir):
    library = Path(os.environ.get("AUTOGRADER_BUILD_LIBRARY") or
                   (source_dir / "build" / "release" / "libautograder.so"))
    target = tmp_path / "site"
    _pip_install(source_dir / "bindings" / "python", target)
    assert (target / "autograder" / "py.typed").is_file()
    assert not (target / "autograder" / "libautograder.so").exists()

    done = _python(PROBE, PYTHONPATH=str(target), AUTOGRADER_LIBRARY=str(library))
    assert done.returncode == 0, done.stderr
    module_file, library_path, version, stdout = json.loads(done.stdout)
    assert Path(module_file).parent == target / "autograder"
    assert Path(library_path) == library
    assert version and stdout == "42\n"

    without = _python("import autograder", PYTHONPATH=str(target))
    assert without.returncode != 0
    assert "AUTOGRADER_LIBRARY" in without.stderr and str(target / "autograder") in without.stderr


def test_install_from_the_build_tree_carries_the_library(tmp_path):
    package = Path(os.environ.get("AUTOGRADER_PYTHON_PACKAGE_DIR") or Path(__import__("autograder").__file__).parents[1])
    target = tmp_path / "site"
    _pip_install(package, target)
    installed_library = target / "autograder" / "libautograder.so"
    assert installed_library.is_file()

    done = _python(PROBE, PYTHONPATH=str(target))
    assert done.returncode == 0, done.stderr
    module_file, library_path, _, stdout = json.loads(done.stdout)
    assert Path(module_file).parent == target / "autograder"
    assert Path(library_path) == installed_library.resolve()
    assert stdout == "42\n"


def _wheel(source: Path, out: Path) -> Path:
    copy = out.parent / (out.name + "-source")
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "build", "*.egg-info"))
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-index", "--no-deps",
         "--disable-pip-version-check", "--no-cache-dir", "--wheel-dir", str(out), str(copy)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    wheels = list(out.glob("*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_with_the_library_is_tagged_for_its_platform_and_works_in_a_fresh_venv(tmp_path, source_dir):
    package = Path(os.environ.get("AUTOGRADER_PYTHON_PACKAGE_DIR") or Path(__import__("autograder").__file__).parents[1])
    before = sorted(path.name for path in package.iterdir())
    wheel = _wheel(package, tmp_path / "wheels")
    machine = os.uname().machine
    assert wheel.name.endswith(f"-py3-none-linux_{machine}.whl"), wheel.name
    assert sorted(path.name for path in package.iterdir()) == before  # nothing written into the build tree

    venv = tmp_path / "venv"
    made = subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], capture_output=True,
                          text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    venv_python = venv / "bin" / "python"
    # The venv has no pip of its own: the interpreter's pip installs into it by --prefix.
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-index", "--no-deps", "--disable-pip-version-check",
         "--no-cache-dir", "--prefix", str(venv), str(wheel)], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    env = {name: value for name, value in os.environ.items()
           if name not in ("PYTHONPATH", "AUTOGRADER_LIBRARY")}
    done = subprocess.run([str(venv_python), "-c", PROBE], env=env, capture_output=True, text=True, timeout=300,
                          cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr
    module_file, library_path, _, stdout = json.loads(done.stdout)
    assert Path(module_file).is_relative_to(venv) and Path(library_path).is_relative_to(venv.resolve())
    assert stdout == "42\n"


def test_wheel_of_the_modules_alone_stays_pure(tmp_path, source_dir):
    wheel = _wheel(source_dir / "bindings" / "python", tmp_path / "wheels")
    assert wheel.name.endswith("-py3-none-any.whl"), wheel.name
