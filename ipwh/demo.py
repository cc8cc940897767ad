"""Deterministic demo landing files (`ipwh demo`).

City scale is calibrated to Jingzhou: the generator fixes grants per year, then adds lapses
(patents) and cancellations (trademarks) until its own numpy evaluation of the counting rules
hits the plan's published stocks. That evaluation is independent of the dbt SQL, so tests can
compare the two. Province and national scales append further "cities" outside Jingzhou in
streamed chunks, so Jingzhou's figures stay calibrated at every scale.

Rows carrying a quarantinable defect are *extra* rows (never part of the truth); recoverable
defects (glued postcodes, old unit names, mixed date forms, number variants, GBK, XLSX) are
applied to ordinary rows. Counts of both are written to `inbox/_demo_truth.json`.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import numpy as np
import polars as pl

from ipwh.identifiers import USCC_ALPHABET, application_check_char, uscc_check_char

SCALES = {"city": 1, "province": 20, "national": 200}
EPOCH = dt.date(1970, 1, 1)
YEARS = list(range(2010, 2026))
CUTOFF = (dt.date(2025, 12, 31) - EPOCH).days  # data cutoff of the demo deliveries

# Jingzhou targets the generator calibrates to: plan Table 3 baselines (2021), chapter 1 (2020),
# and a 2025 path on which grants and trademarks reach target and the patent stocks do not.
INVENTION_GRANTS = {
    2003: 12,
    2004: 15,
    2005: 18,
    2006: 22,
    2007: 28,
    2008: 35,
    2009: 45,
    2010: 60,
    2011: 80,
    2012: 105,
    2013: 130,
    2014: 150,
    2015: 180,
    2016: 210,
    2017: 240,
    2018: 260,
    2019: 280,
    2020: 310,
    2021: 348,
    2022: 560,
    2023: 760,
    2024: 940,
    2025: 1120,
}
VALID_INVENTION_STOCK = {
    2015: 620,
    2016: 760,
    2017: 900,
    2018: 1040,
    2019: 1190,
    2020: 1367,
    2021: 1632,
    2022: 2100,
    2023: 2700,
    2024: 3450,
    2025: 4380,
}
ALL_GRANTS = {  # invention + utility model + design
    2010: 1500,
    2011: 1900,
    2012: 2300,
    2013: 2700,
    2014: 3000,
    2015: 3500,
    2016: 4100,
    2017: 4700,
    2018: 5600,
    2019: 6100,
    2020: 6800,
    2021: 7096,
    2022: 7800,
    2023: 8500,
    2024: 9300,
    2025: 10150,
}
VALID_TRADEMARK_STOCK = {
    2010: 12000,
    2011: 13500,
    2012: 15500,
    2013: 17500,
    2014: 19500,
    2015: 21500,
    2016: 24000,
    2017: 29000,
    2018: 34500,
    2019: 40000,
    2020: 45600,
    2021: 58455,
    2022: 64800,
    2023: 70500,
    2024: 76000,
    2025: 81200,
}
PLEDGE_YUAN = {  # registered pledge financing per year, 元
    2019: 2_000_000,
    2020: 3_000_000,
    2021: 5_000_000,
    2022: 180_000_000,
    2023: 520_000_000,
    2024: 1_480_000_000,
    2025: 1_750_000_000,
}
GI_STOCK = {  # (GI trademarks valid, GI protected products approved) at year end
    2018: (52, 11),
    2019: (56, 12),
    2020: (59, 12),
    2021: (62, 13),
    2022: (65, 13),
    2023: (67, 14),
    2024: (68, 14),
    2025: (69, 14),
}
SURVEY = {2021: 80.6, 2022: 82.3, 2023: 83.9, 2025: 85.4}  # 2024 missing on purpose

# Year-end resident population (persons). 2020 is the census; 江陵 2021/2022 are published.
CENSUS_2020 = {
    "421002": 600_000,
    "421003": 540_000,
    "421022": 752_166,
    "421024": 278_192,
    "421081": 490_000,
    "421083": 760_000,
    "421087": 690_000,
    "421088": 1_120_822,
}
POP_TREND = {
    2015: 1.072,
    2016: 1.070,
    2017: 1.068,
    2018: 1.066,
    2019: 1.064,
    2020: 1.0,
    2021: 0.99549,
    2022: 0.9945,
    2023: 0.9930,
    2024: 0.9915,
    2025: 0.9900,
}
JIANGLING_PUBLISHED = {2021: 300_100, 2022: 299_900}

# Where a Jingzhou holder sits: weights by unit (unattributed = 荆州市 with no unit).
UNIT_ADDRESS = {
    "421002": ("荆州市沙市区", 0.22, "434000"),
    "421003": ("荆州市荆州区", 0.12, "434020"),
    "421022": ("荆州市公安县", 0.08, "434300"),
    "421024": ("荆州市江陵县", 0.04, "434100"),
    "421081": ("荆州市石首市", 0.07, "434400"),
    "421083": ("荆州市洪湖市", 0.09, "433200"),
    "421087": ("荆州市松滋市", 0.08, "434200"),
    "421088": ("荆州市监利市", 0.10, "433300"),
    "421071": ("荆州市荆州经济技术开发区", 0.12, "434000"),
    "421090": ("荆州市纪南文旅区", 0.02, "434000"),
    "421091": ("荆州高新区", 0.04, "434000"),
    "421099": ("荆州市", 0.02, "434000"),
}
OUTSIDE_PLACES = [
    "湖北省武汉市洪山区",
    "湖北省宜昌市西陵区",
    "湖北省襄阳市樊城区",
    "湖南省长沙市岳麓区",
    "河南省郑州市金水区",
    "广东省深圳市南山区",
    "浙江省杭州市西湖区",
    "江苏省南京市鼓楼区",
]
STREETS = [
    "北京路",
    "江津路",
    "荆州大道",
    "学苑路",
    "东方大道",
    "塔桥路",
    "园林路",
    "人民路",
    "复兴大道",
    "红星路",
    "楚都大道",
    "玉桥路",
]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰文斌建国志红")
BRANDS = [
    "楚天",
    "荆楚",
    "江汉",
    "长江",
    "古城",
    "洪湖",
    "荆江",
    "华中",
    "恒立",
    "新锐",
    "创源",
    "博远",
    "金象",
    "天鹅",
    "凯龙",
    "鑫源",
    "中硕",
    "佳信",
    "润泽",
    "东方",
]
TRADES = [
    "机械",
    "化工",
    "生物科技",
    "食品",
    "纺织",
    "电子科技",
    "汽车零部件",
    "新材料",
    "医药",
    "农业科技",
    "环保科技",
    "智能装备",
]
TITLES = [
    "一种{x}的制备方法",
    "一种{x}装置",
    "{x}及其控制系统",
    "一种用于{x}的检测方法",
    "一种{x}结构",
    "{x}的加工工艺",
]
THINGS = [
    "汽车转向器",
    "石油钻具",
    "淡水鱼加工",
    "复合肥料",
    "纺织纤维",
    "锂电池隔膜",
    "柔性电路板",
    "中药提取物",
    "智能传感器",
    "稻米烘干",
    "莲藕保鲜",
    "高分子材料",
]
# IPC pools: SEI-listed subclasses (matched through ../shared/reference/sei) and ordinary ones.
IPC_SEI = [  # each in the SEI concordance, exactly or through its subclass/main group
    "G06F16/28", "H01M10/0525", "C12N15/11", "B62D5/04", "G01N33/02",
    "C08L67/02", "H05K1/02", "B60L53/80", "G06N3/08", "H02J7/00",
]  # fmt: skip
IPC_PLAIN = [  # none of these is in the concordance, even after expansion
    "H04L67/12", "A61K36/185", "E21B17/00", "D06M15/00", "B65D81/18",
    "F16H57/02", "A47J36/00", "A23B7/00", "A47B96/00", "F16K31/00",
]  # fmt: skip
WELL_KNOWN_2020 = 25  # 驰名商标, plan chapter 1
HIGH_VALUE_2021 = 439  # 0.84 per 10k × 523.08万 (plan Table 3 baseline)
LOCARNO = ["11-01", "06-01", "09-03", "12-16", "07-02"]
NICE_NAMES = {
    29: "29-肉鱼蛋奶",
    30: "30-方便食品",
    31: "31-饲料种籽",
    33: "33-酒",
    35: "35-广告销售",
    7: "7-机械设备",
    12: "12-运输工具",
    9: "9-科学仪器",
    5: "5-医药",
    1: "1-化学原料",
    25: "25-服装鞋帽",
    43: "43-餐饮住宿",
}
GI_NAMES = [
    "荆州鱼糕",
    "洪湖莲藕",
    "监利黄鳝",
    "洈水刁子鱼",
    "松滋鸡",
    "笔架鱼肚",
    "海子湖青鱼",
    "公安葡萄",
    "公安牛肉",
    "三湖黄桃",
    "洪湖清水螃蟹",
    "监利大米",
    "石首鮰鱼",
    "江陵三湖黄桃",
    "松滋白云边",
    "洪湖野鸭",
    "荆州大米",
    "沙市早酥梨",
    "石首笔架山茶",
    "松滋橘柑",
    "监利龙虾",
    "洪湖鳜鱼",
    "江陵油菜",
    "公安荸荠",
    "荆州八宝饭",
]


def _d(x: dt.date) -> int:
    return (x - EPOCH).days


def _date(days: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(days))


def _year_end(y: int) -> int:
    return _d(dt.date(y, 12, 31))


def _years_of(days: np.ndarray) -> np.ndarray:
    return np.asarray(days, dtype="datetime64[D]").astype("datetime64[Y]").astype(int) + 1970


def _add_years(days: np.ndarray, years: int) -> np.ndarray:
    """Same calendar day `years` later (29 Feb -> 28 Feb), as DuckDB's `+ interval N year`."""
    d = np.asarray(days, dtype="datetime64[D]")
    month_start = d.astype("datetime64[M]")
    shifted = (month_start + 12 * years).astype("datetime64[D]") + (
        d - month_start.astype("datetime64[D]")
    )
    # clamp 29 Feb into a non-leap year to 28 Feb
    next_month = (month_start + 12 * years + 1).astype("datetime64[D]")
    shifted = np.minimum(shifted, next_month - 1)
    return shifted.astype(int)


@dataclass
class Truth:
    """What the generator knows to be true, for tests."""

    indicators: dict = field(default_factory=dict)
    defects: Counter = field(default_factory=Counter)
    rows: Counter = field(default_factory=Counter)


class Names:
    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def company(self, place: str = "荆州") -> str:
        r = self.rng
        brand = BRANDS[r.integers(len(BRANDS))] + GIVEN[r.integers(len(GIVEN))]
        trade = TRADES[r.integers(len(TRADES))]
        if r.random() < 0.05:
            return f"{brand}（{place}）{trade}有限公司"
        return f"{place}{brand}{trade}有限公司"

    def person(self) -> str:
        r = self.rng
        return SURNAMES[r.integers(len(SURNAMES))] + "".join(
            GIVEN[r.integers(len(GIVEN))] for _ in range(1 + (r.random() < 0.7))
        )

    def holder(self, place: str = "荆州") -> str:
        return self.person() if self.rng.random() < 0.15 else self.company(place)

    def address(self, unit: str | None, outside: str | None = None) -> str:
        r = self.rng
        street = f"{STREETS[r.integers(len(STREETS))]}{r.integers(1, 400)}号"
        if outside:
            return f"{outside}{street}"
        prefix, _, postcode = UNIT_ADDRESS[unit]
        if unit == "421088" and r.random() < 0.3:
            prefix = "荆州市监利县"  # old unit name still in use
        addr = f"湖北省{prefix}{street}"
        if r.random() < 0.2:
            addr = postcode + addr  # glued postcode
        return addr

    def uscc(self, unit: str | None) -> str:
        region = unit if unit and unit.startswith("4210") and unit[4:6] != "99" else "420100"
        body = "91" + region + "".join(USCC_ALPHABET[self.rng.integers(31)] for _ in range(9))
        return body + uscc_check_char(body)


def _pick_units(rng: np.random.Generator, n: int) -> np.ndarray:
    codes = list(UNIT_ADDRESS)
    w = np.array([UNIT_ADDRESS[c][1] for c in codes])
    return np.array(codes)[rng.choice(len(codes), size=n, p=w / w.sum())]


# --------------------------------------------------------------------------- patents


@dataclass
class PatentSet:
    """Column arrays for one city's patents; dates as days since 1970 (-1 = none)."""

    ptype: np.ndarray  # 1 invention, 2 utility model, 3 design
    app: np.ndarray
    grant: np.ndarray
    unit: np.ndarray  # unit code at filing, '' = outside Jingzhou
    end: np.ndarray  # lapse/abandon/invalidation effective date
    end_kind: np.ndarray  # '', lapse, abandonment, invalidation_total
    restore: np.ndarray
    move: np.ndarray  # transfer effective date
    move_unit: np.ndarray  # unit after transfer ('' = outside)
    serial: np.ndarray
    sei: np.ndarray  # main IPC in a strategic emerging industry
    family: np.ndarray  # a family member granted abroad
    award_year: np.ndarray  # China Patent Award year, -1 = none

    def term_end(self) -> np.ndarray:
        years = np.where(self.ptype == 1, 20, np.where(self.ptype == 2, 10, 15))
        old_design = (self.ptype == 3) & (self.app < _d(dt.date(2021, 6, 1)))
        years = np.where(old_design, 10, years)
        out = np.empty_like(self.app)
        for y in (10, 15, 20):
            m = years == y
            out[m] = _add_years(self.app[m], y)
        return out

    def unit_at(self, day: int) -> np.ndarray:
        moved = (self.move >= 0) & (self.move <= day)
        return np.where(moved, self.move_unit, self.unit)

    def valid_at(self, day: int, term_end: np.ndarray) -> np.ndarray:
        ended = (self.end >= 0) & (self.end <= day)
        restored = ended & (self.end_kind == "lapse") & (self.restore >= 0) & (self.restore <= day)
        return (self.grant >= 0) & (self.grant <= day) & (day < term_end) & ~(ended & ~restored)


def _serials(app: np.ndarray, ptype: np.ndarray, chunk: int) -> np.ndarray:
    """Application-number serials unique across chunks: within a chunk, the rank of a patent
    among those of its filing year and type, offset by the chunk (new form: 12,000 per chunk
    and year-type, 7 digits; pre-2003 form: 400 per chunk, 5 digits)."""
    years = _years_of(app)
    order = np.lexsort((np.arange(len(app)), ptype, years))
    key = years[order] * 10 + ptype[order]
    starts = np.r_[0, np.flatnonzero(np.diff(key)) + 1]
    rank = np.arange(len(app)) - np.repeat(starts, np.diff(np.r_[starts, len(app)]))
    if len(rank) and rank.max() >= 400 * 30:
        raise RuntimeError("demo: more than 12,000 applications of one year and type in a city")
    serial = np.empty(len(app), dtype=np.int64)
    serial[order] = rank
    old = app < _d(dt.date(2003, 10, 1))
    return np.where(old, 1_000 + chunk * 400 + serial, 100_000 + chunk * 12_000 + serial)


def _build_patents(rng: np.random.Generator, jingzhou: bool, chunk: int = 0) -> PatentSet:
    ptype, app, grant = [], [], []
    for year, n_inv in INVENTION_GRANTS.items():
        n_all = ALL_GRANTS.get(year, n_inv * 8)
        n_design = int((n_all - n_inv) * 0.18)
        for t, n, lag in (
            (1, n_inv, (500, 1500)),
            (2, n_all - n_inv - n_design, (150, 400)),
            (3, n_design, (90, 250)),
        ):
            g = rng.integers(_d(dt.date(year, 1, 1)), _year_end(year) + 1, size=n)
            ptype.append(np.full(n, t))
            grant.append(g)
            app.append(g - rng.integers(*lag, size=n))
    # pending, rejected or withdrawn invention applications (never granted)
    for year in range(2012, 2026):
        n = int(INVENTION_GRANTS[year] * 1.6)
        ptype.append(np.full(n, 1))
        app.append(rng.integers(_d(dt.date(year, 1, 1)), _year_end(year) + 1, size=n))
        grant.append(np.full(n, -1))
    ptype_a, app_a, grant_a = np.concatenate(ptype), np.concatenate(app), np.concatenate(grant)
    n = len(ptype_a)
    units = _pick_units(rng, n) if jingzhou else np.full(n, "", dtype="<U6")
    ps = PatentSet(
        ptype=ptype_a,
        app=app_a,
        grant=grant_a,
        unit=units.astype("<U6"),
        end=np.full(n, -1),
        end_kind=np.full(n, "", dtype="<U20"),
        restore=np.full(n, -1),
        move=np.full(n, -1),
        move_unit=np.full(n, "", dtype="<U6"),
        serial=_serials(app_a, ptype_a, chunk),
        sei=(ptype_a != 3) & (rng.random(n) < 0.22),
        family=(ptype_a == 1) & (grant_a >= 0) & (rng.random(n) < 0.04),
        award_year=np.full(n, -1),
    )
    granted = np.flatnonzero(ps.grant >= 0)
    awarded = rng.choice(np.flatnonzero((ps.ptype == 1) & (ps.grant >= 0)), 8, replace=False)
    ps.award_year[awarded] = np.minimum(_years_of(ps.grant[awarded]) + 2, 2025)
    # transfers: between units, out of Jingzhou, and into Jingzhou from outside
    movers = rng.choice(granted, size=len(granted) // 40, replace=False)
    ps.move[movers] = ps.grant[movers] + rng.integers(200, 2500, size=len(movers))
    ps.move_unit[movers] = _pick_units(rng, len(movers)) if jingzhou else ""
    ps.move[ps.move > CUTOFF] = -1  # nothing is dated after the data cutoff
    if jingzhou:
        out_ = movers[: len(movers) // 4]
        ps.move_unit[out_] = ""
        in_ = movers[len(movers) // 4 : len(movers) // 3]
        ps.unit[in_] = ""
    if not jingzhou:
        return ps
    _calibrate_invention_stock(rng, ps)
    _calibrate_high_value(rng, ps)
    return ps


def high_value_at(ps: PatentSet, year: int, term: np.ndarray) -> np.ndarray:
    """DOMAIN.md §2 criteria 1, 2, 3 and 5 (the demo's pledges stay below the pledge
    threshold up to 2021, so criterion 4 cannot change the calibrated year)."""
    day = _year_end(year)
    valid = ps.valid_at(day, term) & (ps.unit_at(day) != "") & (ps.ptype == 1)
    maintained = day > _add_years(ps.app, 10)
    awarded = (ps.award_year >= 0) & (ps.award_year <= year)
    return valid & (ps.sei | ps.family | maintained | awarded)


def _calibrate_high_value(rng: np.random.Generator, ps: PatentSet) -> None:
    """Move patents in or out of the SEI classes until 2021 holds HIGH_VALUE_2021."""
    term = ps.term_end()
    hv = high_value_at(ps, 2021, term)
    day = _year_end(2021)
    valid = ps.valid_at(day, term) & (ps.unit_at(day) != "") & (ps.ptype == 1)
    excess = int(hv.sum()) - HIGH_VALUE_2021
    if excess > 0:  # only those high-value through SEI alone may leave
        others = ps.family | (day > _add_years(ps.app, 10)) | (ps.award_year >= 0)
        pool = np.flatnonzero(hv & ps.sei & ~others)
        ps.sei[rng.choice(pool, excess, replace=False)] = False
    elif excess < 0:
        pool = np.flatnonzero(valid & ~hv)
        ps.sei[rng.choice(pool, -excess, replace=False)] = True


def _end_excess(
    rng: np.random.Generator, ps: PatentSet, term: np.ndarray, targets: dict[int, int]
) -> None:
    """Terminate just enough valid inventions that each year-end stock meets its target;
    years without a published target lose about 7% a year, remembered in `targets`."""
    kinds = np.array(["lapse"] * 8 + ["abandonment", "invalidation_total"])
    for year in range(2005, 2026):
        day, start = _year_end(year), _d(dt.date(year, 1, 1))
        valid = np.flatnonzero(ps.valid_at(day, term) & (ps.unit_at(day) != "") & (ps.ptype == 1))
        target = targets.setdefault(year, int(len(valid) * 0.93))
        excess = len(valid) - target
        if excess < 0:  # a later pass ended too many: take back terminations of this year
            undo = np.flatnonzero(
                (ps.end >= start)
                & (ps.end <= day)
                & (ps.restore < 0)
                & (ps.ptype == 1)
                & (ps.grant <= day)
                & (day < term)
                & (ps.unit_at(day) != "")
            )
            if len(undo) < -excess:
                raise RuntimeError(f"demo calibration: {year} stock below target by {-excess}")
            back = rng.choice(undo, size=-excess, replace=False)
            ps.end[back], ps.end_kind[back] = -1, ""
            continue
        # never end a patent twice, on its grant day, or before a later transfer
        ok = (ps.end[valid] < 0) & (ps.grant[valid] < day) & (ps.move[valid] <= day)
        chosen = rng.choice(valid[ok], size=excess, replace=False)
        ps.end[chosen] = rng.integers(np.maximum(ps.grant[chosen] + 1, start), day + 1)
        ps.end_kind[chosen] = kinds[rng.integers(len(kinds), size=excess)]


def _calibrate_invention_stock(rng: np.random.Generator, ps: PatentSet) -> None:
    term = ps.term_end()
    targets = dict(VALID_INVENTION_STOCK)
    _end_excess(rng, ps, term, targets)
    # restorations: some lapses reversed 40 days later (within or after their year end) ...
    lapsed = np.flatnonzero(ps.end_kind == "lapse")
    restored = rng.choice(lapsed, size=len(lapsed) // 25, replace=False)
    ps.restore[restored] = ps.end[restored] + 40
    ps.restore[ps.restore > CUTOFF] = -1
    # ... and a lapse and restoration on the same day: never out of the stock
    spare = np.flatnonzero(
        (ps.ptype == 1)
        & (ps.end < 0)
        & (ps.move < 0)
        & (ps.unit != "")
        & (ps.grant >= 0)
        & (ps.grant < _d(dt.date(2021, 1, 1)))
    )
    same_day = rng.choice(spare, size=6, replace=False)
    ps.end[same_day] = ps.restore[same_day] = _d(dt.date(2022, 3, 1))
    ps.end_kind[same_day] = "lapse"
    # restored patents are back in the stock: a second pass ends others to hold the targets
    _end_excess(rng, ps, term, targets)


def _app_number(ps: PatentSet, i: int, rng_val: float) -> tuple[str, str]:
    """(canonical, as written in the file) for patent i."""
    d = _date(ps.app[i])
    t = str(ps.ptype[i])
    if d < dt.date(2003, 10, 1):
        body = f"{d.year % 100:02d}{t}{ps.serial[i] % 100_000:05d}"
    else:
        body = f"{d.year}{t}{ps.serial[i]:07d}"
    check = application_check_char(body)
    canonical = f"{body}.{check}"
    if rng_val < 0.35:
        written = f"{body}{check}"  # no dot, as commercial exports
    elif rng_val < 0.45:
        written = f"CN{body}.{check}"
    elif rng_val < 0.50:
        written = f"ZL{body}.{check}"
    else:
        written = canonical
    return canonical, written


DATE_STYLES = ("iso", "compact", "slash", "cn", "isotime")


def _fmt_date(days: int, style: str) -> str:
    if days < 0:
        return {"compact": "0", "cn": "--"}.get(style, "")
    d = _date(days)
    return {
        "iso": d.isoformat(),
        "compact": d.strftime("%Y%m%d"),
        "slash": f"{d.year}/{d.month}/{d.day} 0:00:00",
        "cn": d.strftime("%Y年%m月%d日"),
        "isotime": d.isoformat() + "T00:00:00",
    }[style]


TYPE_TEXT = {1: ["发明授权", "发明公开;发明授权", "发明"], 2: ["实用新型"], 3: ["外观设计"]}


def _patent_rows(
    ps: PatentSet, names: Names, rng: np.random.Generator, place: str | None, truth: Truth | None
) -> tuple[list[dict], list[dict]]:
    """Patent rows and their legal-event rows."""
    rows, events = [], []
    holders = {}
    term = ps.term_end()
    for i in range(len(ps.ptype)):
        unit = ps.unit[i] or None
        outside = None if unit else (place or OUTSIDE_PLACES[rng.integers(len(OUTSIDE_PLACES))])
        holder = names.holder("荆州" if unit else (outside or "")[3:5])
        if rng.random() < 0.12:
            holder = f"{holder};{names.holder()}"
        holders[i] = holder
        canonical, written = _app_number(ps, i, rng.random())
        style = DATE_STYLES[rng.integers(len(DATE_STYLES))]
        t = int(ps.ptype[i])
        granted = ps.grant[i] >= 0
        if t == 1 and not granted:
            ttext = "发明公开"
        else:
            opts = TYPE_TEXT[t]
            ttext = opts[rng.integers(len(opts))]
        if t == 3:
            ipc_main = LOCARNO[rng.integers(len(LOCARNO))]
            ipcs = [ipc_main]
        else:
            pool = IPC_SEI if ps.sei[i] else IPC_PLAIN
            ipc_main = pool[rng.integers(len(pool))]
            extra = [IPC_PLAIN[rng.integers(len(IPC_PLAIN))] for _ in range(rng.integers(0, 3))]
            ipcs = [ipc_main, *extra]
        sep = ";" if rng.random() < 0.7 else "|"
        rows.append(
            {
                "application_number": written,
                "application_date": _fmt_date(int(ps.app[i]), style),
                "patent_type": ttext,
                "applicants": holder,
                "address": names.address(unit, outside),
                "title": TITLES[rng.integers(len(TITLES))].format(
                    x=THINGS[rng.integers(len(THINGS))]
                ),
                "grant_date": _fmt_date(int(ps.grant[i]), style),
                "ipc_main": ipc_main if rng.random() < 0.5 else ipc_main.replace("/", " /", 1),
                "ipc": sep.join(ipcs),
                "uscc": names.uscc(unit) if "公司" in holder.split(";")[0] else "",
                "_canonical": canonical,
            }
        )
        for day, kind in ((ps.end[i], ps.end_kind[i]), (ps.restore[i], "restoration")):
            if day >= 0 and kind:
                events.append(
                    {
                        "application_number": canonical,
                        "event_date": int(day),
                        "event": kind,
                        "new_holder": "",
                        "new_address": "",
                    }
                )
        if ps.move[i] >= 0:
            new_unit = ps.move_unit[i] or None
            new_out = None if new_unit else OUTSIDE_PLACES[rng.integers(len(OUTSIDE_PLACES))]
            events.append(
                {
                    "application_number": canonical,
                    "event_date": int(ps.move[i]),
                    "event": "transfer",
                    "new_holder": names.company("荆州" if new_unit else new_out[3:5]),
                    "new_address": names.address(new_unit, new_out),
                }
            )
        if t == 1 and granted and rng.random() < 0.03:
            events.append(
                {
                    "application_number": canonical,
                    "event_date": min(CUTOFF, int(ps.grant[i] + rng.integers(300, 900))),
                    "event": "invalidation_partial",
                    "new_holder": "",
                    "new_address": "",
                }
            )
        # an explicit 期限届满 on the statutory end date, as registers publish for some
        # patents (the term ends them anyway; the event must agree with it)
        ended_early = 0 <= ps.end[i] <= term[i] and ps.restore[i] < 0
        if granted and term[i] <= CUTOFF and not ended_early and rng.random() < 0.5:
            events.append(
                {
                    "application_number": canonical,
                    "event_date": int(term[i]),
                    "event": "expiry",
                    "new_holder": "",
                    "new_address": "",
                }
            )
    if truth is not None:
        truth.defects["recoverable:no_dot_or_prefixed_number"] += sum(
            1
            for r in rows
            if "." not in r["application_number"] or r["application_number"][:2] in ("CN", "ZL")
        )
    return rows, events


EVENT_TEXTS = {
    "lapse": ["未缴年费专利权终止", "专利权的终止(未缴年费)", "未缴年费"],
    "abandonment": ["专利权的主动放弃", "放弃专利权"],
    "invalidation_total": ["专利权全部无效", "无效宣告(全部无效)"],
    "invalidation_partial": ["专利权部分无效"],
    "expiry": ["期限届满", "专利权有效期届满"],
    "restoration": ["专利权的恢复", "权利恢复"],
    "transfer": ["专利权的转移", "专利申请权、专利权的转移", "专利权人的变更"],
}


def _patent_truth(ps: PatentSet) -> dict:
    term = ps.term_end()
    out = {}
    g_year = np.where(ps.grant >= 0, _years_of(ps.grant), 0)
    for year in YEARS:
        day = _year_end(year)
        in_jz = ps.unit_at(day) != ""
        out[str(year)] = {
            "valid_invention_patents": int(
                (ps.valid_at(day, term) & in_jz & (ps.ptype == 1)).sum()
            ),
        }
        at_grant = np.where((ps.move >= 0) & (ps.move <= ps.grant), ps.move_unit, ps.unit)
        in_jz_g = at_grant != ""
        out[str(year)]["patent_grants"] = int(((g_year == year) & in_jz_g).sum())
        out[str(year)]["invention_grants"] = int(
            ((g_year == year) & in_jz_g & (ps.ptype == 1)).sum()
        )
        out[str(year)]["high_value_without_pledges"] = int(high_value_at(ps, year, term).sum())
    return out


def _family_and_award_rows(
    ps: PatentSet, canonical: list[str], rng: np.random.Generator
) -> tuple[list[dict], list[dict]]:
    families = []
    for i in np.flatnonzero(ps.family):
        country = ("US", "EP", "JP", "KR")[rng.integers(4)]
        families.append(
            {
                "application_number": canonical[i],
                "granted": "是",
                "country": country,
                "member": f"{country}{11_000_000 + int(i)}B2",
            }
        )
    # members that must not count: not granted abroad, or Chinese
    decoys = rng.choice(np.flatnonzero((ps.ptype == 1) & ~ps.family), 60, replace=False)
    for k, i in enumerate(decoys):
        country, granted = (("US", "否"), ("CN", "是"))[k % 2]
        families.append(
            {
                "application_number": canonical[i],
                "granted": granted,
                "country": country,
                "member": f"{country}{12_000_000 + int(i)}A",
            }
        )
    awards = [
        {
            "patent_number": f"ZL{canonical[i]}",
            "year": str(ps.award_year[i]),
            "award": ("中国专利优秀奖", "中国专利银奖", "中国专利金奖")[k % 3],
        }
        for k, i in enumerate(np.flatnonzero(ps.award_year >= 0))
    ]
    return families, awards


# --------------------------------------------------------------------------- writers


class CsvSink:
    """Appends chunks to one landing file; header once; UTF-8, UTF-8-BOM or GB18030."""

    def __init__(self, path: Path, headers: dict[str, str], encoding: str = "utf-8"):
        self.path, self.headers, self.encoding = path, headers, encoding
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = path.open("wb")
        self.rows = 0
        if encoding == "utf-8-sig":
            self.fh.write(b"\xef\xbb\xbf")
        self._write(",".join(headers.values()) + "\n")

    def _write(self, text: str) -> None:
        self.fh.write(text.encode("gb18030" if self.encoding == "gb18030" else "utf-8"))

    @staticmethod
    def render(headers: dict[str, str], rows: list[dict]) -> bytes:
        """Rows as UTF-8 CSV lines without the header."""
        if not rows:
            return b""
        df = pl.DataFrame({k: [str(r.get(k, "")) for r in rows] for k in headers})
        return df.write_csv(include_header=False).encode("utf-8")

    def add(self, rows: list[dict]) -> None:
        if rows:
            self._write(self.render(self.headers, rows).decode("utf-8"))
            self.rows += len(rows)

    def add_part(self, path: Path, rows: int) -> None:
        """Appends a part file written by render (UTF-8), then deletes it."""
        if self.encoding == "gb18030":
            self._write(path.read_text(encoding="utf-8"))
        else:
            with path.open("rb") as part:
                shutil.copyfileobj(part, self.fh, 1 << 22)
        self.rows += rows
        path.unlink()

    def close(self) -> None:
        self.fh.close()

    def write_all(self, rows: list[dict]) -> None:
        """One-shot file: add the rows and close."""
        self.add(rows)
        self.close()


def _xlsx(path: Path, headers: dict[str, str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df = pl.DataFrame({v: [str(r.get(k, "")) for r in rows] for k, v in headers.items()})
    df.write_excel(path, worksheet="专利清单")


PATENT_HEADERS_A = {  # a CNIPA-style export
    "application_number": "申请号",
    "application_date": "申请日",
    "patent_type": "专利类型",
    "applicants": "申请（专利权）人",
    "address": "地址",
    "title": "发明名称",
    "grant_date": "授权公告日",
    "ipc_main": "主分类号",
    "ipc": "分类号",
    "uscc": "统一社会信用代码",
}
PATENT_HEADERS_B = {  # a commercial-database export
    "application_number": "申请号",
    "application_date": "申请日",
    "patent_type": "专利类型",
    "applicants": "当前权利人",
    "address": "申请人地址",
    "title": "专利名称",
    "grant_date": "授权公告日",
    "ipc_main": "IPC主分类号",
    "ipc": "IPC分类号",
    "uscc": "统一社会信用代码",
}
EVENT_HEADERS = {
    "application_number": "申请号",
    "event_date": "生效日",
    "event": "法律状态",
    "new_holder": "变更后权利人",
    "new_address": "变更后地址",
}


def _event_rows(events: list[dict], rng: np.random.Generator) -> list[dict]:
    out = []
    for e in events:
        texts = EVENT_TEXTS[e["event"]]
        out.append(
            {
                **e,
                "event": texts[rng.integers(len(texts))],
                "event_date": _fmt_date(e["event_date"], "iso"),
            }
        )
    return out


def _patent_defect_rows(rng: np.random.Generator, names: Names, truth: Truth) -> list[dict]:
    """Extra rows that ingestion must quarantine, one reason each."""
    rows = []

    def base(i: int) -> dict:
        body = f"2022{1 + i % 2}{9_000_000 + i:07d}"
        return {
            "application_number": f"{body}.{application_check_char(body)}",
            "application_date": "2022-05-06",
            "patent_type": "发明" if i % 2 == 0 else "实用新型",
            "applicants": names.company(),
            "address": names.address("421002"),
            "title": "一种缺陷样例装置",
            "grant_date": "",
            "ipc_main": "B65D81/18",
            "ipc": "B65D81/18",
            "uscc": "",
        }

    for i in range(40):
        r = base(i)
        kind = ("bad_check_digit", "type_mismatch", "invalid_date", "missing_required")[i % 4]
        if kind == "bad_check_digit":
            body, chk = r["application_number"].split(".")
            r["application_number"] = f"{body}.{(int(chk) + 1) % 10 if chk != 'X' else 0}"
        elif kind == "type_mismatch":
            r["patent_type"] = "外观设计"
        elif kind == "invalid_date":
            r["application_date"] = "2022-02-30"
        else:
            r["applicants"] = ""
        truth.defects[kind] += 1
        rows.append(r)
    return rows


# --------------------------------------------------------------------------- other kinds


def _trademarks(
    rng: np.random.Generator,
    names: Names,
    truth: Truth,
    jingzhou: bool,
    reg_scale: float = 1.0,
    chunk: int = 0,
) -> tuple[list[dict], list[dict]]:
    """Trademarks with renewals, cancellations and transfers; calibrated valid stock."""
    regs = []
    for year in range(1996, 2026):
        n = int(
            reg_scale
            * (300 * 1.16 ** (year - 1996) if year < 2021 else 15_500 - 500 * (year - 2021))
        )
        regs.append(rng.integers(_d(dt.date(year, 1, 1)), _year_end(year) + 1, size=n))
    reg = np.concatenate(regs)
    n = len(reg)
    units = _pick_units(rng, n) if jingzhou else np.full(n, "", dtype="<U6")
    renewals = np.zeros(n, dtype=int)
    renew_p = 0.45
    for k in (1, 2):  # renewed at the first and second term end with probability renew_p
        due = reg + 3652 * k
        renewals += (renewals == k - 1) & (rng.random(n) < renew_p) & (due < _year_end(2025))
    cancel = np.full(n, -1)
    madrid = rng.random(n) < 0.01

    def term_end(day_reg: np.ndarray, nren: np.ndarray) -> np.ndarray:
        ends = np.empty_like(day_reg)
        for i, (r0, k) in enumerate(zip(day_reg, nren, strict=True)):
            d = _date(r0)
            ends[i] = _d(d.replace(year=d.year + 10 * (k + 1), day=min(d.day, 28))) - 1
        return ends

    ends = term_end(reg, renewals)

    def valid(day: int) -> np.ndarray:
        return (reg <= day) & (day <= ends) & ~((cancel >= 0) & (cancel <= day)) & ~madrid

    if jingzhou:
        for year in range(2010, 2026):
            day = _year_end(year)
            v = np.flatnonzero(valid(day) & (units != ""))
            excess = len(v) - VALID_TRADEMARK_STOCK[year]
            if excess < 0:
                raise RuntimeError(f"demo calibration: trademarks {year} short by {-excess}")
            chosen = rng.choice(v[reg[v] < day], size=excess, replace=False)
            cancel[chosen] = rng.integers(
                np.maximum(reg[chosen] + 1, _d(dt.date(year, 1, 1))), day + 1
            )
        truth.indicators.setdefault("valid_trademarks", {})
        for year in YEARS:
            truth.indicators["valid_trademarks"][str(year)] = int(
                (valid(_year_end(year)) & (units != "")).sum()
            )
    # 驰名商标: 25 well-known marks recognised by 2020 (plan chapter 1), all valid then
    well_known = np.full(n, -1)
    if jingzhou:
        day = _year_end(2020)
        pool = np.flatnonzero(
            valid(day) & (units != "") & (cancel < 0) & (reg < _d(dt.date(2012, 1, 1)))
        )
        well_known[rng.choice(pool, WELL_KNOWN_2020, replace=False)] = rng.integers(
            2008, 2021, size=WELL_KNOWN_2020
        )
    rows, events = [], []
    classes = list(NICE_NAMES)
    for i in range(n):
        unit = units[i] or None
        outside = None if unit else OUTSIDE_PLACES[rng.integers(len(OUTSIDE_PLACES))]
        # numbers unique across chunks (a province delivery holds many cities)
        number = (
            f"G{600000 + chunk * 5_000 + i}" if madrid[i] else str(10_000_000 + chunk * 200_000 + i)
        )
        if not madrid[i] and rng.random() < 0.002:
            number += "A"
        cls = classes[rng.integers(len(classes))]
        r0 = _date(reg[i])
        end0 = _date(_d(r0.replace(year=r0.year + 10, day=min(r0.day, 28))) - 1)
        rows.append(
            {
                "registration_number": number,
                "nice_class": NICE_NAMES[cls] if rng.random() < 0.4 else str(cls),
                "mark_name": BRANDS[rng.integers(len(BRANDS))] + GIVEN[rng.integers(len(GIVEN))],
                "applicant": names.company("荆州" if unit else outside[3:5]),
                "address": names.address(unit, outside),
                "application_date": _fmt_date(int(reg[i] - rng.integers(200, 500)), "iso"),
                "registration_date": _fmt_date(int(reg[i]), "slash" if i % 3 else "iso"),
                "term": f"{r0:%Y年%m月%d日}至{end0:%Y年%m月%d日}",
                "mark_type": "普通",
                "well_known": f"是({well_known[i]}年认定)" if well_known[i] > 0 else "",
            }
        )
        for k in range(renewals[i]):
            e = _date(reg[i]).replace(year=r0.year + 10 * (k + 1), day=min(r0.day, 28))
            events.append(
                {
                    "registration_number": number,
                    "event_date": _fmt_date(_d(e) - 30, "iso"),
                    "event": "续展注册",
                }
            )
        if cancel[i] >= 0:
            events.append(
                {
                    "registration_number": number,
                    "event_date": _fmt_date(int(cancel[i]), "iso"),
                    "event": ("注销商标", "撤销注册商标", "宣告注册商标无效")[i % 3],
                }
            )
    return rows, events


def _pledges(
    rng: np.random.Generator, names: Names, patent_numbers: list[str], tm_numbers: list[str]
) -> tuple[list[dict], list[dict]]:
    """Patent-register and trademark-register pledge rows; combined financings in both."""
    patent_rows, tm_rows, reg_id = [], [], 0
    for year, total in PLEDGE_YUAN.items():
        n = max(2, int(total / 40_000_000))
        # whole 万元 per financing, each at least 1万, summing exactly to the year's total
        units = total // 10_000
        amounts = (rng.multinomial(units - n, rng.dirichlet(np.ones(n))) + 1) * 10_000.0
        for amount in amounts:
            reg_id += 1
            unit = _pick_units(rng, 1)[0]
            day = int(rng.integers(_d(dt.date(year, 1, 1)), _year_end(year) + 1))
            row = {
                "registration_date": _fmt_date(day, "iso"),
                "pledgor": names.company(),
                "pledgor_address": names.address(unit),
                "pledgee": ("中国农业银行荆州分行", "湖北银行荆州分行", "荆州农商银行")[reg_id % 3],
                "amount_wan": f"{amount / 10_000:.2f}",
                "amount_yuan": f"{amount:.0f}",
                "contract_date": _fmt_date(day - 10, "iso"),
            }
            kind = rng.random()
            if kind < 0.6 or not tm_numbers:
                objs = [
                    f"ZL{patent_numbers[rng.integers(len(patent_numbers))]}"
                    for _ in range(rng.integers(1, 4))
                ]
                patent_rows.append(
                    {
                        **row,
                        "registration_id": f"Y{year}42000{reg_id:05d}",
                        "right_kind": "专利",
                        "objects": ";".join(objs),
                    }
                )
            elif kind < 0.85:
                tm_rows.append(
                    {
                        **row,
                        "registration_id": f"TM{year}{reg_id:06d}",
                        "right_kind": "商标",
                        "objects": tm_numbers[rng.integers(len(tm_numbers))],
                    }
                )
            else:  # one financing registered in both registers: must count once
                patent_rows.append(
                    {
                        **row,
                        "registration_id": f"Y{year}42000{reg_id:05d}",
                        "right_kind": "专利",
                        "objects": f"ZL{patent_numbers[rng.integers(len(patent_numbers))]}",
                    }
                )
                tm_rows.append(
                    {
                        **row,
                        "registration_id": f"TM{year}{reg_id:06d}",
                        "right_kind": "商标",
                        "objects": tm_numbers[rng.integers(len(tm_numbers))],
                    }
                )
    return patent_rows, tm_rows


def _gis(rng: np.random.Generator) -> list[dict]:
    rows = []
    counter = 0
    prev = (0, 0)
    unit_names = [v[0].replace("荆州市", "") or "荆州市" for v in UNIT_ADDRESS.values()][:8]
    for year, (tm, prod) in GI_STOCK.items():
        first = year == min(GI_STOCK)
        for scheme, n in (("地理标志商标", tm - prev[0]), ("地理标志保护产品", prod - prev[1])):
            for _ in range(n):
                counter += 1
                base = GI_NAMES[counter % len(GI_NAMES)]
                start = 2004 if first else year
                day = int(
                    rng.integers(
                        _d(dt.date(start, 1, 1)), _year_end(year if not first else 2018) + 1
                    )
                )
                rows.append(
                    {
                        "name": base if counter <= len(GI_NAMES) else f"{base}{counter}",
                        "scheme": scheme,
                        "approval_date": _fmt_date(day, "iso"),
                        "unit": unit_names[counter % len(unit_names)],
                        "registration_number": f"GI{counter:05d}",
                        "holder": "",
                        "revoke_date": "",
                    }
                )
        prev = (tm, prod)
    for i, name in enumerate(
        [
            "洪湖莲藕",
            "洈水刁子鱼",
            "监利大米",
            "公安葡萄",
            "石首鮰鱼",
            "松滋橘柑",
            "洪湖清水螃蟹",
            "荆州大米",
            "江陵油菜",
            "监利龙虾",
        ]
    ):
        rows.append(
            {
                "name": name,
                "scheme": "农产品地理标志",
                "approval_date": _fmt_date(_d(dt.date(2010 + i, 3, 1)), "iso"),
                "unit": unit_names[i % len(unit_names)],
                "registration_number": f"AGI0{2300 + i}",
                "holder": "",
                "revoke_date": "",
            }
        )
    return rows


def _population_rows() -> tuple[list[dict], list[dict]]:
    census = [
        {"year": "2020", "unit_code": code, "population": str(p), "source": "第七次全国人口普查"}
        for code, p in CENSUS_2020.items()
    ]
    census.append(
        {
            "year": "2020",
            "unit_code": "421000",
            "population": str(sum(CENSUS_2020.values())),
            "source": "第七次全国人口普查",
        }
    )
    yearbook = []
    for year, f in POP_TREND.items():
        if year == 2020:
            continue
        vals = {c: round(p * f) for c, p in CENSUS_2020.items()}
        if year in JIANGLING_PUBLISHED:
            vals["421024"] = JIANGLING_PUBLISHED[year]
        vals["421000"] = sum(vals.values())
        for code, p in vals.items():
            yearbook.append(
                {
                    "year": str(year),
                    "unit_code": code,
                    "population": f"{p / 10_000:.4f}",
                    "source": "荆州统计年鉴/统计公报年末常住人口",
                }
            )
    return census, yearbook


def population_truth() -> dict[int, int]:
    """City year-end population the demo files state (persons)."""
    out = {2020: sum(CENSUS_2020.values())}
    for year, f in POP_TREND.items():
        if year != 2020:
            vals = {c: round(p * f) for c, p in CENSUS_2020.items()}
            vals.update(
                {"421024": JIANGLING_PUBLISHED[year]} if year in JIANGLING_PUBLISHED else {}
            )
            out[year] = round(sum(vals.values()) / 10_000, 4) * 10_000
    return out


# --------------------------------------------------------------------------- entry point


TRADEMARK_HEADERS = {
    "registration_number": "注册号",
    "nice_class": "国际分类",
    "mark_name": "商标名称",
    "applicant": "申请人名称",
    "address": "申请人地址",
    "application_date": "申请日期",
    "registration_date": "注册公告日期",
    "term": "专用权期限",
    "mark_type": "商标类型",
    "well_known": "驰名商标",
}
TM_EVENT_HEADERS = {"registration_number": "注册号", "event_date": "生效日", "event": "事件"}


def _outside_chunk(seed: int, k: int, workdir: Path) -> dict[str, tuple[Path, int]]:
    """Chunk k of the records outside Jingzhou (province and national scales), rendered to
    CSV part files: (path, rows) per output. Each chunk has its own random streams, so chunks
    are generated in parallel processes and appended in chunk order, identical to a
    sequential run."""
    crng = np.random.default_rng(seed * 1000 + k)
    other = _build_patents(crng, jingzhou=False, chunk=k)
    place = OUTSIDE_PLACES[k % len(OUTSIDE_PLACES)]
    crows, cevents = _patent_rows(other, Names(crng), crng, place, None)
    events = _event_rows(cevents, crng)
    trng = np.random.default_rng(seed * 1000 + k + 7)
    orows, oevents = _trademarks(trng, Names(trng), Truth(), jingzhou=False, chunk=k)
    parts = {}
    for name, headers, rows in (
        ("patents", PATENT_HEADERS_B, crows),
        ("events", EVENT_HEADERS, events),
        ("trademarks", TRADEMARK_HEADERS, orows),
        ("tm_events", TM_EVENT_HEADERS, oevents),
    ):
        path = workdir / f"{k}.{name}.csv"
        path.write_bytes(CsvSink.render(headers, rows))
        parts[name] = (path, len(rows))
    return parts


def _outside_chunks(seed: int, chunks: int, workdir: Path) -> Iterator[dict]:
    """Every outside chunk in order, generated on all cores (pure-Python row building:
    ~15 s a chunk, 199 chunks at national scale)."""
    if chunks <= 1:
        return
    context = multiprocessing.get_context("spawn")  # forking a process using polars can hang
    with ProcessPoolExecutor(os.cpu_count() or 1, mp_context=context) as pool:
        yield from pool.map(_outside_chunk, repeat(seed), range(1, chunks), repeat(workdir))


def generate(home: Path, scale: str = "city", seed: int = 42) -> Truth:
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    inbox = home / "inbox"
    truth = Truth()
    rng = np.random.default_rng(seed)
    names = Names(rng)

    # Patents: Jingzhou first (calibrated), then other cities in chunks.
    sink_a = CsvSink(
        inbox / "patents" / "cnipa_patents_2003-2019.csv", PATENT_HEADERS_A, "utf-8-sig"
    )
    sink_b = CsvSink(inbox / "patents" / "incopat_patents_2020-2025.csv", PATENT_HEADERS_B)
    ev_utf = CsvSink(inbox / "patent_events" / "legal_events_cnipa.csv", EVENT_HEADERS)
    ev_gbk = CsvSink(
        inbox / "patent_events" / "legal_events_2022-2025_gbk.csv", EVENT_HEADERS, "gb18030"
    )
    jz = _build_patents(rng, jingzhou=True)
    truth.indicators["patents"] = _patent_truth(jz)
    rows, events = _patent_rows(jz, names, rng, None, truth)
    cut = _d(dt.date(2020, 1, 1))
    recent = [r for r, a in zip(rows, jz.app, strict=True) if a >= cut]
    older = [r for r, a in zip(rows, jz.app, strict=True) if a < cut]
    xlsx_rows = [r for r in recent if r["patent_type"] == "外观设计"][:1500]
    xlsx_ids = {id(r) for r in xlsx_rows}
    sink_a.add(older)
    # a corrected re-delivery: 300 older records again, identical (must not double count)
    sink_b.add([r for r in recent if id(r) not in xlsx_ids] + older[:300])
    _xlsx(inbox / "patents" / "designs_2020-2025.xlsx", PATENT_HEADERS_A, xlsx_rows)
    sink_b.add(_patent_defect_rows(rng, names, truth))
    ev_rows = _event_rows(events, rng)
    ev_utf.add([e for e in ev_rows if e["event_date"] < "2022"])
    ev_gbk.add([e for e in ev_rows if e["event_date"] >= "2022"])
    ev_utf.add(
        [
            {
                "application_number": rows[0]["_canonical"],
                "event_date": "2021-05-05",
                "event": "专利权质押合同登记生效(未收录)",
                "new_holder": "",
                "new_address": "",
            }
        ]
    )
    truth.defects["unknown_event"] += 1
    truth.defects["recoverable:gbk_file"] += 1
    truth.defects["recoverable:xlsx_file"] += 1
    truth.rows["patents_jingzhou"] = len(rows)
    families, awards = _family_and_award_rows(jz, [r["_canonical"] for r in rows], rng)
    CsvSink(
        inbox / "patent_families" / "families.csv",
        {
            "application_number": "申请号",
            "member": "同族公开号",
            "country": "国家",
            "granted": "是否授权",
        },
    ).write_all(families)
    CsvSink(
        inbox / "awards" / "china_patent_awards.csv",
        {"patent_number": "专利号", "award": "奖项", "year": "年份"},
    ).write_all(awards)
    patent_numbers = [r["_canonical"] for r, t in zip(rows, jz.ptype, strict=True) if t == 1][:500]

    work = tempfile.TemporaryDirectory(prefix="demo-chunks-", dir=home)
    outside = []
    for parts in _outside_chunks(seed, SCALES[scale], Path(work.name)):
        sink_b.add_part(*parts["patents"])
        ev_utf.add_part(*parts["events"])
        outside.append(parts)
    for s in (sink_a, sink_b, ev_utf, ev_gbk):
        s.close()

    tm_rows, tm_events = _trademarks(rng, names, truth, jingzhou=True)
    tm_sink = CsvSink(
        inbox / "trademarks" / "trademarks_jingzhou.csv",
        TRADEMARK_HEADERS,
        "utf-8-sig",
    )
    tm_sink.add(tm_rows)
    tev_sink = CsvSink(
        inbox / "trademark_events" / "trademark_events.csv",
        TM_EVENT_HEADERS,
    )
    tev_sink.add(tm_events)
    for parts in outside:
        tm_sink.add_part(*parts["trademarks"])
        tev_sink.add_part(*parts["tm_events"])
    work.cleanup()
    tm_sink.close()
    tev_sink.close()

    p_rows, t_rows = _pledges(
        rng, names, patent_numbers, [r["registration_number"] for r in tm_rows[:2000]]
    )
    CsvSink(
        inbox / "pledges" / "patent_pledges.csv",
        {
            "registration_id": "质押登记号",
            "registration_date": "登记日期",
            "right_kind": "类型",
            "pledgor": "出质人",
            "pledgor_address": "出质人地址",
            "pledgee": "质权人",
            "amount_wan": "质押金额(万元)",
            "objects": "专利号",
            "contract_date": "合同日期",
        },
    ).write_all(p_rows)
    CsvSink(
        inbox / "pledges" / "trademark_pledges.csv",
        {
            "registration_id": "登记号",
            "registration_date": "质押登记日",
            "right_kind": "类型",
            "pledgor": "出质人",
            "pledgor_address": "出质人地址",
            "pledgee": "质权人",
            "amount_yuan": "债权数额(元)",
            "objects": "注册号",
            "contract_date": "合同日期",
        },
    ).write_all(t_rows)

    CsvSink(
        inbox / "geographic_indications" / "gi_register.csv",
        {
            "name": "产品名称",
            "scheme": "地理标志类型",
            "approval_date": "批准日期",
            "unit": "所属区县",
            "registration_number": "注册号",
            "holder": "注册人",
            "revoke_date": "撤销日期",
        },
    ).write_all(_gis(rng))
    CsvSink(
        inbox / "designations" / "designations.csv",
        {
            "unit_name": "单位名称",
            "category": "类别",
            "level": "级别",
            "start_date": "开始日期",
            "end_date": "结束日期",
            "batch": "批次",
            "unit": "所属区县",
        },
    ).write_all(
        [
            {
                "unit_name": "荆州市",
                "category": "城市",
                "level": "国家级",
                "start_date": "2022-11-15",
                "end_date": "",
                "batch": "第二批国家知识产权强市建设试点城市",
                "unit": "荆州市",
            },
            {
                "unit_name": "长江大学",
                "category": "高校",
                "level": "国家级",
                "start_date": "2023-10-20",
                "end_date": "",
                "batch": "国家知识产权试点高校",
                "unit": "荆州区",
            },
            {
                "unit_name": "荆州开发区",
                "category": "园区",
                "level": "省级",
                "start_date": "2021-06-01",
                "end_date": "",
                "batch": "湖北省知识产权示范园区",
                "unit": "荆州开发区",
            },
            {
                "unit_name": "松滋市",
                "category": "县",
                "level": "省级",
                "start_date": "2019-05-01",
                "end_date": "2022-04-30",
                "batch": "湖北省知识产权强县工程试点县",
                "unit": "松滋市",
            },
        ]
    )
    CsvSink(
        inbox / "survey_scores" / "satisfaction.csv",
        {"year": "年份", "score": "得分", "unit": "地区", "source": "来源"},
    ).write_all(
        [
            {
                "year": str(y),
                "score": f"{s:.1f}",
                "unit": "荆州市",
                "source": "第三方社会满意度调查",
            }
            for y, s in SURVEY.items()
        ]
    )
    census, yearbook = _population_rows()
    CsvSink(
        inbox / "population" / "census_2020.csv",
        {"year": "年份", "unit_code": "地区代码", "population": "常住人口(人)", "source": "来源"},
    ).write_all(census)
    CsvSink(
        inbox / "population" / "yearbook_population.csv",
        {"year": "年份", "unit_code": "地区代码", "population": "常住人口(万人)", "source": "来源"},
    ).write_all(yearbook)

    (inbox / "_demo_truth.json").write_text(
        json.dumps(
            {
                "scale": scale,
                "seed": seed,
                "indicators": truth.indicators,
                "defects": dict(truth.defects),
                "rows": dict(truth.rows),
                "population": {str(k): v for k, v in population_truth().items()},
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    return truth
