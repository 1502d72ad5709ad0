import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "server"))

from browser import Browser  # noqa: E402


@pytest.fixture
def browser():
    opened = Browser()
    yield opened
    opened.quit()
