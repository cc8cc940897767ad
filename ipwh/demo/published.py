"""The published figures the city-scale demo is calibrated to (the plan, the statistical
bulletins), and the scales."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

SCALES = {"city": 1, "province": 20, "national": 200}
EPOCH = dt.date(1970, 1, 1)
YEARS = list(range(2010, 2026))
CUTOFF = (dt.date(2025, 12, 31) - EPOCH).days  # data cutoff of the demo deliveries


with (Path(__file__).parent / "published.csv").open(encoding="utf-8") as fh:
    _ROWS = list(csv.DictReader(fh))


def _published(column: str, cast=int) -> dict:
    """year -> figure of one column of published.csv (years without a figure left out)."""
    return {int(r["year"]): cast(r[column]) for r in _ROWS if r[column]}


# Jingzhou figures the generator calibrates to (published.csv): plan Table 3 baselines
# (2021), chapter 1 (2020), and a 2025 path on which grants and trademarks reach target and
# the patent stocks do not. Grants: inventions, and all three types; pledges in 元; GIs valid
# at year end; the 2024 survey score is missing on purpose.
INVENTION_GRANTS = _published("invention_grants")
VALID_INVENTION_STOCK = _published("valid_invention_stock")
ALL_GRANTS = _published("all_grants")
VALID_TRADEMARK_STOCK = _published("valid_trademark_stock")
PLEDGE_YUAN = _published("pledge_yuan")
_GI_PRODUCTS = _published("gi_products")  # GI_STOCK: (GI trademarks, GI products) by year
GI_STOCK = {y: (n, _GI_PRODUCTS[y]) for y, n in _published("gi_trademarks").items()}
SURVEY = _published("survey_score", float)
POP_TREND = _published("population_factor", float)  # city population against the census

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
