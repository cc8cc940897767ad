"""The test oracle: the demo's own numpy evaluation of the counting rules
(docs/counting-rules.md), independent of the dbt SQL, which the tests compare with the marts."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

from ipwh.demo.common import _add_years, _d, _year_end

if TYPE_CHECKING:
    from ipwh.demo.patents import PatentSet


def high_value_at(ps: PatentSet, year: int, term: np.ndarray) -> np.ndarray:
    """counting-rules.md §2 criteria 1, 2, 3 and 5 (the demo's pledges stay below the pledge
    threshold up to 2021, so criterion 4 cannot change the calibrated year)."""
    day = _year_end(year)
    valid = ps.valid_at(day, term) & (ps.unit_at(day) != "") & (ps.ptype == 1)
    maintained = day > _add_years(ps.app, 10)
    awarded = (ps.award_year >= 0) & (ps.award_year <= year)
    return valid & (ps.sei | ps.family | maintained | awarded)


def month_truth(ps: PatentSet, year: int) -> dict:
    """counting-rules.md §2 "Periods", month by month for one year: valid invention patents in
    Jingzhou at each month end, and patents granted in each month where the holder was then."""
    term = ps.term_end()
    at_grant = np.where((ps.move >= 0) & (ps.move <= ps.grant), ps.move_unit, ps.unit)
    out = {}
    for month in range(1, 13):
        first = _d(dt.date(year, month, 1))
        last = _d(dt.date(year + month // 12, month % 12 + 1, 1)) - 1
        valid = ps.valid_at(last, term) & (ps.unit_at(last) != "") & (ps.ptype == 1)
        granted = (ps.grant >= first) & (ps.grant <= last) & (at_grant != "")
        out[str(month)] = {
            "valid_invention_patents": int(valid.sum()),
            "patent_grants": int(granted.sum()),
        }
    return out
