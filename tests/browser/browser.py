"""Headless Chromium (Debian's chromium + chromium-driver) driven by Selenium against the real server.

Missing Chromium, chromedriver or Selenium is a test failure saying what to install, never a skip.
Each browser gets a fresh profile directory. Waits are WebDriverWait on conditions of the page.
"""

import os
import shutil
import tempfile

SCREENSHOTS = os.environ.get("AUTOGRADER_SCREENSHOTS", "")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
INSTALL_HINT = "apt-get install chromium chromium-driver python3-selenium (scripts/setup.sh lists them)"

DESKTOP = (1280, 900)
PHONE = (390, 844)


def require_browser():
    assert CHROMIUM, f"chromium is not installed: {INSTALL_HINT}"
    assert CHROMEDRIVER, f"chromedriver is not installed: {INSTALL_HINT}"
    try:
        import selenium  # noqa: F401
    except ImportError as error:
        raise AssertionError(f"Selenium is not importable ({error}): {INSTALL_HINT}")


class Browser:
    """One headless Chromium with its own profile directory, closed by quit()."""

    def __init__(self):
        require_browser()
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="autograder-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         f"--user-data-dir={self.profile}", f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
                         "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync"]:
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(60)

    def quit(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def wait(self, condition, timeout=60, message=""):
        from selenium.webdriver.support.ui import WebDriverWait
        return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(condition, message)

    def text_of(self, element_id):
        return self.driver.find_element("id", element_id).text

    def wait_for_text(self, element_id, expected, timeout=60):
        """Waits until the element's visible text contains `expected`; returns the text."""
        self.wait(lambda d: expected in d.find_element("id", element_id).text, timeout,
                  f"#{element_id} never showed {expected!r}")
        return self.text_of(element_id)

    def unlabelled_controls(self):
        """Form controls a screen reader could not name: no <label for>, aria-label or aria-labelledby."""
        return self.driver.execute_script("""
            return [...document.querySelectorAll('input, select, textarea, button')]
              .filter((control) => !(control.labels && control.labels.length) && !control.getAttribute('aria-label')
                                   && !control.getAttribute('aria-labelledby') && !control.textContent.trim())
              .map((control) => control.outerHTML.slice(0, 120));""")

    def console_problems(self):
        """Console messages of severity SEVERE: script errors, and Content-Security-Policy refusals."""
        return [entry for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]

    def screenshots(self, name):
        """Saves NAME-desktop.png and NAME-phone.png (the whole page) in the build tree."""
        assert SCREENSHOTS, "AUTOGRADER_SCREENSHOTS is not set (CTest sets it)"
        os.makedirs(SCREENSHOTS, exist_ok=True)
        paths = []
        for label, (width, height) in [("desktop", DESKTOP), ("phone", PHONE)]:
            self.driver.set_window_size(width, height)
            # The layout must fit the width: nothing wider than the window (no sideways scrolling).
            self.wait(lambda d: d.execute_script("return window.innerWidth") <= width)
            overflow = self.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"{name} at {label} width scrolls sideways by {overflow}px"
            full_height = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.set_window_size(width, min(max(height, full_height + 150), 6000))
            path = os.path.join(SCREENSHOTS, f"{name}-{label}.png")
            assert self.driver.save_screenshot(path), path
            assert os.path.getsize(path) > 1000, path
            paths.append(path)
        self.driver.set_window_size(*DESKTOP)
        return paths
