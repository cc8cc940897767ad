"""Record kinds of the landing-file contract (counting-rules.md §5): canonical fields, their types,
which are required, and the source headers that map to them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # how it is normalised: see ingest.normalise.NORMALISERS
    required: bool = False
    synonyms: tuple[str, ...] = ()
    # a required field whose column some sources lack (API shapes without addresses): such a
    # file is accepted and its rows quarantined as missing_required, rather than rejected
    row_required_only: bool = False
    # header -> factor, for amounts whose unit is in the header (万元 -> 元)
    scaled: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    name: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # a re-delivery replaces the earlier version by this key

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


F = Field
HOLDER = ("变更后权利人", "受让人")
NEW_ADDRESS = ("变更后地址", "受让人地址")

# fmt: off
KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("patents", (
        F("application_number", "app_number", True,
          ("申请号", "application_no", "专利申请号", "ApplicationNumber")),
        F("application_date", "date", True, ("申请日", "shenqingr", "ApplicationDate")),
        F("patent_type", "patent_type", True, ("专利类型", "zhuanlilx", "KindCodeDesc")),
        F("applicants", "name_list", True,
          ("申请(专利权)人", "申请人", "专利权人", "当前权利人", "第一权利人", "shenqingrxm",
           "AssigneestringList")),
        F("address", "address", True, ("地址", "申请人地址", "第一申请人地址"),
          row_required_only=True),
        F("title", "text", False, ("发明名称", "专利名称", "名称", "标题", "zhuanlimc", "Title")),
        F("publication_number", "text", False, ("公开(公告)号", "公开号", "PublicationNumber")),
        F("grant_date", "date", False, ("授权公告日", "shouquanggr")),
        F("ipc_main", "ipc", False, ("主分类号", "IPC主分类号", "zhufenlh")),
        F("ipc", "ipc_list", False, ("分类号", "IPC分类号", "IPCList")),
        F("province_code", "text", False, ("国省代码",)),
        F("county", "text", False, ("申请人区县",)),
        F("uscc", "uscc", False, ("统一社会信用代码",)),
        F("legal_status", "text", False, ("法律状态", "简单法律状态", "falvzt")),
        F("pct", "pct_number", False, ("国际申请", "PCT申请号", "国际申请号")),
    ), key=("application_number",)),
    Kind("patent_events", (
        F("application_number", "app_number", True, ("申请号",)),
        F("event_date", "date", True, ("生效日", "法律状态公告日", "事件日期")),
        F("event", "patent_event", True, ("法律状态", "法律事件")),
        F("announcement_date", "date", False, ("法律状态公告日",)),
        F("new_holder", "text", False, HOLDER),
        F("new_address", "address", False, NEW_ADDRESS),
    ), key=("application_number", "event_date", "event")),
    Kind("trademarks", (
        F("registration_number", "tm_number", True,
          ("注册号", "申请/注册号", "RegNo", "cxkey", "reg_num")),
        F("nice_class", "nice_class", True, ("国际分类", "类别", "IntCls", "tmClass")),
        F("applicant", "text", True,
          ("申请人名称", "注册人", "ApplicantCn", "appname", "reg_name")),
        F("address", "address", True, ("申请人地址", "appaddr"), row_required_only=True),
        F("registration_date", "date", True, ("注册公告日期", "注册日期", "regdate"),
          row_required_only=True),
        F("mark_name", "text", False, ("商标名称", "tmName", "Name", "tm_name")),
        F("mark_type", "text", False, ("商标类型",)),
        F("application_date", "date", False, ("申请日期", "AppDate")),
        F("term", "text", False, ("专用权期限",)),
        F("status", "text", False, ("商标状态",)),
        F("well_known", "text", False, ("驰名商标",)),
    ), key=("registration_number",)),
    Kind("trademark_events", (
        F("registration_number", "tm_number", True, ("注册号",)),
        F("event_date", "date", True, ("生效日", "事件日期")),
        F("event", "trademark_event", True, ("事件", "流程")),
        F("new_holder", "text", False, HOLDER),
        F("new_address", "address", False, NEW_ADDRESS),
    ), key=("registration_number", "event_date", "event")),
    Kind("pledges", (
        F("registration_id", "text", True, ("质押登记号", "登记号")),
        F("registration_date", "date", True, ("登记日期", "质押登记日")),
        F("right_kind", "text", True, ("类型",)),
        F("pledgor", "text", True, ("出质人",)),
        F("amount_yuan", "money", True, ("质押金额(万元)", "债权数额(元)", "质押金额(元)"),
          scaled={"质押金额(万元)": 10_000.0}),
        F("objects", "list", True, ("质押标的", "专利号", "注册号")),
        F("pledgor_address", "address", False, ("出质人地址",)),
        F("pledgee", "text", False, ("质权人",)),
        F("contract_date", "date", False, ("合同日期",)),
        F("cancel_date", "date", False, ("注销日期",)),
    ), key=("registration_id",)),
    Kind("patent_families", (
        F("application_number", "app_number", True, ("申请号",)),
        F("member", "text", True, ("同族成员", "同族公开号")),
        F("country", "text", True, ("国家", "国别")),
        F("granted", "text", False, ("是否授权",)),
    ), key=("application_number", "member")),
    Kind("awards", (
        F("patent_number", "app_number", True, ("专利号",)),
        F("award", "award", True, ("奖项",)),
        F("year", "year", True, ("年份",)),
    ), key=("patent_number", "award", "year")),
    Kind("geographic_indications", (
        F("name", "text", True, ("产品名称", "地理标志名称")),
        F("scheme", "text", True, ("类型", "地理标志类型")),
        F("approval_date", "date", True, ("批准日期", "注册日期", "公告日期")),
        F("unit", "unit", True, ("所属区县", "地区")),
        F("registration_number", "text", False, ("注册号", "公告号", "证书编号")),
        F("holder", "text", False, ("注册人", "申请人")),
        F("revoke_date", "date", False, ("撤销日期",)),
        F("renewal_date", "date", False, ("续展日期", "续展注册日期")),
    ), key=("scheme", "registration_number", "name")),
    Kind("plan_targets", (
        F("plan_name", "text", True, ("规划名称",)),
        F("plan_period", "plan_period", True, ("规划期", "规划期限")),
        F("indicator", "indicator", True, ("指标代码", "指标名称", "指标")),
        F("target_year", "year", True, ("目标年份",)),
        F("seq_no", "text", False, ("序号",)),
        F("unit_label", "text", False, ("计量单位", "单位")),
        F("baseline_year", "year", False, ("基期年份",)),
        F("baseline_value", "number", False, ("基期值",)),
        F("target_value", "number", False, ("目标值",)),
        F("target_low", "number", False, ("目标下限",)),
        F("target_high", "number", False, ("目标上限",)),
        F("attribute", "text", False, ("指标属性", "属性")),
    ), key=("plan_period", "indicator")),
    Kind("designations", (
        F("unit_name", "text", True, ("单位名称",)),
        F("category", "text", True, ("类别",)),
        F("level", "text", True, ("级别",)),
        F("start_date", "date", True, ("开始日期",)),
        F("end_date", "date", False, ("结束日期",)),
        F("batch", "text", False, ("批次",)),
        F("unit", "unit", False, ("所属区县",)),
    ), key=("unit_name", "level", "batch")),
    Kind("survey_scores", (
        F("year", "year", True, ("年份",)),
        F("score", "score", True, ("得分",)),
        F("unit", "unit", False, ("地区",)),
        F("source", "text", False, ("来源",)),
    ), key=("year", "unit")),
    Kind("population", (
        F("year", "year", True, ("年份",)),
        F("unit", "unit", True, ("地区代码", "地区")),
        F("resident_population", "amount", True, ("常住人口(万人)", "常住人口(人)"),
          scaled={"常住人口(万人)": 10_000.0}),
        F("source", "text", False, ("来源",)),
    ), key=("year", "unit", "source")),
)}
# fmt: on
