"""Every endpoint of the real autograder-server and its errors, over loopback HTTP."""

import json
import re
import signal
import sqlite3
import subprocess

import pytest

from server_harness import (GREETING_PROGRAM, SERVER_BINARY, WRONG_PROGRAM, Server, greeting_config,
                            submission)

API = "/api/v1"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("api") / "grades.db"
    srv = Server(str(db), extra_args=["--workers", "2", "--pool-size", "2", "--max-body-bytes", "1048576",
                                      "--max-file-bytes", "65536", "--max-code-bytes", "4096",
                                      "--run-time-limit", "2", "--json-logs"]).start()
    yield srv
    assert srv.stop() == 0, srv.log()


@pytest.fixture(scope="module")
def assignment(server):
    answer = server.post(f"{API}/configs", greeting_config("greeting"))
    assert answer.status == 201, answer
    return answer.json()


def graded(server, submission_id):
    def done():
        body = server.get(f"{API}/submissions/{submission_id}").json()
        return body if body["status"] in ("completed", "failed") else None
    return server.wait_until(done, what=f"submission {submission_id} graded")


def error_fields(answer):
    return [error["field"] for error in answer.json().get("errors", [])]


# --- health, readiness, templates, openapi, routes ---------------------------------------------

def test_health_and_ready(server):
    health = server.get(f"{API}/health", token=None)
    assert health.status == 200
    body = health.json()
    assert body["status"] == "healthy" and body["version"] == "0.1.0"
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", body["timestamp"])
    ready = server.get(f"{API}/ready", token=None)
    assert ready.status == 200, ready
    assert ready.json()["checks"]["store"] is True


def test_templates(server):
    answer = server.get(f"{API}/templates", token=None)
    assert answer.status == 200
    names = [t["name"] for t in answer.json()["templates"]]
    assert "input_output" in names
    one = server.get(f"{API}/templates/input_output", token=None).json()
    functions = {f["key"]: f for f in one["functions"]}
    assert "expect_output" in functions and functions["expect_output"]["parameters"]
    missing = server.get(f"{API}/templates/no_such_template", token=None)
    assert missing.status == 404 and "no_such_template" in missing.json()["detail"]


def test_languages(server):
    answer = server.get(f"{API}/languages", token=None)
    assert answer.status == 200, answer
    languages = {language["name"]: language for language in answer.json()["languages"]}
    assert languages["python"]["extension"] == ".py" and languages["python"]["compiled"] is False
    assert languages["c"]["compiled"] is True
    # Exactly the names a code session accepts.
    for name in languages:
        created = server.post(f"{API}/code-sessions", {"user_id": "u", "problem_id": "p", "language": name})
        assert created.status == 201, (name, created)


def test_pages_are_served_with_a_content_security_policy(server):
    for path, kind in [("/", "text/html"), ("/live", "text/html"), ("/teacher", "text/html"), ("/docs", "text/html"),
                       ("/assets/live.js", "text/javascript"), ("/assets/swagger-ui.css", "text/css")]:
        answer = server.get(path, token=None)
        assert answer.status == 200 and answer.headers["Content-Type"].startswith(kind), (path, answer)
        assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
    live = server.get("/live", token=None).body.decode()
    assert "<script src=\"/assets/live.js\"></script>" in live and "<script>" not in live
    # Swagger UI's licence and notice travel with it.
    assert "Apache License" in server.get("/assets/swagger-ui-LICENSE", token=None).body.decode()
    assert "SmartBear" in server.get("/assets/swagger-ui-NOTICE", token=None).body.decode()
    missing = server.get("/assets/../openapi.json", token=None)
    assert missing.status == 404
    assert server.get("/assets/no-such-file.js", token=None).status == 404


def test_openapi_document_is_served(server):
    for path in ("/openapi.json", f"{API}/openapi.json"):
        answer = server.get(path, token=None)
        assert answer.status == 200 and answer.headers["Content-Type"].startswith("application/json")
        assert answer.json()["openapi"].startswith("3.")


def test_list_routes_prints_the_table():
    output = subprocess.run([SERVER_BINARY, "--list-routes"], capture_output=True, text=True, check=True).stdout
    lines = output.splitlines()
    assert lines == sorted(lines)
    for route in ("GET /api/v1/submissions/{id}", "POST /api/v1/submissions", "GET /api/v1/executions/{id}/events",
                  "PUT /api/v1/configs/external/{external_assignment_id}", "GET /openapi.json"):
        assert route in lines


def test_help_names_the_flags():
    output = subprocess.run([SERVER_BINARY, "--help"], capture_output=True, text=True, check=True).stdout
    for flag in ("--host", "--port", "--db", "--token", "--workers", "--pool-size", "--json-logs", "--max-queue",
                 "AUTOGRADER_API_TOKEN", "AUTOGRADER_SANDBOX_POOL_SIZE"):
        assert flag in output


# --- request ids, auth, routing errors ----------------------------------------------------------

def test_request_id_is_echoed_or_generated_and_logged(server):
    echoed = server.get(f"{API}/health", headers={"X-Request-ID": "trace-42.a_b"})
    assert echoed.headers["X-Request-ID"] == "trace-42.a_b"
    generated = server.get(f"{API}/health", headers={"X-Request-ID": "not sane!"})
    assert re.fullmatch(r"[0-9a-f]{32}", generated.headers["X-Request-ID"])
    missing = server.get(f"{API}/submissions/12345")
    assert missing.status == 404 and missing.headers["X-Request-ID"]
    server.wait_until(lambda: any('"request_id":"trace-42.a_b"' in line for line in server.log_lines),
                      what="the access log line")
    line = next(json.loads(l) for l in server.log_lines if '"request_id":"trace-42.a_b"' in l)
    assert line["method"] == "GET" and line["path"] == f"{API}/health" and line["status"] == 200 and "ms" in line


@pytest.mark.parametrize("method,path", [
    ("POST", "/configs"), ("PUT", "/configs/1"), ("PUT", "/configs/external/x"), ("POST", "/submissions"),
    ("GET", "/submissions/1"), ("GET", "/submissions/user/u1"), ("GET", "/configs/x/submissions"),
    ("POST", "/execute"), ("POST", "/code-sessions"), ("GET", "/code-sessions/1"), ("PATCH", "/code-sessions/1"),
    ("POST", "/code-sessions/1/run"), ("GET", "/executions/1"), ("GET", "/executions/1/events")])
def test_protected_routes_need_the_token(server, method, path):
    for token in (None, "wrong-token", "test-token-but-longer"):
        answer = server.request(method, API + path, body={}, token=token)
        assert answer.status == 401, (token, answer)
        assert answer.json()["detail"] and answer.headers["WWW-Authenticate"] == "Bearer"
    assert server.request(method, API + path, body={}, headers={"Authorization": "Basic dGVzdC10b2tlbg=="},
                          token=None).status == 401


def test_unknown_route_and_wrong_method(server):
    unknown = server.get(f"{API}/no-such-thing")
    assert unknown.status == 404 and unknown.json()["detail"]
    wrong = server.request("DELETE", f"{API}/submissions")
    assert wrong.status == 405 and wrong.headers["Allow"] == "POST"
    put_health = server.request("PUT", f"{API}/health", body={})
    assert put_health.status == 405 and "GET" in put_health.headers["Allow"]


def test_unknown_ids_are_404(server):
    for path in ("/submissions/999999", "/submissions/abc", "/submissions/-1", "/configs/no-such-assignment",
                 "/configs/id/999999", "/code-sessions/999999", "/executions/999999", "/executions/999999/events"):
        answer = server.get(API + path)
        assert answer.status == 404, (path, answer)
        assert answer.json()["detail"]


# --- configurations -----------------------------------------------------------------------------

def test_config_is_stored_versioned_and_listed(server):
    created = server.post(f"{API}/configs", greeting_config("versioned"))
    assert created.status == 201, created
    config = created.json()
    assert config["version"] == 1 and config["is_active"] is True and config["id"] > 0
    assert config["created_at"] and config["updated_at"] and config["criteria_config"]["base"]["weight"] == 100
    again = server.post(f"{API}/configs", greeting_config("versioned"))
    assert again.status == 409 and again.json()["field"] == "external_assignment_id"

    updated = server.request("PUT", f"{API}/configs/{config['id']}", body={"include_feedback": False})
    assert updated.status == 200, updated
    assert updated.json()["version"] == 2 and updated.json()["include_feedback"] is False
    by_external = server.request("PUT", f"{API}/configs/external/versioned", body={"include_feedback": True})
    assert by_external.status == 200 and by_external.json()["version"] == 3

    first = server.get(f"{API}/configs/id/{config['id']}?version=1").json()
    assert first["version"] == 1 and first["include_feedback"] is True
    assert server.get(f"{API}/configs/id/{config['id']}").json()["version"] == 3
    assert server.get(f"{API}/configs/id/{config['id']}?version=9").status == 404
    assert server.get(f"{API}/configs/versioned").json()["version"] == 3

    listed = server.get(f"{API}/configs?limit=1000&offset=0").json()
    assert "versioned" in [c["external_assignment_id"] for c in listed]
    assert len(server.get(f"{API}/configs?limit=1").json()) == 1
    for query in ("limit=0", "limit=100000", "limit=abc", "offset=-1"):
        bad = server.get(f"{API}/configs?{query}")
        assert bad.status == 422, (query, bad)
        assert bad.json()["field"] == query.split("=")[0]
    bad_update = server.request("PUT", f"{API}/configs/{config['id']}",
                                body={"external_assignment_id": "another"})
    assert bad_update.status == 422 and bad_update.json()["field"] == "external_assignment_id"


def test_invalid_config_lists_every_problem_with_its_path(server):
    config = greeting_config("invalid")
    config["criteria_config"] = {"base": {"weight": 100, "tests": [
        {"name": "a", "type": "expect_output", "weight": -5, "inputs": ["x"], "expected_output": "y"},
        {"name": "b", "type": "no_such_test_function"}]}}
    answer = server.post(f"{API}/configs", config)
    assert answer.status == 422, answer
    fields = error_fields(answer)
    assert len(fields) >= 2, answer
    assert all(f.startswith("criteria_config.base.tests[") for f in fields), fields
    assert any(f.startswith("criteria_config.base.tests[0]") for f in fields)
    assert any(f.startswith("criteria_config.base.tests[1]") for f in fields)
    assert server.get(f"{API}/configs/invalid").status == 404  # nothing stored


def test_config_request_errors(server):
    assert server.post(f"{API}/configs", raw=b"{not json").status == 400
    assert server.post(f"{API}/configs", raw=b"[1, 2]").status == 422
    missing = server.post(f"{API}/configs", {})
    assert missing.status == 422
    assert {"external_assignment_id", "criteria_config"} <= set(error_fields(missing))
    wrong = server.post(f"{API}/configs", {"external_assignment_id": 5, "criteria_config": [],
                                           "include_feedback": "yes", "languages": "python"})
    assert wrong.status == 422
    assert {"external_assignment_id", "criteria_config", "include_feedback", "languages"} <= set(error_fields(wrong))


def test_config_keeps_the_engines_own_keys_and_refuses_unknown_ones(server):
    config = greeting_config("extended")
    config["time_budget"] = 30
    config["feedback_mode"] = "default"
    created = server.post(f"{API}/configs", config)
    assert created.status == 201, created
    assert created.json()["time_budget"] == 30 and created.json()["feedback_mode"] == "default"
    assert server.get(f"{API}/configs/extended").json()["time_budget"] == 30
    # A PUT keeps what it does not name, and null removes an engine key.
    kept = server.request("PUT", f"{API}/configs/external/extended", body={"include_feedback": False})
    assert kept.status == 200 and kept.json()["time_budget"] == 30, kept
    removed = server.request("PUT", f"{API}/configs/external/extended", body={"time_budget": None})
    assert removed.status == 200 and "time_budget" not in removed.json(), removed
    # The pipeline validates them like the rest of the configuration.
    bad = greeting_config("extended-bad")
    bad["time_budget"] = -1
    bad["feedback_mode"] = "poetry"
    answer = server.post(f"{API}/configs", bad)
    assert answer.status == 422, answer
    assert {"time_budget", "feedback_mode"} <= {f.split(".")[0].split("[")[0] for f in error_fields(answer)}, answer
    unknown = greeting_config("extended-unknown")
    unknown["criteria"] = {}
    answer = server.post(f"{API}/configs", unknown)
    assert answer.status == 422 and "criteria" in error_fields(answer), answer
    assert server.get(f"{API}/configs/extended-unknown").status == 404


# --- submissions --------------------------------------------------------------------------------

def test_submission_is_accepted_then_graded(server, assignment):
    answer = server.post(f"{API}/submissions", submission("greeting", user="alice", metadata={"name": "Alice"}))
    assert answer.status == 202, answer
    body = answer.json()
    assert body["status"] == "pending" and body["id"] > 0 and body["external_user_id"] == "alice"
    assert answer.headers["Location"] == f"{API}/submissions/{body['id']}"
    result = graded(server, body["id"])
    assert result["status"] == "completed", result
    assert result["final_score"] == 100
    for field in ("feedback", "result_tree", "focus", "score_vector", "comparison", "pipeline_execution",
                  "submitted_at", "graded_at"):
        assert field in result, field
    assert result["graded_at"] and result["feedback"]
    assert [s["name"] for s in result["pipeline_execution"]["steps"]][:2] == ["LOAD_TEMPLATE", "BUILD_TREE"]
    mine = server.get(f"{API}/submissions/user/alice").json()
    assert body["id"] in [s["id"] for s in mine]
    teacher_view = server.get(f"{API}/configs/greeting/submissions?limit=1000").json()
    assert body["id"] in [s["id"] for s in teacher_view]


def test_wrong_answer_is_a_result_and_baseline_is_compared(server, assignment):
    first = graded(server, server.post(f"{API}/submissions", submission("greeting", user="bob")).json()["id"])
    wrong = server.post(f"{API}/submissions", submission("greeting", user="bob", code=WRONG_PROGRAM,
                                                         baseline_result_tree=first))
    assert wrong.status == 202, wrong
    result = graded(server, wrong.json()["id"])
    assert result["status"] == "completed" and result["final_score"] == 0
    comparison = result["comparison"]
    assert comparison["baseline_score"] == 100 and comparison["current_score"] == 0
    assert comparison["score_delta"] == -100
    # A wrong answer is the student's result: graded once, never tried again.
    with sqlite3.connect(server.db_path) as connection:
        attempts = connection.execute("SELECT attempts, status FROM jobs WHERE kind = 'grade' AND target_id = ?",
                                      (wrong.json()["id"],)).fetchone()
    assert attempts == (1, "done")


def test_idempotency_key_returns_the_first_submission(server, assignment):
    headers = {"Idempotency-Key": "retry-7f3a"}
    first = server.post(f"{API}/submissions", submission("greeting", user="carol"), headers=headers)
    assert first.status == 202, first
    second = server.post(f"{API}/submissions", submission("greeting", user="carol"), headers=headers)
    assert second.status == 200, second
    assert second.json()["id"] == first.json()["id"]
    other = server.post(f"{API}/submissions", submission("greeting", user="carol"),
                        headers={"Idempotency-Key": "retry-other"})
    assert other.status == 202 and other.json()["id"] != first.json()["id"]
    bad = server.post(f"{API}/submissions", submission("greeting"), headers={"Idempotency-Key": "x" * 300})
    assert bad.status == 422 and bad.json()["field"] == "Idempotency-Key"


@pytest.mark.parametrize("filename", ["../escape.py", "a/../../b.py", "/etc/passwd", "a\u0000b.py", "..\\x.py",
                                      "", "a//b.py", "./main.py", "dir/", "x" * 300])
def test_unsafe_file_names_are_refused(server, assignment, filename):
    body = submission("greeting")
    body["files"].append({"filename": filename, "content": "x"})
    answer = server.post(f"{API}/submissions", body)
    assert answer.status == 422, answer
    assert "files[1].filename" in error_fields(answer)


def test_submission_field_errors(server, assignment):
    missing = server.post(f"{API}/submissions", {"files": []})
    assert missing.status == 422
    assert {"external_assignment_id", "external_user_id", "username", "files"} <= set(error_fields(missing))
    wrong_types = server.post(f"{API}/submissions", {
        "external_assignment_id": "greeting", "external_user_id": 7, "username": ["x"], "files": "main.py",
        "metadata": [], "locale": "xx"})
    assert wrong_types.status == 422
    assert {"external_user_id", "username", "files", "metadata", "locale"} <= set(error_fields(wrong_types))
    bad_file = submission("greeting")
    bad_file["files"] = [{"filename": "main.py"}, "text", {"filename": "big.py", "content": "x" * 70000}]
    answer = server.post(f"{API}/submissions", bad_file)
    assert {"files[0].content", "files[1]", "files[2].content"} <= set(error_fields(answer)), answer
    duplicate = submission("greeting")
    duplicate["files"].append({"filename": "main.py", "content": ""})
    assert "files[1].filename" in error_fields(server.post(f"{API}/submissions", duplicate))
    many = submission("greeting")
    many["files"] = [{"filename": f"f{i}.py", "content": ""} for i in range(101)]
    assert server.post(f"{API}/submissions", many).json()["field"] == "files"
    unknown = server.post(f"{API}/submissions", submission("no-such-assignment"))
    assert unknown.status == 404 and unknown.json()["field"] == "external_assignment_id"
    language = server.post(f"{API}/submissions", submission("greeting", language="java"))
    assert language.status == 422 and language.json()["field"] == "language"
    baseline = server.post(f"{API}/submissions", submission("greeting", baseline_result_tree={"x": 1}))
    assert baseline.status == 422 and baseline.json()["field"] == "baseline_result_tree"
    assert server.post(f"{API}/submissions", raw=b'{"external_assignment_id": ').status == 400


def test_oversized_body_is_413(server):
    answer = server.post(f"{API}/submissions", raw=b'{"x": "' + b"a" * (2 << 20) + b'"}')
    assert answer.status == 413, answer
    assert answer.json()["detail"] and answer.headers["X-Request-ID"]


# --- stateless execute --------------------------------------------------------------------------

def test_execute_runs_each_test_case(server):
    answer = server.post(f"{API}/execute", {
        "language": "python", "submission_files": [{"filename": "main.py", "content": GREETING_PROGRAM}],
        "test_cases": [["Ada"], ["Bob"]]})
    assert answer.status == 200, answer
    results = answer.json()["results"]
    assert [r["stdout"] for r in results] == ["Hello, Ada\n", "Hello, Bob\n"]
    assert all(r["status"] == "ok" and r["exit_code"] == 0 for r in results)
    command = server.post(f"{API}/execute", {
        "language": "python", "program_command": "python3 other.py",
        "submission_files": [{"filename": "other.py", "content": "import sys; sys.exit(3)"}]}).json()
    assert command["results"][0]["exit_code"] == 3 and command["status"] == "runtime_error"
    slow = server.post(f"{API}/execute", {
        "language": "python", "limits": {"time_s": 0.5},
        "submission_files": [{"filename": "main.py", "content": "while True: pass"}]}).json()
    assert slow["results"][0]["status"] == "time_limit"


def test_execute_errors(server):
    answer = server.post(f"{API}/execute", {"language": "cobol", "submission_files": [{"filename": "../x"}],
                                            "test_cases": [["a"], "b", [1]], "limits": {"time_s": 999, "speed": 1}})
    assert answer.status == 422
    assert {"language", "submission_files[0].filename", "submission_files[0].content", "test_cases[1]",
            "test_cases[2][0]", "limits.time_s", "limits.speed"} <= set(error_fields(answer)), answer


# --- live code sessions -------------------------------------------------------------------------

def test_code_session_run_streams_its_states(server):
    created = server.post(f"{API}/code-sessions", {"user_id": 12, "problem_id": "p-1", "language": "python"})
    assert created.status == 201, created
    session = created.json()
    assert session["status"] == "ACTIVE" and session["session_id"] > 0 and session["user_id"] == "12"
    sid = session["session_id"]
    saved = server.request("PATCH", f"{API}/code-sessions/{sid}", body={"code": "print('hi from the editor')"})
    assert saved.status == 200 and saved.json()["code"] == "print('hi from the editor')"
    assert server.get(f"{API}/code-sessions/{sid}").json()["code"] == "print('hi from the editor')"

    run = server.post(f"{API}/code-sessions/{sid}/run")
    assert run.status == 202, run
    assert run.json()["status"] == "QUEUED"
    execution_id = run.json()["execution_id"]
    events = server.events(f"{API}/executions/{execution_id}/events")
    assert [data["status"] for _, data in events] == ["QUEUED", "RUNNING", "COMPLETED"], events
    final = events[-1][1]
    assert final["stdout"] == "hi from the editor\n" and final["exit_code"] == 0
    assert isinstance(final["execution_time"], int) and final["finished_at"]
    assert isinstance(final["peak_memory_kb"], int) and final["peak_memory_kb"] > 0
    assert events[0][1].get("peak_memory_kb") is None
    polled = server.get(f"{API}/executions/{execution_id}").json()
    assert polled["status"] == "COMPLETED" and polled["stdout"] == "hi from the editor\n"
    # A late client gets the whole story again, then the stream ends.
    again = server.events(f"{API}/executions/{execution_id}/events")
    assert [data["status"] for _, data in again] == ["QUEUED", "RUNNING", "COMPLETED"]


def test_code_session_run_outcomes(server):
    sid = server.post(f"{API}/code-sessions", {"user_id": "u", "problem_id": "p", "language": "python"}).json()[
        "session_id"]
    def run(code):
        answer = server.post(f"{API}/code-sessions/{sid}/run", {"code": code})
        assert answer.status == 202, answer
        return server.events(f"{API}/executions/{answer.json()['execution_id']}/events")[-1][1]
    timeout = run("while True: pass")
    assert timeout["status"] == "TIMEOUT"
    failed = run("raise SystemExit(4)")
    assert failed["status"] == "FAILED" and failed["exit_code"] == 4
    crashed = run("print('partial'); 1/0")
    assert crashed["status"] == "FAILED" and "ZeroDivisionError" in crashed["stderr"]
    assert crashed["stdout"] == "partial\n"


def test_code_session_errors(server):
    missing = server.post(f"{API}/code-sessions", {"language": "brainfuck", "user_id": [1]})
    assert missing.status == 422
    assert {"user_id", "problem_id", "language"} <= set(error_fields(missing))
    sid = server.post(f"{API}/code-sessions", {"user_id": "u", "problem_id": "p", "language": "python"}).json()[
        "session_id"]
    too_long = server.request("PATCH", f"{API}/code-sessions/{sid}", body={"code": "x" * 5000})
    assert too_long.status == 422 and too_long.json()["field"] == "code"
    assert server.request("PATCH", f"{API}/code-sessions/{sid}", body={"code": 5}).json()["field"] == "code"
    assert server.post(f"{API}/code-sessions/{sid}/run", {"code": "x" * 5000}).json()["field"] == "code"
    assert server.post(f"{API}/code-sessions/{sid}/run", raw=b"{").status == 400


# --- metrics and draining -----------------------------------------------------------------------

def test_metrics(server, assignment):
    graded(server, server.post(f"{API}/submissions", submission("greeting", user="metrics")).json()["id"])
    answer = server.get("/metrics", token=None)
    assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/plain")
    text = answer.body.decode()
    done = re.search(r'^autograder_jobs\{status="done"\} (\d+)$', text, re.M)
    assert done and int(done.group(1)) >= 1, text
    for status in ("queued", "running", "failed"):
        assert f'autograder_jobs{{status="{status}"}}' in text
    assert re.search(r"^autograder_queue_depth \d+$", text, re.M)
    count = re.search(r"^autograder_grading_duration_seconds_count (\d+)$", text, re.M)
    assert count and int(count.group(1)) >= 1
    assert 'autograder_grading_duration_seconds_bucket{le="+Inf"}' in text
    created = re.search(r"^autograder_sandbox_pool_created_total (\d+)$", text, re.M)
    assert created and int(created.group(1)) >= 1
    assert re.search(r'^autograder_http_responses_total\{code="202"\} \d+$', text, re.M)
    assert server.get(f"{API}/metrics", token=None).status == 200


def test_generated_token_is_printed_once(tmp_path):
    srv = Server(str(tmp_path / "t.db"), token=None,
                 env={"AUTOGRADER_API_TOKEN": "", "AUTOGRADER_INTEGRATION_TOKEN": ""}).start()
    try:
        lines = [l for l in srv.log_lines if "generated API token" in l]
        assert len(lines) == 1
        srv.token = re.search(r"generated API token \(shown once\): ([0-9a-f]{64})", lines[0]).group(1)
        assert srv.post(f"{API}/configs", greeting_config("tok")).status == 201
        assert srv.post(f"{API}/configs", greeting_config("tok2"), token="nope").status == 401
    finally:
        assert srv.stop() == 0


def test_integration_token_variable_is_accepted(tmp_path):
    srv = Server(str(tmp_path / "t.db"), token=None,
                 env={"AUTOGRADER_API_TOKEN": "", "AUTOGRADER_INTEGRATION_TOKEN": "from-env"}).start()
    try:
        assert srv.post(f"{API}/configs", greeting_config("env"), token="from-env").status == 201
        assert not any("generated API token" in l for l in srv.log_lines)
    finally:
        assert srv.stop(signal.SIGINT) == 0


# --- no input makes a 500 -----------------------------------------------------------------------

HOSTILE_BODIES = [b"null", b"[]", b'"text"', b"12", b"{}", b"[" * 100000, b'{"a":' * 50000 + b"1" + b"}" * 50000,
                  json.dumps({"external_assignment_id": {"x": 1}, "files": {"a": 1}, "criteria_config": "x",
                              "language": 3, "user_id": None, "code": ["x"], "test_cases": {"a": []},
                              "submission_files": [None], "limits": 5}).encode(),
                  json.dumps({"criteria_config": {"base": {"tests": [{"weight": 1e308}] * 3}},
                              "external_assignment_id": "hostile", "template_name": ["", 5]}).encode(),
                  b"\xff\xfe{}", b'{"external_assignment_id": "\\ud800"}']


def test_hostile_bodies_never_make_a_500(server, assignment):
    output = subprocess.run([SERVER_BINARY, "--list-routes"], capture_output=True, text=True, check=True).stdout
    writes = [line.split(" ", 1) for line in output.splitlines() if not line.startswith("GET ")]
    sid = server.post(f"{API}/code-sessions", {"user_id": "h", "problem_id": "p", "language": "python"}).json()[
        "session_id"]
    config_id = assignment["id"]
    for method, path in writes:
        concrete = (path.replace("{id}", str(sid if "code-sessions" in path else config_id))
                    .replace("{external_assignment_id}", "greeting"))
        for body in HOSTILE_BODIES:
            answer = server.request(method, concrete, raw=body)
            assert 400 <= answer.status < 500 or answer.status in (200, 202), (method, concrete, body[:60], answer)
            assert answer.json()["detail"] if answer.status >= 400 else True
    deep = server.post(f"{API}/configs", raw=b'{"a":' * 100 + b"1" + b"}" * 100)
    assert deep.status == 422 and deep.json()["field"] == "body"
