"""Leaving a process without the interpreter's teardown, for the `ipwh` command and the
gate process: with dbt, polars, DuckDB or great-expectations loaded, taking the modules
apart took 0.7-2 s after the work was done. Callers exit only once every connection and
file they wrote is closed."""

from __future__ import annotations

import contextlib
import logging
import os
import sys


def exit_now(code: int) -> None:
    """Flush the log handlers and the standard streams, then end the process with `code`."""
    if "multiprocessing" in sys.modules:
        # dbt's locks are named semaphores; unless their finalizers unlink them, the
        # resource tracker does, with a "leaked semaphore" warning on stderr (cron mails it)
        from multiprocessing import util

        util._run_finalizers(0)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader gone (`ipwh status | head`)
            stream.flush()
    os._exit(code)
