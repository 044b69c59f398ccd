"""Fixtures shared by the test modules (the helpers themselves live in serving.py)."""
from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from serving import _cwd, _env, free_port, kg_command


@dataclass
class Served:
    """A running `kg serve`: its base URL, and what it printed so far."""

    url: str
    _log: object

    def output(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", errors="replace")


@contextmanager
def _kg_serve(*args: str, cwd: Path | None = None, startup_timeout: float = 60.0) -> Iterator[Served]:
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([*kg_command(), "serve", "--port", str(port), *args], cwd=cwd or _cwd(), env=_env(),
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    served = Served(f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"kg serve exited with {proc.returncode}:\n{served.output()}")
            try:
                with urllib.request.urlopen(served.url + "/api/queries", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"kg serve did not start in {startup_timeout} s:\n{served.output()}")
            time.sleep(0.2)
        yield served
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        log.close()


@pytest.fixture(scope="session")
def kg_serve():
    """`with kg_serve("--store", out, cwd=...) as served:` runs `kg serve ARGS` on a free
    loopback port (any graph source: --graph, --store, --endpoint or the default) and
    stops it afterwards; ``served.url`` is its base URL, ``served.output()`` its log."""
    return _kg_serve


@pytest.fixture(scope="module")
def binary() -> str:
    """The `oxigraph` server binary (tests/test_push.py, tests/test_query_remote.py); CI must have it."""
    from test_push import oxigraph_binary

    found = oxigraph_binary()
    if found is None:
        message = "the oxigraph server binary is missing: pip install oxigraph (it is in the test extra)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found
