"""`python -m bench.app HOME [--runs 3]`: render time of every app page on a published
warehouse, with Streamlit's AppTest (the script run, queries included; no browser paint).
Cold start is the first run of a fresh app process (imports + first queries)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["overview", "indicator", "drill", "units", "quality", "definitions", "export"]


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.app")
    ap.add_argument("home")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    os.environ["IPWH_HOME"] = args.home
    cold = []
    for _ in range(args.runs):  # a fresh interpreter each time: imports and empty caches
        code = (
            "import time;t=time.perf_counter();from streamlit.testing.v1 import AppTest;"
            f"AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=120).run();"
            "print(time.perf_counter()-t)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
        )
        cold.append(float(out.stdout.strip().splitlines()[-1]))
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    pages = {}
    for page in PAGES:
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            at.switch_page(f"app_pages/{page}.py").run()
            times.append(time.perf_counter() - t)
            assert not at.exception, page
        pages[page] = {"median_s": statistics.median(times), "first_s": times[0]}
    print(
        json.dumps(
            {"home": args.home, "cold_start_s": statistics.median(cold), "pages": pages}, indent=1
        )
    )


if __name__ == "__main__":
    main()
