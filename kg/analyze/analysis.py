"""Industrial-chain clusters and the measures users ask for, from a built graph.

``kg analyze`` reads ``out/graph.trig`` (or ``graph.ttl``), projects it to
networkx, assigns every enterprise, park, project, chain and named cluster an
industry, finds communities with Louvain (fixed seed) and names each one by its
dominant industry. It then measures, per zone, what each cluster holds
(enterprises, projects, investment), the most central enterprises, what bridges
zones, and how alike the zones' chains are. Results go to ``out/analysis.ttl``
(RDF with the ``kg:ChainCluster`` terms, loadable next to ``graph.trig``) and
``out/analysis.json``; :func:`render` prints them as tables.

How industries and clusters are decided is written up in ``docs/analysis.md``;
the short version is in :func:`assign_industries` and :func:`cluster_graph`.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Iterable

import networkx as nx
import pyoxigraph as ox

from kg.analyze.clusters import CLUSTERED_TYPES, SEED, Cluster, find_clusters
from kg.analyze.industries import Assignment, Lexicon, assign_industries
from kg.analyze.measures import centrality, jaccard
from kg.analyze.projection import (
    RDF_NS,
    RDF_TYPE,
    RDFS_LABEL,
    kg_iri,
    load_quads,
    project,
    short_hash,
    zones_of,
)
from kg.graph.namespaces import ID, KG

TOP_N = 10


@dataclass
class Analysis:
    graph: nx.MultiDiGraph
    assignment: dict[str, Assignment]
    clusters: list[Cluster]
    centrality: dict[str, dict[str, float]]
    source: str = ""

    # Derived views, filled by __post_init__.
    cluster_of: dict[str, Cluster] = field(default_factory=dict)
    zones: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cluster_of = {m: c for c in self.clusters for m in c.members}
        self.zones = {n: zones_of(self.graph, n) for n in self.graph.nodes}

    # -- helpers -------------------------------------------------------------
    def label(self, n: str) -> str:
        return self.graph.nodes[n]["label"]

    def type(self, n: str) -> str:
        return self.graph.nodes[n]["type"]

    def nodes_of(self, type_: str) -> list[str]:
        return sorted(n for n, d in self.graph.nodes(data=True) if d["type"] == type_)

    def zone_list(self) -> list[str]:
        return sorted(self.nodes_of("Zone"), key=lambda z: (self.label(z), z))

    def zone_industries(self, zone: str) -> set[str]:
        """Industries of a zone: of its chains and named clusters and of every member entity."""
        return {self.assignment[n].industry for n, zs in self.zones.items()
                if zone in zs and n in self.assignment}

    # -- the report ----------------------------------------------------------
    def per_zone(self) -> list[dict]:
        out = []
        for z in self.zone_list():
            rows: dict[str, dict] = {}
            unclassified = Counter()
            for n, zs in sorted(self.zones.items()):
                if z not in zs or n == z:
                    continue
                t = self.type(n)
                if t not in CLUSTERED_TYPES:
                    continue
                c = self.cluster_of.get(n)
                if c is None:
                    unclassified[t] += 1
                    continue
                row = rows.setdefault(c.iri, {"cluster": c.iri, "label": c.label, "enterprises": 0, "projects": 0,
                                              "parks": 0, "chains": 0, "investment_cny": 0, "projects_with_amount": 0})
                key = {"Enterprise": "enterprises", "Project": "projects", "Park": "parks"}.get(t, "chains")
                row[key] += 1
                if t == "Project" and self.graph.nodes[n].get("amount") is not None:
                    row["investment_cny"] += self.graph.nodes[n]["amount"]
                    row["projects_with_amount"] += 1
            clusters = sorted(rows.values(), key=lambda r: (-(r["enterprises"] + r["projects"] + r["parks"] + r["chains"]),
                                                             -r["investment_cny"], r["label"]))
            out.append({
                "zone": z, "label": self.label(z),
                "enterprises": sum(1 for n, zs in self.zones.items() if z in zs and self.type(n) == "Enterprise"),
                "projects": sum(1 for n, zs in self.zones.items() if z in zs and self.type(n) == "Project"),
                "investment_cny": sum(self.graph.nodes[n].get("amount") or 0 for n, zs in self.zones.items()
                                      if z in zs and self.type(n) == "Project"),
                "clusters": clusters,
                "unclassified": dict(sorted(unclassified.items())),
            })
        return out

    def provinces_of(self, zone: str) -> list[str]:
        """The provinces a zone lies in: the divisions (code ….0000) at or above its places."""
        out = set()
        for _, place, rel in self.graph.out_edges(zone, keys=True):
            seen = set()
            while place in self.graph and place not in seen and self.type(place) == "Place":
                seen.add(place)
                if self.graph.nodes[place].get("code", "").endswith("0000"):
                    out.add(place)
                place = self.graph.nodes[place].get("parent", "")
        return sorted(out)

    def per_province(self) -> list[dict]:
        """Zones, enterprises, projects, announced investment and the largest clusters
        per province (a zone with no known province under "–")."""
        rows: dict[str, dict] = {}
        members: dict[str, dict[str, set[str]]] = {}
        for z in self.zone_list():
            for prov in self.provinces_of(z) or [""]:
                row = rows.setdefault(prov, {"province": prov, "label": self.label(prov) if prov else "–",
                                             "zones": 0, "enterprises": 0, "projects": 0, "investment_cny": 0,
                                             "clusters": []})
                row["zones"] += 1
                m = members.setdefault(prov, {"Enterprise": set(), "Project": set()})
                for n, zs in self.zones.items():
                    if z in zs and self.type(n) in m:
                        m[self.type(n)].add(n)
        for prov, row in rows.items():
            m = members[prov]
            row["enterprises"], row["projects"] = len(m["Enterprise"]), len(m["Project"])
            row["investment_cny"] = sum(self.graph.nodes[p].get("amount") or 0 for p in m["Project"])
            held = Counter(self.cluster_of[n].label for kind in m.values() for n in kind if n in self.cluster_of)
            row["clusters"] = [label for label, _ in sorted(held.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
        return sorted(rows.values(), key=lambda r: (r["province"] == "", -r["zones"], -r["investment_cny"], r["label"]))

    def central_enterprises(self, n: int = TOP_N) -> dict[str, list[dict]]:
        ents = [e for e in self.nodes_of("Enterprise") if e in self.centrality]

        def row(e: str) -> dict:
            c = self.cluster_of.get(e)
            return {"enterprise": e, "label": self.label(e), "degree": self.centrality[e]["degree"],
                    "degree_centrality": round(self.centrality[e]["degree_centrality"], 6),
                    "betweenness": round(self.centrality[e]["betweenness"], 6),
                    "cluster": c.label if c else None,
                    "zones": [self.label(z) for z in sorted(self.zones[e], key=self.label)]}

        by_degree = sorted(ents, key=lambda e: (-self.centrality[e]["degree"], -self.centrality[e]["betweenness"], self.label(e), e))
        by_btw = sorted(ents, key=lambda e: (-self.centrality[e]["betweenness"], -self.centrality[e]["degree"], self.label(e), e))
        return {"by_degree": [row(e) for e in by_degree[:n]], "by_betweenness": [row(e) for e in by_btw[:n]]}

    def bridges(self) -> dict[str, list[dict]]:
        def zl(zs: Iterable[str]) -> list[str]:
            return sorted(self.label(z) for z in zs)

        enterprises = [
            {"enterprise": e, "label": self.label(e), "zones": zl(self.zones[e]),
             "cluster": self.cluster_of[e].label if e in self.cluster_of else None}
            for e in self.nodes_of("Enterprise") if len(self.zones[e]) > 1
        ]
        chains = [
            {"chain": c, "label": self.label(c), "type": self.type(c), "zones": zl(self.zones[c])}
            for c in self.nodes_of("IndustryChain") + self.nodes_of("IndustryCluster") if len(self.zones[c]) > 1
        ]
        clusters = []
        for c in self.clusters:
            if len(c.zones) < 2:
                continue
            counts = Counter(z for m in c.members for z in self.zones[m])
            clusters.append({"cluster": c.iri, "label": c.label,
                             "zones": [{"zone": self.label(z), "members": counts[z]} for z in sorted(c.zones, key=self.label)]})
        key = lambda r: (-len(r["zones"]), r["label"])  # noqa: E731
        return {"enterprises": sorted(enterprises, key=key), "chains": sorted(chains, key=key),
                "clusters": sorted(clusters, key=key)}

    def zone_similarity(self) -> list[dict]:
        inds = {z: self.zone_industries(z) for z in self.zone_list()}
        pairs = []
        for a, b in combinations(self.zone_list(), 2):
            if not (inds[a] | inds[b]):
                continue
            pairs.append({"a": self.label(a), "b": self.label(b), "jaccard": round(jaccard(inds[a], inds[b]), 6),
                          "shared": sorted(inds[a] & inds[b]), "zone_a": a, "zone_b": b})
        pairs.sort(key=lambda p: (-p["jaccard"], -len(p["shared"]), p["a"], p["b"]))
        return pairs

    def cluster_rows(self) -> list[dict]:
        rows = []
        for c in self.clusters:
            by_type = Counter(self.type(m) for m in c.members)
            inv = sum(self.graph.nodes[m].get("amount") or 0 for m in c.members if self.type(m) == "Project")
            rows.append({
                "cluster": c.iri, "label": c.label, "industry": c.industry, "size": len(c.members),
                "members_by_type": {t: by_type[t] for t in CLUSTERED_TYPES if by_type[t]},
                "chains": c.chains, "zones": [self.label(z) for z in c.zones], "investment_cny": inv,
                "members": [{"iri": m, "label": self.label(m), "type": self.type(m)} for m in
                            sorted(c.members, key=lambda m: (CLUSTERED_TYPES.index(self.type(m)), self.label(m), m))],
            })
        return rows

    def report(self) -> dict:
        types = Counter(d["type"] for _, d in self.graph.nodes(data=True))
        rels = Counter(r for _, _, r in self.graph.edges(keys=True))
        assigned = [
            {"iri": n, "label": self.label(n), "type": self.type(n), "industry": a.industry, "basis": a.basis}
            for n, a in sorted(self.assignment.items(), key=lambda kv: (self.type(kv[0]), self.label(kv[0]), kv[0]))
        ]
        return {
            "source": self.source,
            "seed": SEED,
            "graph": {"nodes": dict(sorted(types.items())), "edges": dict(sorted(rels.items()))},
            "industries": {
                "assigned": len(self.assignment),
                "by_basis": dict(sorted(Counter(a.basis for a in self.assignment.values()).items())),
                "unassigned": sum(1 for n, d in self.graph.nodes(data=True)
                                  if d["type"] in CLUSTERED_TYPES and n not in self.assignment),
                "assignments": assigned,
            },
            "clusters": self.cluster_rows(),
            "zones": self.per_zone(),
            "provinces": self.per_province(),
            "central_enterprises": self.central_enterprises(),
            "bridges": self.bridges(),
            "zone_similarity": [{k: v for k, v in p.items() if k not in ("zone_a", "zone_b")} for p in self.zone_similarity()],
        }

    # -- RDF -----------------------------------------------------------------
    def triples(self) -> list[ox.Triple]:
        def nn(x: str) -> ox.NamedNode:
            return ox.NamedNode(x)

        zh = lambda s: ox.Literal(s, language="zh")  # noqa: E731
        rdf_type, label = nn(RDF_TYPE), nn(RDFS_LABEL)
        out: list[ox.Triple] = []
        industries = sorted({a.industry for a in self.assignment.values()})
        ind_iri = {i: nn(str(ID[f"industry/{short_hash('Industry', i)}"])) for i in industries}
        for i, iri in ind_iri.items():
            out += [ox.Triple(iri, rdf_type, nn(kg_iri("Industry"))), ox.Triple(iri, label, zh(i))]
        for c in self.clusters:
            ci = nn(c.iri)
            out += [ox.Triple(ci, rdf_type, nn(kg_iri("ChainCluster"))), ox.Triple(ci, label, zh(c.label))]
            if c.industry:
                out.append(ox.Triple(ci, nn(kg_iri("clusterIndustry")), ind_iri[c.industry]))
            for z in c.zones:
                out.append(ox.Triple(ci, nn(kg_iri("spansZone")), nn(z)))
            for m in c.members:
                out.append(ox.Triple(nn(m), nn(kg_iri("memberOf")), ci))
        for n, a in self.assignment.items():
            out.append(ox.Triple(nn(n), nn(kg_iri("inIndustry")), ind_iri[a.industry]))
        return sorted(set(out), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))

    def turtle(self) -> bytes:
        prefixes = {"rdf": RDF_NS, "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "kg": str(KG._NS)}
        for kind in ("chaincluster", "industry", "zone", "park", "enterprise", "project", "chain", "cluster"):
            prefixes[kind] = f"{ID}{kind}/"
        body = ox.serialize(self.triples(), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        # The serializer writes @prefix lines in its own hash map's order: sort them.
        lines = body.split(b"\n")
        n = 0
        while n < len(lines) and lines[n].startswith(b"@prefix "):
            n += 1
        body = b"\n".join(sorted(lines[:n]) + lines[n:])
        header = ("# zonekg analysis: industrial-chain clusters (kg:ChainCluster) and industries (kg:Industry)\n"
                  "# computed by `kg analyze`; load next to graph.trig or graph.ttl. See docs/analysis.md.\n")
        return header.encode("utf-8") + body

    def json_bytes(self) -> bytes:
        return (json.dumps(self.report(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def analyze(graph: nx.MultiDiGraph, lexicon: Lexicon | None = None, seed: int = SEED, source: str = "") -> Analysis:
    assignment = assign_industries(graph, lexicon)
    clusters = find_clusters(graph, assignment, seed=seed)
    return Analysis(graph, assignment, clusters, centrality(graph, seed=seed), source=source)


def analyze_file(path: Path, lexicon: Lexicon | None = None, seed: int = SEED) -> Analysis:
    return analyze(project(load_quads(path)), lexicon, seed, source=str(path))


def write_outputs(a: Analysis, out_dir: Path) -> dict[str, Path]:
    from kg.graph.output import atomic_write

    paths = {"turtle": Path(out_dir) / "analysis.ttl", "json": Path(out_dir) / "analysis.json"}
    atomic_write(paths["turtle"], a.turtle())
    atomic_write(paths["json"], a.json_bytes())
    return paths


# --------------------------------------------------------------------------
# Terminal


def yuan(v: int | float) -> str:
    """1500000000 → 15亿元; 0 → –."""
    if not v:
        return "–"
    if v >= 1e8:
        return f"{v / 1e8:,.2f}".rstrip("0").rstrip(".") + "亿元"
    return f"{v / 1e4:,.0f}万元"


def render(a: Analysis, console) -> None:
    """The report as rich tables (all text from the graph escaped for rich markup)."""
    from rich.markup import escape
    from rich.table import Table

    rep = a.report()
    fold = {"overflow": "fold"}  # Chinese names have no spaces to wrap at
    num = {"justify": "right", "no_wrap": True}
    t = Table(title="Industrial-chain clusters (Louvain, seed %d)" % SEED, title_justify="left")
    for col, kw in (("cluster", fold), ("enterprises", num), ("projects", num), ("parks", num),
                    ("chains / named clusters", fold), ("zones", num), ("investment", num)):
        t.add_column(col, **kw)
    for c in rep["clusters"]:
        m = c["members_by_type"]
        t.add_row(escape(c["label"]), str(m.get("Enterprise", 0)), str(m.get("Project", 0)), str(m.get("Park", 0)),
                  escape("、".join(c["chains"])) or "–", str(len(c["zones"])), yuan(c["investment_cny"]))
    console.print(t)

    t = Table(title="Per zone: what each cluster holds", title_justify="left")
    for col, kw in (("zone", fold), ("cluster", fold), ("enterprises", num), ("projects", num),
                    ("parks, chains", num), ("investment", num)):
        t.add_column(col, **kw)
    for z in rep["zones"]:
        rows = z["clusters"]
        un = z["unclassified"]
        show_un = bool(un.get("Enterprise") or un.get("Project"))
        for i, r in enumerate(rows):
            t.add_row(escape(z["label"]) if i == 0 else "", escape(r["label"]), str(r["enterprises"]),
                      str(r["projects"]), str(r["parks"] + r["chains"]), yuan(r["investment_cny"]),
                      end_section=(i == len(rows) - 1 and not show_un))
        if show_un:
            t.add_row(escape(z["label"]) if not rows else "", "[dim]no industry signal[/]", str(un.get("Enterprise", 0)),
                      str(un.get("Project", 0)), str(un.get("Park", 0)), "", end_section=True)
    console.print(t)

    t = Table(title="Per province: zones, what they hold, the largest clusters", title_justify="left")
    for col, kw in (("province", fold), ("zones", num), ("enterprises", num), ("projects", num), ("investment", num),
                    ("largest clusters", fold)):
        t.add_column(col, **kw)
    for r in rep["provinces"]:
        t.add_row(escape(r["label"]), str(r["zones"]), str(r["enterprises"]), str(r["projects"]),
                  yuan(r["investment_cny"]), escape("、".join(r["clusters"])) or "–")
    console.print(t)

    t = Table(title="Most central enterprises (by betweenness, then degree)", title_justify="left")
    for col, kw in (("enterprise", fold), ("degree", num), ("betweenness", num), ("cluster", fold), ("zones", fold)):
        t.add_column(col, **kw)
    for r in rep["central_enterprises"]["by_betweenness"]:
        t.add_row(escape(r["label"]), str(r["degree"]), f"{r['betweenness']:.4f}", escape(r["cluster"] or "–"),
                  escape("、".join(r["zones"])))
    console.print(t)

    b = rep["bridges"]
    t = Table(title="Bridging zones", title_justify="left")
    t.add_column("kind", no_wrap=True)
    t.add_column("name", **fold)
    t.add_column("zones", **fold)
    for r in b["enterprises"]:
        t.add_row("enterprise", escape(r["label"]), escape("、".join(r["zones"])))
    for r in b["chains"]:
        t.add_row("chain" if r["type"] == "IndustryChain" else "named cluster", escape(r["label"]), escape("、".join(r["zones"])))
    for r in b["clusters"]:
        t.add_row("cluster", escape(r["label"]), escape("、".join(f"{z['zone']} ({z['members']})" for z in r["zones"])))
    if not t.row_count:
        t.add_row("–", "nothing links two zones", "")
    console.print(t)

    t = Table(title="Zones ranked by similarity of their industries (Jaccard)", title_justify="left")
    t.add_column("zone", **fold)
    t.add_column("zone", **fold)
    t.add_column("Jaccard", **num)
    t.add_column("shared industries", **fold)
    for p in rep["zone_similarity"][:TOP_N]:
        t.add_row(escape(p["a"]), escape(p["b"]), f"{p['jaccard']:.2f}", escape("、".join(p["shared"])) or "–")
    console.print(t)
