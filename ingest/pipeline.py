"""The batch pipeline: a file's batches normalised (vectorised, in polars) into loaded and
quarantined rows, and streamed into the raw table."""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from ingest.kinds import Kind
from ingest.normalise import (
    NORMALISERS,
    POLARS_TYPES,
    Plan,
    clean,
    columns_with_formulas,
    type_digit,
)


def value_columns(kind: Kind) -> list[str]:
    """A raw table's value columns: the fields, then the original text of each event field."""
    return [f.name for f in kind.fields] + [
        f"{f.name}_text" for f in kind.fields if f.kind.endswith("_event")
    ]


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


def _by_distinct_value(
    df: pl.DataFrame, f, source: str, factor: float, formulas: set[str]
) -> list[pl.Series]:
    """The field's columns for every row of df, computed once per distinct source value."""
    keys = df.select(pl.col(source).alias("__key"))
    plan = Plan()
    _normalise_field(plan, f, [source], factor, formulas, rename="__key")
    results = plan.apply(keys.unique().lazy()).drop(plan.temporaries()).collect(engine="in-memory")
    joined = keys.join(results, on="__key", how="left", nulls_equal=True, maintain_order="left")
    return joined.drop("__key").get_columns()


def normalise_frame(kind: Kind, df: pl.DataFrame, mapping: dict[str, tuple[str, float]]):
    """(loaded rows, quarantined rows) — all vectorised. Each field yields a value column and
    a reason column; a row's reason is the first non-null one in field order."""
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
            df = df.with_columns(_by_distinct_value(df, f, sources[0], factor, formulas))
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
        .collect(engine="in-memory")  # a batch is in memory already: no streaming
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


def quarantine_conflicting_keys(con, k: Kind, load_id: int) -> int:
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
            group by {key} having min(hash({values})) != max(hash({values}))
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


def _ahead(pool: ThreadPoolExecutor, fn, items: Iterator, n: int) -> Iterator:
    """fn(item) for every item in order, at most n running ahead of the consumer (bounded
    memory, unlike pool.map, which submits every item at once)."""
    pending: deque = deque()
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) > n:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def load_batches(con, k: Kind, path: Path, load_id: int, table, mapping, progress=None):
    """Normalises a file's batches on WORKERS threads, a few ahead of DuckDB, which reads
    the loaded rows as one Arrow stream into the raw table; quarantined rows go in beside it
    through a cursor of their own. Returns (rows read, reason -> quarantined rows, hashes of
    the loaded rows' keys); `progress(rows read)` hears each batch.

    One INSERT for the whole file lets DuckDB compress and write whole row groups on all its
    threads while the next batches are normalised (polars and DuckDB release the GIL)."""
    rows_read, reasons, key_hashes = 0, Counter(), []
    errors: list[BaseException] = []  # DuckDB reports a stream's exception as text only
    quarantine = con.cursor()

    def normalise(batch: pl.DataFrame) -> tuple[int, pl.DataFrame, pl.DataFrame]:
        return batch.height, *normalise_frame(k, batch, mapping)

    def stream() -> Iterator[pa.RecordBatch]:
        nonlocal rows_read
        try:
            with ThreadPoolExecutor(WORKERS) as pool:
                for height, good, bad in _ahead(pool, normalise, table.batches, WORKERS):
                    if bad.height:
                        _insert_quarantine(quarantine, k, path, load_id, bad, table.headers)
                    rows_read += height
                    reasons.update(bad["_reason"].to_list())
                    key_hashes.append(good.select(pl.struct(k.key).hash()))
                    if progress:
                        progress(rows_read)
                    yield from _arrow(_with_lineage(k, path, load_id, good)).to_batches()
        except Exception as err:  # not GeneratorExit: DuckDB closing the stream is no cause
            errors.append(err)
            raise

    schema = _arrow(_with_lineage(k, path, load_id, _empty_good(k))).schema
    con.register("incoming_rows", pa.RecordBatchReader.from_batches(schema, stream()))
    try:
        con.execute(f"insert into raw_{k.name} by name select * from incoming_rows")
    except duckdb.Error:
        if errors:
            raise errors[0] from None
        raise
    finally:
        con.unregister("incoming_rows")
        quarantine.close()
    return rows_read, reasons, key_hashes


def _empty_good(k: Kind) -> pl.DataFrame:
    return pl.DataFrame(
        schema={c: POLARS_TYPES.get(kind, pl.String) for c, kind in _column_kinds(k)}
        | {"_row": pl.Int64}
    )
