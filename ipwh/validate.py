"""Quality gate: great-expectations suites from expectations/*.json, run in SQL on DuckDB.

GX 1.x reads SQLAlchemy results after the connection has closed, which duckdb-engine does
not allow: every metric comes back empty and every expectation errors with `list index out
of range` (upstream issues #10738, #11579). `patch_gx_for_duckdb` buffers the rows while
the connection is open; tests/test_validate.py fails if the workaround stops working.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from ipwh.paths import PROJECT_DIR

SUITES_DIR = PROJECT_DIR / "expectations"
ACCEPT_REVISION_EXPECTATION = "no city figure moves more than 20% against the previous vintage"


@dataclass
class ExpectationOutcome:
    suite: str
    expectation: str
    description: str
    success: bool
    observed: str
    error: str = ""


@dataclass
class ValidationReport:
    stage: str
    run_id: str
    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    data_docs: str = ""

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    @property
    def success(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        bad = self.failures
        if not bad:
            return f"{self.stage}: {len(self.outcomes)} expectations met"
        return (
            f"{self.stage}: {len(bad)} of {len(self.outcomes)} expectations failed: "
            + "; ".join(
                f"{o.suite}: {o.description or o.expectation} (observed {o.observed}{o.error})"
                for o in bad[:8]
            )
        )


def patch_gx_for_duckdb() -> None:
    """Buffer query results while the connection is still open (idempotent)."""
    from great_expectations.execution_engine import SqlAlchemyExecutionEngine

    if getattr(SqlAlchemyExecutionEngine.execute_query, "_ipwh_buffered", False):
        return

    def execute_query(self, query):
        with self.get_connection() as connection:
            result = self._execute_query_with_recovery(connection, query)
            return result.freeze()()  # rows copied now; the Result no longer needs the cursor

    execute_query._ipwh_buffered = True  # type: ignore[attr-defined]
    SqlAlchemyExecutionEngine.execute_query = execute_query


def load_suite_files(stage: str) -> list[dict]:
    suites = []
    for path in sorted(SUITES_DIR.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc["meta"]["stage"] == stage:
            suites.append(doc)
    return suites


def _to_suite(doc: dict, extra: list[dict]):
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    suite = gx.ExpectationSuite(name=doc["name"])
    for exp in [*doc["expectations"], *extra]:
        config = ExpectationConfiguration(
            type=exp["type"], kwargs=exp["kwargs"], description=exp.get("description")
        )
        suite.add_expectation_configuration(config)
    return suite


def run_suites(
    db_path: Path,
    stage: str,
    gx_root: Path,
    extra: dict[str, list[dict]] | None = None,
    skip: set[str] | None = None,
    build_docs: bool = True,
    only: dict[str, str] | None = None,
) -> ValidationReport:
    """Validate every table of `stage` in `db_path` (opened read-only); results and Data
    Docs go to `gx_root`/gx. `only` (table -> SQL condition) validates just those tables'
    matching rows: a delta refresh checks the new loads."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    patch_gx_for_duckdb()
    run_id = dt.datetime.now().strftime(f"{stage}-%Y%m%dT%H%M%S%f")
    report = ValidationReport(stage, run_id)
    gx_root.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(gx_root))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    name = f"{stage}_db"
    with contextlib.suppress(Exception):  # not there yet: nothing to delete
        context.data_sources.delete(name)
    source = context.data_sources.add_sql(
        name=name,
        connection_string=f"duckdb:///{db_path}",
        kwargs={"connect_args": {"read_only": True}},
    )
    definitions = []
    for doc in load_suite_files(stage):
        table = doc["meta"]["table"]
        if only is not None and table not in only:
            continue
        kept = [e for e in doc["expectations"] if e.get("description") not in (skip or set())]
        suite = context.suites.add_or_update(
            _to_suite({**doc, "expectations": kept}, (extra or {}).get(table, []))
        )
        # a query asset: duckdb-engine ignores the schema of a table asset
        condition = f" where {only[table]}" if only else ""
        asset = source.add_query_asset(
            name=table, query=f"select * from {doc['meta']['schema']}.{table}{condition}"
        )
        batch = asset.add_batch_definition_whole_table("whole_table")
        definitions.append(
            context.validation_definitions.add_or_update(
                gx.ValidationDefinition(name=f"{stage}__{table}", data=batch, suite=suite)
            )
        )
    # one checkpoint per table set: a stored checkpoint naming assets this call did not
    # recreate cannot be loaded
    gate = f"{stage}_gate" if only is None else f"{stage}_gate__" + "__".join(sorted(only))
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=gate,
            validation_definitions=definitions,
            actions=[],
            result_format="SUMMARY",
        )
    )
    try:
        result = checkpoint.run(run_id=gx.core.run_identifier.RunIdentifier(run_name=run_id))
    finally:
        # close GX's pooled read-only connections, or the file cannot be opened for writing
        _dispose_engines(db_path)
    for validation in result.run_results.values():
        suite_name = validation.suite_name
        for r in validation.results:
            errors = [
                v.get("exception_message", "")
                for v in (r.exception_info or {}).values()
                if isinstance(v, dict) and v.get("raised_exception")
            ]
            observed = r.result.get("observed_value", r.result.get("unexpected_count", ""))
            report.outcomes.append(
                ExpectationOutcome(
                    suite=suite_name,
                    expectation=r.expectation_config.type,
                    description=r.expectation_config.description or "",
                    success=bool(r.success),
                    observed=str(observed),
                    error=f"; error: {errors[0][:160]}" if errors else "",
                )
            )
    if build_docs:  # once per call: GX's per-validation docs action rebuilds the whole site
        context.build_data_docs()
    docs = gx_root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    report.data_docs = str(docs) if docs.exists() else ""
    return report


def _dispose_engines(db_path: Path) -> None:
    """GX keeps SQLAlchemy engines (and so DuckDB instances) alive in its caches; dispose
    every engine on this file so the process can reopen it read-write."""
    import gc

    import sqlalchemy

    for obj in gc.get_objects():
        if isinstance(obj, sqlalchemy.engine.Engine) and str(db_path) in str(obj.url):
            obj.dispose()
    gc.collect()


def row_count_expectations(manifest_counts: dict[str, int]) -> dict[str, list[dict]]:
    """Raw tables hold exactly the rows the manifest says were loaded."""
    return {
        f"raw_{kind}": [
            {
                "type": "expect_table_row_count_to_equal",
                "kwargs": {"value": int(n)},
                "description": "row count equals rows loaded per raw_manifest",
            }
        ]
        for kind, n in manifest_counts.items()
    }


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
"""


def store_report(con, report: ValidationReport) -> None:
    con.execute(RESULTS_DDL)
    now = dt.datetime.now()
    con.executemany(
        "insert into meta.validation_results values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                report.run_id,
                report.stage,
                now,
                o.suite,
                o.expectation,
                o.description,
                o.success,
                o.observed,
                o.error,
            ]
            for o in report.outcomes
        ],
    )
