"""The scheduled refresh under faults: kills, a concurrent reader, locks, full and read-only
disks, a corrupted published file, and a delivery that moves published figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

import duckdb
import pytest

from ipwh.paths import Home
from ipwh.refresh import refresh, refresh_lock
from tests.small_home import (
    PATENT_HEADER,
    TRADEMARK_HEADER,
    add_delivery,
    make_small_home,
    patents,
    write_csv,
)

pytestmark = pytest.mark.slow


def run_cli(home: Path, *args: str, fault: str | None = None, timeout: int = 300):
    env = {**os.environ, "IPWH_HOME": str(home)}
    env.pop("IPWH_FAULT", None)
    if fault:
        env["IPWH_FAULT"] = fault
    return subprocess.run(
        [sys.executable, "-m", "ipwh.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_cli(home: Path, *args: str) -> subprocess.Popen:
    """`ipwh <args>` for `home` in the background, its output discarded."""
    env = {**os.environ, "IPWH_HOME": str(home)}
    return subprocess.Popen(
        [sys.executable, "-m", "ipwh.cli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_build_file(home: Path, timeout: float = 120) -> None:
    """Until a refresh has created its build file: dbt is about to build, or building."""
    deadline = time.time() + timeout
    while time.time() < deadline and not (home / "build" / "building.duckdb").exists():
        time.sleep(0.05)


def published_vintage(home: Path) -> str | None:
    path = home / "warehouse.duckdb"
    if not path.exists():
        return None
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            "select vintage_id from meta.vintages order by published_at desc limit 1"
        ).fetchall()[0][0]


def assert_raw_reconciles(home: Path, after_kill: bool = False) -> None:
    """Accepted loads hold exactly their rows, no content twice. A load is written batch by
    batch, so a kill mid-file may leave rows of a load still marked `loading` (never visible:
    staging reads accepted loads only, and the next connect discards them); any other row
    outside an accepted load is a leak."""
    with duckdb.connect(str(home / "raw.duckdb"), read_only=True) as con:
        bad = con.execute(
            """select m.file_name from raw_manifest m
               where m.status = 'accepted' and m.kind = 'patents'
                 and m.rows_loaded != (select count(*) from raw_patents r
                                       where r._load_id = m.load_id)"""
        ).fetchall()
        dup = con.execute(
            "select content_hash from raw_manifest where status = 'accepted' "
            "group by content_hash having count(*) > 1"
        ).fetchall()
        allowed = "('accepted', 'loading')" if after_kill else "('accepted')"
        orphans = con.execute(
            "select count(*) from raw_patents where _load_id not in "
            f"(select load_id from raw_manifest where status in {allowed})"
        ).fetchall()[0][0]
        loading = con.execute(
            "select count(*) from raw_manifest where status = 'loading'"
        ).fetchall()[0][0]
    assert bad == [] and dup == [] and orphans == 0
    assert loading <= (1 if after_kill else 0)


@pytest.fixture()
def small_home(tmp_path) -> Path:
    home = make_small_home(tmp_path / "home")
    first = refresh(Home(home))
    assert first.outcome == "published", first.message
    return home


KILL_POINTS = [
    "after_lock",
    "ingest_mid_file",
    "after_ingest_file",
    "after_ingest",
    "after_validate_raw",
    "before_build",
    "after_build",
    "after_validate_marts",
    "after_record_vintage",
    "before_publish",
]


def test_sigkill_at_every_stage_leaves_last_good_vintage_and_next_refresh_succeeds(small_home):
    good = published_vintage(small_home)
    for i, point in enumerate(KILL_POINTS):
        add_delivery(small_home, f"late_{i}", n=5, start=1000 + 10 * i)
        done = run_cli(small_home, "refresh", fault=point)
        assert done.returncode == -9, (point, done.stdout, done.stderr)
        assert published_vintage(small_home) == good, point
        assert_raw_reconciles(small_home, after_kill=True)
    # killed during the dbt build itself, from outside, once the build file exists
    proc = start_cli(small_home, "refresh")
    wait_for_build_file(small_home)
    proc.kill()
    proc.wait()
    assert published_vintage(small_home) == good
    # the last point: after the rename the new vintage is published and good
    done = run_cli(small_home, "refresh", fault="after_publish")
    assert done.returncode == -9
    newest = published_vintage(small_home)
    assert newest != good
    done = run_cli(small_home, "refresh")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "unchanged" in done.stdout  # everything was already published
    assert_raw_reconciles(small_home)
    with duckdb.connect(str(small_home / "warehouse.duckdb"), read_only=True) as con:
        loaded = con.execute("select count(*) from staging.stg_raw__patents").fetchall()[0][0]
    assert loaded == 150 + 5 * len(KILL_POINTS)  # every delivered record once


def test_reader_through_five_refreshes_sees_whole_vintages_only(small_home):
    errors, answers, stop = [], [], threading.Event()

    def reader():
        path = str(small_home / "warehouse.duckdb")
        while not stop.is_set():
            try:
                with duckdb.connect(path, read_only=True) as con:
                    vintage, year, total = con.execute(
                        """select v.vintage_id, f.report_year, f.numerator
                           from meta.vintages v, marts.fct_indicator_values f
                           where f.indicator_code = 'patent_grants' and f.unit_code = '421000'
                           order by v.published_at desc, f.report_year desc limit 1"""
                    ).fetchall()[0]
                    recorded = con.execute(
                        "select numerator from meta.indicator_history where vintage_id = ? "
                        "and indicator_code = 'patent_grants' "
                        "and unit_code = '421000' and report_year = ?",
                        [vintage, year],
                    ).fetchall()[0][0]
                answers.append((vintage, total == recorded))
            except Exception:  # any error is a failure of the publish protocol
                errors.append(traceback.format_exc(limit=3))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(5):  # each batch adds grants, so every vintage has new figures
            add_delivery(small_home, f"batch_{i}", n=10, start=2000 + 20 * i)
            done = run_cli(small_home, "refresh")
            assert done.returncode == 0, done.stdout + done.stderr
    finally:
        stop.set()
        thread.join()
    assert errors == [], errors[:2]
    assert len({v for v, _ in answers}) >= 5 and all(ok for _, ok in answers)


def test_a_killed_builds_files_and_spill_folder_do_not_block_the_next_refresh(small_home):
    # what a build killed past DuckDB's memory limit leaves: the file, its WAL, its spill folder
    build = small_home / "build"
    (build / "building.duckdb.tmp").mkdir(parents=True, exist_ok=True)
    (build / "building.duckdb.tmp" / "duckdb_temp_storage-0.tmp").write_bytes(b"x" * 4096)
    (build / "building.duckdb").write_bytes(b"half-built")
    (build / "building.duckdb.wal").write_bytes(b"wal")
    add_delivery(small_home, "after_kill", n=5, start=6000)
    done = run_cli(small_home, "refresh")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not list(build.glob("building.duckdb*"))


def test_second_refresh_exits_with_a_clear_message_while_one_runs(small_home):
    with refresh_lock(Home(small_home)):
        done = run_cli(small_home, "refresh")
    assert done.returncode == 1
    assert "another refresh is running" in done.stdout + done.stderr


def test_corrupted_warehouse_fails_clearly_and_recovers_on_request(small_home):
    good_bytes = (small_home / "warehouse.duckdb").stat().st_size
    (small_home / "warehouse.duckdb").write_bytes(b"\x00garbage" * 1000)
    add_delivery(small_home, "after_corruption", n=5, start=5000)
    done = run_cli(small_home, "refresh")
    assert done.returncode == 1
    assert "cannot be read" in done.stdout and "--discard-corrupt-warehouse" in done.stdout
    assert (small_home / "warehouse.duckdb").read_bytes().startswith(b"\x00garbage")
    done = run_cli(small_home, "refresh", "--discard-corrupt-warehouse")
    assert done.returncode == 0, done.stdout + done.stderr
    assert published_vintage(small_home) and good_bytes > 0
    assert list(small_home.glob("warehouse.corrupt-*.duckdb"))


def data_docs_runs(home: Path) -> set[str]:
    """The gate runs with a Data Docs page (validations/<suite>/<run name>/...)."""
    pages = home / "gx" / "uncommitted" / "data_docs" / "local_site" / "validations"
    return {p.parent.parent.name for p in pages.rglob("*.html")}


def test_delivery_halving_trademarks_is_stopped_until_explained(small_home):
    good = published_vintage(small_home)
    runs = data_docs_runs(small_home)
    cancel = [[30_000_000 + i, "2017-03-01", "注销商标"] for i in range(0, 300, 2)]
    write_csv(
        small_home / "inbox" / "trademark_events" / "cancel.csv",
        ["注册号", "生效日", "事件"],
        cancel,
    )
    done = run_cli(small_home, "refresh")
    assert done.returncode == 1
    assert "20% against the previous vintage" in done.stdout
    assert "indicator_code=valid_trademarks" in done.stdout  # which figure moved, and by how much
    assert published_vintage(small_home) == good
    # the failed refresh's Data Docs show both its gates, the failing marts gate too
    failed = data_docs_runs(small_home) - runs
    assert sorted(r.split("-")[0] for r in failed) == ["marts", "raw"], failed
    done = run_cli(small_home, "refresh", "--accept-revision", "registry clean-up of 2017")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""  # cron mails whatever a refresh writes to stderr
    with duckdb.connect(str(small_home / "warehouse.duckdb"), read_only=True) as con:
        reasons = con.execute(
            "select distinct reason from meta.revisions where indicator_code = 'valid_trademarks'"
        ).fetchall()
        recorded = con.execute(
            "select distinct run_id from meta.validation_results where run_id not in "
            f"({', '.join(repr(r) for r in runs | failed)})"
        ).fetchall()
    assert reasons == [("registry clean-up of 2017",)]
    # the published vintage's gate runs, as recorded, each have their pages: the raw gate's
    # (the marts gate had no expectation left once the jump check was accepted)
    assert len(recorded) == 1 and {r for (r,) in recorded} <= data_docs_runs(small_home)
    assert TRADEMARK_HEADER  # the file layout the cancellations refer to


def test_a_raw_layer_that_disagrees_with_its_manifest_blocks_publication(small_home):
    """Rows missing from an accepted load (a damaged raw layer) fail the raw gate's
    reconciliation, a critical expectation: nothing is built or published."""
    good = published_vintage(small_home)
    runs = data_docs_runs(small_home)
    with duckdb.connect(str(small_home / "raw.duckdb")) as con:
        con.execute("delete from raw_patents where _row < 10")
    add_delivery(small_home, "after_damage", n=5, start=7000)
    result = refresh(Home(small_home))
    assert result.outcome == "failed"
    assert result.message.startswith("validate_raw: raw: 1 of "), result.message
    assert "raw_manifest.rows_in_raw_tables" in result.message
    assert published_vintage(small_home) == good
    # the failing gate's Data Docs pages, for the operator to read
    assert [r.split("-")[0] for r in data_docs_runs(small_home) - runs] == ["raw"]
    assert not list((small_home / "build").glob("building.duckdb*"))


def test_a_file_of_pending_applications_is_published_with_a_warning(small_home):
    """The landing contract allows patents without a grant date (pending applications): a
    GB18030 file of 300 of them, without the 授权公告日 column, is published. Over the whole
    table most patents are still granted, so no warning either; a raw layer of mostly
    pending applications is a warning, never a stop."""
    header = PATENT_HEADER[:5]
    rows = [row[:5] for row in patents(300, 2020, start=7000)]
    path = small_home / "inbox" / "patents" / "pending.csv"
    path.write_bytes(
        "\n".join(",".join(map(str, r)) for r in [header, *rows]).encode("gb18030") + b"\n"
    )
    first = refresh(Home(small_home))
    assert first.outcome == "published", first.message
    assert not [w for w in first.warnings if "grant_date" in w["check"]]  # 150 of 450 granted
    more = [row[:5] for row in patents(400, 2021, start=8000)]
    write_csv(small_home / "inbox" / "patents" / "pending2.csv", header, more)
    second = refresh(Home(small_home))
    assert second.outcome == "published", second.message
    assert [w for w in second.warnings if w["check"] == "raw_patents.grant_date.mostly_present"]
    with duckdb.connect(str(small_home / "warehouse.duckdb"), read_only=True) as con:
        pending = con.execute(
            "select count(*) from staging.stg_raw__patents where grant_date is null"
        ).fetchall()[0][0]
        warned = con.execute(
            "select count(*) from meta.validation_results where severity = 'warning' "
            "and not success and expectation_id = 'raw_patents.grant_date.mostly_present'"
        ).fetchall()[0][0]
    assert (pending, warned) == (700, 1)


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture()
def tmpfs_home(tmp_path):
    mount = tmp_path / "fs"
    if os.geteuid() != 0 or not _mount_tmpfs(mount, "64m"):
        pytest.skip("needs root and tmpfs mounts to simulate full and read-only disks")
    home = make_small_home(mount / "home")
    # in a subprocess: an in-process refresh leaves dbt's log file open, and a file open
    # for writing would keep the test from remounting the disk read-only
    first = run_cli(home, "refresh")
    assert first.returncode == 0, first.stdout + first.stderr
    yield mount, home
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_fails_clearly_and_keeps_the_published_vintage(tmpfs_home):
    mount, home = tmpfs_home
    good = published_vintage(home)
    add_delivery(home, "on_full_disk", n=5, start=6000)
    filler = mount / "filler"
    subprocess.run(
        ["dd", "if=/dev/zero", f"of={filler}", "bs=1M", "count=100"],
        capture_output=True,
        check=False,
    )
    done = run_cli(home, "refresh")
    assert done.returncode == 1
    assert "No space left" in done.stdout + done.stderr or "space" in done.stdout.lower()
    assert published_vintage(home) == good
    filler.unlink()
    done = run_cli(home, "refresh")
    assert done.returncode == 0, done.stdout + done.stderr
    assert published_vintage(home) != good


def test_read_only_home_fails_clearly_and_keeps_the_published_vintage(tmpfs_home):
    mount, home = tmpfs_home
    good = published_vintage(home)
    add_delivery(home, "on_read_only", n=5, start=7000)
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
    try:
        done = run_cli(home, "refresh")
        assert done.returncode == 1
        assert "Read-only file system" in done.stdout + done.stderr
        assert published_vintage(home) == good
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(mount)], check=True)
    done = run_cli(home, "refresh")
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_file_the_refresh_cannot_place_is_named_and_fails_the_run(small_home):
    """A file in a misspelled folder, at the inbox root or with an extension ingest does not
    read is listed with its reason (summary, status.json, `ipwh status`) and the exit code
    is non-zero, so cron mail tells someone; a file in a subfolder of a kind's folder is
    read as that kind."""
    inbox = small_home / "inbox"
    write_csv(inbox / "patentz" / "p2024.csv", PATENT_HEADER, patents(3, 2024))
    write_csv(inbox / "p2024.csv", PATENT_HEADER, patents(3, 2024))
    write_csv(inbox / "patents" / "p2024.txt", PATENT_HEADER, patents(3, 2024))
    write_csv(inbox / "patents" / "2024" / "late.csv", PATENT_HEADER, patents(4, 2024, 500))
    done = run_cli(small_home, "refresh")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "published" in done.stdout  # the files it could place are published
    status = json.loads((small_home / "status.json").read_text(encoding="utf-8"))
    not_read = {Path(f["file"]).relative_to(inbox).as_posix(): f["reason"]
                for f in status["last_refresh"]["files_not_read"]}  # fmt: skip
    assert set(not_read) == {"patentz/p2024.csv", "p2024.csv", "patents/p2024.txt"}
    assert "unknown folder 'patentz'" in not_read["patentz/p2024.csv"]
    assert "inbox root" in not_read["p2024.csv"]
    assert "unsupported extension '.txt'" in not_read["patents/p2024.txt"]
    for name in not_read:
        assert name.split("/")[-1] in done.stderr
    with duckdb.connect(str(small_home / "raw.duckdb"), read_only=True) as con:
        loaded = con.execute(
            "select rows_loaded from raw_manifest where file_name = 'late.csv'"
        ).fetchall()
    assert loaded == [(4,)]
    shown = run_cli(small_home, "status")
    assert "patentz/p2024.csv" in shown.stdout and "unknown folder" in shown.stdout


def on_terminal(home: Path, *args: str) -> tuple[int, str, str]:
    """`ipwh ARGS` with stderr on a pseudo-terminal: (exit code, stdout, what the terminal
    showed)."""
    main, side = os.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ipwh.cli", *args],
            env={**os.environ, "IPWH_HOME": str(home)},
            stdout=subprocess.PIPE, stderr=side, text=True,
        )  # fmt: skip
        os.close(side)
        shown = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            shown += chunk
        out = proc.communicate(timeout=300)[0]
    finally:
        os.close(main)
    return proc.returncode, out, shown.decode("utf-8", "replace")


def test_a_refresh_on_a_terminal_shows_its_progress_and_under_cron_only_its_summary(small_home):
    """On a terminal: the stage, the rows ingested with their rate, dbt's nodes done of the
    total. Under cron (no terminal): one summary line on stdout, nothing on stderr."""
    add_delivery(small_home, "tty", n=5, start=3000)
    code, out, text = on_terminal(small_home, "refresh")
    assert code == 0, text
    for expected in ("ingest …", "rows/s", "validate_raw …", "build …", " of ", "validate_marts …"):
        assert expected in text, (expected, text[-500:])
    assert out.count("\n") == 1 and out.startswith("published")

    add_delivery(small_home, "cron", n=5, start=3100)
    done = run_cli(small_home, "refresh")
    assert done.returncode == 0 and done.stderr == "" and done.stdout.count("\n") == 1


def test_the_demo_on_a_terminal_shows_what_it_writes_and_under_cron_only_its_summary(tmp_path):
    code, out, text = on_terminal(tmp_path / "tty", "demo")
    assert code == 0, text
    for expected in ("patents and legal events", "trademarks", "pledges"):
        assert expected in text, (expected, text)
    assert out.count("\n") == 2 and out.startswith("wrote 19 demo files")
    done = run_cli(tmp_path / "cron", "demo")
    assert done.returncode == 0 and done.stderr == "" and done.stdout.count("\n") == 2
