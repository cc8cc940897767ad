"""Scalar reference implementations of the identifier check rules (counting-rules.md §4).

Ingestion validates whole columns with vectorised polars expressions; these scalar
versions generate demo data and give tests an independent oracle.
"""

from __future__ import annotations

APP_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def application_check_char(body: str) -> str:
    """Check character of an application number body (8 or 12 digits)."""
    if not body.isdigit() or len(body) not in (8, 12):
        raise ValueError(f"application number body must be 8 or 12 digits: {body!r}")
    total = sum(int(c) * w for c, w in zip(body, APP_WEIGHTS, strict=False))
    rest = total % 11
    return "X" if rest == 10 else str(rest)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]
