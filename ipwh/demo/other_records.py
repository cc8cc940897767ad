"""Pledges, geographic indications and population."""

from __future__ import annotations

import datetime as dt

import numpy as np

from ipwh.demo.common import _d, _date, _fmt_date, _year_end
from ipwh.demo.names import GI_NAMES, UNIT_ADDRESS, Names, _pick_units
from ipwh.demo.published import (
    CENSUS_2020,
    CUTOFF,
    GI_STOCK,
    JIANGLING_PUBLISHED,
    PLEDGE_YUAN,
    POP_TREND,
)


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
            patent = {**row, "registration_id": f"Y{year}42000{reg_id:05d}", "right_kind": "专利"}
            mark = {**row, "registration_id": f"TM{year}{reg_id:06d}", "right_kind": "商标"}
            if kind < 0.6 or not tm_numbers:  # one to three patents
                n = rng.integers(1, 4)
                patent["objects"] = ";".join(
                    f"ZL{patent_numbers[rng.integers(len(patent_numbers))]}" for _ in range(n)
                )
                patent_rows.append(patent)
                continue
            if kind >= 0.85:  # one financing registered in both registers: must count once
                patent["objects"] = f"ZL{patent_numbers[rng.integers(len(patent_numbers))]}"
                patent_rows.append(patent)
            mark["objects"] = tm_numbers[rng.integers(len(tm_numbers))]
            tm_rows.append(mark)
    return patent_rows, tm_rows


def _gi_renewal(approved: int) -> str:
    """The latest renewal of a GI trademark kept in force to the cutoff: 90 days before the
    end of the last term that ends by then (none while the first term runs)."""
    start = _date(approved)

    def term_end(k: int) -> int:
        return _d(dt.date(start.year + 10 * k, start.month, min(start.day, 28)))

    terms = 0
    while term_end(terms + 1) <= CUTOFF:
        terms += 1
    return _fmt_date(term_end(terms) - 90, "iso") if terms else ""


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
                        "renewal_date": _gi_renewal(day) if scheme == "地理标志商标" else "",
                    }
                )
        prev = (tm, prod)
    agricultural = (
        "洪湖莲藕 洈水刁子鱼 监利大米 公安葡萄 石首鮰鱼 松滋橘柑 洪湖清水螃蟹 荆州大米 江陵油菜 "
        "监利龙虾"
    )
    for i, name in enumerate(agricultural.split()):
        rows.append(
            {
                "name": name,
                "scheme": "农产品地理标志",
                "approval_date": _fmt_date(_d(dt.date(2010 + i, 3, 1)), "iso"),
                "unit": unit_names[i % len(unit_names)],
                "registration_number": f"AGI0{2300 + i}",
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
