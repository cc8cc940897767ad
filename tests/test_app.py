"""Every app page under Streamlit's AppTest, in Chinese and English, on the demo warehouse."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from ipwh.strings import strings
from tests.conftest import FIXTURES

APP = str(FIXTURES.parent.parent / "app.py")
PAGES = [
    "overview", "indicator", "drill", "units", "assessment", "quality", "definitions", "export",
]  # fmt: skip


CODE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
# columns whose codes are what they show: identifiers, a reason code beside its text, a file's
# encoding, the dbt vars by name
IDENTIFIERS = {
    "indicator_code", "criterion_code", "figure_id", "reason", "suite", "expectation_id",
    "encoding", "value", "file_name",
}  # fmt: skip


@pytest.fixture()
def app(city_home, monkeypatch):
    monkeypatch.setenv("IPWH_HOME", str(city_home))

    def open_page(page: str, english: bool = False) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        if english:
            at.sidebar.radio[0].set_value("English").run()
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return open_page


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("english", [False, True])
def test_every_page_renders_without_exception(app, page, english):
    at = app(page, english)
    assert at.title


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("english", [False, True])
def test_no_table_shows_a_database_column_name_or_none(app, page, english):
    """Every table's headers and every widget's label come from the language switch (a
    column named like `rows_loaded` carries a label) and a missing value shows as —."""
    import json
    import re

    at = app(page, english)
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        raw = [
            c for c in map(str, frame.value.columns)
            if re.fullmatch(r"[a-z][a-z0-9_]*", c) and not config.get(c, {}).get("label")
        ]  # fmt: skip
        assert not raw, (page, raw)
        assert frame.proto.placeholder == "—", page
        assert len(frame.value), page  # an empty table's own text is English: say it in words
        if not english:  # a coded value (kind, status, field …) is said in Chinese
            coded = {
                c: sorted({v for v in frame.value[c] if isinstance(v, str) and CODE.fullmatch(v)})
                for c in map(str, frame.value.columns)
                if c not in IDENTIFIERS
            }
            assert not {c: v for c, v in coded.items() if v}, page
    # a raw name: snake_case in either language, any lower-case ASCII word on a Chinese page
    # (an English label may be a plain word: "patents")
    raw_name = r"[a-z0-9]+(_[a-z0-9]+)+" if english else r"[a-z][a-z0-9_]*"
    widgets = [*at.selectbox, *at.radio, *at.text_input, *at.metric]
    assert not [w.label for w in widgets if re.fullmatch(raw_name, w.label)], page


def test_every_interface_string_is_there_in_both_languages():
    """ipwh/strings.csv: one row per key, Chinese and English both filled, and every key the
    app asks for with t("…") is in it."""
    import csv
    import json
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    with (root / "ipwh" / "strings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    keys = [(r["kind"], r["key"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert not [r for r in rows if None in r], "a row with more than four fields (quote commas)"
    assert all(r["zh"].strip() and r["en"].strip() for r in rows), [
        r["key"] for r in rows if not (r["zh"].strip() and r["en"].strip())
    ]
    sources = [root / "app.py", *(root / "app_pages").glob("*.py"), root / "ipwh" / "app_data.py"]
    used = {k for p in sources for k in re.findall(r'\bt\("([a-z0-9_]+)"\)', p.read_text())}
    text_keys = {k for kind, k in keys if kind == "text"}
    assert used and used <= text_keys, used - text_keys
    # every gate check and every dbt test that warns says what it looks for (the quality page)
    from ipwh.validate import reconciliation_expectations

    suites = [json.loads(p.read_text("utf-8")) for p in (root / "expectations").glob("*.json")]
    checks = {
        e["meta"]["id"]
        for expectations in [
            *(s["expectations"] for s in suites),
            *reconciliation_expectations().values(),
        ]
        for e in expectations
    } | {
        p.stem for p in (root / "tests" / "dbt").glob("*.sql") if "severity='warn'" in p.read_text()
    }
    check_keys = {k for kind, k in keys if kind == "check"}
    assert checks and checks == check_keys, checks ^ check_keys


def test_overview_shows_all_ten_indicators_in_chinese_and_english(app):
    at = app("overview")
    assert at.title[0].value == "荆州市知识产权统计"
    assert len(at.metric) == 10
    assert any("有效发明专利拥有量" in m.value for m in at.markdown)
    at = app("overview", english=True)
    assert at.title[0].value == "Jingzhou IP statistics"
    assert any("Valid invention patents" in m.value for m in at.markdown)


def test_drill_through_lists_exactly_the_records_behind_the_value(app, warehouse):
    at = app("drill")
    at.selectbox(key="drill_indicator").set_value("valid_invention_patents")
    at.selectbox(key="drill_unit").set_value("421087")
    at.selectbox(key="drill_year").set_value(2023)
    at.run()
    expected = warehouse.execute(
        "select numerator from marts.fct_indicator_values where indicator_code = "
        "'valid_invention_patents' and unit_code = '421087' and report_year = 2023"
    ).fetchall()[0][0]
    assert at.caption[0].value.startswith(f"{int(expected):,} ")
    assert len(at.dataframe[0].value) == expected


def test_high_value_drill_shows_why_each_patent_counts(app):
    at = app("drill")
    at.selectbox(key="drill_indicator").set_value("high_value_invention_per_10k")
    at.selectbox(key="drill_year").set_value(2021)
    at.run()
    details = at.dataframe[0].value["detail"]
    assert len(details) == 439 and details.str.len().min() > 0


def test_units_page_has_every_unit_with_year_on_year_change(app, warehouse):
    at = app("units")
    table = at.dataframe[0].value
    assert len(table) == 13  # the city, eleven units and 市本级/未分配
    column = next(c for c in table.columns if c.startswith("5. ") and "同比" in c)
    now, before = (
        warehouse.execute(
            "select value from marts.fct_indicator_values where unit_code = '421000' "
            "and indicator_code = 'valid_invention_patents' and report_year = ?",
            [y],
        ).fetchall()[0][0]
        for y in (2025, 2024)
    )
    arrow = "▲" if now > before else "▼"
    assert table[column].iloc[0] == f"{arrow} {abs(now / before - 1) * 100:.1f}%"


def test_units_page_maps_the_eight_county_level_units_at_their_centroids(app):
    """Circles at the county centroids of seeds/reference/admin_divisions.csv; the zones and
    市本级 have no division of their own and are not placed."""
    import pyarrow as pa

    at = app("units")
    placed = at.get("vega_lite_chart")[0].proto.data  # the map's data, as Arrow
    points = pa.ipc.open_stream(placed.data).read_all().to_pylist()
    assert len(points) == 8
    assert {p["地区"] for p in points} >= {"沙市区", "监利市", "洪湖市"}
    assert all(111 < p["longitude"] < 114 and 29 < p["latitude"] < 31 for p in points)


def test_a_unit_without_population_says_not_applicable_instead_of_an_empty_cell(app):
    """counting-rules.md §2: the development zones have no population figure."""
    for english, word in ((False, "不适用"), (True, "n.a.")):
        at = app("units", english)
        table = at.dataframe[0].value
        unit = "荆州开发区" if not english else "Jingzhou Economic Development Zone"
        row = table[table.iloc[:, 0] == unit].iloc[0]
        per_10k = [c for c in table.columns if "万人" in c or "10k" in c]
        assert per_10k and all(
            row[c] == word for c in per_10k if "同比" not in c and "YoY" not in c
        )
        assert any(word in c.value for c in at.caption)


def test_quality_page_summarises_the_last_refresh_in_words(app):
    at = app("quality")
    shown = {m.label: m.value for m in at.metric}
    assert shown["结果"] == "已发布新版本" and shown["用时"].endswith(" s")
    assert any("构建" in c.value for c in at.caption)
    # the demo's one warning, in words, with its check id and what it found
    said = strings()[("check", "warn_ipc_subclasses_without_sei_link")][0]
    assert [c.value for c in at.caption if c.value.startswith(f"⚠ {said} · warn_ipc")]
    at = app("quality", english=True)
    assert {m.label: m.value for m in at.metric}["Outcome"] == "New vintage published"


def test_quality_page_reads_warnings_an_older_release_wrote(city_home, tmp_path, monkeypatch):
    """Warnings written as sentences (before they were entries) show as they are until the
    next refresh rewrites status.json: an upgrade does not break the page."""
    import json

    home = tmp_path / "home"
    home.mkdir()
    (home / "warehouse.duckdb").symlink_to(city_home / "warehouse.duckdb")
    status = json.loads((city_home / "status.json").read_text(encoding="utf-8"))
    status["last_refresh"]["warnings"] = ["warn_ipc_subclasses_without_sei_link (4 rows)"]
    (home / "status.json").write_text(json.dumps(status), encoding="utf-8")
    monkeypatch.setenv("IPWH_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/quality.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert "⚠ warn_ipc_subclasses_without_sei_link (4 rows)" in [c.value for c in at.caption]


@pytest.mark.parametrize("english", [False, True])
def test_quarantine_reasons_and_checks_are_said_in_words_in_the_chosen_language(app, english):
    at = app("quality", english)
    checks = next(df.value for df in at.dataframe if "check_text" in df.value.columns)
    assert len(checks) > 20 and set(checks["success"]) == {True}  # the demo passes every check
    for check, said in zip(checks["expectation_id"], checks["check_text"], strict=True):
        assert said == strings()[("check", check)][english], check
    by_reason = next(df.value for df in at.dataframe if "reason_text" in df.value.columns)
    meanings = dict(zip(by_reason["reason"], by_reason["reason_text"], strict=True))
    assert "bad_check_digit" in meanings
    for code, meaning in meanings.items():  # as ipwh/strings.csv says it, not the code
        assert meaning == strings()[("reason", code)][english], code
    shown = at.selectbox(key="quarantine_reason").options
    assert ("申请号校验位错误 (bad_check_digit)" in shown) != english


def test_quality_page_explains_the_2020_gap(app):
    at = app("quality")
    text = " ".join(str(df.value.to_dict()) for df in at.dataframe)
    assert "558.0万" in text and "bad_check_digit" in text


def test_export_page_offers_the_same_report_as_the_cli(app):
    at = app("export")
    at.selectbox(key="export_year").set_value(2021).run()
    report = at.dataframe[0].value
    assert len(report) == 10 * 12 and "本期值" in report.columns


def test_app_says_so_when_no_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("IPWH_HOME", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "ipwh refresh" in at.warning[0].value


FORMULAS = ["=1+2", "@cmd", "+86-716", "-2+3"]  # ingest trims tabs and CRs itself


def test_no_text_cell_handed_out_runs_as_a_formula(tmp_path, monkeypatch):
    """OWASP CSV injection: applicants named like formulas, through the drill-through
    download; and the export writer, CSV and XLSX."""
    import openpyxl
    import polars as pl
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    from ipwh.export import render
    from ipwh.paths import Home
    from ipwh.refresh import refresh
    from tests.small_home import PATENT_HEADER, make_small_home, patents, write_csv

    home = make_small_home(tmp_path / "home")
    rows = patents(len(FORMULAS), 2018, start=900)
    for row, name in zip(rows, FORMULAS, strict=True):
        row[3] = name
    write_csv(home / "inbox" / "patents" / "formulas.csv", PATENT_HEADER, rows)
    assert refresh(Home(home)).outcome == "published"

    downloads = []
    load = MemoryMediaFileStorage.load_and_get_id

    def recorded(self, data, mimetype, kind, filename=None):
        downloads.append((filename, data))
        return load(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recorded)
    monkeypatch.setenv("IPWH_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/drill.py").run()
    at.selectbox(key="drill_indicator").set_value("valid_invention_patents")
    at.selectbox(key="drill_unit").set_value("421000")
    year = at.selectbox(key="drill_year")
    year.set_value(int(year.options[0])).run()  # the latest year
    assert not at.exception
    name, csv = [(n, data) for n, data in downloads if n and n.startswith("records_")][-1]
    assert re.search(r"_v\d{8}T\d{9}\.csv$", name), name  # the vintage in the file name
    frame = pl.read_csv(csv, infer_schema=False)
    holders = set(frame["权利人"])  # the chosen language's header
    assert {"'" + f for f in FORMULAS} <= holders, holders & set(FORMULAS)
    assert not any(h.startswith(("=", "+", "-", "@", "\t")) for h in holders)

    report = pl.DataFrame({"指标名称": FORMULAS, "本期值": [1.0] * len(FORMULAS)})
    vintage = {"vintage_id": "v", "data_cutoff": "", "published_at": "", "code_version": "",
               "population_sources": ""}  # fmt: skip
    text = render(report, vintage, "csv", "t").decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in text[1:]] == ["'" + f for f in FORMULAS]
    out = tmp_path / "r.xlsx"
    out.write_bytes(render(report, vintage, "xlsx", "t"))
    sheet = openpyxl.load_workbook(out)["指标"]
    cells = [sheet.cell(row=i + 2, column=1) for i in range(len(FORMULAS))]
    assert [c.data_type for c in cells] == ["s"] * len(FORMULAS)  # text, not formulas
    assert [c.value for c in cells] == FORMULAS


def test_final_assessment_page_matches_ipwh_assess(app, city_home):
    from ipwh.export import assessment_frame

    at = app("assessment")
    at.selectbox(key="assessment_plan").set_value("2021-2025").run()
    frame, *_ = assessment_frame(city_home / "warehouse.duckdb", "2021-2025")
    shown = at.dataframe[0].value
    assert (
        len(shown) == 10
        and list(shown["是否达标"])
        == frame.filter(frame["地区代码"] == "421000")["是否达标"].to_list()
    )
    at.selectbox(key="assessment_plan").set_value("2026-2030").run()
    assert "not finished" in at.info[0].value


@pytest.mark.parametrize("english", [False, True])
def test_detail_page_switches_to_the_monthly_series(app, warehouse, english):
    """The chosen year's twelve months from the province's form, labelled in the chosen
    language, with the year to date as the monthly mart has it."""
    import json

    at = app("indicator", english)
    at.radio(key="indicator_series").set_value("Monthly" if english else "月度").run()
    assert not at.exception, [e.message for e in at.exception]
    frame = at.dataframe[0]  # then the units' table
    config = json.loads(frame.proto.columns or "{}")
    assert config["ytd_value"]["label"] == ("Year to date" if english else "本年累计")
    assert frame.value["period_id"].tolist() == [f"2025-{m:02d}" for m in range(1, 13)]
    expected = warehouse.execute(
        "select ytd_value from marts.fct_indicator_values_monthly where unit_code = '421000' "
        "and indicator_code = 'valid_invention_patents' and report_year = 2025 "
        "order by report_month"
    ).fetchall()
    assert frame.value["ytd_value"].tolist() == [v for (v,) in expected]


def test_drill_through_of_one_month_lists_that_months_records(app, warehouse):
    at = app("drill")
    at.selectbox(key="drill_indicator").set_value("patent_grants")
    at.selectbox(key="drill_year").set_value(2024)
    at.selectbox(key="drill_month").set_value(6)
    at.run()
    expected = warehouse.execute(
        "select numerator from marts.fct_indicator_values_monthly where indicator_code = "
        "'patent_grants' and unit_code = '421000' and report_year = 2024 and report_month = 6"
    ).fetchall()[0][0]
    dates = at.dataframe[0].value["record_date"]
    assert len(dates) == expected > 0
    assert {(d.year, d.month) for d in dates} == {(2024, 6)}


def test_export_page_offers_the_monthly_form_as_ipwh_export_writes_it(app, city_home):
    from ipwh.export import period_frame

    at = app("export")
    at.radio(key="export_kind").set_value("月度").run()
    at.selectbox(key="export_period").set_value("2025-10").run()
    assert not at.exception, [e.message for e in at.exception]
    expected, _, _ = period_frame(city_home / "warehouse.duckdb", "2025-10")
    shown = at.dataframe[0].value
    assert list(shown.columns) == expected.columns
    assert len(shown) == expected.height and set(shown["完整性"]) == {"完整"}


def test_tables_show_dates_as_dates_and_row_counts_with_separators(app):
    import json

    at = app("quality")
    configs = {}
    for frame in at.dataframe:
        configs.update(json.loads(frame.proto.columns or "{}"))
    assert configs["data_cutoff"]["type_config"]["format"] == "YYYY-MM-DD"
    assert configs["published_at"]["type_config"]["format"] == "YYYY-MM-DD HH:mm:ss"
    assert configs["rows_loaded"]["type_config"]["format"] == "localized"
