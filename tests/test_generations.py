"""Generations: each build is published whole, the previous one kept for its readers.

- the layout: out/current, the README's names as links through it, build.json, two
  generations kept;
- the other commands find the outputs by their documented defaults;
- a --no-store build, and an output directory of the layout before generations;
- a running `kg serve` follows rebuilds between queries (a client querying in a loop
  sees complete builds only, never an error), or stays on its build with --pin.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from publishing import (
    SEED_FILES,
    SEEDS,
    SUBSET,
    assert_consistent,
    build,
    child_env,
    copy_out,
    generations,
    previous_build,
    published,
)
from test_build import kg_command


def kg_at(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*kg_command(), *args], cwd=cwd, env=child_env(), capture_output=True, text=True,
                          encoding="utf-8", stdin=subprocess.DEVNULL, timeout=300)


@pytest.fixture(scope="module")
def previous() -> Path:
    """A complete build of the seeds, copied for each test."""
    return previous_build()


def gen_name(seen: dict) -> str:
    return seen["current"].rsplit("/", 1)[-1]


def test_each_build_is_one_generation_and_the_previous_one_is_kept(previous, tmp_path):
    out = copy_out(previous, tmp_path / "out")
    first = assert_consistent(out)
    for name in ("graph.ttl", "graph.trig", "store"):
        assert os.readlink(out / name) == f"current/{name}"
    assert first["current"].startswith(".generations/")
    assert first["build.json"]["documents"] == 5 and first["build.json"]["store"] is True
    assert build(out).returncode == 0
    second = assert_consistent(out)
    assert second["build.json"]["documents"] == len(SUBSET)
    assert generations(out) == sorted([gen_name(first), gen_name(second)])
    assert build(out, SEEDS).returncode == 0
    third = assert_consistent(out)
    # The oldest is removed; the one replaced stays for readers that hold it.
    assert generations(out) == sorted([gen_name(second), gen_name(third)])
    # Same input, same bytes, whatever generation they land in.
    assert third["graph.ttl"] == first["graph.ttl"] and third["graph.trig"] == first["graph.trig"]
    assert (out / ".cache").is_dir()  # shared by all generations


def test_the_other_commands_find_the_outputs_by_their_defaults(previous, tmp_path):
    out = copy_out(previous, tmp_path / "out")
    assert build(out).returncode == 0  # a second generation: graph.trig is newer than the link out/store
    query = kg_at(tmp_path, "query", "summary", "--format", "csv")
    assert query.returncode == 0, query.stderr
    assert "note:" not in query.stderr  # the store of the same build, not the file instead
    via_file = kg_at(tmp_path, "query", "summary", "--format", "csv", "--graph", "out/graph.trig")
    assert query.stdout == via_file.stdout
    export = kg_at(tmp_path, "export", "--format", "turtle")
    assert export.returncode == 0, export.stderr
    assert (out / "export" / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()
    analyze = kg_at(tmp_path, "analyze")
    assert analyze.returncode == 0 and (out / "analysis.ttl").is_file(), analyze.stderr
    viz = kg_at(tmp_path, "viz")
    assert viz.returncode == 0 and (out / "views" / "index.html").is_file(), viz.stderr
    # The analysis and views stay beside the links, across rebuilds.
    assert build(out, *SEED_FILES[:2]).returncode == 0
    assert (out / "analysis.ttl").is_file() and (out / "views" / "index.html").is_file()


def test_a_build_without_store_publishes_its_files_alone(previous, tmp_path):
    from kg.graph.store import open_store

    out = copy_out(previous, tmp_path / "out")
    proc = build(out, SEED_FILES[0], args=("--no-validate", "--no-store"))
    assert proc.returncode == 0, proc.stderr
    assert "Wrote " in proc.stdout and "out/store" not in proc.stdout
    assert not (out / "store").exists()  # the link leads nowhere: this build has no store
    assert not (out / "current" / "store").exists()
    with pytest.raises(FileNotFoundError):
        open_store(out)
    query = kg_at(tmp_path, "query", "summary", "--format", "json")
    assert query.returncode == 0, query.stderr
    manifest = json.loads((out / "current" / "build.json").read_text())
    assert manifest["documents"] == 1 and manifest["store"] is False
    docs = kg_at(tmp_path, "query", str(write_query(tmp_path)), "--format", "csv")
    assert docs.stdout.splitlines() == ["n", "1"], docs.stderr


def write_query(tmp_path: Path) -> Path:
    q = tmp_path / "docs.rq"
    q.write_text("SELECT (COUNT(?d) AS ?n) WHERE { ?d a kg:Document }", encoding="utf-8")
    return q


def test_an_output_directory_of_the_layout_before_generations(previous, tmp_path):
    """Plain graph.ttl/graph.trig and out/store -> .store-ID: the first build turns them
    into links, keeps the old store for its readers, and the next build removes it."""
    from kg.graph.store import write_store

    out = tmp_path / "out"
    out.mkdir()
    for name in ("graph.ttl", "graph.trig"):
        shutil.copyfile(previous / name, out / name)
    shutil.copytree(previous / ".cache", out / ".cache")  # the cache's layout did not change
    write_store(ox.parse(path=str(previous / "graph.trig"), format=ox.RdfFormat.TRIG), out)
    old_store = (out / "store").resolve()
    assert old_store.name.startswith(".store-")
    assert build(out).returncode == 0
    seen = assert_consistent(out)
    assert seen["build.json"]["documents"] == len(SUBSET)
    assert old_store.is_dir()
    assert build(out, *SEED_FILES[:2]).returncode == 0
    assert_consistent(out)
    assert not old_store.exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".store-")]


# --------------------------------------------------------------------------
# kg serve during rebuilds

COUNTS = """SELECT ?quads ?docs WHERE {
  { SELECT (COUNT(*) AS ?quads) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } }
  { SELECT (COUNT(?d) AS ?docs) WHERE { ?d a kg:Document } }
}"""


def counts(client: httpx.Client) -> tuple[int, tuple[int, int] | None, str]:
    r = client.post("/sparql", data={"query": COUNTS}, headers={"Accept": "application/sparql-results+json"})
    if r.status_code != 200:
        return r.status_code, None, r.text
    row = r.json()["results"]["bindings"][0]
    return 200, (int(row["quads"]["value"]), int(row["docs"]["value"])), ""


def of(out: Path) -> tuple[int, int]:
    m = json.loads((out / "current" / "build.json").read_text())
    return m["quads"], m["documents"]


def test_serve_follows_rebuilds_and_answers_from_complete_builds_only(previous, tmp_path, kg_serve):
    work = tmp_path / "work"
    work.mkdir()
    out = copy_out(previous, work / "out")
    builds = [of(out)]
    seen: list[tuple[int, tuple | None, str]] = []
    done = threading.Event()

    with kg_serve("--workers", "2", "--timeout", "30", cwd=work) as served:
        def client() -> None:
            # Bounded: at most 3000 queries or 150 s, loopback only.
            deadline = time.monotonic() + 150
            with httpx.Client(base_url=served.url, timeout=30) as c:
                while not done.is_set() and len(seen) < 3000 and time.monotonic() < deadline:
                    seen.append(counts(c))
                    time.sleep(0.01)

        thread = threading.Thread(target=client)
        thread.start()
        try:
            # Each input a part of the one before: the cache has every article already.
            for inputs in (SUBSET, SEED_FILES[:2], SEED_FILES[:1]):
                proc = build(out, *inputs)
                assert proc.returncode == 0, proc.stdout + proc.stderr
                builds.append(of(out))
                time.sleep(0.5)
            # The server follows: it ends on the last build.
            deadline = time.monotonic() + 30
            while (not seen or seen[-1][1] != builds[-1]) and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            done.set()
            thread.join(timeout=60)
        with httpx.Client(base_url=served.url, timeout=30) as c:
            info = c.get("/api/queries").json()
    errors = [s for s in seen if s[0] != 200]
    assert not errors, errors[:3]
    answers = [s[1] for s in seen]
    assert set(answers) <= set(builds), (set(answers), builds)  # complete builds only
    assert answers[-1] == builds[-1]
    # In the order of the builds: once a build is seen, no earlier one comes back.
    order = [a for i, a in enumerate(answers) if i == 0 or a != answers[i - 1]]
    it = iter(builds)
    assert all(any(a == b for b in it) for a in order), (order, builds)
    assert len(order) >= 3, order
    manifest = json.loads((out / "current" / "build.json").read_text())
    assert info["build"] == {"generation": (out / "current").resolve().name, "built": manifest["built"],
                             "documents": manifest["documents"], "quads": manifest["quads"]}
    assert info["quads"] == manifest["quads"]


def test_serve_pin_stays_on_its_build(previous, tmp_path, kg_serve):
    work = tmp_path / "work"
    work.mkdir()
    out = copy_out(previous, work / "out")
    first = of(out)
    pinned_gen = (out / "current").resolve()
    with kg_serve("--pin", "--workers", "1", cwd=work) as served, \
            httpx.Client(base_url=served.url, timeout=30) as c:
        assert f"Serving {pinned_gen / 'store'} " in served.output()
        assert counts(c)[1] == first
        for inputs in (SUBSET, SEED_FILES[:2]):
            assert build(out, *inputs).returncode == 0
            assert counts(c) == (200, first, "")
        # Two builds later its generation would be gone; the pin keeps it.
        assert pinned_gen.is_dir()
        assert c.get("/api/queries").json()["build"]["generation"] == pinned_gen.name
        assert of(out) != first
    # Once the server is gone, the next build removes it.
    assert build(out, SEED_FILES[0]).returncode == 0
    assert not pinned_gen.exists()
    assert len(generations(out)) == 2
    assert published(out)["build.json"]["documents"] == 1


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)")
def test_the_page_header_shows_the_build_served(previous, tmp_path, kg_serve):
    """In Chromium: the header names the build's time and documents, and after a rebuild
    the next query brings the new build's."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    work = tmp_path / "work"
    work.mkdir()
    out = copy_out(previous, work / "out")
    built = json.loads((out / "current" / "build.json").read_text())["built"]
    with kg_serve("--workers", "1", cwd=work) as served, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page()
            page.goto(served.url + "/")
            header = page.locator("#graph-info")
            shown = built.replace("T", " ").replace("Z", " UTC")
            sync_api.expect(header).to_contain_text(f"built {shown} from 5 documents")
            assert build(out).returncode == 0
            page.click("#run")
            sync_api.expect(header).to_contain_text(f"from {len(SUBSET)} documents", timeout=30_000)
            assert shown not in header.inner_text()
        finally:
            browser.close()
