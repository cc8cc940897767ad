"""Load landing files into the raw layer (`raw.duckdb`): every row loaded or quarantined with
its reason, one manifest row per file; a file becomes visible whole or not at all."""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import polars as pl

from ingest import manifest
from ingest.headers import map_headers
from ingest.kinds import KINDS, Kind
from ingest.normalise import DUCKDB_TYPES, fold_names, indicator_lookup
from ingest.pipeline import load_batches, quarantine_conflicting_keys, value_columns
from ingest.read import FileRejected, open_table
from ipwh.faults import fault_point


@dataclass
class FileResult:
    file: str
    kind: str | None
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    status: str  # accepted | rejected
    message: str = ""
    rejection_cause: str | None = None  # FileRejected.cause
    load_id: int | None = None
    content_hash: str = ""
    duration_s: float = 0.0
    already_loaded: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def raw_table_ddl(kind: Kind) -> list[str]:
    """The raw table, and any column a field added since it was created."""
    cols = [f"{f.name} {DUCKDB_TYPES.get(f.kind, 'varchar')}" for f in kind.fields]
    cols += [f"{name} varchar" for name in value_columns(kind)[len(kind.fields) :]]
    cols += ["_load_id integer", "_file varchar", "_row bigint"]
    table = f"raw_{kind.name}"
    create = f"create table if not exists {table} (\n    " + ",\n    ".join(cols) + "\n)"
    return [create, *(f"alter table {table} add column if not exists {c}" for c in cols)]


def connect_raw(path: Path) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    # ingest appends and reads back little: without a limit DuckDB keeps every block it
    # wrote cached, and a large file's load holds gigabytes
    con.execute("set memory_limit = '512MB'")
    # a file streams into its raw table in one INSERT, written on all threads; rows are
    # identified by (_load_id, _row), never by their order in the table
    con.execute("set preserve_insertion_order = false")
    con.execute("set enable_progress_bar = false")  # cron logs get our summary line only
    con.execute(manifest.MANIFEST_DDL)
    for kind in KINDS.values():
        for statement in raw_table_ddl(kind):
            con.execute(statement)
    manifest.discard_incomplete_loads(con)
    return con


def kind_of(path: Path, kind: str | None) -> Kind:
    name = kind or path.parent.name
    if name not in KINDS:
        raise FileRejected(
            "unknown_kind",
            f"{path.name}: record kind unknown (folder '{path.parent.name}'); "
            f"pass --kind, one of {', '.join(KINDS)}",
        )
    return KINDS[name]


Progress = Callable[[str, int, float], None]  # (file name, rows so far, seconds so far)


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
) -> FileResult:
    """Load one file under a manifest row in state `loading`: its batches are normalised and
    streamed into the raw table in one INSERT (quarantined rows go in beside it), then the
    row turns `accepted` in the last transaction (with the duplicate-key check), so readers
    see a file entirely or not at all."""
    start = time.perf_counter()
    path = path.resolve()
    result = FileResult(str(path), kind, 0, 0, 0, "rejected")
    try:
        k = kind_of(path, kind)
        result.kind = k.name
        stat = path.stat() if path.exists() else None
        seen = None
        if stat:
            seen = manifest.unchanged_files(con).get(
                (str(path), k.name, stat.st_size, stat.st_mtime_ns)
            )
        if seen is None:
            result.content_hash = manifest.file_hash(path) if stat else ""
            seen = con.execute(
                "select load_id, content_hash from raw_manifest where content_hash = ? "
                "and kind = ? and status = 'accepted'",
                [result.content_hash, k.name],
            ).fetchall()
            seen = seen[0] if seen else None
            if seen and stat:
                manifest.remember_seen(con, path, k, stat, seen[0])
        if seen:
            result.status, result.already_loaded = "accepted", True
            result.load_id, result.content_hash = seen
            result.message = f"same content already loaded as load {seen[0]}; nothing changed"
            return result
        with open_table(path, sheet) as table:
            mapping = map_headers(k, table.headers, path.name)
            result.load_id = manifest.begin_load(
                con, path, k, result.content_hash, table.encoding, stat
            )
            in_transaction = False
            try:
                told = (
                    (lambda rows: progress(path.name, rows, time.perf_counter() - start))
                    if progress
                    else None
                )
                result.rows_read, reasons, key_hashes = load_batches(
                    con, k, path, result.load_id, table, mapping, told
                )
                result.rows_quarantined = reasons.total()
                result.rows_loaded = result.rows_read - result.rows_quarantined
                fault_point("ingest_mid_file")  # batches written, the load not yet accepted
                con.begin()
                in_transaction = True
                conflicts = 0
                if key_hashes and pl.concat(key_hashes).is_duplicated().any():  # else none conflict
                    conflicts = quarantine_conflicting_keys(con, k, result.load_id)
                result.rows_loaded -= conflicts
                result.rows_quarantined += conflicts
                if conflicts:
                    reasons["duplicate_conflict"] += conflicts
                if reasons:
                    result.message = "quarantined: " + ", ".join(
                        f"{r} {n}" for r, n in reasons.most_common()
                    )
                if reasons["unknown_indicator"]:
                    result.message += "; " + _closest_indicators(con, result.load_id)
                con.execute(
                    "update raw_manifest set status = 'accepted', rows_read = ?, "
                    "rows_loaded = ?, rows_quarantined = ?, message = ?, "
                    "loaded_at = now()::timestamp, duration_s = ?, content_hash = ? "
                    "where load_id = ?",
                    [
                        result.rows_read,
                        result.rows_loaded,
                        result.rows_quarantined,
                        result.message,
                        round(time.perf_counter() - start, 3),
                        result.content_hash,
                        result.load_id,
                    ],
                )
                con.commit()
            except BaseException:
                if in_transaction:
                    con.rollback()
                manifest.discard_load(con, result.load_id)
                result.rows_read = result.rows_loaded = result.rows_quarantined = 0
                raise
        result.status = "accepted"
    except FileRejected as err:
        result.message, result.rejection_cause = str(err), err.cause
        result.load_id = manifest.record_rejection(
            con, path, result.kind, result.content_hash, result.message, err.cause
        )
    finally:
        result.duration_s = round(time.perf_counter() - start, 3)
    return result


def _closest_indicators(con, load_id: int) -> str:
    """For each indicator a plan names that the catalogue does not hold: the closest names
    it does hold, so the office can correct the file."""
    names = list(dict.fromkeys(indicator_lookup()))
    unknown = con.execute(
        "select distinct bad_value from raw_quarantine "
        "where load_id = ? and reason = 'unknown_indicator' order by 1",
        [load_id],
    ).fetchall()
    values = [v for (v,) in unknown]
    return "; ".join(
        f"{v!r}: closest {', '.join(difflib.get_close_matches(folded, names, 3, 0.3)) or '—'}"
        for v, folded in zip(values, fold_names(values), strict=True)
    )
