"""Fault injection for the reliability tests: IPWH_FAULT=<point> makes the process SIGKILL
itself when it reaches that point, as a power cut or an OOM kill would."""

from __future__ import annotations

import os
import signal


def fault_point(name: str) -> None:
    if os.environ.get("IPWH_FAULT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
