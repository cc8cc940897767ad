"""Record kinds of the landing-file contract (counting-rules.md §5), read from
ingest/landing_fields.csv: one row per field with its type (how it is normalised: see
ingest.normalise.NORMALISERS), whether it is required, its place in the kind's key, the
header spellings that map to it, and the unit factor a header implies."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    required: bool = False
    synonyms: tuple[str, ...] = ()
    # required in every row, but some sources lack the column (API shapes without
    # addresses): such a file is accepted and its rows quarantined as missing_required
    row_required_only: bool = False
    # header -> factor, for amounts whose unit is in the header (万元 -> 元)
    scaled: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    name: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # a re-delivery replaces the earlier version by this key


def _kinds() -> dict[str, Kind]:
    rows: dict[str, list[dict]] = {}
    with (Path(__file__).parent / "landing_fields.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["required"] not in ("yes", "no", "rows"):  # a typo must not drop a rule
                raise ValueError(
                    f"landing_fields.csv: {row['kind']}.{row['field']}: required is "
                    f"{row['required']!r}, not yes, no or rows"
                )
            rows.setdefault(row["kind"], []).append(row)
    kinds = {}
    for name, fields in rows.items():
        key = sorted((int(r["key_position"]), r["field"]) for r in fields if r["key_position"])
        kinds[name] = Kind(
            name,
            tuple(
                Field(
                    r["field"],
                    r["type"],
                    required=r["required"] in ("yes", "rows"),
                    synonyms=tuple(r["headers"].split("|")),
                    row_required_only=r["required"] == "rows",
                    scaled={
                        h: float(v)
                        for h, v in (p.split("=") for p in r["header_factors"].split("|") if p)
                    },
                )
                for r in fields
            ),
            tuple(f for _, f in key),
        )
    return kinds


KINDS = _kinds()
