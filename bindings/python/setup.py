"""Only the wheel's tag lives here (everything else is in pyproject.toml): a package that carries
libautograder.so (installed from the build tree's copy) is for one platform, so its wheel is
tagged py3-none-<platform> (ctypes works with any Python 3, the library with one OS and machine);
the modules alone (installed from bindings/python) stay py3-none-any."""

from pathlib import Path

from setuptools import setup
from wheel.bdist_wheel import bdist_wheel

CARRIES_LIBRARY = (Path(__file__).parent / "autograder" / "libautograder.so").is_file()


class PlatformWheel(bdist_wheel):  # type: ignore[misc]
    def finalize_options(self) -> None:
        super().finalize_options()
        self.root_is_pure = not CARRIES_LIBRARY

    def get_tag(self) -> tuple:
        python, abi, platform = super().get_tag()
        return ("py3", "none", platform) if CARRIES_LIBRARY else (python, abi, platform)


setup(cmdclass={"bdist_wheel": PlatformWheel})
