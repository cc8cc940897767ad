"""`python -m bench [--scale city|province|national] [--runs 3] [--parts ...] [--inbox DIR]`:
measures the warehouse against its limits as ratios to baselines run side by side; writes
bench/results-<scale>.json and prints it.

1. ingest: our CSV ingest (read + normalise + validate + load) vs DuckDB's bare
   `create table as select * from read_csv(...)` on the same file; GBK vs iconv + bare load;
   peak memory of the ingest process.
2. refresh: full, after a 1% delivery, and with no change, each an `ipwh refresh` process
   (stage times and the process's peak RSS).
3. peer: a naive pandas script counting valid invention patents per year, against our full
   and delta refreshes, and where the two disagree.
"""

from __future__ import annotations

import argparse
import contextlib
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
from collections.abc import Iterator
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
    args: list[str], env: dict | None = None, cap_kb: float | None = None, check: bool = False
) -> ChildRun:
    """`python *args` in the project root, timed to its exit, its memory watched beside it;
    killed if its RSS passes `cap_kb`. `check`: a failure raises, with its output."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, stdout=out, stderr=err, text=True
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


def cli_refresh(home: Path, *flags: str, service: bool = False) -> tuple[float, dict]:
    """`ipwh refresh` as the timer runs it: a fresh process each time, so the imports of
    dbt and great-expectations count; with `service`, through the home's refresh service
    (`ipwh serve`, running), which has them imported. Returns (wall seconds, the status
    file's entry, with the process's own peak RSS added as `peak_rss_mb`: None through the
    service, where the refresh runs in another process)."""
    env = {**os.environ, "IPWH_HOME": str(home)}
    if not service:
        env["IPWH_SERVICE"] = "off"
    run = run_child(["-m", "ipwh.cli", "refresh", *flags], env=env, check=True)
    entry = json.loads((home / "status.json").read_text(encoding="utf-8"))["last_refresh"]
    assert entry["runner"] == ("service" if service else "process"), entry
    entry["peak_rss_mb"] = None if service else round(run.peak_rss_kb / 1024)
    return run.seconds, entry


@contextlib.contextmanager
def refresh_service(home: Path) -> Iterator[None]:
    """`ipwh serve` for `home`, from its ready line to the end of the block."""
    env = {**os.environ, "IPWH_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ipwh.cli", "serve"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        line = proc.stdout.readline()
        if "ready" not in line:
            raise RuntimeError(f"ipwh serve did not start: {line}")
        yield
    finally:
        proc.terminate()
        proc.wait()


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


def bench_refresh(home: Path, runs: int, peer_cap_gb: float | None = None) -> list[dict]:
    """Full and 1%-delta refreshes in pairs. Each run builds the warehouse anew from the
    landing files, then takes three deliveries in succession, as one daily delivery follows
    another: the first after a full build (dbt parses the project anew), reported apart,
    then the timed one and one through the refresh service (`ipwh serve`), these two in
    turn run by run (the third starts from a file the first delta wrote). Each pair's delta
    ÷ full is read within a minute or two: this VM's speed drifts by ±15 % over minutes,
    and a ratio of medians taken minutes apart moved by as much as the goal's margin. With
    `peer_cap_gb`, the pandas peer runs right after each timed delivery, on the same landing
    files, and our delta is read against it pair by pair too. Ends with the state of the
    last full build and the landing files as delivered (the peer reads both)."""
    staged = home.parent / "staged_inbox"
    shutil.move(home / "inbox", staged)
    saved = home.parent / "before_delta"
    fulls, deltas, firsts, peers, served, served_peers = [], [], [], [], [], []
    with refresh_service(home):  # idle but for the delivery of each run sent through it
        for run in range(runs):
            for p in ("raw.duckdb", "warehouse.duckdb", "build", "gx", "status.json"):
                target = home / p
                shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
            shutil.rmtree(home / "inbox", ignore_errors=True)
            shutil.copytree(staged, home / "inbox")
            seconds, full = cli_refresh(home)
            assert full["outcome"] == "published", full["message"]
            fulls.append((seconds, full))
            if run == runs - 1:  # the state restored at the end (5+ GB at national scale)
                saved.mkdir(exist_ok=True)
                for name in ("raw.duckdb", "warehouse.duckdb"):
                    shutil.copy2(home / name, saved / name)
            firsts.append(deliver(home, f"bench_first{len(fulls)}"))
            # the second and third deliveries, one through the service, in turn run by
            # run: the third starts from a file the first delta wrote, not the full build's
            for service in (False, True) if run % 2 == 0 else (True, False):
                tag = f"bench{'_served' if service else ''}{len(fulls)}"
                (served if service else deltas).append(deliver(home, tag, service=service))
                if peer_cap_gb is not None:
                    peer = run_peer(home / "inbox", peer_cap_gb)
                    (served_peers if service else peers).append(peer)
    nochange = [cli_refresh(home)[0] for _ in range(runs)]
    for name in ("raw.duckdb", "warehouse.duckdb"):  # the last full build, as published
        shutil.copy2(saved / name, home / name)
    # the deliveries' vintage, of loads the restored raw layer no longer has
    (home / "build" / "standby.duckdb").unlink(missing_ok=True)
    for p in (home / "inbox").glob("*/delta_bench*.csv"):
        p.unlink()

    full_s = statistics.median(s for s, _ in fulls)
    delta_s = statistics.median(s for s, _, _ in deltas)
    ratios = [d[0] / f[0] for f, d in zip(fulls, deltas, strict=True)]
    served_ratios = [d[0] / f[0] for f, d in zip(fulls, served, strict=True)]
    last_full, last_delta, last_first = fulls[-1][1], deltas[-1], firsts[-1]
    return [
        {
            "what": "refresh, full (ingest → validate → dbt → publish), `ipwh refresh` process",
            "seconds": full_s,
            "runs_s": [s for s, _ in fulls],
            "stages": last_full["stages_s"],
            "peak_rss_mb": last_full["peak_rss_mb"],
        },
        {
            "what": f"refresh after a 1% delivery ({last_delta[2]} new records), the second "
            "or third delivery after each full build (in turn with the one through the "
            "refresh service), `ipwh refresh` process",
            "seconds": delta_s,
            "runs_s": [s for s, _, _ in deltas],
            "stages": last_delta[1]["stages_s"],
            "peak_rss_mb": last_delta[1]["peak_rss_mb"],
            "ratio": statistics.median(ratios),
            "ratio_by_pair": ratios,
            "ratio_of_medians": delta_s / full_s,
            "goal": "<= 0.25",
            # standby: updated in place (the vintage before the published one); copy: the
            # published file copied first
            "delta_base": [e.get("delta_base") for _, e, _ in deltas],
            "first_after_full_s": [s for s, _, _ in firsts],
            "first_after_full_delta_base": [e.get("delta_base") for _, e, _ in firsts],
            "first_after_full_stages": last_first[1]["stages_s"],
            "first_after_full_peak_rss_mb": last_first[1]["peak_rss_mb"],
            **_beside_the_peer(deltas, peers),
        },
        {
            "what": "refresh after a 1% delivery, the third or second after each full build, "
            "through the refresh service (`ipwh serve` running; `ipwh refresh` hands it the "
            "refresh)",
            "seconds": statistics.median(s for s, _, _ in served),
            "runs_s": [s for s, _, _ in served],
            "stages": served[-1][1]["stages_s"],
            "ratio": statistics.median(served_ratios),
            "ratio_by_pair": served_ratios,
            "goal": "<= 0.25",
            "delta_base": [e.get("delta_base") for _, e, _ in served],
            **_beside_the_peer(served, served_peers),
        },
        {
            "what": "refresh, no change",
            "seconds": statistics.median(nochange),
            "runs_s": nochange,
            "ratio": statistics.median(nochange) / full_s,
            "goal": "no rebuild",
        },
    ]


def _beside_the_peer(deltas: list[tuple], peers: list[tuple]) -> dict:
    """Our delta ÷ the peer run just after it, pair by pair (pairs whose peer was killed or
    failed are left out of the ratio)."""
    if not peers:
        return {}
    ratios = [d[0] / p[0] for d, p in zip(deltas, peers, strict=True) if not p[3]]
    return {
        "peer_beside_s": [p[0] for p in peers],
        "peer_beside_notes": [p[3] for p in peers],
        "ratio_to_peer_by_pair": ratios,
        "ratio_to_peer": statistics.median(ratios) if ratios else None,
        "ratio_to_peer_goal": "< 1 from province scale up",
    }


def deliver(home: Path, tag: str, service: bool = False) -> tuple[float, dict, int]:
    """A 1% delivery dropped in the inbox and refreshed (through the refresh service with
    `service`): (seconds, status entry, records)."""
    rows = delta_in_child(home / "inbox", 0.01, tag)
    seconds, entry = cli_refresh(home, "--accept-revision", "benchmark delta", service=service)
    assert entry["outcome"] == "published", entry["message"]
    assert entry["build_mode"].startswith("delta"), entry
    return seconds, entry, rows


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
    home: Path, full: float, delta: float, runs: int, cap_gb: float = PEER_CAP_GB
) -> tuple[dict, dict]:
    """The naive pandas script (median of `runs`) against our full and 1%-delta refreshes,
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
        "ratio_delta_refresh_to_peer": delta / peer_s,
        "goal": "ours faster from province scale up",
    }
    peer = peer or {}
    diff = {y: (peer[y], int(ours.get(y, 0))) for y in peer if peer[y] != ours.get(y)}
    return row, diff


def renumbered_patents(frame, first_serial: int):
    """The same patent rows under fresh application numbers: filing year + the type digit of
    专利类型 + serial from `first_serial`, check character recomputed."""
    import polars as pl

    from ingest.normalise import check_char

    body = pl.concat_str(
        pl.col("申请日").str.slice(0, 4).fill_null("2020"),
        pl.col("专利类型").replace_strict(
            {"发明": "1", "实用新型": "2", "外观设计": "3"}, default="1"
        ),
        ((first_serial + pl.int_range(pl.len())) % 10_000_000).cast(pl.String).str.zfill(7),
    )
    return frame.with_columns(body.alias("申请号")).with_columns(
        pl.concat_str(pl.col("申请号"), pl.lit("."), check_char(pl.col("申请号"))).alias("申请号")
    )


def write_delta(inbox: Path, fraction: float, tag: str) -> int:
    """A new delivery of `fraction` of the patents and trademarks already delivered: sampled
    rows under fresh keys (patent serials from 9,000,000 with the check character
    recomputed; trademark numbers from 90,000,000), as an office's next monthly file."""
    import polars as pl

    seed = sum(map(ord, tag))
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
            bench_refresh(home, args.runs, PEER_CAP_GB if "peer" in parts else None)
            if parts & {"refresh", "peer"}
            else []
        )
        disagreements = {}
        if "peer" in parts:
            peer_row, disagreements = bench_peer(
                home, refresh_rows[0]["seconds"], refresh_rows[1]["seconds"], args.runs
            )
            # the goal is read side by side (the delta row's pairs); this row's runs come
            # after every refresh, minutes from the deltas
            peer_row["ratio_delta_refresh_to_peer_side_by_side"] = refresh_rows[1]["ratio_to_peer"]
            peer_row["ratio_served_delta_to_peer_side_by_side"] = refresh_rows[2]["ratio_to_peer"]
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
