"""`kg serve` under hostile or heavy input: it answers each with a 4xx and a message,
never crashes and never serves a file outside its static folder.

All traffic goes to the server this test starts on a loopback port; the flood is a
bounded number of requests."""
from __future__ import annotations

import http.client
import inspect
import socket
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlsplit

import pytest
from serving import running_server, seed_graph

LIMIT = 4000
SIMPLE = "SELECT ?z WHERE { ?z a <https://w3id.org/zonekg/ontology#Zone> } LIMIT 3"


@pytest.fixture(scope="module")
def base():
    with running_server(seed_graph(), "--max-query-bytes", str(LIMIT), "--timeout", "5") as url:
        yield url


def request(base: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def assert_alive(base: str) -> None:
    status, body = request(base, "GET", "/sparql?query=" + quote(SIMPLE),
                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and "bindings" in body


def test_serve_binds_loopback_by_default() -> None:
    from kg.cli.query import serve_cmd

    host = inspect.signature(serve_cmd).parameters["host"].default
    assert host == "127.0.0.1"


def test_oversized_query_is_refused_with_a_message(base) -> None:
    big = SIMPLE + " #" + "x" * (LIMIT + 10)
    status, body = request(base, "POST", "/sparql", big.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 413 and "too large" in body
    status, body = request(base, "POST", "/sparql", ("query=" + quote(big)).encode(),
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413
    status, body = request(base, "GET", "/sparql?query=" + quote(big))
    assert status == 414 and "too long" in body
    assert_alive(base)


def test_invalid_utf8_is_refused_with_a_message(base) -> None:
    status, body = request(base, "POST", "/sparql", b"SELECT * WHERE { ?s ?p \xff\xfe }",
                           {"Content-Type": "application/sparql-query"})
    assert status == 400 and "UTF-8" in body
    status, body = request(base, "POST", "/sparql", b"query=SELECT%20%FF",
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert 400 <= status < 500
    assert_alive(base)


@pytest.mark.parametrize("path", [
    "/static/../server.py",
    "/static/%2e%2e/server.py",
    "/static/..%2fserver.py",
    "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static//etc/passwd",
    "/views/../graph.trig",
])
def test_paths_outside_the_static_folder_are_not_served(base, path) -> None:
    # A raw socket, so that no client library normalises the path first.
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split()[1])
    assert 400 <= status < 500, (path, head)
    for secret in (b"def create_app", b"root:x:0:0", b"[project]", b"@prefix"):
        assert secret not in body


def test_a_flood_of_concurrent_requests_is_answered_and_the_server_survives(base) -> None:
    def one(i: int) -> int:
        if i % 3 == 0:
            return request(base, "POST", "/sparql", b"\xff" * 10, {"Content-Type": "application/sparql-query"})[0]
        if i % 3 == 1:
            return request(base, "GET", "/static/../server.py")[0]
        return request(base, "GET", "/sparql?query=" + quote(SIMPLE),
                       headers={"Accept": "application/sparql-results+json"})[0]

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(one, range(300)))
    assert len(statuses) == 300
    # Every request got an HTTP answer: the good ones 200 (or 503 when all query
    # workers were busy), the bad ones a 4xx — never a 500 or a dropped connection.
    assert all(s == 200 or s == 503 or 400 <= s < 500 for s in statuses), sorted(set(statuses))
    assert statuses.count(200) > 0
    assert_alive(base)
