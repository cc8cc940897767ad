"""数据质量 Data quality: refreshes, vintages and revisions, files, quarantine, validation
results and Data Docs, reconciliation with published figures."""

import io
import json
import zipfile
from pathlib import Path

import polars as pl
import streamlit as st

from ingest.kinds import KINDS
from ipwh.app_data import q, table
from ipwh.i18n import column_label, label, lang, t
from ipwh.paths import Home

home = Home.from_env()
# a landing field as the files name it (its first header spelling), by record kind
HEADERS = pl.DataFrame(
    [(k.name, f.name, f.synonyms[0]) for k in KINDS.values() for f in k.fields],
    schema=["kind", "field", "header"],
    orient="row",
)


def said_fields(frame: pl.DataFrame) -> pl.DataFrame:
    """The `field` column in words: the landing header in Chinese, the name spaced in English."""
    if lang():
        return frame.with_columns(pl.col("field").str.replace_all("_", " "))
    named = frame.join(HEADERS, on=["kind", "field"], how="left", maintain_order="left")
    return named.with_columns(pl.coalesce("header", "field").alias("field")).drop("header")


@st.cache_data(ttl=300, max_entries=4, show_spinner=False)
def _zip_site(folder: str) -> bytes:
    """The great-expectations Data Docs site, zipped, to open locally in a browser."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in Path(folder).rglob("*"):
            if path.is_file():
                zf.write(path, path.relative_to(folder))
    return buffer.getvalue()


st.title(t("quality"))

st.subheader(t("last_refresh"))
if home.status_file.exists():
    status = json.loads(home.status_file.read_text(encoding="utf-8"))
    not_read = (status.get("last_refresh") or {}).get("files_not_read") or []
    if not_read:  # delivered, but in no place the refresh reads
        st.warning(t("files_not_read"))
        table(pl.DataFrame(not_read, schema=["file", "reason"]))
    last = status.get("last_refresh") or {}
    if last:
        outcome = t(f"outcome_{last['outcome']}")
        stages = last.get("stages_s") or {}
        a, b, c, d = st.columns(4)
        a.metric(t("outcome"), outcome)
        # month, day and time fit a quarter of the page; the year is in the help
        b.metric(t("refreshed_at"), last["at"][5:16].replace("T", " "), help=last["at"])
        c.metric(t("duration_s"), f"{sum(stages.values()):.1f} s")
        d.metric(t("warnings"), len(last.get("warnings") or []))
        st.caption(
            f"{t('vintage')}: {last.get('vintage_id') or '—'} · "
            + " · ".join(f"{t('stage_' + k)} {v:.1f} s" for k, v in stages.items())
        )
        if last["outcome"] == "failed":
            st.error(last["message"])
        for w in last.get("warnings") or []:
            if isinstance(w, str):  # a status file an older release wrote: shown as it is
                st.caption(f"⚠ {w}")
                continue
            observed = f"{column_label('observed')} {w['observed']}"
            st.caption(f"⚠ {label('check', w['check'])} · {w['check']} · {observed}")
    with st.expander(t("raw_status")):
        st.json({k: status.get(k) for k in ("last_refresh", "last_success", "last_failure")})

st.subheader(t("vintages"))
table(
    q(
        "select vintage_id, published_at, data_cutoff, code_version, rows_loaded, "
        "rows_quarantined, population_sources from meta.vintages "
        "order by published_at desc"
    ),
)
st.subheader(t("revisions"))
table(
    q(
        "select * from meta.revisions order by vintage_id desc, indicator_code, "
        "unit_code, report_year limit 5000"
    ),
)

st.subheader(t("files"))
table(
    q(
        "select load_id, file_name, kind, encoding, status, rows_read, rows_loaded, "
        "rows_quarantined, rejection_cause, message, loaded_at from staging.stg_raw__manifest "
        "order by load_id desc"
    ),
    column_config={  # wide enough to read why a file was rejected
        c: st.column_config.TextColumn(column_label(c), width=w)
        for c, w in (("rejection_cause", "medium"), ("message", "large"))
    },
)

st.subheader(t("quarantine"))
by_reason = q(
    "select kind, reason, field, count(*) as rows from staging.stg_raw__quarantine "
    "group by all order by rows desc"
)
meaning = {r: label("reason", r) for r in by_reason["reason"].unique()}
table(
    said_fields(by_reason).with_columns(
        pl.col("reason").replace_strict(meaning).alias("reason_text")
    )
)
if not by_reason.is_empty():
    reason = st.selectbox(
        column_label("reason"),
        sorted(meaning),
        format_func=lambda r: f"{meaning[r]} ({r})",
        key="quarantine_reason",
    )
    table(
        said_fields(
            q(
                "select file_name, source_row, kind, field, reason, bad_value, original_json "
                "from staging.stg_raw__quarantine where reason = ? order by file_name, "
                "source_row limit 5000",
                reason,
            )
        ).drop("kind"),
    )

st.subheader(t("validation"))
results = q(
    "select run_id, stage, validated_at, suite, expectation_id, description, success, "
    "observed, error from meta.validation_results order by validated_at desc limit 2000"
)
runs = (
    results.group_by("run_id", "stage")
    .agg(
        pl.col("validated_at").first(),
        pl.len().alias("expectations"),
        pl.col("success").sum().alias("met"),
    )
    .sort("validated_at", descending=True)
)
table(runs)
failed = results.filter(~pl.col("success"))
checks = failed if len(failed) else results.head(50)
said = {c: label("check", c) for c in checks["expectation_id"].drop_nulls().unique()}
table(
    checks.select(
        "validated_at",
        "suite",
        "expectation_id",
        # what the check looks for in the chosen language (results recorded without an id
        # keep their English description)
        pl.coalesce(
            pl.col("expectation_id").replace_strict(said, default=None), "description"
        ).alias("check_text"),
        "success",
        "observed",
        "error",
    )
)
docs = home.data_docs
st.caption(f"{t('data_docs')}: {docs}" + ("" if docs.exists() else " (—)"))
if docs.exists():
    st.download_button(
        "Data Docs (zip)",
        lambda: _zip_site(str(docs.parent)),  # zipped when clicked
        file_name="data_docs.zip",
        mime="application/zip",
    )

st.subheader(t("reconciliation"))
table(
    q(
        "select figure_id, indicator_name, figure_year, published_value, "
        "round(computed_value, 4) as computed_value, round(relative_difference, 4) "
        "as relative_difference, reconciliation_status, explanation, source "
        "from marts.rpt_reconciliation order by figure_year, figure_id"
    ),
)
table(q("select * from marts.rpt_density_formula_check"))
