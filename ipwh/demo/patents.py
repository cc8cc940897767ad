"""Patent records: a calibrated set of grants, their lapses and events, families and awards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ipwh.demo.common import (
    DATE_STYLES,
    Truth,
    _add_years,
    _d,
    _date,
    _fmt_date,
    _year_end,
    _years_of,
)
from ipwh.demo.names import (
    HIGH_VALUE_2021,
    IPC_PLAIN,
    IPC_SEI,
    LOCARNO,
    OUTSIDE_PLACES,
    THINGS,
    TITLES,
    Names,
    _pick_units,
)
from ipwh.demo.oracle import high_value_at
from ipwh.demo.published import ALL_GRANTS, CUTOFF, INVENTION_GRANTS, VALID_INVENTION_STOCK, YEARS
from ipwh.identifiers import application_check_char


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


def _event(number: str, day: int, kind: str, **change: str) -> dict:
    """A legal event of the patent `number` (a transfer names the new holder and address)."""
    return {"application_number": number, "event_date": int(day), "event": kind, **change}


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
                # inventions with a family abroad went through PCT (no draw: the calibrated
                # random stream stays as it is)
                "pct": f"PCT/CN{_date(ps.app[i]).year}/{i % 1_000_000:06d}"
                if t == 1 and ps.family[i]
                else "",
                "_canonical": canonical,
            }
        )
        for day, kind in ((ps.end[i], ps.end_kind[i]), (ps.restore[i], "restoration")):
            if day >= 0 and kind:
                events.append(_event(canonical, day, kind))
        if ps.move[i] >= 0:
            new_unit = ps.move_unit[i] or None
            new_out = None if new_unit else OUTSIDE_PLACES[rng.integers(len(OUTSIDE_PLACES))]
            transfer = _event(
                canonical,
                ps.move[i],
                "transfer",
                new_holder=names.company("荆州" if new_unit else new_out[3:5]),
                new_address=names.address(new_unit, new_out),
            )
            events.append(transfer)
        if t == 1 and granted and rng.random() < 0.03:
            day = min(CUTOFF, int(ps.grant[i] + rng.integers(300, 900)))
            events.append(_event(canonical, day, "invalidation_partial"))
        # an explicit 期限届满 on the statutory end date, as registers publish for some
        # patents (the term ends them anyway; the event must agree with it)
        ended_early = 0 <= ps.end[i] <= term[i] and ps.restore[i] < 0
        if granted and term[i] <= CUTOFF and not ended_early and rng.random() < 0.5:
            events.append(_event(canonical, term[i], "expiry"))
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
