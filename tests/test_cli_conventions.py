"""One set of conventions across the verbs of `kg` (CHANGELOG.md, "one set of command-line
conventions"): flags shown without a value type, formats by any common name and case,
the built graph named --graph FILE or --store DIR, and every failure one `error:` line
with exit status 2."""
from __future__ import annotations

import socket

import pytest
from serving import kg, seed_graph
from typer.testing import CliRunner

from kg.cli import app

VERBS = ("build", "eval", "analyze", "viz", "query", "serve", "export", "push")


@pytest.mark.parametrize("verb", VERBS)
def test_help_shows_no_bool_type_for_flags(verb):
    result = CliRunner().invoke(app, [verb, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output
    assert "--help" in result.output  # the help was rendered, flags and all


def test_the_top_level_help_lists_the_verbs_in_the_order_of_use():
    out = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    assert "<bool>" not in out
    positions = [out.index(f" {v} ") for v in VERBS]
    assert positions == sorted(positions), out


@pytest.mark.parametrize("given,written", [("TTL", "graph.ttl"), ("nt", "graph.nt"), ("N-Quads", "graph.nq"),
                                           ("json-ld", "graph.jsonld"), ("GraphML", "graph.graphml")])
def test_export_takes_short_names_in_any_case(tmp_path, given, written):
    out = tmp_path / written
    proc = kg("export", "--graph", str(seed_graph()), "--format", given, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 0
    # the same bytes as the canonical name gives
    canonical = tmp_path / f"canonical-{written}"
    fmt = {"graph.ttl": "turtle", "graph.nt": "ntriples", "graph.nq": "nquads", "graph.jsonld": "jsonld",
           "graph.graphml": "graphml"}[written]
    assert kg("export", "--graph", str(seed_graph()), "--format", fmt, "-o", str(canonical)).returncode == 0
    assert out.read_bytes() == canonical.read_bytes()


def test_query_takes_short_names_in_any_case():
    graph = str(seed_graph())
    short = kg("query", "zone-graph", "--graph", graph, "--param", "zone=许昌", "--format", "NT")
    long = kg("query", "zone-graph", "--graph", graph, "--param", "zone=许昌", "--format", "ntriples")
    assert short.returncode == 0, short.stderr
    assert short.stdout == long.stdout and "<https://w3id.org/zonekg/ontology#hosts>" in short.stdout


@pytest.mark.parametrize("verb", ["export", "query"])
def test_an_unknown_format_is_one_error_line(verb):
    args = ["export", "--graph", str(seed_graph()), "--format", "yaml"] if verb == "export" else \
        ["query", "--graph", str(seed_graph()), "--format", "yaml", "zone-enterprises"]
    proc = kg(*args)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: unknown format 'yaml'"), proc.stderr


def test_serve_on_a_port_in_use_is_one_error_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = kg("serve", "--graph", str(seed_graph()), "--port", str(port), timeout=120)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"error: cannot listen on 127.0.0.1:{port}:"), proc.stderr
    assert "Serving" not in proc.stderr and "Traceback" not in proc.stderr


def test_push_reads_graph_or_store_and_refuses_both(tmp_path):
    graph = seed_graph()
    both = kg("push", "--endpoint", "http://127.0.0.1:9/store", "--graph", str(graph), "--store", str(graph.parent))
    assert both.returncode == 2 and both.stderr.startswith("error: give --graph"), both.stderr
    missing = kg("push", "--endpoint", "http://127.0.0.1:9/store", "--store", str(tmp_path / "nothing"))
    assert missing.returncode == 2 and missing.stderr.startswith("error:"), missing.stderr
    old = kg("push", "--endpoint", "http://127.0.0.1:9/store", "--source", str(graph))
    assert old.returncode == 2 and "--source" in old.stderr  # the old name is gone, not silently taken
