"""A build interrupted halfway (Ctrl-C or SIGKILL) costs nothing but time.

Each test builds the seeds first (the "previous outputs"), then starts ``kg build``
in a subprocess on a generated corpus that takes several seconds, stops it once
it has extracted part of the corpus, and checks that
- the previous graph.ttl, graph.trig and store are exactly as they were, and still
  one build's (the previous generation is current);
- with SIGINT the command exits with status 130 and says so;
- with SIGKILL its worker processes do not outlive it;
- the next run completes, reuses the extractions already made, and writes what a
  clean build writes.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from publishing import assert_consistent, default_sigint
from test_build import SEEDS, kg_command, summary_value
from test_corpus import generated_corpus, outputs, run

import kg
from kg.run.cache import CACHE_DIR

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("big")
    generated_corpus(d, 1.5, seed=11)
    return d


@pytest.fixture(scope="module")
def reference(big, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reference") / "out"
    proc = run("build", str(big), "-o", str(out), "--no-cache", "--no-validate", cwd=out.parent,
               env={"ZONEKG_PARALLEL_MIN_BYTES": "0"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return outputs(out)


def previous_build(out: Path) -> tuple[dict[str, bytes], str]:
    proc = run("build", str(SEEDS), "-o", str(out), "--no-validate", cwd=out.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return outputs(out), os.readlink(out / "current")


def start(big: Path, out: Path, jobs: int) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(kg.__file__).resolve().parents[1])] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["ZONEKG_PARALLEL_MIN_BYTES"] = "0"
    # The child gets Ctrl-C's default disposition, so that it exits with 130 on SIGINT even
    # when this test run was started ignoring SIGINT (a shell's `&`, nohup).
    return subprocess.Popen([*kg_command(), "build", str(big), "-o", str(out), "-j", str(jobs), "--no-validate"],
                            cwd=out.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, encoding="utf-8", preexec_fn=default_sigint)


def cached_entries(out: Path) -> int:
    return sum(1 for _ in (out / CACHE_DIR).rglob("*.json"))


def wait_for_progress(proc: subprocess.Popen, out: Path, before: int, at_least: int = 30) -> int:
    """Wait until the build has cached ``at_least`` new extractions (it is halfway)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        n = cached_entries(out) - before
        if n >= at_least:
            return n
        assert proc.poll() is None, "the build finished before it could be interrupted"
        time.sleep(0.05)
    raise AssertionError("the build made no progress")


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in found:
                found.add(c)
                todo.append(c)
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def assert_unchanged(out: Path, before: dict[str, bytes], current: str) -> None:
    assert outputs(out) == before
    # The previous generation is still the current one, its store that of its files.
    assert os.readlink(out / "current") == current
    assert_consistent(out)
    leftovers = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == [] or all(p.startswith(".") for p in leftovers)


def finish_and_check(big: Path, out: Path, interrupted_with: int, reference: dict[str, bytes]) -> None:
    proc = run("build", str(big), "-o", str(out), "--no-validate", cwd=out.parent,
               env={"ZONEKG_PARALLEL_MIN_BYTES": "0"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Everything extracted before the interruption is reused (the seeds' entries are
    # not: they are no input of this build).
    assert int(summary_value(proc.stdout, "reused")) >= interrupted_with
    assert outputs(out) == reference
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_halfway_keeps_the_previous_outputs_and_the_work_done(big, reference, tmp_path, jobs):
    out = tmp_path / "out"
    before, link = previous_build(out)
    seeds_entries = cached_entries(out)
    proc = start(big, out, jobs)
    try:
        wait_for_progress(proc, out, seeds_entries)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, stdout + stderr
    assert "interrupted" in stderr and "nothing was published" in stderr and "previous outputs are unchanged" in stderr
    assert "Traceback" not in stderr
    assert_unchanged(out, before, link)
    finish_and_check(big, out, cached_entries(out) - seeds_entries, reference)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the workers")
def test_sigkill_halfway_keeps_the_previous_outputs_and_the_work_done(big, reference, tmp_path):
    out = tmp_path / "out"
    before, link = previous_build(out)
    seeds_entries = cached_entries(out)
    proc = start(big, out, 2)
    try:
        wait_for_progress(proc, out, seeds_entries)
        workers = descendants(proc.pid)
        assert workers, "no worker processes"
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == -signal.SIGKILL
    # The workers notice their parent is gone and stop.
    deadline = time.monotonic() + 20
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in workers if alive(p)]
    assert_unchanged(out, before, link)
    finish_and_check(big, out, cached_entries(out) - seeds_entries, reference)
