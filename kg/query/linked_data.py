"""The Linked Data side of ``kg serve``: entity pages, search, name completion.

- ``GET /id/{path}``: the resource ``https://w3id.org/zonekg/id/{path}``. By content
  negotiation (``Accept``) or a ``format`` parameter: HTML for a browser (the default,
  also for ``*/*``), ``text/turtle``, ``application/ld+json`` or ``application/n-triples``
  (the entity's triples, in and out, and its neighbours' labels). 404 when the graph
  states nothing about it.
- ``GET /search?q=NAME``: straight to the entity page when a name or alias is exactly
  ``q`` (or only one entity matches), else a list of the matches.
- ``GET /api/names?q=PART``: completions for the search box, as JSON
  ``{"names": [{"iri", "path", "name", "label", "type"}, …]}``.
"""
from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from kg.query import entity, entity_html
from kg.query.errors import EngineBusy, QueryTimeout, SparqlError
from kg.query.remote import EndpointError, EndpointFailed, EndpointTimeout
from kg.query.results import serialize

PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
RDF_TYPES = {
    "text/html": "html", "application/xhtml+xml": "html",
    "text/turtle": "turtle", "application/x-turtle": "turtle",
    "application/ld+json": "jsonld", "application/json": "jsonld",
    "application/n-triples": "ntriples",
}
FORMAT_NAMES = {"html": "html", "turtle": "turtle", "ttl": "turtle", "jsonld": "jsonld", "json-ld": "jsonld",
                "json": "jsonld", "ntriples": "ntriples", "nt": "ntriples"}
MEDIA = {"html": "text/html; charset=utf-8", "turtle": "text/turtle; charset=utf-8",
         "jsonld": "application/ld+json", "ntriples": "application/n-triples"}
MAX_NAME_QUERY = 200  # characters of a search


def parse_accept(header: str) -> list[tuple[str, float, int]]:
    """(media type, q, position) of every entry of an Accept header."""
    out = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mtype = fields[0].lower()
        if not mtype:
            continue
        q = 1.0
        for f in fields[1:]:
            k, _, v = f.partition("=")
            if k.strip().lower() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        out.append((mtype, q, i))
    return out


def negotiate_rdf(accept: str | None) -> str | None:
    """html / turtle / jsonld / ntriples for an Accept header; None when nothing fits (406)."""
    if not accept or not accept.strip():
        return "html"
    best = None
    for mtype, q, i in parse_accept(accept):
        if q <= 0:
            continue
        if mtype in RDF_TYPES:
            fmt, order = RDF_TYPES[mtype], i
        elif mtype in ("*/*", "text/*"):
            fmt, order = "html", i + 1000  # a wildcard never beats an explicit type of the same q
        else:
            continue
        if best is None or (q, -order) > best[:2]:
            best = (q, -order, fmt)
    return best[2] if best else None


def _failure(exc: Exception) -> Response:
    if isinstance(exc, (EndpointTimeout, QueryTimeout)):
        status = 504 if isinstance(exc, EndpointTimeout) else 503
    elif isinstance(exc, (EndpointError, EndpointFailed)):
        status = 502
    elif isinstance(exc, EngineBusy):
        status = 503
    else:
        status = 500
    return PlainTextResponse(f"{exc}\n", status_code=status, headers={"Cache-Control": "no-store"})


_ENGINE_ERRORS = (SparqlError, EndpointError, EndpointFailed, EndpointTimeout)


def _html(text: str, status: int = 200) -> Response:
    return HTMLResponse(text, status_code=status, headers={"Content-Security-Policy": PAGE_CSP, "Vary": "Accept",
                                                           "Cache-Control": "no-cache"})


def routes(engine) -> list[Route]:
    """The routes, over ``engine`` (a :class:`kg.query.engine.Engine` or :class:`kg.query.remote.RemoteEngine`)."""
    views_dir = getattr(engine, "views_dir", None)  # None: a remote graph has no views here

    def _view_of(d: entity.Description) -> str | None:
        """The ``/views/`` page `kg viz` wrote for a zone, when there is one (named as kg.analyze.views names it)."""
        if views_dir is None or entity.KG_NS + "Zone" not in d.types or not d.label:
            return None
        from kg.analyze.views import slug

        base = slug(d.label)
        tail = d.iri.rstrip("/").rsplit("/", 1)[-1]
        for name in (f"zone-{base}.html", f"zone-{base}-{tail}.html", f"zone-{tail}.html"):
            if base or name == f"zone-{tail}.html":
                if (views_dir / name).is_file():
                    return "/views/" + quote(name)
        return None

    async def resource(request: Request) -> Response:
        iri = entity.iri_for_path(request.url.path)
        if iri is None:
            return PlainTextResponse("not an entity IRI path\n", status_code=404)
        param = request.query_params.get("format")
        fmt = FORMAT_NAMES.get(param.strip().lower()) if param else None
        if fmt is None:
            fmt = negotiate_rdf(request.headers.get("accept"))
        if fmt is None:
            return PlainTextResponse("Not Acceptable: an entity can be sent as text/html, text/turtle, "
                                     "application/ld+json or application/n-triples\n", status_code=406,
                                     headers={"Vary": "Accept"})
        try:
            if fmt == "html":
                d = await run_in_threadpool(entity.describe, engine, iri)
                if not d.found and not d.types:
                    return _html(entity_html.not_found_page(iri), 404)
                return _html(entity_html.entity_page(d, view=_view_of(d)))
            result = await run_in_threadpool(entity.construct, engine, iri)
        except _ENGINE_ERRORS as exc:
            return _failure(exc)
        if not result.triples:
            return PlainTextResponse(f"the graph states nothing about <{iri}>\n", status_code=404,
                                     headers={"Vary": "Accept"})
        body = entity.to_jsonld(result) if fmt == "jsonld" else serialize(result, fmt)
        return Response(body, media_type=MEDIA[fmt], headers={"Vary": "Accept", "Cache-Control": "no-cache",
                                                              "X-Result-Rows": str(result.count)})

    async def search(request: Request) -> Response:
        q = (request.query_params.get("q") or "").strip()[:MAX_NAME_QUERY]
        if not q:
            return _html(entity_html.search_page("", []))
        try:
            names = await run_in_threadpool(entity.find_names, engine, q)
        except _ENGINE_ERRORS as exc:
            return _failure(exc)
        exact = [n for n in names if entity._norm(n.name) == entity._norm(q)]
        target = exact[0] if len({n.iri for n in exact}) == 1 else names[0] if len(names) == 1 else None
        if target is not None:
            path = entity.path_for_iri(target.iri)
            if path:
                return RedirectResponse(quote(path, safe="/:@-._~"), status_code=303)
        return _html(entity_html.search_page(q, names))

    async def names(request: Request) -> Response:
        q = (request.query_params.get("q") or "").strip()[:MAX_NAME_QUERY]
        try:
            found = await run_in_threadpool(entity.find_names, engine, q)
        except _ENGINE_ERRORS as exc:
            return _failure(exc)
        return JSONResponse({"names": [n.to_dict() for n in found]}, headers={"Cache-Control": "no-cache"})

    return [
        Route("/id/{rest:path}", resource, methods=["GET", "HEAD"]),
        Route("/search", search, methods=["GET"]),
        Route("/api/names", names, methods=["GET"]),
    ]
