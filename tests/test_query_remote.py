"""`kg query --endpoint` and `kg serve --endpoint`: the library against a remote SPARQL endpoint.

The endpoint is a real Oxigraph server (the `oxigraph` binary of the PyPI package, as in
test_push.py) on a free loopback port, holding the seed graph pushed with `kg.export.push`; the
answers are compared with the same queries on the local graph.trig. Failures a real
server does not produce on demand (a 500 with a long HTML page, an answer that never
comes, rows that trickle in) come from small HTTP servers in this process.
"""
from __future__ import annotations

import http.server
import json
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
from serving import free_port, kg, seed_graph
from test_push import OxigraphServer

from kg.export import push as pu
from kg.query.engine import Engine
from kg.query.library import load_query
from kg.query.remote import EndpointError, EndpointTimeout, query_endpoint, redact_url

# (library query, parameters), compared row by row with the local graph
COMPARED = [
    ("zone-enterprises", ["zone=许昌"]),
    ("evidence", ["subject=许昌经开区", "relation=hosts", "object=迅达"]),
    ("projects-above", ["min=1e9"]),
    ("zone-investment", []),
]
SECRET = "s3cret-token"


@pytest.fixture(scope="module")
def graph() -> Path:
    return seed_graph()


@pytest.fixture(scope="module")
def oxigraph(binary, graph, tmp_path_factory):
    """An Oxigraph server holding the seed graph (default graph and provenance graphs)."""
    srv = OxigraphServer(binary, tmp_path_factory.mktemp("oxigraph") / "db")
    srv.start()
    try:
        pu.push(pu.open_source(graph), srv.store_url, verify=True)
        yield srv
    finally:
        srv.stop()
        srv.log.close()


@pytest.fixture
def stopped(binary, tmp_path) -> str:
    """The query URL of an Oxigraph server that was running and has been stopped."""
    srv = OxigraphServer(binary, tmp_path / "db").start()
    url = srv.query_url
    assert query_endpoint(url, "ASK {}").boolean is True  # it answers
    srv.stop()
    srv.log.close()
    return url


def with_credentials(url: str) -> str:
    return url.replace("http://", f"http://alice:{SECRET}@", 1)


def rows(proc: subprocess.CompletedProcess) -> list[tuple]:
    """The rows of a `--format json` answer, order-free (GROUP_CONCAT lists sorted too)."""
    assert proc.returncode == 0, proc.stderr
    return json_rows(json.loads(proc.stdout))


def json_rows(data: dict) -> list[tuple]:
    out = []
    for b in data["results"]["bindings"]:
        out.append(tuple(sorted((v, "、".join(sorted(t["value"].split("、"))), t.get("datatype", ""))
                                for v, t in b.items())))
    return sorted(out)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    return lines[0]


# --------------------------------------------------------------------------
# Small misbehaving endpoints


class Misbehaving(http.server.BaseHTTPRequestHandler):
    """mode "error": 500 with a long HTML page; "hang": no answer; "trickle": a 200 whose
    body comes one space every 0.3 s."""

    protocol_version = "HTTP/1.1"
    mode = "error"
    release = threading.Event()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            if self.mode == "hang":
                self.release.wait(30)
                return
            if self.mode == "trickle":
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                while not self.release.wait(0.3):
                    self.wfile.write(b"1\r\n \r\n")
                    self.wfile.flush()
                return
            page = ("<html><head><title>Error</title><style>body{color:red}</style></head><body><h1>Internal "
                    "error</h1><p>java.lang.OutOfMemoryError: Java heap space &amp; more</p>"
                    + "<p>at org.example.Frame.run(Frame.java:1)</p>" * 200 + "</body></html>").encode()
            self.send_response(500)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
        except OSError:
            pass  # the client gave up

    def log_message(self, *args):
        pass


@pytest.fixture
def misbehaving():
    """Start a misbehaving endpoint: ``misbehaving(mode)`` gives its URL (with ?access_token=)."""
    servers = []
    Misbehaving.release = threading.Event()

    def start(mode: str) -> str:
        handler = type("Handler", (Misbehaving,), {"mode": mode})
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}/sparql?access_token={SECRET}"

    try:
        yield start
    finally:
        Misbehaving.release.set()
        for httpd in servers:
            httpd.shutdown()
            httpd.server_close()


# --------------------------------------------------------------------------
# kg query --endpoint


@pytest.mark.parametrize("name,params", COMPARED)
def test_endpoint_gives_the_rows_of_the_local_graph(oxigraph, graph, name, params):
    args = [a for p in params for a in ("--param", p)]
    local = rows(kg("query", name, "--graph", str(graph), "--format", "json", *args))
    assert local, f"{name} found nothing on the seed graph"
    assert rows(kg("query", name, "--endpoint", oxigraph.query_url, "--format", "json", *args)) == local


def test_endpoint_formats(oxigraph, graph):
    args = ["zone-graph", "--param", "zone=鹤壁", "--format", "ntriples"]
    local = kg("query", *args, "--graph", str(graph))
    remote = kg("query", *args, "--endpoint", oxigraph.query_url)
    assert remote.returncode == 0, remote.stderr
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines()) and len(local.stdout) > 100
    table = kg("query", "zone-enterprises", "--param", "zone=许昌", "--endpoint", oxigraph.query_url)
    assert table.returncode == 0 and "西继迅达电梯有限公司" in table.stdout and "rows in" in table.stderr
    csv = kg("query", "evidence", "-p", "subject=许昌经开区", "-p", "relation=hosts", "-p", "object=迅达", "--format", "csv",
             "--endpoint", oxigraph.query_url)
    assert csv.stdout.splitlines()[0] == "subject,relation,object,document,sentence,start,end"
    assert "西张迅达电梯有限公司生产车间" in csv.stdout


def test_endpoint_row_cap(oxigraph):
    proc = kg("query", "zone-enterprises", "--endpoint", oxigraph.query_url, "--max-rows", "4", "--format", "tsv")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 1 + 4
    assert "result capped at 4 rows" in proc.stderr


def test_endpoint_malformed_query_points_at_the_line(oxigraph, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# a broken query\nSELECT ?x WHERE {\n  ?x kg:hosts\n}\n", encoding="utf-8")
    proc = kg("query", str(bad), "--endpoint", oxigraph.query_url)
    assert proc.returncode == 2
    assert f"{bad}:4:1: malformed query" in proc.stderr and "Traceback" not in proc.stderr


def test_endpoint_http_errors(oxigraph):
    # The Graph Store endpoint instead of the query endpoint: Oxigraph answers 415.
    proc = kg("query", "summary", "--endpoint", oxigraph.store_url)
    assert proc.returncode == 1
    line = one_line_error(proc)
    assert "HTTP 415" in line and "/query" in line  # with the hint
    proc = kg("query", "summary", "--endpoint", oxigraph.base + "/nowhere")
    assert proc.returncode == 1 and "HTTP 404" in one_line_error(proc)


def test_endpoint_server_error_is_shortened_and_redacted(misbehaving):
    url = misbehaving("error")
    proc = kg("query", "summary", "--endpoint", url)
    assert proc.returncode == 1
    line = one_line_error(proc)
    assert "HTTP 500" in line and "java.lang.OutOfMemoryError: Java heap space & more" in line
    assert "<" not in line.split("HTTP 500", 1)[1] and "color:red" not in line
    assert len(line) < 500
    assert SECRET not in proc.stderr and "access_token=***" in line


def test_endpoint_timeout(misbehaving):
    url = misbehaving("hang")
    started = time.monotonic()
    proc = kg("query", "summary", "--endpoint", url, "--timeout", "1")
    assert proc.returncode == 1
    assert "time limit of 1 s" in one_line_error(proc)
    assert time.monotonic() - started < 15


def test_time_limit_holds_while_rows_trickle_in(misbehaving):
    """A server that keeps sending, slowly, never trips a read timeout: the limit is on the whole answer."""
    url = misbehaving("trickle")
    started = time.monotonic()
    with pytest.raises(EndpointTimeout):
        query_endpoint(url, "SELECT * WHERE { ?s ?p ?o }", timeout=1.5)
    assert time.monotonic() - started < 3


def test_stopped_server(stopped):
    proc = kg("query", "summary", "--endpoint", with_credentials(stopped))
    assert proc.returncode == 1
    line = one_line_error(proc)
    assert "cannot reach the SPARQL endpoint" in line and "alice:***@127.0.0.1" in line
    assert SECRET not in proc.stderr
    with pytest.raises(EndpointError):
        query_endpoint(stopped, "ASK {}")


@pytest.mark.parametrize("args", [["--graph", "g.trig"], ["--store", "out"]])
@pytest.mark.parametrize("command", ["query", "serve"])
def test_endpoint_excludes_local_sources(command, args):
    cmd = ["query", "summary"] if command == "query" else ["serve", "--port", str(free_port())]
    proc = kg(*cmd, "--endpoint", "http://127.0.0.1:9/query", *args)
    assert proc.returncode == 2
    assert "cannot be combined with --graph or --store" in one_line_error(proc)


def test_not_an_endpoint_url():
    proc = kg("query", "summary", "--endpoint", f"ftp://alice:{SECRET}@example.org/sparql")
    assert proc.returncode == 2 and "not an http(s) endpoint URL" in one_line_error(proc)
    assert SECRET not in proc.stderr


def test_redact_url():
    assert redact_url(f"http://alice:{SECRET}@h:7878/query") == "http://alice:***@h:7878/query"
    assert redact_url(f"https://{SECRET}@h/sparql") == "https://***@h/sparql"
    assert redact_url(f"http://alice:{SECRET}@[::1]:7878/query") == "http://alice:***@[::1]:7878/query"
    assert redact_url(f"http://h/sparql?apikey={SECRET}&x=1") == "http://h/sparql?apikey=***&x=1"
    assert SECRET not in redact_url(f"http://alice:{SECRET}@h:notaport/query")
    assert redact_url("http://h:7878/query") == "http://h:7878/query"


# --------------------------------------------------------------------------
# kg serve --endpoint


def test_serve_proxies_to_the_endpoint(oxigraph, graph, kg_serve):
    with Engine(graph, timeout=30) as engine:
        quads = engine.quads
    before = oxigraph.counts()
    url = with_credentials(oxigraph.query_url)  # Oxigraph ignores them; they must never be shown
    with kg_serve("--endpoint", url, "--max-rows", "50") as served, \
            httpx.Client(base_url=served.url, timeout=30) as client:
        log = served.output()
        assert f"(remote SPARQL endpoint, {quads} quads)" in log and SECRET not in log
        info = client.get("/api/queries").json()
        assert info["graph"] == redact_url(url) and info["quads"] == quads and info["views"] is None
        assert len(info["queries"]) >= 10
        assert client.get("/").status_code == 200
        # The library query with a parameter, over GET and POST, compared with the local answer.
        name, params = COMPARED[0]
        local = rows(kg("query", name, "--graph", str(graph), "--format", "json",
                        *[a for p in params for a in ("--param", p)]))
        text = load_query(name).text
        form = {"query": text, "param.zone": "许昌"}
        for r in (client.get("/sparql", params=form), client.post("/sparql", data=form)):
            assert r.status_code == 200, r.text
            assert r.headers["content-type"].startswith("application/sparql-results+json")
            assert json_rows(r.json()) == local
        r = client.get("/sparql", params={"query": "SELECT ?z WHERE { ?z a kg:Zone }"},
                       headers={"Accept": "text/csv"})
        assert r.status_code == 200 and r.text.startswith("z\r\n")
        r = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s a kg:Zone }"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
        r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert len(r.json()["results"]["bindings"]) == 50 and r.headers["x-result-truncated"] == "true"
        r = client.get("/sparql", params={"query": "SELECT ?x WHERE {\n ?x ?y }"})
        assert r.status_code == 400 and r.text.startswith("Malformed query: error at 2:")
        # Updates are refused here and never reach the endpoint.
        assert client.post("/sparql", data={"update": "DROP ALL"}).status_code == 403
        assert client.post("/sparql", data={"query": "DELETE WHERE { ?s ?p ?o }"}).status_code == 403
        assert oxigraph.counts() == before
        assert SECRET not in served.output()


def test_serve_answers_502_when_the_endpoint_is_down(stopped, kg_serve):
    url = with_credentials(stopped)
    with kg_serve("--endpoint", url) as served, httpx.Client(base_url=served.url, timeout=30) as client:
        assert "warning:" in served.output() and "cannot reach" in served.output()
        r = client.get("/sparql", params={"query": "ASK {}"})
        assert r.status_code == 502 and r.headers["content-type"].startswith("application/json")
        body = r.json()
        assert body["status"] == 502 and "Cannot reach the SPARQL endpoint" in body["error"]
        assert body["endpoint"] == redact_url(url)
        assert SECRET not in r.text and SECRET not in served.output()
        # The page still loads; it says which endpoint it would ask.
        assert client.get("/api/queries").json()["graph"] == redact_url(url)


def test_serve_answers_504_and_502_for_a_slow_or_failing_endpoint(misbehaving, kg_serve):
    for mode, status, words in (("hang", 504, "time limit of 1 s"), ("error", 502, "HTTP 500")):
        with kg_serve("--endpoint", misbehaving(mode), "--timeout", "1") as served, \
                httpx.Client(base_url=served.url, timeout=30) as client:
            started = time.monotonic()
            r = client.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o }"})
            assert r.status_code == status and r.json()["status"] == status
            assert words in r.json()["error"] and SECRET not in r.text
            assert time.monotonic() - started < 10
