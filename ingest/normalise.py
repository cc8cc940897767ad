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

# A reason code (`bad_check_digit`, …) names why a row is quarantined; each is explained in
# both languages in ipwh/strings.csv (kind `reason`).

Put = Callable[[pl.Expr], pl.Expr]
Normaliser = Callable[..., tuple[pl.Expr, pl.Expr]]  # (column, unit factor, put) -> value, reason


def _inline(e: pl.Expr) -> pl.Expr:
    return e


class Plan:
    """Materialises shared sub-expressions as columns, in dependency stages.

    A value and its reason reuse the same parse (the reason tests `value.is_null()`, a range,
    …); polars re-evaluates a repeated regex in each place it appears, so `put(expr)` computes
    it once into a temporary column and hands back a reference to it. Each expression runs in
    the first stage after every temporary it reads; a stage's expressions run in parallel."""

    def __init__(self) -> None:
        self.level: dict[str, int] = {}
        self.stages: dict[int, list[pl.Expr]] = {}

    def put(self, expr: pl.Expr, name: str | None = None) -> pl.Expr:
        name = name or f"__t{len(self.level)}"
        level = 1 + max((self.level.get(r, 0) for r in expr.meta.root_names()), default=0)
        self.level[name] = level
        self.stages.setdefault(level, []).append(expr.alias(name))
        return pl.col(name)

    def apply(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        for level in sorted(self.stages):
            frame = frame.with_columns(self.stages[level])
        return frame

    def temporaries(self) -> list[str]:
        return [n for n in self.level if n.startswith("__t")]


HYPERLINK = "=HYPERLINK("


def clean(e: pl.Expr, put: Put = _inline, formulas: bool = True) -> pl.Expr:
    """Trim, unwrap =HYPERLINK("url","text") cells, and turn missing tokens into null.
    `formulas=False` says the column holds no HYPERLINK cell (see `columns_with_formulas`),
    so the unwrap, the costly part, is skipped."""
    e = put(e.cast(pl.String).str.strip_chars())
    if formulas:
        e = (
            pl.when(e.str.starts_with(HYPERLINK))
            .then(e.str.extract(r'=HYPERLINK\("[^"]*"\s*[,;]\s*"([^"]*)"\)', 1))
            .otherwise(e)
        )
    return pl.when(e.is_in(MISSING_TOKENS)).then(None).otherwise(e)


def columns_with_formulas(df: pl.DataFrame, columns: list[str]) -> set[str]:
    """The columns of df where some cell is a HYPERLINK formula. A formula cell starts with
    it (spreadsheets write no space before the `=`): a prefix test, the cheapest test there
    is, finds them."""
    if not columns:
        return set()
    found = df.select(pl.col(c).str.starts_with(HYPERLINK).any() for c in columns)
    return {c for c, hit in zip(columns, found.row(0), strict=True) if hit}


def _ok(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    return value, pl.lit(None, pl.String)


def text(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    return _ok(e)


def address(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    """Strip a glued leading postcode (`434000湖北省…`) and inner spaces."""
    return _ok(e.str.replace_all(r"^\d{6}|\s+", ""))


def _split(e: pl.Expr, pattern: str) -> pl.Expr:
    return (
        e.str.replace_all(pattern, "\x1f")
        .str.split("\x1f")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )


def name_list(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    """Applicants split on ; ； , ，; brackets made full-width as in registered names."""
    return _ok(_split(e.str.replace_many(["(", ")"], ["（", "）"]), r"[;；,，]"))


def plain_list(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    return _ok(_split(e, r"[;；,，|]"))


def ipc(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    return _ok(e.str.replace_all(r"\s+", "").str.to_uppercase())


def ipc_list(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    return _ok(_split(e.str.replace_all(r"[ \t]+", "").str.to_uppercase(), r"[;；,，|]"))


DATE_FORMS = ("%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y%m%d", "%Y年%m月%d日", "%Y-%m-%dT%H:%M:%S")


def date(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    """2021-03-04, 20210304, 2015/3/4 0:00:00, 2017-03-01T00:00:00, 2021年03月04日."""
    # the forms seen in deliveries, each by strptime on the rows still unparsed (nulls cost
    # nothing); the regex only sees what none of them read (and impossible dates)
    parsed = None
    for form in DATE_FORMS:
        attempt = (e if parsed is None else pl.when(parsed.is_null()).then(e)).str.to_date(
            form, strict=False
        )
        parsed = put(attempt if parsed is None else pl.coalesce(parsed, attempt))
    rest = pl.when(parsed.is_null()).then(e)
    parts = put(  # put: read three times below
        rest.str.extract_groups(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?(?:[ T].*)?$")
    )
    iso = pl.concat_str(
        parts.struct.field("1"),
        parts.struct.field("2").str.zfill(2),
        parts.struct.field("3").str.zfill(2),
        separator="-",
    )
    value = put(pl.coalesce(parsed, iso.str.to_date("%Y-%m-%d", strict=False)))
    error = (
        pl.when(e.is_null())
        .then(None)
        .when(value.is_null())
        .then(pl.lit("invalid_date"))
        .when((value < EARLIEST) | (value > pl.lit(dt.date.today())))
        .then(pl.lit("implausible_date"))
    )
    return value, error


def app_number(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    """Every §4 form to `YYYYTNNNNNNN.C` / `YYTNNNNN.C`, check character verified."""
    canonical = put(e.str.contains(r"^(\d{12}|\d{8})\.[0-9X]$"))  # most rows: one cheap test
    # the other forms (CN/ZL prefixes, spaces, no dot, a kind code appended) in one regex
    groups = put(
        pl.when(~canonical)
        .then(e)
        .str.replace_all(r"[\s:]", "")
        .str.extract_groups(r"(?i)^(?:CN|ZL)*(\d{12}|\d{8})\.?([0-9X]?)(?:[A-WYZ]\d?)?$")
    )
    body = put(pl.coalesce(pl.when(canonical).then(e.str.head(-2)), groups.struct.field("1")))
    check = put(
        pl.coalesce(
            pl.when(canonical).then(e.str.tail(1)), groups.struct.field("2").str.to_uppercase()
        )
    )
    expected = put(check_value(body, put))
    given = put(pl.when(check == "X").then(10).otherwise(check.str.to_integer(strict=False)))
    value = pl.when(check != "").then(pl.concat_str(body, pl.lit("."), check))
    error = (
        pl.when(e.is_null())
        .then(None)
        .when(body.is_null())
        .then(pl.lit("bad_app_number"))
        .when(check == "")
        .then(pl.lit("missing_check_digit"))
        .when(given != expected)
        .then(pl.lit("bad_check_digit"))
    )
    return value, error


def _block_sums(
    weights: tuple[int, ...], base: int = 10, skipped: tuple[int, ...] = ()
) -> pl.Series:
    """Σ digit value × weight of every block of len(weights) base-`base` digits, indexed by
    the block read as a number (0..base**n − 1); a digit's value is the digit less the
    `skipped` digits below it (letters an alphabet leaves out)."""
    x = pl.int_range(base ** len(weights), dtype=pl.Int64, eager=True)
    total = pl.zeros(x.len(), pl.Int64, eager=True)
    for i, weight in enumerate(weights):
        digit = x // base ** (len(weights) - 1 - i) % base
        total = total + (digit - sum((digit > s).cast(pl.Int64) for s in skipped)) * weight
    return total


BLOCK_SUMS_2_5, BLOCK_SUMS_6_9 = _block_sums((2, 3, 4, 5)), _block_sums((6, 7, 8, 9))


def check_value(body: pl.Expr, put: Put = _inline) -> pl.Expr:
    """Σ digit × weight mod 11 (10 is written X), weights 2..9,2..5 from the left. The
    12-digit body is three 4-digit blocks whose weighted sums are looked up (no per-digit
    arithmetic); an 8-digit body weighs like one with four zeros appended."""
    n = body.str.to_integer(strict=False)
    # put: the parse would otherwise run once for each block
    n = put(pl.when(body.str.len_bytes() == 8).then(n * 10**4).otherwise(n))
    return (
        pl.lit(BLOCK_SUMS_2_5).gather(n // 10**8)
        + pl.lit(BLOCK_SUMS_6_9).gather(n // 10**4 % 10**4)
        + pl.lit(BLOCK_SUMS_2_5).gather(n % 10**4)
    ) % 11


TYPE_BY_DIGIT = {"1": "invention", "8": "invention", "2": "utility_model", "9": "utility_model",
                 "3": "design"}  # fmt: skip


def type_digit(number: pl.Expr) -> pl.Expr:
    """invention / utility_model / design from the type digit (8 and 9 are PCT entries): the
    5th character of `YYYYTNNNNNNN.C`, the 3rd of `YYTNNNNN.C`."""
    at = pl.when(number.str.len_bytes() == 14).then(4).otherwise(2)
    return number.str.slice(at, 1).replace_strict(TYPE_BY_DIGIT, default=None)


def patent_type(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    value = put(
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
    def normalise(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
        folded = e.str.replace_all("（", "(").str.replace_all("）", ")").str.replace_all(" ", "")
        value = put(folded.replace_strict(event_vocabulary()[right_kind], default=None))
        return value, pl.when(e.is_not_null() & value.is_null()).then(pl.lit("unknown_event"))

    return normalise


FULL_WIDTH = [chr(c) for c in range(0xFF01, 0xFF5F)]
HALF_WIDTH = [chr(c) for c in range(0x21, 0x7F)]


@cache
def national_awards() -> list[str]:
    """The national award names (seed shared with dbt), longest first."""
    with (SEEDS / "award_levels.csv").open(encoding="utf-8") as fh:
        names = [row["award_name"] for row in csv.DictReader(fh)]
    return sorted(names, key=len, reverse=True)


def _half_width(e: pl.Expr) -> pl.Expr:
    """Full-width letters, digits and brackets made half-width, white space removed: names
    as compared (the dbt macro normalised_name does the same in SQL)."""
    return e.str.replace_many(FULL_WIDTH, HALF_WIDTH).str.replace_all(r"[\s\u3000]", "")


def award(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    """An award name, full-width characters made half-width and spaces removed. Accepted: a
    national award of the seed (a grade may follow: 国家科学技术进步奖二等奖), or a provincial,
    city or county award (named after its place: 湖北省专利金奖); anything else is not guessed."""
    value = put(_half_width(e))
    national = value.str.contains("^(" + "|".join(national_awards()) + ")")
    lower = value.str.contains(r"^\S{2,}?(省|市|自治区|自治州|州|盟|县|区).*奖")
    return _accept(e, value, national | lower, "unknown_award")


def _accept(e: pl.Expr, value: pl.Expr, ok: pl.Expr, reason: str) -> tuple[pl.Expr, pl.Expr]:
    """value where ok, else null with `reason` (a missing input is not this field's error)."""
    ok = ok.fill_null(False)
    return pl.when(ok).then(value), pl.when(e.is_not_null() & ~ok).then(pl.lit(reason))


def tm_number(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    value = put(e.str.to_uppercase().str.replace_all(r"\s", ""))
    return _accept(
        e, value, value.str.contains(r"^(G\d{5,8}|\d{1,8}[A-Z]?)$"), "bad_trademark_number"
    )


def nice_class(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    """`45`, `"1"`, `38-通讯服务`, `29类 食品` -> 1..45."""
    n = put(e.str.extract(r"^\D*?(\d{1,2})(?:\D|$)", 1).cast(pl.Int64, strict=False))
    return _accept(e, n, n.is_between(1, 45), "bad_nice_class")


def _parsed_number(e: pl.Expr, put: Put) -> pl.Expr:
    """`1,632`, `5.0`, `12 000` as a float; null when not a number."""
    return put(e.str.replace_all(r"[,，\s]", "").cast(pl.Float64, strict=False))


def amount(e: pl.Expr, factor: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    n = _parsed_number(e, put)
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


USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 32100 numbers its 31 characters 0-9 then A-Y without I, O, S, V, Z; a base-36 digit
# (A = 10) becomes that value by subtracting the letters skipped below it
USCC_SKIPPED = (18, 24, 28, 31)  # I, O, S, V in base 36
# per 3-character block of an 18-character code read in base 36, Σ value × weight mod 31;
# the check character weighs 1: a code is valid when the sum over all 18 is 0 mod 31 (the
# check is (31 − Σ mod 31) mod 31)
USCC_BLOCK_SUMS = [
    _block_sums((*USCC_WEIGHTS, 1)[start : start + 3], 36, USCC_SKIPPED) % 31
    for start in range(0, 18, 3)
]


def uscc(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    """GB 32100-2015: check = (31 − Σ value × weight mod 31) mod 31 over the first 17.
    The code read as two base-36 numbers of 9 characters, each cut into three blocks whose
    weighted sums are looked up (no per-character arithmetic)."""
    shape = r"^[0-9A-HJ-NPQRTUWXY]{18}$"
    as_given = put(e.str.contains(shape))  # nearly every code: no upper-casing, no spaces
    code = put(
        pl.coalesce(
            pl.when(as_given).then(e),
            pl.when(~as_given).then(e).str.to_uppercase().str.replace_all(r"\s", ""),
        )
    )
    form = put(as_given | code.str.contains(shape))
    total = pl.lit(0, pl.Int64)
    for half, start in enumerate((0, 9)):
        n = put(pl.when(form).then(code.str.slice(start, 9)).str.to_integer(base=36, strict=False))
        for j in range(3):
            block = n // 36 ** (6 - 3 * j) % 36**3
            total = total + pl.lit(USCC_BLOCK_SUMS[half * 3 + j]).gather(block)
    return _accept(e, code, put(form & (total % 31 == 0)), "bad_uscc")


def pct_number(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    """The PCT application number in a 国际申请 cell (`PCT/CN2023/123456 2023.05.06`,
    `pct/cn03/00123`) as `PCT/CN2023/123456`: office, four-digit year, six-digit serial."""
    parts = put(
        _half_width(e)
        .str.to_uppercase()
        .str.extract_groups(r"PCT/([A-Z]{2})(\d{4}|\d{2})/(\d{5,6})")
    )
    office, year, serial = (parts.struct.field(k) for k in ("1", "2", "3"))
    year = (
        pl.when(year.str.len_chars() == 4)
        .then(year)
        .otherwise(pl.when(year.cast(pl.Int64) < 50).then("20" + year).otherwise("19" + year))
    )
    value = pl.concat_str(pl.lit("PCT/"), office, year, pl.lit("/"), serial.str.zfill(6))
    return _accept(e, value, office.is_not_null(), "bad_pct_number")


def money(e: pl.Expr, factor: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    """An amount of money in 元 to the fen: `0.57` 万元 and `5700` 元 are the same amount."""
    value, error = amount(e, factor, put)
    return value.round(2), error


def number(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    """Any number (a baseline may be 0): `1,632`, `5.0`."""
    n = _parsed_number(e, put)
    return _accept(e, n, n.is_not_null(), "bad_number")


def plan_period(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    """`2026-2030`, `2026—2030`, `2026至2030年` -> `2026-2030`."""
    years = put(e.str.extract_groups(r"^(\d{4})\s*(?:-|—|–|~|至|到)\s*(\d{4})年?$"))
    first, last = years.struct.field("1"), years.struct.field("2")
    value = pl.concat_str(first, pl.lit("-"), last)
    return _accept(e, value, last.cast(pl.Int64) > first.cast(pl.Int64), "bad_plan_period")


@cache
def indicator_lookup() -> dict[str, str]:
    """Indicator code, name or synonym (folded) -> code, from the catalogue shared with dbt."""
    out: dict[str, str] = {}
    with (SEEDS / "indicator_catalogue.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names = (row["indicator_code"], row["indicator_name"], *row["synonyms"].split("|"))
            out |= dict.fromkeys(fold_names(names), row["indicator_code"])
    return out


def _folded_indicator(e: pl.Expr) -> pl.Expr:
    """An indicator name as compared: half-width, no spaces, no trailing unit (`(件)`)."""
    return _half_width(e).str.replace(r"\([^)]*\)$", "")


def fold_names(names) -> list[str]:
    return (
        pl.select(_folded_indicator(pl.Series(list(names), dtype=pl.String))).to_series().to_list()
    )


def indicator(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    value = put(_folded_indicator(e).replace_strict(indicator_lookup(), default=None))
    return value, pl.when(e.is_not_null() & value.is_null()).then(pl.lit("unknown_indicator"))


def year(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    n = put(e.str.extract(r"^(\d{4})(?:年|\.0)?$", 1).cast(pl.Int64, strict=False))
    return _accept(e, n, n.is_between(1985, 2100), "bad_year")


def score(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    n = e.cast(pl.Float64, strict=False)
    return _accept(e, n, n.is_between(0, 100), "bad_score")


@cache
def unit_lookup() -> dict[str, str]:
    """Unit code, name or alias -> reporting unit code (seeds shared with dbt)."""
    out: dict[str, str] = {}
    with (SEEDS / "reporting_units.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["unit_code"]] = out[row["unit_name"]] = row["unit_code"]
            if row["former_code"]:  # 监利县 421023 until 2020
                out[row["former_code"]] = row["unit_code"]
    with (SEEDS / "unit_aliases.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["alias"], row["unit_code"])
    out["荆州市"] = "421000"  # a unit column naming the city means the city total
    return out


def unit(e: pl.Expr, _: float, put: Put = _inline) -> tuple[pl.Expr, pl.Expr]:
    value = put(e.str.replace(r"\(.*\)$", "").replace_strict(unit_lookup(), default=None))
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
    "award": award,
    "number": number,
    "plan_period": plan_period,
    "indicator": indicator,
    "tm_number": tm_number,
    "nice_class": nice_class,
    "amount": amount,
    "money": money,
    "year": year,
    "score": score,
    "unit": unit,
    "uscc": uscc,
    "pct_number": pct_number,
}

DUCKDB_TYPES = {
    "date": "date",
    "name_list": "varchar[]",
    "list": "varchar[]",
    "ipc_list": "varchar[]",
    "nice_class": "integer",
    "amount": "double",
    "number": "double",
    "money": "decimal(18,2)",
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
    "number": pl.Float64,
    "money": pl.Decimal(18, 2),
    "year": pl.Int64,
    "score": pl.Float64,
}
