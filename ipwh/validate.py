"""Quality gates: great-expectations suites from expectations/*.json, run in SQL on DuckDB.

What each gate checks is in the README ("What each layer checks"). Every expectation has a
stable id (`meta.id`) and a severity: a `critical` one that fails stops the refresh; a
`warning` is recorded and shown on the data-quality page, and the refresh goes on.

GX 1.x reads SQLAlchemy results after the connection has closed, which duckdb-engine does
not allow: every metric comes back empty and every expectation errors with `list index out
of range` (upstream issues great_expectations#10738 and #11579). `patch_gx_for_duckdb`
buffers the rows while the connection is open; tests/test_validate.py fails when upstream
no longer needs it, and when the workaround stops working.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest.kinds import KINDS
from ipwh.paths import PROJECT_DIR
from ipwh.strings import strings

SUITES_DIR = PROJECT_DIR / "expectations"
JUMP_CHECK_ID = "fct_indicator_values.city_moves_within_20pct"
DOCS_INDEX_LIMIT = 100  # validation results listed on the Data Docs index page


@dataclass
class ExpectationOutcome:
    suite: str
    expectation_id: str
    expectation: str
    description: str
    severity: str  # critical | warning
    success: bool
    observed: str
    error: str = ""


@dataclass
class ValidationReport:
    stage: str
    run_id: str
    outcomes: list[ExpectationOutcome] = field(default_factory=list)

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "critical"]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity != "critical"]

    @property
    def success(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        bad = self.failures
        warned = f", {len(self.warnings)} warnings" if self.warnings else ""
        if not bad:
            return f"{self.stage}: {len(self.outcomes)} expectations met{warned}"
        return (
            f"{self.stage}: {len(bad)} of {len(self.outcomes)} expectations failed: "
            + "; ".join(
                f"{o.expectation_id}: {o.description} (observed {o.observed}{o.error})"
                for o in bad[:8]
            )
        )


def describe(expectation_id: str) -> str:
    """What a check looks for, in both languages (ipwh/strings.csv, kind `check`): the Data
    Docs and the refresh's messages say it as the app does. Empty for a check it lacks."""
    return " / ".join(strings().get(("check", expectation_id), ()))


_ENGINES: weakref.WeakSet = weakref.WeakSet()


def patch_gx_for_duckdb() -> None:
    """Buffer query results while the connection is still open (idempotent), and remember
    every SQLAlchemy engine GX creates, so `_dispose_engines` can close them."""
    import sqlalchemy
    from great_expectations.execution_engine import SqlAlchemyExecutionEngine

    if getattr(SqlAlchemyExecutionEngine.execute_query, "_ipwh_buffered", False):
        return

    def execute_query(self, query):
        with self.get_connection() as connection:
            result = self._execute_query_with_recovery(connection, query)
            return result.freeze()()  # rows copied now; the Result no longer needs the cursor

    execute_query._ipwh_buffered = True  # type: ignore[attr-defined]
    SqlAlchemyExecutionEngine.execute_query = execute_query
    sqlalchemy.event.listen(
        sqlalchemy.engine.Engine, "engine_connect", lambda c: _ENGINES.add(c.engine)
    )


def _dispose_engines(db_path: Path) -> None:
    """GX keeps its SQLAlchemy engines (so DuckDB's read-only instances) in its caches; the
    refresh must open the file read-write afterwards."""
    for engine in list(_ENGINES):
        if str(db_path) in str(engine.url):
            engine.dispose()


def load_suites(stage: str) -> list[dict]:
    suites = []
    for path in sorted(SUITES_DIR.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc["meta"]["stage"] == stage:
            suites.append(doc)
    return suites


def reconciliation_expectations() -> dict[str, list[dict]]:
    """The raw tables hold exactly the rows the manifest says each accepted file loaded (one
    query over every kind's table: load ids are unique across kinds)."""
    loaded = " union all ".join(
        f"select _load_id, count(*) as n from main.raw_{kind} group by 1" for kind in KINDS
    )
    query = (
        f"select m.load_id, m.file_name from (select * from {{batch}}) as m left join ({loaded}) "
        "as r on r._load_id = m.load_id "
        "where m.status = 'accepted' and coalesce(r.n, 0) != m.rows_loaded"
    )
    return {
        "raw_manifest": [
            {
                "type": "unexpected_rows_expectation",
                "meta": {"id": "raw_manifest.rows_in_raw_tables"},
                "kwargs": {"unexpected_rows_query": query},
            }
        ]
    }


def run_suites(
    db_path: Path,
    stage: str,
    gx_root: Path,
    extra: dict[str, list[dict]] | None = None,
    skip: set[str] = frozenset(),
) -> ValidationReport:
    """Validate every table of `stage` in `db_path` (opened read-only) and render the Data
    Docs pages of this run; results and pages go under `gx_root`/gx. `skip`: expectation
    ids left out of this run."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # nothing may need the network
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    patch_gx_for_duckdb()
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    run_id = dt.datetime.now().strftime(f"{stage}-%Y%m%dT%H%M%S%f")
    context = gx_context(gx_root)
    source = context.data_sources.add_or_update_sql(
        name=f"{stage}_db",
        connection_string=f"duckdb:///{db_path}",
        kwargs={"connect_args": {"read_only": True}},
    )
    definitions = []
    tables = {}  # suite -> the table its batch reads
    for doc in load_suites(stage):
        table = doc["meta"]["table"]
        tables[doc["name"]] = f"{doc['meta']['schema']}.{table}"
        suite = gx.ExpectationSuite(name=doc["name"])
        for exp in [*doc["expectations"], *(extra or {}).get(table, [])]:
            if exp["meta"]["id"] in skip:
                continue
            # add_expectation keeps every expectation that differs; add_expectation_configuration
            # upserts by domain, keeping one unexpected-rows check per table (the last)
            suite.add_expectation(
                ExpectationConfiguration(
                    type=exp["type"],
                    kwargs=exp["kwargs"],
                    meta=exp["meta"],
                    description=describe(exp["meta"]["id"]),
                    severity=exp.get("severity", "critical"),
                ).to_domain_obj()
            )
        suite = context.suites.add_or_update(suite)
        # a query asset: duckdb-engine ignores the schema of a table asset
        asset = source.add_query_asset(name=table, query=f"select * from {tables[doc['name']]}")
        definitions.append(
            context.validation_definitions.add_or_update(
                gx.ValidationDefinition(
                    name=f"{stage}__{table}",
                    data=asset.add_batch_definition_whole_table("whole_table"),
                    suite=suite,
                )
            )
        )
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=f"{stage}_gate",
            validation_definitions=definitions,
            actions=[],
            result_format="SUMMARY",
        )
    )
    try:
        result = checkpoint.run(run_id=gx.core.run_identifier.RunIdentifier(run_name=run_id))
    finally:
        _dispose_engines(db_path)
    # this run's pages and the index, in one pass (GX renders every stored result unless told)
    keys = list(result.run_results)
    context.build_data_docs(
        resource_identifiers=[*keys, *{k.expectation_suite_identifier for k in keys}]
    )
    report = ValidationReport(stage, run_id)
    for validation in result.run_results.values():
        for r in validation.results:
            config = r.expectation_config
            errors = [
                v.get("exception_message", "")
                for v in (r.exception_info or {}).values()
                if isinstance(v, dict) and v.get("raised_exception")
            ]
            observed = str(r.result.get("observed_value", r.result.get("unexpected_count", "")))
            if not (r.success or errors) and config.type == "unexpected_rows_expectation":
                observed = _first_row(db_path, tables[validation.suite_name], config.kwargs)
            report.outcomes.append(
                ExpectationOutcome(
                    suite=validation.suite_name,
                    expectation_id=config.meta["id"],
                    expectation=config.type,
                    description=config.description or "",
                    severity=str(getattr(config.severity, "value", config.severity)),
                    success=bool(r.success),
                    observed=observed,
                    error=f"; error: {errors[0][:160]}" if errors else "",
                )
            )
    return report


def _first_row(db_path: Path, table: str, kwargs: dict) -> str:
    """What a failed query check found, as `column=value` of its first row (a share, a
    median, a file): GX's SUMMARY result gives the number of rows only."""
    query = kwargs["unexpected_rows_query"].replace("{batch}", f"(select * from {table})")
    with duckdb.connect(str(db_path), read_only=True) as con:
        cursor = con.execute(f"select * from ({query}) limit 1")
        row = cursor.fetchone() or ()
        return ", ".join(f"{c[0]}={v}" for c, v in zip(cursor.description, row, strict=False))


def gx_context(gx_root: Path):
    """GX's file-backed context under `gx_root`/gx: no progress bars (cron logs), a Data
    Docs index of the newest DOCS_INDEX_LIMIT results."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    gx_root.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(gx_root))
    site = dict(context.list_data_docs_sites().get("local_site") or {})
    index = dict(site.get("site_index_builder") or {})
    if site and index.get("validation_results_limit") != DOCS_INDEX_LIMIT:
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        context.variables.save()
        index.setdefault("class_name", "DefaultSiteIndexBuilder")
        index["validation_results_limit"] = DOCS_INDEX_LIMIT
        context.update_data_docs_site("local_site", {**site, "site_index_builder": index})
    return context


RESULTS_DDL = """
create schema if not exists meta;
create table if not exists meta.validation_results (
    run_id varchar,
    stage varchar,
    validated_at timestamp,
    suite varchar,
    expectation varchar,
    description varchar,
    success boolean,
    observed varchar,
    error varchar
);
alter table meta.validation_results add column if not exists expectation_id varchar;
alter table meta.validation_results add column if not exists severity varchar;
"""


def store_report(con, report: ValidationReport) -> None:
    con.execute(RESULTS_DDL)
    if not report.outcomes:  # every expectation skipped (--accept-revision)
        return
    now = dt.datetime.now()
    con.executemany(
        "insert into meta.validation_results by name select ? as run_id, ? as stage, "
        "? as validated_at, ? as suite, ? as expectation, ? as description, ? as success, "
        "? as observed, ? as error, ? as expectation_id, ? as severity",
        [
            [report.run_id, report.stage, now, o.suite, o.expectation, o.description,
             o.success, o.observed, o.error, o.expectation_id, o.severity]
            for o in report.outcomes
        ],
    )  # fmt: skip
