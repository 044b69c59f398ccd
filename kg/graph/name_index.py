"""The names people use for a zone, a company or a place, beyond the ones an article wrote.

:func:`variants` gives the usual search spellings of a name: NFKC; traditional and
simplified characters; with and without 国家/国家级/省级 and a leading province or city;
the short and long forms of zone kinds (经济技术开发区 ↔ 经开区, 高新技术产业开发区 ↔ 高新区,
综合保税区 ↔ 综保区 …); a company without its legal form. The build writes them as
``skos:hiddenLabel`` (SKOS's term for exactly this), and ``kg query`` resolves every name
parameter through them (:func:`resolve_values`).
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from functools import cache, lru_cache

# Long form, then the short forms people write for it.
ZONE_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("高新技术产业开发区", ("高新区", "高新技术开发区", "高新技术产业园区")),
    ("经济技术开发区", ("经开区", "经济开发区", "经济技术开发区")),
    ("经济开发区", ("经开区", "开发区")),
    ("综合保税区", ("综保区", "保税区")),
    ("产业集聚区", ("集聚区",)),
    ("高新技术开发区", ("高新区",)),
    ("工业园区", ("工业园",)),
    ("产业园区", ("产业园",)),
    ("新区", ()),
)
_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "有限公司", "(集团)", "集团", "公司")
_RANKS = re.compile(r"国家级|国家|省级")
_PARAM_TYPES = {"zone": "Zone", "enterprise": "Enterprise", "place": "Place", "park": "Park", "project": "Project",
                "name": None, "subject": None, "object": None}
SEPARATOR = "|"  # between the names a parameter is bound to (see queries/*.rq)


@cache
def _converters():
    import opencc

    return opencc.OpenCC("t2s").convert, opencc.OpenCC("s2t").convert


def _scripts(name: str) -> set[str]:
    t2s, s2t = _converters()
    nf = unicodedata.normalize("NFKC", name).replace(" ", "")
    return {nf, t2s(nf), s2t(nf)}


def _leading_places(name: str) -> list[str]:
    """The division names a name opens with, in order (安徽省马鞍山… → 安徽省, 马鞍山)."""
    from kg.extract.divisions import codes_named

    out = []
    pos = 0
    while pos < len(name):
        for n in range(min(len(name) - pos, 10), 1, -1):
            if codes_named(name[pos:pos + n]):
                out.append(name[pos:pos + n])
                pos += n
                break
        else:
            break
    return out


def _place_spellings(spelling: str) -> set[str]:
    from kg.extract.divisions import codes_named, divisions

    table = divisions()
    out = {spelling}
    for c in codes_named(spelling):
        out |= {table[c].name, table[c].short}
    return out


def _zone_variants(name: str) -> set[str]:
    out = {name}
    # 国家/国家级/省级 wherever they stand: 国家许昌经济技术开发区, 鹤壁国家经济技术开发区.
    out.add(_RANKS.sub("", name))
    for n in list(out):
        places = _leading_places(n)
        rest = n[sum(map(len, places)):]
        if places and rest:
            # The place as written, in full (许昌市) or short (许昌), and without a leading
            # province or city while a place is left (安徽省马鞍山… → 马鞍山…).
            for i in range(len(places)):
                for head in _place_spellings(places[i]):
                    out.add(head + "".join(places[i + 1:]) + rest)
    for n in list(out):
        for long_, shorts in ZONE_KINDS:
            if n.endswith(long_) and len(n) > len(long_):
                out.update(n[: -len(long_)] + s for s in shorts)
                break
        else:
            for long_, shorts in ZONE_KINDS:
                if long_ != "新区" and len(n) > len(shorts[0]) + 1 and shorts and n.endswith(shorts[0]):
                    out.add(n[: -len(shorts[0])] + long_)
    # A bare kind (经开区, 开发区) names no zone in particular.
    return {v for v in out if v and v not in {k for k, _ in ZONE_KINDS} and
            not any(v in s for _, s in ZONE_KINDS) and len(v) > 3}


def _enterprise_variants(name: str) -> set[str]:
    out = {name}
    for form in _LEGAL_FORMS:
        if name.endswith(form) and len(name) - len(form) >= 2:
            out.add(name[: -len(form)])
            break
    for n in list(out):
        places = _leading_places(n)
        rest = n[sum(map(len, places)):]
        if places and len(rest) >= 2:
            out.add(rest)  # 许昌富森生物科技 → 富森生物科技
    return out


@lru_cache(maxsize=1 << 14)
def variants(name: str, type_: str | None) -> frozenset[str]:
    """The search spellings of ``name`` (itself included) for an entity of ``type_``
    (``None``: any type): the name in NFKC, simplified and traditional characters, and
    the structural variants of its simplified form."""
    forms = _scripts(name)
    simplified = _converters()[0](unicodedata.normalize("NFKC", name).replace(" ", ""))
    out: set[str] = set(forms)
    if type_ in ("Zone", None):
        out |= _zone_variants(simplified)
    if type_ in ("Enterprise", None):
        out |= _enterprise_variants(simplified)
    if type_ in ("Place", None):
        out |= _place_spellings(simplified)
    return frozenset(out)


def hidden_labels(type_: str, names: Sequence[str]) -> list[str]:
    """The variants of an entity's names that are none of its names, sorted."""
    own = set(names)
    found: set[str] = set()
    for n in names:
        found |= variants(n, type_)
    return sorted(found - own)


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
    return {p.name: _PARAM_TYPES[p.name] for p in params if p.type == "string" and p.name in _PARAM_TYPES}


def _takes_a_list(text: str, key: str) -> bool:
    """Whether the query matches parameter ``key`` against a list of names joined by
    :data:`SEPARATOR` (``CONTAINS(CONCAT("|", ?_zone, "|"), …)``, see queries/*.rq)."""
    return re.search(r'CONCAT\(\s*"\|"\s*,\s*\?_%s\s*,' % re.escape(key), text) is not None


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
