"""`ipwh refresh`, top to bottom: lock → ingest the inbox → raw checks → dbt build into a new
file → marts gate → record the vintage → atomic publish.

Any failure leaves the published warehouse as it was, names its stage, and is written to
status.json. When no new file arrived and the code is the same, nothing is rebuilt.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ingest.kinds import KINDS
from ingest.load import FileResult, connect_raw, ingest_file
from ingest.read import READABLE_SUFFIXES
from ipwh import validate, vintages
from ipwh.faults import fault_point
from ipwh.paths import PROJECT_DIR, Home


class RefreshError(Exception):
    def __init__(self, stage: str, message: str):
        super().__init__(f"{stage}: {message}")
        self.stage = stage


class LockBusy(Exception):
    pass


@dataclass
class RefreshResult:
    outcome: str  # published | unchanged | failed
    vintage_id: str | None = None
    files: list[FileResult] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    message: str = ""
    # checks that warned: {"check": expectation id or dbt test, "observed": what it found}
    warnings: list[dict] = field(default_factory=list)
    unplaced: list[dict] = field(default_factory=list)  # inbox files not read, with the reason


Say = Callable[[str], None]  # a progress line (the CLI on a terminal); None: silent


def refresh(
    home: Home,
    accept_revision: str | None = None,
    discard_corrupt: bool = False,
    say: Say | None = None,
) -> RefreshResult:
    """accept_revision: why a delivery may move published figures by more than the jump
    check allows (recorded in meta.revisions). discard_corrupt: move an unreadable published
    file aside instead of stopping. say: where progress goes (the CLI on a terminal)."""
    result = RefreshResult("failed")
    stage = "lock"
    try:
        with refresh_lock(home):
            fault_point("after_lock")
            stage = "check_published"
            published = vintages.published_vintage(home, discard_corrupt)
            clear_stale_builds(home)
            version = code_version()

            stage = "ingest"
            with timed(result, stage, say):
                fingerprint = ingest_inbox(home, result, version, say)
            fault_point("after_ingest")
            if published and published.fingerprint == fingerprint:
                result.outcome, result.message = "unchanged", "no new data and no code change"
                write_status(home, result)
                return result

            stage = "validate_raw"
            with timed(result, stage, say):
                raw_report = validate.run_suites(
                    home.raw_db, "raw", home.root, validate.reconciliation_expectations()
                )
            gate_passed(raw_report, result)
            fault_point("after_validate_raw")

            stage = "build"
            build = home.build_dir / "building.duckdb"
            fault_point("before_build")
            with timed(result, stage, say):
                vintages.carry_history(build, home)  # the jump check reads the last figures
                invocation = run_dbt(build, home, result, say)
            fault_point("after_build")

            stage = "validate_marts"
            skip = {validate.JUMP_CHECK_ID} if accept_revision else set()
            with timed(result, stage, say):
                marts_report = validate.run_suites(build, "marts", home.root, skip=skip)
            gate_passed(marts_report, result)
            fault_point("after_validate_marts")

            stage = "record_vintage"
            vintage_id = dt.datetime.now().strftime("v%Y%m%dT%H%M%S%f")[:-3]
            vintages.record_vintage(
                build, home, vintage_id, fingerprint, version, accept_revision, invocation,
                (raw_report, marts_report),
            )  # fmt: skip
            fault_point("after_record_vintage")

            stage = "publish"
            fault_point("before_publish")
            publish(build, home)
            fault_point("after_publish")
            result.outcome, result.vintage_id = "published", vintage_id
            result.message = f"published {vintage_id}"
    except LockBusy as err:
        result.message = str(err)
        return result  # the running refresh owns the status file
    except RefreshError as err:
        result.message = str(err)
    except vintages.CorruptWarehouse as err:
        result.message = f"{stage}: {err}"
    except Exception as err:  # any other failure: keep the last vintage, say why
        result.message = f"{stage}: {type(err).__name__}: {err}"
    write_status(home, result)
    return result


@contextmanager
def refresh_lock(home: Home) -> Iterator[None]:
    """One refresh (or ingest) at a time. flock dies with its process, so a killed refresh
    never leaves a lock behind that blocks the next one."""
    home.root.mkdir(parents=True, exist_ok=True)
    fh = home.lock.open("a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as err:
        fh.seek(0)
        holder = fh.read().strip() or "unknown"
        fh.close()
        raise LockBusy(f"another refresh is running ({holder}); try again when it ends") from err
    fh.seek(0)
    fh.truncate()
    fh.write(f"pid {os.getpid()} since {dt.datetime.now().isoformat(timespec='seconds')}")
    fh.flush()
    try:
        yield
    finally:
        fh.truncate(0)
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


@contextmanager
def timed(result: RefreshResult, stage: str, say: Say | None = None) -> Iterator[None]:
    if say:
        say(f"{stage} …")
    start = time.perf_counter()
    try:
        yield
    finally:
        result.stages[stage] = round(time.perf_counter() - start, 2)


def clear_stale_builds(home: Home) -> None:
    """Build files a killed refresh left are garbage once we hold the lock (the .tmp folder
    is where DuckDB spills past its memory limit)."""
    home.build_dir.mkdir(parents=True, exist_ok=True)
    for p in home.build_dir.glob("building.duckdb*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()


def inbox_files(home: Home) -> tuple[list[tuple[Path, str]], list[dict]]:
    """(path, kind) of every file under a kind's folder of the inbox (subfolders included),
    and every other file with the reason it is not read: none is silently ignored. Names
    starting with `.` or `_` are skipped on purpose (editors' and copy tools' temporaries)."""
    files, unplaced = [], []
    if not home.inbox.is_dir():
        return files, unplaced
    for path in sorted(home.inbox.rglob("*")):
        parts = path.relative_to(home.inbox).parts
        if not path.is_file() or any(p.startswith((".", "_")) for p in parts):
            continue
        if len(parts) == 1:
            reason = "at the inbox root, not in a kind's folder"
        elif parts[0] not in KINDS:
            reason = f"unknown folder '{parts[0]}' (kinds: {', '.join(KINDS)})"
        elif path.suffix.lower() not in READABLE_SUFFIXES:
            reason = f"unsupported extension '{path.suffix}' (read: {', '.join(READABLE_SUFFIXES)})"
        else:
            files.append((path, parts[0]))
            continue
        unplaced.append({"file": str(path), "reason": reason})
    return files, unplaced


def ingest_inbox(home: Home, result: RefreshResult, version: str, say: Say | None = None) -> str:
    """Load every new inbox file into the raw layer; returns the fingerprint of what a build
    would now be made of: the accepted loads and the model code."""
    files, result.unplaced = inbox_files(home)
    raw = connect_raw(home.raw_db)  # discards loads a killed ingest left half-written
    try:
        for path, kind in files:
            result.files.append(ingest_file(raw, path, kind, progress=ingest_progress(say, path)))
            fault_point("after_ingest_file")
        loads = raw.execute(
            "select string_agg(content_hash, ',' order by load_id) from raw_manifest "
            "where status = 'accepted'"
        ).fetchall()[0][0]
    finally:
        raw.close()
    return hashlib.sha256(f"{loads}|{version.split('+')[-1]}".encode()).hexdigest()[:16]


def ingest_progress(say: Say | None, path: Path):
    """A progress callback for ingesting `path`: rows, rate and ETA (the total estimated from
    the first MiB's lines), told to `say`; none without `say`."""
    if not say or not path.is_file():
        return None
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    expected_rows = path.stat().st_size / max(len(head) / max(head.count(b"\n"), 1), 1)

    def show(name: str, rows: int, seconds: float) -> None:
        rate = rows / max(seconds, 1e-9)
        eta = max(expected_rows - rows, 0) / rate if rate else 0.0
        say(f"ingest {name}: {rows:,} rows, {rate:,.0f} rows/s, ETA {eta:,.0f} s")

    return show


def gate_passed(report: validate.ValidationReport, result: RefreshResult) -> None:
    result.warnings += [
        {"check": o.expectation_id, "observed": o.observed} for o in report.warnings
    ]
    if not report.success:
        raise RefreshError(f"validate_{report.stage}", report.summary())


def code_version() -> str:
    """git commit when available, plus a hash of what a build is made of besides the data."""
    h = hashlib.sha256()
    for pattern in ("models/**/*.sql", "models/**/*.yml", "macros/**/*.sql",
                    "seeds/**/*.csv", "tests/dbt/*.sql", "expectations/*.json",
                    "dbt_project.yml"):  # fmt: skip
        for p in sorted(PROJECT_DIR.glob(pattern)):
            h.update(p.read_bytes())
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT_DIR, capture_output=True, text=True, check=False, timeout=5,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{commit or 'nogit'}+{h.hexdigest()[:12]}"


def dbt_args(home: Home, command: str, *more: str) -> list[str]:
    """A dbt command on this project for this home (target and logs under the home). dbt's
    saved parse holds the project's absolute paths: one target folder per code tree."""
    tree = hashlib.sha256(str(PROJECT_DIR).encode()).hexdigest()[:8]
    return [command, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(home.build_dir / f"dbt-target-{tree}"),
            "--log-path", str(home.logs), *more]  # fmt: skip


def run_dbt(build: Path, home: Home, result: RefreshResult, say: Say | None = None) -> str:
    """`dbt build` into `build`, in this process (dbt's programmatic API). Unit tests check
    the code, not the data: the test suite runs them, not every refresh. Tests of severity
    warn that found rows become the refresh's warnings. Returns dbt's invocation id."""
    from dbt.cli.main import dbtRunner
    from dbt_common.invocation import get_invocation_id

    os.environ.update(
        IPWH_BUILD_PATH=str(build),
        IPWH_RAW_PATH=str(home.raw_db),
        DBT_SEND_ANONYMOUS_USAGE_STATS="False",
    )
    args = dbt_args(home, "build", "--exclude-resource-type", "unit_test", "--quiet")

    def count(event) -> None:  # from dbt's own events: "build: 12 of 139 started"
        if event.info.name == "LogStartLine" and getattr(event.data, "total", 0):
            say(f"build: {event.data.index} of {event.data.total} started")

    run = dbtRunner(callbacks=[count] if say else []).invoke(args)
    results = getattr(run.result, "results", None) or []
    if not run.success:
        failures = [
            f"{r.node.name}: {(r.message or '').strip()[:300]}"
            for r in results
            if str(r.status) in ("error", "fail")
        ]
        detail = "; ".join(failures) or str(run.exception or "dbt build failed")
        raise RefreshError("build", detail)
    result.warnings += [
        {"check": r.node.name, "observed": f"{r.failures} rows"}
        for r in results
        if str(r.status) == "warn"
    ]
    return get_invocation_id()


def publish(build: Path, home: Home) -> None:
    """Atomic: a reader opens the old file or the new one, never a half-written one."""
    if build.with_suffix(".duckdb.wal").exists():
        raise RefreshError("publish", f"{build.name} has an unwritten log; not published")
    os.replace(build, home.published)
    dir_fd = os.open(home.root, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a power cut
    finally:
        os.close(dir_fd)


def write_status(home: Home, result: RefreshResult) -> None:
    """status.json: the last refresh, the last success and the last failure."""
    status = {}
    if home.status_file.exists():
        try:
            status = json.loads(home.status_file.read_text(encoding="utf-8"))
        except ValueError:
            status = {}
    entry = {
        "at": dt.datetime.now().isoformat(timespec="seconds"),
        "outcome": result.outcome,
        "vintage_id": result.vintage_id,
        "message": result.message,
        "warnings": result.warnings,
        "files_not_read": result.unplaced,
        "stages_s": result.stages,
    }
    status["last_refresh"] = entry
    status["last_failure" if result.outcome == "failed" else "last_success"] = entry
    tmp = home.status_file.with_suffix(".tmp")
    try:
        tmp.write_text(json.dumps(status, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, home.status_file)
    except OSError as err:  # a full or read-only disk must not hide the refresh's own outcome
        print(f"ipwh: could not write {home.status_file}: {err}", file=sys.stderr)
