"""Vintages: what each published warehouse was built from, its figures, and what changed.

Every published file carries the whole history in its `meta` schema (vintages, each
vintage's figures, revisions against the previous vintage, every gate result), copied
forward from the file it replaces.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

from ipwh.paths import PROJECT_DIR, Home
from ipwh.validate import RESULTS_DDL, ValidationReport, store_report

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
META_TABLES = ("vintages", "indicator_history", "revisions", "validation_results")


class CorruptWarehouse(Exception):
    pass


@dataclass(frozen=True)
class Published:
    vintage_id: str
    fingerprint: str


def published_vintage(home: Home, discard_corrupt: bool) -> Published | None:
    """The published file's latest vintage (None: no file, or no vintage yet). A file that
    cannot be read is left alone, unless the operator asks to move it aside."""
    if not home.published.exists():
        return None
    try:
        with duckdb.connect(str(home.published), read_only=True) as con:
            rows = con.execute(
                "select vintage_id, fingerprint from meta.vintages "
                "order by published_at desc limit 1"
            ).fetchall()
            return Published(*rows[0]) if rows else None
    except duckdb.Error as err:
        if not discard_corrupt:
            raise CorruptWarehouse(
                f"the published warehouse {home.published} cannot be read ({err}). It was "
                "left as it is. To recover, run `ipwh refresh --discard-corrupt-warehouse`: "
                "it moves the file aside (its vintage history stays in the moved file) and "
                "publishes a new vintage from the raw layer."
            ) from err
        aside = home.root / f"warehouse.corrupt-{dt.datetime.now():%Y%m%dT%H%M%S}.duckdb"
        os.replace(home.published, aside)
        return None


def carry_history(build: Path, home: Home) -> None:
    """Copy the published file's meta tables into the new build, before dbt runs: the marts
    gate's jump check compares with the last vintage's figures (meta.indicator_history)."""
    with duckdb.connect(str(build)) as con:
        con.execute(VINTAGE_DDL)
        con.execute(RESULTS_DDL)
        if not home.published.exists():
            return
        con.execute(f"attach '{home.published}' as previous (read_only)")
        present = {
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() "
                "where database_name = 'previous' and schema_name = 'meta'"
            ).fetchall()
        }
        for table in META_TABLES:
            if table in present:
                con.execute(f"insert into meta.{table} by name select * from previous.meta.{table}")
        con.execute("detach previous")


def record_vintage(
    build: Path,
    home: Home,
    vintage_id: str,
    fingerprint: str,
    version: str,
    revision_reason: str | None,
    dbt_invocation_id: str,
    reports: tuple[ValidationReport, ...],
) -> None:
    """Add this vintage, its figures, its revisions against the previous vintage, and the
    results of the gates it passed."""
    with duckdb.connect(str(build)) as con:
        row = con.execute(
            "select vintage_id from meta.vintages order by published_at desc limit 1"
        ).fetchall()
        previous = row[0][0] if row else None
        manifest = con.execute(
            "select file_name, content_hash, rows_loaded, rows_quarantined, load_id "
            "from staging.stg_raw__manifest where status = 'accepted' order by load_id"
        ).fetchall()
        cutoff = con.execute(
            "select max(data_cutoff) from intermediate.int_months_spined"
        ).fetchall()[0][0]
        pop_sources = con.execute(
            "select string_agg(distinct population_source, '; ') from staging.stg_raw__population"
        ).fetchall()[0][0]
        dbt_vars = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
        # the counting-rule parameters; a package's own settings are a dict
        dbt_vars = {k: v for k, v in dbt_vars.items() if not isinstance(v, dict)}
        files = [{"file": f, "sha256": h, "load_id": i} for f, h, _, _, i in manifest]
        con.execute(
            "insert into meta.vintages values (?, now()::timestamp, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                vintage_id,
                cutoff,
                fingerprint,
                version,
                json.dumps(dbt_vars),
                json.dumps(files, ensure_ascii=False),
                pop_sources,
                sum(m[2] for m in manifest),
                sum(m[3] for m in manifest),
                dbt_invocation_id,
            ],
        )
        con.execute(
            "insert into meta.indicator_history select ?, indicator_code, unit_code, "
            "report_year, value, numerator from marts.fct_indicator_values",
            [vintage_id],
        )
        if previous:
            con.execute(
                """
                insert into meta.revisions
                select ?, ?, n.indicator_code, n.unit_code, n.report_year, o.value, n.value, ?
                from meta.indicator_history as n
                inner join meta.indicator_history as o
                    on o.vintage_id = ? and n.indicator_code = o.indicator_code
                    and n.unit_code = o.unit_code and n.report_year = o.report_year
                where n.vintage_id = ? and n.value is distinct from o.value
                """,
                [
                    vintage_id,
                    previous,
                    revision_reason
                    or "新交付中有补报或更正的记录,或计算代码有变化 / "
                    "late or corrected records in a new delivery, or a code change",
                    previous,
                    vintage_id,
                ],
            )
        for report in reports:
            store_report(con, report)
        # the rename publishes the file alone: nothing may stay in its write-ahead log
        con.execute("checkpoint")
