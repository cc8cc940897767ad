"""Writing landing files: streamed CSV parts and XLSX, each file with the headers and
encoding files.csv gives it (as the export it imitates spells them)."""

from __future__ import annotations

import csv
import shutil
from functools import cache
from pathlib import Path

import polars as pl


@cache
def layout() -> dict[str, tuple[str, dict[str, str]]]:
    """file under the inbox -> (encoding, {field: header}), from files.csv."""
    out: dict[str, tuple[str, dict[str, str]]] = {}
    with (Path(__file__).parent / "files.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["file"], (row["encoding"], {}))[1][row["field"]] = row["header"]
    return out


def _frame(file: str, rows: list[dict]) -> pl.DataFrame:
    """Rows of `file` as text columns, one per field in the file's order."""
    return pl.DataFrame({k: [str(r.get(k, "")) for r in rows] for k in layout()[file][1]})


def csv_lines(file: str, rows: list[dict]) -> bytes:
    """Rows of `file` as UTF-8 CSV lines, without the header."""
    return _frame(file, rows).write_csv(include_header=False).encode("utf-8") if rows else b""


class CsvSink:
    """Appends chunks to one landing file; header once; UTF-8, UTF-8-BOM or GB18030."""

    def __init__(self, inbox: Path, file: str):
        self.file = file
        self.encoding, headers = layout()[file]
        (inbox / file).parent.mkdir(parents=True, exist_ok=True)
        self.fh = (inbox / file).open("wb")
        if self.encoding == "utf-8-sig":
            self.fh.write(b"\xef\xbb\xbf")
        self._append((",".join(headers.values()) + "\n").encode("utf-8"))

    def _append(self, utf8: bytes) -> None:
        """UTF-8 CSV text as it is, or re-encoded for a GB18030 file."""
        if self.encoding == "gb18030":
            utf8 = utf8.decode("utf-8").encode("gb18030")
        self.fh.write(utf8)

    def add(self, rows: list[dict]) -> None:
        self._append(csv_lines(self.file, rows))

    def add_part(self, path: Path) -> None:
        """Appends a part file of csv_lines, then deletes it."""
        if self.encoding == "gb18030":
            self._append(path.read_bytes())
        else:
            with path.open("rb") as part:
                shutil.copyfileobj(part, self.fh, 1 << 22)
        path.unlink()

    def close(self) -> None:
        self.fh.close()

    def write_all(self, rows: list[dict]) -> None:
        """One-shot file: add the rows and close."""
        self.add(rows)
        self.close()


def _xlsx(inbox: Path, file: str, rows: list[dict]) -> None:
    path = inbox / file
    path.parent.mkdir(parents=True, exist_ok=True)
    _frame(file, rows).rename(layout()[file][1]).write_excel(path, worksheet="专利清单")
