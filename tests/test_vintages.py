"""Past years are recomputable: 2022's values do not move when 2023+ data arrives."""

import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ingest.normalise import clean, date
from ingest.read import open_table
from ipwh.paths import Home
from ipwh.refresh import refresh

CUTOFF = "2022-12-31"
# the column that dates each kind's rows; rows after the cutoff had not happened yet
DATE_COLUMN = {
    "patents": "申请日",
    "patent_events": "生效日",
    "trademarks": "注册公告日期",
    "trademark_events": "生效日",
    "geographic_indications": "批准日期",
    "designations": "开始日期",
}
PLEDGE_DATES = ("登记日期", "质押登记日")


def as_of_cutoff(src: Path, kind: str) -> pl.DataFrame:
    with open_table(src) as streamed:
        table = pl.concat(list(streamed.batches)).drop("_row")
    header = DATE_COLUMN.get(kind) or next((h for h in PLEDGE_DATES if h in table.columns), None)
    if kind in ("awards", "survey_scores"):
        return table.filter(pl.col("年份").cast(pl.Int64) <= 2022)
    if header is None:
        return table
    day = date(clean(pl.col(header)), 1.0)[0]
    kept = table.filter(day <= pl.lit(CUTOFF).str.to_date())
    if kind == "patents":  # not yet granted at the cutoff
        grant = date(clean(pl.col("授权公告日")), 1.0)[0]
        kept = kept.with_columns(
            pl.when(grant > pl.lit(CUTOFF).str.to_date())
            .then(pl.lit(""))
            .otherwise(pl.col("授权公告日"))
            .alias("授权公告日")
        )
    return kept


def values_2022(home: Path) -> dict:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select indicator_code, unit_code, value from marts.fct_indicator_values "
            "where report_year = 2022"
        ).fetchall()
    return {(code, unit): value for code, unit, value in rows}


@pytest.mark.slow
def test_2022_values_identical_before_and_after_later_deliveries(city_home, tmp_path):
    home = tmp_path / "home"
    for src in sorted((city_home / "inbox").glob("*/*")):
        kind = src.parent.name
        out = home / "inbox" / kind / (src.stem + ".csv")
        out.parent.mkdir(parents=True, exist_ok=True)
        as_of_cutoff(src, kind).write_csv(out)
    first = refresh(Home(home))
    assert first.outcome == "published", first.message
    before = values_2022(home)
    # the later delivery: every file again, complete to 2025 (re-delivered records included)
    for src in sorted((city_home / "inbox").glob("*/*")):
        shutil.copy(src, home / "inbox" / src.parent.name / ("full_" + src.name))
    second = refresh(Home(home))
    assert second.outcome == "published", second.message
    after = values_2022(home)
    assert len(before) == len(after) > 100
    changed = {k: (before[k], after.get(k)) for k in before if before[k] != after.get(k)}
    assert not changed
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert (
            con.execute("select max(report_year) from marts.fct_indicator_values").fetchall()[0][0]
            == 2025
        )
        assert con.execute("select count(*) from meta.vintages").fetchall()[0][0] == 2
