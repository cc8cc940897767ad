"""`python -m bench [--scale city|province|national] [--runs 3] [--parts ...] [--inbox DIR]`:
measures the warehouse against its limits as ratios to baselines run side by side; writes
bench/results-<scale>.json and prints it.

1. ingest: our CSV ingest (read + normalise + validate + load) vs DuckDB's bare
   `create table as select * from read_csv(...)` on the same file; GBK vs iconv + bare load;
   peak memory of the ingest process.
2. refresh: full, after a 1% delivery, and with no change, each an `ipwh refresh` process
   (stage times and the process's peak RSS); with `--baseline TREE`, the same runs of
   another code tree interleaved with ours (before and after a change, in the same run).
3. peer: a naive pandas script counting valid invention patents per year, against our full
   refresh, and where the two disagree.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bare_load(path: Path, target: Path | None = None) -> None:
    """DuckDB's own `create table as select * from read_csv(...)`: into a database file like
    ours when `target` is given (the like-for-like baseline: both write compressed table
    storage to disk), else in memory (no storage cost at all)."""
    import duckdb

    if target:
        target.unlink(missing_ok=True)
    con = duckdb.connect(str(target) if target else ":memory:")
    con.execute(f"create table t as select * from read_csv('{path}', all_varchar=true)")
    con.close()
    if target:
        target.unlink()


def our_ingest(path: Path, kind: str, workdir: Path) -> dict:
    """In a child process, so peak RSS is this ingest's own; timed to the closed database,
    like the bare load (DuckDB checkpoints at close)."""
    db = workdir / f"raw-{time.perf_counter_ns()}.duckdb"
    code = (
        "import json,sys,time;from pathlib import Path;"
        "from ingest.load import connect_raw, ingest_file;"
        f"con=connect_raw(Path({str(db)!r}));t=time.perf_counter();"
        f"r=ingest_file(con,Path({str(path)!r}),{kind!r});con.close();s=time.perf_counter()-t;"
        "print(json.dumps({'rows':r.rows_read,'loaded':r.rows_loaded,"
        "'quarantined':r.rows_quarantined,'status':r.status,'seconds':s}))"
    )
    run = run_child(["-c", code], check=True)
    db.unlink(missing_ok=True)
    return json.loads(run.last_line) | {"rss_mb": run.peak_rss_kb / 1024}


@dataclass
class ChildRun:
    seconds: float  # to its exit
    returncode: int
    stdout: str
    stderr: str
    peak_rss_kb: int  # of its own address space (see watch_memory)
    killed: bool  # for passing the RSS cap

    @property
    def last_line(self) -> str:
        return self.stdout.strip().splitlines()[-1]


def run_child(
    args: list[str],
    env: dict | None = None,
    cap_kb: float | None = None,
    check: bool = False,
    cwd: Path = ROOT,
) -> ChildRun:
    """`python *args` in `cwd` (the project root: its code runs), timed to its exit, its
    memory watched beside it; killed if its RSS passes `cap_kb`. `check`: a failure raises,
    with its output."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, *args], cwd=cwd, env=env, stdout=out, stderr=err, text=True
        )
        with ThreadPoolExecutor(1) as pool:
            watched = pool.submit(watch_memory, proc.pid, cap_kb)
            proc.wait()
            seconds = time.perf_counter() - t
        out.seek(0)
        err.seek(0)
        run = ChildRun(seconds, proc.returncode, out.read(), err.read(), *watched.result())
    if check and run.returncode != 0:
        detail = f"{run.stdout[-2000:]}{run.stderr[-2000:]}"
        raise RuntimeError(f"python {' '.join(args)[:200]}: exit {run.returncode}\n{detail}")
    return run


def watch_memory(pid: int, cap_kb: float | None = None) -> tuple[int, bool]:
    """Polls the process's memory in /proc until it exits (a zombie has none). Returns its
    peak RSS in kB and whether it was killed for passing `cap_kb` of RSS. The peak is
    VmHWM, the high-water mark of its own address space, not its rusage: Linux counts in a
    child's ru_maxrss the image it was forked from, so a refresh started by a bench process
    holding 1 GB reported at least 1 GB. Growth in its last 50 ms is missed."""
    peak, killed = 0, False
    while True:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            fields = dict(line.split(":", 1) for line in status.splitlines())
            rss = int(fields["VmRSS"].split()[0])
            peak = max(peak, int(fields["VmHWM"].split()[0]))
        except (OSError, KeyError, ValueError):  # exited
            return peak, killed
        if cap_kb is not None and rss > cap_kb and not killed:
            os.kill(pid, signal.SIGKILL)
            killed = True
        time.sleep(0.05)


def cli_refresh(home: Path, *flags: str, tree: Path = ROOT) -> tuple[float, dict]:
    """`ipwh refresh` of the code in `tree`, as the timer runs it: a fresh process each
    time, so the imports of dbt and great-expectations count. Returns (wall seconds, the
    status file's entry, with the process's own peak RSS added as `peak_rss_mb`)."""
    env = {**os.environ, "IPWH_HOME": str(home)}
    run = run_child(["-m", "ipwh.cli", "refresh", *flags], env=env, check=True, cwd=tree)
    entry = json.loads((home / "status.json").read_text(encoding="utf-8"))["last_refresh"]
    entry["peak_rss_mb"] = round(run.peak_rss_kb / 1024)
    return run.seconds, entry


def bench_ingest(inbox: Path, runs: int, workdir: Path) -> list[dict]:
    rows = []
    for kind, name in (
        ("patents", "incopat_patents_2020-2025.csv"),
        ("trademarks", "trademarks_jingzhou.csv"),
    ):
        path = inbox / kind / name
        n = sum(1 for _ in path.open("rb")) - 1
        # run by run in turn: this VM's speed drifts over minutes, and three baselines
        # followed by three of ours would read the drift as a difference
        base_runs, base_mem_runs, results = [], [], []
        for _ in range(runs):
            base_runs.append(timed(lambda p=path: bare_load(p, workdir / "bare.duckdb"), 1))
            results.append(our_ingest(path, kind, workdir))
            base_mem_runs.append(timed(lambda p=path: bare_load(p), 1))
        base, base_mem = statistics.median(base_runs), statistics.median(base_mem_runs)
        # the child's own clock around ingest_file: interpreter start-up is not ingest work
        mine = statistics.median(r["seconds"] for r in results)
        rows.append(
            {
                "what": f"ingest {kind} CSV (UTF-8)",
                "rows": n,
                "ours_rows_s": n / mine,
                "baseline_rows_s": n / base,
                "ratio": base / mine,
                "runs_s": {"ours": [r["seconds"] for r in results], "bare_load": base_runs},
                "ratio_vs_in_memory_bare_load": base_mem / mine,
                "goal": ">= 0.5",
                "peak_rss_mb": max(r["rss_mb"] for r in results),
            }
        )
    gbk = inbox / "patent_events" / "legal_events_2022-2025_gbk.csv"
    n = sum(1 for _ in gbk.open("rb")) - 1

    def iconv_bare():
        out = workdir / "iconv.csv"
        with out.open("wb") as fh:
            subprocess.run(
                ["iconv", "-f", "GB18030", "-t", "UTF-8", str(gbk)], stdout=fh, check=True
            )
        bare_load(out, workdir / "bare.duckdb")

    base_runs, results = [], []
    for _ in range(runs):
        base_runs.append(timed(iconv_bare, 1))
        results.append(our_ingest(gbk, "patent_events", workdir))
    base = statistics.median(base_runs)
    mine = statistics.median(r["seconds"] for r in results)
    rows.append(
        {
            "what": "ingest GBK CSV",
            "rows": n,
            "ours_rows_s": n / mine,
            "baseline_rows_s": n / base,
            "ratio": base / mine,
            "runs_s": {"ours": [r["seconds"] for r in results], "bare_load": base_runs},
            "goal": ">= 0.5",
            "peak_rss_mb": max(r["rss_mb"] for r in results),
        }
    )
    return rows


def pandas_peer(inbox: Path) -> dict[int, int]:
    """What an analyst would write: current files, granted inventions, minus lapsed ones."""
    import pandas as pd

    frames = [pd.read_csv(p, dtype=str) for p in (inbox / "patents").glob("*.csv")]
    pat = pd.concat(frames)
    pat = pat[pat["专利类型"].str.contains("发明", na=False)]
    pat = pat[pat[next(c for c in pat.columns if "地址" in c)].str.contains("荆州", na=False)]
    pat["grant"] = pd.to_datetime(pat["授权公告日"], errors="coerce", format="mixed")
    ev = pd.concat(
        [
            pd.read_csv(p, dtype=str, encoding="gb18030" if "gbk" in p.name else "utf-8")
            for p in (inbox / "patent_events").glob("*.csv")
        ]
    )
    ended = ev[
        ev["法律状态"].str.contains("终止|放弃|无效", na=False)
        & ~ev["法律状态"].str.contains("部分", na=False)
    ]
    ended = ended.assign(d=pd.to_datetime(ended["生效日"], errors="coerce"))
    out = {}
    for year in range(2016, 2026):
        end = pd.Timestamp(year, 12, 31)
        gone = set(ended.loc[ended["d"] <= end, "申请号"])
        valid = pat[(pat["grant"] <= end) & ~pat["申请号"].isin(gone)]
        out[year] = int(valid["申请号"].nunique())
    return out


def bench_refresh(home: Path, runs: int, baseline: Path | None = None) -> list[dict]:
    """Per run: a full refresh from the landing files, a 1% delivery refreshed, and a
    refresh with nothing new, each an `ipwh refresh` process. With `baseline` (another code
    tree), its runs interleave with ours on a copy of the landing files, one then the other
    in turn, and each row gives our median ÷ the baseline's. Ends with our last run's state
    (the peer reads it)."""
    staged = home.parent / "staged_inbox"
    shutil.copytree(home / "inbox", staged)
    trees = {"ours": (ROOT, home)}
    if baseline:
        trees["baseline"] = (baseline, home.parent / "baseline_home")
    parts = ("full", "delivery", "no change")
    times: dict = {name: {part: [] for part in parts} for name in trees}
    last: dict = {}
    for run in range(runs):
        for name in list(trees) if run % 2 == 0 else list(trees)[::-1]:
            tree, h = trees[name]
            shutil.rmtree(h, ignore_errors=True)
            shutil.copytree(staged, h / "inbox")
            full = cli_refresh(h, tree=tree)
            last[name, "rows"] = delta_in_child(h / "inbox", 0.01, f"bench{run}")
            delivered = cli_refresh(h, "--accept-revision", "benchmark delivery", tree=tree)
            unchanged = cli_refresh(h, tree=tree)
            for part, (seconds, entry), outcome in zip(
                parts,
                (full, delivered, unchanged),
                ("published", "published", "unchanged"),
                strict=True,
            ):
                assert entry["outcome"] == outcome, entry["message"]
                times[name][part].append(seconds)
                last[name, part] = entry
    goals = {"full": "<= 20 s city, <= 90 s province", "no change": "<= 1 s"}
    rows = []
    for part in parts:
        ours = times["ours"][part]
        row = {
            "what": f"refresh, {part}"
            + (f" ({last['ours', 'rows']} new records)" if part == "delivery" else ""),
            "seconds": statistics.median(ours),
            "runs_s": ours,
            "stages": last["ours", part]["stages_s"],
            "peak_rss_mb": last["ours", part]["peak_rss_mb"],
            "goal": goals.get(part, ""),
        }
        if baseline:
            base = times["baseline"][part]
            row["baseline_runs_s"] = base
            row["ratio_to_baseline"] = row["seconds"] / statistics.median(base)
        rows.append(row)
    return rows


# the pandas peer's RSS cap: at national scale it may not fit beside the rest
PEER_CAP_GB = 16


def run_peer(inbox: Path, cap_gb: float) -> tuple[float, dict | None, int, str]:
    """The pandas script in a child process, killed if its RSS passes `cap_gb` (at national
    scale it may not fit beside the rest). Returns (seconds, its counts or None, peak RSS in
    MB as last polled, a note)."""
    code = (
        "import json,sys;from pathlib import Path;from bench.__main__ import pandas_peer;"
        "print(json.dumps(pandas_peer(Path(sys.argv[1]))))"
    )
    run = run_child(["-c", code, str(inbox)], cap_kb=cap_gb * 1024 * 1024)
    counts, note = None, f"killed: RSS passed {cap_gb} GB" if run.killed else ""
    if run.returncode == 0 and run.stdout.strip():
        counts = {int(k): v for k, v in json.loads(run.last_line).items()}
    elif not note:
        note = f"failed (exit {run.returncode})"
    return run.seconds, counts, round(run.peak_rss_kb / 1024), note


def bench_peer(
    home: Path, full: float, runs: int, cap_gb: float = PEER_CAP_GB
) -> tuple[dict, dict]:
    """The naive pandas script (median of `runs`) against our full refresh,
    and where the two disagree (ours is checked against the plan's published figures
    elsewhere). A run killed or failed ends the series: the rest would fail alike."""
    times = []
    for _ in range(runs):
        seconds, peer, rss, note = run_peer(home / "inbox", cap_gb)
        times.append(seconds)
        if note:
            break
    peer_s = statistics.median(times)
    import duckdb

    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        ours = dict(
            con.execute(
                "select report_year, numerator from marts.fct_indicator_values where "
                "indicator_code = 'valid_invention_patents' and unit_code = '421000'"
            ).fetchall()
        )
    row = {
        "what": "naive pandas peer (valid inventions per year)",
        "seconds": peer_s,
        "runs_s": times,
        "peak_rss_mb": rss,
        "note": note,
        "ratio_full_refresh_to_peer": full / peer_s,
        "goal": "ours faster from province scale up",
    }
    peer = peer or {}
    diff = {y: (peer[y], int(ours.get(y, 0))) for y in peer if peer[y] != ours.get(y)}
    return row, diff


def renumbered_patents(frame, first_serial: int):
    """The same patent rows under fresh application numbers: filing year + the type digit of
    专利类型 + serial from `first_serial`, check character recomputed."""
    import polars as pl

    from ingest.normalise import check_value

    body = pl.concat_str(
        pl.col("申请日").str.slice(0, 4).fill_null("2020"),
        pl.col("专利类型").replace_strict(
            {"发明": "1", "实用新型": "2", "外观设计": "3"}, default="1"
        ),
        ((first_serial + pl.int_range(pl.len())) % 10_000_000).cast(pl.String).str.zfill(7),
    )
    check = check_value(pl.col("申请号"))
    check = pl.when(check == 10).then(pl.lit("X")).otherwise(check.cast(pl.String))
    return frame.with_columns(body.alias("申请号")).with_columns(
        pl.concat_str(pl.col("申请号"), pl.lit("."), check).alias("申请号")
    )


def write_delta(inbox: Path, fraction: float, tag: str) -> int:
    """A new delivery of `fraction` of the patents and trademarks already delivered: sampled
    rows under fresh keys (patent serials from 9,000,000 with the check character
    recomputed; trademark numbers from 90,000,000), as an office's next monthly file."""
    import polars as pl

    seed = int(hashlib.sha256(tag.encode()).hexdigest()[:8], 16)  # another tag, other rows
    written = 0
    patents = pl.read_csv(inbox / "patents" / "incopat_patents_2020-2025.csv", infer_schema=False)
    rows = renumbered_patents(
        patents.sample(fraction=fraction, seed=seed), 9_000_000 + seed % 500 * 1000
    )
    rows.write_csv(inbox / "patents" / f"delta_{tag}.csv")
    written += rows.height
    marks = pl.read_csv(
        inbox / "trademarks" / "trademarks_jingzhou.csv", infer_schema=False, encoding="utf8-lossy"
    )
    marks = marks.rename({marks.columns[0]: marks.columns[0].lstrip("\ufeff")})
    rows = marks.sample(fraction=fraction, seed=seed).with_columns(
        (90_000_000 + seed % 500 * 10_000 + pl.int_range(pl.len())).cast(pl.String).alias("注册号")
    )
    rows.write_csv(inbox / "trademarks" / f"delta_{tag}.csv")
    return written + rows.height


def delta_in_child(inbox: Path, fraction: float, tag: str) -> int:
    """`write_delta` in a child process. It reads every delivered row (15 GB at national
    scale); in the bench process that would be the size every later child is forked from."""
    code = (
        "import sys;from pathlib import Path;from bench.__main__ import write_delta;"
        "print(write_delta(Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3]))"
    )
    return int(run_child(["-c", code, str(inbox), str(fraction), tag], check=True).last_line)


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench")
    ap.add_argument("--scale", default="city", choices=["city", "province", "national"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--parts",
        default="ingest,refresh,peer",
        help="comma-separated: ingest (per file vs the bare load), refresh (full, 1%% delta, "
        "no change), peer (the pandas script; needs refresh)",
    )
    ap.add_argument("--inbox", type=Path, help="copy this demo inbox instead of generating one")
    ap.add_argument("--baseline", type=Path, help="another code tree to time beside this one")
    args = ap.parse_args()
    parts = set(args.parts.split(","))
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
    from ipwh import demo

    with tempfile.TemporaryDirectory(prefix="ipwh-bench-") as tmp:
        home = Path(tmp) / "home"
        t = time.perf_counter()
        if args.inbox:  # landing files generated before (national: 35 min to generate)
            shutil.copytree(args.inbox, home / "inbox")
            gen_s = None
        else:
            demo.generate(home, args.scale, 42)
            gen_s = time.perf_counter() - t
        ingest_rows = []
        if "ingest" in parts:
            ingest_rows = bench_ingest(home / "inbox", args.runs, Path(tmp))
        refresh_rows = (
            bench_refresh(home, args.runs, args.baseline) if parts & {"refresh", "peer"} else []
        )
        disagreements = {}
        if "peer" in parts:
            peer_row, disagreements = bench_peer(home, refresh_rows[0]["seconds"], args.runs)
            refresh_rows.append(peer_row)
    import duckdb
    import polars

    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
            "polars": polars.__version__,
        },
        "scale": args.scale,
        "runs": args.runs,
        "demo_generation_s": gen_s,
        "ingest": ingest_rows,
        "refresh": refresh_rows,
        "peer_disagreements": {str(k): v for k, v in disagreements.items()},
        "bench_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    out = ROOT / "bench" / f"results-{args.scale}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    print(json.dumps(report, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()
