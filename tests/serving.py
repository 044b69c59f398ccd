"""Test support for the query side: the graph built from seeds/, and a running `kg serve`.

The graph is built once per test process with the real command (`kg build`) and
shared by test_queries, test_server and test_browser.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import kg as kg_package

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

_built: Path | None = None
_workdir: Path | None = None


def kg_command() -> list[str]:
    """The `kg` console script installed next to this interpreter, else `python -m kg`."""
    script = Path(sysconfig.get_path("scripts")) / ("kg.exe" if os.name == "nt" else "kg")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "kg"]


def _env() -> dict[str, str]:
    # The subprocess runs the same `kg` this test process imported: the installed
    # package under .ci/run, the checkout under `python -m pytest`.
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(kg_package.__file__).resolve().parents[1]),
                                                      env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _cwd() -> Path:
    """A directory outside the checkout, so `python -m kg` cannot pick ./kg up by accident."""
    global _workdir
    if _workdir is None:
        _workdir = Path(tempfile.mkdtemp(prefix="kg-query-tests-"))
        atexit.register(shutil.rmtree, _workdir, True)
    return _workdir


def kg(*args: str, timeout: float = 300, check: bool = False) -> subprocess.CompletedProcess:
    """Run the `kg` command line and capture its output."""
    return subprocess.run([*kg_command(), *args], cwd=_cwd(), env=_env(), capture_output=True, text=True,
                          encoding="utf-8", stdin=subprocess.DEVNULL, timeout=timeout, check=check)


def seed_graph() -> Path:
    """out/graph.trig built from seeds/ (once per test process)."""
    global _built
    if _built is None:
        out = Path(tempfile.mkdtemp(prefix="kg-seed-graph-"))
        atexit.register(shutil.rmtree, out, True)
        proc = kg("build", str(SEEDS), "-o", str(out), "--no-validate", "--quiet")
        graph = out / "graph.trig"
        assert graph.is_file(), f"kg build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        _built = graph
    return _built


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(graph: Path, *extra: str, startup_timeout: float = 60.0):
    """`kg serve` on a free loopback port; yields its base URL and stops it afterwards."""
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([*kg_command(), "serve", "--graph", str(graph), "--port", str(port), *extra],
                            cwd=_cwd(), env=_env(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"kg serve exited with {proc.returncode}:\n{log.read().decode(errors='replace')}")
            try:
                with urllib.request.urlopen(base + "/api/queries", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"kg serve did not start in {startup_timeout} s:\n"
                                   f"{log.read().decode(errors='replace')}")
            time.sleep(0.2)
        yield base
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        log.close()
