"""`ipwh serve`: `ipwh refresh` runs in the service's forked child with the caller's streams,
environment and exit status; a killed caller kills its refresh; a service whose code changed
stops and the command refreshes in its own process."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ipwh.paths import PROJECT_DIR, Home
from ipwh.refresh import LockBusy, refresh, refresh_lock
from tests.small_home import add_delivery, make_small_home
from tests.test_refresh_reliability import (
    published_vintage,
    run_cli,
    start_cli,
    wait_for_build_file,
)

pytestmark = pytest.mark.slow


@pytest.fixture()
def small_home(tmp_path) -> Path:
    home = make_small_home(tmp_path / "home")
    assert refresh(Home(home)).outcome == "published"
    return home


@contextlib.contextmanager
def service(home: Path) -> Iterator[subprocess.Popen]:
    # as systemd starts it: without what an in-process refresh of this test process set
    env = {k: v for k, v in os.environ.items() if k not in ("IPWH_BUILD_PATH", "IPWH_RAW_PATH")}
    env["IPWH_HOME"] = str(home)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ipwh.cli", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()  # the "ready" line, once dbt and GX are imported
        assert "ready" in line, line + proc.stderr.read()
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=30)


def last_refresh(home: Path) -> dict:
    return json.loads((home / "status.json").read_text(encoding="utf-8"))["last_refresh"]


def staged_patents(home: Path) -> int:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("select count(*) from staging.stg_raw__patents").fetchall()[0][0]


def test_refresh_runs_in_the_service_with_the_callers_streams_env_and_exit(small_home):
    before = published_vintage(small_home)
    # no saved parse: the service parses the whole project, still without a thread
    (small_home / "build" / "dbt-target" / "partial_parse.msgpack").unlink(missing_ok=True)
    with service(small_home) as proc:
        add_delivery(small_home, "late_1", n=7, start=500)
        done = run_cli(small_home, "refresh", timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        # the child wrote to the caller's stdout, and nothing to its stderr (cron mails it)
        assert done.stdout.startswith("published:") and done.stderr == ""
        assert last_refresh(small_home)["runner"] == "service"
        assert published_vintage(small_home) != before
        assert staged_patents(small_home) == 150 + 7
        # the build took the service's parse of the project: dbt did not parse again
        log = (small_home / "logs" / "dbt.log").read_text(encoding="utf-8")
        build = log[log.rindex("Running with dbt=") :]
        assert "`cli build` succeeded" in build and "artial pars" not in build
        # the caller's environment reaches the child (IPWH_FAULT), and the signal that
        # killed the refresh ends the command as if it had run in its own process
        kept = published_vintage(small_home)
        add_delivery(small_home, "late_2", n=3, start=600)
        done = run_cli(small_home, "refresh", fault="after_build", timeout=120)
        assert done.returncode == -9, done.stdout + done.stderr
        assert published_vintage(small_home) == kept
        # and the service serves the next refresh
        done = run_cli(small_home, "refresh", timeout=120)
        assert done.returncode == 0 and last_refresh(small_home)["runner"] == "service"
        assert staged_patents(small_home) == 150 + 7 + 3
        assert proc.poll() is None
    assert proc.returncode == 0  # stopped by SIGTERM: its socket goes with it
    assert not (small_home / "refresh.sock").exists()


def test_a_killed_caller_kills_its_refresh_in_the_service(small_home):
    kept = published_vintage(small_home)
    with service(small_home) as proc:
        add_delivery(small_home, "late_1", n=5, start=500)
        caller = start_cli(small_home, "refresh")
        wait_for_build_file(small_home)
        assert caller.poll() is None, "the refresh ended before it could be killed"
        caller.kill()
        caller.wait()
        # the child is killed with its caller: the refresh lock is free again soon
        deadline, free = time.time() + 30, False
        while time.time() < deadline and not free:
            try:
                with refresh_lock(Home(small_home)):
                    free = True
            except LockBusy:
                time.sleep(0.1)
        assert free, "the refresh went on after its caller was killed"
        assert published_vintage(small_home) == kept
        done = run_cli(small_home, "refresh", timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert staged_patents(small_home) == 150 + 5
        assert proc.poll() is None


@pytest.mark.parametrize("changed", ["ipwh/faults.py", "models/marts/fct_pledge_financings.sql"])
def test_a_service_whose_code_changed_stops_and_the_command_refreshes_itself(small_home, changed):
    """Python code, or a dbt project file (the service holds its parse)."""
    source = PROJECT_DIR / changed
    stat = source.stat()
    with service(small_home) as proc:
        try:
            os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
            add_delivery(small_home, "late_1", n=4, start=500)
            done = run_cli(small_home, "refresh", timeout=120)
        finally:
            os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert done.returncode == 0, done.stdout + done.stderr
        assert last_refresh(small_home)["runner"] == "process"
        assert staged_patents(small_home) == 150 + 4
        assert proc.wait(timeout=30) == 0  # stopped, for systemd to start it anew
        assert "code changed" in proc.stdout.read()
    assert not (small_home / "refresh.sock").exists()


def test_the_service_refuses_to_fork_once_polars_is_loaded(tmp_path):
    # polars' thread pool does not survive a fork: a child's first query would hang
    code = "import polars, sys; from ipwh.cli import main; sys.exit(main(['serve']))"
    env = {**os.environ, "IPWH_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "polars was imported in the refresh service" in done.stderr
    assert not (tmp_path / "refresh.sock").exists()


def refusal_of_another_user(home: Path, request: bytes) -> str:
    """The service's reply to `request` sent by uid 65534 (nobody). The socket's mode keeps
    other users out first; it is opened for the moment of the connection, which a child
    makes from inside the home (no search permission needed on the test's own folders)."""
    from ipwh.service import _HEADER

    path = home / "refresh.sock"
    read_end, write_end = os.pipe()
    path.chmod(0o666)
    try:
        pid = os.fork()
        if pid == 0:  # the child: another user
            code = 1
            try:
                os.close(read_end)
                os.chdir(home)
                os.setgid(65534)
                os.setuid(65534)
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                    sock.connect("refresh.sock")
                    socket.send_fds(sock, [_HEADER.pack(len(request)) + request], [0, 1, 2])
                    os.write(write_end, sock.makefile("rb").readline())
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            answer = pipe.read()
        assert os.waitpid(pid, 0)[1] == 0
    finally:
        path.chmod(0o600)
    return json.loads(answer)["refused"]


def test_the_service_runs_only_refreshes_of_its_own_user(small_home):
    from ipwh.service import _HEADER, code_stamp

    with service(small_home) as proc:
        path = small_home / "refresh.sock"
        assert path.stat().st_mode & 0o777 == 0o600
        request = json.dumps(
            {"argv": ["demo"], "cwd": str(small_home), "env": {}, "stamp": code_stamp()}
        ).encode()
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(str(path))
            socket.send_fds(sock, [_HEADER.pack(len(request)) + request], [0, 1, 2])
            reply = json.loads(sock.makefile().readline())  # refused, with the reason
        assert "only `ipwh refresh` runs in the service" in reply["refused"]
        if os.geteuid() == 0:  # root can be another user: the uid check behind the mode
            assert "a caller of uid 65534" in refusal_of_another_user(small_home, request)
            assert path.stat().st_mode & 0o777 == 0o600
        assert proc.poll() is None  # still serving
        done = run_cli(small_home, "refresh", timeout=120)
        assert done.returncode == 0 and last_refresh(small_home)["runner"] == "service"
    assert "only `ipwh refresh` runs in the service" in proc.stderr.read()


def test_a_service_whose_code_changed_turns_callers_away_while_its_refresh_ends(small_home):
    source = PROJECT_DIR / "ipwh" / "faults.py"
    stat = source.stat()
    with service(small_home) as proc:
        add_delivery(small_home, "late_1", n=5, start=500)
        running = start_cli(small_home, "refresh")  # through the service
        wait_for_build_file(small_home)
        try:
            os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
            first = run_cli(small_home, "refresh", timeout=120)  # told "stale"
            # the service stops listening at once, not once its refresh has ended: the
            # next caller is not left waiting, it refreshes in its own process
            socket_gone = not (small_home / "refresh.sock").exists()
            still_running = running.poll() is None
            second = run_cli(small_home, "refresh", timeout=120)
        finally:
            os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert running.wait(timeout=120) == 0
        assert proc.wait(timeout=30) == 0
    for done in (first, second):
        # in its own process: it ran, or found the lock of the refresh still running
        assert "refresh service" not in done.stderr and "Traceback" not in done.stderr
        assert done.returncode == 0 or "another refresh is running" in done.stdout
    if still_running:  # the window this test is about was open
        assert socket_gone
    assert staged_patents(small_home) == 150 + 5


def test_the_services_parse_leaves_a_build_no_macro_to_compile(small_home, monkeypatch):
    """The service compiles every macro once, before it forks: a child's build finds each
    macro it calls (materializations, adapter macros, ours) compiled."""
    from dbt_common.clients.jinja import template_cache

    from ipwh import dbt_build
    from ipwh.refresh import run_dbt

    monkeypatch.setattr(dbt_build, "_parsed", None)  # restored after the test
    monkeypatch.setattr(template_cache, "file_cache", {})
    home = Home(small_home)
    dbt_build.parse_for_children(home)
    compiled = len(template_cache.file_cache)
    assert compiled > 100, compiled
    build = dbt_build.build_path(home)
    assert dbt_build.parsed_manifest(home, build) is not None
    try:
        run_dbt(build, home)  # a full build: every model and test
    finally:
        for leftover in build.parent.glob(build.name + "*"):
            leftover.unlink()
    assert len(template_cache.file_cache) == compiled


def service_children(pid: int) -> set[int]:
    """The service's forked children (not the resource tracker it started)."""
    own = Path(f"/proc/{pid}/cmdline").read_bytes()
    kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return {int(k) for k in kids if Path(f"/proc/{k}/cmdline").read_bytes() == own}


def spare_of(pid: int) -> int:
    """The child the service forked for the next refresh, once it has imported polars."""
    deadline = time.time() + 60
    while time.time() < deadline:
        for kid in service_children(pid):
            with contextlib.suppress(FileNotFoundError):
                if "polars" in Path(f"/proc/{kid}/maps").read_text():
                    return kid
        time.sleep(0.1)
    raise AssertionError("no child with polars imported")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc")
def test_a_refresh_runs_in_a_child_forked_and_loaded_before_it_was_asked_for(small_home):
    with service(small_home) as proc:
        spare = spare_of(proc.pid)  # waiting, with polars (and pyarrow, ingest) imported
        add_delivery(small_home, "late_1", n=6, start=500)
        done = run_cli(small_home, "refresh", fault="after_lock", timeout=120)
        assert done.returncode == -9  # the spare ran it: it is the process the fault killed
        assert not Path(f"/proc/{spare}").exists() or spare not in service_children(proc.pid)
        following = spare_of(proc.pid)  # a new spare, forked once the refresh had ended
        assert following != spare
        done = run_cli(small_home, "refresh", timeout=120)
        assert done.returncode == 0 and done.stdout.startswith("published:"), done.stderr
        assert last_refresh(small_home)["runner"] == "service"
        assert staged_patents(small_home) == 150 + 6
        assert following not in service_children(proc.pid)
    assert proc.returncode == 0
