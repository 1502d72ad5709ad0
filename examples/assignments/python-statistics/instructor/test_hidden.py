# Hidden tests: they count in the score, but the student's feedback never names them.
from stats import median, mode


def test_median_keeps_input():
    values = [3, 1, 2]
    median(values)
    assert values == [3, 1, 2], "median must not reorder the caller's list"


def test_mode_tie_smallest():
    assert mode([2, 1, 2, 1]) == 1, "on a tie, mode returns the smallest value"
