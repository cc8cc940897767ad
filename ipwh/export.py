"""The provincial report from the published vintage (its columns: README, "Command line"),
for `ipwh export` and the app's export page. Reads marts.rpt_provincial_report and the
header-label seed; computes nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import polars as pl

from ipwh.warehouse import latest_vintage, query

LOG_NAME = "exports_log.jsonl"


def report_frame(warehouse: Path, year: int) -> tuple[pl.DataFrame, dict]:
    vintage = latest_vintage(warehouse)
    columns = query(
        warehouse, "select column_name, header_zh from seeds.export_columns order by column_order"
    )
    report = query(
        warehouse,
        "select *, ? as vintage_id from marts.rpt_provincial_report where report_year = ? "
        "order by indicator_no, display_order",
        [vintage["vintage_id"], year],
    )
    if report.is_empty():
        lo, hi = query(
            warehouse,
            "select min(report_year), max(report_year) from marts.rpt_provincial_report",
        ).row(0)
        raise ValueError(f"no report rows for {year}; the warehouse covers {lo}–{hi}")
    report = report.with_columns(pl.col("value").round(6), pl.col("progress").round(6))
    return report.select(pl.col(c).alias(h) for c, h in columns.iter_rows()), vintage


# a text cell starting with one of these is run by a spreadsheet as a formula (OWASP: CSV
# injection); an applicant may well be named `=HYPERLINK(...)`
FORMULA_START = r"^[=+\-@\t\r]"


def csv_bytes(frame: pl.DataFrame, float_precision: int | None = None) -> bytes:
    """Every CSV the warehouse hands out: UTF-8 with BOM, so that Chinese Excel opens it
    without mojibake, and formula-like text cells prefixed with `'` so that none runs."""
    text = [c for c, dtype in frame.schema.items() if dtype == pl.String]
    safe = frame.with_columns(
        pl.when(pl.col(c).str.contains(FORMULA_START))
        .then("'" + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text
    )
    return b"\xef\xbb\xbf" + safe.write_csv(float_precision=float_precision).encode("utf-8")


def render(frame: pl.DataFrame, vintage: dict, year: int, fmt: str) -> bytes:
    if fmt == "csv":
        return csv_bytes(frame, float_precision=6)
    if fmt == "xlsx":
        return _xlsx(frame, vintage, year)
    raise ValueError(f"unknown format {fmt!r}: csv or xlsx")


def write_export(warehouse: Path, year: int, fmt: str, out: Path) -> Path:
    frame, vintage = report_frame(warehouse, year)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(render(frame, vintage, year, fmt))
    log_export(out.parent, out.name, year, fmt, vintage["vintage_id"])
    return out


def log_export(folder: Path, name: str, year: int, fmt: str, vintage_id: str) -> None:
    entry = {
        "file": name,
        "year": year,
        "format": fmt,
        "vintage_id": vintage_id,
        "exported_at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    with (folder / LOG_NAME).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")


def past_exports(folder: Path) -> list[dict]:
    log = folder / LOG_NAME
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line]


def _xlsx(frame: pl.DataFrame, vintage: dict, year: int) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    # text stays text: xlsxwriter would otherwise write `=…` strings as formulas
    options = {"in_memory": True, "strings_to_formulas": False}
    with xlsxwriter.Workbook(buffer, options) as wb:
        frame.write_excel(
            wb,
            worksheet="指标",
            autofit=True,
            float_precision=2,
            header_format={"bold": True, "bg_color": "#DDEBF7"},
            freeze_panes=(1, 0),
        )
        meta = wb.add_worksheet("元数据")
        rows = [
            ("报表", f"荆州市知识产权主要指标 {year} 年"),
            ("数据版本", vintage["vintage_id"]),
            ("数据截止日", str(vintage["data_cutoff"])),
            ("发布时间", str(vintage["published_at"])),
            ("代码版本", vintage["code_version"]),
            ("人口来源", vintage["population_sources"] or ""),
            ("编制日期", dt.date.today().isoformat()),
            (
                "口径",
                "存量指标为当年12月31日时点值；每万人口指标 = 数量 ÷ 年末常住人口 × 10000；"
                "质押融资同一笔融资只计一次；地理标志总量不含农产品地理标志",
            ),
        ]
        for i, (k, v) in enumerate(rows):
            meta.write(i, 0, k)
            meta.write(i, 1, v)
        meta.set_column(0, 0, 14)
        meta.set_column(1, 1, 90)
    return buffer.getvalue()
