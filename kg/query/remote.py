"""Querying a remote SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso ...).

The answer comes back as the same :class:`kg.query.results.Result` the local engine gives,
so whatever prints or serves a local result (``kg query``'s table, the results formats
of :func:`kg.query.results.serialize`, ``kg serve``) works on a remote one unchanged::

    from kg.query.remote import query_endpoint
    result = query_endpoint("http://127.0.0.1:7878/query", "SELECT ?z WHERE { ?z a kg:Zone }")
    for row in result.rows: ...

The query is sent with the SPARQL 1.1 Protocol (POST, form-encoded ``query=``, with
``default-graph-uri`` / ``named-graph-uri`` when given). The ``kg:``, ``rdfs:`` ...
prefixes that ``kg query`` predefines are declared for the server too (a query's own
``PREFIX`` lines win). Like the local engine, it refuses SPARQL Update and federated
``SERVICE`` calls before sending anything.

Time limit: the caller waits at most ``timeout`` seconds for the whole answer, however
the server sends it (nothing at all, or rows trickling in); the transfer is then
abandoned. The server may go on evaluating the query: a client cannot stop it.

Errors are the :mod:`kg.query.sparql` ones, so a caller handles local and remote alike:
:class:`QuerySyntaxError` (the server rejected the query, HTTP 400), :class:`QueryRefused`,
:class:`ParameterError` (a graph IRI that is not one), :class:`EndpointTimeout` (a
:class:`QueryTimeout`: no complete answer within ``timeout``, or the server stopped the
query, HTTP 408/504), :class:`EndpointFailed` (a :class:`QueryFailed`: the server failed
while running it, 5xx, or sent an answer that cannot be read) and :class:`EndpointError`
(unreachable, not a SPARQL query endpoint, access refused, any other error answer).
Messages never show a password or token from the URL (:func:`redact_url`).
"""
from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyoxigraph as ox

from kg.query.errors import (
    EngineBusy,
    ParameterError,
    QueryFailed,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    SparqlError,
)
from kg.query.library import DEFAULT_PREFIXES, check_read_only, looks_like_update
from kg.query.results import Result

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
# Query-string parameters whose values are credentials (?apikey=, ?access_token=, ...).
_SECRET_PARAM = re.compile(r"key|token|secret|passw|pwd|auth|sig|credential|session", re.IGNORECASE)
_ENDPOINT_HINT = ("is it the SPARQL query endpoint? e.g. http://HOST:7878/query (Oxigraph), "
                  "http://HOST:3030/DATASET/sparql (Fuseki)")


class EndpointError(SparqlError):
    """The endpoint cannot be reached, is not a SPARQL endpoint, refused access, or
    answered with an error other than a malformed query, a timeout or a failure."""


class EndpointTimeout(QueryTimeout):
    """No complete answer from the endpoint within the time limit (or it stopped the query)."""


class EndpointFailed(QueryFailed):
    """The endpoint failed while running the query (5xx), or its answer cannot be read."""


@dataclass
class RemoteResponse:
    """An endpoint's answer as it came: status, media type (without parameters) and body."""

    status: int
    content_type: str
    body: bytes
    seconds: float
    url: str = ""  # the endpoint, redacted: for messages


def check_endpoint_url(url: str) -> str:
    """``url`` if it is an absolute http(s) URL, else :class:`EndpointError`."""
    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        ok = False
    if not ok:
        raise EndpointError(f"not an http(s) endpoint URL: {redact_url(url)!r}")
    return url


def redact_url(url: str) -> str:
    """``url`` for messages: the password of ``user:password@`` masked (a lone
    ``token@`` too), and the values of query parameters that look like credentials
    (``apikey=``, ``access_token=`` ...)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        # Not even parseable: mask whatever sits between "//" and "@".
        return re.sub(r"//[^/?#]*@", "//***@", url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user, colon, _password = userinfo.partition(":")
        netloc = f"{user}:***@{hostport}" if colon else f"***@{hostport}"
    query = parts.query
    if query:
        pieces = []
        for piece in query.split("&"):
            name, eq, _value = piece.partition("=")
            pieces.append(f"{name}=***" if eq and _SECRET_PARAM.search(name) else piece)
        query = "&".join(pieces)
    if (netloc, query) == (parts.netloc, parts.query):
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _scrub(message: str, url: str) -> str:
    """``message`` with the URL, and its password if any, redacted (library messages
    sometimes quote the URL they were given)."""
    message = message.replace(url, redact_url(url))
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    return message.replace(password, "***") if password else message


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


def one_line_body(body: bytes, limit: int = 300) -> str:
    """A server's error body as one line of at most ``limit`` characters (tags of an
    HTML error page, with its <head>, dropped)."""
    text = body.decode("utf-8", errors="replace")
    if text.lstrip().startswith("<"):
        text = re.sub(r"(?is)<(head|script|style)\b.*?</\1\s*>", " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Cancelled(Exception):
    """The caller stopped waiting; the transfer thread gives up at its next chunk."""


def _transfer(client, url: str, content: bytes, headers: Mapping[str, str], timeout: float,
              max_bytes: int, cancelled: threading.Event) -> tuple[int, str, str, bytes]:
    with client.stream("POST", url, content=content, headers=headers, timeout=timeout) as r:
        chunks, size = [], 0
        for chunk in r.iter_bytes():
            if cancelled.is_set():
                raise _Cancelled
            size += len(chunk)
            if size > max_bytes:
                raise EndpointFailed(f"the answer of {redact_url(url)} is larger than {max_bytes} bytes; "
                                     "add a LIMIT to the query")
            chunks.append(chunk)
        ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
        return r.status_code, r.reason_phrase, ctype, b"".join(chunks)


def fetch(url: str, sparql: str, accept: str = DEFAULT_ACCEPT, *, default_graph: Sequence[str] = (),
          named_graphs: Sequence[str] = (), timeout: float = 60.0, headers: Mapping[str, str] | None = None,
          prefixes: Mapping[str, str] | None = DEFAULT_PREFIXES, allow_service: bool = False,
          max_bytes: int = MAX_RESPONSE_BYTES, client=None) -> RemoteResponse:
    """Send ``sparql`` to the endpoint at ``url`` asking for ``accept``; the answer as it
    came (for a proxy that passes it on). Raises the errors listed in the module doc;
    a 2xx answer is returned whatever its media type."""
    import httpx

    check_endpoint_url(url)
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    if looks_like_update(sparql):
        raise QueryRefused("SPARQL Update is not accepted: only queries are sent to the endpoint")
    if not allow_service:
        check_read_only(sparql)
    for g in (*default_graph, *named_graphs):
        try:
            ox.NamedNode(g)
        except ValueError as exc:
            raise ParameterError(f"not a valid graph IRI: {g!r} ({exc})") from None
    shown = redact_url(url)
    text, added_lines = _with_prefixes(sparql, prefixes or {})
    form = [("query", text)]
    form += [("default-graph-uri", g) for g in default_graph]
    form += [("named-graph-uri", g) for g in named_graphs]
    req_headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    own = client is None
    if own:
        client = httpx.Client(timeout=timeout, follow_redirects=True)

    # The transfer runs in a thread of its own, so that the caller waits at most
    # `timeout` in all: httpx's timeouts bound each network operation, not the whole
    # answer, and a server that sends a row every few seconds would never trip them.
    outcome: dict = {}
    done = threading.Event()
    cancelled = threading.Event()

    def run() -> None:
        try:
            outcome["answer"] = _transfer(client, url, urlencode(form).encode("ascii"), req_headers, timeout,
                                          max_bytes, cancelled)
        except BaseException as exc:  # noqa: BLE001 - handed over to the caller's thread
            outcome["error"] = exc
        finally:
            done.set()
            if own:
                client.close()

    started = time.perf_counter()
    threading.Thread(target=run, daemon=True, name="kg-remote-query").start()
    if not done.wait(timeout):
        cancelled.set()
        raise EndpointTimeout(f"query stopped: {shown} did not answer within the time limit of {timeout:g} s")
    seconds = time.perf_counter() - started
    error = outcome.get("error")
    if isinstance(error, httpx.TimeoutException):
        raise EndpointTimeout(f"query stopped: {shown} did not answer within the time limit of {timeout:g} s")
    if isinstance(error, (httpx.RequestError, httpx.InvalidURL)):
        detail = _scrub(str(error), url) or type(error).__name__
        raise EndpointError(f"cannot reach the SPARQL endpoint {shown}: {detail}")
    if error is not None:
        raise error
    status, reason, ctype, body = outcome["answer"]
    if 200 <= status < 300:
        return RemoteResponse(status, ctype, body, seconds, shown)
    said = f"HTTP {status}{' ' + reason if reason else ''}"
    detail = one_line_body(body)
    if status == 400:
        if not detail:
            raise QuerySyntaxError(f"the endpoint rejected the query ({said})")
        raise QuerySyntaxError(_shift_lines(detail, added_lines))
    message = f"the SPARQL endpoint {shown} answered {said}" + (f": {detail}" if detail else "")
    if status in (404, 405, 415):
        raise EndpointError(f"{message} ({_ENDPOINT_HINT})")
    if status in (408, 504):
        raise EndpointTimeout(f"query stopped by the endpoint: {message}")
    if status >= 500:
        raise EndpointFailed(message)
    raise EndpointError(message)  # 401, 403, 406, 413, 429 ...


def parse_response(response: RemoteResponse, *, max_rows: int | None = None) -> Result:
    """A :class:`kg.query.results.Result` from an endpoint's answer (see :data:`READABLE_TYPES`)."""
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
        raise EndpointFailed(f"the answer of {response.url or 'the endpoint'} ({ctype}) cannot be read: "
                             f"{' '.join(str(exc).split())}") from None
    # An HTML page or some other document: a web page, not a SPARQL endpoint.
    raise EndpointError(f"{response.url or 'the endpoint'} answered {ctype or 'with no content type'}, "
                        f"not SPARQL results ({_ENDPOINT_HINT})")


def query_endpoint(url: str, sparql: str, accept: str | None = None, *, default_graph: Sequence[str] = (),
                   named_graphs: Sequence[str] = (), timeout: float = 60.0, max_rows: int | None = None,
                   headers: Mapping[str, str] | None = None, allow_service: bool = False, client=None) -> Result:
    """Run ``sparql`` on the SPARQL endpoint at ``url`` and return a :class:`kg.query.results.Result`.

    ``accept``: the media type(s) to ask for (default :data:`DEFAULT_ACCEPT`, which lets
    the server answer SELECT/ASK in JSON and CONSTRUCT/DESCRIBE in N-Triples); the answer
    must be one of :data:`READABLE_TYPES`. ``max_rows`` caps rows (or triples) and sets
    ``Result.truncated``; ``timeout`` is in seconds, for the whole answer. ``client``: an
    ``httpx.Client`` to reuse (a server keeps one), else a fresh one per call.
    """
    response = fetch(url, sparql, accept or DEFAULT_ACCEPT, default_graph=default_graph, named_graphs=named_graphs,
                     timeout=timeout, headers=headers, allow_service=allow_service, client=client)
    return parse_response(response, max_rows=max_rows)


COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


class RemoteEngine:
    """:class:`kg.query.engine.Engine`'s interface over a remote endpoint, for ``kg serve``:
    ``query(text, default_graph=, named_graphs=, timeout=, max_rows=)`` returns a
    :class:`~kg.query.results.Result`; ``timeout`` and ``max_rows`` are the engine's caps.

    At most ``workers`` queries are sent at once (as many as the local engine runs);
    one that finds no free slot within the time limit gets :class:`EngineBusy`.
    ``name`` is the endpoint URL without credentials, for pages and messages;
    ``quads`` is None until :meth:`count_quads` has been asked."""

    views_dir = None  # no `kg viz` pages beside a remote graph

    def __init__(self, url: str, *, timeout: float = 10.0, max_rows: int | None = 10_000,
                 headers: Mapping[str, str] | None = None, workers: int = 4) -> None:
        import httpx

        self.url = check_endpoint_url(url)
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.name = redact_url(url)
        self.timeout = timeout
        self.max_rows = max_rows if max_rows and max_rows > 0 else None
        self.headers = dict(headers or {})
        self.quads: int | None = None
        self._slots = threading.BoundedSemaphore(max(1, workers))
        self._closed = False
        self._client = httpx.Client(timeout=timeout, follow_redirects=True)

    def query(self, text: str, *, default_graph: Sequence[str] = (), named_graphs: Sequence[str] = (),
              timeout: float | None = None, max_rows: int | None = None) -> Result:
        if self._closed:
            raise EndpointError("engine closed")
        limit = self.timeout if timeout is None else min(timeout, self.timeout)
        cap = self.max_rows if max_rows is None else (min(max_rows, self.max_rows) if self.max_rows else max_rows)
        # As with the local engine's workers: waiting for a free slot and running the
        # query each have the time limit.
        if not self._slots.acquire(timeout=max(limit, 1.0)):
            raise EngineBusy("all query slots are busy; try again shortly")
        try:
            return query_endpoint(self.url, text, default_graph=default_graph, named_graphs=named_graphs,
                                  timeout=limit, max_rows=cap, headers=self.headers, client=self._client)
        finally:
            self._slots.release()

    def count(self) -> int:
        """Triples in the endpoint's default graph (what ``SELECT (COUNT(*) ...)`` says)."""
        r = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(r.rows[0][0].value) if r.rows and r.rows[0][0] is not None else 0

    def count_quads(self, timeout: float | None = None) -> int:
        """Triples of the default graph plus those of every named graph, as the endpoint
        counts them (a server whose default graph is the union of the named graphs counts
        those twice); also kept as :attr:`quads`."""
        r = self.query(COUNT_QUADS, timeout=timeout)
        self.quads = int(r.rows[0][0].value) if r.rows and r.rows[0][0] is not None else 0
        return self.quads

    def close(self) -> None:
        self._closed = True
        self._client.close()

    def __enter__(self) -> RemoteEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
