"""`kg push` and `kg.query.remote` against a real Oxigraph server.

The server is the `oxigraph` binary of the PyPI package `oxigraph` (in the `test`
extra), started by the tests on a free loopback port with an on-disk store in a
temporary directory, and stopped (or killed) by them. Nothing leaves 127.0.0.1.
"""
from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import sysconfig
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from serving import _cwd, _env, free_port, kg, kg_command, seed_graph

from kg.export import push as pu
from kg.query.engine import Engine, syntax_location
from kg.query.library import list_queries, load_query
from kg.query.remote import (
    EndpointError,
    QueryRefused,
    QuerySyntaxError,
    RemoteEngine,
    query_endpoint,
)
from kg.query.results import serialize

LOADED = re.compile(r"loaded (\d+) of (\d+) triples")
UNCONFIRMED = re.compile(r"a batch of (\d+) triples? was sent but not confirmed")


def oxigraph_binary() -> str | None:
    """The `oxigraph` server of the pip package, next to this interpreter, else on PATH."""
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    local = Path(sysconfig.get_path("scripts")) / name
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which("oxigraph")


class OxigraphServer:
    """`oxigraph serve --location DIR --bind 127.0.0.1:PORT`, started and stopped by a test."""

    def __init__(self, binary: str, location: Path) -> None:
        self.binary = binary
        self.location = location
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.log = tempfile.TemporaryFile()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def store_url(self) -> str:
        return self.base + "/store"

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    def start(self, timeout: float = 30.0) -> OxigraphServer:
        assert self.proc is None or self.proc.poll() is not None
        self.port = free_port()
        self.proc = subprocess.Popen([self.binary, "serve", "--location", str(self.location),
                                      "--bind", f"127.0.0.1:{self.port}"],
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"oxigraph exited with {self.proc.returncode}: {self.log.read().decode()}")
            try:
                r = httpx.post(self.query_url, data={"query": "ASK {}"}, timeout=2)
                if r.status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph did not answer within {timeout} s")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: the server dies at once, as in a crash."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        if self.proc is not None:
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def counts(self) -> dict[str | None, int]:
        """Triples per graph on the server (None: the default graph)."""
        r = query_endpoint(self.query_url, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        out: dict[str | None, int] = {row[0].value: int(row[1].value) for row in r.rows}
        d = query_endpoint(self.query_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        out[None] = int(d.rows[0][0].value)
        return {g: n for g, n in out.items() if n}

    def total(self) -> int:
        return sum(self.counts().values())


@pytest.fixture
def server(binary, tmp_path):
    srv = OxigraphServer(binary, tmp_path / "oxigraph-db")
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
        srv.log.close()


@pytest.fixture(scope="module")
def graph() -> Path:
    return seed_graph()


@pytest.fixture(scope="module")
def local_counts(graph) -> dict[str | None, int]:
    store = ox.Store()
    store.bulk_load(path=str(graph), format=ox.RdfFormat.TRIG)
    out: dict[str | None, int] = {None: len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))}
    for g in store.named_graphs():
        out[g.value] = len(list(store.quads_for_pattern(None, None, None, g)))
    return out


def push_cli(server_url: str, graph: Path, *extra: str) -> subprocess.CompletedProcess:
    return kg("push", "--endpoint", server_url, "--graph", str(graph), *extra)


# --------------------------------------------------------------------------
# Push, query back, push again


def test_push_then_query_back(server, graph, local_counts):
    proc = push_cli(server.store_url, graph)
    assert proc.returncode == 0, proc.stderr
    total = sum(local_counts.values())
    assert f"loaded {total} of {total} triples" in proc.stdout
    assert "Verified: the server holds" in proc.stdout
    assert server.counts() == local_counts
    # The library queries give the same answers from the server as from the file (those
    # with GROUP_CONCAT are left out: the order of the values it joins is up to the engine).
    compared = 0
    with Engine(graph, timeout=30, max_rows=None) as engine:
        for q in list_queries():
            if "GROUP_CONCAT" in q.text:
                continue
            local = engine.query(q.text)
            remote = query_endpoint(server.query_url, q.text)
            assert remote.kind == local.kind and remote.variables == local.variables, q.name
            assert sorted(map(str, remote.rows)) == sorted(map(str, local.rows)), q.name
            assert sorted(map(str, remote.triples)) == sorted(map(str, local.triples)), q.name
            compared += remote.count > 0
    assert compared >= 5


def test_push_again_is_idempotent(server, graph, local_counts):
    for _ in range(2):
        proc = push_cli(server.store_url, graph, "--replace", "--batch-size", "300")
        assert proc.returncode == 0, proc.stderr
        assert server.counts() == local_counts
    # --add puts the same set of triples again: RDF graphs are sets, nothing doubles.
    proc = push_cli(server.store_url, graph, "--add", "--batch-size", "300")
    assert proc.returncode == 0, proc.stderr
    assert server.counts() == local_counts
    # The build's on-disk store is a source too, and holds the same quads.
    store_dir = graph.parent / "store"
    if store_dir.exists():
        proc = push_cli(server.store_url, store_dir)
        assert proc.returncode == 0, proc.stderr
        assert server.counts() == local_counts


def test_add_keeps_what_replace_removes(server, graph, local_counts, tmp_path):
    """--add leaves triples of an earlier push that the new build no longer has; --replace does not."""
    extra = tmp_path / "extra.nq"
    extra.write_text("<https://example.org/stale> <http://www.w3.org/2000/01/rdf-schema#label> \"old\" .\n")
    assert push_cli(server.store_url, extra).returncode == 0
    proc = push_cli(server.store_url, graph, "--add")
    assert proc.returncode == 0, proc.stderr
    assert server.counts()[None] == local_counts[None] + 1
    proc = push_cli(server.store_url, graph, "--replace")
    assert proc.returncode == 0, proc.stderr
    assert server.counts() == local_counts


def test_push_into_a_named_graph(server, graph, local_counts):
    target = "https://example.org/zonekg/build-1"
    proc = push_cli(server.store_url, graph, "--into", target)
    assert proc.returncode == 0, proc.stderr
    counts = server.counts()
    assert None not in counts  # the server's default graph is left alone
    expected = {pu.target_for(g, target): n for g, n in local_counts.items()}
    assert counts == expected
    assert all(g == target or g.startswith(target + "/doc/") for g in counts)
    # Library queries run against that graph through the protocol's default-graph-uri.
    text = load_query("zone-investment").text
    assert query_endpoint(server.query_url, text).count == 0
    assert query_endpoint(server.query_url, text, default_graph=[target]).count > 0


# --------------------------------------------------------------------------
# Failures: the server stops halfway, refuses, or errs


def test_server_killed_between_batches(server, graph):
    """Killed after a known number of confirmed batches: the report counts exactly those."""
    store = pu.open_source(graph)
    kill_after = 7

    def progress(report):
        if report.loaded_batches == kill_after:
            server.kill()

    with pytest.raises(pu.PushError) as info:
        pu.push(store, server.store_url, batch_size=100, retries=2, retry_wait=0.01, progress=progress)
    report = info.value.report
    assert info.value.kind == "unreachable"
    assert "cannot connect" in str(info.value)
    assert report.loaded_batches == kill_after
    assert report.unconfirmed_triples == 0  # the next batch never reached the server
    assert report.loaded_triples < report.total_triples
    server.start()  # the same store directory, a new port
    assert server.total() == report.loaded_triples


def test_server_killed_during_cli_push(server, graph, local_counts):
    """`kg push` in one-triple batches; the server is SIGKILLed when about a third is in."""
    total = sum(local_counts.values())
    proc = subprocess.Popen([*kg_command(), "push", "--endpoint", server.store_url, "--graph", str(graph),
                             "--batch-size", "1", "--retries", "2", "--retry-wait", "0.05", "--timeout", "10"],
                            cwd=_cwd(), env=_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, "the push ended before the server was stopped"
            assert time.monotonic() < deadline, "the push made no progress"
            try:
                if server.total() >= total // 3:
                    break
            except EndpointError:
                pass
            time.sleep(0.01)
        server.kill()
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 2, (stdout, stderr)
    assert "error:" in stderr and "Traceback" not in stderr
    m = LOADED.search(stderr)
    assert m, stderr
    loaded, of = int(m.group(1)), int(m.group(2))
    assert of == total and 0 < loaded < total
    server.start()
    have = server.total()
    # A triple the server confirmed is never missing, and nothing is counted that was
    # not confirmed. Only a batch whose request was on its way when the server died can
    # be stored without its confirmation having arrived; the report says so when it may.
    unconfirmed = UNCONFIRMED.search(stderr)
    if unconfirmed:
        assert have in (loaded, loaded + int(unconfirmed.group(1)))
    else:
        assert have == loaded


def test_refused_with_a_clear_error(server, graph):
    proc = push_cli(server.base + "/no-such-endpoint", graph)
    assert proc.returncode == 2
    assert "refused" in proc.stderr and "HTTP 404" in proc.stderr
    assert "loaded 0 of" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert server.counts() == {}


def test_unreachable(graph):
    proc = push_cli(f"http://127.0.0.1:{free_port()}/store", graph, "--retries", "1", "--retry-wait", "0.01")
    assert proc.returncode == 2
    assert "cannot connect" in proc.stderr and "loaded 0 of" in proc.stderr


@pytest.mark.parametrize("args,message", [
    (["--into", "not an iri"], "absolute IRI"),
    (["--batch-size", "0"], "batch-size"),
    (["--graph", "missing/graph.trig"], "not found"),
])
def test_bad_arguments(graph, args, message):
    if "--graph" not in args:
        args = ["--graph", str(graph), *args]
    proc = kg("push", "--endpoint", "http://127.0.0.1:9/store", *args)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


class FlakyStore(http.server.BaseHTTPRequestHandler):
    """A Graph Store that answers 503 to the first `failures` requests, then 204."""

    failures = 0
    seen: list = []

    def do_PUT(self):  # noqa: N802
        self._answer()

    do_POST = do_PUT  # noqa: N815

    def _answer(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        cls = type(self)
        cls.seen.append((self.command, self.path, body))
        if len(cls.seen) <= cls.failures:
            self.send_response(503)
            self.send_header("Retry-After", "0")
            self.send_header("Content-Length", "4")
            self.end_headers()
            self.wfile.write(b"busy")
        else:
            self.send_response(204)
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky():
    FlakyStore.seen = []
    FlakyStore.failures = 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FlakyStore)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/store"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_retries_5xx_then_succeeds(flaky, graph, local_counts):
    FlakyStore.failures = 2
    report = pu.push(pu.open_source(graph), flaky, retries=3, retry_wait=0.01, verify=False)
    assert report.retries == 2
    assert report.loaded_triples == sum(local_counts.values())
    methods = [(m, p.split("?", 1)[1].split("=", 1)[0]) for m, p, _ in FlakyStore.seen[2:]]
    assert methods[0] == ("PUT", "default")  # replace: each graph starts with a PUT
    assert all(m == "PUT" for m, _ in methods)  # one batch per graph here


def test_5xx_forever_is_reported_not_loaded(flaky, graph):
    FlakyStore.failures = 10**6
    with pytest.raises(pu.PushError) as info:
        pu.push(pu.open_source(graph), flaky, retries=2, retry_wait=0.01, verify=False)
    assert info.value.kind == "unreachable" and "HTTP 503" in str(info.value)
    assert info.value.report.loaded_triples == 0
    assert len(FlakyStore.seen) == 3


def test_add_mode_posts_in_batches(flaky, graph, local_counts):
    report = pu.push(pu.open_source(graph), flaky, mode="add", batch_size=250, verify=False)
    assert {m for m, _, _ in FlakyStore.seen} == {"POST"}
    sent = sum(len(body.splitlines()) for _, _, body in FlakyStore.seen)
    assert sent == report.loaded_triples == sum(local_counts.values())
    assert all(len(body.splitlines()) <= 250 for _, _, body in FlakyStore.seen)


# --------------------------------------------------------------------------
# Graph naming and endpoints


def test_target_graph_names():
    doc = "https://w3id.org/zonekg/id/doc/0123456789abcdef"
    assert pu.target_for(None, None) is None
    assert pu.target_for(doc, None) == doc
    assert pu.target_for(None, "https://example.org/kg") == "https://example.org/kg"
    assert pu.target_for(doc, "https://example.org/kg") == "https://example.org/kg/doc/0123456789abcdef"
    assert pu.target_for(doc, "https://example.org/kg#") == "https://example.org/kg#doc/0123456789abcdef"
    assert pu.target_for("http://other/g", "https://example.org/kg").startswith("https://example.org/kg/graph/")
    assert pu.graph_url("http://h:1/store", None) == "http://h:1/store?default"
    assert pu.graph_url("http://h:1/store", "http://a/b c") == "http://h:1/store?graph=http%3A%2F%2Fa%2Fb%20c"
    assert pu.guess_query_endpoint("http://h:7878/store") == "http://h:7878/query"
    assert pu.guess_query_endpoint("http://h:3030/ds/data") == "http://h:3030/ds/sparql"
    assert pu.guess_query_endpoint("http://h:7200/repositories/r/rdf-graphs/service") == "http://h:7200/repositories/r"
    assert pu.guess_query_endpoint("http://h:8890/sparql-graph-crud") == "http://h:8890/sparql"
    assert pu.guess_query_endpoint("http://h/elsewhere") is None
    assert pu.redact("http://user:secret@h:3030/ds/data") == "http://user:***@h:3030/ds/data"
    assert pu.redact("http://h:3030/ds/data") == "http://h:3030/ds/data"


# --------------------------------------------------------------------------
# kg.query.remote: the library `kg query --endpoint` and `kg serve --endpoint` use


def test_remote_queries(server, graph):
    assert push_cli(server.store_url, graph).returncode == 0
    r = query_endpoint(server.query_url, "SELECT ?z WHERE { ?z a kg:Zone ; rdfs:label ?l } ORDER BY ?z")
    assert r.kind == "select" and r.variables == ["z"] and r.count >= 3
    assert query_endpoint(server.query_url, "ASK { ?z a kg:Zone }").boolean is True
    g = query_endpoint(server.query_url, "CONSTRUCT { ?z a kg:Zone } WHERE { ?z a kg:Zone }")
    assert g.kind == "graph" and len(g.triples) == r.count
    capped = query_endpoint(server.query_url, "SELECT * WHERE { ?s ?p ?o }", max_rows=5)
    assert capped.count == 5 and capped.truncated
    xml = query_endpoint(server.query_url, "SELECT ?z WHERE { ?z a kg:Zone }", accept="application/sparql-results+xml")
    assert sorted(map(str, xml.rows)) == sorted(map(str, r.rows))
    # The local serialisers take a remote result as they take a local one.
    assert serialize(r, "csv").startswith(b"z\r\n")
    with pytest.raises(QuerySyntaxError) as info:
        query_endpoint(server.query_url, "SELECT ?z WHERE {\n  ?z a kg:Zone .\n  FILTER(?z = ) }")
    assert syntax_location(str(info.value))[0] == 3  # the line in the query as written
    with pytest.raises(QueryRefused):
        query_endpoint(server.query_url, "DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(QueryRefused):
        query_endpoint(server.query_url, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    with RemoteEngine(server.query_url, timeout=10, max_rows=3) as engine:
        assert engine.query("SELECT * WHERE { ?s ?p ?o }").count == 3
        assert engine.count() == server.counts()[None]
    server.kill()
    with pytest.raises(EndpointError):
        query_endpoint(server.query_url, "ASK {}")
