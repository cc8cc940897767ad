"""A delta build (published warehouse extended with only the new loads) must equal a full
rebuild from the raw layer, table by table."""

import shutil
from collections import Counter

import duckdb

from ipwh.paths import Home
from ipwh.refresh import _DeltaBase, code_version, refresh
from tests.small_home import (
    PATENT_HEADER,
    TRADEMARK_HEADER,
    UNITS,
    make_small_home,
    patents,
    trademarks,
    write_csv,
)


def tables(path) -> dict[str, list]:
    """Every model's rows (sorted), from the staging, intermediate and marts schemas."""
    out = {}
    with duckdb.connect(str(path), read_only=True) as con:
        names = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in ('staging', 'intermediate', 'marts') "
            "union all select schema_name, view_name from duckdb_views() "
            "where schema_name in ('staging', 'intermediate', 'marts')"
        ).fetchall()
        # the rights a build recomputed: its own working set (empty in a first build)
        names = [n for n in names if n[1] != "int_rights_changed"]
        for schema, name in names:
            cols = [
                c
                for (c,) in con.execute(
                    "select column_name from duckdb_columns() where schema_name = ? "
                    "and table_name = ?",
                    [schema, name],
                ).fetchall()
                if c not in ("load_id", "source_file", "source_row")  # lineage differs by run
            ]
            select = ", ".join(f'"{c}"' for c in cols)
            out[f"{schema}.{name}"] = sorted(
                con.execute(f"select {select} from {schema}.{name}").fetchall(), key=repr
            )
    return out


def differences_from_full_rebuild(by_deltas, rebuilt) -> tuple[list[str], set[str]]:
    """(the tables whose rows differ, the addresses only the delta-built lookup holds).
    The address lookup of a delta build keeps every address delivered so far; a full
    build's, those of the current records. Every other table must be equal."""
    ours, theirs = tables(by_deltas), tables(rebuilt)
    assert ours.keys() == theirs.keys() and len(ours) > 30
    lookup = "intermediate.int_addresses_attributed"
    kept, current = ours.pop(lookup), set(theirs.pop(lookup))
    assert len({address for address, *_ in kept}) == len(kept)  # one row per address
    kept = set(kept)
    assert current <= kept
    with duckdb.connect(str(rebuilt), read_only=True) as con:
        in_use = {
            a
            for (a,) in con.execute(
                "select first_applicant_address from staging.stg_raw__patents "
                "union select new_address from staging.stg_raw__patent_events "
                "union select registrant_address from staging.stg_raw__trademarks "
                "union select new_address from staging.stg_raw__trademark_events "
                "union select pledgor_address from staging.stg_raw__pledges"
            ).fetchall()
        }
    only_kept = {row[0] for row in kept - current}
    assert not only_kept & in_use
    return [name for name in ours if ours[name] != theirs[name]], only_kept


def test_delta_build_equals_full_rebuild(tmp_path):
    home = make_small_home(tmp_path / "home")
    inbox = home / "inbox"
    # inventions with IPC classes: 900 and 901 in a strategic emerging industry (A01B)
    ipc_header = [*PATENT_HEADER, "主分类号"]
    sei = [[*row, "A01B1/02"] for row in patents(2, 2019, start=900)]
    write_csv(inbox / "patents" / "ipc.csv", ipc_header, sei)
    assert refresh(Home(home)).outcome == "published"
    # new patents (one more in A01B), a corrected re-delivery of patent 3 (now in 洪湖市) and
    # of patent 901 (its class no longer A01B): the latest delivery wins
    fresh = patents(20, 2020, start=500)
    corrected = patents(1, 2018, start=3)
    corrected[0][4] = "湖北省荆州市洪湖市新街1号"
    write_csv(inbox / "patents" / "p2020.csv", PATENT_HEADER, fresh + corrected)
    ipc_rows = [[*patents(1, 2020, start=902)[0], "A01B1/04"], [*sei[1][:-1], "Z99Z9/99"]]
    write_csv(inbox / "patents" / "ipc_late.csv", ipc_header, ipc_rows)
    marks = trademarks(310)[300:]  # ten new marks
    write_csv(inbox / "trademarks" / "tm_late.csv", TRADEMARK_HEADER, marks)
    # events on rights delivered before: patent 5 lapses, patent 6 moves to 松滋市, mark
    # 30000007 moves to 公安县 (all its classes), mark 30000008 is renewed
    first = {r[3]: r[0] for r in patents(150, 2018)}
    write_csv(
        inbox / "patent_events" / "events.csv",
        ["申请号", "生效日", "法律状态", "变更后权利人", "变更后地址"],
        [
            [first["荆州测试5有限公司"], "2021-03-01", "未缴年费专利权终止", "", ""],
            [
                first["荆州测试6有限公司"],
                "2021-05-01",
                "专利权的转移",
                "松滋新公司",
                "湖北省荆州市松滋市新江口1号",
            ],
        ],
    )
    write_csv(
        inbox / "trademark_events" / "events.csv",
        ["注册号", "生效日", "事件", "变更后权利人", "变更后地址"],
        [
            ["30000007", "2020-06-01", "转让", "公安新公司", "湖北省荆州市公安县斗湖堤1号"],
            ["30000008", "2026-01-10", "续展注册", "", ""],
        ],
    )
    delta = refresh(Home(home), accept_revision="test delivery")
    assert delta.outcome == "published", delta.message
    assert delta.build_mode == "delta: patent_events, patents, trademark_events, trademarks"

    rebuilt = tmp_path / "rebuilt"
    shutil.copytree(home, rebuilt)
    (rebuilt / "warehouse.duckdb").unlink()
    full = refresh(Home(rebuilt), accept_revision="test rebuild")
    assert full.outcome == "published" and full.build_mode == "full", full.message

    different, only_kept = differences_from_full_rebuild(
        home / "warehouse.duckdb", rebuilt / "warehouse.duckdb"
    )
    assert different == []
    assert only_kept == {f"湖北省荆州市{UNITS[3]}人民路3号"}  # patent 3's before its correction
    ours = tables(home / "warehouse.duckdb")
    sei_matched = [r[0] for r in ours["intermediate.int_patent_sei_matched"]]
    assert sei_matched == sorted([sei[0][0], ipc_rows[0][0]])  # 901 left, 902 joined
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        unit = con.execute(
            "select unit_code from intermediate.int_patent_holders_dated where holder = ?",
            ["荆州测试3有限公司"],
        ).fetchall()
        raw_checks = con.execute(
            "select suite, observed from meta.validation_results where stage = 'raw' "
            "and run_id = (select max(run_id) from meta.validation_results where stage = 'raw') "
            "and description = 'row count equals rows loaded per raw_manifest'"
        ).fetchall()
    assert unit == [("421083",)]  # the corrected address replaced the first delivery
    # the delta's raw gate validated the new loads only
    assert sorted(raw_checks) == [
        ("raw_patent_events", "2"),
        ("raw_patents", "23"),
        ("raw_trademark_events", "2"),
        ("raw_trademarks", "10"),
    ]


def test_a_code_change_or_a_replaced_raw_layer_forces_a_full_build(tmp_path):
    home = make_small_home(tmp_path / "home")
    assert refresh(Home(home)).outcome == "published"
    # the raw layer rebuilt from scratch: load ids no longer match the published vintage
    (home / "raw.duckdb").unlink()
    write_csv(home / "inbox" / "patents" / "p2021.csv", PATENT_HEADER, patents(5, 2021, 900))
    result = refresh(Home(home), accept_revision="test")
    assert result.outcome == "published" and result.build_mode == "full", result.message


def last_dbt_invocation(home) -> str:
    log = (home / "logs" / "dbt.log").read_text(encoding="utf-8")
    return log[log.rindex("Running with dbt=") :]


def meta_rows(path) -> dict[str, Counter]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            table: Counter(con.execute(f"select * from meta.{table}").fetchall())
            for table in ("vintages", "indicator_history", "revisions", "validation_results")
        }


def test_successive_deliveries_reuse_dbt_parse_and_still_equal_a_full_rebuild(tmp_path):
    """The delta boundary is data in the build (not a dbt var whose value changes with each
    delivery, which made dbt parse the whole project for every delta): deltas and full
    builds reuse the parse, and two deltas in succession, each taking only its own loads,
    equal a full rebuild. Each vintage's meta keeps every earlier row once and adds only
    its own (a delta's file carries just the vintages it lacks)."""
    home = make_small_home(tmp_path / "home")
    inbox = home / "inbox"
    assert refresh(Home(home)).outcome == "published"
    meta = meta_rows(home / "warehouse.duckdb")
    # the first delta copies the published file; the second updates the standby (the full
    # build, kept at the first publish) with both deliveries, in place
    for (year, start), base in (((2020, 500), "copy"), ((2021, 600), "standby")):
        write_csv(inbox / "patents" / f"p{year}.csv", PATENT_HEADER, patents(5, year, start))
        result = refresh(Home(home), accept_revision="test delivery")
        assert result.outcome == "published" and result.build_mode == "delta: patents"
        assert result.delta_base == base
        assert "skipping partial parsing" in last_dbt_invocation(home)
        before, meta = meta, meta_rows(home / "warehouse.duckdb")
        for table, rows in meta.items():
            assert not before[table] - rows, f"meta.{table} lost rows"
            added = rows - before[table]
            if table == "validation_results":  # this refresh's raw and marts gates' only
                assert {r[1] for r in added} == {"raw", "marts"}
                assert not {r[0] for r in added} & {r[0] for r in before[table]}
            elif table != "revisions" or added:  # revisions: only if a figure moved
                assert {r[0] for r in added} == {result.vintage_id}, table
                assert set(added.values()) == {1}, f"meta.{table} repeated rows"
        assert len(meta["vintages"]) == 2 if base == "copy" else 3

    by_deltas = tmp_path / "by_deltas.duckdb"
    shutil.copy(home / "warehouse.duckdb", by_deltas)
    with duckdb.connect(str(by_deltas), read_only=True) as con:
        schemas = {s for (s,) in con.execute("select schema_name from duckdb_schemas()").fetchall()}
    assert "build_state" not in schemas  # the boundary is the build's own, not published

    (home / "warehouse.duckdb").unlink()  # rebuilt in the same home: dbt's profile holds
    rebuilt = refresh(Home(home), accept_revision="test rebuild")
    assert rebuilt.outcome == "published" and rebuilt.build_mode == "full"
    assert "skipping partial parsing" in last_dbt_invocation(home)
    different, only_kept = differences_from_full_rebuild(by_deltas, home / "warehouse.duckdb")
    assert different == [] and only_kept == set()


def test_a_home_refreshed_by_a_code_tree_at_another_path_builds_from_that_tree(
    tmp_path, monkeypatch
):
    """dbt's saved parse holds the project's absolute paths: a home first built by a tree
    that has since gone (an upgrade unpacked elsewhere) must still refresh, by delta."""
    import ipwh.refresh as refresh_module
    from ipwh import dbt_build

    old_tree = tmp_path / "old-tree"
    old_tree.mkdir()
    parts = (
        "dbt_project.yml",
        "profiles.yml",
        "models",
        "macros",
        "seeds",
        "tests/dbt",
        "expectations",
    )
    for part in parts:
        source = refresh_module.PROJECT_DIR / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, old_tree / part)
    home = make_small_home(tmp_path / "home")
    monkeypatch.setattr(refresh_module, "PROJECT_DIR", old_tree)
    monkeypatch.setattr(dbt_build, "PROJECT_DIR", old_tree)
    assert refresh(Home(home)).outcome == "published"
    monkeypatch.undo()
    shutil.rmtree(old_tree)

    write_csv(home / "inbox" / "patents" / "p2021.csv", PATENT_HEADER, patents(5, 2021, 700))
    result = refresh(Home(home), accept_revision="test delivery")
    assert result.outcome == "published", result.message
    assert result.build_mode == "delta: patents"


def test_a_standby_that_is_read_or_shares_the_published_file_is_copied_not_written(tmp_path):
    """The standby (the vintage before the published one) is updated in place only when no
    one can see it: not while a reader holds it (one that opened the published file before
    it was replaced), and never when it is a second name of the published file (a publish
    interrupted between its link and its rename)."""
    import hashlib
    import subprocess
    import sys

    home = make_small_home(tmp_path / "home")
    inbox, standby = home / "inbox", Home(home).standby
    assert refresh(Home(home)).outcome == "published"

    def deliver(year: int) -> str:
        write_csv(inbox / "patents" / f"p{year}.csv", PATENT_HEADER, patents(3, year, year))
        result = refresh(Home(home), accept_revision="test delivery")
        assert result.outcome == "published" and result.build_mode == "delta: patents"
        return result.delta_base

    assert deliver(2020) == "copy" and standby.exists()
    reader = subprocess.Popen(
        [sys.executable, "-c", "import duckdb,sys; c = duckdb.connect(sys.argv[1], "
         "read_only=True); print('open', flush=True); sys.stdin.read()", str(standby)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert reader.stdout.readline() == "open\n"
        assert deliver(2021) == "copy"
    finally:
        reader.communicate("")
    assert deliver(2022) == "standby"

    # after a code change the standby (another code's vintage) cannot be extended: the copy
    # starts with the first new file, beside the ingest, not once that is found out
    probe = tmp_path / "probe.duckdb"
    base = _DeltaBase(Home(home), probe, wanted=True, version=code_version())
    base.start()
    assert base.standby_vintage is not None and base.copying is None
    base.discard()
    with duckdb.connect(str(standby)) as con:
        con.execute("update meta.vintages set code_version = 'other+000000000000'")
    base = _DeltaBase(Home(home), probe, wanted=True, version=code_version())
    base.start()
    assert base.standby_vintage is None and base.copying is not None
    base.discard()

    def digest(path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    published = home / "warehouse.duckdb"
    before = digest(published)
    standby.unlink()
    standby.hardlink_to(published)
    assert deliver(2023) == "copy"
    assert digest(standby) == before  # the file published before is as it was

    by_deltas = tables(published)
    published.unlink()
    assert refresh(Home(home), accept_revision="test rebuild").build_mode == "full"
    rebuilt = tables(published)
    assert [name for name in by_deltas if by_deltas[name] != rebuilt[name]] == []


def stored_rows(path, table: str) -> tuple[int, int, int]:
    """(rows stored, deleted ones included; live rows; row groups) of a table."""
    with duckdb.connect(str(path), read_only=True) as con:
        schema, name = table.split(".")
        (stored,) = con.execute(
            "select estimated_size from duckdb_tables() where schema_name = ? and table_name = ?",
            [schema, name],
        ).fetchone()
        (live,) = con.execute(f"select count(*) from {table}").fetchone()
        (groups,) = con.execute(
            f"select count(distinct row_group_id) from pragma_storage_info('{table}')"
        ).fetchone()
    return stored, live, groups


def test_deltas_leave_deleted_rows_until_a_full_build_compacts(tmp_path, monkeypatch):
    """Delta builds do not vacuum (DuckDB merging row groups at each checkpoint was about
    1 s of a province delta): a recomputed right's old rows stay stored, deleted, and each
    delta appends a row group of its own. Once deleted rows reach the compaction share, the
    next delivery is a full build that stores none; the standby, the file from before the
    compaction, is then not updated but replaced by a copy of the compacted one."""
    import ipwh.refresh as refresh_module

    home = make_small_home(tmp_path / "home")
    inbox, published = home / "inbox", home / "warehouse.duckdb"
    assert refresh(Home(home)).outcome == "published"
    first = stored_rows(published, "marts.fct_patent_grants")
    assert first[0] == first[1] and first[2] == 1

    # corrected re-deliveries of 60 patents delivered first (a new address each time)
    for n, street in enumerate(("新街", "北京路")):
        fixed = patents(60, 2018)
        for row in fixed:
            row[4] = row[4].replace("人民路", street)
        write_csv(inbox / "patents" / f"fix{n}.csv", PATENT_HEADER, fixed)
        result = refresh(Home(home), accept_revision="test corrections")
        assert result.outcome == "published" and result.build_mode == "delta: patents"
    stored, live, groups = stored_rows(published, "marts.fct_patent_grants")
    # the second delta updated the standby (the full build) with both: 60 rights recomputed
    assert (stored, live) == (first[1] + 60, first[1])
    assert groups == 2  # the full build's and the delta's: not merged into one
    with duckdb.connect(str(published), read_only=True) as con:
        share = refresh_module.deleted_share(con)
    assert 0 < share < refresh_module.COMPACT_AT_DELETED_SHARE

    monkeypatch.setattr(refresh_module, "COMPACT_AT_DELETED_SHARE", share)
    write_csv(inbox / "patents" / "p2022.csv", PATENT_HEADER, patents(5, 2022, 800))
    result = refresh(Home(home), accept_revision="test delivery")
    assert result.outcome == "published", result.message
    assert result.build_mode == f"full (compaction: {share:.0%} of stored rows deleted)"
    assert stored_rows(published, "marts.fct_patent_grants") == (first[1] + 5, first[1] + 5, 1)
    with duckdb.connect(str(published), read_only=True) as con:
        assert refresh_module.deleted_share(con) == 0

    write_csv(inbox / "patents" / "p2023.csv", PATENT_HEADER, patents(5, 2023, 900))
    result = refresh(Home(home), accept_revision="test delivery")
    assert result.outcome == "published", result.message
    assert result.build_mode == "delta: patents" and result.delta_base == "copy"
