"""A test hook at the phases of a build, so that a test can interrupt it at that very point.

With ``ZONEKG_TEST_PAUSE_AT=PHASE`` (merge, write, store, publish) and
``ZONEKG_TEST_PAUSE_FILE=PATH`` in the environment, the build creates PATH when it reaches
PHASE and waits there (at most 120 s) until PATH is removed. Without them it costs one
lookup in the environment.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

PAUSE_AT_ENV = "ZONEKG_TEST_PAUSE_AT"
PAUSE_FILE_ENV = "ZONEKG_TEST_PAUSE_FILE"


def checkpoint(phase: str) -> None:
    """The test hook (see the module docstring): pause at ``phase`` when asked to."""
    if os.environ.get(PAUSE_AT_ENV) != phase:
        return
    flag = Path(os.environ.get(PAUSE_FILE_ENV, ""))
    if not str(flag) or str(flag) == ".":
        return
    flag.write_text(f"{os.getpid()} {phase}\n", "ascii")
    deadline = time.monotonic() + 120
    while flag.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
