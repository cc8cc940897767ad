"""Ingestion: every row loaded or quarantined, real exports, idempotency, rejections."""

import csv
import hashlib
import io
import re
from pathlib import Path

import polars as pl
import pytest

from ingest.load import connect_raw, ingest_file
from tests.conftest import FIXTURES


@pytest.fixture()
def raw(tmp_path):
    con = connect_raw(tmp_path / "raw.duckdb")
    yield con
    con.close()


def copy_to_kind(tmp_path: Path, kind: str, name: str, data: bytes) -> Path:
    folder = tmp_path / "inbox" / kind
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def test_real_61_column_export_loads_ten_applications(raw, tmp_path):
    src = (FIXTURES / "realdata" / "patent_export_61col_sample.csv").read_bytes()
    result = ingest_file(raw, copy_to_kind(tmp_path, "patents", "export.csv", src))
    assert (result.status, result.rows_read) == ("accepted", 10)
    assert result.rows_loaded + result.rows_quarantined == result.rows_read
    rows = pl.from_arrow(raw.sql("select * from raw_patents").to_arrow_table())
    assert rows["application_number"].n_unique() == 10
    # `0` grant dates are missing, never 1970 or an error
    source = list(csv.DictReader(io.StringIO(src.decode("utf-8-sig"))))
    zero_dates = sum(r["授权公告日"] in ("0", "") for r in source)
    assert zero_dates > 0
    assert rows["grant_date"].null_count() == zero_dates
    assert rows["grant_date"].drop_nulls().min().year >= 1985
    # two holders where the source names two
    two = sum(len([x for x in re.split("[;；]", r["申请人"]) if x]) == 2 for r in source)
    assert rows.filter(pl.col("applicants").list.len() == 2).height == two
    # postcodes glued to addresses are stripped
    assert not rows["address"].str.contains(r"^\d{6}").any()
    # the type follows the number's type digit (`发明公开;发明授权` is an invention)
    first = rows.filter(pl.col("application_number") == "202223220665.2")
    assert first["patent_type"][0] == "utility_model"


def test_counts_reconcile_and_reasons_match_the_generator(city_home, truth):
    import duckdb

    con = duckdb.connect(str(city_home / "raw.duckdb"), read_only=True)
    try:
        manifest = con.sql(
            "select rows_read, rows_loaded, rows_quarantined from raw_manifest "
            "where status = 'accepted'"
        ).fetchall()
        assert manifest and all(r == lo + q for r, lo, q in manifest)
        reasons = dict(con.sql("select reason, count(*) from raw_quarantine group by 1").fetchall())
    finally:
        con.close()
    expected = {k: v for k, v in truth["defects"].items() if not k.startswith("recoverable:")}
    assert reasons == expected


def test_same_content_under_another_name_changes_nothing(raw, tmp_path):
    data = "年份,地区代码,常住人口(万人),来源\n2021,421024,30.01,统计公报\n".encode()
    first = ingest_file(raw, copy_to_kind(tmp_path, "population", "a.csv", data))
    again = ingest_file(raw, copy_to_kind(tmp_path, "population", "renamed.csv", data))
    assert first.rows_loaded == 1
    # the first load's hash was taken beside it (no load had its size): recorded all the same
    assert first.content_hash == hashlib.sha256(data).hexdigest()
    assert again.already_loaded and again.rows_loaded == 0
    assert raw.sql("select count(*) from raw_population").fetchall()[0][0] == 1
    assert raw.sql("select resident_population from raw_population").fetchall()[0][0] == 300_100


def test_an_unchanged_file_is_recognised_without_reading_it(raw, tmp_path, monkeypatch):
    """A file at the same path with the size and modification time it had when loaded is
    not hashed again; once it is rewritten (a new mtime) it is hashed, and what it holds
    decides: the same bytes change nothing, new bytes are a new load."""
    import os

    import ingest.manifest

    data = "年份,地区代码,常住人口(万人),来源\n2021,421024,30.01,统计公报\n".encode()
    path = copy_to_kind(tmp_path, "population", "pop.csv", data)
    first = ingest_file(raw, path)
    hashed = []
    real_hash = ingest.manifest.file_hash
    monkeypatch.setattr(ingest.manifest, "file_hash", lambda p: hashed.append(p) or real_hash(p))

    again = ingest_file(raw, path)
    assert again.already_loaded and again.load_id == first.load_id and hashed == []
    assert again.content_hash == first.content_hash

    path.write_bytes(data)  # rewritten, same bytes
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    same = ingest_file(raw, path)
    assert same.already_loaded and len(hashed) == 1
    # the hash showed it unchanged: its new mtime is remembered, it is not read again
    assert ingest_file(raw, path).already_loaded and len(hashed) == 1
    moved = copy_to_kind(tmp_path / "moved", "population", "pop.csv", data)  # a moved home
    assert ingest_file(raw, moved).load_id == first.load_id and len(hashed) == 2
    assert ingest_file(raw, moved).load_id == first.load_id and len(hashed) == 2

    changed = data.replace(b"30.01", b"30.02")  # same size, other content
    path.write_bytes(changed)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 2 * 10**9))
    new = ingest_file(raw, path)
    assert (new.already_loaded, new.rows_loaded, len(hashed)) == (False, 1, 3)
    sizes = raw.sql("select file_size from raw_manifest where status = 'accepted'").fetchall()
    assert sizes == [(len(data),), (len(changed),)]


def test_gbk_file_is_detected_and_read(raw, tmp_path):
    data = "申请号,生效日,法律状态\n201710601862.3,2021-05-06,未缴年费专利权终止\n"
    path = copy_to_kind(tmp_path, "patent_events", "gbk.csv", data.encode("gb18030"))
    result = ingest_file(raw, path)
    assert (result.status, result.rows_loaded) == ("accepted", 1)
    assert raw.sql("select event from raw_patent_events").fetchall() == [("lapse",)]


def test_missing_required_header_rejects_file_naming_fields_and_closest_headers(raw, tmp_path):
    data = "申请号,申请时间,专利类型,申请人,地址\n201710601862.3,2017-01-01,发明,甲,乙\n".encode()
    result = ingest_file(raw, copy_to_kind(tmp_path, "patents", "bad.csv", data))
    assert result.status == "rejected"
    assert "application_date" in result.message and "申请时间" in result.message
    assert "bad.csv" in result.message


def test_quarantined_row_keeps_file_row_field_and_original_values(raw, tmp_path):
    data = (
        "申请号,申请日,专利类型,申请人,地址\n"
        "201710601862.3,2017-03-01,发明,甲公司,湖北省荆州市沙市区\n"
        "201710601862.4,2017-03-01,发明,乙公司,湖北省荆州市沙市区\n"
    ).encode()
    result = ingest_file(raw, copy_to_kind(tmp_path, "patents", "p.csv", data))
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    row = raw.sql(
        "select file_name, source_row, field, reason, original_json from raw_quarantine"
    ).fetchall()[0]
    assert row[:4] == ("p.csv", 3, "application_number", "bad_check_digit")
    assert "乙公司" in row[4]


def test_a_pct_number_is_read_in_its_usual_forms_and_anything_else_quarantined(raw, tmp_path):
    data = (
        "申请号,申请日,专利类型,申请人,地址,国际申请\n"
        "201710601862.3,2017-03-01,发明,甲公司,荆州市沙市区,PCT/CN2017/000123 2017.03.01\n"
        "202110123456.7,2021-03-01,发明,乙公司,荆州市沙市区,ｐｃｔ／ｃｎ０３／１２３４５\n"
        "95115608.X,1995-03-01,发明,丙公司,荆州市沙市区,\n"
        "200910127753.8,2009-03-01,发明,丁公司,荆州市沙市区,WO2009/123456\n"
    ).encode()
    result = ingest_file(raw, copy_to_kind(tmp_path, "patents", "p.csv", data))
    assert (result.rows_loaded, result.rows_quarantined) == (3, 1)
    loaded = raw.sql("select pct from raw_patents order by _row").fetchall()
    assert loaded == [("PCT/CN2017/000123",), ("PCT/CN2003/012345",), (None,)]
    row = raw.sql("select source_row, field, reason from raw_quarantine").fetchall()
    assert row == [(5, "pct", "bad_pct_number")]


@pytest.mark.parametrize(
    ("name", "kind", "rows"),
    [
        ("cnipa_cpquery_sample.jsonl", "patents", 10),
        ("qichacha_patents_sample.json", "patents", 3),
        ("qichacha_trademarks_sample.json", "trademarks", 3),
        ("google_patents_meta_sample.json", "patents", 1),
    ],
)
def test_real_api_shapes_ingest_and_rows_without_address_are_quarantined(raw, name, kind, rows):
    result = ingest_file(raw, FIXTURES / "realdata" / name, kind)
    assert (result.status, result.rows_read) == ("accepted", rows)
    # these API shapes carry no address: no record can be attributed to a unit
    assert result.rows_quarantined == rows
    fields = dict(raw.sql("select field, count(*) from raw_quarantine group by 1").fetchall())
    assert fields == {"address": rows}


def test_google_patents_page_becomes_one_patent_record(raw):
    """The saved page of CN101551481B: only <meta> tags. Its application number
    `CN:2009101277538A` (a kind code appended) must normalise and pass the check character;
    the record then waits in the quarantine for an address, with the page's values kept."""
    import json

    result = ingest_file(raw, FIXTURES / "realdata" / "google_patents_meta_sample.json", "patents")
    assert (result.status, result.rows_read, result.rows_quarantined) == ("accepted", 1, 1)
    field, reason, original = raw.sql(
        "select field, reason, original_json from raw_quarantine"
    ).fetchall()[0]
    assert (field, reason) == ("address", "missing_required")  # not a number or date error
    page = json.loads(original)
    assert page["申请号"] == "CN:2009101277538A"
    assert page["专利类型"] == "发明"  # type digit 1
    assert page["申请日"] == "2009-03-25"
    assert page["授权公告日"] == "2012-11-21"  # B: a granted invention, so `issue` is the grant
    assert page["申请人"] == "Fujifilm Corp" and page["发明名称"] == "滤色片制造方法"


def test_drifting_json_keys_are_coalesced(raw):
    result = ingest_file(raw, FIXTURES / "realdata" / "trademark_record_shapes.json", "trademarks")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 1, 2)
    # the 58caibiao shape: number in `cxkey`, class in `intcls`, address in `appaddr`
    loaded = raw.sql(
        "select registration_number, nice_class, registration_date::varchar from raw_trademarks"
    ).fetchall()
    assert loaded == [("15249264A", 1, "2015-11-21")]
    reasons = sorted(raw.sql("select field, reason from raw_quarantine").fetchall())
    # the Tianyancha row has no address; the Madrid gazette row has no class
    assert reasons == [("address", "missing_required"), ("nice_class", "missing_required")]


def test_streamed_batches_give_the_same_rows_and_row_numbers(raw, tmp_path, monkeypatch):
    import ingest.read

    src = FIXTURES / "bad" / "patents" / "check_digit.csv"
    whole = ingest_file(raw, src)
    rows_whole = raw.sql(
        "select application_number, _row from raw_patents order by _row"
    ).fetchall()
    q_whole = raw.sql("select source_row, reason from raw_quarantine").fetchall()
    monkeypatch.setattr(ingest.read, "CHUNK_ROWS", 1)  # one row per batch
    con = connect_raw(tmp_path / "streamed.duckdb")
    try:
        streamed = ingest_file(con, src)
        rows_streamed = con.sql(
            "select application_number, _row from raw_patents order by _row"
        ).fetchall()
        q_streamed = con.sql("select source_row, reason from raw_quarantine").fetchall()
    finally:
        con.close()
    assert (
        (whole.rows_read, whole.rows_loaded, whole.rows_quarantined)
        == (streamed.rows_read, streamed.rows_loaded, streamed.rows_quarantined)
        == (3, 2, 1)
    )
    # header on line 1, two good rows, the bad one on line 4
    assert rows_whole == rows_streamed and q_whole == q_streamed == [(4, "bad_check_digit")]


def test_conflicting_duplicate_keys_are_caught_across_batches(tmp_path, monkeypatch):
    """The conflict rule looks at the whole file: with one row per batch the two versions of
    a record never meet in one batch, and both must still be quarantined."""
    import ingest.read

    src = FIXTURES / "bad" / "patents" / "duplicate_key_conflict.csv"
    keys = [r["申请号"] for r in csv.DictReader(src.open(encoding="utf-8"))]
    repeated = {k for k in keys if keys.count(k) > 1}
    assert len(repeated) == 1  # the corpus file: one key, two differing versions
    monkeypatch.setattr(ingest.read, "CHUNK_ROWS", 1)
    con = connect_raw(tmp_path / "raw.duckdb")
    try:
        result = ingest_file(con, src)
        quarantined = con.sql(
            "select source_row, field, reason, bad_value from raw_quarantine order by 1"
        ).fetchall()
        loaded = con.sql("select application_number from raw_patents").fetchall()
    finally:
        con.close()
    rows = [i + 2 for i, k in enumerate(keys) if k in repeated]  # header is line 1
    assert [(r, f, why) for r, f, why, _ in quarantined] == [
        (r, "application_number", "duplicate_conflict") for r in rows
    ]
    assert all(v.replace(".", "") == next(iter(repeated)).replace(".", "") for *_, v in quarantined)
    assert result.rows_read == len(keys) == result.rows_loaded + result.rows_quarantined
    assert repeated.isdisjoint(n for (n,) in loaded)


def test_a_load_left_loading_by_a_killed_ingest_is_discarded_on_next_connect(tmp_path):
    """Batches commit one by one (bounded memory); a load becomes real only when its
    manifest row turns `accepted`. Here the process 'dies' after the batches: the rows are
    on disk under a `loading` load, and the next connect removes them."""
    from ingest.headers import map_headers
    from ingest.kinds import KINDS
    from ingest.manifest import begin_load
    from ingest.pipeline import load_batches
    from ingest.read import open_table

    src = FIXTURES / "bad" / "patents" / "check_digit.csv"
    db = tmp_path / "raw.duckdb"
    con = connect_raw(db)
    kept = ingest_file(con, FIXTURES / "bad" / "patents" / "type_mismatch.csv")
    with open_table(src) as table:
        k = KINDS["patents"]
        load_id = begin_load(con, src, k, "hash", table.encoding, src.stat())
        mapping = map_headers(k, table.headers, src.name)
        load_batches(con, k, src, load_id, table, mapping)  # the load stays `loading`
    stranded = con.sql(f"select count(*) from raw_patents where _load_id = {load_id}").fetchall()
    con.close()
    assert stranded[0][0] == 2
    con = connect_raw(db)
    try:
        left = con.sql("select distinct _load_id from raw_patents").fetchall()
        in_quarantine = con.sql(
            f"select count(*) from raw_quarantine where load_id = {load_id}"
        ).fetchall()[0][0]
        manifest = con.sql("select load_id, status from raw_manifest").fetchall()
    finally:
        con.close()
    assert left == [(kept.load_id,)] and in_quarantine == 0
    assert manifest == [(kept.load_id, "accepted")]


def test_google_style_export_quirks_are_read(raw, tmp_path):
    """A `search URL:` line above the header, a repeated column name, full-width brackets
    in a header and `=HYPERLINK(…)` cells: the records load with their plain values."""
    text = (
        'search URL:,"https://patents.google.com/?q=荆州"\n'
        "申请号,申请日,专利类型,申请（专利权）人,地址,名称,名称,授权公告日\n"
        '"=HYPERLINK(""https://patents.google.com/patent/CN107123456A"",""201710601862.3"")",'
        "2017-03-01,发明,荆州甲公司,湖北省荆州市沙市区北京路1号,滤色片,别名,2019-05-10\n"
    )
    path = copy_to_kind(tmp_path, "patents", "google.csv", text.encode())
    result = ingest_file(raw, path)
    assert (result.status, result.rows_read, result.rows_loaded) == ("accepted", 1, 1)
    row = raw.sql(
        "select application_number, applicants, title, grant_date::varchar, _row from raw_patents"
    ).fetchall()
    # the record is on line 3 of the file: the search line and the header come first
    assert row == [("201710601862.3", ["荆州甲公司"], "滤色片", "2019-05-10", 3)]


def test_a_file_failing_after_earlier_batches_were_streamed_leaves_nothing(
    raw, tmp_path, monkeypatch
):
    """A file streams into its raw table in one INSERT while later batches are still being
    read: bytes that are not UTF-8 far past the encoding sniff reject the whole file, name
    the line, and none of the batches read before them stays in the raw layer."""
    import ingest.read

    monkeypatch.setattr(ingest.read, "CHUNK_ROWS", 1000)
    good = "201710601862.3,2017-03-01,发明,甲公司,湖北省荆州市沙市区北京路1号\n".encode()
    rows_before = 20_000  # > 1 MB: past the sniff window, so the file is taken as UTF-8
    data = "申请号,申请日,专利类型,申请人,地址\n".encode() + good * rows_before
    data += b"201710601862.3,2017-03-01,\xc0\xff,x,y\n" + good * 10
    assert len(data) > ingest.read.SNIFF_BYTES
    result = ingest_file(raw, copy_to_kind(tmp_path, "patents", "late.csv", data))
    assert result.status == "rejected"
    assert f"late.csv: unreadable as CSV at line {rows_before + 2}" in result.message
    assert result.rejection_cause == "bad_encoding"
    assert raw.sql("select count(*) from raw_patents").fetchall() == [(0,)]
    assert raw.sql("select count(*) from raw_quarantine").fetchall() == [(0,)]
    assert raw.sql("select status from raw_manifest").fetchall() == [("rejected",)]


def test_batch_boundaries_do_not_change_what_is_loaded(tmp_path, monkeypatch):
    """Values normalised in an earlier batch are reused by later ones, and HYPERLINK cells are
    unwrapped only in columns where a batch holds one: a file read 3 rows per batch loads
    exactly as when read whole, including a formula and a bad date that only a late batch
    holds, and dates whose forms recur from batch to batch."""
    import ingest.read
    from tests.small_home import format_application_number

    forms = ["2017-03-0{}", "2017030{}", "2017年03月0{}日", "2017/3/{} 0:00:00"]
    dates = [form.format(day) for day in (1, 2, 3) for form in forms]  # 12, each seen twice
    lines = ["申请号,申请日,专利类型,申请人,地址,授权公告日"]
    for i in range(24):
        number = format_application_number(f"2017106{i:05d}")
        lines.append(f"{number},{dates[i * 5 % 12]},发明,荆州{i}公司,湖北省荆州市沙市区{i}号,")
    late = format_application_number("201710699999")
    lines.append(  # a formula, and a grant date no form reads, in the last batch only
        f'"=HYPERLINK(""https://x/{late}"",""{late}"")",{dates[3]},发明,荆州乙公司,'
        "湖北省荆州市沙市区9号,2019-02-03"
    )
    lines.append(f"{late},{dates[0]},发明,荆州丙公司,湖北省荆州市沙市区8号,2019-02-30")
    data = ("\n".join(lines) + "\n").encode()

    def load(chunk_rows: int, name: str) -> tuple[list, list]:
        monkeypatch.setattr(ingest.read, "CHUNK_ROWS", chunk_rows)
        con = connect_raw(tmp_path / f"{name}.duckdb")
        try:
            ingest_file(con, copy_to_kind(tmp_path / name, "patents", "p.csv", data))
            rows = con.sql("select * exclude (_load_id) from raw_patents order by _row").fetchall()
            bad = con.sql(
                "select source_row, field, reason, bad_value from raw_quarantine order by 1"
            ).fetchall()
        finally:
            con.close()
        return rows, bad

    whole, bad_whole = load(10_000, "whole")
    batched, bad_batched = load(3, "batched")
    assert batched == whole and bad_batched == bad_whole
    assert bad_whole == [(27, "grant_date", "invalid_date", "2019-02-30")]
    assert {str(r[1]) for r in whole} == {"2017-03-01", "2017-03-02", "2017-03-03"}
    assert len(whole) == 25 and whole[-1][0] == late


def test_list_cells_split_trimmed_and_without_empty_elements(raw, tmp_path):
    """Applicant and IPC cells with every separator, spaces (also full-width) around them,
    empty elements and brackets load as the lists a plain split-trim-drop-empty gives, with
    brackets made full-width (the lists travel as text and are split in the INSERT)."""
    from tests.small_home import format_application_number

    cells = [
        ("甲公司 ; 乙公司", "g06f 17/30;H04L"),
        ("甲(荆州)公司；；乙公司,\u3000丙公司，", " | G06F|  ;,"),
        ("；甲公司", "A01B1/00 , A01B 3/00 ；B02C"),
        ("甲公司", ""),
    ]
    lines = ["申请号,申请日,专利类型,申请人,地址,分类号"]
    for i, (names, ipc) in enumerate(cells):
        number = format_application_number(f"2017106{i:05d}")
        lines.append(f'{number},2017-03-01,发明,"{names}",湖北省荆州市沙市区1号,"{ipc}"')
    path = copy_to_kind(tmp_path, "patents", "lists.csv", ("\n".join(lines) + "\n").encode())
    assert ingest_file(raw, path).rows_loaded == len(cells)

    def split(cell: str, separators: str) -> list[str]:
        return [x.strip() for x in re.split(f"[{separators}]", cell) if x.strip()]

    rows = raw.sql("select applicants, ipc from raw_patents order by _row").fetchall()
    names = [split(n.replace("(", "（").replace(")", "）"), ";；,，") for n, _ in cells]
    ipcs = [split(c.replace(" ", "").upper(), ";；,，|") or None for _, c in cells]
    assert [r[0] for r in rows] == names
    assert [r[1] for r in rows] == ipcs
    assert names[1] == ["甲（荆州）公司", "乙公司", "丙公司"] and ipcs[1] == ["G06F"]


def test_pledge_amounts_are_exact_whatever_their_unit(tmp_path, raw):
    """counting-rules.md §2: `0.57` 万元 and `5700` 元 are one amount (0.57 × 10000 is
    5699.999… in binary floating point), stored as a decimal to the fen."""
    from decimal import Decimal

    head = "质押登记号,登记日期,类型,出质人,{},质押标的\n"
    wan = head.format("质押金额(万元)") + "Y1,2023-05-10,专利,甲,0.57,ZL1\n"
    yuan = head.format("债权数额(元)") + "T1,2023-05-10,商标,甲,5700,1001\n"
    wan = copy_to_kind(tmp_path, "pledges", "wan.csv", wan.encode())
    yuan = copy_to_kind(tmp_path, "pledges", "yuan.csv", yuan.encode())
    for path in (wan, yuan):
        assert ingest_file(raw, path).rows_loaded == 1
    rows = raw.execute(
        "select registration_id, amount_yuan, typeof(amount_yuan) from raw_pledges order by 1"
    ).fetchall()
    assert rows == [("T1", Decimal("5700.00"), "DECIMAL(18,2)"),
                    ("Y1", Decimal("5700.00"), "DECIMAL(18,2)")]  # fmt: skip


PLAN_HEADER = (
    "规划名称,规划期,序号,指标名称,计量单位,基期年份,基期值,"
    "目标年份,目标值,目标下限,目标上限,指标属性\n"
)


def test_a_plan_file_loads_by_indicator_name_and_quarantines_an_unknown_one(tmp_path, raw):
    """Plans are data (counting-rules.md §1): indicators named as the office writes them
    (a unit in brackets, full-width characters), a range target, and one indicator the
    catalogue does not hold — quarantined with the closest names; the rest loads."""
    rows = (
        "十五五规划,2026—2030,1,有效发明专利拥有量(件),件,2025,4380,2030,9000,,,预期性\n"
        "十五五规划,2026—2030,2,国家知识产权强国建设试点示范单位,个,2025,,2030,,3,5,预期性\n"
        "十五五规划,2026—2030,3,有效发明专利拥有率,件,2025,1,2030,2,,,预期性\n"
    )
    path = copy_to_kind(tmp_path, "plan_targets", "plan.csv", (PLAN_HEADER + rows).encode())
    result = ingest_file(raw, path)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1), result.message
    assert "unknown_indicator" in result.message
    assert "'有效发明专利拥有率': closest 有效发明专利拥有量" in result.message
    loaded = raw.execute(
        "select plan_period, indicator, target_value, target_low, target_high "
        "from raw_plan_targets order by indicator"
    ).fetchall()
    assert loaded == [
        ("2026-2030", "pilot_demo_units", None, 3.0, 5.0),
        ("2026-2030", "valid_invention_patents", 9000.0, None, None),
    ]


def test_a_plan_file_without_its_required_headers_is_rejected_naming_them(tmp_path, raw):
    data = "规划名称,序号,指标名称,目标值\n十五五规划,1,有效发明专利拥有量,9000\n"
    result = ingest_file(raw, copy_to_kind(tmp_path, "plan_targets", "p.csv", data.encode()))
    assert result.status == "rejected"
    assert "plan_period" in result.message and "target_year" in result.message
    assert "plan_name" not in result.message.split("cannot map")[1]


def test_a_plan_delivered_as_xlsx_loads(tmp_path, raw):
    import xlsxwriter

    path = tmp_path / "inbox" / "plan_targets" / "plan.xlsx"
    path.parent.mkdir(parents=True)
    with xlsxwriter.Workbook(path) as wb:
        sheet = wb.add_worksheet()
        for i, row in enumerate(
            [PLAN_HEADER.strip().split(","),
             ["十五五规划", "2026-2030", 1, "patent_grants", "件", 2025, 10150, 2030, 14000]]
        ):  # fmt: skip
            sheet.write_row(i, 0, row)
    result = ingest_file(raw, path)
    assert (result.status, result.rows_loaded) == ("accepted", 1), result.message
