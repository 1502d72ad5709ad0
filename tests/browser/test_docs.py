"""/docs in headless Chromium: Swagger UI (served by the server itself) lists every operation of
/openapi.json, and loads nothing from elsewhere (the Content-Security-Policy would refuse it and
Chromium would log the refusal)."""

import json

import pytest
from selenium.webdriver.common.by import By

from server_harness import Server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(str(tmp_path_factory.mktemp("docs") / "d.db"), extra_args=["--workers", "0"]).start()
    yield srv
    assert srv.stop() == 0, srv.log()


def test_docs_lists_every_endpoint_of_the_document(browser, server):
    document = json.loads(server.get("/openapi.json", token=None).body)
    documented = {(method.upper(), path) for path, item in document["paths"].items()
                  for method in item if method in ("get", "put", "post", "delete", "patch")}
    browser.driver.get(server.url("/docs"))
    browser.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) >= len(documented),
                 message="Swagger UI did not list the operations")
    listed = set()
    for block in browser.driver.find_elements(By.CSS_SELECTOR, ".opblock"):
        method = block.find_element(By.CSS_SELECTOR, ".opblock-summary-method").text.strip().upper()
        path = block.find_element(By.CSS_SELECTOR, ".opblock-summary-path").get_attribute("data-path")
        listed.add((method, path))
    assert listed == documented
    assert browser.driver.find_element(By.CSS_SELECTOR, ".info .title").text.startswith(document["info"]["title"])
    assert browser.console_problems() == []
    browser.screenshots("docs")
