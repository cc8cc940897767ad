"""Day arithmetic on numpy arrays, and the truth record the tests read."""

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
