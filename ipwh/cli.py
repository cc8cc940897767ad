"""`ipwh` command line: demo, ingest, refresh, export, assess, status.

Exit codes: 0 success; 1 a file rejected or not read / refresh failed / warehouse stale;
2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from ipwh.paths import Home

USAGE_ERROR = 2


def _demo(args: argparse.Namespace, home: Home) -> int:
    from ipwh import demo

    say = _terminal_line if sys.stderr.isatty() else None  # cron: the summary lines only
    truth = demo.generate(home.root, args.scale, args.seed, say)
    if say:
        print(file=sys.stderr)
    files = sorted(p for p in home.inbox.rglob("*") if p.is_file())
    print(f"wrote {len(files)} demo files ({args.scale}, seed {args.seed}) to {home.inbox}")
    print("defect rows written: " + ", ".join(f"{k} {v}" for k, v in sorted(truth.defects.items())))
    return 0


def _terminal_line(message: str) -> None:
    """Progress on a terminal: one line, rewritten in place."""
    print(f"\r\033[K{message[:150]}", end="", file=sys.stderr, flush=True)


def _ingest(args: argparse.Namespace, home: Home) -> int:
    from ingest.kinds import KINDS
    from ingest.load import connect_raw, ingest_file
    from ipwh.refresh import LockBusy, ingest_progress, refresh_lock

    if args.kind and args.kind not in KINDS:
        print(
            f"ipwh ingest: unknown kind {args.kind!r}; one of {', '.join(KINDS)}", file=sys.stderr
        )
        return USAGE_ERROR
    paths: list[Path] = []
    for p in map(Path, args.paths):
        paths += sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
    try:
        with refresh_lock(home):
            con = connect_raw(home.raw_db)
            try:
                results = []
                for p in paths:
                    say = _terminal_line if sys.stderr.isatty() else None
                    r = ingest_file(con, p, args.kind, args.sheet, ingest_progress(say, p))
                    if say:
                        print(file=sys.stderr)
                    results.append(r)
                    if not args.json:
                        print(
                            f"{r.status:9} {r.kind or '?':22} {r.rows_read:>9} read "
                            f"{r.rows_loaded:>9} loaded {r.rows_quarantined:>7} quarantined "
                            f"{r.duration_s:>7.2f}s  {Path(r.file).name}"
                            + (f"\n          {r.message}" if r.message else "")
                        )
            finally:
                con.close()
    except LockBusy as err:
        print(f"ipwh ingest: {err}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=1))
    else:
        read = sum(r.rows_read for r in results)
        print(
            f"{len(results)} files: {read} rows read, "
            f"{sum(r.rows_loaded for r in results)} loaded, "
            f"{sum(r.rows_quarantined for r in results)} quarantined, "
            f"{sum(r.status == 'rejected' for r in results)} files rejected"
        )
    return 1 if any(r.status == "rejected" for r in results) else 0


def _refresh(args: argparse.Namespace, home: Home) -> int:
    from ipwh.refresh import refresh

    say = _terminal_line if sys.stderr.isatty() else None  # cron: the summary line only
    result = refresh(home, args.accept_revision, args.discard_corrupt_warehouse, say)
    if say:
        print(file=sys.stderr)
    rejected = [f for f in result.files if f.status == "rejected"]
    for f in rejected:
        print(f"rejected: {f.message}", file=sys.stderr)
    for f in result.unplaced:
        print(f"not read: {f['file']}: {f['reason']}", file=sys.stderr)
    loaded = [f for f in result.files if not f.already_loaded]
    warned = f"; {len(result.warnings)} warnings (status.json)" if result.warnings else ""
    print(
        f"{result.outcome}: {result.message} ({len(loaded)} new files{warned}; "
        f"stages {result.stages})"
    )
    if result.unplaced:  # so that cron mails someone
        return 1
    return 0 if result.outcome in ("published", "unchanged") else 1


def _export(args: argparse.Namespace, home: Home) -> int:
    from ipwh.export import period_frame, report_frame, write_report

    try:
        if args.year is not None:
            frame, vintage = report_frame(home.published, args.year, args.plan)
            name, title = str(args.year), f"荆州市知识产权主要指标 {args.year} 年"
        else:
            frame, vintage, name = period_frame(home.published, args.month or args.quarter)
            title = f"荆州市知识产权主要指标 {name}"
    except ValueError as err:
        print(f"ipwh export: {err}", file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else home.exports / f"jingzhou_ip_{name}.{args.format}"
    write_report(frame, vintage, args.format, title, out, home.exports)
    print(f"wrote {out}")
    return 0


def _assess(args: argparse.Namespace, home: Home) -> int:
    from ipwh.export import assessment_frame, write_report

    try:
        frame, vintage, plan_id, name = assessment_frame(home.published, args.plan)
    except ValueError as err:
        print(f"ipwh assess: {err}", file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else home.exports / f"assessment_{plan_id}.{args.format}"
    write_report(frame, vintage, args.format, f"{name} 终期评估", out, home.exports)
    met = frame.filter(frame["地区代码"] == "421000")["是否达标"].value_counts(sort=True)
    summary = ", ".join(f"{v} {n}" for v, n in met.iter_rows())
    print(f"wrote {out} ({name}: {summary})")
    return 0


def _status(args: argparse.Namespace, home: Home) -> int:
    from ipwh.warehouse import WarehouseUnavailable, latest_vintage, query

    status = {}
    if home.status_file.exists():
        status = json.loads(home.status_file.read_text(encoding="utf-8"))
    try:
        vintage = latest_vintage(home.published)
        status["published_vintage"] = {
            k: str(v)
            for k, v in vintage.items()
            if k in ("vintage_id", "published_at", "data_cutoff", "code_version")
        }
        age_h = (dt.datetime.now() - vintage["published_at"]).total_seconds() / 3600
        status["published_age_hours"] = round(age_h, 2)
        sources = query(
            home.published,
            "select kind, max(loaded_at) as last_loaded, count(*) as files "
            "from staging.stg_raw__manifest where status = 'accepted' group by kind order by kind",
        )
        status["sources"] = {
            r["kind"]: {
                "last_loaded": str(r["last_loaded"]),
                "files": r["files"],
                "age_hours": round(
                    (dt.datetime.now() - r["last_loaded"]).total_seconds() / 3600, 2
                ),
            }
            for r in sources.iter_rows(named=True)
        }
    except WarehouseUnavailable as err:
        status["published_vintage"] = None
        status["problem"] = str(err)
        age_h = float("inf")
    stale = age_h > args.max_age_hours
    status["stale"] = stale
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=1, default=str))
    else:
        v = status.get("published_vintage") or {}
        print(
            f"published vintage: {v.get('vintage_id', 'none')} "
            f"(cutoff {v.get('data_cutoff', '-')}, published {v.get('published_at', '-')})"
        )
        for key in ("last_success", "last_failure"):
            e = status.get(key)
            if e:
                print(f"{key.replace('_', ' ')}: {e['at']} {e['outcome']} {e['message']}")
        for f in (status.get("last_refresh") or {}).get("files_not_read", []):
            print(f"  not read: {f['file']}: {f['reason']}")
        for kind, src in status.get("sources", {}).items():
            print(
                f"  {kind:24} last file loaded {src['last_loaded']} "
                f"({src['age_hours']} h ago, {src['files']} files)"
            )
        if stale:
            print(f"STALE: older than {args.max_age_hours} h")
    return 1 if stale else 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ipwh", description="Jingzhou IP statistics warehouse")
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("demo", help="write demo landing files to the inbox")
    d.add_argument("--scale", choices=["city", "province", "national"], default="city")
    d.add_argument("--seed", type=int, default=42)
    i = sub.add_parser("ingest", help="load landing files into the raw layer")
    i.add_argument("paths", nargs="+")
    i.add_argument("--kind")
    i.add_argument("--sheet", help="XLSX sheet name (default: the first)")
    i.add_argument("--json", action="store_true")
    r = sub.add_parser("refresh", help="ingest the inbox, validate, build and publish")
    r.add_argument(
        "--accept-revision",
        metavar="REASON",
        help="publish although city figures move >20%% against the last vintage; "
        "REASON is recorded in the revision log",
    )
    r.add_argument(
        "--discard-corrupt-warehouse",
        action="store_true",
        help="move an unreadable published warehouse aside and publish anew",
    )
    e = sub.add_parser("export", help="write the provincial report: yearly, monthly, quarterly")
    period = e.add_mutually_exclusive_group(required=True)
    period.add_argument("--year", type=int)
    period.add_argument("--month", help="the monthly form, e.g. 2025-10")
    period.add_argument("--quarter", help="the quarterly form, e.g. 2025Q3")
    e.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    e.add_argument("--out")
    e.add_argument(
        "--plan", help="with --year: a plan's period or name (default: the plan the year is in)"
    )
    a = sub.add_parser("assess", help="a finished plan's final assessment (终期评估)")
    a.add_argument("--plan", required=True, help="the plan's period (2021-2025) or its name")
    a.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    a.add_argument("--out")
    s = sub.add_parser("status", help="published vintage, last refresh, staleness")
    s.add_argument("--json", action="store_true")
    s.add_argument("--max-age-hours", type=float, default=48.0)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    home = Home.from_env()
    handler = {
        "demo": _demo,
        "ingest": _ingest,
        "refresh": _refresh,
        "export": _export,
        "assess": _assess,
        "status": _status,
    }[args.command]
    return handler(args, home)


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
