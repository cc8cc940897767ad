"""The provincial report from the published vintage (its columns: README, "Command line"),
for `ipwh export` and the app's export page. Reads marts.rpt_provincial_report and the
header-label seed; computes nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import polars as pl

from ipwh.warehouse import latest_vintage, query

LOG_NAME = "exports_log.jsonl"


def report_frame(warehouse: Path, year: int, plan: str | None = None) -> tuple[pl.DataFrame, dict]:
    """The provincial report for `year`: the indicators of the plan the year is reported
    against, or of `plan` (its period or its name)."""
    vintage = latest_vintage(warehouse)
    columns = query(
        warehouse, "select column_name, header_zh from seeds.export_columns order by column_order"
    )
    which = "(plan_id = ? or plan_name = ?)" if plan else "is_default_plan_for_year"
    report = query(
        warehouse,
        "select *, ? as vintage_id from marts.rpt_provincial_report where report_year = ? "
        f"and {which} order by indicator_no, display_order",
        [vintage["vintage_id"], year, *([plan, plan] if plan else [])],
    )
    if plan and report.is_empty():
        raise ValueError(f"no plan {plan!r} in the warehouse (ipwh assess lists the plans)")
    if report.is_empty():
        lo, hi = query(
            warehouse,
            "select min(report_year), max(report_year) from marts.rpt_provincial_report",
        ).row(0)
        raise ValueError(f"no report rows for {year}; the warehouse covers {lo}–{hi}")
    report = report.with_columns(pl.col("value").round(6), pl.col("progress").round(6))
    return report.select(pl.col(c).alias(h) for c, h in columns.iter_rows()), vintage


def period_frame(warehouse: Path, period: str) -> tuple[pl.DataFrame, dict, str]:
    """The province's monthly (`2025-10`) or quarterly (`2025Q3`) form from
    marts.rpt_period_report, one row per indicator and unit, with Chinese headers; returns
    (frame, vintage, period id)."""
    kind, period_id = _period(period)
    vintage = latest_vintage(warehouse)
    rows = query(
        warehouse,
        "select * from marts.rpt_period_report where period_id = ? "
        "order by indicator_no, display_order",
        [period_id],
    )
    if rows.is_empty():
        lo, hi = query(
            warehouse,
            "select min(period_id), max(period_id) from marts.rpt_period_report "
            "where period_kind = ?",
            [kind],
        ).row(0)
        raise ValueError(f"no report rows for {period_id}; the warehouse covers {lo} to {hi}")
    cutoff = vintage["data_cutoff"]
    frame = rows.select(
        pl.col("indicator_no").alias("序号"),
        pl.col("indicator_name").alias("指标名称"),
        pl.col("unit_label").alias("计量单位"),
        pl.col("unit_code").alias("地区代码"),
        pl.col("unit_name").alias("地区名称"),
        pl.col("period_value").round(6).alias("本月值" if kind == "month" else "本季值"),
        pl.col("ytd_value").round(6).alias("本年累计"),
        pl.col("last_year_ytd_value").round(6).alias("上年同期"),
        (pl.col("ytd_change") * 100).round(2).alias("同比(%)"),
        pl.when(pl.col("is_complete"))
        .then(pl.lit("完整"))
        .otherwise(pl.lit(f"不完整(数据截止{cutoff})"))
        .alias("完整性"),
        pl.lit(vintage["vintage_id"]).alias("数据版本"),
        pl.lit(str(cutoff)).alias("数据截止"),
    )
    return frame, vintage, period_id


def _period(text: str) -> tuple[str, str]:
    """('month', '2025-10') or ('quarter', '2025Q3') from what a user typed."""
    if (m := re.fullmatch(r"(\d{4})-?(\d{1,2})", text.strip())) and 1 <= int(m[2]) <= 12:
        return "month", f"{m[1]}-{int(m[2]):02d}"
    if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", text.strip()):
        return "quarter", f"{m[1]}Q{m[2]}"
    raise ValueError(f"{text!r} is not a month (2025-10) or a quarter (2025Q3)")


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


def render(frame: pl.DataFrame, vintage: dict, fmt: str, title: str) -> bytes:
    if fmt == "csv":
        return csv_bytes(frame, float_precision=6)
    if fmt == "xlsx":
        return _xlsx(frame, vintage, title)
    raise ValueError(f"unknown format {fmt!r}: csv or xlsx")


def write_report(
    frame: pl.DataFrame, vintage: dict, fmt: str, title: str, out: Path, log_dir: Path
) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(render(frame, vintage, fmt, title))
    log_export(log_dir, str(out), title, fmt, vintage["vintage_id"])
    return out


def log_export(folder: Path, name: str, title: str, fmt: str, vintage_id: str) -> None:
    """One line per export in `folder`/exports_log.jsonl — the home's exports folder, never
    the folder the file was written to."""
    folder.mkdir(parents=True, exist_ok=True)
    entry = {
        "file": name,
        "report": title,
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


# how a number column is shown: by its header, else by the row's unit of measure (a share
# or a growth rate is a fraction, shown as a percentage)
PERCENT_COLUMNS = ("完成进度", "规划年均增速", "实际年均增速", "占全市比重", "对全市增长贡献")
PLAIN_INTEGER_COLUMNS = ("年份", "序号", "首次达标年份", "基期年份", "目标年份")
DECIMAL_COLUMNS = ("同比(%)",)
VALUE_COLUMNS = ("本期值", "基期值", "终期值", "本月值", "本季值", "本年累计", "上年同期")
DECIMAL_UNITS = ("万人", "亿元", "分")


def _display_width(value) -> int:
    """Columns a value takes in a spreadsheet font: a CJK character is two."""
    text = "" if value is None else str(value)
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _xlsx(frame: pl.DataFrame, vintage: dict, title: str) -> bytes:
    """Report-ready: counts as integers, densities, 亿元 and scores with 2 decimals, years
    and codes without separators, percentages as %; columns as wide as their text; frozen
    header; landscape A4, one page wide, the header row on every printed page."""
    import xlsxwriter

    buffer = io.BytesIO()
    # text stays text: xlsxwriter would otherwise write `=…` strings as formulas
    options = {"in_memory": True, "strings_to_formulas": False}
    with xlsxwriter.Workbook(buffer, options) as wb:
        header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        formats = {
            "count": wb.add_format({"num_format": "#,##0"}),
            "decimal": wb.add_format({"num_format": "#,##0.00"}),
            "percent": wb.add_format({"num_format": "0.0%"}),
            "plain": wb.add_format({"num_format": "0"}),
            "text": wb.add_format({}),
        }
        sheet = wb.add_worksheet("指标")
        units = frame["计量单位"].to_list() if "计量单位" in frame.columns else [""] * frame.height
        widths = [_display_width(c) for c in frame.columns]
        for j, column in enumerate(frame.columns):
            sheet.write(0, j, column, header)
            numeric = frame.schema[column].is_numeric()
            for i, value in enumerate(frame[column].to_list()):
                if value is None:
                    continue
                if not numeric:
                    kind = "text"
                elif column in PERCENT_COLUMNS:
                    kind = "percent"
                elif column in PLAIN_INTEGER_COLUMNS:
                    kind = "plain"
                elif column in DECIMAL_COLUMNS or (
                    column in VALUE_COLUMNS and any(u in (units[i] or "") for u in DECIMAL_UNITS)
                ):
                    kind = "decimal"
                else:
                    kind = "count"
                sheet.write(i + 1, j, value, formats[kind])
                widths[j] = max(widths[j], _display_width(value) + (3 if numeric else 0))
        for j, width in enumerate(widths):
            sheet.set_column(j, j, min(width + 2, 60))
        _print_setup(sheet, frame.height, len(frame.columns))

        meta = wb.add_worksheet("元数据")
        rows = [
            ("报表", title),
            ("数据版本", vintage["vintage_id"]),
            ("数据截止日", str(vintage["data_cutoff"])),
            ("发布时间", str(vintage["published_at"])),
            ("代码版本", vintage["code_version"]),
            ("人口来源", vintage["population_sources"] or ""),
            ("编制日期", dt.date.today().isoformat()),
            (
                "口径",
                "存量指标为期末时点值（年报为12月31日，月报、季报为当月、当季末日）；"
                "流量指标为期内合计，本年累计为1月1日至期末；上年同期为上年同一期的本年累计，"
                "同比 = 本年累计 ÷ 上年同期 − 1；每万人口指标 = 数量 ÷ 当年常住人口 × 10000；"
                "质押融资同一笔融资只计一次；地理标志总量不含农产品地理标志",
            ),
        ]
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        for i, (k, v) in enumerate(rows):
            meta.write(i, 0, k, header)
            meta.write(i, 1, v, wrap)
        meta.set_column(0, 0, 14)
        meta.set_column(1, 1, 100)
        _print_setup(meta, len(rows) - 1, 2)
    return buffer.getvalue()


def _print_setup(sheet, last_row: int, columns: int) -> None:
    sheet.freeze_panes(1, 0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # one page wide, as many long as it takes
    sheet.repeat_rows(0)
    sheet.print_area(0, 0, last_row, columns - 1)


ACHIEVEMENT = {"met": "是", "not_met": "否", "no_data": "无数据"}


def assessment_frame(warehouse: Path, plan: str) -> tuple[pl.DataFrame, dict, str, str]:
    """A finished plan's final assessment (marts.rpt_plan_assessment), one row per indicator
    and unit, with Chinese headers; `plan` is its period (2021-2025) or its name. Returns
    (frame, vintage, plan id, plan name)."""
    vintage = latest_vintage(warehouse)
    plans = query(
        warehouse,
        "select distinct plan_id, plan_name, target_year from marts.rpt_plan_assessment "
        "where plan_id = ? or plan_name = ?",
        [plan, plan],
    )
    if plans.is_empty():
        known = query(
            warehouse, "select distinct plan_id, plan_name from marts.rpt_plan_assessment"
        )
        listed = "; ".join(f"{i} {n}" for i, n in known.iter_rows())
        raise ValueError(f"no plan {plan!r}; the warehouse holds: {listed}")
    plan_id, plan_name, end = plans.row(0)
    cutoff = vintage["data_cutoff"]
    if cutoff is not None and cutoff.year < end:
        raise ValueError(
            f"plan {plan_id} runs to {end}; the data go to {cutoff} — not finished, no final "
            "assessment yet (the app's overview shows its progress)"
        )
    rows = query(
        warehouse,
        "select * from marts.rpt_plan_assessment where plan_id = ? "
        "order by indicator_no, display_order",
        [plan_id],
    )
    frame = rows.select(
        pl.col("seq_no").alias("序号"),
        pl.col("indicator_name").alias("指标名称"),
        pl.col("unit_label").alias("计量单位"),
        pl.col("unit_code").alias("地区代码"),
        pl.col("unit_name").alias("地区名称"),
        pl.col("baseline_value").alias("基期值"),
        pl.col("target_value").alias("目标值"),
        pl.col("final_value").round(6).alias("终期值"),
        pl.col("achievement").replace_strict(ACHIEVEMENT, default=None).alias("是否达标"),
        pl.col("planned_annual_growth").round(6).alias("规划年均增速"),
        pl.col("actual_annual_growth").round(6).alias("实际年均增速"),
        pl.col("first_met_year").alias("首次达标年份"),
        pl.col("share_of_city_value").round(6).alias("占全市比重"),
        pl.col("share_of_city_growth").round(6).alias("对全市增长贡献"),
        pl.lit(vintage["vintage_id"]).alias("数据版本"),
    )
    return frame, vintage, plan_id, plan_name
