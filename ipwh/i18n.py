"""Interface strings, Chinese first. Indicator names and units come from the seeds."""

from __future__ import annotations

import streamlit as st

STRINGS = {
    "title": ("荆州市知识产权统计", "Jingzhou IP statistics"),
    "overview": ("总览", "Overview"),
    "vintage": ("数据版本", "Data vintage"),
    "cutoff": ("数据截止", "Data cutoff"),
    "year": ("年份", "Year"),
    "latest": ("本期值", "Value"),
    "baseline": ("基期值(2021)", "Baseline (2021)"),
    "target": ("目标值(2025)", "Target (2025)"),
    "progress": ("完成进度", "Progress"),
    "status": ("状态", "Status"),
    "trend": ("趋势与目标", "Trend and target"),
    "indicator": ("指标", "Indicator"),
    "units": ("分区县", "By reporting unit"),
    "unit": ("地区", "Area"),
    "no_data": ("暂无数据", "No data"),
    "language": ("语言 / Language", "语言 / Language"),
    "unavailable": ("数据仓库暂不可用", "The warehouse is not available"),
    "numerator": ("数量", "Count"),
    "population": ("年末常住人口", "Year-end population"),
}


def lang() -> int:
    """0 Chinese (default), 1 English."""
    return 1 if st.session_state.get("lang") == "English" else 0


def t(key: str) -> str:
    return STRINGS[key][lang()]
