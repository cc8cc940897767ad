"""`ipwh serve`: the refresh service. It keeps dbt and great-expectations imported, so that a
refresh started by `ipwh refresh` (the timer's command, unchanged) does not import them again.

A refresh with new data spent about 3 of its 14-17 CPU-seconds at province scale importing
dbt (1.2 s) and great-expectations (1.7 s, in the gate process), on a machine whose two
cores a delta keeps busy. The service imports both once, and parses the dbt project once
(ipwh/dbt_build.py: about 0.45 s of each build), then forks a child per refresh, ahead of
the refresh (`_Spare`):

- `ipwh refresh` connects to `<home>/refresh.sock` and hands over its standard streams,
  working directory, environment and arguments. The child runs exactly what the command
  would, writing to the caller's streams, and its exit status (or the signal that killed
  it) becomes the command's own. Every refresh starts from the same clean state: nothing
  but the imports passes from one to the next.
- No service, or a service started from other code (an upgrade since, or an edited model):
  the command refreshes in its own process, as it always did. A service that finds its
  code changed stops listening, lets its running refreshes end, and exits; systemd starts
  it anew (deploy/ipwh-serve.service).
- The caller killed (the timer's timeout, Ctrl-C): its refresh is killed too (SIGTERM),
  which leaves the last vintage published, as any killed refresh does.

Fork safety: the service process never starts a thread. polars is not imported in it (its
thread pool does not survive a fork: a child's first query hangs); numpy's BLAS runs on
one thread, and pyarrow's jemalloc purges without a background thread. The children
import polars and open DuckDB connections themselves.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import selectors
import signal
import socket
import struct
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ipwh.paths import PROJECT_DIR, Home

SOCKET_NAME = "refresh.sock"
_HEADER = struct.Struct("!I")  # the request's length, before the JSON
# what the children would otherwise import, first thing or in dbt's first invocation (polars
# is left out on purpose)
PRELOADED = (
    "dbt.cli.main", "dbt.adapters.duckdb", "dbt.task.build", "dbt.compilation",
    "dbt.graph.thread_pool", "dbt.parser.sql", "dbt_common.clients.agate_helper", "daff",
    "sqlparse", "babel.dates", "multiprocessing.pool", "ipwh.validate", "ipwh.gate_process",
)  # fmt: skip


DBT_PROJECT_FILES = (
    "dbt_project.yml", "profiles.yml", "models/**/*", "macros/**/*", "seeds/**/*",
    "tests/dbt/**/*",
)  # fmt: skip


class ServiceStale(Exception):
    """The service runs other code than the command's tree: refresh in-process instead."""


def code_stamp() -> str:
    """Changes when any of our Python files, any installed package or any dbt project file
    changes: the service's imported modules, or its parse of the project, would then differ
    from what a new process would import or parse."""
    stamps = [str(PROJECT_DIR)]
    # and the dbt project, which the service has parsed (ipwh/dbt_build.py)
    for pattern in ("ipwh/*.py", "ingest/*.py", *DBT_PROJECT_FILES):
        for path in sorted(PROJECT_DIR.glob(pattern)):
            st = path.stat()
            stamps.append(f"{path.relative_to(PROJECT_DIR)}:{st.st_size}:{st.st_mtime_ns}")
    for entry in sys.path:
        if entry.endswith("site-packages") and os.path.isdir(entry):
            stamps.append(f"{entry}:{os.stat(entry).st_mtime_ns}")
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()[:16]


def socket_path(home: Home) -> Path:
    return home.root / SOCKET_NAME


# ---------------------------------------------------------------- the command's side


def refresh_through_service(home: Home, argv: list[str]) -> int | None:
    """Run `ipwh <argv>` in the home's refresh service. Returns its exit code; None when
    there is no service to run it (the caller refreshes in-process). A refresh killed by a
    signal kills this process with the same signal, as if it had run here."""
    path = socket_path(home)
    if os.environ.get("IPWH_SERVICE") == "off" or len(bytes(path)) > 100:
        return None  # Unix socket paths are limited to 107 bytes
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
    except OSError:  # no service (no socket, or a socket left by a stopped one)
        sock.close()
        return None
    with sock:
        request = json.dumps(
            {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "stamp": code_stamp()}
        ).encode()
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            socket.send_fds(sock, [_HEADER.pack(len(request)) + request], [0, 1, 2])
            reply = _read_reply(sock)
        except (ConnectionResetError, BrokenPipeError):
            return None  # never accepted: the service stopped listening (code changed)
    if reply is None:
        print("ipwh: the refresh service ended during the refresh", file=sys.stderr)
        return 1
    if reply.get("stale"):
        return None
    if "refused" in reply:  # not run here either: the home belongs to the service's user
        print(f"ipwh: the refresh service refused: {reply['refused']}", file=sys.stderr)
        return 1
    code = reply["exit"]
    if code < 0:  # killed by a signal: end the same way
        if -code not in (signal.SIGKILL, signal.SIGSTOP):  # the two with no handler to reset
            signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


def _read_reply(sock: socket.socket) -> dict | None:
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(4096)
        if not chunk:
            return None
        data += chunk
    return json.loads(data)


# ---------------------------------------------------------------- the service's side


def serve(home: Home) -> int:
    """Listen on the home's socket until stopped (SIGTERM) or until the code changes."""
    # before numpy and pyarrow load: no BLAS thread pool, no jemalloc purging thread
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("JE_ARROW_MALLOC_CONF", "background_thread:false")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    t = time.perf_counter()
    from ipwh.deferred import import_great_expectations

    import_great_expectations()
    for module in PRELOADED:
        __import__(module)
    from ipwh import dbt_build

    dbt_build.parse_for_children(home)
    if "polars" in sys.modules:
        raise RuntimeError("polars was imported in the refresh service: forks would hang")
    threads = len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else 1
    if threads != 1:
        raise RuntimeError(f"the refresh service runs {threads} threads: forking is unsafe")
    stamp = code_stamp()
    gc.collect()
    gc.freeze()  # the children's collections would otherwise touch, and copy, every page
    listener = _listen(socket_path(home))
    ours = os.stat(socket_path(home)).st_ino  # unlinked at the end unless replaced since

    def stop_listening() -> None:
        """Callers from now on find no service and refresh in their own process (a caller
        left waiting to be accepted gets a reset, and does the same)."""
        with contextlib.suppress(FileNotFoundError):
            if os.stat(socket_path(home)).st_ino == ours:
                socket_path(home).unlink()
        listener.close()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop: the finally below
    print(
        f"ipwh serve: {home.root} ready in {time.perf_counter() - t:.1f} s "
        f"(pid {os.getpid()}, socket {socket_path(home)})",
        flush=True,
    )
    try:
        _loop(listener, stamp, stop_listening)
    finally:
        stop_listening()
    print("ipwh serve: the code changed; stopped", flush=True)
    return 0


def _listen(path: Path) -> socket.socket:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with probe:
        try:
            probe.connect(str(path))
        except OSError:
            path.unlink(missing_ok=True)  # left by a service that stopped
        else:
            raise RuntimeError(f"a refresh service already listens on {path}")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)  # the socket is the service user's alone (mode 0600)
    try:
        listener.bind(str(path))
    finally:
        os.umask(old_umask)
    listener.listen(16)
    return listener


class _Spare:
    """The child that will run the next refresh, forked ahead of it (when no refresh runs):
    it has forked its gate process and imported what a refresh imports first (polars,
    pyarrow, ingest: 0.1 s of every refresh), and waits for a request on its socket. Those
    imports see the service's environment; the request's applies from then on."""

    def __init__(self, listener: socket.socket) -> None:
        self.sock, theirs = socket.socketpair()
        self.pid = _fork()
        if self.pid == 0:  # never returns
            listener.close()
            self.sock.close()
            _run_spare(theirs)
        theirs.close()

    def hand_over(self, request: bytes, fds: list[int]) -> bool:
        """Pass the request and the caller's streams; False if the spare is gone."""
        try:
            socket.send_fds(self.sock, [_HEADER.pack(len(request)) + request], fds)
            return True
        except OSError:
            self.close()
            return False
        finally:
            self.sock.close()

    def close(self) -> None:
        """Unused: it reads the end of its socket and exits."""
        self.sock.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _loop(listener: socket.socket, stamp: str, stop_listening: Callable[[], None]) -> None:
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, ("accept", None))
    running: dict[int, tuple[socket.socket, int]] = {}  # pid -> (caller, pidfd)
    spare: list[_Spare] = []  # at most one
    try:
        _serve_requests(sel, listener, stamp, running, spare, stop_listening)
    finally:  # stopped (SIGTERM): the running refreshes with it, as their callers would
        for pid in running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for unused in spare:
            unused.close()


def _serve_requests(
    sel,
    listener: socket.socket,
    stamp: str,
    running: dict,
    spare: list[_Spare],
    stop_listening: Callable[[], None],
) -> None:
    accepting = True
    while accepting or running:
        if accepting and not running and not spare:
            spare.append(_Spare(listener))
        for key, _ in sel.select():
            what, pid = key.data
            if what == "accept":
                conn, _ = listener.accept()
                try:
                    child = _start(conn, listener, stamp, spare)
                except ServiceStale as stale:
                    conn.sendall(b'{"stale": true}\n')
                    conn.close()
                    if stale.args[0] == "service":  # our own code changed: stop
                        for unused in spare:
                            unused.close()
                        spare.clear()
                        sel.unregister(listener)
                        # at once: while the running refreshes end, a caller must not wait
                        stop_listening()
                        accepting = False
                    continue
                except Exception as err:  # a request it will not run: say why, keep serving
                    print(f"ipwh serve: request refused: {err}", file=sys.stderr, flush=True)
                    with contextlib.suppress(OSError):
                        conn.sendall(json.dumps({"refused": str(err)}).encode() + b"\n")
                    conn.close()
                    continue
                pidfd = os.pidfd_open(child)
                running[child] = (conn, pidfd)
                sel.register(pidfd, selectors.EVENT_READ, ("exited", child))
                sel.register(conn, selectors.EVENT_READ, ("caller", child))
            elif what == "caller":  # the caller sends nothing more: readable means it left
                conn, _ = running[pid]
                sel.unregister(conn)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
            else:  # the child ended: its exit status is the caller's
                conn, pidfd = running.pop(pid)
                _, status = os.waitpid(pid, 0)
                sel.unregister(pidfd)
                os.close(pidfd)
                with contextlib.suppress(KeyError, ValueError):
                    sel.unregister(conn)
                with contextlib.suppress(OSError):  # the caller may be gone
                    code = os.waitstatus_to_exitcode(status)
                    conn.sendall(json.dumps({"exit": code}).encode() + b"\n")
                conn.close()


_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def _fork() -> int:
    """os.fork with the stop signals held back: a SIGTERM that arrived during the fork ran
    its handler in an at-fork hook, where Python swallows the SystemExit (the service
    went on serving). The child lets them through once it has its own handlers."""
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    pid = os.fork()
    if pid:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    return pid


def _child_signals() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


def _receive(conn: socket.socket) -> tuple[bytes, list[int]]:
    """A request (header, JSON) and the three standard streams sent with it."""
    data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 3)
    try:
        if len(data) < _HEADER.size or len(fds) != 3:
            raise ValueError("no request header or standard streams")
        (size,) = _HEADER.unpack_from(data)
        data = data[_HEADER.size :]
        while len(data) < size:
            chunk = conn.recv(size - len(data))
            if not chunk:
                raise ValueError("request cut short")
            data += chunk
        return data, fds
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise


def _start(conn: socket.socket, listener: socket.socket, stamp: str, spare: list) -> int:
    """Read a request and hand it to the spare, or fork the child that runs it; returns the
    child's pid."""
    conn.settimeout(10)
    # read whole before any refusal: closing a Unix socket with unread data resets the
    # caller's end, and the refusal could be lost
    data, fds = _receive(conn)
    try:
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        _, uid, _ = struct.unpack("3i", creds)
        if uid != os.getuid():  # it runs the caller's environment as the service's user
            raise PermissionError(f"a caller of uid {uid}, not the service's {os.getuid()}")
        request = json.loads(data)
        if request["argv"][:1] != ["refresh"]:
            raise ValueError(f"only `ipwh refresh` runs in the service, not {request['argv']}")
        if code_stamp() != stamp:
            raise ServiceStale("service")
        if request.get("stamp") != stamp:  # a caller from another tree or version
            raise ServiceStale("caller")
        conn.settimeout(None)
        while spare:
            ready = spare.pop()
            if ready.hand_over(data, fds):
                return ready.pid
        pid = _fork()
        if pid == 0:  # the child: never returns
            listener.close()
            conn.close()
            _run_child(request, fds)
        return pid
    finally:
        for fd in fds:
            os.close(fd)


def _run_spare(sock: socket.socket) -> None:
    _child_signals()
    try:
        from ipwh import gate_process

        gate_process.start(fork=True)  # now, while this process has one thread
        import ipwh.refresh  # noqa: F401  (polars, pyarrow, ingest)

        data, fds = _receive(sock)
        sock.close()
    except BaseException:  # the service closed the socket: no request will come
        from ipwh.process_exit import exit_now

        exit_now(0)
    _run_child(json.loads(data), fds)


def _run_child(request: dict, fds: list[int]) -> None:
    code = 1
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for stream in (sys.stdout, sys.stderr):
            stream.reconfigure(line_buffering=stream.isatty())
        _child_signals()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        from ipwh import gate_process

        gate_process.start(fork=True)  # now, while this process has one thread
        from ipwh.cli import main

        code = main(request["argv"], runner="service")
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        from ipwh.process_exit import exit_now

        exit_now(code or 0)
