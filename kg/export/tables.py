"""Directories of CSV tables: ``neo4j`` (node and relationship files with the header
conventions of ``neo4j-admin database import``) and ``csv`` (enterprises, projects
and zones for spreadsheet users, UTF-8 with a byte-order mark so that Excel reads the
Chinese correctly).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from kg.export.facts import Entity, Facts, int_or_float

# --------------------------------------------------------------------------
# CSV tables


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence], *, bom: bool, lineterminator: str) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=lineterminator)
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


NEO4J_NODE_FILES = {  # entity type -> file name
    "Zone": "zones.csv", "Park": "parks.csv", "Enterprise": "enterprises.csv", "Project": "projects.csv",
    "IndustryChain": "chains.csv", "IndustryCluster": "clusters.csv", "Place": "places.csv",
}
NEO4J_DOCUMENTS = "documents.csv"
NEO4J_RELATIONSHIPS = "relationships.csv"
NEO4J_TYPES = {"hosts": "HOSTS", "hasPark": "HAS_PARK", "hasChain": "HAS_CHAIN", "hasCluster": "HAS_CLUSTER",
               "locatedIn": "LOCATED_IN", "operatedBy": "OPERATED_BY", "mentionedIn": "MENTIONED_IN"}
NEO4J_ARRAY_DELIMITER = ";"


def _neo4j_array(values: Iterable[str]) -> str:
    # An element never holds the delimiter: a stray ";" becomes the full-width "；".
    return NEO4J_ARRAY_DELIMITER.join(v.replace(NEO4J_ARRAY_DELIMITER, "；") for v in values)


def to_neo4j(facts: Facts) -> dict[str, bytes]:
    """CSV files for ``neo4j-admin database import full``: one node file per entity type
    (plus documents) and one relationship file. ``iri:ID`` is the node id (also stored
    as the property ``iri``), ``:LABEL`` the entity type; arrays use ``;``."""
    files: dict[str, bytes] = {}
    for type_, name in NEO4J_NODE_FILES.items():
        header = ["iri:ID", "name", "altNames:string[]", "documents:int"]
        project = type_ == "Project"
        if project:
            header += ["amount_cny:long", "currency"]
        header.append(":LABEL")
        rows = []
        for e in sorted(facts.of_type(type_), key=lambda e: e.iri):
            row = [e.iri, e.label, _neo4j_array(e.alt_labels), len(e.documents)]
            if project:
                amount = "" if e.amount is None else str(int_or_float(e.amount))
                row += [amount, (e.currency or "CNY") if e.amount is not None else ""]
            row.append(type_)
            rows.append(row)
        files[name] = _csv_bytes(header, rows, bom=False, lineterminator="\n")
    docs = [[d.iri, d.label, d.file_name, d.content_hash, "Document"]
            for d in sorted(facts.documents.values(), key=lambda d: d.iri)]
    files[NEO4J_DOCUMENTS] = _csv_bytes(["iri:ID", "name", "fileName", "contentHash", ":LABEL"], docs,
                                        bom=False, lineterminator="\n")
    rels = [(s, o, NEO4J_TYPES[r]) for s, r, o in facts.relations]
    rels += [(e.iri, d, NEO4J_TYPES["mentionedIn"]) for e in facts.entities.values() for d in e.documents
             if d in facts.documents]
    files[NEO4J_RELATIONSHIPS] = _csv_bytes([":START_ID", ":END_ID", ":TYPE"], sorted(rels), bom=False,
                                            lineterminator="\n")
    return dict(sorted(files.items()))


def neo4j_import_command(directory: str = ".") -> str:
    """The ``neo4j-admin`` command that imports what :func:`to_neo4j` wrote into ``directory``."""
    d = directory.rstrip("/")
    nodes = " ".join(f"--nodes={d}/{n}" for n in [*NEO4J_NODE_FILES.values(), NEO4J_DOCUMENTS])
    return (f"neo4j-admin database import full {nodes} --relationships={d}/{NEO4J_RELATIONSHIPS} "
            f"--array-delimiter='{NEO4J_ARRAY_DELIMITER}' neo4j")


SPREADSHEET_FILES = ("enterprises.csv", "projects.csv", "zones.csv")
_LIST_SEP = "; "


def _names(facts: Facts, iris: Iterable[str], type_: str | None = None) -> str:
    labels = sorted({facts.label(i) for i in iris if type_ is None or facts.entities.get(i, Entity(i, "")).type == type_})
    return _LIST_SEP.join(labels)


def _yi(amount: Decimal) -> str:
    v = (amount / Decimal(100_000_000)).normalize()
    return f"{v:f}"


def _cny(amount: Decimal) -> str:
    return f"{amount.normalize():f}" if amount != amount.to_integral_value() else str(int(amount))


def _divisions_of(facts: Facts, places: Iterable[str]) -> tuple[set[str], set[str]]:
    """The province and city labels the places are or lie in (by their division codes)."""
    provinces: set[str] = set()
    cities: set[str] = set()
    for iri in places:
        seen = set()
        while iri in facts.entities and iri not in seen:
            seen.add(iri)
            e = facts.entities[iri]
            code = e.division_code
            if code.endswith("0000"):
                provinces.add(e.label)
            elif code.endswith("00"):
                cities.add(e.label)
            iri = e.contained_in
    return provinces, cities


def to_spreadsheet_csv(facts: Facts) -> dict[str, bytes]:
    """Plain tables, one row per entity, sorted by name: enterprises.csv, projects.csv
    (with the investment, zone, park and operator), zones.csv (with place and counts),
    each with the province and the city of its zones.
    UTF-8 with a byte-order mark, CRLF line ends: what Excel expects."""
    def typed(iris: Iterable[str], type_: str) -> list[str]:
        return [i for i in iris if i in facts.entities and facts.entities[i].type == type_]

    def province_city(zones: Iterable[str]) -> list[str]:
        places = [p for z in zones for p in typed(facts.out(z, "locatedIn"), "Place")]
        provinces, cities = _divisions_of(facts, places)
        return [_LIST_SEP.join(sorted(provinces)), _LIST_SEP.join(sorted(cities))]

    ent_rows = []
    for e in facts.of_type("Enterprise"):
        hosts = facts.into(e.iri, "hosts")
        ent_rows.append([e.label, _names(facts, typed(hosts, "Zone")), *province_city(typed(hosts, "Zone")),
                         _names(facts, typed(hosts, "Park")),
                         _names(facts, facts.into(e.iri, "operatedBy")), len(e.documents),
                         _LIST_SEP.join(e.alt_labels), e.iri])
    proj_rows = []
    for e in facts.of_type("Project"):
        located = facts.out(e.iri, "locatedIn")
        proj_rows.append([e.label,
                          "" if e.amount is None else _cny(e.amount),
                          "" if e.amount is None else _yi(e.amount),
                          "" if e.amount is None else (e.currency or "CNY"),
                          _names(facts, typed(located, "Zone")), *province_city(typed(located, "Zone")),
                          _names(facts, typed(located, "Park")),
                          _names(facts, facts.out(e.iri, "operatedBy")), len(e.documents),
                          _LIST_SEP.join(e.alt_labels), e.iri])
    zone_rows = []
    for z in facts.of_type("Zone"):
        projects = typed(facts.into(z.iri, "locatedIn"), "Project")
        invested = [facts.entities[p].amount for p in projects if facts.entities[p].amount is not None]
        zone_rows.append([z.label, _names(facts, typed(facts.out(z.iri, "locatedIn"), "Place")), *province_city([z.iri]),
                          len(facts.out(z.iri, "hasPark")), len(typed(facts.out(z.iri, "hosts"), "Enterprise")),
                          len(projects), len(invested), _cny(sum(invested, Decimal(0))) if invested else "0",
                          _names(facts, facts.out(z.iri, "hasChain")), _names(facts, facts.out(z.iri, "hasCluster")),
                          len(z.documents), _LIST_SEP.join(z.alt_labels), z.iri])
    kw = {"bom": True, "lineterminator": "\r\n"}
    return {
        "enterprises.csv": _csv_bytes(["name", "zones", "province", "city", "parks", "projects_operated", "documents",
                                       "other_names", "iri"],
                                      ent_rows, **kw),
        "projects.csv": _csv_bytes(["name", "amount_cny", "amount_yi", "currency", "zone", "province", "city", "park", "operator",
                                    "documents", "other_names", "iri"], proj_rows, **kw),
        "zones.csv": _csv_bytes(["name", "place", "province", "city", "parks", "enterprises", "projects", "projects_with_amount",
                                 "invested_cny", "chains", "clusters", "documents", "other_names", "iri"],
                                zone_rows, **kw),
    }
