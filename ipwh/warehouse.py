"""Read-only access to the published warehouse, shared by the app, exports and status."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl


class WarehouseUnavailable(Exception):
    """No published warehouse yet, or it is being replaced: a message for people."""


@contextmanager
def read_only(path: Path):
    """A short-lived read-only connection: open, query, close (never held across calls)."""
    if not path.exists():
        raise WarehouseUnavailable(
            f"没有已发布的数据仓库 / no published warehouse at {path}: run `ipwh refresh` first"
        )
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as err:
        raise WarehouseUnavailable(f"数据仓库暂不可读 / warehouse not readable now: {err}") from err
    try:
        yield con
    finally:
        con.close()


def query(path: Path, sql: str, params: list | None = None) -> pl.DataFrame:
    with read_only(path) as con:
        return con.sql(sql, params=params or None).pl()


def latest_vintage(path: Path) -> dict:
    df = query(path, "select * from meta.vintages order by published_at desc limit 1")
    if df.is_empty():
        raise WarehouseUnavailable("the published warehouse records no vintage")
    return df.row(0, named=True)
