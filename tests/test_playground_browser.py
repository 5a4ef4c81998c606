"""The playground in a real browser: Debian's Chromium, driven by Selenium through chromedriver,
against a real gunicorn. Each run takes screenshots; with UPDATE_SCREENSHOTS=1 they replace the
ones in docs/ that the README shows, otherwise they go to a temporary folder."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,900"]
DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    return DOCS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path_factory.mktemp("screenshots")
PATIENCE = 120  # seconds a step may take before the test gives up; an answer comes in well under one


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if missing:
        reason = (f"{' and '.join(missing)} not installed: `bash scripts/install-system-packages.sh` installs "
                  f"Debian's chromium and chromium-driver")
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # with the driver's path too, Selenium Manager has nothing to fetch
    for flag in FLAGS + [f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def wait_for(driver, condition):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, PATIENCE).until(lambda _: condition())


def text_of(driver, selector):
    return driver.execute_script("const e = document.querySelector(arguments[0]); return e ? e.textContent : ''",
                                 selector)


def choose_example(driver, label):
    from selenium.webdriver.support.ui import Select
    Select(driver.find_element("id", "example")).select_by_visible_text(label)


def test_the_cube_example_draws_its_values_and_gradients(browser, gunicorn_url, screenshots):
    browser.get(f"{gunicorn_url}/")
    choose_example(browser, "(3*x + 4*y)**3")
    browser.find_element("id", "run").click()
    wait_for(browser, lambda: "1331" in text_of(browser, "#graph svg"))
    graph = text_of(browser, "#graph svg")
    assert "1331" in graph and "1089" in graph and "1452" in graph
    assert "1089" in text_of(browser, "#gradients table")
    assert text_of(browser, "#expression-error") == ""
    assert browser.save_screenshot(str(screenshots / "playground-example.png"))


def test_an_invalid_expression_is_explained_next_to_its_field(browser, gunicorn_url, screenshots):
    browser.get(f"{gunicorn_url}/")
    expression = browser.find_element("id", "expression")
    expression.clear()
    expression.send_keys("(3*x + 4*y")
    browser.find_element("id", "run").click()
    wait_for(browser, lambda: text_of(browser, "#expression-error"))
    assert "'(' was never closed" in text_of(browser, "#expression-error")
    assert "invalid" in browser.find_element("css selector", '#graph-fields [data-field="expression"]').get_attribute("class")
    assert text_of(browser, "#form-error") == ""
    assert browser.save_screenshot(str(screenshots / "playground-error.png"))


def test_descent_shows_the_cost_curve(browser, gunicorn_url):
    browser.get(f"{gunicorn_url}/")
    choose_example(browser, "(w - 3)**2, three steps of descent")
    browser.find_element("id", "run").click()
    wait_for(browser, lambda: text_of(browser, "#graph svg"))
    assert browser.find_element("id", "cost-section").is_displayed()
    assert browser.execute_script("return document.querySelectorAll('#cost-plot svg path').length") > 0
