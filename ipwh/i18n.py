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
    "baseline": ("基期值", "Baseline"),
    "target": ("目标值", "Target"),
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
    "detail": ("指标详情", "Indicator detail"),
    "drill": ("明细数据", "Records behind a value"),
    "unit_table": ("区县", "Units"),
    "quality": ("数据质量", "Data quality"),
    "definitions": ("指标口径", "Definitions"),
    "files_not_read": (
        "收件箱中有文件未被读取(文件夹或扩展名不对),请移到对应类型的文件夹",
        "Inbox files not read (unknown folder or extension): move them to a kind's folder",
    ),
    "sei_links": (
        "战略性新兴产业与IPC对照:参考表 {} 条,本局补充表 {} 条",
        "SEI–IPC links: {} from the reference concordance, {} from the office's addendum",
    ),
    "family_unknown": (
        "{} 年:{} 件有效发明专利的境外同族未提供授权状态,无法按标准2(境外同族授权)评估",
        "{}: {} valid inventions have family members abroad of unknown grant status: "
        "criterion 2 could not be assessed",
    ),
    "not_applicable": ("不适用", "n.a."),
    "map_note": (
        "圆点位于各区县行政区划中心(cpca 区划数据);功能区与市本级没有独立区划,不在图上",
        "Each unit at its county's centroid (cpca division data); the functional zones and "
        "the city level have no division of their own and are not on the map",
    ),
    "plan": ("规划", "Plan"),
    "assessment": ("终期评估", "Final assessment"),
    "plans": ("规划目标", "Plans and their targets"),
    "example_plan": (
        "示例规划:演示用的目标,不是任何人的真实目标",
        "Example plan: illustrative targets, not anybody's real targets",
    ),
    "not_in_plan": ("该规划没有这个指标", "This plan has no target for this indicator"),
    "no_population_note": (
        "不适用:该地区没有常住人口数(功能区),不计算每万人口指标,其数量计入全市",
        "n.a.: the area has no resident population figure (a functional zone), so it has no "
        "per-10k value; its count is in the city total",
    ),
    "counting_rules": ("完整计数规则(英文,含中文术语)", "The counting rules in full"),
    "export": ("报表导出", "Export"),
    "glide": ("目标路径", "Glide path to target"),
    "projection": ("目标年预测", "Projection to the target year"),
    "required_growth": ("所需年均增速", "Required annual growth"),
    "actual_growth": ("实际年均增速", "Actual annual growth"),
    "per_10k_note": (
        "每万人口指标按各区县年末常住人口计算",
        "Per-10k values use each unit's year-end population",
    ),
    "records": ("条记录", "records"),
    "col_record_id": ("号码", "Number"),
    "col_unit_code": ("地区代码", "Area code"),
    "col_record_name": ("名称", "Name"),
    "col_holder": ("权利人", "Holder"),
    "col_record_date": ("日期", "Date"),
    "col_amount": ("金额(元)", "Amount (CNY)"),
    "col_detail": ("说明", "Detail"),
    "col_source_file": ("来源文件", "Source file"),
    "col_source_row": ("来源行", "Source row"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_xlsx": ("下载 XLSX", "Download XLSX"),
    "filter": ("筛选(名称/权利人/号码)", "Filter (name / holder / number)"),
    "yoy": ("同比", "YoY"),
    "value_done": ("完成值", "Value"),
    "last_refresh": ("最近刷新", "Last refresh"),
    "outcome": ("结果", "Outcome"),
    "outcome_published": ("已发布新版本", "New vintage published"),
    "outcome_unchanged": ("无新数据", "No new data"),
    "outcome_failed": ("失败(仍提供上一版本)", "Failed (the last vintage is still served)"),
    "refreshed_at": ("刷新时间", "Refreshed at"),
    "duration_s": ("用时", "Duration"),
    "warnings": ("警告", "Warnings"),
    "stage_ingest": ("读入", "ingest"),
    "stage_validate_raw": ("原始数据检查", "raw checks"),
    "stage_build": ("构建", "build"),
    "stage_validate_marts": ("结果检查", "result checks"),
    "raw_status": ("原始记录 (status.json)", "Raw record (status.json)"),
    "vintages": ("数据版本", "Vintages"),
    "revisions": ("修订记录", "Revisions"),
    "files": ("已加载文件", "Files loaded"),
    "quarantine": ("隔离数据(按原因)", "Quarantined rows by reason"),
    "validation": ("数据校验结果(great-expectations)", "Validation results (great-expectations)"),
    "data_docs": ("Data Docs 位置", "Data Docs location"),
    "reconciliation": ("与公布数据核对", "Reconciliation with published figures"),
    "parameters": ("参数", "Parameters"),
    "criteria": ("高价值发明专利标准", "High-value criteria"),
    "reporting_units": ("统计单元", "Reporting units"),
    "past_exports": ("历史导出", "Past exports"),
    "no_rows": ("没有记录", "No records"),
}


def lang() -> int:
    """0 Chinese (default), 1 English."""
    return 1 if st.session_state.get("lang") == "English" else 0


def t(key: str) -> str:
    return STRINGS[key][lang()]
