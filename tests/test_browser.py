"""Every page in a real browser: headless Chromium driven by Playwright against
`streamlit run`, on the demo warehouse. Screenshots go to test-artifacts/."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

ROOT = FIXTURES.parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# url path -> text that appears only once the page has fully rendered
PAGES = {
    "": "10. 知识产权保护社会满意度",
    "indicator": "分区县",
    "drill": "条记录",
    "units": "下载 CSV",
    "assessment": "下载 XLSX",
    "quality": "与公布数据核对",
    "definitions": "高价值发明专利标准",
    "export": "历史导出",
}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed")


@pytest.fixture(scope="module")
def server(city_home):
    from bench.load import start_app, stop_app

    proc, url = start_app(city_home)  # the load bench's server: loopback, no toolbar
    yield url
    stop_app(proc)


def test_every_page_in_headless_chromium(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for path, text in PAGES.items():
            name = path or "overview"
            page.goto(f"{server}/{path}", wait_until="networkidle")
            page.get_by_text(text).first.wait_for(timeout=30_000)
            # the script has finished when Streamlit's "running" widget is gone
            page.wait_for_function(
                "!document.querySelector('[data-testid=\"stStatusWidget\"]')",
                timeout=30_000,
            )
            page.wait_for_timeout(300)
            assert page.locator("[data-testid='stException']").count() == 0, name
            assert page.get_by_text("Page not found").count() == 0, name
            assert page.get_by_text("Deploy", exact=True).count() == 0, name
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        for path in PAGES:  # the same pages in English
            name = path or "overview"
            page.goto(f"{server}/{path}?lang=en", wait_until="networkidle")
            page.wait_for_function(
                "!document.querySelector('[data-testid=\"stStatusWidget\"]')",
                timeout=30_000,
            )
            page.wait_for_timeout(300)
            assert page.locator("[data-testid='stException']").count() == 0, name
            assert page.get_by_role("radio", name="English").is_checked(), name
            page.screenshot(path=str(ARTIFACTS / f"{name}-en.png"), full_page=True)
        browser.close()
    assert len(list(ARTIFACTS.glob("*.png"))) >= 2 * len(PAGES)


REPORTS = [
    ("", "10. 知识产权保护社会满意度", "中文"),
    ("", "10. IP protection satisfaction", "English"),
    ("assessment", "下载 XLSX", "中文"),
]


@pytest.mark.parametrize(("path", "text", "lang"), REPORTS)
def test_report_pages_print_on_one_or_two_a4_pages(server, tmp_path, path, text, lang):
    """The overview's report card (both languages) and the final assessment as the browser
    prints them to PDF: one or two landscape A4 pages, the vintage on the last one."""
    import re

    from playwright.sync_api import sync_playwright

    if not shutil.which("pdfinfo"):
        pytest.skip("poppler-utils not installed (.ci/run installs it)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{server}/{path}", wait_until="networkidle")
        if lang == "English":
            page.get_by_text("English").first.click()
        page.get_by_text(text).first.wait_for(timeout=30_000)
        page.wait_for_function(
            "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
        )
        page.wait_for_timeout(500)
        pdf = tmp_path / "printed.pdf"
        page.emulate_media(media="print")
        page.pdf(path=str(pdf), format="A4", landscape=True, print_background=True)
        browser.close()
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / f"print-{path or 'overview'}-{lang}.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])
    assert 1 <= pages <= 2, pages
    shown = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert re.search(r"v\d{8}T\d{9}", shown), shown[-300:]
