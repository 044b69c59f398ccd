"""Name parameters resolved through the names people use.

A query parameter such as ``zone=许昌经开区`` is looked up among every label and
``skos:hiddenLabel`` of the graph (the spellings :func:`kg.graph.name_index.variants`
gives at build time): exact matches first, then names containing it, then the nearest
spellings, so that a user's form of a name finds the entity however the articles
wrote it. :func:`run_resolved` runs a library query with its name parameters bound to
what they resolved to.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence

from kg.graph.name_index import SEPARATOR, variants

# The parameters of library queries that name an entity, and the type they name (None: any).
PARAM_TYPES = {"zone": "Zone", "enterprise": "Enterprise", "place": "Place", "park": "Park", "project": "Project",
               "name": None, "subject": None, "object": None}

# --------------------------------------------------------------------------
# Resolving a name parameter


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


_CLASS = "<https://w3id.org/zonekg/ontology#%s>"
_ENTITY_CLASSES = ("Zone", "Park", "Enterprise", "Project", "IndustryChain", "IndustryCluster", "Place")


def _type_pattern(type_: str | None) -> str:
    if type_ is not None:
        return f"?e a {_CLASS % type_} ."
    return "?e a ?t . VALUES ?t { %s }" % " ".join(_CLASS % t for t in _ENTITY_CLASSES)


def _matches_query(type_: str | None, names: Sequence[str], predicates: str) -> str:
    return (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT DISTINCT ?label WHERE {\n"
        f"  VALUES ?n {{ {' '.join(_literal(n) for n in sorted(names))} }}\n"
        f"  ?e {predicates} ?name . FILTER(STR(?name) = ?n)\n"
        f"  {_type_pattern(type_)}\n"
        "  ?e rdfs:label ?label .\n"
        "} ORDER BY ?label"
    )


def _containing_query(type_: str | None, part: str) -> str:
    return (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT DISTINCT ?label WHERE {\n"
        f"  {_type_pattern(type_)}\n"
        f"  ?e rdfs:label|skos:altLabel|skos:hiddenLabel ?name . FILTER(CONTAINS(STR(?name), {_literal(part)}))\n"
        "  ?e rdfs:label ?label .\n"
        "} ORDER BY ?label"
    )


def _nearby_query(type_: str | None, value: str) -> str:
    grams = sorted({value[i:i + 2] for i in range(len(value) - 1)})[:12] or [value]
    cond = " || ".join(f"CONTAINS(STR(?label), {_literal(g)})" for g in grams)
    return (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT DISTINCT ?label WHERE {\n"
        f"  {_type_pattern(type_)}\n"
        f"  ?e rdfs:label ?label . FILTER({cond})\n"
        "} LIMIT 2000"
    )


def _labels(run: Callable[[str], object], text: str) -> list[str]:
    result = run(text)
    return [row[0].value for row in result.rows if row[0] is not None]


def resolve_name(run: Callable[[str], object], type_: str | None, value: str) -> tuple[list[str], str]:
    """The canonical labels of the entities ``value`` names, and how they were found:
    ``exact`` (a label or alias), ``variant`` (a usual variant of one), ``part`` (part of
    a name or variant) or ``none``. ``run`` runs a SELECT query and returns its result."""
    exact = _labels(run, _matches_query(type_, [value], "rdfs:label|skos:altLabel"))
    if exact:
        return exact, "exact"
    found = _labels(run, _matches_query(type_, sorted(variants(value, type_)), "rdfs:label|skos:altLabel|skos:hiddenLabel"))
    if found:
        return found, "variant"
    found = _labels(run, _containing_query(type_, value))
    if found:
        return found, "part"
    return [], "none"


def nearest_names(run: Callable[[str], object], type_: str | None, value: str, n: int = 3) -> list[str]:
    """Labels that look most like ``value`` (for "did you mean …")."""
    labels = sorted(set(_labels(run, _nearby_query(type_, value))))
    grams = {value[i:i + 2] for i in range(len(value) - 1)}

    def closeness(label: str) -> tuple:
        shared = sum(1 for g in grams if g in label)
        return (-shared, -difflib.SequenceMatcher(None, value, label).ratio(), label)

    return sorted(labels, key=closeness)[:n]


def name_params(params: Sequence) -> dict[str, str | None]:
    """The parameters of a query that name an entity, with the entity type they name."""
    return {p.name: PARAM_TYPES[p.name] for p in params if p.type == "string" and p.name in PARAM_TYPES}


def _takes_a_list(text: str, key: str) -> bool:
    """Whether the query matches parameter ``key`` against a list of names joined by
    :data:`SEPARATOR`: declared as ``VALUES ?_zone { UNDEF }`` (:func:`kg.query.library.bind`),
    or matched with ``CONTAINS(CONCAT("|", ?_zone, "|"), …)``."""
    from kg.query.library import value_lists

    return key in value_lists(text) or re.search(r'CONCAT\(\s*"\|"\s*,\s*\?_%s\s*,' % re.escape(key), text) is not None


def resolve_values(run: Callable[[str], object], params: Sequence, values: Mapping[str, str]
                   ) -> tuple[dict[str, list[str]], list[str], bool]:
    """Each name parameter's value replaced by the labels of every entity it resolves
    to (other values as a list of one), notes for the user, and whether some name found
    nothing (the query has then no rows to give; the value is kept as it was)."""
    out = {k: [v] for k, v in values.items()}
    notes: list[str] = []
    missing = False
    for key, type_ in name_params(params).items():
        value = values.get(key)
        if value is None or value == "" or (key == "object" and re.fullmatch(r"[\d.]+", value)):
            continue
        what = {"IndustryChain": "chain", "IndustryCluster": "cluster"}.get(type_, (type_ or "entity").lower())
        labels, how = resolve_name(run, type_, value)
        if not labels:
            missing = True
            near = nearest_names(run, type_, value)
            notes.append(f"no {what} named {value}" + (f"; did you mean {', '.join(near)}?" if near else ""))
            continue
        out[key] = labels
        if len(labels) > 1:
            plural = "entities" if what == "entity" else what + "s"
            notes.append(f"{key}={value}: {len(labels)} {plural}: {', '.join(labels)}")
        elif labels[0] != value:
            notes.append(f"{key}={value}: {labels[0]}")
    return out, notes, missing


def run_resolved(run: Callable[[str], object], text: str, params: Sequence, values: Mapping[str, str]):
    """Run the query ``text`` with its name parameters resolved (:func:`resolve_values`):
    (the result, the notes, the text that ran last). A parameter the query matches
    against a list is bound to all the labels at once; one it looks up as a single name
    (queries/entity.rq) is run once per label, and the rows put together."""
    from kg.query.library import bind

    resolved, notes, _ = resolve_values(run, params, values)
    single = {k: v[0] for k, v in resolved.items() if len(v) == 1 or _takes_a_list(text, k)}
    for k, v in resolved.items():
        if k in single and len(v) > 1:
            single[k] = SEPARATOR.join(v)
    several = {k: v for k, v in resolved.items() if k not in single}
    combos: list[dict[str, str]] = [dict(single)]
    for k, labels in sorted(several.items()):
        combos = [{**c, k: label} for c in combos for label in labels]
    result, bound = None, text
    for combo in combos:
        bound = bind(text, combo, params)
        r = run(bound)
        if result is None:
            result = r
        elif r.kind == "select":
            seen = set(result.rows)
            result.rows.extend(row for row in r.rows if row not in seen)
            result.truncated = result.truncated or r.truncated
            result.seconds += r.seconds
        elif r.kind == "graph":
            seen = set(result.triples)
            result.triples.extend(t for t in r.triples if t not in seen)
    return result, notes, bound
