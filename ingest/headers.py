"""Which column of a landing file holds which field: headers matched to each field's
spellings (`ingest/landing_fields.csv`), the file rejected when a required field has no
column."""

from __future__ import annotations

import difflib

from ingest.kinds import Kind
from ingest.read import FileRejected


def _fold_header(h: str) -> str:
    return h.replace("（", "(").replace("）", ")").replace(" ", "").replace("\u3000", "").lower()


def map_headers(
    kind: Kind, headers: list[str], file_name: str
) -> dict[str, tuple[list[str], float]]:
    """canonical field -> (source headers, unit factor); rejects when a required one is
    absent. Several synonyms present (keys drifting between JSON records, or 申请人 beside
    当前权利人) are coalesced in synonym order; an amount keeps only its first header, whose
    unit the factor is."""
    folded: dict[str, list[str]] = {}
    for h in headers:  # `intCls` and `intcls` in drifting JSON keys are one header
        folded.setdefault(_fold_header(h), []).append(h)
    mapping: dict[str, tuple[list[str], float]] = {}
    for f in kind.fields:
        found = [h for s in (*f.synonyms, f.name) for h in folded.get(_fold_header(s), [])]
        found = list(dict.fromkeys(found))
        if found:
            scaled = {_fold_header(k): v for k, v in f.scaled.items()}
            factor = scaled.get(_fold_header(found[0]), 1.0)
            mapping[f.name] = (found[:1] if f.scaled else found, factor)
    missing = [
        f for f in kind.fields if f.required and not f.row_required_only and f.name not in mapping
    ]
    if missing:
        parts = []
        for f in missing:
            close = difflib.get_close_matches(f.synonyms[0], headers, n=3, cutoff=0.3)
            parts.append(
                f"{f.name} (expected one of {', '.join(f.synonyms)}; "
                f"closest in file: {', '.join(close) or 'none'})"
            )
        raise FileRejected(
            "unmapped_fields",
            f"{file_name}: cannot map required field(s) for kind '{kind.name}': "
            + "; ".join(parts),
        )
    return mapping
