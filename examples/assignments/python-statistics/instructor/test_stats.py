# The instructor's tests for stats.py, run by pytest as the grader. The unittest class at the end
# shows that unittest.TestCase tests are collected too.
import unittest

import pytest

from stats import mean, median, mode


def test_mean_simple():
    assert mean([1, 2, 3, 4]) == 2.5


def test_mean_empty_raises():
    with pytest.raises(ValueError):
        mean([])


def test_median_odd():
    assert median([3, 1, 2]) == 2


def test_median_even():
    assert median([4, 1, 3, 2]) == 2.5


def test_mode():
    assert mode([1, 2, 2, 3]) == 2


class TestSingleValue(unittest.TestCase):
    def test_single_value(self):
        self.assertEqual(mean([7]), 7)
        self.assertEqual(median([7]), 7)
        self.assertEqual(mode([7]), 7)
