"""`python -m bench.load HOME [--sessions 20] [--publishes 2]`: the app under a room full of
analysts. `streamlit run` on loopback serves the published warehouse of HOME; as many headless
Chromium sessions as asked each open every page in turn while `ipwh refresh` publishes new
vintages (a 1% delivery each). Reports page times (p50/p95), exceptions shown, failed loads,
the vintages each page showed, and the Streamlit process's peak RSS; writes
bench/results-load-<home name>.json."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PAGES = ["", "indicator", "drill", "units", "assessment", "quality", "definitions", "export"]
VINTAGE = re.compile(r"v\d{8}T\d{9}")


def start_app(home: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
        ],
        cwd=ROOT,  # .streamlit/config.toml: loopback only
        env={**os.environ, "IPWH_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start")


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


async def session(browser, url: str, passes: int, out: list[dict]) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    for _ in range(passes):
        for path in PAGES:
            started = time.perf_counter()
            row = {"page": path or "overview", "ok": True}
            try:
                await page.goto(f"{url}/{path}", wait_until="domcontentloaded", timeout=60_000)
                await page.wait_for_selector("h1", timeout=60_000)
                # the script run is over when Streamlit's "running" widget is gone
                await page.wait_for_function(
                    "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
                )
                row["seconds"] = time.perf_counter() - started
                row["exceptions"] = await page.locator("[data-testid='stException']").count()
                text = await page.inner_text("[data-testid='stMain']")
                row["vintages"] = sorted(set(VINTAGE.findall(text)))
            except Exception as err:  # a failed load is what this measures
                row.update(ok=False, error=str(err)[:200])
            out.append(row)
    await context.close()


def publish(home: Path, times: int, log: list[str]) -> None:
    """`times` new vintages, each from a 1% delivery, while the sessions read."""
    from bench.__main__ import delta_in_child

    for i in range(times):
        time.sleep(5)
        delta_in_child(home / "inbox", 0.01, f"load{i}")
        done = subprocess.run(
            [sys.executable, "-m", "ipwh.cli", "refresh", "--accept-revision", "load test"],
            env={**os.environ, "IPWH_HOME": str(home)},
            capture_output=True,
            text=True,
            check=False,
        )
        log.append(done.stdout.strip() or done.stderr.strip())


async def load(url: str, sessions: int, passes: int) -> list[dict]:
    from playwright.async_api import async_playwright

    rows: list[dict] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        await asyncio.gather(*(session(browser, url, passes, rows) for _ in range(sessions)))
        await browser.close()
    return rows


def run(home: Path, sessions: int, passes: int, publishes: int) -> dict:
    app, url = start_app(home)
    refreshes: list[str] = []
    publisher = threading.Thread(target=publish, args=(home, publishes, refreshes))
    try:
        publisher.start()
        started = time.perf_counter()
        rows = asyncio.run(load(url, sessions, passes))
        wall = time.perf_counter() - started
        publisher.join()
        rss = peak_rss_mb(app.pid)
    finally:
        app.terminate()
        app.wait(timeout=10)
    times = sorted(r["seconds"] for r in rows if r["ok"])
    return {
        "home": str(home),
        "sessions": sessions,
        "page_loads": len(rows),
        "failed_loads": sum(not r["ok"] for r in rows),
        "errors": [r["error"] for r in rows if not r["ok"]][:5],
        "pages_with_exceptions": sum(r.get("exceptions", 0) > 0 for r in rows),
        "pages_showing_two_vintages": sum(len(r.get("vintages", [])) > 1 for r in rows),
        "vintages_seen": sorted({v for r in rows for v in r.get("vintages", [])}),
        "refreshes": refreshes,
        "p50_s": statistics.median(times) if times else None,
        "p95_s": times[int(0.95 * (len(times) - 1))] if times else None,
        "wall_s": wall,
        "streamlit_peak_rss_mb": round(rss),
        "cpus": os.cpu_count(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.load")
    ap.add_argument("home", type=Path)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--passes", type=int, default=1, help="times each session opens every page")
    ap.add_argument("--publishes", type=int, default=2)
    args = ap.parse_args()
    result = run(args.home, args.sessions, args.passes, args.publishes)
    out = ROOT / "bench" / f"results-load-{args.home.name}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
