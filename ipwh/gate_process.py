"""The great-expectations gates in a process of their own, so a refresh's raw gate runs while
dbt builds instead of before it.

Importing great-expectations takes 3-5 s of pure Python, and a delta's raw gate used to wait
for it before dbt could start. In a thread of the refresh process the import and dbt's own
Python fought over the GIL (slower than running them one after the other); in another process
they run on separate cores. The worker opens the DuckDB files read-only, as dbt attaches
raw.duckdb, so both can have it open at once.

The worker is `python -m ipwh.gate_process`, fed tasks through a pipe (multiprocessing's
spawn would re-run the caller's main script in the child). One worker serves every refresh
of the process, so great-expectations is imported once. When the refresh process dies its
end of the pipe closes, and the worker exits: a killed refresh leaves nothing behind.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from multiprocessing.connection import Connection
from pathlib import Path

from ipwh.paths import PROJECT_DIR
from ipwh.process_exit import exit_now
from ipwh.validate import ValidationReport


class GateProcessDied(RuntimeError):
    pass


class _Forked:
    """The part of Popen _Worker uses, for a worker forked from this process."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._code: int | None = None

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._code is None:
            pid, status = os.waitpid(self.pid, 0 if deadline is None else os.WNOHANG)
            if pid:
                self._code = os.waitstatus_to_exitcode(status)
            elif time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            else:
                time.sleep(0.05)
        return self._code


class _Worker:
    def __init__(self, fork: bool = False) -> None:
        to_child, from_parent = os.pipe()[::-1]  # (write end, read end)
        to_parent, from_child = os.pipe()[::-1]
        if fork:  # great-expectations is imported here already (the refresh service)
            if threading.active_count() != 1:
                raise RuntimeError("the gate process is forked only from a single thread")
            pid = os.fork()
            if pid == 0:
                os.close(to_child)
                os.close(from_child)
                _serve(
                    Connection(from_parent, writable=False), Connection(to_parent, readable=False)
                )
            self.proc = _Forked(pid)
        else:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "ipwh.gate_process", str(from_parent), str(to_parent)],
                pass_fds=(from_parent, to_parent),
                cwd=PROJECT_DIR,  # this tree's ipwh, whatever the caller's directory
            )
        os.close(from_parent)
        os.close(to_parent)
        self.tasks = Connection(to_child, readable=False)
        self.results = Connection(from_child, writable=False)
        self.pending: collections.deque[Future] = collections.deque()
        self.lock = threading.Lock()
        self.alive = True
        threading.Thread(target=self._read, name="gate-results", daemon=True).start()

    def submit(self, task: tuple) -> Future:
        future: Future = Future()
        future.set_running_or_notify_cancel()
        with self.lock:
            if not self.alive:
                future.set_exception(GateProcessDied(self._death()))
                return future
            self.pending.append(future)
            self.tasks.send(task)
        return future

    def _read(self) -> None:
        while True:
            try:
                ok, value = self.results.recv()
            except (EOFError, OSError):
                break
            future = self.pending.popleft()
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
        with self.lock:
            self.alive = False
            for future in self.pending:
                future.set_exception(GateProcessDied(self._death()))
            self.pending.clear()

    def _death(self) -> str:
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        return f"the great-expectations gate process ended (exit code {code})"

    def close(self) -> None:
        self.tasks.close()
        self.proc.wait()
        self.results.close()


_worker: _Worker | None = None
_lock = threading.Lock()


def start(fork: bool = False) -> None:
    """Start the worker now (it imports great-expectations at once); idempotent. fork: fork
    it from this process, which has imported great-expectations and runs one thread (a
    child of the refresh service), instead of starting a new interpreter."""
    _current(fork)


def submit(db_path: Path, stage: str, gx_root: Path, **kwargs) -> Future:
    """ipwh.validate.run_suites in the worker. The future's result is a ValidationReport
    with its `seconds` in the worker."""
    return _current().submit((db_path, stage, gx_root, (), kwargs))


def submit_docs(gx_root: Path, reports: tuple[ValidationReport, ...]) -> Future:
    """ipwh.validate.build_data_docs in the worker, for reports the worker made; the
    future's result is the index page."""
    return _current().submit((None, DOCS, gx_root, tuple(r.run_id for r in reports), {}))


def shutdown() -> None:
    global _worker
    with _lock:
        if _worker is not None:
            _worker.close()
            _worker = None


def _current(fork: bool = False) -> _Worker:
    global _worker
    with _lock:
        if _worker is None or not _worker.alive:  # a dead worker: start anew
            _worker = _Worker(fork)
        return _worker


DOCS = "data_docs"  # the task that renders Data Docs

# in the worker: result identifiers of its recent reports, by run id, for the Data Docs
# task that follows a gate (GX objects stay in the worker)
_result_keys: dict[str, list] = {}


def _run(db_path: Path, stage: str, gx_root: Path, docs_for: tuple[str, ...], kwargs: dict):
    """A gate (run_suites), or for stage DOCS the Data Docs of the runs `docs_for`."""
    from ipwh.validate import build_data_docs, run_suites

    t = time.perf_counter()
    if stage == DOCS:
        reports = tuple(
            ValidationReport("", run_id, result_keys=_result_keys.get(run_id, []))
            for run_id in docs_for
        )
        return build_data_docs(gx_root, reports, prune=False)  # the raw gate pruned
    report = run_suites(db_path, stage, gx_root, **kwargs)
    if len(_result_keys) > 8:
        _result_keys.clear()
    _result_keys[report.run_id] = report.result_keys
    report.result_keys = []  # GX objects stay here
    report.seconds = round(time.perf_counter() - t, 2)
    return report


def _serve(tasks: Connection, results: Connection) -> None:
    from ipwh.deferred import import_great_expectations

    import_great_expectations()
    while True:
        try:
            task = tasks.recv()
        except EOFError:  # the refresh process closed its end, or died
            # out at once: tearing down great-expectations' modules took 1-2 s of CPU
            # after the refresh had ended, and between tasks nothing is open for writing
            exit_now(0)
        try:
            results.send((True, _run(*task)))
        except Exception as err:  # sent back as it is, or as its text if it cannot pickle
            try:
                results.send((False, err))
            except Exception:
                results.send((False, RuntimeError(f"{type(err).__name__}: {err}")))


if __name__ == "__main__":
    _serve(
        Connection(int(sys.argv[1]), writable=False),
        Connection(int(sys.argv[2]), readable=False),
    )
