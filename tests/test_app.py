"""Every app page under Streamlit's AppTest, in Chinese and English, on the demo warehouse."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import FIXTURES

APP = str(FIXTURES.parent.parent / "app.py")
PAGES = ["overview", "indicator", "drill", "units", "quality", "definitions", "export"]


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


def test_units_page_has_every_unit_with_year_on_year_change(app):
    at = app("units")
    table = at.dataframe[0].value
    assert len(table) == 13  # the city, eleven units and 市本级/未分配
    assert any("同比" in c for c in table.columns)


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
