"""Graphs for Gephi and friends (networkx): GraphML and GEXF, one node per entity with
its label and type, one edge per relation named by the relation; a project's
investment is an attribute of the project node.
"""
from __future__ import annotations

import io
from collections import Counter

from kg.export.facts import Facts, int_or_float


def to_networkx(facts: Facts):
    """A DiGraph (MultiDiGraph if two entities have two relations): node = entity IRI with ``label``, ``type``, ``alt_labels``
    (joined with ``; ``), ``documents`` (how many articles mention it) and, for a
    project with an investment, ``amount_cny`` and ``currency``; edge = relation,
    keyed and labelled by its name (``relation``)."""
    import networkx as nx

    pairs = Counter((s, o) for s, _, o in facts.relations)
    # A plain DiGraph unless two entities have more than one relation (then keyed by relation).
    multi = any(n > 1 for n in pairs.values())
    g = nx.MultiDiGraph(name="zonekg") if multi else nx.DiGraph(name="zonekg")
    for iri in sorted(facts.entities):
        e = facts.entities[iri]
        attrs: dict = {"label": e.label, "type": e.type, "alt_labels": "; ".join(e.alt_labels),
                       "documents": len(e.documents)}
        if e.amount is not None:
            attrs["amount_cny"] = int_or_float(e.amount)
            attrs["currency"] = e.currency or "CNY"
        g.add_node(iri, **attrs)
    for s, rel, o in facts.relations:
        if multi:
            g.add_edge(s, o, key=rel, relation=rel, label=rel)
        else:
            g.add_edge(s, o, relation=rel, label=rel)
    return g


def to_graphml(facts: Facts) -> bytes:
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml_xml(to_networkx(facts), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def to_gexf(facts: Facts) -> bytes:
    from networkx.readwrite.gexf import GEXFWriter

    g = to_networkx(facts)
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    # No date of writing: the same graph gives the same file.
    meta.attrib.pop("lastmodifieddate", None)
    creator = meta.find("creator")
    if creator is not None:
        creator.text = "zonekg"
    writer.add_graph(g)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
