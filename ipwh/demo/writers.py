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


def csv_lines(file: str, rows: list[dict]) -> bytes:
    """Rows of `file` as UTF-8 CSV lines, without the header."""
    if not rows:
        return b""
    df = pl.DataFrame({k: [str(r.get(k, "")) for r in rows] for k in layout()[file][1]})
    return df.write_csv(include_header=False).encode("utf-8")


class CsvSink:
    """Appends chunks to one landing file; header once; UTF-8, UTF-8-BOM or GB18030."""

    def __init__(self, inbox: Path, file: str):
        self.file = file
        self.encoding, headers = layout()[file]
        (inbox / file).parent.mkdir(parents=True, exist_ok=True)
        self.fh = (inbox / file).open("wb")
        if self.encoding == "utf-8-sig":
            self.fh.write(b"\xef\xbb\xbf")
        self._write(",".join(headers.values()) + "\n")

    def _write(self, text: str) -> None:
        self.fh.write(text.encode("gb18030" if self.encoding == "gb18030" else "utf-8"))

    def add(self, rows: list[dict]) -> None:
        self._write(csv_lines(self.file, rows).decode("utf-8"))

    def add_part(self, path: Path) -> None:
        """Appends a part file of csv_lines, then deletes it."""
        if self.encoding == "gb18030":
            self._write(path.read_text(encoding="utf-8"))
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
    headers = layout()[file][1]
    df = pl.DataFrame({v: [str(r.get(k, "")) for r in rows] for k, v in headers.items()})
    df.write_excel(path, worksheet="专利清单")
