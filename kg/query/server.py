"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint and a query page.

The queries run on a :class:`kg.query.engine.Engine` (worker processes over the build's
store or a graph file) or, with ``kg serve --endpoint URL``, on a
:class:`kg.query.remote.RemoteEngine` that passes them on to another SPARQL endpoint: the
page, the protocol and the limits are the same either way.

- ``GET|POST /sparql``: the SPARQL 1.1 Protocol query operation (``query`` as a URL
  or form parameter, or the body of an ``application/sparql-query`` POST, with
  ``default-graph-uri`` / ``named-graph-uri``). Results by content negotiation:
  SELECT/ASK as ``application/sparql-results+json`` (default), ``…+xml``,
  ``text/csv``, ``text/tab-separated-values``; CONSTRUCT/DESCRIBE as ``text/turtle``
  (default) or ``application/n-triples``. A ``format`` (or ``output``) parameter
  (json, xml, csv, tsv, turtle, ntriples) overrides the Accept header when it fits. ``param.NAME=value`` fills the
  query's ``?_NAME`` placeholder (see :mod:`kg.query.sparql`).
- Read-only: the update operation (``update`` parameter, ``application/sparql-update``)
  and any Update text get 403; the graph lives in worker processes that only query it
  (and a remote endpoint is only ever sent queries).
- Limits: a query past the time limit is stopped (503); results are capped at the
  row limit (``X-Result-Truncated: true``); request bodies are capped at 1 MiB.
- A remote endpoint that cannot be reached, or answers with an error, gives 502; one that
  does not answer within the time limit, 504; both with a JSON body
  ``{"error": ..., "status": ..., "endpoint": URL without credentials}``.
- ``GET /id/…``, ``/search``, ``/api/names``: entity pages (Linked Data: HTML, Turtle or
  JSON-LD by Accept), search and name completion (:mod:`kg.query.linked_data`); ``/api/terms``:
  what the query page's editor completes (:mod:`kg.query.page`).
- CORS: any origin may query; preflights of GET/POST are answered (Update stays 403).
- ``GET /``: the query page; ``/static/*`` its assets (all in the package, no CDN);
  ``GET /api/queries``: the query library as JSON; ``/views/``: the graph views that
  ``kg viz`` wrote beside the graph or store (``out/views/``), linked from the page when present.

Responses carry ``X-Result-Rows``, ``X-Result-Truncated``, ``X-Max-Rows`` and
``X-Query-Seconds``; ``X-Name-Notes`` (percent-encoded) says what the ``param.`` names
resolved to, as ``kg query`` prints it on stderr. When listening on loopback, requests whose Host is not a
loopback name are refused (DNS rebinding).
"""
from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import parse_qsl, quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from kg.query import linked_data
from kg.query import page as query_page
from kg.query.engine import Engine
from kg.query.errors import (
    EngineBusy,
    ParameterError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    SparqlError,
)
from kg.query.library import bind, list_queries, parse_header
from kg.query.names import run_resolved
from kg.query.pinning import served_build
from kg.query.remote import EndpointError, EndpointFailed, EndpointTimeout, RemoteEngine
from kg.query.results import FORMATS, GRAPH_FORMATS, RESULT_FORMATS, format_name, serialize

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
MAX_BODY = 1 << 20  # 1 MiB
# VIEWS_DIR (from kg.query.library): where `kg viz` writes its pages by default (out/views beside out/graph.trig)

# Media types we answer with, per result kind, and the names clients use for them.
_RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
}
_DEFAULT = {"select": "json", "ask": "json", "graph": "turtle"}

PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class HttpError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def negotiate(accept: str | None, kind: str) -> str:
    """The output format for a result ``kind`` ("select", "ask", "graph") given an Accept header."""
    table = _GRAPH_TYPES if kind == "graph" else _RESULT_TYPES
    default = _DEFAULT[kind]
    if not accept or not accept.strip():
        return default
    best: tuple[float, int, str] | None = None
    for mtype, q, order in linked_data.parse_accept(accept):
        if q <= 0:
            continue
        if mtype in table:
            fmt = table[mtype]
        elif mtype == "*/*" or (mtype.endswith("/*") and FORMATS[default].startswith(mtype[:-1])):
            fmt = default
        else:
            continue
        # Highest q wins; then the client's order, except that a wildcard never
        # beats an explicit type with the same q.
        rank = (q, -(order + (1000 if "*" in mtype else 0)), fmt)
        if best is None or rank[:2] > best[:2]:
            best = rank
    if best is None:
        offered = ", ".join(dict.fromkeys(FORMATS[f].split(";")[0] for f in table.values()))
        raise HttpError(406, f"Not Acceptable: this {'CONSTRUCT/DESCRIBE' if kind == 'graph' else 'SELECT/ASK'} "
                             f"result can be sent as {offered}")
    return best[2]


def _format_param(value: str | None) -> str | None:
    """A ``format``/``output`` parameter (``csv``, ``turtle``, or a media type) as a format name.

    Clients such as SPARQLWrapper send one alongside Accept; a value we do not
    know is ignored and Accept decides."""
    if not value:
        return None
    v = format_name(value)
    if v in FORMATS:
        return v
    return _RESULT_TYPES.get(v.split(";")[0]) or _GRAPH_TYPES.get(v.split(";")[0])


def _capitalized(message: str) -> str:
    return message[:1].upper() + message[1:]


def _first(pairs: Sequence[tuple[str, str]], key: str) -> str | None:
    for k, v in pairs:
        if k == key:
            return v
    return None


def _all(pairs: Sequence[tuple[str, str]], key: str) -> list[str]:
    return [v for k, v in pairs if k == key]


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HttpError(413, f"request body too large (over {limit} bytes)")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HttpError(413, f"request body too large (over {limit} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "the request is not UTF-8") from None


_UPDATE_REFUSED = "SPARQL Update is not accepted: this endpoint is read-only"


async def _read_request(request: Request, limit: int) -> tuple[str | None, list[tuple[str, str]]]:
    """(query text, all other parameters) of a protocol request."""
    if len(request.url.query) > limit:
        raise HttpError(414, f"query string too long (over {limit} bytes)")
    url_pairs = parse_qsl(request.url.query, keep_blank_values=True)
    if request.method == "GET":
        if _first(url_pairs, "update") is not None:
            raise HttpError(403, _UPDATE_REFUSED)
        return _first(url_pairs, "query"), url_pairs
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/sparql-update":
        raise HttpError(403, _UPDATE_REFUSED)
    body = await _body(request, limit)
    if ctype == "application/x-www-form-urlencoded":
        pairs = parse_qsl(_decode(body), keep_blank_values=True)
        if _first(pairs, "update") is not None:
            raise HttpError(403, _UPDATE_REFUSED)
        return _first(pairs, "query"), pairs + url_pairs
    if ctype == "application/sparql-query":
        return _decode(body), url_pairs
    raise HttpError(415, "POST a query as application/x-www-form-urlencoded (query=...) "
                         "or as application/sparql-query")


def _error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers={"Cache-Control": "no-store", **(headers or {})})


class GatewayError(Exception):
    """The remote endpoint behind a proxying server failed us: 502, or 504 for a timeout."""

    def __init__(self, status: int, message: str, endpoint: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.endpoint = endpoint


def _gateway_response(exc: GatewayError) -> Response:
    body = {"error": exc.message, "status": exc.status, "endpoint": exc.endpoint}
    return JSONResponse(body, status_code=exc.status, headers={"Cache-Control": "no-store"})


def create_app(engine: Engine | RemoteEngine, *, loopback_only: bool = True, close_engine: bool = False,
               max_query_bytes: int = MAX_BODY) -> Starlette:
    """The ASGI application over ``engine``, a local :class:`~kg.query.engine.Engine` or a
    :class:`~kg.query.remote.RemoteEngine` (closed at shutdown when ``close_engine``); a
    request whose query or body is over ``max_query_bytes`` gets 413/414."""

    async def endpoint(request: Request) -> Response:
        try:
            text, pairs = await _read_request(request, max_query_bytes)
            if text is None:
                if "text/html" in request.headers.get("accept", "") and request.method == "GET":
                    return RedirectResponse("/", status_code=303)
                raise HttpError(400, "missing 'query' parameter (SPARQL 1.1 Protocol query operation)")
            if len(text.encode("utf-8")) > max_query_bytes:
                raise HttpError(413, f"query too long (over {max_query_bytes} bytes)")
            values = {k[len("param."):]: v for k, v in pairs if k.startswith("param.") and v != ""}
            notes: list[str] = []
            try:
                bound = bind(text, values)  # checked before anything is asked
            except ParameterError as exc:
                raise HttpError(400, f"Bad parameter: {exc}") from None
            fmt_override = _format_param(_first(pairs, "format") or _first(pairs, "output"))
            def ask(q: str):
                return engine.query(q, default_graph=_all(pairs, "default-graph-uri"),
                                    named_graphs=_all(pairs, "named-graph-uri"))

            try:
                if values:
                    # Names resolve as in kg query: labels, then their variants, then part of a name.
                    result, notes, _ = await run_in_threadpool(
                        run_resolved, ask, text, parse_header("query", text).params, values)
                else:
                    result = await run_in_threadpool(ask, bound)
            except EndpointTimeout as exc:
                raise GatewayError(504, _capitalized(str(exc)), engine.name) from None
            except (EndpointError, EndpointFailed) as exc:
                raise GatewayError(502, _capitalized(str(exc)), engine.name) from None
            except QuerySyntaxError as exc:
                raise HttpError(400, f"Malformed query: {exc}") from None
            except QueryRefused as exc:
                raise HttpError(403, str(exc)) from None
            except ParameterError as exc:
                raise HttpError(400, str(exc)) from None
            except QueryTimeout as exc:
                raise HttpError(503, _capitalized(str(exc))) from None
            except EngineBusy as exc:
                raise HttpError(503, str(exc), {"Retry-After": "5"}) from None
            except SparqlError as exc:
                raise HttpError(500, f"Query failed: {exc}") from None
            ok = GRAPH_FORMATS if result.kind == "graph" else RESULT_FORMATS
            if fmt_override in ok:
                fmt = fmt_override
            else:  # no format parameter, or one that does not fit this kind of result
                fmt = negotiate(request.headers.get("accept"), result.kind)
        except HttpError as exc:
            return _error_response(exc.status, exc.message, exc.headers)
        except GatewayError as exc:
            return _gateway_response(exc)
        body = serialize(result, fmt)
        headers = {
            "Cache-Control": "no-store",
            "Vary": "Accept",
            "X-Result-Rows": str(result.count),
            "X-Result-Truncated": "true" if result.truncated else "false",
            "X-Query-Seconds": f"{result.seconds:.3f}",
        }
        if result.max_rows:
            headers["X-Max-Rows"] = str(result.max_rows)
        if notes:
            # What the name parameters resolved to, one note per parameter (percent-encoded UTF-8).
            headers["X-Name-Notes"] = quote("\n".join(notes), safe="")
        return Response(body, media_type=FORMATS[fmt], headers=headers)

    async def page(request: Request) -> Response:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8",
                            headers={"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-cache"})

    views_dir: Path | None = engine.views_dir  # None: a remote graph has no views here

    async def library(request: Request) -> Response:
        try:
            queries = [q.to_dict() for q in list_queries()]
        except FileNotFoundError:
            queries = []
        views = "/views/" if views_dir is not None and (views_dir / "index.html").is_file() else None
        # The build served (its time and documents): the one current now, which the
        # engine switches to before its next query unless pinned (kg/query/pinning.py).
        build = await run_in_threadpool(served_build, engine)
        return JSONResponse({"queries": queries, "max_rows": engine.max_rows, "timeout": engine.timeout,
                             "graph": engine.name, "quads": engine.quads, "views": views, "build": build})

    async def favicon(request: Request) -> Response:
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    @contextlib.asynccontextmanager
    async def lifespan(app):
        try:
            yield
        finally:
            if close_engine:
                await run_in_threadpool(engine.close)

    middleware = [
        # CORS: any page (a user's own YASGUI, say) may query; preflights for the two
        # query methods are answered, Update is refused by the endpoint itself.
        Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                   allow_headers=["Content-Type", "Accept", "Accept-Language", "Content-Language"], max_age=600,
                   expose_headers=["X-Result-Rows", "X-Result-Truncated", "X-Max-Rows", "X-Query-Seconds",
                                   "X-Name-Notes"]),
    ]
    if loopback_only:
        middleware.insert(0, Middleware(LoopbackHostMiddleware))
    routes = [
        Route("/", page, methods=["GET"]),
        Route("/sparql", endpoint, methods=["GET", "POST"]),
        Route("/api/queries", library, methods=["GET"]),
        Route("/favicon.ico", favicon, methods=["GET"]),
        # Entity pages (/id/…), /search and /api/names: kg/query/linked_data.py.
        *linked_data.routes(engine),
        *query_page.routes(),  # /api/terms: what the query page's editor completes
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
        # The HTML views of `kg viz` (written to views/ beside the graph), when there are any.
        Mount("/views", app=_OptionalStaticFiles(views_dir), name="views"),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


class _OptionalStaticFiles:
    """Static files from a directory that may appear (or vanish) while the server runs."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._app: StaticFiles | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.directory is None or not self.directory.is_dir():
            self._app = None
            await PlainTextResponse("No graph views here yet: `kg viz` writes them\n", status_code=404)(
                scope, receive, send)
            return
        if self._app is None:
            self._app = StaticFiles(directory=self.directory, html=True)
        await self._app(scope, receive, send)


def _host_is_loopback(host_header: str) -> bool:
    host = host_header.strip()
    if host.startswith("["):
        host = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class LoopbackHostMiddleware:
    """Refuse requests whose Host header names anything but this machine's loopback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            if host and not _host_is_loopback(host):
                await PlainTextResponse("Invalid Host header\n", status_code=400)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def check_address(host: str, port: int) -> None:
    """Raise :class:`OSError` when ``host:port`` cannot be listened on (a port in use, an
    address not of this machine): a clear error before anything is served, where uvicorn
    would log it and exit. The probe socket is closed at once; uvicorn binds its own, so
    its log says where it runs as usual."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host.strip("[]"), port))
        probe.listen(1)


def run(engine: Engine | RemoteEngine, *, host: str = "127.0.0.1", port: int = 8000, loopback_only: bool = True,
        log_level: str = "info", max_query_bytes: int = MAX_BODY) -> int:
    """Serve until interrupted; returns an exit status (non-zero when the server could not start)."""
    import uvicorn

    app = create_app(engine, loopback_only=loopback_only, max_query_bytes=max_query_bytes)
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=True,
                            server_header=False, timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    try:
        server.run()
    except SystemExit as exc:  # uvicorn exits when it cannot bind the port
        return int(exc.code or 1)
    return 0 if server.started else 1
