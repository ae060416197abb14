"""End-to-end tests: the real pages in headless Chromium (Debian's), through Playwright.

Never `playwright install`: it downloads a browser, which fails here. Install Debian's
Chromium with `apt-get install chromium`. Without it these tests skip, except in CI
(CI=true), where a missing browser is a failure.
"""

import os
from pathlib import Path

import pytest

# The respondent steps the phone tests share: plain asserts there report their values too.
pytest.register_assert_rewrite("tests.e2e.answering")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"No Chromium at {CHROMIUM}: install it with `apt-get install chromium`."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def _page(browser, live_server, viewport):
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="nl-NL")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A page may answer 403 or 404 on purpose; a script, style or image may not fail.
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    page.js_errors = errors
    return context, page


@pytest.fixture
def page(browser, live_server):
    context, page = _page(browser, live_server, DESKTOP)
    yield page
    context.close()
    assert page.js_errors == [], page.js_errors


@pytest.fixture
def phone(browser, live_server):
    context, page = _page(browser, live_server, PHONE)
    yield page
    context.close()
    assert page.js_errors == [], page.js_errors


def assert_accessible(page) -> None:
    """Zero axe-core violations on the page as it is now. The inside of a drawn chart is left
    out: it sits in an element with role="img" and a label (which axe does check), so
    assistive technology never enters it, and its thousands of SVG nodes took a third of
    the results page's check. Its colours are checked in tests/test_brand.py."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context={"exclude": [[".js-plotly-plot .svg-container"]]})
    assert results.violations_count == 0, results.generate_report()


def assert_fits(page) -> None:
    """Nothing sticks out sideways: no horizontal scrolling."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    culprits = page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          return [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .filter(e => !e.closest(".table-responsive"))
            .slice(0, 5)
            .map(e => `${e.tagName.toLowerCase()}.${e.className}`);
        }"""
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the screen: {culprits}"


def assert_charts_drawn(page) -> int:
    """Every chart drawn so far drew each of its traces as the type asked. plotly.js turns a
    trace of a type its bundle lacks into an invisible scatter, without an error. Returns how
    many charts were drawn."""
    charts = page.evaluate(
        """() => [...document.querySelectorAll("[data-figure][data-drawn]")].map(e => ({
          id: e.dataset.figure,
          asked: (e.data || []).map(t => t.type || "scatter"),
          drawn: (e._fullData || []).map(t => t.visible === false ? "nothing" : t.type),
        }))"""
    )
    wrong = [chart for chart in charts if chart["asked"] != chart["drawn"] or not chart["asked"]]
    assert not wrong, f"charts not drawn as asked: {wrong}"
    return len(charts)


def labels_outside_the_chart(page, figure: str) -> list[str]:
    """The radar's dimension names that stick out of the chart's own box, with how far."""
    return page.evaluate(
        """(figure) => {
          const element = document.querySelector(`[data-figure='${figure}']`);
          const box = element.querySelector("svg.main-svg").getBoundingClientRect();
          return [...element.querySelectorAll(".angularaxistick text")]
            .map(text => [text.textContent, text.getBoundingClientRect()])
            .filter(([, r]) => r.left < box.left - 0.5 || r.right > box.right + 0.5
                            || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
            .map(([name, r]) => `${name}: ${Math.round(r.left)}..${Math.round(r.right)} x `
                              + `${Math.round(r.top)}..${Math.round(r.bottom)}`);
        }""",
        figure,
    )
