"""Extra rows carrying one quarantinable defect each (never part of the truth)."""

from __future__ import annotations

import numpy as np

from ipwh.demo.common import Truth
from ipwh.demo.names import Names
from ipwh.identifiers import application_check_char


def _patent_defect_rows(rng: np.random.Generator, names: Names, truth: Truth) -> list[dict]:
    """Extra rows that ingestion must quarantine, one reason each."""
    rows = []

    def base(i: int) -> dict:
        body = f"2022{1 + i % 2}{9_000_000 + i:07d}"
        return {
            "application_number": f"{body}.{application_check_char(body)}",
            "application_date": "2022-05-06",
            "patent_type": "发明" if i % 2 == 0 else "实用新型",
            "applicants": names.company(),
            "address": names.address("421002"),
            "title": "一种缺陷样例装置",
            "grant_date": "",
            "ipc_main": "B65D81/18",
            "ipc": "B65D81/18",
            "uscc": "",
        }

    for i in range(40):
        r = base(i)
        kind = ("bad_check_digit", "type_mismatch", "invalid_date", "missing_required")[i % 4]
        if kind == "bad_check_digit":
            body, chk = r["application_number"].split(".")
            r["application_number"] = f"{body}.{(int(chk) + 1) % 10 if chk != 'X' else 0}"
        elif kind == "type_mismatch":
            r["patent_type"] = "外观设计"
        elif kind == "invalid_date":
            r["application_date"] = "2022-02-30"
        else:
            r["applicants"] = ""
        truth.defects[kind] += 1
        rows.append(r)
    return rows


# --------------------------------------------------------------------------- other kinds
