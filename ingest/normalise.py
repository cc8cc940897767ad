"""Vectorised normalisation: each field kind turns a raw string column into a typed value and
a reason code (null when the value is acceptable). No per-row Python on this path."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from functools import cache
from pathlib import Path

import polars as pl

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EARLIEST = dt.date(1985, 1, 1)  # the Chinese patent system opened on 1985-04-01
MISSING_TOKENS = ("", "0", "--", "-", "—", "null", "NULL", "None", "nan")

# Reason codes a quarantined row can carry (documented in README "Quarantine reasons").
REASONS = {
    "missing_required": "a required field is empty",
    "bad_app_number": "application number not in any known form",
    "missing_check_digit": "application number lacks its check character",
    "bad_check_digit": "application number check character is wrong",
    "type_mismatch": "专利类型 disagrees with the number's type digit",
    "unknown_patent_type": "专利类型 not recognised",
    "invalid_date": "not a date in any accepted form, or an impossible calendar date",
    "implausible_date": "date before 1985 or in the future",
    "grant_before_filing": "grant date earlier than application date",
    "unknown_event": "legal-event text not in seeds/legal_event_vocabulary.csv",
    "bad_trademark_number": "trademark registration number not in a known form",
    "bad_nice_class": "Nice class not between 1 and 45",
    "bad_amount": "amount not a number",
    "negative_amount": "amount negative or zero",
    "bad_year": "year not a 4-digit year between 1985 and 2100",
    "unknown_unit": "reporting unit not found in seeds/unit_aliases.csv",
    "bad_score": "survey score not between 0 and 100",
    "absurd_amount": "amount above 10^12 (1万亿元 or persons): a unit or typing error",
    "bad_uscc": "统一社会信用代码 fails the GB 32100-2015 check character",
    "duplicate_conflict": "the same key appears again in the file with different values",
}

Normaliser = Callable[[pl.Expr, float], tuple[pl.Expr, pl.Expr]]


def _clean(e: pl.Expr) -> pl.Expr:
    """Trim, unwrap =HYPERLINK("url","text") cells, and turn missing tokens into null."""
    e = e.cast(pl.String).str.strip_chars()
    e = (
        pl.when(e.str.starts_with("=HYPERLINK("))
        .then(e.str.extract(r'=HYPERLINK\("[^"]*"\s*[,;]\s*"([^"]*)"\)', 1))
        .otherwise(e)
    )
    return pl.when(e.is_in(MISSING_TOKENS)).then(None).otherwise(e)


def _ok(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    return value, pl.lit(None, pl.String)


def text(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
    return _ok(e)


def address(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
    """Strip a glued leading postcode (`434000湖北省…`) and inner spaces."""
    return _ok(e.str.replace(r"^\d{6}\s*", "").str.replace_all(r"\s+", ""))


def _split(e: pl.Expr, pattern: str) -> pl.Expr:
    return (
        e.str.replace_all(pattern, "\x1f")
        .str.split("\x1f")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )


def name_list(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
    """Applicants split on ; ； , ，; brackets made full-width as in registered names."""
    e = e.str.replace_all(r"\(", "（").str.replace_all(r"\)", "）")
    return _ok(_split(e, r"[;；,，]"))


def plain_list(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
    return _ok(_split(e, r"[;；,，|]"))


def ipc(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
    return _ok(e.str.replace_all(r"\s+", "").str.to_uppercase())


def ipc_list(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
    return _ok(_split(e.str.replace_all(r"[ \t]+", "").str.to_uppercase(), r"[;；,，|]"))


def date(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
    """2021-03-04, 20210304, 2015/3/4 0:00:00, 2017-03-01T00:00:00, 2021年03月04日."""
    parts = e.str.extract_groups(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?(?:[ T].*)?$")
    iso = pl.concat_str(
        parts.struct.field("1"),
        parts.struct.field("2").str.zfill(2),
        parts.struct.field("3").str.zfill(2),
        separator="-",
    )
    value = iso.str.to_date("%Y-%m-%d", strict=False)
    error = (
        pl.when(e.is_null())
        .then(None)
        .when(value.is_null())
        .then(pl.lit("invalid_date"))
        .when((value < EARLIEST) | (value > pl.lit(dt.date.today())))
        .then(pl.lit("implausible_date"))
    )
    return value, error


def app_number(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
    """Every §4 form to `YYYYTNNNNNNN.C` / `YYTNNNNN.C`, check character verified."""
    s = (
        e.str.to_uppercase()
        .str.replace_all(r"[\s:]", "")
        .str.replace(r"^(CN|ZL)+", "")
        .str.replace(r"^(\d{12}|\d{8})\.?([0-9X])?[A-WYZ]\d?$", "$1.$2")  # kind code appended
    )
    groups = s.str.extract_groups(r"^(\d{12}|\d{8})\.?([0-9X]?)$")
    body, check = groups.struct.field("1"), groups.struct.field("2")
    # weights 2..9,2..5 are 2 + (position mod 8): one list pass instead of 12 slices
    total = (
        body.str.split("")
        .list.eval((pl.element().cast(pl.Int64) * (pl.int_range(pl.len()) % 8 + 2)).sum())
        .list.first()
    )
    expected = pl.when(total % 11 == 10).then(pl.lit("X")).otherwise((total % 11).cast(pl.String))
    value = pl.when(check != "").then(pl.concat_str(body, pl.lit("."), check))
    error = (
        pl.when(e.is_null())
        .then(None)
        .when(body.is_null())
        .then(pl.lit("bad_app_number"))
        .when(check == "")
        .then(pl.lit("missing_check_digit"))
        .when(check != expected)
        .then(pl.lit("bad_check_digit"))
    )
    return value, error


def type_digit(number: pl.Expr) -> pl.Expr:
    """invention / utility_model / design from the type digit (8 and 9 are PCT entries)."""
    digit = (
        pl.when(number.str.len_chars() == 14)
        .then(number.str.slice(4, 1))
        .otherwise(number.str.slice(2, 1))
    )
    return (
        pl.when(digit.is_in(["1", "8"]))
        .then(pl.lit("invention"))
        .when(digit.is_in(["2", "9"]))
        .then(pl.lit("utility_model"))
        .when(digit == "3")
        .then(pl.lit("design"))
    )


def patent_type(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
    value = (
        pl.when(e.str.contains("发明"))
        .then(pl.lit("invention"))
        .when(e.str.contains("实用新型"))
        .then(pl.lit("utility_model"))
        .when(e.str.contains("外观设计"))
        .then(pl.lit("design"))
    )
    return value, pl.when(e.is_not_null() & value.is_null()).then(pl.lit("unknown_patent_type"))


@cache
def event_vocabulary() -> dict[str, dict[str, str]]:
    """event text -> event code, per right kind, from the seed shared with dbt."""
    vocab: dict[str, dict[str, str]] = {"patent": {}, "trademark": {}}
    with (SEEDS / "legal_event_vocabulary.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            vocab[row["right_kind"]][_fold(row["event_text"])] = row["event_code"]
    return vocab


def _fold(s: str) -> str:
    return s.replace("（", "(").replace("）", ")").replace(" ", "")


def _event(right_kind: str) -> Normaliser:
    def normalise(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
        folded = e.str.replace_all("（", "(").str.replace_all("）", ")").str.replace_all(" ", "")
        value = folded.replace_strict(event_vocabulary()[right_kind], default=None)
        return value, pl.when(e.is_not_null() & value.is_null()).then(pl.lit("unknown_event"))

    return normalise


def _accept(e: pl.Expr, value: pl.Expr, ok: pl.Expr, reason: str) -> tuple[pl.Expr, pl.Expr]:
    """value where ok, else null with `reason` (a missing input is not this field's error)."""
    ok = ok.fill_null(False)
    return pl.when(ok).then(value), pl.when(e.is_not_null() & ~ok).then(pl.lit(reason))


def tm_number(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
    value = e.str.to_uppercase().str.replace_all(r"\s", "")
    return _accept(
        e, value, value.str.contains(r"^(G\d{5,8}|\d{1,8}[A-Z]?)$"), "bad_trademark_number"
    )


def nice_class(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
    """`45`, `"1"`, `38-通讯服务`, `29类 食品` -> 1..45."""
    n = e.str.extract(r"^\D*?(\d{1,2})(?:\D|$)", 1).cast(pl.Int64, strict=False)
    return _accept(e, n, n.is_between(1, 45), "bad_nice_class")


def amount(e: pl.Expr, factor: float) -> tuple[pl.Expr, pl.Expr]:
    n = e.str.replace_all(r"[,，\s]", "").cast(pl.Float64, strict=False)
    return n * factor, (
        pl.when(e.is_null())
        .then(None)
        .when(n.is_null())
        .then(pl.lit("bad_amount"))
        .when(n <= 0)
        .then(pl.lit("negative_amount"))
        .when(n * factor > 1e12)
        .then(pl.lit("absurd_amount"))
    )


USCC_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHJKLMNPQRTUWXY")}
USCC_WEIGHTS = {
    i: w for i, w in enumerate((1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28))
}


def uscc(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
    """GB 32100-2015: check = (31 − Σ value × weight mod 31) mod 31 over the first 17."""
    code = e.str.to_uppercase().str.replace_all(r"\s", "")
    total = (
        code.str.slice(0, 17)
        .str.split("")
        .list.eval(
            pl.element().replace_strict(USCC_VALUES, default=None)
            * pl.int_range(pl.len()).replace_strict(USCC_WEIGHTS, default=None)
        )
        .list.sum()
    )
    expected = (31 - total % 31) % 31
    actual = code.str.slice(17, 1).replace_strict(USCC_VALUES, default=None)
    ok = code.str.contains(r"^[0-9A-HJ-NPQRTUWXY]{18}$") & (expected == actual)
    return _accept(e, code, ok, "bad_uscc")


def year(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
    n = e.str.extract(r"^(\d{4})(?:年|\.0)?$", 1).cast(pl.Int64, strict=False)
    return _accept(e, n, n.is_between(1985, 2100), "bad_year")


def score(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
    n = e.cast(pl.Float64, strict=False)
    return _accept(e, n, n.is_between(0, 100), "bad_score")


@cache
def unit_lookup() -> dict[str, str]:
    """Unit code, name or alias -> reporting unit code (seeds shared with dbt)."""
    out: dict[str, str] = {}
    with (SEEDS / "reporting_units.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["unit_code"]] = out[row["unit_name"]] = row["unit_code"]
    with (SEEDS / "unit_aliases.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["alias"], row["unit_code"])
    out["荆州市"] = "421000"  # a unit column naming the city means the city total
    return out


def unit(e: pl.Expr, _: float) -> tuple[pl.Expr, pl.Expr]:
    value = e.str.replace(r"\(.*\)$", "").replace_strict(unit_lookup(), default=None)
    return value, pl.when(e.is_not_null() & value.is_null()).then(pl.lit("unknown_unit"))


NORMALISERS: dict[str, Normaliser] = {
    "text": text,
    "address": address,
    "name_list": name_list,
    "list": plain_list,
    "ipc": ipc,
    "ipc_list": ipc_list,
    "date": date,
    "app_number": app_number,
    "patent_type": patent_type,
    "patent_event": _event("patent"),
    "trademark_event": _event("trademark"),
    "tm_number": tm_number,
    "nice_class": nice_class,
    "amount": amount,
    "year": year,
    "score": score,
    "unit": unit,
    "uscc": uscc,
}

DUCKDB_TYPES = {
    "date": "date",
    "name_list": "varchar[]",
    "list": "varchar[]",
    "ipc_list": "varchar[]",
    "nice_class": "integer",
    "amount": "double",
    "year": "integer",
    "score": "double",
}

POLARS_TYPES = {
    "date": pl.Date,
    "name_list": pl.List(pl.String),
    "list": pl.List(pl.String),
    "ipc_list": pl.List(pl.String),
    "nice_class": pl.Int64,
    "amount": pl.Float64,
    "year": pl.Int64,
    "score": pl.Float64,
}


def clean(e: pl.Expr) -> pl.Expr:
    return _clean(e)
