"""report.html in a real headless browser: it renders, shows the summary and a timeline, logs no errors.

The screenshot is kept in ``reports/artifacts/`` for CI to upload. Skipped, with the reason,
where Chromium or Playwright cannot be had (``.ci/run`` installs both).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conformance.reports import write_site
from tests.conftest import REPO, run_suite

ARTIFACTS = REPO / "reports" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[test]')")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")


FIRST_SCREEN = {"width": 1400, "height": 900}


def _launch(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                             "--disable-background-networking", "--disable-component-update"])  # fmt: skip


def _watched(browser, problems: list[str], requests: list[str]):
    """A first-screen-sized page whose errors land in ``problems`` and every URL it asks for in ``requests``."""
    page = browser.new_page(viewport=FIRST_SCREEN)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    return page


def _on_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] + box["height"] <= FIRST_SCREEN["height"]


def test_report_renders_in_a_browser(proxy_url, tmp_path: Path) -> None:
    run = run_suite(tmp_path, "--target-url", proxy_url("rollback-as-interrupt"), "-k", "rollback-seed or join.rollback")
    assert run.exit_code == 1, run.output[-2000:]
    unjudged = [u["id"] for u in run.report["summary"]["gated_unjudged"]]
    assert unjudged, "the joins of a run that was not rolled back are not reached: the page must name them"
    problems: list[str] = []
    requests: list[str] = []
    with playwright.sync_playwright() as p:
        browser = _launch(p)
        page = _watched(browser, problems, requests)
        page.goto((tmp_path / "report.html").as_uri())
        # the first screen: the verdict and what it covered, each gated requirement not judged with its cause,
        # then why nonconformant: the first failed MUST with its deciding line and the line that re-runs it
        assert "nonconformant" in page.inner_text("#summary") and "MUST requirements judged" in page.inner_text("#summary")
        assert _on_first_screen(page.locator("#summary"))
        for requirement in unjudged:
            item = page.locator("#not-judged + ul li", has_text=requirement)
            assert _on_first_screen(item) and item.locator("code.cause").inner_text().strip()
        first = page.locator("#why + ul li").first
        assert "(MUST) failed in" in first.inner_text()
        for part in ("a", "code.deciding", "code.rerun"):
            assert _on_first_screen(first.locator(part).first) and first.locator(part).first.inner_text().strip()
        assert first.locator("code.rerun").inner_text().startswith("re-run: langgraph-conformance run --target-url")
        assert page.locator("details.long[open]").count() == 0  # no generated body unfolded
        first.locator("a").first.click()
        assert page.locator(first.locator("a").first.get_attribute("href")).is_visible()
        timeline = page.locator("details.failure svg.timeline").first
        assert timeline.is_visible() and timeline.bounding_box()["height"] > 20
        page.select_option("#level", "SHOULD")
        visible = page.locator("#requirements tbody tr:visible")
        assert visible.count() > 0 and all(t == "SHOULD" for t in visible.locator("td:nth-child(2)").all_inner_texts())
        page.select_option("#level", "")
        page.evaluate("window.scrollTo(0, 0)")  # the screenshot shows the page's top: the badge and why
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-html.png"), full_page=False)
        browser.close()
    assert problems == [], problems
    assert all(url.startswith("file://") for url in requests), requests


def test_the_site_renders_in_a_browser(tmp_path: Path) -> None:
    index = write_site(sorted((REPO / "reports" / "servers").glob("*/report.json")), tmp_path / "site")
    problems: list[str] = []
    requests: list[str] = []
    with playwright.sync_playwright() as p:
        browser = _launch(p)
        page = _watched(browser, problems, requests)
        page.goto(index.as_uri())
        # what a reader sees first: every server with its badge and verdict
        rows = page.locator("#servers tr")
        assert rows.count() > 10
        first = rows.nth(1)
        assert _on_first_screen(first) and first.locator(".verdict").inner_text() in ("conformant", "nonconformant", "error")
        widths = page.eval_on_selector_all("#servers img", "imgs => imgs.map(i => i.naturalWidth)")
        assert widths and all(w > 100 for w in widths), widths  # every badge loaded
        page.screenshot(path=str(tmp_path / "site.png"))
        first.locator("a").first.click()
        page.wait_for_load_state()
        assert page.url.endswith(".html") and "/servers/" in page.url
        assert page.locator("#summary .verdict").is_visible()
        browser.close()
    assert not problems, problems
    assert all(url.startswith("file://") for url in requests), [u for u in requests if not u.startswith("file://")]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "site.png", ARTIFACTS / "site.png")
