"""`python -m bench.load HOME [--browsers 20] [--publishes 2]`: the app under a room full of
analysts. `streamlit run` on loopback serves the published warehouse of HOME; as many browsers
as asked each open every page in turn while `ipwh refresh` publishes new vintages (a 1%
delivery each). A browser speaks Streamlit's own websocket protocol, as the browser does, and
a page is loaded when the server reports its script run finished: the time is the server's
(queries and rendering of the page's elements), without a browser's painting, so twenty
browsers fit beside the server on a 2-core machine (tests/test_browser.py paints every page
in Chromium). Reports page times (p50/p95), exceptions shown, failed loads, the vintages each
page showed, and the Streamlit process's peak RSS; writes bench/results-load-<home name>.json."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["", "indicator", "drill", "units", "assessment", "quality", "definitions", "export"]
# the vintage a page says it shows (its caption); the quality page's table lists them all
VINTAGE = re.compile(r"(?:数据版本|Data vintage): (v\d{8}T\d{9})")


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


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:  # still closing its connections: no need to wait
        proc.kill()
        proc.wait()


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


async def browser(url: str, passes: int, out: list[dict], publishing: threading.Event) -> None:
    """Opens every page `passes` times, and on while a refresh is still publishing."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    stream = url.replace("http", "ws") + "/_stcore/stream"
    async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None) as ws:
        done = 0
        while done < passes or publishing.is_set():
            done += 1
            for path in PAGES:
                row = {"page": path or "overview", "ok": True, "exceptions": [], "vintages": []}
                request = BackMsg()
                request.rerun_script.page_name = path
                started = time.perf_counter()
                try:
                    await ws.send(request.SerializeToString())
                    while True:
                        message = ForwardMsg()
                        message.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
                        kind = message.WhichOneof("type")
                        if kind == "script_finished":
                            break
                        if kind == "page_not_found":
                            raise RuntimeError(f"page not found: {path}")
                        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                            element = message.delta.new_element
                            if element.WhichOneof("type") == "exception":
                                row["exceptions"].append(element.exception.message)
                            if element.WhichOneof("type") == "markdown":
                                row["vintages"] += VINTAGE.findall(element.markdown.body)
                    row["seconds"] = time.perf_counter() - started
                    row["vintages"] = sorted(set(row["vintages"]))
                except Exception as err:  # a failed load is what this measures
                    row.update(ok=False, error=str(err)[:200])
                out.append(row)


def publish(home: Path, times: int, log: list[str]) -> None:
    """`times` new vintages, each from a 1% delivery, while the browsers read."""
    from bench.__main__ import delta_in_child

    for _ in range(times):
        time.sleep(5)
        delta_in_child(home / "inbox", 0.01, f"load{time.time_ns()}")  # new rows every time
        done = subprocess.run(
            [sys.executable, "-m", "ipwh.cli", "refresh", "--accept-revision", "load test"],
            env={**os.environ, "IPWH_HOME": str(home)},
            capture_output=True,
            text=True,
            check=False,
        )
        log.append(done.stdout.strip() or done.stderr.strip())


async def load(url: str, browsers: int, passes: int, publishing: threading.Event) -> list[dict]:
    rows: list[dict] = []
    await asyncio.gather(*(browser(url, passes, rows, publishing) for _ in range(browsers)))
    return rows


def run(home: Path, browsers: int, passes: int, publishes: int) -> dict:
    app, url = start_app(home)
    refreshes: list[str] = []
    publishing = threading.Event()
    if publishes:
        publishing.set()

    def publisher_run() -> None:
        try:
            publish(home, publishes, refreshes)
        finally:
            publishing.clear()

    publisher = threading.Thread(target=publisher_run)
    try:
        publisher.start()
        started = time.perf_counter()
        rows = asyncio.run(load(url, browsers, passes, publishing))
        wall = time.perf_counter() - started
        publisher.join()
        rss = peak_rss_mb(app.pid)
    finally:
        stop_app(app)
    times = sorted(r["seconds"] for r in rows if r["ok"])
    return {
        "home": str(home),
        "browsers": browsers,
        "page_loads": len(rows),
        "failed_loads": sum(not r["ok"] for r in rows),
        "errors": [r["error"] for r in rows if not r["ok"]][:5],
        "pages_with_exceptions": sum(bool(r.get("exceptions")) for r in rows),
        "exceptions": sorted({e[:300] for r in rows for e in r.get("exceptions", [])})[:5],
        "pages_showing_two_vintages": sum(len(r.get("vintages", [])) > 1 for r in rows),
        "vintages_seen": sorted({v for r in rows for v in r.get("vintages", [])}),
        "refreshes": refreshes,
        "p50_s": statistics.median(times) if times else None,
        "p95_s": times[int(0.95 * (len(times) - 1))] if times else None,
        "page_p50_s": {
            page: statistics.median(r["seconds"] for r in rows if r["ok"] and r["page"] == page)
            for page in dict.fromkeys(r["page"] for r in rows if r["ok"])
        },
        "wall_s": wall,
        "streamlit_peak_rss_mb": round(rss),
        "cpus": os.cpu_count(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.load")
    ap.add_argument("home", type=Path)
    ap.add_argument("--browsers", type=int, default=20)
    ap.add_argument(
        "--passes",
        type=int,
        default=1,
        help="times each browser opens every page at least (and on while publishing)",
    )
    ap.add_argument("--publishes", type=int, default=2)
    args = ap.parse_args()
    result = run(args.home, args.browsers, args.passes, args.publishes)
    out = ROOT / "bench" / f"results-load-{args.home.name}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
