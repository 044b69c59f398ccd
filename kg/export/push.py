"""``kg push``: load a built graph into a SPARQL 1.1 Graph Store HTTP Protocol server.

Any server that speaks the Graph Store Protocol takes it: Oxigraph server
(``http://HOST:7878/store``), Apache Jena Fuseki (``http://HOST:3030/DATASET/data``),
GraphDB (``http://HOST:7200/repositories/REPO/rdf-graphs/service``), Virtuoso
(``http://HOST:8890/sparql-graph-crud``).

Where the graphs go:

- without a target IRI: the build's default graph (the merged facts) into the server's
  default graph (``?default``), and each article's provenance graph into a named graph
  of the same IRI as in ``graph.trig`` (the document's IRI). The server then holds
  exactly the dataset of ``graph.trig``, and every library query runs there as it is;
- with a target IRI ``G``: the merged facts into the named graph ``G``, and the
  provenance graph of document ``https://w3id.org/zonekg/id/doc/X`` into ``G/doc/X``
  (``G`` + the document IRI's path below the instance base; another graph IRI ``D``
  goes to ``G/graph/<hash of D>``). Several builds can then live side by side on one
  server. The document node keeps its IRI, so ``kg:inDocument`` links evidence to it.

Each graph is sent as N-Triples in batches of at most ``batch_size`` triples. Mode
``replace``: the first batch of a graph is a ``PUT`` (which replaces what the graph
held), the rest ``POST``; mode ``add``: every batch is a ``POST`` (added to what the
graph holds; RDF is a set, so triples already there are not doubled). Graphs of the
server that the push does not name are never touched.

Retries: a connection error, a timeout or a 5xx answer (also 408 and 429) is retried
with exponential backoff; every batch is idempotent (a PUT of the same triples, or
a POST of triples that are a set), so sending one twice is harmless. A 4xx answer is
a refusal: the push stops at once with the server's message.

Counting: a batch counts as loaded only when the server has confirmed it (2xx). When a
push stops, the report says how many triples were loaded, and whether a batch was on
its way when the connection broke (then the server may or may not have stored it:
no client can know). A replace is not atomic across batches: a stopped push leaves the
graph it was loading incomplete; running the same push again completes it.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pyoxigraph as ox

from kg.graph.namespaces import ID

DEFAULT_BATCH_SIZE = 10_000
DEFAULT_RETRIES = 5
DEFAULT_RETRY_WAIT = 0.5
MAX_RETRY_WAIT = 30.0
NTRIPLES = "application/n-triples"
_RETRY_STATUS = {408, 425, 429}
MODES = ("replace", "add")


class PushError(Exception):
    """The push stopped. ``kind``: ``refused`` (4xx), ``unreachable`` (connection errors,
    timeouts or 5xx after the retries), ``interrupted`` (Ctrl-C), ``verify`` (the server's
    counts differ from what was sent). ``report`` tells what was loaded."""

    def __init__(self, message: str, kind: str, report: PushReport) -> None:
        super().__init__(message)
        self.kind = kind
        self.report = report


class SourceError(Exception):
    """The graph to push cannot be read, or the arguments make no sense."""


# --------------------------------------------------------------------------
# What to send where


@dataclass
class GraphPlan:
    source: str | None  # the graph IRI in the build (None: default graph)
    target: str | None  # the graph IRI on the server (None: its default graph)
    triples: int


def target_for(source_graph: str | None, graph: str | None) -> str | None:
    """The server graph for a build graph (None = default graph), given the ``--into`` IRI."""
    if graph is None:
        return source_graph
    if source_graph is None:
        return graph
    base = graph if graph.endswith(("/", "#")) else graph + "/"
    id_base = str(ID)
    if source_graph.startswith(id_base) and source_graph != id_base:
        return base + source_graph[len(id_base):]
    return base + "graph/" + hashlib.sha1(source_graph.encode("utf-8")).hexdigest()[:16]


def graph_url(endpoint: str, target: str | None) -> str:
    """The Graph Store Protocol URL of ``target`` (``?default`` or ``?graph=IRI``)."""
    parts = urlsplit(endpoint)
    param = "default" if target is None else "graph=" + quote(target, safe="")
    query = f"{parts.query}&{param}" if parts.query else param
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def guess_query_endpoint(endpoint: str) -> str | None:
    """The SPARQL query endpoint that usually sits beside a Graph Store endpoint."""
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    for suffix, replacement in (("/store", "/query"),                 # Oxigraph server
                                ("/rdf-graphs/service", ""),          # GraphDB / RDF4J
                                ("/sparql-graph-crud-auth", "/sparql"),  # Virtuoso
                                ("/sparql-graph-crud", "/sparql"),
                                ("/data", "/sparql")):                # Fuseki
        if path.endswith(suffix):
            return urlunsplit((parts.scheme, parts.netloc, path[: -len(suffix)] + replacement, "", ""))
    return None


def open_source(path: str | Path) -> ox.Store:
    """The graph to push as a pyoxigraph store: a build's ``out/store`` (or ``out``),
    opened read-only, or a ``.trig``/``.ttl``/``.nt``/``.nq`` file loaded into memory."""
    path = Path(path)
    if path.is_dir():
        from kg.graph.store import open_store

        try:
            return open_store(path)
        except (FileNotFoundError, OSError) as exc:
            raise SourceError(f"cannot open the store at {path}: {exc}") from None
    if not path.exists():
        raise SourceError(f"graph file not found: {path} (run kg build first, or give --graph FILE or --store DIR)")
    fmt = {".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
           ".nq": ox.RdfFormat.N_QUADS}.get(path.suffix.lower())
    if fmt is None:
        raise SourceError(f"{path}: give a .trig, .ttl, .nt or .nq file, or a store directory")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as exc:
        raise SourceError(f"{path}: not valid {fmt.name}: {exc}") from None
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from None
    return store


def _graph_counts(store: ox.Store) -> list[tuple[str | None, int]]:
    """(graph IRI or None for the default graph, triple count), default graph first."""
    default = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0]
    counts: list[tuple[str | None, int]] = [(None, int(default.value))]
    named = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    rows = sorted((sol[0], int(sol[1].value)) for sol in named if isinstance(sol[0], ox.NamedNode))
    counts += [(g.value, n) for g, n in sorted(rows, key=lambda r: r[0].value)]
    return [(g, n) for g, n in counts if n]


def plan(store: ox.Store, *, graph: str | None = None, provenance: bool = True) -> list[GraphPlan]:
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError as exc:
            raise SourceError(f"--into must be an absolute IRI, e.g. https://example.org/zonekg: {exc}") from None
    plans = [GraphPlan(g, target_for(g, graph), n) for g, n in _graph_counts(store)
             if g is None or provenance]
    targets = [p.target for p in plans]
    if len(set(targets)) != len(targets):
        raise SourceError("two graphs of the source map to the same target graph")
    return plans


def _batches(store: ox.Store, source: str | None, size: int) -> Iterator[list[ox.Triple]]:
    """The graph's triples in batches; triples with blank nodes all in the last one
    (a blank node means the same node only within one request)."""
    g = ox.DefaultGraph() if source is None else ox.NamedNode(source)
    batch: list[ox.Triple] = []
    with_bnodes: list[ox.Triple] = []
    for q in store.quads_for_pattern(None, None, None, g):
        t = ox.Triple(q.subject, q.predicate, q.object)
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            with_bnodes.append(t)
            continue
        batch.append(t)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
    if with_bnodes:
        yield with_bnodes


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


# --------------------------------------------------------------------------
# The report


@dataclass
class PushReport:
    endpoint: str
    mode: str
    graphs: list[GraphPlan]
    batch_size: int
    total_triples: int = 0
    total_batches: int = 0
    loaded_triples: int = 0          # confirmed by the server (2xx)
    loaded_batches: int = 0
    graphs_complete: int = 0
    unconfirmed_triples: int = 0     # a batch sent but not confirmed: may or may not be stored
    current_graph: str | None = None  # the target being loaded when the push stopped
    current_graph_started: bool = False
    retries: int = 0                 # attempts repeated over the whole push
    verified: bool | None = None     # None: not checked
    verify_note: str = ""
    server_counts: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return self.loaded_triples == self.total_triples and self.graphs_complete == len(self.graphs)

    def loaded_line(self) -> str:
        return (f"loaded {self.loaded_triples} of {self.total_triples} triples "
                f"({self.loaded_batches} of {self.total_batches} batches confirmed by the server, "
                f"{self.graphs_complete} of {len(self.graphs)} graphs complete)")


def redact(url: str) -> str:
    """``url`` without a password in it (for messages)."""
    from kg.query.remote import redact_url

    return redact_url(url)


def _graph_name(target: str | None) -> str:
    return "the default graph" if target is None else f"<{target}>"


# --------------------------------------------------------------------------
# Pushing


def _retry_after(response) -> float | None:
    value = response.headers.get("retry-after", "") if response is not None else ""
    try:
        return min(float(value), MAX_RETRY_WAIT) if value else None
    except ValueError:
        return None


class _BatchFailed(Exception):
    def __init__(self, message: str, kind: str, maybe_stored: bool) -> None:
        super().__init__(message)
        self.kind = kind
        self.maybe_stored = maybe_stored


def _send(client, method: str, url: str, body: bytes, *, retries: int, retry_wait: float, report: PushReport,
          what: str) -> None:
    """Send one batch, retried on connection errors, timeouts, 5xx, 408, 425 and 429.
    Returns once the server has confirmed it (2xx); raises :class:`_BatchFailed` otherwise,
    saying whether the server may have stored it all the same."""
    import httpx

    from kg.query.remote import one_line_body

    maybe_stored = False
    last = ""
    for attempt in range(retries + 1):
        if attempt:
            report.retries += 1
        response = None
        try:
            response = client.request(method, url, content=body, headers={"Content-Type": NTRIPLES})
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            last = f"cannot connect: {exc or type(exc).__name__}"  # nothing reached the server
        except httpx.TransportError as exc:
            maybe_stored = True  # sent, or partly sent, and no answer came
            last = f"no answer: {type(exc).__name__}{': ' + str(exc) if str(exc) else ''}"
        else:
            status = response.status_code
            if 200 <= status < 300:
                return
            detail = one_line_body(response.content) or response.reason_phrase
            if status in (404, 405):
                detail += (" (is --endpoint the server's Graph Store endpoint? e.g. http://HOST:7878/store for "
                           "Oxigraph, http://HOST:3030/DATASET/data for Fuseki)")
            if status < 500 and status not in _RETRY_STATUS:
                raise _BatchFailed(f"the server refused {what}: HTTP {status} {response.reason_phrase}: {detail}",
                                   "refused", maybe_stored)
            last = f"HTTP {status} {response.reason_phrase}: {detail}"
        if attempt < retries:
            time.sleep(_retry_after(response) or min(retry_wait * (2 ** attempt), MAX_RETRY_WAIT))
    raise _BatchFailed(f"{what} failed after {retries + 1} attempt(s); last: {last}", "unreachable", maybe_stored)


def push(store: ox.Store, endpoint: str, *, graph: str | None = None, mode: str = "replace",
         batch_size: int = DEFAULT_BATCH_SIZE, provenance: bool = True, retries: int = DEFAULT_RETRIES,
         retry_wait: float = DEFAULT_RETRY_WAIT, timeout: float = 120.0, verify: bool = True,
         query_endpoint: str | None = None, progress: Callable[[PushReport], None] | None = None,
         headers: dict | None = None, client=None) -> PushReport:
    """Load ``store`` (see :func:`open_source`) into the Graph Store at ``endpoint``.

    Returns the report of a complete push; raises :class:`PushError` (with the report of
    what was loaded) when it stops. ``progress(report)`` is called after every confirmed
    batch. With ``verify``, the server is asked afterwards, at ``query_endpoint`` (or the
    one :func:`guess_query_endpoint` finds), how many triples each target graph holds;
    a difference raises :class:`PushError` (kind ``verify``).
    """
    import httpx

    from kg.query.remote import EndpointError, check_endpoint_url

    if mode not in MODES:
        raise SourceError(f"mode must be one of {', '.join(MODES)}")
    if batch_size < 1:
        raise SourceError("--batch-size must be at least 1")
    if retries < 0:
        raise SourceError("--retries must be 0 or more")
    try:
        check_endpoint_url(endpoint)
        if query_endpoint:
            check_endpoint_url(query_endpoint)
    except EndpointError as exc:
        raise SourceError(str(exc)) from None
    plans = plan(store, graph=graph, provenance=provenance)
    report = PushReport(endpoint, mode, plans, batch_size)
    report.total_triples = sum(p.triples for p in plans)
    report.total_batches = sum(-(-p.triples // batch_size) for p in plans)
    started = time.perf_counter()
    own = client is None
    if own:
        client = httpx.Client(timeout=timeout, headers=headers or {})
    batch: list[ox.Triple] = []
    try:
        for p in plans:
            url = graph_url(endpoint, p.target)
            report.current_graph, report.current_graph_started = p.target, False
            first = True
            for batch in _batches(store, p.source, batch_size):
                method = "PUT" if mode == "replace" and first else "POST"
                what = (f"batch {report.loaded_batches + 1} ({len(batch)} triple{'' if len(batch) == 1 else 's'}, "
                        f"{method} to {_graph_name(p.target)})")
                try:
                    _send(client, method, url, _ntriples(batch), retries=retries, retry_wait=retry_wait,
                          report=report, what=what)
                except _BatchFailed as exc:
                    report.unconfirmed_triples = len(batch) if exc.maybe_stored else 0
                    raise PushError(str(exc), exc.kind, report) from None
                first = False
                report.current_graph_started = True
                report.loaded_triples += len(batch)
                report.loaded_batches += 1
                if progress is not None:
                    progress(report)
            report.graphs_complete += 1
        report.current_graph = None
        report.total_batches = report.loaded_batches  # a graph with blank nodes may take one more
    except KeyboardInterrupt:
        report.unconfirmed_triples = len(batch)
        raise PushError("interrupted", "interrupted", report) from None
    finally:
        report.seconds = time.perf_counter() - started
        if own:
            client.close()
    if verify:
        verify_counts(report, query_endpoint or guess_query_endpoint(endpoint), headers=headers, timeout=timeout)
    report.seconds = time.perf_counter() - started
    return report


def count_graphs(query_url: str, targets: list[str | None], *, headers: dict | None = None,
                 timeout: float = 120.0) -> dict[str | None, int]:
    """How many triples the server holds in each target graph (None: its default graph)."""
    from kg.query.remote import query_endpoint

    counts: dict[str | None, int] = {}
    kw = {"headers": headers, "timeout": timeout}
    if None in targets:
        r = query_endpoint(query_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **kw)
        counts[None] = int(r.rows[0][0].value) if r.rows and r.rows[0][0] is not None else 0
    named = [t for t in targets if t is not None]
    for i in range(0, len(named), 200):
        chunk = named[i:i + 200]
        values = " ".join(f"<{t}>" for t in chunk)
        r = query_endpoint(query_url, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                                      "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", **kw)
        found = {row[0].value: int(row[1].value) for row in r.rows if row[0] is not None}
        for t in chunk:
            counts[t] = found.get(t, 0)
    return counts


def verify_counts(report: PushReport, query_url: str | None, *, headers: dict | None = None,
                  timeout: float = 120.0) -> None:
    """Compare the server's counts with what was sent: equal after a replace, at least
    as many after an add. Sets ``report.verified``; raises PushError on a difference.
    A query endpoint that cannot be found or asked leaves ``verified`` None, with a note."""
    from kg.query.errors import SparqlError

    if query_url is None:
        report.verify_note = "not verified: no query endpoint known for this server (give --query-endpoint)"
        return
    try:
        counts = count_graphs(query_url, [p.target for p in report.graphs], headers=headers, timeout=timeout)
    except SparqlError as exc:
        report.verify_note = f"not verified: the count query failed: {exc}"
        return
    report.server_counts = counts
    wrong = []
    for p in report.graphs:
        have = counts.get(p.target, 0)
        if have < p.triples or (report.mode == "replace" and have != p.triples):
            wrong.append(f"{_graph_name(p.target)} holds {have} triples, {p.triples} were sent")
    total = sum(counts.values())
    if wrong:
        report.verified = False
        hint = (" (a server whose default graph is the union of all graphs counts them all there)"
                if any(p.target is None for p in report.graphs) else "")
        more = f" and {len(wrong) - 5} more" if len(wrong) > 5 else ""
        report.verify_note = "; ".join(wrong[:5]) + more + hint
        raise PushError(f"verification failed: {report.verify_note}", "verify", report)
    report.verified = True
    report.verify_note = (f"the server holds {total} triples in the {len(report.graphs)} target graphs"
                          + ("" if report.mode == "replace" else f" (at least the {report.total_triples} sent)"))
