"""Querying a remote SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso ...).

The answer comes back as the same :class:`kg.sparql.Result` the local engine gives,
so whatever prints or serves a local result (``kg query``'s table, the results formats
of :func:`kg.sparql.serialize`, ``kg serve``) works on a remote one unchanged::

    from kg.remote import query_endpoint
    result = query_endpoint("http://127.0.0.1:7878/query", "SELECT ?z WHERE { ?z a kg:Zone }")
    for row in result.rows: ...

The query is sent with the SPARQL 1.1 Protocol (POST, form-encoded ``query=``, with
``default-graph-uri`` / ``named-graph-uri`` when given). The ``kg:``, ``rdfs:`` ...
prefixes that ``kg query`` predefines are declared for the server too (a query's own
``PREFIX`` lines win). Like the local engine, it refuses SPARQL Update and federated
``SERVICE`` calls before sending anything.

Errors are the :mod:`kg.sparql` ones, so a caller handles local and remote alike:
:class:`QuerySyntaxError` (the server rejected the query, HTTP 400), :class:`QueryRefused`,
:class:`QueryTimeout` (no answer within ``timeout``), :class:`QueryFailed` (the server
failed while running it, 5xx, or sent an answer that cannot be read) and
:class:`EndpointError` (unreachable, not a SPARQL endpoint, access refused).
"""
from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox

from kg.sparql import (
    DEFAULT_PREFIXES,
    QueryFailed,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    Result,
    SparqlError,
    check_read_only,
    looks_like_update,
)

# What query_endpoint asks for by default: the results and graph formats it can read,
# preferred first. A server picks the one that fits the query form.
DEFAULT_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
                  "application/sparql-results+xml;q=0.7, text/tab-separated-values;q=0.6, "
                  "application/rdf+xml;q=0.5")

_RESULTS_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # what some older servers call N-Triples
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
if hasattr(ox.RdfFormat, "JSON_LD"):  # pyoxigraph >= 0.5
    _GRAPH_FORMATS["application/ld+json"] = ox.RdfFormat.JSON_LD
READABLE_TYPES = (*_RESULTS_FORMATS, *_GRAPH_FORMATS)
MAX_RESPONSE_BYTES = 512 * 1024 * 1024
_PREFIX_DECL = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE | re.MULTILINE)


class EndpointError(SparqlError):
    """The endpoint cannot be reached, is not a SPARQL endpoint, or refused access."""


@dataclass
class RemoteResponse:
    """An endpoint's answer as it came: status, media type (without parameters) and body."""

    status: int
    content_type: str
    body: bytes
    seconds: float


def check_endpoint_url(url: str) -> str:
    """``url`` if it is an absolute http(s) URL, else :class:`EndpointError`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"not an http(s) endpoint URL: {redact_url(url)!r}")
    return url


def redact_url(url: str) -> str:
    """``url`` with the password of ``user:password@`` (if any) masked, for messages."""
    parts = urlsplit(url)
    try:
        if parts.password is None:
            return url
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return url
    return urlunsplit((parts.scheme, f"{parts.username}:***@{parts.hostname}{port}", parts.path, parts.query,
                       parts.fragment))


def _with_prefixes(text: str, prefixes: Mapping[str, str]) -> tuple[str, int]:
    """The query with the predefined prefixes it does not declare itself, and how many
    lines they take (one, or none)."""
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(text)}
    decls = [f"PREFIX {p}: <{iri}>" for p, iri in prefixes.items() if p not in declared]
    return (" ".join(decls) + "\n" + text, 1) if decls else (text, 0)


_LINE_AT = re.compile(r"\b(at |line )(\d+)")


def _shift_lines(message: str, added: int) -> str:
    """A server's syntax error with line numbers of the query as the caller wrote it."""
    if not added:
        return message
    return _LINE_AT.sub(lambda m: m.group(1) + str(max(1, int(m.group(2)) - added)), message)


def _short(body: bytes, limit: int = 300) -> str:
    text = " ".join(body.decode("utf-8", errors="replace").split())
    text = re.sub(r"<[^>]+>", " ", text) if text.lstrip().startswith("<") else text  # an HTML error page
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fetch(url: str, sparql: str, accept: str = DEFAULT_ACCEPT, *, default_graph: Sequence[str] = (),
          named_graphs: Sequence[str] = (), timeout: float = 60.0, headers: Mapping[str, str] | None = None,
          prefixes: Mapping[str, str] | None = DEFAULT_PREFIXES, allow_service: bool = False,
          max_bytes: int = MAX_RESPONSE_BYTES, client=None) -> RemoteResponse:
    """Send ``sparql`` to the endpoint at ``url`` asking for ``accept``; the answer as it
    came (for a proxy that passes it on). Raises the errors listed in the module doc;
    a 2xx answer is returned whatever its media type."""
    import httpx

    check_endpoint_url(url)
    if looks_like_update(sparql):
        raise QueryRefused("SPARQL Update is not accepted: only queries are sent to the endpoint")
    if not allow_service:
        check_read_only(sparql)
    for g in (*default_graph, *named_graphs):
        try:
            ox.NamedNode(g)
        except ValueError as exc:
            raise QueryRefused(f"not a valid graph IRI: {g!r} ({exc})") from None
    text, added_lines = _with_prefixes(sparql, prefixes or {})
    form = [("query", text)]
    form += [("default-graph-uri", g) for g in default_graph]
    form += [("named-graph-uri", g) for g in named_graphs]
    req_headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    own = client is None
    if own:
        client = httpx.Client(timeout=timeout, follow_redirects=True)
    started = time.perf_counter()
    try:
        with client.stream("POST", url, content=_urlencode(form), headers=req_headers, timeout=timeout) as r:
            chunks, size = [], 0
            for chunk in r.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise QueryFailed(f"the answer of {redact_url(url)} is larger than {max_bytes} bytes; "
                                      "add a LIMIT to the query")
                chunks.append(chunk)
            body = b"".join(chunks)
            status = r.status_code
            ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
    except httpx.TimeoutException:
        raise QueryTimeout(f"query stopped: {redact_url(url)} did not answer within {timeout:g} s") from None
    except httpx.TransportError as exc:
        raise EndpointError(f"cannot reach the SPARQL endpoint {redact_url(url)}: "
                            f"{exc or type(exc).__name__}") from None
    finally:
        if own:
            client.close()
    seconds = time.perf_counter() - started
    url = redact_url(url)
    if 200 <= status < 300:
        return RemoteResponse(status, ctype, body, seconds)
    detail = _short(body) or f"HTTP {status}"
    if status == 400:
        raise QuerySyntaxError(_shift_lines(detail, added_lines))
    if status in (401, 403):
        raise EndpointError(f"{url} refused access (HTTP {status}): {detail}")
    if status in (404, 405):
        raise EndpointError(f"no SPARQL query endpoint at {url} (HTTP {status}): {detail}")
    if status == 408 or status == 504:
        raise QueryTimeout(f"query stopped by the endpoint (HTTP {status}): {detail}")
    if status >= 500:
        raise QueryFailed(f"the endpoint failed to run the query (HTTP {status}): {detail}")
    raise EndpointError(f"{url} answered HTTP {status}: {detail}")


def _urlencode(pairs) -> bytes:
    from urllib.parse import urlencode

    return urlencode(pairs).encode("ascii")


def parse_response(response: RemoteResponse, *, max_rows: int | None = None) -> Result:
    """A :class:`kg.sparql.Result` from an endpoint's answer (see :data:`READABLE_TYPES`)."""
    ctype = response.content_type
    cap = max_rows if max_rows and max_rows > 0 else None
    try:
        if ctype in _RESULTS_FORMATS:
            parsed = ox.parse_query_results(response.body, format=_RESULTS_FORMATS[ctype])
            if isinstance(parsed, ox.QueryBoolean):
                return Result("ask", boolean=bool(parsed), seconds=response.seconds, max_rows=cap)
            variables = [v.value for v in parsed.variables]
            rows, truncated = [], False
            for sol in parsed:
                if cap is not None and len(rows) >= cap:
                    truncated = True
                    break
                rows.append(tuple(sol[i] for i in range(len(variables))))
            return Result("select", variables=variables, rows=rows, truncated=truncated,
                          seconds=response.seconds, max_rows=cap)
        if ctype in _GRAPH_FORMATS:
            triples, truncated = [], False
            for t in ox.parse(response.body, format=_GRAPH_FORMATS[ctype]):
                if cap is not None and len(triples) >= cap:
                    truncated = True
                    break
                triples.append(ox.Triple(t.subject, t.predicate, t.object) if isinstance(t, ox.Quad) else t)
            return Result("graph", triples=triples, truncated=truncated, seconds=response.seconds, max_rows=cap)
    except (SyntaxError, ValueError) as exc:
        raise QueryFailed(f"the endpoint's answer ({ctype}) cannot be read: {exc}") from None
    raise QueryFailed(f"the endpoint answered in a format that cannot be read: {ctype or '(no content type)'}")


def query_endpoint(url: str, sparql: str, accept: str | None = None, *, default_graph: Sequence[str] = (),
                   named_graphs: Sequence[str] = (), timeout: float = 60.0, max_rows: int | None = None,
                   headers: Mapping[str, str] | None = None, allow_service: bool = False, client=None) -> Result:
    """Run ``sparql`` on the SPARQL endpoint at ``url`` and return a :class:`kg.sparql.Result`.

    ``accept``: the media type(s) to ask for (default :data:`DEFAULT_ACCEPT`, which lets
    the server answer SELECT/ASK in JSON and CONSTRUCT/DESCRIBE in N-Triples); the answer
    must be one of :data:`READABLE_TYPES`. ``max_rows`` caps rows (or triples) and sets
    ``Result.truncated``; ``timeout`` is in seconds. ``client``: an ``httpx.Client`` to
    reuse (a server keeps one), else a fresh one per call.
    """
    response = fetch(url, sparql, accept or DEFAULT_ACCEPT, default_graph=default_graph, named_graphs=named_graphs,
                     timeout=timeout, headers=headers, allow_service=allow_service, client=client)
    return parse_response(response, max_rows=max_rows)


class RemoteEngine:
    """:class:`kg.sparql.Engine`'s query interface over a remote endpoint, for ``kg serve``:
    ``query(text, default_graph=, named_graphs=, timeout=, max_rows=)`` returns a
    :class:`~kg.sparql.Result`; ``timeout`` and ``max_rows`` are the engine's caps."""

    def __init__(self, url: str, *, timeout: float = 10.0, max_rows: int | None = 10_000,
                 headers: Mapping[str, str] | None = None) -> None:
        import httpx

        self.url = check_endpoint_url(url)
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.timeout = timeout
        self.max_rows = max_rows if max_rows and max_rows > 0 else None
        self.headers = dict(headers or {})
        self._client = httpx.Client(timeout=timeout, follow_redirects=True)

    def query(self, text: str, *, default_graph: Sequence[str] = (), named_graphs: Sequence[str] = (),
              timeout: float | None = None, max_rows: int | None = None) -> Result:
        limit = self.timeout if timeout is None else min(timeout, self.timeout)
        cap = self.max_rows if max_rows is None else (min(max_rows, self.max_rows) if self.max_rows else max_rows)
        return query_endpoint(self.url, text, default_graph=default_graph, named_graphs=named_graphs,
                              timeout=limit, max_rows=cap, headers=self.headers, client=self._client)

    def count(self) -> int:
        """Triples in the endpoint's default graph (what ``SELECT (COUNT(*) ...)`` says)."""
        r = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(r.rows[0][0].value) if r.rows and r.rows[0][0] is not None else 0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> RemoteEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
