"""Read a built graph back as per-article predictions in the gold-file format,
so that ``kg eval`` scores what the graph says, not an intermediate structure."""
from __future__ import annotations

from collections import defaultdict

from kg.graph.namespaces import ENTITY_CLASSES, KG, RELATIONS

_TYPE_OF = {str(v): k for k, v in ENTITY_CLASSES.items()}
_REL_OF = {str(v): k for k, v in RELATIONS.items()}

_ENTITIES = """
SELECT ?doc ?e ?type ?name WHERE {
  ?g a kg:Document ; rdfs:label ?doc .
  GRAPH ?g { ?e a ?type . { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name } }
}"""
_FACTS = """
SELECT ?doc ?s ?p ?o ?amount (SAMPLE(?text) AS ?evidence) WHERE {
  ?g a kg:Document ; rdfs:label ?doc .
  GRAPH ?g {
    ?s ?p ?o . FILTER(?p IN (%s)) OPTIONAL { ?o kg:amount ?amount }
    OPTIONAL { ?ev rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidenceText ?text }
  }
} GROUP BY ?doc ?s ?p ?o ?amount""" % ", ".join(f"<{v}>" for v in RELATIONS.values())


def predictions_from_graph(kg) -> dict[str, dict]:
    ds = kg.dataset
    ns = {"kg": KG._NS, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "skos": "http://www.w3.org/2004/02/skos/core#"}
    docs: dict[str, dict] = defaultdict(lambda: {"entities": {}, "facts": []})
    for row in ds.query(_ENTITIES, initNs=ns):
        t = _TYPE_OF.get(str(row.type))
        if t is None:
            continue
        ents = docs[str(row.doc)]["entities"]
        ent = ents.setdefault(str(row.e), {"id": str(row.e), "type": t, "names": []})
        if str(row.name) not in ent["names"]:
            ent["names"].append(str(row.name))
    for row in ds.query(_FACTS, initNs=ns):
        rel = _REL_OF[str(row.p)]
        fact = {"rel": rel, "s": str(row.s)}
        if rel == "invests":
            fact["amount_cny"] = int(row.amount.toPython())
        else:
            fact["o"] = str(row.o)
        if row.evidence is not None:
            fact["evidence"] = str(row.evidence)
        docs[str(row.doc)]["facts"].append(fact)
    out = {}
    for doc, d in docs.items():
        ents = sorted(d["entities"].values(), key=lambda e: e["id"])
        for e in ents:
            e["names"].sort()
        out[doc] = {"doc": doc, "entities": ents, "facts": sorted(d["facts"], key=lambda f: sorted(f.items()))}
    return out
