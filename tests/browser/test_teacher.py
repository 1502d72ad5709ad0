"""The teacher view in headless Chromium: an assignment's submissions with status and score, the
score histogram, and each one's Markdown feedback rendered, with a <script> in it shown as text."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from server_harness import Server, greeting_config, submission

API = "/api/v1"
TOKEN = "teacher-token"
PAYLOAD = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A server with one assignment and three graded submissions: right, wrong, and one that prints HTML."""
    srv = Server(str(tmp_path_factory.mktemp("teacher") / "t.db"), token=TOKEN,
                 extra_args=["--workers", "2", "--pool-size", "1"]).start()
    assert srv.post(f"{API}/configs", greeting_config("greeting"), token=TOKEN).status == 201
    ids = []
    for user, code in [("ada", 'print("Hello, " + input())\n'), ("bob", 'print("Bye")\n'),
                       ("eve", f"print({PAYLOAD!r})\n")]:
        answer = srv.post(f"{API}/submissions", submission("greeting", user=user, code=code), token=TOKEN)
        assert answer.status == 202, answer
        ids.append(answer.json()["id"])

    def all_graded():
        results = [srv.get(f"{API}/submissions/{i}", token=TOKEN).json() for i in ids]
        return results if all(r["status"] in ("completed", "failed") for r in results) else None

    results = srv.wait_until(all_graded, what="the three submissions graded")
    yield srv, results
    assert srv.stop() == 0, srv.log()


def test_submissions_histogram_and_safe_feedback(browser, graded):
    server, results = graded
    driver = browser.driver
    driver.get(server.url("/teacher"))
    browser.wait(lambda d: len(Select(d.find_element(By.ID, "assignment")).options) > 0, message="no assignments")
    driver.find_element(By.ID, "token").send_keys(TOKEN)
    driver.find_element(By.ID, "token-save").click()
    Select(driver.find_element(By.ID, "assignment")).select_by_value("greeting")
    driver.find_element(By.ID, "show").click()
    browser.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#submissions tbody tr")) == 3, message="no rows")

    rows = {int(row.get_attribute("data-id")): row for row in driver.find_elements(By.CSS_SELECTOR, "#submissions tbody tr")}
    for result in results:
        row = rows[result["id"]]
        assert row.find_element(By.CSS_SELECTOR, ".submission-status").text == result["status"]
        assert row.find_element(By.CSS_SELECTOR, ".submission-score").text == f"{result['final_score']:.1f}"

    # The histogram counts each final score in its tenth of 0–100.
    bins = [0] * 10
    for result in results:
        bins[min(9, int(result["final_score"] // 10))] += 1
    histogram = driver.find_element(By.ID, "histogram")
    assert histogram.get_attribute("data-bins") == ",".join(map(str, bins))
    assert len(histogram.find_elements(By.CSS_SELECTOR, "rect.bar")) == 10

    # Feedback opens with the keyboard (a <details> summary), rendered from Markdown.
    eve = next(r for r in results if r["username"] == "eve")
    assert PAYLOAD in eve["feedback"], "the grader's feedback should quote the program's output"
    summary = rows[eve["id"]].find_element(By.CSS_SELECTOR, "summary")
    summary.send_keys(" ")  # space toggles a focused summary
    feedback = rows[eve["id"]].find_element(By.CSS_SELECTOR, ".feedback")
    browser.wait(lambda d: feedback.is_displayed())
    assert "<script>window.pwned = 1</script>" in feedback.text
    assert driver.execute_script("return typeof window.pwned") == "undefined"
    assert feedback.find_elements(By.CSS_SELECTOR, "script, img") == []
    # Markdown became elements (headings, lists or code), not text with # and ``` in it.
    assert feedback.find_elements(By.CSS_SELECTOR, "h3, h4, h5, ul, ol, pre, table, strong")
    assert browser.unlabelled_controls() == []
    assert browser.console_problems() == []
    browser.screenshots("teacher")


def test_markdown_subset_renders_without_html(browser, graded):
    """markdown.js on hostile input: no element but the subset's, no javascript: link."""
    server, _ = graded
    browser.driver.get(server.url("/teacher"))
    browser.wait(lambda d: d.execute_script("return typeof markdown") == "object")
    source = ("# Title <b>x</b>\n\n- **bold** and *em* and `<i>code</i>`\n- [ok](https://example.org) "
              "[bad](javascript:window.pwned=3)\n\n```\n<script>window.pwned=4</script>\n```\n\n"
              "| a | b |\n|---|---|\n| <u>1</u> | 2 |\n\n<img src=x onerror=\"window.pwned=5\">\n")
    tags = browser.driver.execute_script("""
        const root = markdown.render(arguments[0]);
        document.body.append(root);
        return [...root.querySelectorAll('*')].map((node) => node.tagName.toLowerCase());""", source)
    assert set(tags) <= {"h3", "p", "ul", "li", "strong", "em", "code", "a", "pre", "div", "table", "thead",
                         "tbody", "tr", "th", "td", "br"}, tags
    # A longer fence holds a shorter one, as the grader's report nests them.
    nested = browser.driver.execute_script(
        "return [...markdown.render(arguments[0]).querySelectorAll('pre')].map((pre) => pre.textContent)",
        "````text\nbefore\n```\n<b>inner</b>\n```\n````\nafter\n")
    assert nested == ["before\n```\n<b>inner</b>\n```"]
    links = browser.driver.execute_script(
        "return [...document.querySelectorAll('.feedback a')].map((a) => a.getAttribute('href'))")
    assert links == ["https://example.org"]
    assert browser.driver.execute_script("return typeof window.pwned") == "undefined"
