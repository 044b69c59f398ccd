"""Whatever stops a build, the outputs a reader sees are all of one build.

Every test starts from a complete build of the five seeds (the "previous" build),
then runs a build of three of them (whose every output differs) and stops it:
- Ctrl-C (SIGINT) and SIGKILL at each phase after extraction (merge, write, store,
  publish), through the test hook that pauses ``kg build`` there (kg/graph/generations.py);
  tests/test_interrupt.py stops builds in the middle of extraction;
- a full disk (a small tmpfs) during the write and the store phases;
- a read-only file system, for the whole directory and for its generations only;
- a second build into the same directory while the first is running.
Afterwards graph.ttl, graph.trig, the store and build.json are exactly the previous
build's, and agree with each other; the next build publishes the new one.

The tmpfs tests need root (mount); they are skipped elsewhere.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from publishing import (
    SEED_FILES,
    SUBSET,
    assert_consistent,
    build,
    copy_out,
    generations,
    previous_build,
    published,
    start_build,
    wait_for,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and mounts")

PHASES = ("merge", "write", "store", "publish")


@pytest.fixture(scope="module")
def previous() -> Path:
    """A complete build of the seeds, copied for each test."""
    return previous_build()


@pytest.fixture(scope="module")
def subset_sizes(previous, tmp_path_factory) -> dict[str, int]:
    """Bytes of the files and the store that the build of SUBSET writes."""
    out = copy_out(previous, tmp_path_factory.mktemp("sizes") / "out")
    proc = build(out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    gen = (out / "current").resolve()
    return {"files": sum((gen / n).stat().st_size for n in ("graph.ttl", "graph.trig")),
            "store": sum(p.stat().st_size for p in (gen / "store").iterdir())}


def assert_previous_intact(out: Path, before: dict) -> None:
    assert published(out) == before
    assert_consistent(out)


def assert_next_build_publishes(out: Path, before: dict) -> None:
    proc = build(out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = assert_consistent(out)
    assert after["build.json"]["documents"] == len(SUBSET) != before["build.json"]["documents"]
    # Only the new generation and the one it replaced are left: nothing half-written.
    assert generations(out) == sorted([before["current"].split("/")[-1], after["current"].split("/")[-1]])


# --------------------------------------------------------------------------
# Ctrl-C and SIGKILL at each phase


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("how", ["sigint", "sigkill"])
def test_a_build_stopped_at_any_phase_publishes_nothing(previous, tmp_path, phase, how):
    out = copy_out(previous, tmp_path / "out")
    before = published(out)
    flag = tmp_path / "paused"
    proc = start_build(out, ZONEKG_TEST_PAUSE_AT=phase, ZONEKG_TEST_PAUSE_FILE=str(flag))
    try:
        wait_for(flag, proc)
        proc.send_signal(signal.SIGINT if how == "sigint" else signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if how == "sigint":
        assert proc.returncode == 130, stdout + stderr
        assert "interrupted" in stderr and "nothing was published" in stderr, stderr
        assert "Traceback" not in stderr
        # Ctrl-C cleans up at once: no half-written generation is left.
        assert generations(out) == generations(previous)
    else:
        assert proc.returncode == -signal.SIGKILL
    assert_previous_intact(out, before)
    next_build = build(out)
    assert next_build.returncode == 0, next_build.stdout + next_build.stderr
    if how == "sigkill":
        # The killed build's lock is taken over, and said so.
        assert "was stopped while writing" in next_build.stderr
    after = assert_consistent(out)
    assert after["build.json"]["documents"] == len(SUBSET)
    assert generations(out) == sorted([before["current"].split("/")[-1], after["current"].split("/")[-1]])


# --------------------------------------------------------------------------
# Two builds at once


def test_a_second_build_into_the_same_directory_stops(previous, tmp_path):
    out = copy_out(previous, tmp_path / "out")
    before = published(out)
    flag = tmp_path / "paused"
    first = start_build(out, ZONEKG_TEST_PAUSE_AT="write", ZONEKG_TEST_PAUSE_FILE=str(flag))
    try:
        wait_for(flag, first)
        in_progress = generations(out)
        second = build(out, SEED_FILES[0])
        assert second.returncode == 2, second.stdout + second.stderr
        assert second.stderr.strip() == f"error: {out}/ is being written by another kg build (pid {first.pid})"
        # The second touched nothing: the first's generation is the only new one.
        assert generations(out) == in_progress
        assert published(out) == before
        flag.unlink()  # let the first go on
        stdout, stderr = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, stdout + stderr
    after = assert_consistent(out)
    assert after["build.json"]["documents"] == len(SUBSET)
    # Its lock is released: a third build goes ahead at once.
    third = build(out, SEED_FILES[0])
    assert third.returncode == 0 and "stopped while writing" not in third.stderr, third.stderr


def test_a_lock_left_by_a_dead_build_is_taken_over(previous, tmp_path):
    out = copy_out(previous, tmp_path / "out")
    gone = subprocess.Popen(["true"])
    gone.wait()
    (out / ".lock").write_text(f"{gone.pid}\n")
    proc = build(out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"kg build pid {gone.pid} was stopped while writing" in proc.stderr
    assert_consistent(out)
    assert (out / ".lock").read_text() == ""  # released


# --------------------------------------------------------------------------
# Full disk, read-only file system (a tmpfs of our own)


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(cmd), capture_output=True, text=True)


@contextmanager
def tmpfs(path: Path, size: str = "16m"):
    path.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path))
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        if _run("umount", str(path)).returncode:
            _run("umount", "-l", str(path))


def fill(fs: Path, leave: int) -> None:
    """Fill the file system but ``leave`` bytes."""
    st = os.statvfs(fs)
    free = st.f_bavail * st.f_frsize
    assert free > leave
    with open(fs / "filler", "wb") as fh:
        fh.truncate(0)
        remaining = free - leave
        chunk = b"\0" * (1 << 20)
        while remaining > 0:
            fh.write(chunk[:remaining])
            remaining -= min(len(chunk), remaining)


@pytest.mark.parametrize("phase", ["write", "store"])
def test_a_full_disk_publishes_nothing(previous, subset_sizes, tmp_path, phase):
    with tmpfs(tmp_path / "fs") as fs:
        out = copy_out(previous, fs / "out")
        before = published(out)
        # Room for less than graph.trig, or for both files but not the store.
        leave = 32 * 1024 if phase == "write" else subset_sizes["files"] + 128 * 1024
        if phase == "store":
            assert subset_sizes["store"] > 2 * 128 * 1024  # the store cannot fit
        fill(fs, leave)
        proc = build(out)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert proc.stderr.strip() == (f"error: cannot write to {out}: No space left on device; nothing was "
                                       "published (the previous build is still current)")
        assert_previous_intact(out, before)
        assert generations(out) == generations(previous)  # the partial generation is gone
        (fs / "filler").unlink()
        assert_next_build_publishes(out, before)


def test_a_read_only_directory_publishes_nothing(previous, tmp_path):
    with tmpfs(tmp_path / "fs") as fs:
        out = copy_out(previous, fs / "out")
        before = published(out)
        assert _run("mount", "-o", "remount,ro", str(fs)).returncode == 0
        proc = build(out)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert proc.stderr.strip() == f"error: cannot write to {out}: Read-only file system; nothing was published"
        assert_previous_intact(out, before)
        assert _run("mount", "-o", "remount,rw", str(fs)).returncode == 0
        assert_next_build_publishes(out, before)


def test_read_only_generations_publish_nothing(previous, tmp_path):
    """The lock can be taken, but the new generation cannot be written."""
    with tmpfs(tmp_path / "fs") as fs:
        out = copy_out(previous, fs / "out")
        before = published(out)
        gens = out / ".generations"
        assert _run("mount", "--bind", str(gens), str(gens)).returncode == 0
        try:
            assert _run("mount", "-o", "remount,bind,ro", str(gens)).returncode == 0
            proc = build(out)
            assert proc.returncode == 2, proc.stdout + proc.stderr
            assert proc.stderr.strip() == (f"error: cannot write to {out}: Read-only file system; nothing was "
                                           "published (the previous build is still current)")
            assert_previous_intact(out, before)
        finally:
            _run("umount", str(gens))
        assert_next_build_publishes(out, before)
