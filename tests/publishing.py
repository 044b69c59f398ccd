"""Test support for generations (tests/test_generations.py, tests/test_faults.py).

- :func:`build` runs the real ``kg build`` in a subprocess whose SIGINT is the default
  one, whatever the test run inherited (a shell's ``&`` or ``nohup`` ignores it);
- :func:`published` is everything a reader of ``out/`` sees: the current generation,
  the two files, the store's quads and ``build.json``;
- :func:`assert_consistent` checks that they all come from one build.
"""
from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from test_build import SEED_FILES, SEEDS, kg_command

import kg

KG_DOCUMENT = "https://w3id.org/zonekg/ontology#Document"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBSET = SEED_FILES[:3]  # a build whose graph differs from the seeds' in every output


def default_sigint() -> None:
    """preexec_fn: the child gets Ctrl-C's default disposition (Python then installs
    its KeyboardInterrupt handler), even if this test run was started ignoring it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(kg.__file__).resolve().parents[1])] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["COLUMNS"] = "200"
    env["PYTHONIOENCODING"] = "utf-8"
    for k in ("ZONEKG_TEST_PAUSE_AT", "ZONEKG_TEST_PAUSE_FILE"):
        env.pop(k, None)
    env.update(extra)
    return env


def start_build(out: Path, *inputs: Path, args: tuple[str, ...] = ("--no-validate",), **env: str) -> subprocess.Popen:
    return subprocess.Popen([*kg_command(), "build", *map(str, inputs or SUBSET), "-o", str(out), *args],
                            cwd=out.parent, env=child_env(**env), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            preexec_fn=default_sigint)


def build(out: Path, *inputs: Path, args: tuple[str, ...] = ("--no-validate",), timeout: float = 300,
          **env: str) -> subprocess.CompletedProcess:
    proc = start_build(out, *inputs, args=args, **env)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


_previous: Path | None = None


def previous_build() -> Path:
    """A complete build of the five seeds (once per test process): the "previous" build
    the tests copy and then rebuild, stop or break."""
    global _previous
    if _previous is None:
        out = Path(tempfile.mkdtemp(prefix="kg-previous-build-")) / "out"
        atexit.register(shutil.rmtree, out.parent, True)
        proc = build(out, SEEDS)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        _previous = out
    return _previous


def copy_out(source: Path, dest: Path) -> Path:
    """A copy of a build's output directory (links stay links, the cache comes along)."""
    shutil.copytree(source, dest, symlinks=True)
    return dest


def generations(out: Path) -> list[str]:
    return sorted(p.name for p in (out / ".generations").iterdir())


def store_quads(path: Path) -> set[str]:
    from kg.graph.store import open_store

    store = open_store(path)
    try:
        return {str(q) for q in store}
    finally:
        del store


def published(out: Path) -> dict:
    """What a reader of ``out/`` sees now, through the README's names."""
    return {
        "current": os.readlink(out / "current"),
        "graph.ttl": (out / "graph.ttl").read_bytes(),
        "graph.trig": (out / "graph.trig").read_bytes(),
        "store": store_quads(out / "store"),
        "build.json": json.loads((out / "current" / "build.json").read_text("utf-8")),
    }


def assert_consistent(out: Path) -> dict:
    """graph.ttl, graph.trig, the store and build.json of ``out/`` are one build's."""
    seen = published(out)
    trig = {str(q) for q in ox.parse(seen["graph.trig"], format=ox.RdfFormat.TRIG)}
    ttl = {str(ox.Quad(t.subject, t.predicate, t.object)) for t in ox.parse(seen["graph.ttl"],
                                                                              format=ox.RdfFormat.TURTLE)}
    assert seen["store"] == trig, "the store and graph.trig are different builds"
    default = {str(q) for q in ox.parse(seen["graph.trig"], format=ox.RdfFormat.TRIG)
               if isinstance(q.graph_name, ox.DefaultGraph)}
    assert ttl == default, "graph.ttl and graph.trig are different builds"
    docs = sum(1 for q in ox.parse(seen["graph.ttl"], format=ox.RdfFormat.TURTLE)
               if q.predicate.value == RDF_TYPE and q.object.value == KG_DOCUMENT)
    assert seen["build.json"]["documents"] == docs
    assert seen["build.json"]["quads"] == len(trig)
    return seen


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Until the paused build has created ``path`` (it reached its phase)."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"the build ended ({proc.returncode}) before its pause:\n{out}\n{err}")
        if time.monotonic() > deadline:
            raise AssertionError("the build never reached its pause")
        time.sleep(0.02)


__all__ = ["SEEDS", "SEED_FILES", "SUBSET", "assert_consistent", "build", "child_env", "copy_out", "default_sigint",
           "generations", "previous_build", "published", "start_build", "store_quads", "wait_for"]
