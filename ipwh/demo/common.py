"""Day arithmetic on numpy arrays, the date forms exports write, and the truth record the
tests read."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ipwh.demo.published import EPOCH


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
