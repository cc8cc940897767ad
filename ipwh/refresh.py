"""`ipwh refresh`: lock -> ingest inbox -> validate raw -> dbt build into a new file ->
validate marts -> record vintage -> publish with one os.replace.

Any failure leaves the published warehouse untouched and is written to status.json.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import importlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest.kinds import KINDS
from ingest.load import FileResult, connect_raw, ingest_file, unchanged_files
from ipwh import dbt_build, gate_process
from ipwh.faults import fault_point
from ipwh.paths import PROJECT_DIR, Home
from ipwh.validate import (
    ACCEPT_REVISION_EXPECTATION,
    RESULTS_DDL,
    ValidationReport,
    row_count_expectations,
    store_report,
)


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
    build_mode: str = ""  # full [(compaction: ...)] | delta: <kinds with new loads>
    delta_base: str = ""  # a delta's starting file: standby (updated in place) | copy
    runner: str = "process"  # process (the command's own) | service (`ipwh serve`'s child)


_preloading: threading.Thread | None = None

# Every connection to a build file (dbt's, through profiles.yml, and ours) turns DuckDB's
# vacuum off. A delta deletes and re-appends the rows of the rights it recomputes and adds a
# small row group to each incremental table; at each checkpoint the vacuum then merged row
# groups, rewriting hundreds of thousands of rows per large table: about 1 s of a province
# delta (docs/benchmarks.md). Deleted rows stay in the file instead, until a full build
# compacts it: when they reach COMPACT_AT_DELETED_SHARE of the stored rows.
BUILD_DB_CONFIG = {"max_vacuum_tasks": 0}
COMPACT_AT_DELETED_SHARE = 0.2


def connect_build(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), config=BUILD_DB_CONFIG)


def deleted_share(con: duckdb.DuckDBPyConnection) -> float:
    """Deleted rows still stored, as a share of all rows stored in the model tables (their
    estimated size counts both)."""
    tables = con.execute(
        "select schema_name, table_name, estimated_size from duckdb_tables() "
        "where database_name = current_database() "
        "and schema_name in ('staging', 'intermediate', 'marts') and estimated_size > 0"
    ).fetchall()
    if not tables:
        return 0.0
    counts = " union all ".join(
        f'select {size}::bigint as stored, count(*) as live from "{schema}"."{name}"'
        for schema, name, size in tables
    )
    stored, live = con.execute(f"select sum(stored), sum(live) from ({counts})").fetchone()
    return float(1 - live / stored) if stored else 0.0


def preload_imports() -> None:
    """Start the gate process (it imports great-expectations, 3-5 s) and import dbt (2-3 s,
    mostly Python) in a background thread, so both overlap the ingest instead of following
    it. A later import of dbt waits for this one to finish (Python's module locks)."""
    global _preloading
    gate_process.start()
    if _preloading is None:

        def load() -> None:
            for module in ("dbt.cli.main", "dbt.adapters.duckdb"):
                importlib.import_module(module)

        _preloading = threading.Thread(target=load, name="preload-imports")
        _preloading.start()


@contextmanager
def refresh_lock(home: Home) -> Iterator[None]:
    """One refresh at a time. flock dies with its process, so a killed refresh never
    leaves a lock behind that blocks the next one."""
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


def inbox_files(home: Home) -> list[Path]:
    files = []
    for kind in KINDS:
        folder = home.inbox / kind
        if folder.is_dir():
            files += sorted(
                p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "_"))
            )
    return files


def code_version() -> str:
    """git commit when available, plus a hash of the model code and parameters."""
    h = hashlib.sha256()
    for pattern in (
        "models/**/*.sql",
        "models/**/*.yml",
        "macros/**/*.sql",
        "seeds/**/*.csv",
        "tests/dbt/*.sql",
        "expectations/*.json",
        "dbt_project.yml",
    ):
        for p in sorted(PROJECT_DIR.glob(pattern)):
            h.update(p.read_bytes())
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            check=False,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{commit or 'nogit'}+{h.hexdigest()[:12]}"


def _fingerprint(raw: duckdb.DuckDBPyConnection, version: str) -> str:
    loads = raw.execute(
        "select string_agg(content_hash, ',' order by load_id) from raw_manifest "
        "where status = 'accepted'"
    ).fetchall()[0][0]
    return hashlib.sha256(f"{loads}|{version.split('+')[-1]}".encode()).hexdigest()[:16]


def validate_raw(raw: duckdb.DuckDBPyConnection) -> list[str]:
    """Every accepted file's rows are in its raw table or the quarantine, exactly."""
    problems = []
    for kind in KINDS:
        # one grouped count per table (a correlated count per file rescanned the table)
        rows = raw.execute(
            f"""
            with in_raw as (select _load_id as load_id, count(*) as n from raw_{kind} group by 1),
            in_q as (select load_id, count(*) as n from raw_quarantine group by 1)
            select m.file_name, m.rows_read, m.rows_loaded, m.rows_quarantined,
                   coalesce(in_raw.n, 0), coalesce(in_q.n, 0)
            from raw_manifest m
            left join in_raw using (load_id)
            left join in_q using (load_id)
            where m.kind = ? and m.status = 'accepted'
            """,
            [kind],
        ).fetchall()
        for name, read, loaded, quarantined, in_raw, in_q in rows:
            if read != loaded + quarantined or loaded != in_raw or quarantined != in_q:
                problems.append(
                    f"{name}: read {read}, loaded {loaded} ({in_raw} in raw_{kind}), "
                    f"quarantined {quarantined} ({in_q} in quarantine)"
                )
    return problems


def _start_raw_gate(home: Home, accepted: list[tuple], delta: dict | None) -> Future:
    """The raw gate, started in the gate process: every raw table on a full build; on a
    delta only the new loads (earlier ones passed the same suites when they arrived). It
    renders its Data Docs pages too, while dbt builds."""
    checked = {i for ids in delta.values() for i in ids} if delta else None
    counts = dict.fromkeys(delta or KINDS, 0)
    for load_id, _, kind, rows in accepted:
        if checked is None or load_id in checked:
            counts[kind] += rows
    only = (
        {f"raw_{k}": f"_load_id in ({', '.join(map(str, ids))})" for k, ids in delta.items()}
        if delta
        else None
    )
    return gate_process.submit(
        home.raw_db,
        "raw",
        home.root,
        extra=row_count_expectations(counts),
        only=only,
    )


def _wait_quietly(gate: Future) -> None:
    # its failure is reported where its result is read; here only its end is awaited
    with contextlib.suppress(Exception):
        gate.result()


def _passed_raw_gate(gate: Future, result: RefreshResult) -> ValidationReport:
    report = gate.result()
    result.stages["validate_raw"] = report.seconds
    if not report.success:
        raise RefreshError("validate_raw", report.summary())
    fault_point("after_validate_raw")
    return report


def run_dbt(build_path: Path, home: Home, select: list[str] | None = None) -> str:
    """dbt build in-process (saves ~2 s of CLI start-up per call); `select` limits a delta
    build to the models downstream of what changed. No `--vars`: a var whose value changes
    makes dbt parse the whole project anew (a delta's boundary is in the build instead)."""
    from dbt.cli.main import dbtRunner

    dbt_build.set_profile_env(home, build_path)
    dbt_build.cheap_behavior_flag_source()
    target = dbt_build.target_path(home)
    dbt_build.keep_parse_of_this_tree(target)
    # unit tests test the code, not the data: they run in the test suite, not in every refresh
    args = ["build", *dbt_build.common_args(home),
            "--exclude-resource-type", "unit_test", "--quiet",
            # manifest.json, written twice per build, is 0.5 s a refresh; run_results.json
            # (kept for operators) is written below
            "--no-write-json"]  # fmt: skip
    if select:
        args += ["--select", *select]
    try:
        # in a child of the refresh service: its parse, made once (None: dbt parses)
        result = dbtRunner(manifest=dbt_build.parsed_manifest(home, build_path)).invoke(args)
    finally:
        _release_dbt_duckdb()
    if hasattr(result.result, "write"):  # failed builds too: which nodes failed, and how
        result.result.write(str(target / "run_results.json"))
    if not result.success:
        failures = []
        for r in getattr(result.result, "results", None) or []:
            if str(r.status) in ("error", "fail"):
                failures.append(f"{r.node.name}: {(r.message or '').strip()[:300]}")
        detail = "; ".join(failures) or str(result.exception or "dbt build failed")
        raise RefreshError("build", detail)
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    return results["metadata"]["invocation_id"]


def delta_loads(published: tuple | None, accepted: list[tuple], version: str) -> dict | None:
    """Record kind -> its new load ids, when the published vintage (code_version,
    source_files_json) can be extended in place: same model code (and expectations), and its
    loads (id and content hash) are exactly the first of the `accepted` ones (load_id,
    content_hash, kind, rows_loaded), so only loads were added. None: build anew."""
    if not published or not same_model_code(published[0], version):
        return None
    built = [(f.get("load_id"), f["sha256"]) for f in json.loads(published[1])]
    if not built or [(i, h) for i, h, *_ in accepted[: len(built)]] != built:
        return None
    loads: dict[str, list[int]] = {}
    for load_id, _, kind, _ in accepted[len(built) :]:
        loads.setdefault(kind, []).append(load_id)
    return dict(sorted(loads.items()))


def same_model_code(version: str, other: str) -> bool:
    """Two code_version()s build the same warehouse: the models' hash (the part after the
    git commit) is equal."""
    return version.split("+")[-1] == other.split("+")[-1]


def start_delta_build(
    con: duckdb.DuckDBPyConnection, kinds: list[str], after_load_id: int
) -> list[str]:
    """Prepare the delta's starting file (`con`, see _DeltaBase), with the last
    load it was built from in `build_state.delta_boundary` (the macro
    `delta_after_load_id()` reads it; a full build has none: every load is new). It is
    data, not a dbt var: dbt parses the whole project anew whenever a var's value changes
    (2-3 s a build), and this one changes with every delivery. Returns the dbt selection:
    each changed kind's staging model and everything downstream of it (the incremental
    staging models take only the new loads), plus the manifest and quarantine reports. The
    rest is unchanged input, hence unchanged output, and stays as published."""
    # meta (vintages, their figures and gate results) stays: it only ever grows, and
    # record_vintage adds what this file lacks
    con.execute("create schema if not exists build_state")
    con.execute(
        "create or replace table build_state.delta_boundary as select ?::integer as after_load_id",
        [after_load_id],
    )
    return [f"stg_raw__{k}+" for k in kinds] + [
        "stg_raw__manifest+",
        "stg_raw__quarantine+",
    ]


class _DeltaBase:
    """The file a delta build starts from, at the build path. Preferably the standby (the
    vintage before the published one, kept by `publish`), renamed into place and brought up
    to date with every load since its own vintage: no copy. At province scale the copy of
    the published file wrote 0.9-1.3 GB per delivery (2-3.5 s of a core, and as much again
    for the kernel to write it back). Otherwise a copy of the published file, made in a
    thread started as soon as a new file is found, so it overlaps the ingest. A full build
    discards either."""

    def __init__(self, home: Home, build_path: Path, wanted: bool, version: str) -> None:
        self.home, self.build_path, self.wanted = home, build_path, wanted
        self.version = version  # code_version() of this refresh
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="warehouse-copy")
        self.copying: Future | None = None
        self.standby_vintage: tuple | None = None
        self.started = False

    def start(self) -> None:
        if not self.wanted or self.started or not self.home.published.exists():
            return
        self.started = True
        vintage = _usable_standby(self.home)
        # another code's vintage (the first delta after an upgrade) cannot be extended: the
        # copy starts now, beside the ingest, rather than once that is found out
        if vintage and same_model_code(vintage[0], self.version):
            self.standby_vintage = vintage
        else:
            self.build_path.parent.mkdir(parents=True, exist_ok=True)
            self.copying = self.pool.submit(shutil.copyfile, self.home.published, self.build_path)

    def result(self, accepted: list[tuple], delta: dict) -> tuple[dict, str]:
        """Puts the starting file at the build path. Returns (the loads it lacks, by kind;
        where it came from: standby | copy)."""
        self.start()
        if self.standby_vintage is not None:
            behind = delta_loads(self.standby_vintage, accepted, self.version)
            if behind:
                os.replace(self.home.standby, self.build_path)
                return behind, "standby"
            self.copying = self.pool.submit(shutil.copyfile, self.home.published, self.build_path)
        if self.copying is None:
            self.build_path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.home.published, self.build_path)
        else:
            self.copying.result()
        return delta, "copy"

    def discard(self) -> None:
        """Waits for a running copy (no copy may write the file once it is removed)."""
        self.pool.shutdown(wait=True)
        self.copying = None
        for p in (self.build_path, self.build_path.with_suffix(".duckdb.wal")):
            p.unlink(missing_ok=True)


def _usable_standby(home: Home) -> tuple | None:
    """The standby's vintage (code_version, source_files_json), if it may be updated in
    place: no other name links its inode (a publish interrupted between linking and
    renaming leaves it shared with the published file, which must never be written), no
    reader holds it (one that opened the published file before it was replaced), and it
    is not due for compaction."""
    try:
        if home.standby.stat().st_nlink != 1:
            return None
        with duckdb.connect(str(home.standby)) as con:  # read-write: fails while read
            rows = con.execute(
                "select code_version, source_files_json from meta.vintages "
                "order by published_at desc limit 1"
            ).fetchall()
            # the file before a compaction: copying the compacted one is cheaper than
            # compacting again
            if deleted_share(con) >= COMPACT_AT_DELETED_SHARE:
                return None
    except (OSError, duckdb.Error):
        return None
    return rows[0] if rows else None


def _release_dbt_duckdb() -> None:
    """dbt-duckdb keeps its DuckDB instance (with raw.duckdb attached) open for the life of
    the process; close it so the build file checkpoints and raw.duckdb can be written again."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


VINTAGE_DDL = """
create schema if not exists meta;
create table if not exists meta.vintages (
    vintage_id varchar primary key,
    published_at timestamp,
    data_cutoff date,
    fingerprint varchar,
    code_version varchar,
    dbt_vars_json varchar,
    source_files_json varchar,
    population_sources varchar,
    rows_loaded bigint,
    rows_quarantined bigint,
    dbt_invocation_id varchar
);
create table if not exists meta.indicator_history (
    vintage_id varchar,
    indicator_code varchar,
    unit_code varchar,
    report_year integer,
    value double,
    numerator double
);
create table if not exists meta.revisions (
    vintage_id varchar,
    previous_vintage_id varchar,
    indicator_code varchar,
    unit_code varchar,
    report_year integer,
    old_value double,
    new_value double,
    reason varchar
);
"""


def prepare_previous_values(
    con: duckdb.DuckDBPyConnection, home: Home, published: Published | None
) -> None:
    """meta.previous_values: the last published vintage's figures, for the jump check."""
    con.execute(VINTAGE_DDL)
    con.execute(
        "create or replace table meta.previous_values as "
        "select indicator_code, unit_code, report_year, value from meta.indicator_history limit 0"
    )
    if published is None:
        return
    con.execute(f"attach '{home.published}' as previous (read_only)")
    try:
        con.execute(
            """insert into meta.previous_values
               select indicator_code, unit_code, report_year, value
               from previous.meta.indicator_history
               where vintage_id = (select vintage_id from previous.meta.vintages
                                   order by published_at desc limit 1)"""
        )
    finally:
        con.execute("detach previous")


def record_vintage(
    con: duckdb.DuckDBPyConnection,
    home: Home,
    vintage_id: str,
    fingerprint: str,
    version: str,
    revision_reason: str | None = None,
    dbt_invocation_id: str | None = None,
) -> None:
    """Carry earlier vintages over from the published file, then add this one and its
    revisions against the previous vintage. Only what this file lacks is carried: a delta's
    file holds the meta of the vintage it was built from (meta is append-only), and copying
    every vintage's figures again grew with the history (0.07 s a refresh at 76 vintages)."""
    con.execute(VINTAGE_DDL)
    con.execute(RESULTS_DDL)
    previous = None
    if home.published.exists():
        con.execute(f"attach '{home.published}' as previous (read_only)")
        carried = {
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where database_name = 'previous' "
                "and schema_name = 'meta'"
            ).fetchall()
        }
        if "vintages" in carried:
            con.execute(
                "create temp table missing_vintages as select vintage_id "
                "from previous.meta.vintages except select vintage_id from meta.vintages"
            )
            for table in ("vintages", "indicator_history", "revisions"):
                if table in carried:
                    con.execute(
                        f"insert into meta.{table} by name select * from previous.meta.{table} "
                        "where vintage_id in (select vintage_id from missing_vintages)"
                    )
            con.execute("drop table missing_vintages")
            if "validation_results" in carried:
                con.execute(
                    "insert into meta.validation_results by name select * "
                    "from previous.meta.validation_results as p where p.run_id not in "
                    "(select distinct run_id from meta.validation_results)"
                )
            row = con.execute(
                "select vintage_id from meta.vintages order by published_at desc limit 1"
            ).fetchall()
            previous = row[0][0] if row else None
        con.execute("detach previous")
    con.execute(f"attach '{home.raw_db}' as rawdb (read_only)")
    manifest = con.execute(
        "select file_name, content_hash, rows_loaded, rows_quarantined, load_id "
        "from rawdb.raw_manifest where status = 'accepted' order by load_id"
    ).fetchall()
    cutoff = con.execute(
        "select greatest(max(grant_date), max(application_date)) from staging.stg_raw__patents"
    ).fetchall()[0][0]
    pop_sources = con.execute(
        "select string_agg(distinct population_source, '; ') from staging.stg_raw__population"
    ).fetchall()[0][0]
    con.execute("detach rawdb")
    dbt_vars = _dbt_vars()
    con.execute(
        "insert into meta.vintages values (?, now()::timestamp, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            vintage_id,
            cutoff,
            fingerprint,
            version,
            json.dumps(dbt_vars),
            json.dumps(
                [{"file": f, "sha256": h, "load_id": i} for f, h, _, _, i in manifest],
                ensure_ascii=False,
            ),
            pop_sources,
            sum(m[2] for m in manifest),
            sum(m[3] for m in manifest),
            dbt_invocation_id,
        ],
    )
    con.execute(
        "insert into meta.indicator_history select ?, indicator_code, unit_code, report_year, "
        "value, numerator from marts.fct_indicator_values",
        [vintage_id],
    )
    if previous:
        con.execute(
            """
            insert into meta.revisions
            select ?, ?, n.indicator_code, n.unit_code, n.report_year, o.value, n.value, ?
            from meta.indicator_history n
            join meta.indicator_history o
              on o.vintage_id = ? and n.indicator_code = o.indicator_code
             and n.unit_code = o.unit_code and n.report_year = o.report_year
            where n.vintage_id = ? and n.value is distinct from o.value
            """,
            [
                vintage_id,
                previous,
                revision_reason or "late or corrected records in a new delivery, or a code change",
                previous,
                vintage_id,
            ],
        )


def _dbt_vars() -> dict:
    import yaml

    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text()).get("vars", {})


def publish(build_path: Path, home: Home) -> None:
    """Atomic: readers see the old file or the new one, never a half-written one. The
    replaced file stays as the standby (see _DeltaBase), linked before the rename so it is
    never missing; an older standby goes."""
    if home.published.exists():
        linking = home.standby.with_suffix(".linking")
        linking.unlink(missing_ok=True)
        try:
            os.link(home.published, linking)
            os.replace(linking, home.standby)
        except OSError:  # no hard links here: the next delta copies
            linking.unlink(missing_ok=True)
    os.replace(build_path, home.published)
    dir_fd = os.open(home.root, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_status(home: Home, result: RefreshResult) -> None:
    status = {}
    if home.status_file.exists():
        try:
            status = json.loads(home.status_file.read_text(encoding="utf-8"))
        except ValueError:
            status = {}
    now = dt.datetime.now().isoformat(timespec="seconds")
    entry = {
        "at": now,
        "outcome": result.outcome,
        "vintage_id": result.vintage_id,
        "message": result.message,
        # full [(compaction: ...)] | delta: <kinds>; none if no build
        "build_mode": result.build_mode or None,
        "delta_base": result.delta_base or None,  # standby | copy; none unless a delta
        "runner": result.runner,
        "stages_s": result.stages,
    }
    status["last_refresh"] = entry
    if result.outcome == "failed":
        status["last_failure"] = entry
    else:
        status["last_success"] = entry
    tmp = home.status_file.with_suffix(".tmp")
    try:
        tmp.write_text(json.dumps(status, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, home.status_file)
    except OSError as err:  # a full or read-only disk must not hide the refresh's own outcome
        print(f"ipwh: could not write {home.status_file}: {err}", file=sys.stderr)


@dataclass(frozen=True)
class Published:
    """The published warehouse's latest vintage, read once per refresh (under the refresh
    lock nothing else replaces the file): opening it is 15-20 ms at city scale, and a
    refresh asked four times."""

    fingerprint: str
    code_version: str
    source_files_json: str
    deleted_share: float  # of its stored rows (compaction, COMPACT_AT_DELETED_SHARE)


def check_published(home: Home, discard_corrupt: bool) -> Published | None:
    """The published vintage (None: no file or no vintage yet). A published file that
    cannot be read stops the refresh (nothing is overwritten) unless the operator asks to
    move it aside."""
    if not home.published.exists():
        return None
    try:
        with duckdb.connect(str(home.published), read_only=True) as con:
            rows = con.execute(
                "select fingerprint, code_version, source_files_json from meta.vintages "
                "order by published_at desc limit 1"
            ).fetchall()
            return Published(*rows[0], deleted_share(con)) if rows else None
    except duckdb.Error as err:
        if not discard_corrupt:
            raise RefreshError(
                "check_published",
                f"the published warehouse {home.published} cannot be read ({err}). It was "
                "left as it is. To recover, run `ipwh refresh --discard-corrupt-warehouse`: "
                "it moves the file aside (its vintage history stays in the moved file) and "
                "publishes a new vintage from the raw layer.",
            ) from err
        aside = home.root / f"warehouse.corrupt-{dt.datetime.now():%Y%m%dT%H%M%S}.duckdb"
        os.replace(home.published, aside)
        return None


def clear_stale_builds(home: Home) -> None:
    """Build files left by a killed refresh are garbage once we hold the lock."""
    if home.build_dir.exists():
        for p in [*home.build_dir.glob("building.duckdb*"), home.standby.with_suffix(".linking")]:
            # building.duckdb.tmp is the folder DuckDB spills to past its memory limit
            shutil.rmtree(p) if p.is_dir() else p.unlink(missing_ok=True)


def _build_validate_publish(
    home: Home,
    result: RefreshResult,
    base: _DeltaBase,
    accepted: list[tuple],
    delta: dict | None,
    fingerprint: str,
    version: str,
    accept_revision: str | None,
    vintage_id: str,
    published: Published | None,
    compaction: str = "",
) -> None:
    """dbt builds into the build path (on a delta, from the standby or a copy of the
    published file: _DeltaBase) while the raw gate runs in the gate process; then the
    marts gate, the vintage, and the rename. Any failure is a RefreshError naming its
    stage."""
    build_path = base.build_path
    stage = "validate_raw"
    docs: Future | None = None
    try:
        # the raw gate runs in the gate process while dbt builds; nothing is published
        # unless it passes, and a failed gate is reported before a failed build (bad
        # input is the likelier cause of both)
        raw_gate = _start_raw_gate(home, accepted, delta)
        try:
            stage, t = "build", time.perf_counter()
            fault_point("before_build")
            # no dbt vars: dbt's parse then holds from one build to the next, delta or full
            select = None
            if delta:
                behind, result.delta_base = base.result(accepted, delta)
            with connect_build(build_path) as con:
                # the last vintage's figures, for the marts gate's jump check: taken now,
                # as dbt does not touch them, rather than between the build and the gate
                prepare_previous_values(con, home, published)
                if delta:
                    # the right timelines recompute the rights the loads after this one
                    # touched
                    after = min(min(ids) for ids in behind.values()) - 1
                    select = start_delta_build(con, list(behind), after)
                con.execute("force checkpoint")
            result.build_mode = "delta: " + ", ".join(delta) if delta else "full" + compaction
            try:
                invocation = run_dbt(build_path, home, select)
            except RefreshError:
                _passed_raw_gate(raw_gate, result)
                raise
            fault_point("after_build")
            result.stages["build"] = round(time.perf_counter() - t, 2)
            stage = "validate_raw"
            raw_report = _passed_raw_gate(raw_gate, result)
            stage, t = "validate_marts", time.perf_counter()
            # the mart rules (no negative value, per-10k = count ÷ population, city ≥
            # unit) are checked once in dbt (constraints of the tables, data tests) and
            # once by the GX suite
            skip = {ACCEPT_REVISION_EXPECTATION} if accept_revision else set()
            marts_report = gate_process.submit(
                build_path, "marts", home.root, skip=skip, build_docs=False
            ).result()
            # its Data Docs (failures too) render in the gate process while this one
            # records the vintage: 0.18 s at city scale with the raw gate's pages, which
            # that gate now renders while dbt builds
            docs = gate_process.submit_docs(home.root, (marts_report,))
            if not marts_report.success:
                raise RefreshError(stage, marts_report.summary())
            fault_point("after_validate_marts")
            with connect_build(build_path) as con:
                record_vintage(
                    con, home, vintage_id, fingerprint, version, accept_revision, invocation
                )
                store_report(con, raw_report)
                store_report(con, marts_report)
                con.execute("drop schema if exists build_state cascade")  # a build's own
                fault_point("after_record_vintage")
                # dbt-duckdb may still hold this database open in-process, so closing
                # our connection need not checkpoint: force it, or the WAL (and with it
                # the vintage) would be left behind by the rename.
                con.execute("force checkpoint")
            wal = build_path.with_suffix(".duckdb.wal")
            if wal.exists() and wal.stat().st_size:
                raise RefreshError("publish", f"{wal.name} not checkpointed")
            docs.result()
            result.stages["validate_marts"] = round(time.perf_counter() - t, 2)
            stage = "publish"
            fault_point("before_publish")
            publish(build_path, home)
            fault_point("after_publish")
        finally:
            _wait_quietly(raw_gate)  # it reads raw.duckdb until done
            if docs is not None:
                _wait_quietly(docs)  # it writes the Data Docs until done
    except RefreshError:
        raise
    except Exception as err:
        raise RefreshError(stage, f"{type(err).__name__}: {err}") from err


def refresh(
    home: Home,
    accept_revision: str | None = None,
    discard_corrupt: bool = False,
    full: bool = False,
    runner: str = "process",
) -> RefreshResult:
    """accept_revision: the reason a delivery legitimately moves published figures by
    more than the jump check allows (recorded in meta.revisions). full: rebuild every
    model from the raw layer even when the published vintage could be extended. runner:
    recorded in the status (service: a child of `ipwh serve`)."""
    result = RefreshResult("failed", runner=runner)
    stage = "lock"
    try:
        with refresh_lock(home):
            fault_point("after_lock")
            stage = "check_published"
            published = check_published(home, discard_corrupt)
            clear_stale_builds(home)
            # one fixed build path keeps dbt's profile unchanged, so partial parsing works
            build_path = dbt_build.build_path(home)
            version = code_version()
            base = _DeltaBase(home, build_path, wanted=not full, version=version)

            def on_new_load() -> None:
                # new data: the gates and dbt will run; their imports and the warehouse copy
                # a delta starts from begin as the file does
                preload_imports()
                base.start()

            try:
                stage = "ingest"
                t = time.perf_counter()
                raw = connect_raw(home.raw_db)
                try:
                    unchanged = unchanged_files(raw)
                    for path in inbox_files(home):
                        result.files.append(
                            ingest_file(raw, path, on_new_load=on_new_load, unchanged=unchanged)
                        )
                        fault_point("after_ingest_file")
                    fault_point("after_ingest")
                    result.stages["ingest"] = round(time.perf_counter() - t, 2)
                    stage, t = "validate_raw", time.perf_counter()
                    problems = validate_raw(raw)
                    if problems:
                        raise RefreshError(stage, "; ".join(problems))
                    fingerprint = _fingerprint(raw, version)
                    accepted = raw.execute(
                        "select load_id, content_hash, kind, rows_loaded from raw_manifest "
                        "where status = 'accepted' order by load_id"
                    ).fetchall()
                finally:
                    raw.close()
                built = published and (published.code_version, published.source_files_json)
                delta = None if full else delta_loads(built, accepted, version)
                if published and fingerprint == published.fingerprint:
                    result.stages["validate_raw"] = round(time.perf_counter() - t, 2)
                    result.outcome, result.message = "unchanged", "no new data and no code change"
                    write_status(home, result)
                    return result
                compaction = ""
                if delta and (share := published.deleted_share) >= COMPACT_AT_DELETED_SHARE:
                    delta, compaction = None, f" (compaction: {share:.0%} of stored rows deleted)"
                home.build_dir.mkdir(parents=True, exist_ok=True)
                vintage_id = dt.datetime.now().strftime("v%Y%m%dT%H%M%S%f")[:-3]
                if not delta:
                    base.discard()  # a full build starts from an empty file
                _build_validate_publish(
                    home, result, base, accepted, delta, fingerprint, version, accept_revision,
                    vintage_id, published, compaction,
                )  # fmt: skip
                result.outcome, result.vintage_id = "published", vintage_id
                result.message = f"published {vintage_id}"
            finally:
                base.discard()
    except LockBusy as err:
        result.message = str(err)
        return result  # the running refresh owns the status file
    except RefreshError as err:
        result.message = str(err)
    except Exception as err:  # any other failure: keep the last vintage, say why
        result.message = f"{stage}: {type(err).__name__}: {err}"
    write_status(home, result)
    return result
