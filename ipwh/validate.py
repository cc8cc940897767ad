"""Quality gate: great-expectations suites from expectations/*.json, run in SQL on DuckDB.

GX 1.x reads SQLAlchemy results after the connection has closed, which duckdb-engine does
not allow: every metric comes back empty and every expectation errors with `list index out
of range` (upstream issues #10738, #11579). `patch_gx_for_duckdb` buffers the rows while
the connection is open; tests/test_validate.py fails if the workaround stops working.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from ipwh.deferred import import_great_expectations
from ipwh.paths import PROJECT_DIR

SUITES_DIR = PROJECT_DIR / "expectations"
# Data Docs' index reads every validation result it lists: capped, or each refresh would
# take longer than the last (about 10 ms per stored result, 15 results a full refresh)
DOCS_INDEX_LIMIT = 100
# GX's own store keeps the newest results (and their pages) only, twice what the index
# lists: GX lists every stored result to build the index, and a refresh adds 5-15 (the
# marts pages of a served city delta took 0.12 s with 237 stored, 0.27 s with 1,000);
# every result stays in the warehouse (meta.validation_results)
DOCS_KEEP_RESULTS = 200
ACCEPT_REVISION_EXPECTATION = "no city figure moves more than 20% against the previous vintage"


@dataclass
class ExpectationOutcome:
    suite: str
    expectation: str
    description: str
    success: bool
    observed: str
    error: str = ""
    column: str = ""


@dataclass
class ValidationReport:
    stage: str
    run_id: str
    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    data_docs: str = ""
    result_keys: list = field(default_factory=list)  # GX ValidationResultIdentifiers
    seconds: float = 0.0  # in the gate process (ipwh.gate_process)

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
                f"{o.suite}{'.' + o.column if o.column else ''}: "
                f"{o.description or o.expectation} (observed {o.observed}{o.error})"
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
    _track_engines()


_ENGINES: weakref.WeakSet = weakref.WeakSet()


def _track_engines() -> None:
    """Remember every SQLAlchemy engine that connects (GX creates them in its own caches),
    so _dispose_engines finds them without walking every object in the process."""
    import sqlalchemy

    if not sqlalchemy.event.contains(sqlalchemy.engine.Engine, "engine_connect", _remember):
        sqlalchemy.event.listen(sqlalchemy.engine.Engine, "engine_connect", _remember)


def _remember(connection) -> None:
    _ENGINES.add(connection.engine)


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
    matching rows: a delta refresh checks the new loads. Data Docs render this call's
    results (build_data_docs renders those of earlier calls)."""
    gx = import_great_expectations()
    patch_gx_for_duckdb()
    run_id = dt.datetime.now().strftime(f"{stage}-%Y%m%dT%H%M%S%f")
    report = ValidationReport(stage, run_id)
    context = gx_context(gx_root)
    # one checkpoint per table set: a stored checkpoint naming assets this call did not
    # recreate cannot be loaded
    gate = f"{stage}_gate" if only is None else f"{stage}_gate__" + "__".join(sorted(only))
    docs = []
    for doc in load_suite_files(stage):
        table = doc["meta"]["table"]
        if only is not None and table not in only:
            continue
        kept = [e for e in doc["expectations"] if e.get("description") not in (skip or set())]
        docs.append({**doc, "expectations": kept + (extra or {}).get(table, [])})
    setup = [gate, str(db_path), docs, only]
    checkpoint = _stored_checkpoint(context, gx_root, stage, setup)
    if checkpoint is None:
        checkpoint = _store_checkpoint(context, gx_root, stage, setup)
    try:
        result = checkpoint.run(run_id=gx.core.run_identifier.RunIdentifier(run_name=run_id))
    finally:
        # close GX's pooled read-only connections, or the file cannot be opened for writing
        _dispose_engines(db_path)
    report.result_keys = list(result.run_results)
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
                    column=str(r.expectation_config.kwargs.get("column") or ""),
                )
            )
    if build_docs:
        build_data_docs(gx_root, (report,), context)
    report.data_docs = data_docs_index(gx_root)
    return report


def _setup_marker(gx_root: Path, stage: str) -> Path:
    """Beside GX's store: the digest of the setup of the stage's datasource (one per stage;
    every gate of the stage replaces it)."""
    return gx_root / "gx" / "ipwh_setup" / f"{stage}_db.sha256"


def _setup_digest(setup: list) -> str:
    return hashlib.sha256(json.dumps(setup, sort_keys=True, default=str).encode()).hexdigest()


def _stored_checkpoint(context, gx_root: Path, stage: str, setup: list):
    """The checkpoint of `setup` (gate, file, suites, rows) as an earlier call stored it, if
    that call's was the stage's last setup, else None. Storing the datasource, assets,
    suites, validation definitions and checkpoint again was half of a marts gate, whose
    setup is the same in every refresh."""
    try:
        if _setup_marker(gx_root, stage).read_text(encoding="utf-8") != _setup_digest(setup):
            return None
        return context.checkpoints.get(setup[0])
    except Exception:  # no marker, or GX cannot load what it stored: set up anew
        return None


def _store_checkpoint(context, gx_root: Path, stage: str, setup: list):
    gx = import_great_expectations()
    gate, db_path, docs, only = setup
    marker = _setup_marker(gx_root, stage)
    # gone while GX's copy changes: a setup cut short is never taken for a finished one
    marker.unlink(missing_ok=True)
    name = f"{stage}_db"
    with contextlib.suppress(Exception):  # not there yet: nothing to delete
        context.data_sources.delete(name)
    source = context.data_sources.add_sql(
        name=name,
        connection_string=f"duckdb:///{db_path}",
        kwargs={"connect_args": {"read_only": True}},
    )
    definitions = []
    for doc in docs:
        table = doc["meta"]["table"]
        suite = context.suites.add_or_update(_to_suite(doc, []))
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
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=gate,
            validation_definitions=definitions,
            actions=[],
            result_format="SUMMARY",
        )
    )
    marker.parent.mkdir(exist_ok=True)
    marker.write_text(_setup_digest(setup), encoding="utf-8")
    return checkpoint


def build_data_docs(
    gx_root: Path, reports: tuple[ValidationReport, ...], context=None, prune: bool = True
) -> str:
    """Data Docs pages of these reports' results (of run_suites in this process) and of
    their suites; returns the index page. prune: first delete the results past
    DOCS_KEEP_RESULTS (13 ms for 426 stored; a refresh prunes in its raw gate, off the
    critical path)."""
    # only these pages (GX renders every stored result unless told which); the index lists
    # the newest DOCS_INDEX_LIMIT results
    keys = [k for r in reports for k in r.result_keys]
    suites = {k.expectation_suite_identifier for k in keys}
    context = context or gx_context(gx_root)
    if prune:
        prune_stored_results(gx_root, max(DOCS_KEEP_RESULTS, DOCS_INDEX_LIMIT))
    context.build_data_docs(resource_identifiers=[*keys, *suites])
    return data_docs_index(gx_root)


def prune_stored_results(gx_root: Path, keep: int) -> None:
    """Delete all but the newest `keep` stored validation results, with their pages."""
    store, site = gx_root / "gx" / "uncommitted" / "validations", _docs_site(gx_root)
    # <suite>/<run name>/<run time, e.g. 20261203T173835.735287Z>/<batch>.json
    results = sorted(store.glob("*/*/*/*.json"), key=lambda p: (p.parent.name, str(p)))
    for old in results[: max(len(results) - keep, 0)]:
        relative = old.relative_to(store)
        old.unlink()
        (site / "validations" / relative.with_suffix(".html")).unlink(missing_ok=True)
        for root in (store, site / "validations"):
            folder = (root / relative).parent
            while folder != root and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent


def _docs_site(gx_root: Path) -> Path:
    return gx_root / "gx" / "uncommitted" / "data_docs" / "local_site"


def data_docs_index(gx_root: Path) -> str:
    docs = _docs_site(gx_root) / "index.html"
    return str(docs) if docs.exists() else ""


def gx_context(gx_root: Path):
    """The file-backed GX context under `gx_root`/gx, set up once: no progress bars, no
    config-variables file (GX re-read it on every access to a context variable, about 200
    YAML parses per gate; nothing here uses substitution), a capped Data Docs index."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    gx = import_great_expectations()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    gx_root.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(gx_root))
    _cache_doc_templates(gx_root / "gx" / "uncommitted" / "jinja_cache")
    _parse_run_times_fast()
    variables = context.variables
    site = dict(context.list_data_docs_sites().get("local_site") or {})
    index = dict(site.get("site_index_builder") or {})
    if (
        variables.config_variables_file_path is None
        and index.get("validation_results_limit") == DOCS_INDEX_LIMIT
    ):
        return context
    variables.config_variables_file_path = None
    variables.progress_bars = ProgressBarsConfig(globally=False)
    variables.save()
    if site:
        index.setdefault("class_name", "DefaultSiteIndexBuilder")
        index["validation_results_limit"] = DOCS_INDEX_LIMIT
        context.update_data_docs_site("local_site", {**site, "site_index_builder": index})
    return context


RUN_TIME_FORMAT = "%Y%m%dT%H%M%S.%fZ"  # how GX names a run's time in its stores


def _parse_run_times_fast() -> None:
    """GX parses the run time of every stored result it lists (four times per result for
    the Data Docs index) with dateutil's general parser, 0.018 ms each; the format GX
    writes parses in 0.005 ms with strptime. Anything else goes to dateutil."""
    from great_expectations.core import run_identifier

    general = run_identifier.parse
    if getattr(general, "_ipwh_fast", False):
        return

    def parse(text, *args, **kwargs):
        if isinstance(text, str) and not args and not kwargs:
            with contextlib.suppress(ValueError):
                return dt.datetime.strptime(text, RUN_TIME_FORMAT).replace(tzinfo=dt.UTC)
        return parse._ipwh_general(text, *args, **kwargs)  # type: ignore[attr-defined]

    parse._ipwh_fast = True  # type: ignore[attr-defined]
    parse._ipwh_general = general  # type: ignore[attr-defined]
    run_identifier.parse = parse


def _cache_doc_templates(folder: Path) -> None:
    """Data Docs views each make a new jinja Environment and compile GX's templates anew
    (about 0.5 s a refresh); a bytecode cache on disk compiles them once. Jinja checks each
    template's source checksum, so a GX upgrade recompiles."""
    from great_expectations.render.view.view import DefaultJinjaView
    from jinja2 import FileSystemBytecodeCache

    folder.mkdir(parents=True, exist_ok=True)
    DefaultJinjaView._ipwh_bytecode_cache = FileSystemBytecodeCache(str(folder))
    if getattr(DefaultJinjaView.__init__, "_ipwh_cached", False):
        return
    original = DefaultJinjaView.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.env.bytecode_cache = DefaultJinjaView._ipwh_bytecode_cache

    init._ipwh_cached = True  # type: ignore[attr-defined]
    DefaultJinjaView.__init__ = init


def _dispose_engines(db_path: Path) -> None:
    """GX keeps SQLAlchemy engines (and so DuckDB instances) alive in its caches; dispose
    every engine on this file so the process can reopen it read-write."""
    for engine in list(_ENGINES):
        if str(db_path) in str(engine.url):
            engine.dispose()


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
