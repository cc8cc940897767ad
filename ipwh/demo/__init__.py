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
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path

import numpy as np

from ipwh.demo.common import Truth, _d, _date
from ipwh.demo.defects import _patent_defect_rows
from ipwh.demo.names import OUTSIDE_PLACES, Names
from ipwh.demo.oracle import month_truth
from ipwh.demo.other_records import (
    _gis,
    _pledges,
    _population_rows,
    population_truth,
)
from ipwh.demo.patents import (
    _build_patents,
    _event_rows,
    _family_and_award_rows,
    _patent_rows,
    _patent_truth,
)
from ipwh.demo.published import CUTOFF, SCALES, SURVEY
from ipwh.demo.trademarks import _trademarks
from ipwh.demo.writers import CsvSink, _xlsx, csv_lines

# the files that gather the other cities' chunks
OUTSIDE_FILES = {
    "patents": "patents/incopat_patents_2020-2025.csv",
    "events": "patent_events/legal_events_cnipa.csv",
    "trademarks": "trademarks/trademarks_jingzhou.csv",
    "tm_events": "trademark_events/trademark_events.csv",
}


def _outside_chunk(seed: int, k: int, workdir: Path) -> dict[str, Path]:
    """Chunk k of the records outside Jingzhou (province and national scales), rendered to
    CSV part files, one per file of OUTSIDE_FILES. Each chunk has its own random streams, so chunks
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
    for name, rows in (
        ("patents", crows),
        ("events", events),
        ("trademarks", orows),
        ("tm_events", oevents),
    ):
        parts[name] = workdir / f"{k}.{name}.csv"
        parts[name].write_bytes(csv_lines(OUTSIDE_FILES[name], rows))
    return parts


def _outside_chunks(seed: int, chunks: int, workdir: Path) -> Iterator[dict]:
    """Every outside chunk in order, generated on all cores (pure-Python row building:
    the slowest part of a national demo)."""
    if chunks <= 1:
        return
    context = multiprocessing.get_context("spawn")  # forking a process using polars can hang
    with ProcessPoolExecutor(os.cpu_count() or 1, mp_context=context) as pool:
        yield from pool.map(_outside_chunk, repeat(seed), range(1, chunks), repeat(workdir))


def generate(
    home: Path, scale: str = "city", seed: int = 42, say: Callable[[str], None] | None = None
) -> Truth:
    """The demo landing files under `home`/inbox; `say`, when given, hears each step (a
    terminal's progress line)."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")

    def step(message: str) -> None:
        if say:
            say(f"ipwh demo ({scale}): {message}")

    inbox = home / "inbox"
    truth = Truth()
    rng = np.random.default_rng(seed)
    names = Names(rng)

    # Patents: Jingzhou first (calibrated), then other cities in chunks.
    sink_a = CsvSink(inbox, "patents/cnipa_patents_2003-2019.csv")
    sink_b = CsvSink(inbox, OUTSIDE_FILES["patents"])
    ev_utf = CsvSink(inbox, OUTSIDE_FILES["events"])
    ev_gbk = CsvSink(inbox, "patent_events/legal_events_2022-2025_gbk.csv")
    step("patents and legal events of Jingzhou")
    jz = _build_patents(rng, jingzhou=True)
    truth.indicators["patents"] = _patent_truth(jz)
    truth.indicators["patents_2024_by_month"] = month_truth(jz, 2024)
    rows, events = _patent_rows(jz, names, rng, None, truth)
    cut = _d(dt.date(2020, 1, 1))
    recent = [r for r, a in zip(rows, jz.app, strict=True) if a >= cut]
    older = [r for r, a in zip(rows, jz.app, strict=True) if a < cut]
    xlsx_rows = [r for r in recent if r["patent_type"] == "外观设计"][:1500]
    xlsx_ids = {id(r) for r in xlsx_rows}
    sink_a.add(older)
    # a corrected re-delivery: 300 older records again, identical (must not double count)
    sink_b.add([r for r in recent if id(r) not in xlsx_ids] + older[:300])
    _xlsx(inbox, "patents/designs_2020-2025.xlsx", xlsx_rows)
    sink_b.add(_patent_defect_rows(rng, names, truth))
    ev_rows = _event_rows(events, rng)
    # licence recordals of every 40th granted invention, 200 days after its grant (fixed
    # choices, no draws: the calibrated random stream stays as it is)
    licences = [
        {
            "application_number": rows[i]["_canonical"],
            "event_date": _date(int(jz.grant[i]) + 200).isoformat(),
            "event": "专利实施许可合同备案的生效",
            "new_holder": "",
            "new_address": "",
        }
        for i in range(0, len(rows), 40)
        if jz.ptype[i] == 1 and 0 <= jz.grant[i] <= CUTOFF - 200
    ]
    CsvSink(inbox, "patent_events/licence_recordals.csv").write_all(licences)
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
    CsvSink(inbox, "patent_families/families.csv").write_all(families)
    CsvSink(inbox, "awards/china_patent_awards.csv").write_all(awards)
    patent_numbers = [r["_canonical"] for r, t in zip(rows, jz.ptype, strict=True) if t == 1][:500]

    work = tempfile.TemporaryDirectory(prefix="demo-chunks-", dir=home)
    outside = []
    chunks = SCALES[scale]
    for done, parts in enumerate(_outside_chunks(seed, chunks, Path(work.name)), start=1):
        step(f"patents of other cities, part {done} of {chunks - 1}")
        sink_b.add_part(parts["patents"])
        ev_utf.add_part(parts["events"])
        outside.append(parts)
    for s in (sink_a, sink_b, ev_utf, ev_gbk):
        s.close()

    step("trademarks and their events")
    tm_rows, tm_events = _trademarks(rng, names, truth, jingzhou=True)
    tm_sink = CsvSink(inbox, OUTSIDE_FILES["trademarks"])
    tm_sink.add(tm_rows)
    tev_sink = CsvSink(inbox, OUTSIDE_FILES["tm_events"])
    tev_sink.add(tm_events)
    for parts in outside:
        tm_sink.add_part(parts["trademarks"])
        tev_sink.add_part(parts["tm_events"])
    work.cleanup()
    tm_sink.close()
    tev_sink.close()

    step("pledges, geographic indications, designations, surveys, population, plans")
    p_rows, t_rows = _pledges(
        rng, names, patent_numbers, [r["registration_number"] for r in tm_rows[:2000]]
    )
    CsvSink(inbox, "pledges/patent_pledges.csv").write_all(p_rows)
    CsvSink(inbox, "pledges/trademark_pledges.csv").write_all(t_rows)
    CsvSink(inbox, "geographic_indications/gi_register.csv").write_all(_gis(rng))
    # files that draw nothing at random: the designations and an example next plan (2026-2030,
    # illustrative targets, so that a next plan's pages can be seen)
    shutil.copytree(Path(__file__).parent / "static", inbox, dirs_exist_ok=True)
    CsvSink(inbox, "survey_scores/satisfaction.csv").write_all(
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
    CsvSink(inbox, "population/census_2020.csv").write_all(census)
    CsvSink(inbox, "population/yearbook_population.csv").write_all(yearbook)

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
