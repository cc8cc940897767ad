"""Load landing files into the raw layer (`raw.duckdb`): every row loaded or quarantined with
its reason, one manifest row per file; a file becomes visible whole or not at all."""

from __future__ import annotations

import difflib
import hashlib
import os
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from ingest.kinds import KINDS, Kind
from ingest.normalise import (
    DUCKDB_TYPES,
    NORMALISERS,
    POLARS_TYPES,
    Plan,
    clean,
    columns_with_formulas,
    type_digit,
)
from ingest.read import FileRejected, open_table
from ipwh.faults import fault_point

MANIFEST_DDL = """
create sequence if not exists load_id_seq start 1;
create table if not exists raw_manifest (
    load_id integer primary key,
    file_path varchar,
    file_name varchar,
    content_hash varchar,
    kind varchar,
    encoding varchar,
    rows_read bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    status varchar,
    message varchar,
    loaded_at timestamp,
    duration_s double
);
-- the file's size and modification time when it was read: an unchanged file is recognised
-- without reading it again (raw layers written before these columns get them here)
alter table raw_manifest add column if not exists file_size bigint;
alter table raw_manifest add column if not exists file_mtime_ns bigint;
-- files whose hash showed them to hold an accepted load's content (copied or moved since,
-- or touched): their path, size and mtime, so later runs do not read them again
create table if not exists raw_seen_files (
    file_path varchar,
    kind varchar,
    file_size bigint,
    file_mtime_ns bigint,
    load_id integer
);
create table if not exists raw_quarantine (
    load_id integer,
    file_name varchar,
    source_row bigint,
    kind varchar,
    field varchar,
    reason varchar,
    bad_value varchar,
    original_json varchar
);
"""


@dataclass
class FileResult:
    file: str
    kind: str | None
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    status: str  # accepted | rejected
    message: str = ""
    load_id: int | None = None
    content_hash: str = ""
    duration_s: float = 0.0
    already_loaded: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def _fold_header(h: str) -> str:
    return h.replace("（", "(").replace("）", ")").replace(" ", "").replace("\u3000", "").lower()


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def map_headers(
    kind: Kind, headers: list[str], file_name: str
) -> dict[str, tuple[list[str], float]]:
    """canonical field -> (source headers, unit factor); rejects when a required one is
    absent. Several synonyms present (keys drifting between JSON records, or 申请人 beside
    当前权利人) are coalesced in synonym order; an amount keeps only its first header, whose
    unit the factor is."""
    folded: dict[str, list[str]] = {}
    for h in headers:  # `intCls` and `intcls` in drifting JSON keys are one header
        folded.setdefault(_fold_header(h), []).append(h)
    mapping: dict[str, tuple[list[str], float]] = {}
    for f in kind.fields:
        found = [h for s in (*f.synonyms, f.name) for h in folded.get(_fold_header(s), [])]
        found = list(dict.fromkeys(found))
        if found:
            scaled = {_fold_header(k): v for k, v in f.scaled.items()}
            factor = scaled.get(_fold_header(found[0]), 1.0)
            mapping[f.name] = (found[:1] if f.scaled else found, factor)
    missing = [
        f for f in kind.fields if f.required and not f.row_required_only and f.name not in mapping
    ]
    if missing:
        parts = []
        for f in missing:
            close = difflib.get_close_matches(f.synonyms[0], headers, n=3, cutoff=0.3)
            parts.append(
                f"{f.name} (expected one of {', '.join(f.synonyms)}; "
                f"closest in file: {', '.join(close) or 'none'})"
            )
        raise FileRejected(
            f"{file_name}: cannot map required field(s) for kind '{kind.name}': " + "; ".join(parts)
        )
    return mapping


def value_columns(kind: Kind) -> list[str]:
    """A raw table's value columns: the fields, then the original text of each event field."""
    return [f.name for f in kind.fields] + [
        f"{f.name}_text" for f in kind.fields if f.kind.endswith("_event")
    ]


def raw_table_ddl(kind: Kind) -> str:
    cols = [f"{f.name} {DUCKDB_TYPES.get(f.kind, 'varchar')}" for f in kind.fields]
    cols += [f"{name} varchar" for name in value_columns(kind)[len(kind.fields) :]]
    cols += ["_load_id integer", "_file varchar", "_row bigint"]
    return f"create table if not exists raw_{kind.name} (\n    " + ",\n    ".join(cols) + "\n)"


# Field kinds whose value is a function of one cleaned cell taking few distinct values per
# batch (dates, types, classes): each distinct value is normalised once and joined back.
# Not numbers, titles, USCCs, holders or addresses: nearly all distinct, or cheaper plain.
BY_DISTINCT_VALUE = {
    "date",
    "patent_type",
    "ipc",
    "ipc_list",
    "patent_event",
    "trademark_event",
    "nice_class",
    "unit",
    "year",
}


def _normalise_field(
    plan: Plan, f, sources: list[str], factor: float, formulas: set[str], rename: str = ""
) -> None:
    """Puts the field's cleaned text (`__c_…`), value and reason (`__e_…`) into the plan;
    `formulas`: the source columns holding HYPERLINK cells; `rename`: read the (one) source
    from that column instead."""
    cleaned = plan.put(
        pl.coalesce([clean(pl.col(rename or s), plan.put, s in formulas) for s in sources]),
        f"__c_{f.name}",
    )
    value, error = NORMALISERS[f.kind](cleaned, factor, plan.put)
    if f.required:
        error = pl.when(cleaned.is_null()).then(pl.lit("missing_required")).otherwise(error)
    plan.put(value, f.name)
    plan.put(error, f"__e_{f.name}")
    if f.kind.endswith("_event"):
        plan.put(cleaned, f"{f.name}_text")


MEMO_ROWS = 50_000  # distinct values remembered per field and file, at most (a larger
# memo slows the join every batch pays)


def _by_distinct_value(
    df: pl.DataFrame, f, source: str, factor: float, formulas: set[str], memo: dict
) -> list[pl.Series]:
    """The field's columns for every row of df, computed once per distinct source value.
    `memo` keeps the results of earlier batches of the file (a value's result depends on
    the value alone), so only values it lacks are normalised. Once a batch brought no new
    value, the next is joined to the memo straight away: when a file's dates have all been
    seen a batch costs one join (parsing them, and finding the batch's distinct values,
    were most of a date field's cost)."""
    keys = df.select(pl.col(source).alias("__key"))

    def joined(results: pl.DataFrame) -> pl.DataFrame:
        return keys.join(results, on="__key", how="left", nulls_equal=True, maintain_order="left")

    known = memo.get(f.name)
    saturated = f"{f.name} saturated"  # the last batch held no value the memo lacked
    if known is not None and memo.get(saturated):
        rows = joined(known)
        unseen = rows["__seen"].is_null()
        if not unseen.any():
            return rows.drop("__key", "__seen").get_columns()
        new = keys.filter(unseen).unique()
    else:
        new = keys.unique()
        if known is not None:
            new = new.join(known.select("__key"), on="__key", how="anti", nulls_equal=True)
    memo[saturated] = new.is_empty()
    if known is not None and new.is_empty():
        return joined(known).drop("__key", "__seen").get_columns()
    plan = Plan()
    _normalise_field(plan, f, [source], factor, formulas, rename="__key")
    results = (
        plan.apply(new.lazy())
        .drop(plan.temporaries())
        .with_columns(pl.lit(True).alias("__seen"))
        .collect(engine="in-memory")
    )
    if known is not None:
        results = pl.concat([known, results], rechunk=True)  # a chunked memo slows each join
    if results.height <= MEMO_ROWS:
        memo[f.name] = results
    return joined(results).drop("__key", "__seen").get_columns()


def normalise_frame(
    kind: Kind, df: pl.DataFrame, mapping: dict[str, tuple[str, float]], memo: dict | None = None
):
    """(loaded rows, quarantined rows) — all vectorised. Each field yields a value column and
    a reason column; a row's reason is the first non-null one in field order. `memo`: carried
    from batch to batch of one file (see `_by_distinct_value`)."""
    memo = {} if memo is None else memo
    plan = Plan()
    reasons: dict[str, str] = {}  # reason column (`__e_…`) -> the field it blames, in order
    cleaned: dict[str, str] = {}  # field -> its cleaned source text column
    formulas = columns_with_formulas(
        df, list(dict.fromkeys(h for hs, _ in mapping.values() for h in hs))
    )
    for f in kind.fields:
        if f.name not in mapping:
            plan.put(pl.lit(None, POLARS_TYPES.get(f.kind, pl.String)), f.name)
            if f.required:  # a row-required column the source lacks: every row misses it
                plan.put(pl.lit("missing_required"), f"__e_{f.name}")
                reasons[f"__e_{f.name}"] = f.name
            continue
        sources, factor = mapping[f.name]
        if f.kind in BY_DISTINCT_VALUE and len(sources) == 1:
            df = df.with_columns(_by_distinct_value(df, f, sources[0], factor, formulas, memo))
        else:
            _normalise_field(plan, f, sources, factor, formulas)
        reasons[f"__e_{f.name}"] = cleaned[f.name] = f.name
    for name, field, expr in _row_checks(kind):
        plan.put(expr, f"__e_{name}")
        reasons[f"__e_{name}"] = field
    out = (
        plan.apply(df.lazy())
        .with_columns(pl.coalesce(list(reasons)).alias("_reason"))
        .drop(plan.temporaries())
        .collect(engine="in-memory")  # a batch is in memory already: ~15% faster than streaming
    )
    bad = out.filter(pl.col("_reason").is_not_null())
    if bad.is_empty():  # the common case: no per-row blame to work out
        return out.select(*value_columns(kind), "_row"), bad.with_columns(
            pl.lit(None, pl.String).alias("_field"), pl.lit(None, pl.String).alias("_bad_value")
        )
    bad = bad.with_columns(  # the field blamed: the first with a reason
        pl.coalesce(
            pl.when(pl.col(c).is_not_null()).then(pl.lit(f)) for c, f in reasons.items()
        ).alias("_field")
    )
    bad = bad.with_columns(  # the field's cleaned source text, or its value if it has none
        pl.coalesce(
            pl.when(pl.col("_field") == f).then(
                pl.col(f"__c_{f}" if f in cleaned else f).cast(pl.String)
            )
            for f in dict.fromkeys(reasons.values())
        ).alias("_bad_value")
    )
    good = out.filter(pl.col("_reason").is_null()).select(*value_columns(kind), "_row")
    return good, bad


def _row_checks(kind: Kind) -> list[tuple[str, str, pl.Expr]]:
    """Cross-field rules: (check name, field blamed, reason expression)."""
    if kind.name != "patents":
        return []
    by_number = type_digit(pl.col("application_number"))
    # null when either side is null: no mismatch then
    mismatch = pl.when(by_number != pl.col("patent_type")).then(pl.lit("type_mismatch"))
    order = pl.when(pl.col("grant_date") < pl.col("application_date")).then(
        pl.lit("grant_before_filing")
    )
    return [
        ("type_mismatch", "patent_type", mismatch),
        ("grant_order", "grant_date", order),
    ]


def _quarantine_conflicting_keys(con, k: Kind, load_id: int) -> int:
    """Rows of this file sharing a key but differing in any value: which one is right cannot
    be known, so all of them move to the quarantine (identical repeats stay loaded). Checked
    in DuckDB over every batch of the file, not only within one."""
    key = ", ".join(k.key)
    values = ", ".join(f.name for f in k.fields)
    cols = value_columns(k)
    statements = [
        f"""create or replace temp table conflicting as
        select _row from raw_{k.name} r
        semi join (
            select {key} from raw_{k.name} where _load_id = $load
            group by {key} having count(distinct hash({values})) > 1
        ) using ({key})
        where r._load_id = $load""",
        f"""insert into raw_quarantine by name
        select _load_id as load_id, _file as file_name, _row as source_row,
            '{k.name}' as kind, '{k.key[0]}' as field, 'duplicate_conflict' as reason,
            {k.key[0]}::varchar as bad_value,
            to_json(struct_pack({", ".join(cols)}))::varchar as original_json
        from raw_{k.name} where _load_id = $load and _row in (select _row from conflicting)""",
        f"""delete from raw_{k.name}
        where _load_id = $load and _row in (select _row from conflicting)""",
    ]
    for statement in statements:
        con.execute(statement, {"load": load_id})
    n = con.execute("select count(*) from conflicting").fetchall()[0][0]
    con.execute("drop table conflicting")
    return n


def connect_raw(path: Path) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    # ingest appends and reads back little: without a limit DuckDB keeps written blocks
    # cached (5M-row file: peak RSS 1.5 GB with it, 1.9-2.3 GB without)
    con.execute("set memory_limit = '512MB'")
    # a file streams into its raw table in one INSERT, written on all threads; rows are
    # identified by (_load_id, _row), never by their order in the table
    con.execute("set preserve_insertion_order = false")
    con.execute(MANIFEST_DDL)
    for kind in KINDS.values():
        con.execute(raw_table_ddl(kind))
    discard_incomplete_loads(con)
    return con


def kind_of(path: Path, kind: str | None) -> Kind:
    name = kind or path.parent.name
    if name not in KINDS:
        raise FileRejected(
            f"{path.name}: record kind unknown (folder '{path.parent.name}'); "
            f"pass --kind, one of {', '.join(KINDS)}"
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
            seen = unchanged_files(con).get((str(path), k.name, stat.st_size, stat.st_mtime_ns))
        if seen is None:
            result.content_hash = file_hash(path) if stat else ""
            seen = con.execute(
                "select load_id, content_hash from raw_manifest where content_hash = ? "
                "and kind = ? and status = 'accepted'",
                [result.content_hash, k.name],
            ).fetchall()
            seen = seen[0] if seen else None
            if seen and stat:
                _remember_seen(con, path, k, stat, seen[0])
        if seen:
            result.status, result.already_loaded = "accepted", True
            result.load_id, result.content_hash = seen
            result.message = f"same content already loaded as load {seen[0]}; nothing changed"
            return result
        reasons: Counter[str] = Counter()
        with open_table(path, sheet) as table:
            mapping = map_headers(k, table.headers, path.name)
            result.load_id = _begin_load(con, path, k, result.content_hash, table.encoding, stat)
            in_transaction = False
            try:
                key_hashes = []
                for batch, bad, keys in _load_batches(con, k, path, result.load_id, table, mapping):
                    key_hashes.append(keys)
                    result.rows_read += batch
                    result.rows_loaded += batch - bad.height
                    result.rows_quarantined += bad.height
                    reasons.update(bad["_reason"].to_list())
                    if progress:
                        progress(path.name, result.rows_read, time.perf_counter() - start)
                fault_point("ingest_mid_file")  # batches written, the load not yet accepted
                con.begin()
                in_transaction = True
                conflicts = 0
                if key_hashes and pl.concat(key_hashes).is_duplicated().any():  # else none conflict
                    conflicts = _quarantine_conflicting_keys(con, k, result.load_id)
                result.rows_loaded -= conflicts
                result.rows_quarantined += conflicts
                if conflicts:
                    reasons["duplicate_conflict"] += conflicts
                if reasons:
                    result.message = "quarantined: " + ", ".join(
                        f"{r} {n}" for r, n in reasons.most_common()
                    )
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
                _discard_load(con, result.load_id)
                result.rows_read = result.rows_loaded = result.rows_quarantined = 0
                raise
        result.status = "accepted"
    except FileRejected as err:
        result.message = str(err)
        _record_rejection(con, path, result)
    finally:
        result.duration_s = round(time.perf_counter() - start, 3)
    return result


WORKERS = min(2, os.cpu_count() or 1)


def _with_lineage(k: Kind, path: Path, load_id: int, good: pl.DataFrame) -> pl.DataFrame:
    """The raw table's columns in its order and types, lineage last."""
    return good.select(
        *(pl.col(c).cast(POLARS_TYPES.get(f_kind, pl.String)) for c, f_kind in _column_kinds(k)),
        pl.lit(load_id, pl.Int32).alias("_load_id"),
        pl.lit(path.name).alias("_file"),
        pl.col("_row").cast(pl.Int64),
    )


def _column_kinds(k: Kind) -> list[tuple[str, str]]:
    """(raw column, field kind) for every value column (an event's text is plain text)."""
    return [(f.name, f.kind) for f in k.fields] + [
        (c, "text") for c in value_columns(k)[len(k.fields) :]
    ]


def _arrow(frame: pl.DataFrame):
    # Arrow string views: no copy of the strings
    return frame.to_arrow(compat_level=pl.CompatLevel.newest())


def _insert_quarantine(
    con, k: Kind, path: Path, load_id: int, bad: pl.DataFrame, headers: list[str]
) -> None:
    quarantine = bad.select(
        pl.lit(load_id, pl.Int32).alias("load_id"),
        pl.lit(path.name).alias("file_name"),
        pl.col("_row").cast(pl.Int64).alias("source_row"),
        pl.lit(k.name).alias("kind"),
        pl.col("_field").alias("field"),
        pl.col("_reason").alias("reason"),
        pl.col("_bad_value").alias("bad_value"),
        pl.struct(headers).struct.json_encode().alias("original_json"),
    )
    con.register("incoming_bad", quarantine.to_arrow())
    con.execute("insert into raw_quarantine by name select * from incoming_bad")
    con.unregister("incoming_bad")


def unchanged_files(con) -> dict[tuple, tuple]:
    """(path, kind, size, mtime_ns) -> (load id, content hash) of the accepted load each
    file held when it had that size and modification time: such a file is not read again
    (a national inbox holds gigabytes). A file written since, or copied in under another
    name, is hashed."""
    rows = con.execute(
        "select file_path, kind, file_size, file_mtime_ns, load_id, content_hash "
        "from raw_manifest where status = 'accepted' and file_mtime_ns is not null "
        "union all "
        "select s.file_path, s.kind, s.file_size, s.file_mtime_ns, m.load_id, m.content_hash "
        "from raw_seen_files as s join raw_manifest as m on s.load_id = m.load_id "
        "where m.status = 'accepted' "
        "order by load_id"
    ).fetchall()
    return {tuple(r[:4]): tuple(r[4:]) for r in rows}  # the latest load wins


def _remember_seen(con, path: Path, k: Kind, stat: os.stat_result, load_id: int) -> None:
    """This file, as it is now, holds load `load_id`'s content (its hash said so). No
    transaction: a run stopped between the two statements only hashes the file once more."""
    con.execute("delete from raw_seen_files where file_path = ? and kind = ?", [str(path), k.name])
    con.execute(
        "insert into raw_seen_files values (?, ?, ?, ?, ?)",
        [str(path), k.name, stat.st_size, stat.st_mtime_ns, load_id],
    )


def _begin_load(
    con, path: Path, k: Kind, content_hash: str, encoding: str, stat: os.stat_result
) -> int:
    """A manifest row in state `loading`: the file's rows and quarantined rows are written
    under it in their own transactions, and the load becomes visible only when this row
    turns `accepted`. Readers use accepted loads only; a load left `loading` by a killed
    process is discarded by the next connect_raw."""
    load_id = _next_load_id(con)
    con.execute(
        "insert into raw_manifest (load_id, file_path, file_name, content_hash, kind, encoding, "
        "rows_read, rows_loaded, rows_quarantined, status, loaded_at, file_size, file_mtime_ns) "
        "values (?, ?, ?, ?, ?, ?, 0, 0, 0, 'loading', now()::timestamp, ?, ?)",
        [load_id, str(path), path.name, content_hash, k.name, encoding, stat.st_size,
         stat.st_mtime_ns],
    )  # fmt: skip
    return load_id


def _discard_load(con, load_id: int) -> None:
    con.begin()
    for kind in KINDS:
        con.execute(f"delete from raw_{kind} where _load_id = ?", [load_id])
    con.execute("delete from raw_quarantine where load_id = ?", [load_id])
    con.execute("delete from raw_manifest where load_id = ?", [load_id])
    con.commit()


def discard_incomplete_loads(con) -> list[int]:
    """Loads a killed ingest left in state `loading`: their rows are removed."""
    stale = [
        r[0]
        for r in con.execute("select load_id from raw_manifest where status = 'loading'").fetchall()
    ]
    for load_id in stale:
        _discard_load(con, load_id)
    return stale


def _load_batches(con, k: Kind, path: Path, load_id: int, table, mapping) -> Iterator:
    """Normalises a file's batches on WORKERS threads and streams the loaded rows into the
    raw table through one INSERT reading an Arrow stream; quarantined rows go in apart,
    through each worker's own cursor. Yields (rows read, quarantined rows, hashes of the
    loaded rows' keys) per batch as workers finish them.

    One statement for the whole file lets DuckDB compress and write whole row groups
    straight to table storage on all its threads; polars and DuckDB release the GIL, so
    the normalisers run while DuckDB writes."""
    lock = threading.Lock()
    stop = threading.Event()
    batches = iter(table.batches)
    done: queue.Queue = queue.Queue()
    rows: queue.Queue = queue.Queue(maxsize=2 * WORKERS)  # bounds the batches in memory
    errors: list[BaseException] = []  # the first is the cause
    open_workers = [WORKERS]  # workers that have not yet handed over their last batch

    def next_batch() -> pl.DataFrame | None:
        with lock:
            return None if stop.is_set() else next(batches, None)

    def normalise(cursor) -> None:
        memo: dict = {}  # this worker's, for the file's batches it normalises
        try:
            while (batch := next_batch()) is not None:
                good, bad = normalise_frame(k, batch, mapping, memo)
                rows.put(_arrow(_with_lineage(k, path, load_id, good)))
                if bad.height:
                    _insert_quarantine(cursor, k, path, load_id, bad, table.headers)
                done.put((batch.height, bad, good.select(pl.struct(k.key).hash())))
        except BaseException as err:
            errors.append(err)
            stop.set()  # the other workers stop at their next batch, the INSERT aborts
        finally:
            rows.put(None)
            done.put(None)

    def stream() -> Iterator:
        while open_workers[0]:
            item = rows.get()
            if item is None:
                open_workers[0] -= 1
            elif stop.is_set():
                raise RuntimeError("ingest stopped")  # never commit part of a file
            else:
                yield from item.to_batches()
        if stop.is_set():
            raise RuntimeError("ingest stopped")

    def insert() -> None:
        try:
            schema = _arrow(_with_lineage(k, path, load_id, _empty_good(k))).schema
            reader = pa.RecordBatchReader.from_batches(schema, stream())
            con.register("incoming_rows", reader)
            con.execute(f"insert into raw_{k.name} by name select * from incoming_rows")
        except BaseException as err:
            errors.append(err)
            stop.set()
        finally:
            con.unregister("incoming_rows")
            while open_workers[0]:  # unblock workers waiting to hand over a batch
                if rows.get() is None:
                    open_workers[0] -= 1

    cursors = [con.cursor() for _ in range(WORKERS)]
    threads = [threading.Thread(target=normalise, args=(c,)) for c in cursors]
    threads.append(threading.Thread(target=insert))
    for t in threads:
        t.start()
    completed = False
    try:
        finished = 0
        while finished < WORKERS:
            item = done.get()
            if item is None:
                finished += 1
            else:
                yield item
        completed = True
    finally:
        if not completed:  # the caller gave up: workers stop, the INSERT aborts
            stop.set()
        for t in threads:
            t.join()  # before the caller discards the load
        for c in cursors:
            c.close()
    if errors:
        raise errors[0]


def _empty_good(k: Kind) -> pl.DataFrame:
    return pl.DataFrame(
        schema={c: POLARS_TYPES.get(kind, pl.String) for c, kind in _column_kinds(k)}
        | {"_row": pl.Int64}
    )


def _next_load_id(con) -> int:
    # duckdb 2.0: a result must be drained before the connection does other work
    return con.execute("select nextval('load_id_seq')").fetchall()[0][0]


def _record_rejection(con, path: Path, result: FileResult) -> None:
    load_id = _next_load_id(con)
    result.load_id = load_id
    con.execute(
        "insert into raw_manifest (load_id, file_path, file_name, content_hash, kind, "
        "rows_read, rows_loaded, rows_quarantined, status, message, loaded_at, duration_s) "
        "values (?, ?, ?, ?, ?, 0, 0, 0, 'rejected', ?, now()::timestamp, 0)",
        [load_id, str(path), path.name, result.content_hash, result.kind, result.message],
    )
