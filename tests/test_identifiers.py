"""Application-number and USCC rules: scalar oracle vs the vectorised ingest expressions."""

import random

import polars as pl
import pytest

from ingest.normalise import app_number, check_value, clean, type_digit, uscc
from ipwh.identifiers import USCC_ALPHABET, application_check_char, uscc_check_char
from tests.conftest import FIXTURES


def normalise_numbers(values: list[str]) -> pl.DataFrame:
    value, error = app_number(clean(pl.col("n")), 1.0)
    return pl.DataFrame({"n": values}).select(
        "n", value.alias("value"), error.alias("error"), type_digit(value).alias("kind")
    )


@pytest.mark.parametrize(
    ("body", "check"), [("202110123456", "7"), ("201710601862", "3"), ("95115608", "X")]
)
def test_check_character_matches_domain_examples(body, check):
    assert application_check_char(body) == check


def test_all_508_real_application_numbers_validate():
    numbers = (FIXTURES / "realdata" / "application_numbers_valid.txt").read_text().split()
    assert len(numbers) == 508
    out = normalise_numbers(numbers)
    assert out["error"].null_count() == 508
    assert out["value"].str.contains(r"^\d{12}\.[0-9X]$").all()
    assert out.filter(pl.col("n").str.ends_with("X")).height >= 36


def test_number_without_check_character_is_not_accepted():
    number = (FIXTURES / "realdata" / "application_number_no_check_digit.txt").read_text().strip()
    out = normalise_numbers([number])
    assert out["value"][0] is None
    assert out["error"][0] == "missing_check_digit"


@pytest.mark.parametrize(
    ("raw", "canonical", "kind"),
    [
        ("CN202223220665.2", "202223220665.2", "utility_model"),
        ("2023104185203", "202310418520.3", "invention"),
        ("ZL201710601862.3", "201710601862.3", "invention"),
        ("CN:201710601862.3", "201710601862.3", "invention"),
        ("95115608.X", "95115608.X", "invention"),
        ("CN2017106018623A", "201710601862.3", "invention"),
    ],
)
def test_number_forms_seen_in_the_wild_normalise(raw, canonical, kind):
    out = normalise_numbers([raw])
    assert out.row(0)[1:] == (canonical, None, kind)


def test_wrong_check_character_is_a_row_error():
    assert normalise_numbers(["201710601862.4"])["error"][0] == "bad_check_digit"


def is_valid_uscc(code: str) -> bool:
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def test_uscc_check():
    assert is_valid_uscc("91110000600037341L")
    assert not is_valid_uscc("91110000600037341M")


def test_vectorised_check_character_agrees_with_the_scalar_rule():
    rng = random.Random(7)
    bodies = [str(rng.randrange(10**11, 10**12)) for _ in range(3000)]
    bodies += [str(rng.randrange(10**7, 10**8)) for _ in range(1000)]
    bodies += ["000000000000", "999999999999", "00000000", "99999999"]
    got = pl.DataFrame({"b": bodies}).select(check_value(pl.col("b")).alias("c"))["c"].to_list()
    assert ["X" if c == 10 else str(c) for c in got] == [application_check_char(b) for b in bodies]


def test_vectorised_uscc_check_agrees_with_the_scalar_rule():
    rng = random.Random(11)
    codes = []
    for _ in range(2000):
        first17 = "".join(rng.choice(USCC_ALPHABET) for _ in range(17))
        codes.append(first17 + uscc_check_char(first17))  # valid
        codes.append(first17 + rng.choice(USCC_ALPHABET))  # valid about 1 in 31
    codes += ["YYYYYYYYYYYYYYYYY" + uscc_check_char("YYYYYYYYYYYYYYYYY"), "91110000600037341I"]
    # lower case and inner spaces are read as the code they spell
    codes += [c.lower() for c in codes[:100]] + [f"{c[:8]} {c[8:]}" for c in codes[:100]]
    _, error = uscc(pl.col("c"), 1.0)
    out = pl.DataFrame({"c": codes}).select(error.alias("e"))["e"].to_list()
    assert [e is None for e in out] == [is_valid_uscc(c.upper().replace(" ", "")) for c in codes]
    assert 2100 < sum(e is None for e in out) < 2300


@pytest.mark.parametrize(
    ("raw", "expected", "reason"),
    [
        ("2021-03-04", "2021-03-04", None),
        ("20210304", "2021-03-04", None),
        ("2015/3/4 0:00:00", "2015-03-04", None),
        ("2015/3/4", "2015-03-04", None),
        ("2017-03-01T00:00:00", "2017-03-01", None),
        ("2021年03月04日", "2021-03-04", None),
        ("2021年3月4日", "2021-03-04", None),
        ("2021.3.4", "2021-03-04", None),
        ("2021-02-30", None, "invalid_date"),
        ("2021/2/30 0:00:00", None, "invalid_date"),
        ("20210230", None, "invalid_date"),
        ("1984-12-31", "1984-12-31", "implausible_date"),
        ("二〇二一年", None, "invalid_date"),
        ("0", None, None),  # a missing-value token
    ],
)
def test_every_date_form_reads_the_same_day_and_impossible_dates_are_errors(raw, expected, reason):
    from ingest.normalise import date

    value, error = date(clean(pl.col("d")), 1.0)
    out = pl.DataFrame({"d": [raw]}).select(value.cast(pl.String).alias("v"), error.alias("e"))
    assert out.row(0) == (expected, reason)
