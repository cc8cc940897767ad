"""Read a landing file into all-string columns, whatever its format and encoding."""

from __future__ import annotations

import codecs
import csv
import io
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import polars as pl

SNIFF_BYTES = 1 << 20
XLSX_SUFFIXES = (".xlsx", ".xlsm")
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
# every file name ending this reads; anything else in the inbox is listed as not read
READABLE_SUFFIXES = (".csv", *XLSX_SUFFIXES, *JSON_LINES_SUFFIXES, ".json")


class FileRejected(Exception):
    """The whole file cannot be loaded. `cause`: a code the app says in words (ipwh/strings.csv,
    kind `value`, `rejection_cause.…`); the message names the file and the details."""

    def __init__(self, cause: str, message: str):
        super().__init__(message)
        self.cause = cause


def detect_encoding(path: Path) -> str:
    head = path.open("rb").read(SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if b"\x00" in head:
        raise FileRejected("not_text", f"{path.name}: binary content (NUL bytes), not a text file")
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        if err.start >= len(head) - 4:  # a character cut by the sniff window
            return "utf-8"
    try:
        head.decode("gb18030")
    except UnicodeDecodeError as err:
        raise FileRejected(
            "bad_encoding", f"{path.name}: neither UTF-8 nor GBK/GB18030 (byte {err.start})"
        ) from err
    return "gb18030"


def _to_utf8(path: Path, workdir: Path) -> Path:
    """GBK/GB18030 -> UTF-8 through iconv (much faster than Python's codec), Python as
    fallback."""
    out = workdir / (path.stem + ".utf8.csv")
    if shutil.which("iconv"):
        with out.open("wb") as fh:
            done = subprocess.run(
                ["iconv", "-f", "GB18030", "-t", "UTF-8", str(path)],
                stdout=fh,
                stderr=subprocess.PIPE,
                check=False,
            )
        if done.returncode == 0:
            return out
    try:
        with path.open(encoding="gb18030") as src, out.open("w", encoding="utf-8") as dst:
            shutil.copyfileobj(src, dst, 1 << 22)
    except UnicodeDecodeError as err:
        raise FileRejected(
            "bad_encoding", f"{path.name}: invalid GBK/GB18030 bytes ({err})"
        ) from err
    return out


def _dedupe(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(headers):
        h = h.strip().lstrip("\ufeff") or f"列{i + 1}"
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h}__{seen[h]}")
    return out


@dataclass
class Table:
    headers: list[str]  # as in the file, de-duplicated (`名称`, `名称__2`)
    # one string column per header, plus `_row` (the line or row in the file), in file order
    batches: Iterator[pl.DataFrame]
    encoding: str


# rows per batch: one DuckDB row group; bounds the normalisers' memory
CHUNK_ROWS = 122_880


@contextmanager
def open_table(path: Path, sheet: str | None = None, chunk_rows: int | None = None):
    """CSV is streamed in batches; XLSX and JSON are read whole (they are small)."""
    if not path.exists():
        raise FileRejected("missing_file", f"{path}: no such file")
    if path.stat().st_size == 0:
        raise FileRejected("empty_file", f"{path.name}: empty file (0 bytes)")
    if path.suffix.lower() in (*XLSX_SUFFIXES, *JSON_LINES_SUFFIXES, ".json"):
        yield _read_whole(path, sheet)
        return
    encoding = detect_encoding(path)
    with tempfile.TemporaryDirectory(prefix="ipwh-") as tmp:
        src = _to_utf8(path, Path(tmp)) if encoding == "gb18030" else path
        skip, headers = _csv_header(src, path.name)
        names = [f"c{i}" for i in range(len(headers))]
        lazy = (
            pl.scan_csv(
                src,
                has_header=False,
                skip_rows=skip + 1,
                new_columns=names,
                schema={n: pl.String for n in names},
                truncate_ragged_lines=True,
                encoding="utf8",
            )
            .rename(dict(zip(names, headers, strict=True)))
            .with_row_index("_row", offset=skip + 2)
        )

        def batches() -> Iterator[pl.DataFrame]:
            try:
                yield from lazy.collect_batches(chunk_size=chunk_rows or CHUNK_ROWS)
            except pl.exceptions.PolarsError as err:
                cause = str(err).splitlines()[0][:200]
                line = _first_undecodable_line(src) if "utf-8" in cause else None
                where = f" at line {line}" if line else ""
                raise FileRejected(
                    "bad_encoding" if line else "unreadable",
                    f"{path.name}: unreadable as CSV{where} ({cause})",
                ) from err

        yield Table(headers, batches(), encoding)


def _first_undecodable_line(src: Path) -> int | None:
    """The first line that is not UTF-8 (only on the error path: a line-by-line pass)."""
    with src.open("rb") as fh:
        for n, line in enumerate(fh, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return n
    return None


def _csv_header(src: Path, name: str) -> tuple[int, list[str]]:
    try:
        with src.open(encoding="utf-8-sig", newline="") as fh:
            lines = [fh.readline(), fh.readline()]
    except UnicodeDecodeError as err:  # e.g. a UTF-8 BOM in front of GBK bytes
        raise FileRejected(
            "bad_encoding", f"{name}: invalid utf-8 in the first lines ({err})"
        ) from err
    if not lines[0].strip():
        raise FileRejected("empty_file", f"{name}: empty file (no header line)")
    # Google-style exports put `search URL:,…` above the header
    skip = 1 if lines[0].lower().startswith("search url") else 0
    return skip, _dedupe(next(csv.reader(io.StringIO(lines[skip]))))


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    import fastexcel

    try:
        book = fastexcel.read_excel(str(path))
        raw = book.load_sheet(sheet if sheet else 0, header_row=None, dtypes="string")
    except Exception as err:  # fastexcel raises its own error types per cause
        raise FileRejected("unreadable", f"{path.name}: unreadable as XLSX ({err})") from err
    df = raw.to_polars()
    if df.height == 0:
        raise FileRejected("empty_file", f"{path.name}: empty sheet")
    headers = _dedupe([str(v) if v is not None else "" for v in df.row(0)])
    df = df.slice(1).rename(dict(zip(df.columns, headers, strict=True)))
    return Table(headers, iter([df.with_row_index("_row", offset=2)]), "xlsx")


def _read_jsonl(path: Path) -> Table:
    records = []
    with path.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as err:
                raise FileRejected(
                    "unreadable", f"{path.name}: unreadable as JSON Lines (line {n}: {err})"
                ) from err
            if not isinstance(record, dict):
                raise FileRejected("unreadable", f"{path.name}: line {n} is not a JSON object")
            records.append(record)
    return _records_table(records)


def _cell(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return ";".join(str(v) for v in value if v is not None)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _read_json(path: Path) -> Table:
    """A JSON array of records (commercial API shapes); nested lists joined with `;`."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as err:
        raise FileRejected("unreadable", f"{path.name}: unreadable as JSON ({err})") from err
    if isinstance(doc, dict) and isinstance(doc.get("data"), list):
        doc = doc["data"]
    if _is_patent_page(doc) or (isinstance(doc, list) and doc and all(map(_is_patent_page, doc))):
        doc = [_patent_page_record(page) for page in (doc if isinstance(doc, list) else [doc])]
    if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
        raise FileRejected("unreadable", f"{path.name}: JSON is not a list of records")
    return _records_table(doc)


def _is_patent_page(doc) -> bool:
    """A patent web page's <meta name content scheme> tags (Google Patents, saved as JSON)."""
    return (
        isinstance(doc, dict)
        and isinstance(doc.get("meta"), list)
        and any(
            isinstance(m, dict) and m.get("name") == "citation_patent_application_number"
            for m in doc["meta"]
        )
    )


GRANTED_KINDS = ("B", "C", "U", "Y", "S")  # CN kind codes of granted publications
TYPE_BY_DIGIT = {"1": "发明", "8": "发明", "2": "实用新型", "9": "实用新型", "3": "外观设计"}


def _patent_page_record(page: dict) -> dict:
    """One patent record in the landing-file vocabulary from a page's Dublin Core and
    citation tags. The page names no address, so ingestion quarantines the record as
    missing one unless a later delivery supplies it; the type comes from the number."""
    tags: dict[tuple[str, str], list[str]] = {}
    for m in page["meta"]:
        if isinstance(m, dict):
            key = (m.get("name", ""), m.get("scheme", "") or "")
            tags.setdefault(key, []).append(str(m.get("content", "")))

    def first(name: str, scheme: str = "") -> str | None:
        return (tags.get((name, scheme)) or [None])[0]

    number = first("citation_patent_application_number") or ""
    digits = "".join(c for c in number if c.isdigit())
    type_digit = digits[4:5] if len(digits) >= 13 else digits[2:3]
    publication = (first("citation_patent_number") or "").replace(":", "")
    granted = publication[-1:] in GRANTED_KINDS or publication[-2:-1] in GRANTED_KINDS
    return {
        "申请号": number,
        "申请日": first("DC.date", "dateSubmitted"),
        "专利类型": TYPE_BY_DIGIT.get(type_digit),
        "申请人": ";".join(tags.get(("DC.contributor", "assignee"), [])) or None,
        "发明名称": first("DC.title"),
        "公开(公告)号": publication or None,
        "授权公告日": first("DC.date", "issue") if granted else None,
        "法律状态": ";".join(page.get("itemprops", {}).get("status", [])) or None,
    }


def _records_table(records: list[dict]) -> Table:
    """Keys may drift between records: the union of keys, missing ones null."""
    keys = list(dict.fromkeys(k for r in records for k in r))
    df = pl.DataFrame(
        {k: [_cell(r.get(k)) for r in records] for k in keys},
        schema={k: pl.String for k in keys},
    )
    return Table(keys, iter([df.with_row_index("_row", offset=1)]), "utf-8")


def _read_whole(path: Path, sheet: str | None) -> Table:
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path, sheet)
    return _read_jsonl(path) if suffix in JSON_LINES_SUFFIXES else _read_json(path)
