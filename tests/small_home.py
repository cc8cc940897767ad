"""A small landing-file set (a few hundred rows) for tests that refresh many times."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ipwh.identifiers import application_check_char


def format_application_number(body: str) -> str:
    """Canonical `YYYYTNNNNNNN.C` (or `YYTNNNNN.C`) form of a body."""
    return f"{body}.{application_check_char(body)}"


UNITS = ["沙市区", "荆州区", "公安县", "松滋市", "监利市"]


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(header)] + [",".join(str(v) for v in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def patents(n: int, year: int, start: int = 0) -> list[list]:
    rows = []
    for i in range(start, start + n):
        number = format_application_number(f"{year}1{1_000_000 + i:07d}")
        filed = dt.date(year, 1 + i % 12, 1 + i % 28)
        rows.append(
            [
                number,
                filed,
                "发明",
                f"荆州测试{i}有限公司",
                f"湖北省荆州市{UNITS[i % len(UNITS)]}人民路{i}号",
                filed + dt.timedelta(days=700),
            ]
        )
    return rows


PATENT_HEADER = ["申请号", "申请日", "专利类型", "申请人", "地址", "授权公告日"]
TRADEMARK_HEADER = ["注册号", "国际分类", "申请人名称", "申请人地址", "注册公告日期"]


def trademarks(n: int) -> list[list]:
    return [
        [
            30_000_000 + i,
            1 + i % 45,
            f"荆州商标{i}有限公司",
            f"湖北省荆州市{UNITS[i % len(UNITS)]}北京路{i}号",
            dt.date(2016, 1 + i % 12, 10),
        ]
        for i in range(n)
    ]


def make_small_home(root: Path) -> Path:
    inbox = root / "inbox"
    write_csv(inbox / "patents" / "p2018.csv", PATENT_HEADER, patents(150, 2018))
    write_csv(inbox / "trademarks" / "tm.csv", TRADEMARK_HEADER, trademarks(300))
    write_csv(
        inbox / "population" / "pop.csv",
        ["年份", "地区代码", "常住人口(万人)", "来源"],
        [[y, "421000", 523.1, "统计公报"] for y in range(2010, 2026)],
    )
    return root


def add_delivery(root: Path, name: str, n: int = 20, year: int = 2019, start: int = 0) -> Path:
    return write_csv(
        root / "inbox" / "patents" / f"{name}.csv", PATENT_HEADER, patents(n, year, start)
    )
