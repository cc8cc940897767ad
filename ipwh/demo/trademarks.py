"""Trademark registrations and their events, calibrated to the valid-mark stock."""

from __future__ import annotations

import datetime as dt

import numpy as np

from ipwh.demo.common import Truth, _d, _date, _fmt_date, _year_end
from ipwh.demo.names import (
    BRANDS,
    GIVEN,
    NICE_NAMES,
    OUTSIDE_PLACES,
    WELL_KNOWN_2020,
    Names,
    _pick_units,
)
from ipwh.demo.published import VALID_TRADEMARK_STOCK, YEARS


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
    if n >= 200_000:  # the numbering below gives each chunk 200,000 numbers
        raise RuntimeError("demo: more than 200,000 trademarks in one city")
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
        # numbers unique across chunks (a province delivery holds many cities): a chunk's
        # marks number fewer than 200,000
        number = (
            f"G{600_000 + chunk * 200_000 + i}"
            if madrid[i]
            else str(10_000_000 + chunk * 200_000 + i)
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
