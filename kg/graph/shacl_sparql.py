"""SHACL Core shapes translated into SPARQL queries over a pyoxigraph store.

pyshacl copies the whole graph into rdflib and walks it in Python, which on a large
corpus costs far more than building the graph. The shapes zonekg uses are simple
(targets, one-step paths, counts, classes, datatypes, lists of allowed values,
string facets), and each of them is one SPARQL query that Oxigraph answers from its
indexes (several property shapes of one target share a query). :func:`compile_shapes` reads a shapes graph and makes those queries;

:meth:`Plan.run` runs them on a store's default graph (the caller puts the union of the
build's graphs there) and returns the (focus node, sh:message) pairs pyshacl would report.

Every query reads only the focus node's own triples (a path is a single IRI, followed
forwards), the ``rdf:type`` triples of the values of the paths in
:attr:`Plan.value_type_paths` (``sh:class`` on values) and the ``rdfs:subClassOf``
triples: so a graph can be validated in parts, each holding those triples for its
focus nodes (:mod:`kg.graph.validate`).

The translation is driven by the shapes graph alone, not by the names of the shapes.
Whatever it does not translate exactly (another constraint component, a path that is
not a single IRI, a shape without sh:message, a severity other than sh:Violation …)
raises :class:`UnsupportedShape`, and the caller falls back to pyshacl: an unknown
construct is never skipped.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD


class UnsupportedShape(Exception):
    """The shapes use a construct this translator does not run exactly like pyshacl."""


# Shape predicates that carry no constraint of their own.
_DESCRIPTIVE = {SH.message, SH.name, SH.description, SH.order, SH.group, SH.defaultValue}
_TARGETS = {SH.targetClass, SH.targetSubjectsOf}
_UNSUPPORTED_TARGETS = {SH.targetNode, SH.targetObjectsOf, SH.target}
# Value-node conditions: each turns into a SPARQL boolean expression on the value.
_VALUE_COMPONENTS = {SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.flags, SH.minLength,
                     SH.maxLength, SH.languageIn, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
                     SH.maxExclusive, SH["or"], SH["and"], SH["not"], SH.node}
# Conditions comparing a value with the focus node's values of another property.
_PAIR_COMPONENTS = {SH.disjoint, SH.lessThan, SH.lessThanOrEquals}
_COUNT_COMPONENTS = {SH.minCount, SH.maxCount, SH.qualifiedValueShape, SH.qualifiedMinCount,
                     SH.qualifiedMaxCount}

# What pyshacl's sh:datatype accepts as the value of a well-formed literal of each type
# (pyshacl.constraints.core.value_constraints.DatatypeConstraintComponent).
_PYTHON_VALUE_TYPE = {XSD.integer: int, XSD.decimal: Decimal, XSD.float: float, XSD.boolean: bool,
                      XSD.date: date}
_ANY_LEXICAL_FORM = {XSD.string, RDF.langString}

_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_PAIR_COMPARISONS = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}

# rdf:type, or rdf:type then rdfs:subClassOf* when the data has subclass triples
# (SHACL instances); filled in when the plan runs.
_TYPE = "{TYPE}"

# A graph validated in parts (kg.graph.validate) has in this named graph the rdf:type
# triples of the values its focus nodes point to, with the subclass triples: there they
# are seen by sh:class on values only, and do not make those values focus nodes of the
# part (only the default graph's nodes are targets). A store of the whole graph has
# nothing in it.
VALUE_TYPES_GRAPH = "urn:zonekg:validate:value-types"


@dataclass(frozen=True)
class _Query:
    """SELECT ?f …: the focus nodes that violate one shape (in one of its components)."""
    messages: tuple[str, ...]
    sparql: str

    def messages_of(self, row) -> tuple[str, ...]:
        return self.messages


@dataclass(frozen=True)
class _MergedQuery:
    """SELECT ?f ?b0 ?b1 …: the focus nodes that violate one or more of several property
    shapes with the same target; ``?bI`` is true when the focus violates the shape of
    ``messages[I]`` (unbound when its test is an error, which pyshacl counts as no
    violation, as the HAVING of a query of its own would)."""
    messages: tuple[tuple[str, ...], ...]
    sparql: str

    def messages_of(self, row) -> tuple[str, ...]:
        out: tuple[str, ...] = ()
        for i, messages in enumerate(self.messages):
            b = row[f"b{i}"]
            if b is not None and b.value == "true":
                out += messages
        return out


@dataclass(frozen=True)
class _PropertyCheck:
    """The counts and value conditions of one property shape, as HAVING tests on ``v``
    (the shape's own variable), so that several can share a query."""
    messages: tuple[str, ...]
    path: str
    v: str
    failures: tuple[str, ...]
    min_count: int | None
    max_count: int | None


@dataclass(frozen=True)
class _LexicalCheck:
    """Values of ``path`` typed ``datatype`` whose lexical form pyshacl finds ill-formed
    ("abc"^^xsd:integer); SPARQL sees only the datatype, so Python checks the forms."""
    messages: tuple[str, ...]
    target: str
    path: str
    datatype: URIRef


@dataclass
class Plan:
    queries: list[_Query] = field(default_factory=list)
    lexical_checks: list[_LexicalCheck] = field(default_factory=list)
    # The paths (SPARQL IRIs) whose values' rdf:type triples some query reads (in the
    # default graph or in VALUE_TYPES_GRAPH).
    value_type_paths: set[str] = field(default_factory=set)

    def run(self, store: ox.Store, keep=None) -> set[tuple[str, str]]:
        """(focus, message) of every violation in the store's default graph; with ``keep``
        (a test on the focus node's N-Triples form), of the focus nodes it accepts."""
        subclassing = _ask(store, f"ASK {{ ?a {_iri(RDFS.subClassOf)} ?b }}")
        type_path = f"{_iri(RDF.type)}/{_iri(RDFS.subClassOf)}*" if subclassing else _iri(RDF.type)
        found: set[tuple[str, str]] = set()
        for q in self.queries:
            for row in _rows(store, q.sparql.replace(_TYPE, type_path), keep):
                focus = row["f"].value
                found.update((focus, m) for m in q.messages_of(row))
        for c in self.lexical_checks:
            bad = _ill_typed_values(store, c.path, c.datatype)
            if not bad:
                continue
            values = " ".join(str(v) for v in bad)
            sparql = (f"SELECT DISTINCT ?f WHERE {{ {c.target.replace(_TYPE, type_path)} "
                      f"?f {c.path} ?v . VALUES ?v {{ {values} }} }}")
            for row in _rows(store, sparql, keep):
                found.update((row["f"].value, m) for m in c.messages)
        return found


def compile_shapes(shapes: Graph) -> Plan:
    """The queries for every shape with a target in ``shapes``; :class:`UnsupportedShape`
    if any part of them cannot be translated exactly."""
    plan = Plan()
    compiler = _Compiler(shapes)
    with_targets = {s for p in _TARGETS | _UNSUPPORTED_TARGETS for s in shapes.subjects(p, None)}
    for kind in (RDFS.Class, OWL.Class):
        # A shape that is also a class targets its instances implicitly.
        for s in shapes.subjects(RDF.type, kind):
            if (s, RDF.type, SH.NodeShape) in shapes or (s, RDF.type, SH.PropertyShape) in shapes:
                with_targets.add(s)
    for shape in sorted(with_targets, key=str):
        compiler.node_shape(shape, plan)
    plan.value_type_paths = compiler.value_type_paths
    return plan


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self._fresh = itertools.count()
        self.value_type_paths: set[str] = set()
        self._path: str | None = None  # the path of the property shape being compiled

    # -- shapes ------------------------------------------------------------

    def node_shape(self, shape, plan: Plan) -> None:
        g = self.g
        self._common_checks(shape)
        if (shape, SH.path, None) in g:
            raise UnsupportedShape(f"property shape {shape} with its own targets")
        for p in set(g.predicates(shape, None)):
            if p in _UNSUPPORTED_TARGETS:
                raise UnsupportedShape(f"{p} on {shape}")
            if p in _COUNT_COMPONENTS or p in _PAIR_COMPONENTS:
                raise UnsupportedShape(f"{p} on node shape {shape}")
        for kind in (RDFS.Class, OWL.Class):
            if (shape, RDF.type, kind) in g:
                raise UnsupportedShape(f"implicit class target on {shape}")
        target = self._target(shape)
        messages = self._messages(shape)
        conditions = self._value_conditions(shape, "?f", focus=None)
        if conditions:
            plan.queries.append(_Query(messages, f"SELECT DISTINCT ?f WHERE {{ {target} "
                                                 f"FILTER(!({' && '.join(conditions)})) }}"))
        checks = [check for i, prop in enumerate(sorted(g.objects(shape, SH.property), key=str))
                  if (check := self._property_shape(prop, target, f"?v{i}", plan)) is not None]
        # The property shapes of one target share a query (a pass over its focus nodes, the
        # costly part) when their values are joined side by side without multiplying rows
        # in a conforming graph: those of at most one value each, and one more of any count.
        single = [c for c in checks if c.max_count is not None and c.max_count <= 1]
        merged = single + [c for c in checks if c not in single][:1]
        if len(merged) < 2:
            merged = []
        for c in checks:
            if c not in merged:
                plan.queries.append(_Query(c.messages, _check_query(target, [c])))
        if merged:
            plan.queries.append(_MergedQuery(tuple(c.messages for c in merged), _check_query(target, merged)))

    def _property_shape(self, shape, target: str, v: str, plan: Plan) -> _PropertyCheck | None:
        """Its counts and value conditions as a check on ``v``; its other components (the
        lexical forms, qualified counts) go to ``plan`` directly."""
        g = self.g
        self._common_checks(shape)
        for p in set(g.predicates(shape, None)):
            if p in _TARGETS or p in _UNSUPPORTED_TARGETS:
                raise UnsupportedShape(f"property shape {shape} with its own targets")
        paths = list(g.objects(shape, SH.path))
        path = paths[0] if len(paths) == 1 else None
        if not isinstance(path, URIRef):
            raise UnsupportedShape(f"path {path!r} of {shape} is not a single IRI")
        if (shape, SH.property, None) in g:
            raise UnsupportedShape(f"nested sh:property in {shape}")
        path_sparql = _iri(path)
        self._path = path_sparql
        messages = self._messages(shape)

        conditions = self._value_conditions(shape, v, focus="?f")
        datatype = g.value(shape, SH.datatype)
        if datatype is not None and datatype not in _ANY_LEXICAL_FORM and datatype != RDFS.Literal:
            plan.lexical_checks.append(_LexicalCheck(messages, target, path_sparql, datatype))
        min_count = self._single_int(shape, SH.minCount)
        max_count = self._single_int(shape, SH.maxCount)
        # Values and counts in one test: the messages are the shape's whichever component
        # fails, and each query costs a pass over the targets.
        failures = []
        if conditions:
            failures.append(f"SUM(IF(BOUND({v}) && !({' && '.join(conditions)}), 1, 0)) > 0")
        if min_count is not None and min_count > 0:
            failures.append(f"COUNT(DISTINCT {v}) < {min_count}")
        if max_count is not None:
            failures.append(f"COUNT(DISTINCT {v}) > {max_count}")
        check = _PropertyCheck(messages, path_sparql, v, tuple(failures), min_count, max_count) if failures else None

        qualified = list(g.objects(shape, SH.qualifiedValueShape))
        q_min = self._single_int(shape, SH.qualifiedMinCount)
        q_max = self._single_int(shape, SH.qualifiedMaxCount)
        if qualified:
            if len(qualified) > 1:
                raise UnsupportedShape(f"several sh:qualifiedValueShape on {shape}")
            if g.value(shape, SH.qualifiedValueShapesDisjoint) not in (None, Literal(False)):
                raise UnsupportedShape(f"sh:qualifiedValueShapesDisjoint on {shape}")
            if q_min is None and q_max is None:
                raise UnsupportedShape(f"sh:qualifiedValueShape without a count on {shape}")
            condition = self._shape_condition(qualified[0], "?v")
            if q_min is not None and q_min > 0:
                plan.queries.append(_Query(messages, _count_query(target, path_sparql, condition, "<", q_min)))
            if q_max is not None:
                plan.queries.append(_Query(messages, _count_query(target, path_sparql, condition, ">", q_max)))
        elif q_min is not None or q_max is not None:
            raise UnsupportedShape(f"qualified count without sh:qualifiedValueShape on {shape}")
        return check

    def _common_checks(self, shape) -> None:
        g = self.g
        known = _DESCRIPTIVE | _TARGETS | _VALUE_COMPONENTS | _PAIR_COMPONENTS | _COUNT_COMPONENTS | {
            SH.property, SH.path, SH.severity, SH.deactivated, SH.qualifiedValueShapesDisjoint,
            SH.targetNode, SH.targetObjectsOf, SH.target}
        for p in set(g.predicates(shape, None)):
            if str(p).startswith(str(SH)) and p not in known:
                raise UnsupportedShape(f"{p} on {shape}")
        severity = g.value(shape, SH.severity)
        if severity is not None and severity != SH.Violation:
            raise UnsupportedShape(f"severity {severity} on {shape}")
        if g.value(shape, SH.deactivated) is not None:
            raise UnsupportedShape(f"sh:deactivated on {shape}")

    def _messages(self, shape) -> tuple[str, ...]:
        messages = tuple(sorted(str(m) for m in self.g.objects(shape, SH.message)))
        if not messages:
            # pyshacl then writes a message of its own per component; not reproduced here.
            raise UnsupportedShape(f"{shape} has no sh:message")
        return messages

    def _target(self, shape) -> str:
        parts = []
        for c in sorted(self.g.objects(shape, SH.targetClass), key=str):
            parts.append(f"{{ ?f {_TYPE} {_term(c)} }}")
        for p in sorted(self.g.objects(shape, SH.targetSubjectsOf), key=str):
            if not isinstance(p, URIRef):
                raise UnsupportedShape(f"sh:targetSubjectsOf {p!r} on {shape}")
            parts.append(f"{{ ?f {_iri(p)} [] }}")
        # DISTINCT: a subject of several values, or of several target classes, is one focus node.
        return f"{{ SELECT DISTINCT ?f WHERE {{ {' UNION '.join(parts)} }} }}"

    def _single_int(self, shape, predicate) -> int | None:
        values = list(self.g.objects(shape, predicate))
        if not values:
            return None
        if len(values) > 1 or not isinstance(values[0], Literal) or not isinstance(values[0].value, int):
            raise UnsupportedShape(f"{predicate} on {shape} is not one integer")
        return values[0].value

    # -- value conditions ---------------------------------------------------

    def _shape_condition(self, shape, v: str) -> str:
        """A shape used as a condition on a value (in sh:or, sh:not, sh:node, sh:qualifiedValueShape)."""
        g = self.g
        self._common_checks(shape)
        for p in set(g.predicates(shape, None)):
            if p in _TARGETS or p in _UNSUPPORTED_TARGETS or p in _COUNT_COMPONENTS or p in _PAIR_COMPONENTS \
                    or p in (SH.property, SH.path):
                raise UnsupportedShape(f"{p} in {shape}, used as a condition on values")
        conditions = self._value_conditions(shape, v, focus=None)
        return f"({' && '.join(conditions)})" if conditions else "true"

    def _value_conditions(self, shape, v: str, focus: str | None) -> list[str]:
        """What each value ``v`` of the shape must satisfy, as SPARQL boolean expressions.
        ``focus`` is the focus variable when pair constraints may refer to it."""
        g = self.g
        out: list[str] = []
        for c in sorted(g.objects(shape, SH["class"]), key=str):
            if v == "?f":
                out.append(f"EXISTS {{ {v} {_TYPE} {_term(c)} }}")
                continue
            # A condition on the values of the current path.
            self.value_type_paths.add(self._path)
            out.append(f"EXISTS {{ {{ {v} {_TYPE} {_term(c)} }} UNION "
                       f"{{ GRAPH <{VALUE_TYPES_GRAPH}> {{ {v} {_TYPE} {_term(c)} }} }} }}")
        datatypes = list(g.objects(shape, SH.datatype))
        if len(datatypes) > 1:
            raise UnsupportedShape(f"several sh:datatype in {shape}")
        for d in datatypes:
            if d == RDFS.Literal:
                out.append(f"isLiteral({v})")
            elif d in _ANY_LEXICAL_FORM or (d in _PYTHON_VALUE_TYPE and focus is not None):
                # Lexical forms of the other datatypes are checked by a _LexicalCheck.
                out.append(f"(isLiteral({v}) && datatype({v}) = {_iri(d)})")
            else:
                raise UnsupportedShape(f"sh:datatype {d} in {shape}")
        for k in g.objects(shape, SH.nodeKind):
            if k not in _NODE_KINDS:
                raise UnsupportedShape(f"sh:nodeKind {k} in {shape}")
            out.append(_NODE_KINDS[k].format(v=v))
        for lst in g.objects(shape, SH["in"]):
            members = self._list(lst)
            out.append("(" + " || ".join(f"sameTerm({v}, {_term(m)})" for m in members) + ")" if members else "false")
        patterns = list(g.objects(shape, SH.pattern))
        flags = list(g.objects(shape, SH.flags))
        if len(flags) > 1 or (flags and not patterns):
            raise UnsupportedShape(f"sh:flags in {shape}")
        for pattern in patterns:
            flag = f", {_term(Literal(str(flags[0])))}" if flags else ""
            out.append(f"(!isBlank({v}) && REGEX(STR({v}), {_term(Literal(str(pattern)))}{flag}))")
        for p, op in ((SH.minLength, ">="), (SH.maxLength, "<=")):
            n = self._single_int(shape, p)
            if n is not None:
                out.append(f"(!isBlank({v}) && STRLEN(STR({v})) {op} {n})")
        for lst in g.objects(shape, SH.languageIn):
            ranges = [str(r) for r in self._list(lst)]
            if any("-" in r or r == "*" for r in ranges):
                raise UnsupportedShape(f"sh:languageIn range with a subtag or * in {shape}")
            tests = " || ".join(f"langMatches(lang({v}), {_term(Literal(r))})" for r in ranges) or "false"
            out.append(f"(isLiteral({v}) && ({tests}))")
        for p, op in _COMPARISONS.items():
            for bound in g.objects(shape, p):
                if not isinstance(bound, Literal):
                    raise UnsupportedShape(f"{p} {bound!r} in {shape}")
                out.append(f"COALESCE({v} {op} {_term(bound)}, false)")
        for p in (SH["or"], SH["and"]):
            for lst in g.objects(shape, p):
                members = [self._shape_condition(m, v) for m in self._list(lst)]
                joiner, empty = (" || ", "false") if p == SH["or"] else (" && ", "true")
                out.append(f"({joiner.join(members)})" if members else empty)
        for m in g.objects(shape, SH["not"]):
            out.append(f"!{self._shape_condition(m, v)}")
        for m in g.objects(shape, SH.node):
            out.append(self._shape_condition(m, v))
        for p in _PAIR_COMPONENTS:
            for other in g.objects(shape, p):
                if focus is None or not isinstance(other, URIRef):
                    raise UnsupportedShape(f"{p} in {shape} outside a property shape")
                if p == SH.disjoint:
                    out.append(f"NOT EXISTS {{ {focus} {_iri(other)} {v} }}")
                else:
                    o = f"?o{next(self._fresh)}"
                    out.append(f"NOT EXISTS {{ {focus} {_iri(other)} {o} "
                               f"FILTER(!COALESCE({v} {_PAIR_COMPARISONS[p]} {o}, false)) }}")
        return out

    def _list(self, node) -> list:
        if node != RDF.nil and not isinstance(node, BNode):
            raise UnsupportedShape(f"{node!r} is not an RDF list")
        return list(Collection(self.g, node))


def _check_query(target: str, checks: list[_PropertyCheck]) -> str:
    """The focus nodes failing one of ``checks``; with several, a boolean ?bI per check.

    A check alone joins its values (OPTIONAL only if a focus without any fails it); in a
    merged query every check's values are OPTIONAL, which changes no test: a focus without
    values has no failing value and a count of 0, which fails only a minimum."""
    if len(checks) == 1:
        (c,) = checks
        values = f"?f {c.path} {c.v}"
        if c.min_count is not None and c.min_count > 0:
            values = f"OPTIONAL {{ {values} }}"
        return f"SELECT ?f WHERE {{ {target} {values} }} GROUP BY ?f HAVING ({' || '.join(c.failures)})"
    tests = [f"({' || '.join(c.failures)})" for c in checks]
    columns = " ".join(f"({t} AS ?b{i})" for i, t in enumerate(tests))
    values = " ".join(f"OPTIONAL {{ ?f {c.path} {c.v} }}" for c in checks)
    return f"SELECT ?f {columns} WHERE {{ {target} {values} }} GROUP BY ?f HAVING ({' || '.join(tests)})"


def _count_query(target: str, path: str, condition: str | None, op: str, n: int) -> str:
    """Focus nodes whose number of distinct values (satisfying ``condition``) is ``op`` ``n``."""
    where = f"?f {path} ?v" + (f" FILTER({condition})" if condition else "")
    if op == "<":
        if n == 1:
            return f"SELECT DISTINCT ?f WHERE {{ {target} FILTER NOT EXISTS {{ {where} }} }}"
        return (f"SELECT ?f WHERE {{ {target} OPTIONAL {{ {where} }} }} "
                f"GROUP BY ?f HAVING (COUNT(DISTINCT ?v) < {n})")
    return f"SELECT ?f WHERE {{ {target} {where} }} GROUP BY ?f HAVING (COUNT(DISTINCT ?v) > {n})"


# Lexical forms that rdflib (so pyshacl) reads as a value of the datatype's Python type
# whatever they are: plain digits, few enough for int() and Decimal() alike. Oxigraph
# leaves them out of the values checked in Python, which are then only the unusual ones
# (a sign, an exponent, a typo); ``$`` is the end of the form in Oxigraph's regexes.
_PLAIN_FORMS = {XSD.integer: "^[0-9]{1,18}$", XSD.decimal: "^[0-9]{1,18}([.][0-9]{1,18})?$"}


def _ill_typed_values(store: ox.Store, path: str, datatype: URIRef) -> list[ox.Literal]:
    """Literals typed ``datatype`` on ``path`` whose lexical form pyshacl rejects."""
    plain = _PLAIN_FORMS.get(datatype)
    unusual = f" && !REGEX(STR(?v), {_term(Literal(plain))})" if plain else ""
    sparql = (f"SELECT DISTINCT ?v WHERE {{ ?s {path} ?v "
              f"FILTER(isLiteral(?v) && datatype(?v) = {_iri(datatype)}{unusual}) }}")
    bad = []
    value_type = _PYTHON_VALUE_TYPE[datatype]
    for row in store.query(sparql):
        lit = row["v"]
        rd = Literal(lit.value, datatype=datatype)
        if getattr(rd, "ill_typed", None) is True or not isinstance(rd.value, value_type):
            bad.append(lit)
    return sorted(bad, key=str)


def _rows(store: ox.Store, sparql: str, keep=None):
    for row in store.query(sparql):
        if keep is None or keep(str(row["f"])):
            yield row


def _ask(store: ox.Store, sparql: str) -> bool:
    return bool(store.query(sparql))


def _iri(iri) -> str:
    return str(ox.NamedNode(str(iri)))


def _term(t) -> str:
    if isinstance(t, URIRef):
        return _iri(t)
    if isinstance(t, Literal):
        if t.language:
            return str(ox.Literal(str(t), language=t.language))
        return str(ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD.string))))
    raise UnsupportedShape(f"blank node {t!r} as a term in a shape")
