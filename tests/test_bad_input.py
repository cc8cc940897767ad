"""The bad-input corpus: each defect kind produces exactly its documented outcome."""

import json

import pytest

from ingest.load import connect_raw, ingest_file
from ipwh.strings import strings
from tests.conftest import FIXTURES

BAD = FIXTURES / "bad"
EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))


def test_corpus_covers_at_least_25_defect_kinds():
    assert len(EXPECTED) >= 25


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_defect_gives_its_documented_reason_and_counts(case, tmp_path):
    expected = EXPECTED[case]
    con = connect_raw(tmp_path / "raw.duckdb")
    try:
        result = ingest_file(con, BAD / case)
        reasons = dict(
            con.execute("select reason, count(*) from raw_quarantine group by 1").fetchall()
        )
        loaded = (
            con.execute(f"select count(*) from raw_{result.kind}").fetchall()[0][0]
            if result.kind
            else 0
        )
        (cause,) = con.execute("select rejection_cause from raw_manifest").fetchone()
    finally:
        con.close()
    assert result.status == expected["status"], result.message
    if expected["status"] == "rejected":
        assert expected["message"] in result.message
        assert case.split("/")[-1] in result.message  # the error names the file
        assert result.rows_loaded == result.rows_quarantined == 0
        assert cause == expected["cause"]  # a code, said in words by the app
        assert ("value", f"rejection_cause.{cause}") in strings()
        return
    assert reasons == expected["reasons"]
    assert {("reason", r) for r in reasons} <= set(strings())  # explained in both languages
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    assert result.rows_quarantined == sum(expected["reasons"].values())
    assert loaded == result.rows_loaded > 0
