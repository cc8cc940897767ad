"""The published figures the city-scale demo is calibrated to (the plan, the statistical
bulletins), and the scales."""

from __future__ import annotations

import datetime as dt

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
