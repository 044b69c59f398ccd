"""What the query page's editor completes: SPARQL keywords, prefixes and the ontology's terms.

``GET /api/terms`` gives ``{"prefixes": {prefix: namespace}, "keywords": [...], "terms":
[{"name": "kg:Zone", "kind": "class" | "property", "label": "开发区 · Development zone",
"comment": ...}]}``, read once from the ontology the package ships (``zonekg.ttl``), so the
page completes exactly the vocabulary the graph speaks.
"""
from __future__ import annotations

from functools import lru_cache

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kg.query.library import DEFAULT_PREFIXES

# SPARQL 1.1 Query keywords and functions (no Update: the endpoint is read-only).
KEYWORDS = (
    "SELECT", "DISTINCT", "REDUCED", "AS", "CONSTRUCT", "DESCRIBE", "ASK", "FROM", "NAMED", "WHERE", "ORDER", "BY",
    "ASC", "DESC", "LIMIT", "OFFSET", "GROUP", "HAVING", "VALUES", "OPTIONAL", "UNION", "MINUS", "GRAPH", "FILTER",
    "BIND", "NOT", "EXISTS", "IN", "PREFIX", "BASE", "UNDEF", "SERVICE", "SILENT", "COUNT", "SUM", "MIN", "MAX",
    "AVG", "SAMPLE", "GROUP_CONCAT", "SEPARATOR", "STR", "LANG", "LANGMATCHES", "DATATYPE", "BOUND", "IRI", "URI",
    "BNODE", "RAND", "ABS", "CEIL", "FLOOR", "ROUND", "CONCAT", "STRLEN", "UCASE", "LCASE", "ENCODE_FOR_URI",
    "CONTAINS", "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER", "YEAR", "MONTH", "DAY", "NOW", "MD5", "SHA1",
    "SHA256", "COALESCE", "IF", "STRLANG", "STRDT", "SAMETERM", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL",
    "ISNUMERIC", "REGEX", "SUBSTR", "REPLACE", "TRUE", "FALSE", "a",
)


@lru_cache(maxsize=1)
def ontology_terms() -> tuple[dict, ...]:
    """The classes and properties of the ontology, as prefixed names with their labels."""
    from rdflib import OWL, RDF, RDFS, Graph, URIRef

    from kg.graph.ontology_files import ontology_path

    g = Graph().parse(ontology_path(), format="turtle")
    kinds = {OWL.Class: "class", RDFS.Class: "class", OWL.ObjectProperty: "property",
             OWL.DatatypeProperty: "property", RDF.Property: "property", OWL.AnnotationProperty: "property"}
    out = {}
    for cls, kind in kinds.items():
        for s in g.subjects(RDF.type, cls):
            if not isinstance(s, URIRef):
                continue
            name = _prefixed(str(s))
            if name is None:
                continue
            labels = sorted(g.objects(s, RDFS.label), key=lambda lit: (lit.language != "zh", str(lit)))
            comments = sorted(g.objects(s, RDFS.comment), key=lambda lit: (lit.language != "en", str(lit)))
            out[name] = {"name": name, "kind": kind, "label": " · ".join(str(x) for x in labels),
                         "comment": str(comments[0]) if comments else ""}
    return tuple(out[k] for k in sorted(out))


def _prefixed(iri: str) -> str | None:
    for prefix, ns in DEFAULT_PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns) and "/" not in iri[len(ns):] and "#" not in iri[len(ns):]:
            return f"{prefix}:{iri[len(ns):]}"
    return None


def routes() -> list[Route]:
    async def terms(request: Request) -> JSONResponse:
        return JSONResponse({"prefixes": DEFAULT_PREFIXES, "keywords": list(KEYWORDS),
                             "terms": list(ontology_terms())}, headers={"Cache-Control": "max-age=300"})

    return [Route("/api/terms", terms, methods=["GET"])]
