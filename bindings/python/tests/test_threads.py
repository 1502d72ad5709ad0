"""Eight Python threads grade on one pipeline at once: the results are identical, and the
gradings really overlap (the GIL is released while the library grades)."""

from __future__ import annotations

import copy
import threading

import pytest

import autograder

THREADS = 8


def _comparable(result: autograder.GradingResult):
    # Everything but the measured durations and resources, which differ from run to run.
    return (result.status, result.final_score, result.failed_at_step, result.score_vector, result.focus,
            result.feedback, result.host_data)


def _grade_from_threads(pipeline, submission):
    start = threading.Barrier(THREADS, timeout=120)
    results = [None] * THREADS
    failures = []

    def grade(slot):
        try:
            start.wait()  # all threads call into the library together
            results[slot] = pipeline.grade(submission)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=grade, args=(slot,)) for slot in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    return results


def test_eight_threads_get_identical_results(calculator_pipeline, calculator, expected):
    submission = calculator / "submissions" / "partial"
    reference = calculator_pipeline.grade(submission)
    assert reference.final_score == pytest.approx(expected["partial"]["final_score"], abs=1e-9)
    for result in _grade_from_threads(calculator_pipeline, submission):
        assert _comparable(result) == _comparable(reference)


def test_eight_threads_overlap_inside_the_library(calculator, calculator_config):
    # A Python test function that only passes when another grading's call is in flight at the
    # same time: two threads meet at a barrier. Each call's thread is inside ag_pipeline_grade,
    # so the meeting shows that gradings from different Python threads ran at once.
    meeting = threading.Barrier(2, timeout=60)
    lock = threading.Lock()
    in_flight = {"now": 0, "most": 0}

    @autograder.test_function(template="concurrency")
    def meets_another_grading(context: autograder.TestContext) -> autograder.TestResult:
        """Waits for a second grading to reach this test."""
        with lock:
            in_flight["now"] += 1
            in_flight["most"] = max(in_flight["most"], in_flight["now"])
        try:
            meeting.wait()
        finally:
            with lock:
                in_flight["now"] -= 1
        return autograder.TestResult(100, "met another grading")

    config = copy.deepcopy(calculator_config)
    config["template_name"] = "input_output,concurrency"
    config["criteria_config"]["bonus"]["tests"].append({"name": "overlap", "type": "meets_another_grading"})
    with autograder.Pipeline(config, test_functions=[meets_another_grading]) as pipeline:
        results = _grade_from_threads(pipeline, calculator / "submissions" / "partial")
    assert in_flight["most"] >= 2
    for result in results:
        assert result.score_vector["bonus/overlap"] == 100, result.feedback
        assert _comparable(result) == _comparable(results[0])
