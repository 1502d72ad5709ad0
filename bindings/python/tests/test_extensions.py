"""Test functions and steps written in Python take part in real gradings through the C ABI's
callbacks: their scores count, their host data reaches the result, and whatever they raise
becomes a score 0 or a failed step with the message, never a crash."""

from __future__ import annotations

import json

import pytest

import autograder
from autograder import extensions

GREETING = 'print("hello")\n'
GREETING_IN_PIECES = 'print("hel" + "lo")\n'


def _config(*extra_tests):
    """Half the score from the output, half from the Python test functions of template py_checks."""
    return {
        "template_name": "input_output,py_checks" if extra_tests else "input_output",
        "languages": ["python"],
        "criteria_config": {"base": {"weight": 100, "tests": [
            {"name": "greets", "type": "expect_output", "weight": 50,
             "parameters": [{"name": "inputs", "value": []}, {"name": "expected_output", "value": "hello"},
                            {"name": "program_command", "value": "python3 main.py"}]},
            *extra_tests,
        ]}},
    }


def _report(result, test_name):
    """The report of one test in the result tree."""
    def tests(node):
        if isinstance(node, dict):
            if node.get("name") == test_name and "report" in node:
                yield node["report"]
            for value in node.values():
                yield from tests(value)
        elif isinstance(node, list):
            for value in node:
                yield from tests(value)

    found = list(tests(result.result_tree))
    assert len(found) == 1, f"no single test {test_name!r} in {result.result_tree}"
    return found[0]


def _test(name, function, **parameters):
    return {"name": name, "type": function, "weight": 50,
            "parameters": [{"name": key, "value": value} for key, value in parameters.items()]}


seen_contexts = []


@autograder.test_function(template="py_checks", parameters=[autograder.Parameter("word", "string", required=True)])
def mentions(context: autograder.TestContext) -> autograder.TestResult:
    """The source mentions a word."""
    seen_contexts.append(context)
    word = context.parameters["word"]
    found = any(word in text for text in context.submission.files.values())
    return autograder.TestResult(100 if found else 0, f"`{word}` {'found' if found else 'not found'}")


def test_python_test_function_counts_in_the_score():
    seen_contexts.clear()
    with autograder.Pipeline(_config(_test("says hello", "mentions", word="hello")),
                             test_functions=[mentions]) as pipeline:
        literal = pipeline.grade({"main.py": GREETING}, metadata={"student": "ada"})
        pieces = pipeline.grade({"main.py": GREETING_IN_PIECES})
    assert literal.final_score == 100
    assert pieces.final_score == 50  # the output is right, the word is not in the source
    assert pieces.score_vector == {"base/greets": 100, "base/says hello": 0}
    assert _report(pieces, "says hello") == "`hello` not found"
    context = seen_contexts[0]
    assert context.name == "says hello" and context.function == "mentions"
    assert context.parameters == {"word": "hello"}
    assert context.submission.files == {"main.py": GREETING}
    assert context.submission.language == "python"
    assert context.submission.metadata == {"student": "ada"}
    assert context.sandbox is None  # not asked for


def test_decorator_defaults():
    assert mentions.key == "mentions" and mentions.template == "py_checks"
    assert mentions.description == "The source mentions a word."
    assert mentions.to_json()["parameters"][0] == {"name": "word", "type": "string", "required": True,
                                                   "description": ""}


def test_raising_test_function_scores_zero_with_the_message():
    @autograder.test_function(template="py_checks")
    def explodes(context):
        raise ValueError("the checker broke on purpose")

    with autograder.Pipeline(_config(_test("explodes", "explodes")), test_functions=[explodes]) as pipeline:
        result = pipeline.grade({"main.py": GREETING})
    assert result.succeeded
    assert result.final_score == 50
    assert result.score_vector["base/explodes"] == 0
    assert "ValueError: the checker broke on purpose" in _report(result, "explodes")


@pytest.mark.parametrize("answer, fragment", [(150, "0..100"), ("full marks", "expected a"), (float("nan"), "0..100")])
def test_invalid_answers_score_zero_with_a_reason(answer, fragment):
    @autograder.test_function("odd_answer", template="py_checks")
    def odd(context):
        return answer

    with autograder.Pipeline(_config(_test("odd", "odd_answer")), test_functions=[odd]) as pipeline:
        result = pipeline.grade({"main.py": GREETING})
    assert result.score_vector["base/odd"] == 0
    assert fragment in _report(result, "odd")


def test_other_answer_shapes():
    answers = iter([True, (75, "three quarters"), 25.0])

    @autograder.test_function("shaped", template="py_checks")
    def shaped(context):
        return next(answers)

    with autograder.Pipeline(_config(_test("shaped", "shaped")), test_functions=[shaped]) as pipeline:
        scores = [pipeline.grade({"main.py": GREETING}).score_vector["base/shaped"] for _ in range(3)]
    assert scores == [100, 75, 25]


def test_test_function_with_the_sandbox_runs_the_submission():
    lent = []

    @autograder.test_function(template="py_checks", needs_sandbox=True,
                              parameters=[autograder.Parameter("number", "number", required=True)])
    def doubles(context: autograder.TestContext):
        """Runs main.py with a number and expects its double."""
        assert context.sandbox is not None
        lent.append(context.sandbox)
        number = context.parameters["number"]
        report = context.sandbox.run(["python3", "main.py"], stdin=f"{number}\n", limits={"cpu_time_s": 2})
        return (100, "doubled") if report.stdout.strip() == str(2 * number) else (0, f"got {report.stdout!r}")

    config = _config(_test("doubles 21", "doubles", number=21))
    config["criteria_config"]["base"]["tests"][0]["parameters"][1]["value"] = "2"  # greets: input 1 → 2
    config["criteria_config"]["base"]["tests"][0]["parameters"][0]["value"] = ["1"]
    with autograder.Pipeline(config, test_functions=[doubles]) as pipeline:
        right = pipeline.grade({"main.py": "print(2 * int(input()))\n"})
        wrong = pipeline.grade({"main.py": "print(int(input()) + 1)\n"})
    assert right.final_score == 100
    assert wrong.score_vector["base/doubles 21"] == 0
    assert _report(wrong, "doubles 21") == "got '22\\n'"
    # The sandbox was lent for the call only.
    with pytest.raises(autograder.ClosedError):
        lent[0].run(["true"])


def test_step_after_grade_sees_the_score_and_sets_host_data():
    seen = {}

    @autograder.step("AUDIT", after="GRADE")
    def audit(context: autograder.StepContext):
        seen["score"] = context.final_score
        seen["steps"] = [step.name for step in context.steps]
        seen["files"] = context.submission.files
        context.host_data["audited_score"] = context.final_score
        return "audited"

    with autograder.Pipeline(_config(), steps=[audit]) as pipeline:
        result = pipeline.grade({"main.py": GREETING})
    assert result.succeeded and result.final_score == 100
    assert result.host_data == {"audited_score": 100}
    names = [step.name for step in result.steps]
    assert names.index("AUDIT") == names.index("GRADE") + 1
    assert result.steps[names.index("AUDIT")].message == "audited"
    assert seen["score"] == 100 and seen["steps"][-1] == "GRADE"
    assert seen["files"] == {"main.py": GREETING}


def test_step_outcome_not_ok_fails_the_pipeline_at_that_step():
    @autograder.step(after="GRADE")
    def plagiarism(context):
        return autograder.StepOutcome(ok=False, message="too close to another submission",
                                      host_data={"similar_to": "bob"})

    with autograder.Pipeline(_config(), steps=[plagiarism]) as pipeline:
        result = pipeline.grade({"main.py": GREETING})
    assert result.status is autograder.Status.FAILED
    assert result.failed_at_step == "PLAGIARISM"
    assert result.steps[-1].message == "too close to another submission"
    assert result.host_data == {"similar_to": "bob"}


@pytest.mark.parametrize("error", [RuntimeError("audit service unreachable"), KeyboardInterrupt()])
def test_raising_step_fails_with_the_message_and_never_crashes(error):
    @autograder.step("AUDIT")
    def broken(context):
        raise error

    with autograder.Pipeline(_config(), steps=[broken]) as pipeline:
        result = pipeline.grade({"main.py": GREETING})
    assert result.status is not autograder.Status.SUCCESS
    assert result.failed_at_step == "AUDIT"
    assert type(error).__name__ in result.steps[-1].message
    assert str(error) in result.steps[-1].message


def test_step_failed_exception_is_a_plain_failure():
    @autograder.step("GATE", after="PRE_FLIGHT")
    def gate(context):
        raise autograder.StepFailed("submissions are closed")

    with autograder.Pipeline(_config(), steps=[gate]) as pipeline:
        result = pipeline.grade({"main.py": GREETING})
    assert result.status is autograder.Status.FAILED and result.failed_at_step == "GATE"
    assert result.steps[-1].message == "submissions are closed"
    assert "GRADE" not in [step.name for step in result.steps]


def test_pipeline_takes_sandboxes_from_the_given_pool():
    with autograder.SandboxPool({"default_size": 0}) as pool:
        assert pool.stats().created == 0
        with autograder.Pipeline(_config(), pool=pool) as pipeline:
            assert pipeline.grade({"main.py": GREETING}).final_score == 100
        assert pool.stats().created >= 1


def test_custom_language_table_replaces_the_defaults(source_dir):
    table = json.loads((source_dir / "data" / "languages.json").read_text())
    table["languages"] = {"python": table["languages"]["python"]}
    with autograder.Pipeline(_config(), languages=table) as pipeline:
        assert pipeline.grade({"main.py": GREETING}).final_score == 100
        with pytest.raises(autograder.UnknownLanguageError, match="'c'"):
            pipeline.grade({"main.c": "int main(void) {}"}, language="c")


def test_config_using_an_unregistered_function_is_a_config_error():
    with pytest.raises(autograder.ConfigError, match="mentions"):
        autograder.Pipeline(_config(_test("says hello", "mentions", word="hello")))


def test_references_are_dropped_once_the_pipeline_is_gone():
    before = set(extensions._registry)
    pipeline = autograder.Pipeline(_config(_test("says hello", "mentions", word="hello")),
                                   test_functions=[mentions], steps=[autograder.Step("NOOP", lambda c: None)])
    assert len(set(extensions._registry) - before) == 2
    assert pipeline.grade({"main.py": GREETING}).final_score == 100
    pipeline.close()
    assert set(extensions._registry) == before
