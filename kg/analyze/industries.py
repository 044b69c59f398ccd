"""Which industry every enterprise, park, project, chain and named cluster belongs to:
from the industry lexicon (``kg/resources/industries.tsv``), by the chain's own words,
then by the words of the sentences that mention a node.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

import networkx as nx

from kg.analyze.projection import squash, zones_of

OTHER = "其他"  # name of a cluster none of whose members has an industry

_CHAIN_SUFFIXES = ("产业链", "产业集群", "集群", "产业园区", "产业园", "产业基地", "产业")
_CLAUSE_SPLIT = re.compile(r"[，,；;。！!？?：:、（）()“”\"]")


# --------------------------------------------------------------------------
# Industries


class Lexicon:
    """Keyword → industry (``kg/resources/industries.tsv``)."""

    def __init__(self, entries: Iterable[tuple[str, str]]):
        self.entries = sorted({(squash(k), v) for k, v in entries if k}, key=lambda kv: (-len(kv[0]), kv[0]))
        self.industries = sorted({v for _, v in self.entries})

    @classmethod
    def parse(cls, text: str) -> Lexicon:
        entries = []
        for n, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
                raise ValueError(f"industries.tsv line {n}: expected 'keyword<TAB>industry', got {line!r}")
            entries.append((parts[0].strip(), parts[1].strip()))
        return cls(entries)

    def match(self, name: str) -> str | None:
        """The industry of the keyword that starts earliest in ``name`` (longest on ties)."""
        text = squash(name)
        best: tuple[int, int, str] | None = None
        for kw, industry in self.entries:
            pos = text.find(kw)
            if pos >= 0 and (best is None or (pos, -len(kw)) < best[:2]):
                best = (pos, -len(kw), industry)
        return best[2] if best else None


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    text = resources.files("kg.resources").joinpath("industries.tsv").read_text(encoding="utf-8")
    return Lexicon.parse(text)


def chain_core(label: str) -> str:
    """电力装备产业链 → 电力装备; 生物医药产业集群 → 生物医药."""
    core = squash(label)
    changed = True
    while changed:
        changed = False
        for suffix in _CHAIN_SUFFIXES:
            if core.endswith(suffix) and len(core) > len(suffix):
                core = core[: -len(suffix)]
                changed = True
    return core


def chain_industry(label: str, lexicon: Lexicon) -> str:
    """A chain's or named cluster's industry: its core through the lexicon, else the core."""
    core = chain_core(label)
    return lexicon.match(core) or core


@dataclass(frozen=True)
class Assignment:
    industry: str
    basis: str  # "name", "park", "text", "project", "operator"


def _most_common(values: Iterable[str]) -> str | None:
    c = Counter(values)
    if not c:
        return None
    return min(c, key=lambda v: (-c[v], v))


def assign_industries(g: nx.MultiDiGraph, lexicon: Lexicon | None = None) -> dict[str, Assignment]:
    """Give every chain, named cluster, park, project and enterprise an industry, if any signal says one.

    - IndustryChain / IndustryCluster: its name without 产业链/产业集群, through the lexicon
      (电力电子电气装备制造 → 电力装备), else the bare core (智能装备).
    - Park: its name — first the chains and clusters of its zone (智能装备产业园 → 智能装备),
      then the lexicon.
    - Project: its name as for a park; else the park it is located in; else its operator's name.
    - Enterprise, from the text first: the park that hosts it or hosts one of its projects;
      else the clause (the sentence cut at punctuation) of a sentence stating one of its facts
      that names exactly one of its zone's chains or clusters; then its name; then its
      projects (the most common industry among them); last, a clause naming it with
      exactly one lexicon keyword outside its own name (肉类企业双汇集团 → 食品).
    Candidates tied within one rule go to the most common, then the first in Unicode order.
    """
    lexicon = lexicon or default_lexicon()
    out: dict[str, Assignment] = {}
    typed = defaultdict(list)
    for n, d in g.nodes(data=True):
        typed[d["type"]].append(n)
    for t in typed:
        typed[t].sort()

    # Chains and named clusters; and per zone, the (core, industry) pairs they give.
    zone_cores: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for n in typed["IndustryChain"] + typed["IndustryCluster"]:
        label = g.nodes[n]["label"]
        ind = chain_industry(label, lexicon)
        out[n] = Assignment(ind, "name")
        for z in zones_of(g, n):
            for core in {chain_core(label), ind}:
                if len(core) >= 2:
                    zone_cores[z].append((core, ind))
    for z in zone_cores:
        zone_cores[z] = sorted(set(zone_cores[z]), key=lambda ci: (-len(ci[0]), ci))

    def by_name(node: str) -> str | None:
        names = [g.nodes[node]["label"], *g.nodes[node].get("aliases", [])]
        cores = sorted({ci for z in zones_of(g, node) for ci in zone_cores.get(z, [])},
                       key=lambda ci: (-len(ci[0]), ci))
        for name in names:
            text = squash(name)
            hits = [(text.find(c), -len(c), ind) for c, ind in cores if c in text]
            if hits:
                return min(hits)[2]
            ind = lexicon.match(text)
            if ind:
                return ind
        return None

    for n in typed["Park"]:
        ind = by_name(n)
        if ind:
            out[n] = Assignment(ind, "name")

    def parks_of_project(p: str) -> list[str]:
        return [o for _, o, rel in g.out_edges(p, keys=True) if rel == "locatedIn" and g.nodes[o]["type"] == "Park"]

    def operators(p: str) -> list[str]:
        return [o for _, o, rel in g.out_edges(p, keys=True) if rel == "operatedBy"]

    for n in typed["Project"]:
        ind = by_name(n)
        if ind:
            out[n] = Assignment(ind, "name")
            continue
        ind = _most_common(out[k].industry for k in parks_of_project(n) if k in out)
        if ind:
            out[n] = Assignment(ind, "park")
            continue
        ind = _most_common(filter(None, (lexicon.match(g.nodes[e]["label"]) for e in operators(n))))
        if ind:
            out[n] = Assignment(ind, "operator")

    for n in typed["Enterprise"]:
        projects = [p for p, _, rel in g.in_edges(n, keys=True) if rel == "operatedBy"]
        parks = [k for k, _, rel in g.in_edges(n, keys=True) if rel == "hosts" and g.nodes[k]["type"] == "Park"]
        parks += [k for p in projects for k in parks_of_project(p)]
        ind = _most_common(out[k].industry for k in parks if k in out)
        if ind:
            out[n] = Assignment(ind, "park")
            continue
        ind = _text_industry(g, n, sorted({ci for z in zones_of(g, n) for ci in zone_cores.get(z, [])}))
        if ind:
            out[n] = Assignment(ind, "text")
            continue
        ind = by_name(n)
        if ind:
            out[n] = Assignment(ind, "name")
            continue
        ind = _most_common(out[p].industry for p in projects if p in out and out[p].basis != "operator")
        if ind:
            out[n] = Assignment(ind, "project")
            continue
        ind = _text_industry(g, n, [], lexicon)
        if ind:
            out[n] = Assignment(ind, "text")
    return out


def _text_industry(g: nx.MultiDiGraph, node: str, cores: list[tuple[str, str]],
                   lexicon: Lexicon | None = None) -> str | None:
    """The one industry the clauses naming ``node`` speak of.

    The clauses are the evidence sentences of its facts cut at punctuation; only those
    that contain one of its names count. With ``cores`` (chain/cluster names of its
    zones and their industries), those are looked for; with a ``lexicon``, its
    keywords, after the entity's own names are masked (世界最大的肉类企业双汇集团 → 食品).
    A clause naming two industries counts for neither.
    """
    names = sorted({squash(x) for x in [g.nodes[node]["label"], *g.nodes[node].get("aliases", [])] if x},
                   key=lambda x: (-len(x), x))
    if not names or not (cores or lexicon):
        return None
    found: list[str] = []
    for sentence in g.nodes[node].get("sentences", []):
        for clause in _CLAUSE_SPLIT.split(squash(sentence)):
            if not any(name in clause for name in names):
                continue
            inds = set()
            if lexicon is not None:
                for name in names:
                    clause = clause.replace(name, "\0")
                for kw, ind in lexicon.entries:  # longest first
                    if kw in clause:
                        inds.add(ind)
                        clause = clause.replace(kw, "\0")
            else:
                # Longest names first, each masked once found: 电力电子电气装备制造产业集群
                # does not also count as 装备制造.
                for core, ind in sorted(cores, key=lambda ci: (-len(ci[0]), ci)):
                    if core in clause:
                        inds.add(ind)
                        clause = clause.replace(core, "\0" * len(core))
            if len(inds) == 1:
                found.append(inds.pop())
    return _most_common(found)
