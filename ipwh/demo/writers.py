"""Writing landing files: streamed CSV parts, XLSX, and the source headers of each export."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

# --------------------------------------------------------------------------- writers


class CsvSink:
    """Appends chunks to one landing file; header once; UTF-8, UTF-8-BOM or GB18030."""

    def __init__(self, path: Path, headers: dict[str, str], encoding: str = "utf-8"):
        self.path, self.headers, self.encoding = path, headers, encoding
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = path.open("wb")
        self.rows = 0
        if encoding == "utf-8-sig":
            self.fh.write(b"\xef\xbb\xbf")
        self._write(",".join(headers.values()) + "\n")

    def _write(self, text: str) -> None:
        self.fh.write(text.encode("gb18030" if self.encoding == "gb18030" else "utf-8"))

    @staticmethod
    def render(headers: dict[str, str], rows: list[dict]) -> bytes:
        """Rows as UTF-8 CSV lines without the header."""
        if not rows:
            return b""
        df = pl.DataFrame({k: [str(r.get(k, "")) for r in rows] for k in headers})
        return df.write_csv(include_header=False).encode("utf-8")

    def add(self, rows: list[dict]) -> None:
        if rows:
            self._write(self.render(self.headers, rows).decode("utf-8"))
            self.rows += len(rows)

    def add_part(self, path: Path, rows: int) -> None:
        """Appends a part file written by render (UTF-8), then deletes it."""
        if self.encoding == "gb18030":
            self._write(path.read_text(encoding="utf-8"))
        else:
            with path.open("rb") as part:
                shutil.copyfileobj(part, self.fh, 1 << 22)
        self.rows += rows
        path.unlink()

    def close(self) -> None:
        self.fh.close()

    def write_all(self, rows: list[dict]) -> None:
        """One-shot file: add the rows and close."""
        self.add(rows)
        self.close()


def _xlsx(path: Path, headers: dict[str, str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df = pl.DataFrame({v: [str(r.get(k, "")) for r in rows] for k, v in headers.items()})
    df.write_excel(path, worksheet="专利清单")


PATENT_HEADERS_A = {  # a CNIPA-style export
    "application_number": "申请号",
    "application_date": "申请日",
    "patent_type": "专利类型",
    "applicants": "申请（专利权）人",
    "address": "地址",
    "title": "发明名称",
    "grant_date": "授权公告日",
    "ipc_main": "主分类号",
    "ipc": "分类号",
    "uscc": "统一社会信用代码",
    "pct": "国际申请",
}
PATENT_HEADERS_B = {  # a commercial-database export
    "application_number": "申请号",
    "application_date": "申请日",
    "patent_type": "专利类型",
    "applicants": "当前权利人",
    "address": "申请人地址",
    "title": "专利名称",
    "grant_date": "授权公告日",
    "ipc_main": "IPC主分类号",
    "ipc": "IPC分类号",
    "uscc": "统一社会信用代码",
    "pct": "国际申请号",
}
EVENT_HEADERS = {
    "application_number": "申请号",
    "event_date": "生效日",
    "event": "法律状态",
    "new_holder": "变更后权利人",
    "new_address": "变更后地址",
}


TRADEMARK_HEADERS = {
    "registration_number": "注册号",
    "nice_class": "国际分类",
    "mark_name": "商标名称",
    "applicant": "申请人名称",
    "address": "申请人地址",
    "application_date": "申请日期",
    "registration_date": "注册公告日期",
    "term": "专用权期限",
    "mark_type": "商标类型",
    "well_known": "驰名商标",
}
TM_EVENT_HEADERS = {"registration_number": "注册号", "event_date": "生效日", "event": "事件"}
