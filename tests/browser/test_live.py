"""The live-coding page in headless Chromium: autosave, Run with the streamed output, the 409 of a
second run, a TIMEOUT, an unreachable server, program output shown as text, never run as HTML."""

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from server_harness import Server

API = "/api/v1"
TOKEN = "browser-token"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("live") / "live.db"
    srv = Server(str(db), token=TOKEN,
                 extra_args=["--workers", "2", "--pool-size", "1", "--run-time-limit", "2"]).start()
    yield srv
    assert srv.stop() == 0, srv.log()


def open_session(browser, server, problem):
    driver = browser.driver
    driver.get(server.url("/live"))
    browser.wait(lambda d: len(Select(d.find_element(By.ID, "language")).options) > 0, message="no languages")
    driver.find_element(By.ID, "token").send_keys(TOKEN)
    driver.find_element(By.ID, "token-save").click()
    Select(driver.find_element(By.ID, "language")).select_by_value("python")
    problem_field = driver.find_element(By.ID, "problem-id")
    problem_field.clear()
    problem_field.send_keys(problem)
    driver.find_element(By.ID, "session-start").click()
    browser.wait_for_text("session-info", "Session ")
    session_id = browser.text_of("session-info").split()[1].rstrip(":")
    return int(session_id)


def type_code(browser, text):
    editor = browser.driver.find_element(By.ID, "code")
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    editor.send_keys(text)


def run_and_wait(browser, status, timeout=90):
    browser.driver.find_element(By.ID, "run").click()
    browser.wait_for_text("run-status", status, timeout)


def test_languages_come_from_the_api(browser, server):
    browser.driver.get(server.url("/"))
    browser.wait(lambda d: len(Select(d.find_element(By.ID, "language")).options) > 0)
    shown = {option.get_attribute("value") for option in Select(browser.driver.find_element(By.ID, "language")).options}
    served = {language["name"] for language in server.get(f"{API}/languages").json()["languages"]}
    assert shown == served and "python" in shown


def test_typing_autosaves_and_run_shows_output_status_time_and_memory(browser, server):
    session_id = open_session(browser, server, "hello")
    program = 'import sys\nprint("hello from the page")\nprint("to stderr", file=sys.stderr)\n'
    type_code(browser, program)
    assert browser.driver.find_element(By.ID, "save-state").get_attribute("data-state") in ("unsaved", "saving", "saved")
    browser.wait(lambda d: d.find_element(By.ID, "save-state").get_attribute("data-state") == "saved"
                 and d.find_element(By.ID, "save-state").text == "Saved", message="never saved")
    # The server has what the editor shows (the textarea may have auto-indented nothing: plain lines).
    saved = server.get(f"{API}/code-sessions/{session_id}", token=TOKEN).json()["code"]
    assert saved == program
    # A reload of the tab reopens the session with its saved code (token and session id are in
    # the tab's sessionStorage, nowhere else).
    browser.driver.refresh()
    browser.wait(lambda d: d.find_element(By.ID, "code").get_attribute("value") == program, message="not reopened")
    assert browser.driver.find_element(By.ID, "problem-id").get_attribute("value") == "hello"
    assert browser.driver.execute_script("return document.cookie") == ""
    assert browser.driver.execute_script("return localStorage.length") == 0
    assert browser.unlabelled_controls() == []

    run_and_wait(browser, "COMPLETED")
    assert browser.text_of("stdout") == "hello from the page"
    assert browser.text_of("stderr") == "to stderr"
    assert browser.text_of("run-exit") == "0"
    assert browser.text_of("run-time").endswith(" ms")
    assert browser.text_of("run-memory").endswith(" MiB")
    assert "status-COMPLETED" in browser.driver.find_element(By.ID, "run-status").get_attribute("class")
    assert browser.console_problems() == []
    browser.screenshots("live")


def test_a_second_run_while_one_runs_shows_the_409_message_then_timeout(browser, server):
    open_session(browser, server, "forever")
    type_code(browser, "while True:\n    pass\n")
    browser.driver.find_element(By.ID, "run").click()
    browser.wait(lambda d: d.find_element(By.ID, "run-status").text in ("QUEUED", "RUNNING"), message="run not started")
    browser.driver.find_element(By.ID, "run").click()  # the first is QUEUED or RUNNING for 2 s at least
    message = browser.wait_for_text("run-message", "already in progress")
    assert "wait for it to finish" in message
    browser.wait_for_text("run-status", "TIMEOUT", timeout=90)
    assert "TIMEOUT" in browser.wait_for_text("run-message", "time limit")
    assert browser.console_problems() == [] or all("409" in entry["message"] for entry in browser.console_problems())


def test_script_in_program_output_is_shown_as_text_and_never_runs(browser, server):
    open_session(browser, server, "xss")
    payload = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
    type_code(browser, f"print({payload!r})\n")
    run_and_wait(browser, "COMPLETED")
    assert browser.text_of("stdout") == payload
    assert browser.driver.execute_script("return typeof window.pwned") == "undefined"
    assert browser.driver.find_elements(By.CSS_SELECTOR, "#stdout script, #stdout img") == []


def test_pages_carry_a_content_security_policy(server):
    for path in ["/", "/live", "/teacher", "/docs", "/assets/live.js", "/assets/swagger-ui-bundle.js"]:
        answer = server.get(path, token=None)
        assert answer.status == 200, (path, answer)
        policy = answer.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy, policy
        assert "unsafe-inline" not in policy and "http" not in policy, policy
    assert server.get("/assets/nothing.js", token=None).status == 404


def test_an_unreachable_server_is_said_so(browser, tmp_path):
    own = Server(str(tmp_path / "gone.db"), token=TOKEN, extra_args=["--workers", "1", "--pool-size", "1"]).start()
    try:
        open_session(browser, own, "offline")
        type_code(browser, 'print("never")\n')
        browser.wait(lambda d: d.find_element(By.ID, "save-state").get_attribute("data-state") == "saved")
    finally:
        assert own.stop() == 0, own.log()
    browser.driver.find_element(By.ID, "run").click()
    assert "cannot be reached" in browser.wait_for_text("run-message", "cannot be reached")
    type_code(browser, 'print("not saved")\n')
    browser.wait(lambda d: d.find_element(By.ID, "save-state").get_attribute("data-state") == "error",
                 message="the failed autosave is not shown")
    assert "cannot be reached" in browser.text_of("save-state")


def test_the_page_works_from_the_keyboard_alone(browser, server):
    """Tab through the controls in order, Enter submits the forms, Ctrl+Enter runs from the editor."""
    driver = browser.driver
    driver.get(server.url("/live"))
    browser.wait(lambda d: len(Select(d.find_element(By.ID, "language")).options) > 0)
    active = lambda: driver.switch_to.active_element.get_attribute("id") or driver.switch_to.active_element.tag_name
    order = []
    for _ in range(9):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        order.append(active())
    # Three navigation links, then the token form and the session form, in reading order.
    assert order == ["a", "a", "a", "token", "token-save", "user-id", "problem-id", "language", "session-start"], order
    driver.find_element(By.ID, "token").click()
    ActionChains(driver).send_keys(TOKEN, Keys.ENTER).perform()
    browser.wait_for_text("page-message", "Token saved")
    driver.find_element(By.ID, "problem-id").click()
    ActionChains(driver).send_keys(Keys.END, "-keys", Keys.ENTER).perform()
    browser.wait_for_text("session-info", "-keys")
    browser.wait(lambda d: d.switch_to.active_element.get_attribute("id") == "code", message="the editor has no focus")
    ActionChains(driver).send_keys('print("from the keyboard")').perform()
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    browser.wait_for_text("run-status", "COMPLETED", timeout=90)
    assert browser.text_of("stdout") == "from the keyboard"
    # The editor did not swallow Tab: it moves the focus on.
    driver.find_element(By.ID, "code").click()
    ActionChains(driver).send_keys(Keys.TAB).perform()
    assert active() != "code"
