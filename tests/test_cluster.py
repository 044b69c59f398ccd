"""``kg build --cluster ADDRESS`` on a real Dask cluster (kg/run/cluster.py, docs/cluster.md).

The cluster is the one docs/cluster.md tells a user to start: a ``dask scheduler``
process and a ``dask worker`` process with two worker processes of one thread each,
all on this machine's loopback interface. The tests check that
- a cluster build writes the same bytes as a local ``-j 1`` build, on the seeds and on
  a generated corpus with files the reader skips, with the same skip reasons;
- it fills the same cache entries a local build makes, and a rebuild reuses them;
- a file a worker fails on is skipped with a one-line reason;
- an unreachable scheduler, a bad address or a scheduler without workers is a
  one-line error with exit status 2, within the connection timeout;
- Ctrl-C stops it like a local build (exit 130, the work done is kept);
- a build without ``--cluster`` never imports dask or distributed.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_build import SEED_FILES, SEEDS, kg_command, summary_value
from test_corpus import generated_corpus, outputs, run
from test_interrupt import cached_entries, wait_for_progress

import kg
from kg.run.cache import CACHE_DIR

distributed = pytest.importorskip("distributed")

# A cluster build connects within this; the error tests wait for it to run out.
TIMEOUT = {"ZONEKG_CLUSTER_TIMEOUT": "3"}

# Runs the kg command line and, as the process exits, writes the dask and
# distributed modules it had imported to the file named by its first argument.
TRACER = '''
import atexit, json, sys

report = sys.argv.pop(1)


def dump():
    with open(report, "w") as fh:
        json.dump(sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed")), fh)


atexit.register(dump)
from kg.cli import app

app(prog_name="kg")
'''


def env_with_kg(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(kg.__file__).resolve().parents[1])] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["COLUMNS"] = "200"
    env.update(extra or {})
    return env


def traced(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """``kg ARGS`` in a subprocess, and the dask/distributed modules it imported."""
    script = tmp_path / "traced_kg.py"
    script.write_text(TRACER, "utf-8")
    report = tmp_path / "modules.json"
    proc = subprocess.run([sys.executable, str(script), str(report), *args], cwd=tmp_path, env=env_with_kg(TIMEOUT),
                          capture_output=True, text=True, encoding="utf-8", stdin=subprocess.DEVNULL, timeout=300)
    return proc, json.loads(report.read_text("utf-8"))


def skipped_lines(stdout: str) -> list[str]:
    lines = stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Skipped "):
            return lines[i:]
    return []


def cache_entries(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (out / CACHE_DIR).rglob("*.json")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------- the cluster


def start_scheduler(directory: Path) -> tuple[subprocess.Popen, str]:
    directory.mkdir(parents=True, exist_ok=True)
    info = directory / "scheduler.json"
    log = open(directory / "scheduler.log", "wb")
    # --idle-timeout: a scheduler this test run left behind (killed pytest) stops by itself.
    proc = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                             "--port", "0", "--no-dashboard", "--scheduler-file", str(info), "--idle-timeout", "300s"],
                            cwd=directory, env=env_with_kg(), stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            return proc, json.loads(info.read_text("utf-8"))["address"]
        except (OSError, ValueError, KeyError):
            assert proc.poll() is None, (directory / "scheduler.log").read_text("utf-8", "replace")
            time.sleep(0.1)
    stop(proc)
    raise AssertionError("the scheduler did not start")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """``dask scheduler`` and ``dask worker ADDRESS --nworkers 2 --nthreads 1``; yields the address."""
    directory = tmp_path_factory.mktemp("cluster")
    scheduler, address = start_scheduler(directory)
    log = open(directory / "workers.log", "wb")
    # --death-timeout: workers whose scheduler is gone stop by themselves.
    workers = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--host", "127.0.0.1",
                                "--nworkers", "2", "--nthreads", "1", "--no-dashboard", "--death-timeout", "60",
                                "--local-directory", str(directory / "workers")],
                               cwd=directory, env=env_with_kg(), stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    try:
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        stop(workers)
        stop(scheduler)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Generated articles, an HTML page, and files the reader skips."""
    d = tmp_path_factory.mktemp("corpus")
    generated_corpus(d / "gen", 0.25, seed=5)
    body = "".join(f"<p>{p}</p>" for p in SEED_FILES[0].read_text("utf-8").split("\n") if p.strip())
    (d / "page.html").write_text(f"<html><head><title>经开区</title></head><body><article>{body}</article></body></html>",
                                 "utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + os.urandom(64))
    shutil.copyfile(SEED_FILES[1], d / "copy-a.txt")
    shutil.copyfile(SEED_FILES[1], d / "copy-b.txt")
    return d


# --------------------------------------------------------------------------- tests


def test_seeds_on_the_cluster_match_a_local_build_and_fill_the_same_cache(cluster, tmp_path):
    local, cl = tmp_path / "local", tmp_path / "cluster"
    local.mkdir()
    cl.mkdir()
    proc, modules = traced(local, "build", str(SEEDS), "-o", "out", "-j", "1", "--no-validate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Without --cluster nothing of Dask is imported.
    assert modules == [], modules

    proc, modules = traced(cl, "build", str(SEEDS), "-o", "out", "--cluster", cluster, "--no-validate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "distributed" in modules  # the check above can see an import
    assert summary_value(proc.stdout, "read") == "5"
    assert summary_value(proc.stdout, "extracted") == "5"
    assert summary_value(proc.stdout, "processes") == "2"  # the workers' threads
    assert outputs(cl / "out") == outputs(local / "out")
    assert cache_entries(cl / "out") == cache_entries(local / "out")
    assert len(cache_entries(cl / "out")) == 5

    # A rebuild takes everything from the cache, and -j is ignored with a note.
    proc = run("build", str(SEEDS), "-o", "out", "--cluster", cluster, "-j", "3", "--no-validate", cwd=cl, env=TIMEOUT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "-j/--jobs is ignored with --cluster" in proc.stderr
    assert (summary_value(proc.stdout, "reused"), summary_value(proc.stdout, "extracted")) == ("5", "0")
    assert outputs(cl / "out") == outputs(local / "out")


def test_a_generated_corpus_on_the_cluster_matches_a_local_build(cluster, corpus, tmp_path):
    local = run("build", str(corpus), str(tmp_path / "missing.txt"), "-o", "local", "-j", "1", "--no-cache",
                "--no-validate", cwd=tmp_path)
    assert local.returncode == 0, local.stdout + local.stderr
    cl = run("build", str(corpus), str(tmp_path / "missing.txt"), "-o", "cluster", "--cluster", cluster,
             "--no-validate", cwd=tmp_path, env=TIMEOUT)
    assert cl.returncode == 0, cl.stdout + cl.stderr
    assert outputs(tmp_path / "cluster") == outputs(tmp_path / "local")
    for label in ("read", "skipped", "size read", "read as html/utf-8"):
        assert summary_value(cl.stdout, label) == summary_value(local.stdout, label), label
    # The same files skipped, for the same reasons, in the same order.
    reasons = skipped_lines(cl.stdout)
    assert reasons == skipped_lines(local.stdout)
    assert any("empty.txt: empty file" in r for r in reasons)
    assert any("scan.txt: " in r for r in reasons)
    assert any("copy-b.txt: same content as" in r for r in reasons)
    assert any("missing.txt: no such file or directory" in r for r in reasons)
    assert int(summary_value(cl.stdout, "extracted")) == int(summary_value(cl.stdout, "read"))


PATCH = '''
import kg.extract.extraction as x
if not hasattr(x, "_real_extract_article"):
    x._real_extract_article = x.extract_article

    def extract_article(*args, _real=x._real_extract_article, **kwargs):
        if args[2] == "boom.txt":
            raise RuntimeError("boom\\non a worker")
        return _real(*args, **kwargs)

    x.extract_article = extract_article
'''
UNPATCH = '''
import kg.extract.extraction as x
if hasattr(x, "_real_extract_article"):
    x.extract_article = x._real_extract_article
    del x._real_extract_article
'''


def test_a_file_a_worker_fails_on_is_skipped_with_a_one_line_reason(cluster, tmp_path):
    src = tmp_path / "a"
    src.mkdir()
    for f in SEED_FILES[:2]:
        shutil.copyfile(f, src / f.name)
    shutil.copyfile(SEED_FILES[2], src / "boom.txt")
    with distributed.Client(cluster, timeout=30) as client:
        client.run(exec, PATCH, {})
        try:
            proc = run("build", str(src), "-o", "out", "--cluster", cluster, "--no-validate", cwd=tmp_path, env=TIMEOUT)
        finally:
            client.run(exec, UNPATCH, {})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert summary_value(proc.stdout, "read") == "2"
    assert f"  {src / 'boom.txt'}: extraction failed: RuntimeError: boom on a worker" in skipped_lines(proc.stdout)
    # Not cached: the next build tries it again.
    assert len(cache_entries(tmp_path / "out")) == 2


@pytest.mark.parametrize("address", ["unreachable", "tcp://no-port", "ftp://127.0.0.1:21"])
def test_an_unusable_address_is_a_one_line_error(address, tmp_path):
    if address == "unreachable":
        address = f"tcp://127.0.0.1:{free_port()}"
    t0 = time.monotonic()
    proc = run("build", str(SEED_FILES[0]), "-o", "out", "--cluster", address, cwd=tmp_path, env=TIMEOUT)
    elapsed = time.monotonic() - t0
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert address in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert elapsed < 3 + 8  # the connection timeout, and starting Python
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_a_scheduler_without_workers_is_a_one_line_error(tmp_path):
    scheduler, address = start_scheduler(tmp_path / "lonely")
    try:
        proc = run("build", str(SEED_FILES[0]), "-o", "out", "--cluster", address, cwd=tmp_path, env=TIMEOUT)
    finally:
        stop(scheduler)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith("error: no worker has joined") and proc.stderr.count("\n") == 1, proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_stops_a_cluster_build_and_keeps_the_work_done(cluster, tmp_path):
    big = tmp_path / "big"
    # 2 MB: on a loaded machine the workers' results can arrive in a burst, and 1 MB was seen
    # to finish between the 20th cached extraction and the signal.
    generated_corpus(big, 2.0, seed=12)
    out = tmp_path / "out"
    proc = subprocess.Popen([*kg_command(), "build", str(big), "-o", str(out), "--cluster", cluster, "--no-validate"],
                            cwd=tmp_path, env=env_with_kg(TIMEOUT), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, encoding="utf-8",
                            # Ctrl-C's default disposition, even if this test run ignores SIGINT
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        wait_for_progress(proc, out, 0, at_least=20)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert (proc.returncode, "Traceback" in stderr) == (130, False), stdout + stderr
    assert "interrupted" in stderr and "previous outputs are unchanged" in stderr
    assert not (out / "graph.ttl").exists()
    kept = cached_entries(out)
    assert kept >= 20

    again = run("build", str(big), "-o", str(out), "--cluster", cluster, "--no-validate", cwd=tmp_path, env=TIMEOUT)
    assert again.returncode == 0, again.stdout + again.stderr
    assert int(summary_value(again.stdout, "reused")) == kept
    assert int(summary_value(again.stdout, "reused")) + int(summary_value(again.stdout, "extracted")) == \
        int(summary_value(again.stdout, "read"))
