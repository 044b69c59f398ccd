"""`kg query` and `kg serve` over the on-disk store `kg build` writes (out/store).

The seeds are built once with the real command (serving.seed_graph: `kg build seeds/
-o OUT`, which writes OUT/graph.trig and OUT/store). Every answer from the store is
compared with the answer from the same build's graph.trig, loaded as before.
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
from serving import _env, kg, kg_command, seed_graph

from kg.graph.store import write_store
from kg.query.engine import Engine
from kg.query.library import DEFAULT_PREFIXES, RDF_NS, load_query

XUCHANG = "国家许昌经济技术开发区"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# (library query, parameters): plain SELECTs, a parameter bound, the evidence in named graphs
COMPARED = [
    ("zone-enterprises", ["zone=许昌"]),
    ("zone-investment", []),
    ("evidence", ["subject=许昌经开区", "relation=hosts", "object=迅达"]),
    ("projects-above", ["min=1e9"]),
]


@pytest.fixture(scope="module")
def out() -> Path:
    """The build's output directory, with graph.trig and the store."""
    out = seed_graph().parent
    assert (out / "store").is_dir(), "kg build wrote no store"
    return out


def kg_at(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """`kg ARGS` run in ``cwd`` (for the default out/store, out/graph.trig)."""
    return subprocess.run([*kg_command(), *args], cwd=cwd, env=_env(), capture_output=True, text=True,
                          encoding="utf-8", stdin=subprocess.DEVNULL, timeout=300)


def rows(proc: subprocess.CompletedProcess) -> list[tuple]:
    """The rows of a `--format json` answer, order-free (GROUP_CONCAT lists sorted too)."""
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    out = []
    for b in data["results"]["bindings"]:
        out.append(tuple(sorted((v, "、".join(sorted(t["value"].split("、"))), t.get("datatype", ""))
                                for v, t in b.items())))
    return sorted(out)


def copy_build(out: Path, dest: Path) -> Path:
    """A copy of the build as dest/out (the store link stays a link)."""
    target = dest / "out"
    shutil.copytree(out, target, symlinks=True, ignore=shutil.ignore_patterns(".cache", "views"))
    assert (target / "store").is_symlink() and (target / "store").is_dir()
    return target


# --------------------------------------------------------------------------
# kg query --store


@pytest.mark.parametrize("name,params", COMPARED)
def test_store_gives_the_rows_of_the_trig(out, name, params):
    args = [a for p in params for a in ("--param", p)]
    from_file = rows(kg("query", name, "--graph", str(out / "graph.trig"), "--format", "json", *args))
    assert from_file, f"{name} found nothing on the seed graph"
    assert rows(kg("query", name, "--store", str(out), "--format", "json", *args)) == from_file
    assert rows(kg("query", name, "--store", str(out / "store"), "--format", "json", *args)) == from_file


def test_store_construct_and_table(out):
    args = ["zone-graph", "--param", "zone=鹤壁", "--format", "ntriples"]
    from_file = kg("query", *args, "--graph", str(out / "graph.trig"))
    from_store = kg("query", *args, "--store", str(out))
    assert from_store.returncode == 0, from_store.stderr
    assert sorted(from_store.stdout.splitlines()) == sorted(from_file.stdout.splitlines())
    assert len(from_store.stdout.splitlines()) > 10
    table = kg("query", "zone-enterprises", "--param", "zone=许昌", "--store", str(out))
    assert table.returncode == 0 and XUCHANG in table.stdout and "rows in" in table.stderr


def test_default_is_the_store_then_the_trig(out, tmp_path):
    build = copy_build(out, tmp_path)
    args = ["zone-investment", "--format", "json"]
    expected = rows(kg("query", *args, "--graph", str(out / "graph.trig")))
    assert rows(kg_at(tmp_path, "query", *args)) == expected
    # Only the store is there: the default reads it.
    (build / "graph.trig").rename(tmp_path / "graph.trig")
    assert rows(kg_at(tmp_path, "query", *args)) == expected
    # A graph.trig newer than the store (a later `kg build --no-store` leaves the old
    # store behind) is the current graph: here a graph of one zone.
    zone = ox.NamedNode("https://w3id.org/zonekg/id/zone/test")
    kg_ns = "https://w3id.org/zonekg/ontology#"
    ox.serialize([ox.Quad(zone, ox.NamedNode(RDF_NS + "type"), ox.NamedNode(kg_ns + "Zone")),
                  ox.Quad(zone, ox.NamedNode(DEFAULT_PREFIXES["rdfs"] + "label"), ox.Literal("测试开发区"))],
                 output=str(build / "graph.trig"), format=ox.RdfFormat.TRIG)
    future = time.time() + 60
    os.utime(build / "graph.trig", (future, future))
    zones = tmp_path / "zones.rq"
    zones.write_text("SELECT ?name WHERE { ?z a kg:Zone ; rdfs:label ?name }", encoding="utf-8")
    newer = kg_at(tmp_path, "query", str(zones), "--format", "csv")
    assert newer.returncode == 0, newer.stderr
    assert newer.stdout.splitlines() == ["name", "测试开发区"]
    assert "out/graph.trig is newer than out/store" in newer.stderr
    assert XUCHANG in kg_at(tmp_path, "query", str(zones), "--store", "out").stdout
    # Neither: the old message about the missing file.
    shutil.rmtree(build)
    missing = kg_at(tmp_path, "query", "summary")
    assert missing.returncode == 2 and "graph file not found: out/graph.trig" in missing.stderr


def test_store_time_limit_and_row_cap(out, tmp_path):
    slow = tmp_path / "slow.rq"
    slow.write_text(SLOW, encoding="utf-8")
    started = time.monotonic()
    proc = kg("query", str(slow), "--store", str(out), "--timeout", "1")
    assert proc.returncode == 1 and "time limit of 1 s" in proc.stderr
    assert time.monotonic() - started < 20
    capped = kg("query", "zone-enterprises", "--store", str(out), "--max-rows", "3", "--format", "csv")
    assert capped.returncode == 0, capped.stderr
    assert len(capped.stdout.splitlines()) == 1 + 3
    assert "result capped at 3 rows" in capped.stderr


@pytest.mark.parametrize("how,message", [
    ("missing", "no Oxigraph store at"),
    ("file", "not a store directory"),
    ("not-a-store", "no Oxigraph store at"),
    ("broken", "cannot open the Oxigraph store at"),
])
def test_store_errors_are_one_line(out, tmp_path, how, message):
    path = {"missing": tmp_path / "nowhere", "file": out / "graph.trig", "not-a-store": tmp_path}.get(how)
    if how == "broken":  # a database whose manifest is gone
        path = tmp_path / "broken"
        path.mkdir()
        (path / "CURRENT").write_text("MANIFEST-000009\n")
    proc = kg("query", "summary", "--store", str(path))
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], proc.stderr
    assert str(path) in lines[0]


def test_conflicting_sources_are_refused(out):
    proc = kg("query", "summary", "--store", str(out), "--graph", str(out / "graph.trig"))
    assert proc.returncode == 2 and "not both" in proc.stderr
    proc = kg("query", "summary", "--graph", str(out / "store"))
    assert proc.returncode == 2 and "--store" in proc.stderr  # the hint for a directory


# --------------------------------------------------------------------------
# The engine: several read-only workers on one store; a rebuild is picked up


def test_workers_share_the_store_and_follow_a_rebuild(out, tmp_path):
    build = copy_build(out, tmp_path)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    with Engine(store=build, timeout=30, workers=2) as engine:
        assert engine.graph == build / "store" and engine.name == "out/store"
        assert engine.views_dir == build / "views"
        # Both workers open the store at once (read-only) and answer in parallel.
        deadline = time.monotonic() + 60
        while len(engine._all) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(engine._all) == 2
        answers = []
        threads = [threading.Thread(target=lambda: answers.append(engine.query(count).rows[0][0].value))
                   for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(answers) == 4 and len(set(answers)) == 1 and int(answers[0]) > 1000
        quads_before = engine.quads
        # A new build publishes a new store: the next query opens it.
        one = ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"),
                      ox.Literal("o"), ox.NamedNode("https://example.org/g"))
        write_store([one], build)
        assert engine.query(count).rows[0][0].value == "1"
        assert engine.quads == 1 != quads_before


# --------------------------------------------------------------------------
# kg serve over the store


def test_serve_the_store(out, tmp_path, kg_serve):
    zones = "SELECT ?zone WHERE { ?z a kg:Zone ; rdfs:label ?zone } ORDER BY ?zone"
    with Engine(out / "graph.trig", timeout=30) as engine:
        expected = [row[0].value for row in engine.query(zones).rows]
        quads = engine.quads
    with kg_serve("--store", str(out), "--workers", "1", "--timeout", "2") as served, \
            httpx.Client(base_url=served.url, timeout=30) as client:
        assert "(Oxigraph store, " in served.output()
        info = client.get("/api/queries").json()
        assert info["quads"] == quads and info["graph"].endswith("/store")
        r = client.get("/sparql", params={"query": zones}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200
        assert [b["zone"]["value"] for b in r.json()["results"]["bindings"]] == expected
        # Library parameters, CSV, the named graphs of evidence
        text = load_query("evidence").text
        r = client.post("/sparql", data={"query": text, "param.subject": "许昌经开区", "param.relation": "hosts",
                                         "param.object": "迅达"}, headers={"Accept": "text/csv"})
        assert r.status_code == 200 and "西继迅达电梯有限公司" in r.text
        # The time limit: the worker is killed, a new one opens the store and answers.
        r = client.post("/sparql", data={"query": SLOW})
        assert r.status_code == 503 and "time limit" in r.text
        r = client.get("/sparql", params={"query": "ASK { ?z a kg:Zone }"})
        assert r.status_code == 200 and r.json()["boolean"] is True


def test_serve_defaults_to_out_store(out, tmp_path, kg_serve):
    copy_build(out, tmp_path)
    with kg_serve("--workers", "1", cwd=tmp_path) as served, httpx.Client(base_url=served.url, timeout=30) as c:
        assert "Serving out/store (Oxigraph store, " in served.output()
        r = c.get("/sparql", params={"query": "ASK { ?z a kg:Zone }"})
        assert r.status_code == 200 and r.json()["boolean"] is True
