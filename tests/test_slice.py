"""The end-to-end slice on city demo data: calibration, rules, export, refresh, app."""

import csv
import io
import itertools
import json
import os
import shutil
import subprocess
import sys

import pytest

PLAN_2021 = {
    "valid_invention_patents": 1632,
    "invention_per_10k": 3.12,
    "patent_grants": 7096,
    "invention_grants": 348,
}


def city_value(con, code: str, year: int) -> float:
    return con.execute(
        "select value from marts.fct_indicator_values "
        "where indicator_code = ? and report_year = ? and unit_code = '421000'",
        [code, year],
    ).fetchall()[0][0]


@pytest.mark.parametrize(("code", "published"), PLAN_2021.items())
def test_2021_reproduces_the_plan_baseline_within_2_percent(warehouse, code, published):
    assert city_value(warehouse, code, 2021) == pytest.approx(published, rel=0.02)


def test_2020_reproduces_chapter_1_stocks(warehouse):
    assert city_value(warehouse, "valid_invention_patents", 2020) == 1367
    # 地理标志商标 59 + 地理标志保护产品 12
    assert city_value(warehouse, "geographic_indications", 2020) == 59 + 12
    # 有效注册商标 "突破4.5万"
    assert 45_000 < city_value(warehouse, "valid_trademarks", 2020) < 46_000


def test_2025_path_reaches_some_targets_and_misses_others(warehouse):
    status = dict(
        warehouse.execute(
            "select indicator_code, status_code from marts.fct_target_progress "
            "where report_year = 2025 and plan_id = '2021-2025'"
        ).fetchall()
    )
    # 2025 is the target year: every status is final
    assert status["patent_grants"] == "met" and status["valid_trademarks"] == "met"
    assert status["valid_invention_patents"] == "not_met"
    assert status["high_value_invention_per_10k"] == "not_met"
    # a range target (2–3) is met at its low end
    assert city_value(warehouse, "pilot_demo_units", 2025) == 2
    assert status["pilot_demo_units"] == "met"


def test_missing_survey_year_stays_empty(warehouse):
    assert (
        warehouse.execute(
            "select count(*) from marts.fct_indicator_values "
            "where indicator_code = 'protection_satisfaction' and report_year = 2024"
        ).fetchall()[0][0]
        == 0
    )


def test_sql_stocks_equal_the_generators_independent_numpy_evaluation(warehouse, truth):
    for year, expected in truth["indicators"]["patents"].items():
        for code in ("valid_invention_patents", "patent_grants", "invention_grants"):
            assert city_value(warehouse, code, int(year)) == expected[code], (code, year)
    for year, expected in truth["indicators"]["valid_trademarks"].items():
        assert city_value(warehouse, "valid_trademarks", int(year)) == expected, year


def test_high_value_count_equals_generator_where_no_pledge_reaches_threshold(warehouse, truth):
    # the demo's pledges stay below 1000万 per patent until 2021, so criteria 1, 2, 3, 5 decide
    for year in range(2015, 2022):
        count = warehouse.execute(
            "select count(*) from marts.fct_high_value_assessments "
            "where is_high_value and report_year = ? and report_month = 12",
            [year],
        ).fetchall()[0][0]
        assert count == truth["indicators"]["patents"][str(year)]["high_value_without_pledges"]


def test_per_10k_is_count_over_year_end_population(warehouse, truth):
    value = city_value(warehouse, "invention_per_10k", 2021)
    population = truth["population"]["2021"]
    assert value == pytest.approx(1632 / (population / 10_000), rel=1e-12)
    assert round(value, 2) == 3.12


def test_2020_per_10k_uses_the_census_and_differs_from_the_published_2_45(warehouse):
    # 1367 / 523.1万 = 2.61; the plan's 2.45 used a pre-census estimate (~558万)
    assert round(city_value(warehouse, "invention_per_10k", 2020), 2) == 2.61


def test_city_total_is_units_plus_unattributed(warehouse):
    units, city = warehouse.execute(
        """select sum(numerator) filter (where unit_code != '421000'),
                  sum(numerator) filter (where unit_code = '421000')
           from marts.fct_indicator_values
           where indicator_code = 'valid_invention_patents' and report_year = 2023"""
    ).fetchall()[0]
    assert units == city


@pytest.mark.parametrize(
    ("table", "key"),
    [("fct_patent_rights", "patent_id"), ("fct_trademark_rights", "trademark_id")],
)
def test_a_rights_periods_in_force_never_overlap(warehouse, table, key):
    """A right is in a stock at most once on any date: the indicators count its rows."""
    overlapping, rights = warehouse.execute(
        f"""select count(*) filter (where valid_from < previous_to), count(distinct {key})
            from (select {key}, valid_from, lag(valid_to) over (
                      partition by {key} order by valid_from, valid_to) as previous_to
                  from marts.{table})"""
    ).fetchall()[0]
    assert rights > 1000 and overlapping == 0


@pytest.mark.parametrize(
    ("mart", "period", "rows"),
    [
        ("fct_indicator_values", "report_year", "where is_in_yearly_value"),
        ("fct_indicator_values_monthly", "report_year, report_month", ""),
    ],
)
def test_every_counted_value_is_the_number_of_records_its_drill_through_lists(
    warehouse, mart, period, rows
):
    """For every indicator counted in records, unit and year (month): numerator = the rows of
    fct_indicator_records the drill-through shows (every unit's for the city)."""
    mismatched, compared = warehouse.execute(
        f"""with shown as (
               select indicator_code, unit_code, {period}, count(*) as n
               from marts.fct_indicator_records {rows} group by all
               union all
               select indicator_code, '421000', {period}, count(*)
               from marts.fct_indicator_records {rows} group by all)
           select count(*) filter (where v.numerator != coalesce(shown.n, 0)), count(*)
           from marts.{mart} as v
           join seeds.indicator_catalogue as t using (indicator_code)
           left join shown using (indicator_code, unit_code, {period})
           where t.numerator_rule = 'count_records'"""
    ).fetchall()[0]
    assert compared > 1000 and mismatched == 0


def test_lists_in_record_details_are_sorted_so_that_a_rebuild_repeats_them(warehouse):
    """An aggregated list follows DuckDB's thread scheduling unless ordered: two builds of the
    same records would show a drill-through detail in another order, as if revised."""
    lists = 0  # the city demo's lists of more than one: its patents' industries
    for table, column in (
        ("intermediate.int_patent_sei_matched", "sei_industries"),
        ("marts.fct_high_value_assessments", "family_members_abroad"),
        ("marts.fct_high_value_assessments", "awards_to_date"),
    ):
        several, unsorted = warehouse.execute(
            f"select count(*) filter (where contains({column}, '; ')), count(*) filter "
            f"(where string_split({column}, '; ') != list_sort(string_split({column}, '; '))) "
            f"from {table}"
        ).fetchone()
        assert unsorted == 0, (table, column, unsorted)
        lists += several
    assert lists > 800


def test_every_record_behind_a_figure_names_itself_and_its_landing_file_and_row(warehouse):
    """The drill-through's promise: each counted record can be found in what was delivered."""
    unnamed = warehouse.execute(
        "select indicator_code, count(*) from marts.fct_indicator_records "
        "where record_name is null or source_file is null or source_row is null group by 1"
    ).fetchall()
    assert unnamed == []


def test_a_lapse_restored_later_leaves_and_rejoins_the_stock(warehouse):
    # the demo restores some lapsed patents 40 days after the lapse: out of force in between
    rows = warehouse.execute(
        """select patent_id, valid_from, valid_to from marts.fct_patent_rights
           where patent_type = 'invention'
             and exists (select 1 from staging.stg_raw__patent_events e
                         where e.patent_id = fct_patent_rights.patent_id
                           and e.event_code = 'restoration')
           order by patent_id, valid_from"""
    ).fetchall()
    gaps = [
        (b[1] - a[2]).days for a, b in itertools.pairwise(rows) if a[0] == b[0] and b[1] != a[2]
    ]
    assert len(gaps) > 10 and set(gaps) == {40}


def test_export_csv_has_bom_all_ten_indicators_and_mart_values(city_home, warehouse, tmp_path):
    out = tmp_path / "r.csv"
    done = subprocess.run(
        [sys.executable, "-m", "ipwh.cli", "export", "--year", "2021", "--out", str(out)],
        env={"IPWH_HOME": str(city_home), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert {r["序号"] for r in rows} == {str(i) for i in range(1, 11)}
    city = {r["序号"]: r for r in rows if r["地区代码"] == "421000"}
    assert float(city["5"]["本期值"]) == city_value(warehouse, "valid_invention_patents", 2021)
    assert city["9"]["目标值"] == "2–3"
    assert all(city[str(i)]["本期值"] != "" for i in range(1, 11))
    assert float(city["4"]["本期值"]) == pytest.approx(3.12, abs=0.005)
    assert all(r["数据版本"].startswith("v") for r in rows)


def test_export_xlsx_reads_as_a_report_in_an_office_suite(city_home, tmp_path):
    """The XLSX as an analyst sees it: LibreOffice Calc (headless, the nearest real client
    to Excel that runs here) prints it to PDF; the PDF's text shows years without thousands
    separators, whole indicator names and every column header on the first page. The
    export log stays under the home, not beside the file."""
    import openpyxl

    from ipwh.export import report_frame, write_report

    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip("LibreOffice and poppler-utils not installed (.ci/run installs them)")
    out_dir = tmp_path / "out"
    log_dir = tmp_path / "home_exports"
    frame, vintage = report_frame(city_home / "warehouse.duckdb", 2023)
    out = write_report(frame, vintage, "xlsx", "2023", out_dir / "r.xlsx", log_dir)
    assert (log_dir / "exports_log.jsonl").exists()
    assert not (out_dir / "exports_log.jsonl").exists()
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["指标", "元数据"]
    headers = [c.value for c in book["指标"][1]]
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(out)],
        check=True, capture_output=True, timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},  # LibreOffice's profile
    )  # fmt: skip
    pdf = out_dir / "r.pdf"
    first_page = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    squeezed = first_page.replace(" ", "")
    assert "2023" in first_page and "2,023" not in first_page
    assert "每万人口高价值发明专利拥有量" in squeezed
    missing = [h for h in headers if h.replace(" ", "") not in squeezed]
    assert not missing, missing


def test_second_refresh_with_no_new_data_rebuilds_nothing(city_home):
    # a fresh interpreter: great-expectations and dbt are imported only when there is
    # something to validate and build, so a no-change refresh stays cheap
    code = (
        "import sys, json; from pathlib import Path; from ipwh.paths import Home; "
        "from ipwh.refresh import refresh; "
        f"r = refresh(Home(Path({str(city_home)!r}))); "
        "print(json.dumps([r.outcome, sorted(r.stages), 'great_expectations' in sys.modules, "
        "'dbt.cli.main' in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    outcome, stages, gx_imported, dbt_imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome == "unchanged"
    assert "build" not in stages
    assert not gx_imported and not dbt_imported


def test_reconciliation_explains_the_2020_per_10k_gap_by_its_denominator(warehouse):
    status, explanation, implied = warehouse.execute(
        "select reconciliation_status, explanation, implied_population_persons "
        "from marts.rpt_reconciliation where figure_id = 'plan_2020_per10k'"
    ).fetchall()[0]
    assert status == "differs"
    assert 5_570_000 < implied < 5_590_000  # 1367 / 2.45 × 10⁴ ≈ 558万
    assert "558.0万" in explanation and "523.1万" in explanation
    others = warehouse.execute(
        "select figure_id from marts.rpt_reconciliation where figure_id like 'plan_2021%' "
        "and reconciliation_status != 'consistent'"
    ).fetchall()
    assert others == []


def test_published_hunan_densities_recompute_with_our_formula(warehouse):
    rows = dict(
        warehouse.execute(
            "select check_status, count(*) from marts.rpt_density_formula_check group by 1"
        ).fetchall()
    )
    # two rows lost their labels and figures on the source page
    assert rows == {"matches": 30, "not_checkable": 2}


def _cli(home, *args):
    return subprocess.run(
        [sys.executable, "-m", "ipwh.cli", *args],
        env={"IPWH_HOME": str(home), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )


def test_status_json_names_the_published_vintage_and_alerts_when_stale(city_home, warehouse):
    import json

    done = _cli(city_home, "status", "--json")
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    latest = warehouse.execute(
        "select vintage_id from meta.vintages order by published_at desc limit 1"
    ).fetchall()[0][0]
    assert status["published_vintage"]["vintage_id"] == latest
    assert set(status["sources"]) >= {"patents", "trademarks", "population"}
    assert _cli(city_home, "status", "--max-age-hours", "0").returncode == 1


def test_ingest_usage_errors_exit_2_and_rejections_exit_1(city_home, tmp_path):
    assert _cli(tmp_path, "ingest", "x.csv", "--kind", "nonsense").returncode == 2
    assert _cli(tmp_path, "frobnicate").returncode == 2
    bad = tmp_path / "patents" / "p.csv"
    bad.parent.mkdir()
    bad.write_text("申请号,申请时间\n201710601862.3,2017-01-01\n", encoding="utf-8")
    done = _cli(tmp_path, "ingest", str(bad), "--json")
    assert done.returncode == 1
    import json

    (result,) = json.loads(done.stdout)
    assert result["status"] == "rejected" and result["rows_read"] == 0
    assert result["rejection_cause"] == "unmapped_fields"  # no 申请日, 专利类型, …
    assert {"file", "kind", "rows_read", "rows_loaded", "rows_quarantined"} <= set(result)


def test_supplementary_2020_figures_match_chapter_1(warehouse):
    values = dict(
        warehouse.execute(
            "select indicator_code, value from marts.fct_indicator_values "
            "where report_year = 2020 and unit_code = '421000'"
        ).fetchall()
    )
    assert values["gi_trademarks"] == 59 and values["gi_products"] == 12
    assert values["well_known_marks"] == 25
    assert values["agricultural_gis"] > 0  # shown separately, not in indicator 8


def test_the_final_assessment_of_the_2021_2025_plan(city_home, warehouse, tmp_path):
    """`ipwh assess` on the demo: which Table 3 indicators were met in 2025, checked against
    the shipped plan file and the marts' yearly values (not the assessment mart); a plan
    not yet finished has no final assessment."""
    from ipwh.paths import PROJECT_DIR

    env = {**os.environ, "IPWH_HOME": str(city_home)}
    out = tmp_path / "assessment.csv"
    done = subprocess.run(
        [sys.executable, "-m", "ipwh.cli", "assess", "--plan", "2021-2025", "--out", str(out)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    city = {r["指标名称"]: r["是否达标"] for r in rows if r["地区代码"] == "421000"}
    with (PROJECT_DIR / "seeds" / "plan_targets.csv").open(encoding="utf-8") as fh:
        plan = list(csv.DictReader(fh))
    names = dict(warehouse.execute(
        "select indicator_code, indicator_name from seeds.indicator_catalogue"
    ).fetchall())  # fmt: skip
    assert len(city) == len(plan) == 10
    for target in plan:
        value = warehouse.execute(
            "select value from marts.fct_indicator_values where indicator_code = ? "
            "and unit_code = '421000' and report_year = 2025",
            [target["indicator"]],
        ).fetchall()
        low = float(target["target_value"] or target["target_low"])
        expected = "无数据" if not value or value[0][0] is None else (
            "是" if value[0][0] >= low - 1e-9 else "否"
        )  # fmt: skip
        assert city[names[target["indicator"]]] == expected, target["indicator"]
    assert set(city.values()) == {"是", "否"}  # the demo path meets some targets, not all
    unfinished = subprocess.run(
        [sys.executable, "-m", "ipwh.cli", "assess", "--plan", "2026-2030"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert unfinished.returncode == 1 and "not finished" in unfinished.stderr


def test_the_assessments_rates_and_shares_are_numbers_shown_as_percentages(city_home, tmp_path):
    """In the XLSX a growth rate or a share is a number formatted as a percentage (a text
    `9.3%` would sort as text); the city's actual growth is the compound rate from the plan
    file's baseline to the final value."""
    import openpyxl

    from ipwh.export import assessment_frame, write_report

    frame, vintage, *_ = assessment_frame(city_home / "warehouse.duckdb", "2021-2025")
    out = write_report(frame, vintage, "xlsx", "t", tmp_path / "a.xlsx", tmp_path)
    sheet = openpyxl.load_workbook(out)["指标"]
    headers = [c.value for c in sheet[1]]
    rows = [dict(zip(headers, r, strict=True)) for r in sheet.iter_rows(min_row=2)]
    for header in ("规划年均增速", "实际年均增速", "占全市比重", "对全市增长贡献"):
        cells = [r[header] for r in rows if r[header].value is not None]
        assert cells, header
        assert all(isinstance(c.value, int | float) and c.number_format == "0.0%" for c in cells)
    grants = next(r for r in rows if r["序号"].value == "2" and r["地区代码"].value == "421000")
    baseline = 7096  # seeds/plan_targets.csv: patent grants, 2021
    expected = (grants["终期值"].value / baseline) ** (1 / (2025 - 2021)) - 1
    assert grants["实际年均增速"].value == pytest.approx(expected, abs=1e-6)


def test_month_end_stocks_and_month_flows_equal_the_generators_evaluation(warehouse, truth):
    """One year month by month, against the generator's own numpy evaluation of the events
    (grants, lapses, restorations, transfers) at each month's last day."""
    for month, expected in truth["indicators"]["patents_2024_by_month"].items():
        for code in ("valid_invention_patents", "patent_grants"):
            got = warehouse.execute(
                "select value from marts.fct_indicator_values_monthly where indicator_code = ? "
                "and unit_code = '421000' and report_year = 2024 and report_month = ?",
                [code, int(month)],
            ).fetchall()[0][0]
            assert got == expected[code], (code, month)


def test_december_of_the_monthly_series_is_the_year(warehouse):
    """Every indicator, unit and year: December's year-to-date value is the yearly value;
    a flow's December year-to-date is its twelve months summed, a stock's is December's."""
    compared, mismatched = warehouse.execute(
        """with summed as (
               select indicator_code, unit_code, report_year,
                      sum(value) as months_summed,
                      arg_max(value, report_month) as december,
                      arg_max(ytd_value, report_month) as december_ytd
               from marts.fct_indicator_values_monthly group by all)
           select count(*), count(*) filter (where not (
               y.value is not distinct from s.december_ytd
               and (case when c.indicator_kind = 'flow' then abs(s.months_summed - y.value) < 1e-9
                         else s.december is not distinct from y.value end)))
           from marts.fct_indicator_values as y
           join seeds.indicator_catalogue as c using (indicator_code)
           join summed as s using (indicator_code, unit_code, report_year)"""
    ).fetchall()[0]
    yearly = warehouse.execute(
        "select count(*) from marts.fct_indicator_values "
        "where indicator_code != 'protection_satisfaction'"
    ).fetchall()[0][0]
    assert compared == yearly > 1000 and mismatched == 0


@pytest.mark.parametrize(
    ("flag", "period", "months"), [("--month", "2025-10", [10]), ("--quarter", "2025Q3", [7, 8, 9])]
)
def test_monthly_and_quarterly_forms(city_home, warehouse, tmp_path, flag, period, months):
    """The province's form: its columns, one row per indicator × unit, the period's flow
    summed from the monthly series, the year to date from January, 同比 against the same
    months of the year before."""
    out = tmp_path / "m.csv"
    done = subprocess.run(
        [sys.executable, "-m", "ipwh.cli", "export", flag, period, "--out", str(out)],
        env={"IPWH_HOME": str(city_home), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    value = "本月值" if flag == "--month" else "本季值"
    assert list(rows[0]) == [
        "序号", "指标名称", "计量单位", "地区代码", "地区名称", value,
        "本年累计", "上年同期", "同比(%)", "完整性", "数据版本", "数据截止",
    ]  # fmt: skip
    indicators = warehouse.execute(
        "select count(*) from seeds.indicator_catalogue where indicator_kind != 'survey'"
    ).fetchall()[0][0]
    units = warehouse.execute(
        "select count(*) from seeds.reporting_units where unit_kind != 'unattributed'"
    ).fetchall()[0][0]
    assert len(rows) == len({(r["序号"], r["地区代码"]) for r in rows}) == indicators * units
    city = next(r for r in rows if r["序号"] == "2" and r["地区代码"] == "421000")

    def grants(year: int, in_months: list[int]) -> float:
        return warehouse.execute(
            "select sum(value) from marts.fct_indicator_values_monthly where indicator_code = "
            "'patent_grants' and unit_code = '421000' and report_year = ? and report_month in "
            f"({','.join(map(str, in_months))})",
            [year],
        ).fetchall()[0][0]

    to_date = list(range(1, months[-1] + 1))
    assert float(city[value]) == grants(2025, months)
    assert float(city["本年累计"]) == grants(2025, to_date)
    assert float(city["上年同期"]) == grants(2024, to_date)
    change = (grants(2025, to_date) / grants(2024, to_date) - 1) * 100
    assert float(city["同比(%)"]) == pytest.approx(change, abs=0.005)
    assert {r["完整性"] for r in rows} == {"完整"}  # the demo's data go to 2025-12-31


def test_a_month_the_data_cutoff_does_not_cover_is_marked_incomplete(tmp_path):
    """The small home's last grant is 2020-11-27: October 2020 is complete, November and
    the fourth quarter are not, and the export says so."""
    from ipwh.export import period_frame
    from ipwh.paths import Home
    from ipwh.refresh import refresh
    from tests.small_home import make_small_home

    home = make_small_home(tmp_path / "home")
    assert refresh(Home(home)).outcome == "published"
    warehouse = home / "warehouse.duckdb"
    marks = {}
    for period in ("2020-10", "2020-11", "2020Q3", "2020Q4"):
        frame, vintage, _ = period_frame(warehouse, period)
        marks[period] = set(frame["完整性"])
    assert str(vintage["data_cutoff"]) == "2020-11-27"
    incomplete = {"不完整(数据截止2020-11-27)"}
    assert marks == {"2020-10": {"完整"}, "2020-11": incomplete, "2020Q3": {"完整"},
                     "2020Q4": incomplete}  # fmt: skip
