"""`ipwh export`: the provincial report (DOMAIN.md §8) from the published vintage.

Reads the mart rpt_provincial_report and the header labels seed; computes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from ipwh.warehouse import latest_vintage, query


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
        years = query(
            warehouse,
            "select min(report_year) lo, max(report_year) hi from marts.rpt_provincial_report",
        ).row(0)
        raise ValueError(f"no report rows for {year}; the warehouse covers {years[0]}–{years[1]}")
    report = report.with_columns(pl.col("value").round(6), pl.col("progress").round(6))
    out = report.select(pl.col(c).alias(h) for c, h in columns.iter_rows())
    return out, vintage


def write_export(warehouse: Path, year: int, fmt: str, out: Path) -> Path:
    frame, vintage = report_frame(warehouse, year)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        # UTF-8 with BOM so that Chinese Excel opens it without mojibake
        out.write_bytes(b"\xef\xbb\xbf" + frame.write_csv(float_precision=6).encode("utf-8"))
    elif fmt == "xlsx":
        _write_xlsx(frame, vintage, year, out)
    else:
        raise ValueError(f"unknown format {fmt!r}: csv or xlsx")
    return out


def _write_xlsx(frame: pl.DataFrame, vintage: dict, year: int, out: Path) -> None:
    import xlsxwriter

    with xlsxwriter.Workbook(str(out)) as wb:
        frame.write_excel(
            wb,
            worksheet="指标",
            autofit=True,
            float_precision=2,
            header_format={"bold": True, "bg_color": "#DDEBF7"},
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
            ("口径", "存量指标为当年12月31日时点值；每万人口指标 = 数量 ÷ 年末常住人口 × 10000"),
        ]
        for i, (k, v) in enumerate(rows):
            meta.write(i, 0, k)
            meta.write(i, 1, v)
        meta.set_column(0, 0, 14)
        meta.set_column(1, 1, 70)
