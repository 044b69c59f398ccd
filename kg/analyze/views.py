"""Self-contained HTML views of the analysed graph, made with pyvis.

``kg viz`` writes ``index.html`` (the overview: zones and the detected
industrial-chain clusters, aggregated so that it stays light with thousands of
entities) and one ``zone-<label>.html`` per zone, named after its label (its
parks, enterprises, projects with their amounts, chains and named clusters,
coloured by cluster, shaped by type). Served by ``kg serve`` (``/views/``), a
selected node links to its entity page there (``/id/…``).

Every page works from disk with no network:

* pyvis 0.3.2 links bootstrap from a CDN whatever ``cdn_resources`` says, and
  vis-network's CSS too in ``"local"`` mode. We render with ``"in_line"`` (which
  inlines the vis-network copy shipped inside the pyvis package) and then
  :func:`make_offline` removes every remaining external ``<script src>`` and
  ``<link href>`` and refuses to return a page that still has one.
* Text from articles is untrusted. It never reaches the page as HTML: node and
  edge data are JSON inside a ``<script>``, escaped so ``</script>`` cannot close
  it (``<``, ``>``, ``&`` as ``\u003c`` …); tooltips are plain-text strings,
  which vis-network shows with ``innerText``; the legend, links and search
  results are built with ``textContent``. We never set pyvis's ``title`` from
  Python: pyvis switches to an ``innerHTML`` popup when a title contains
  ``href``.
* Physics runs only until the layout is stable, then it is switched off.
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from pathlib import Path

from kg.analyze.analysis import Analysis, yuan
from kg.analyze.clusters import CLUSTERED_TYPES
from kg.analyze.pages import render_page

TYPE_ZH = {
    "Zone": "开发区", "Park": "园区", "Enterprise": "企业", "Project": "项目",
    "IndustryChain": "产业链", "IndustryCluster": "产业集群", "Place": "地区", "ChainCluster": "产业链集群",
}
SHAPES = {
    "Zone": "star", "Park": "square", "Enterprise": "dot", "Project": "diamond",
    "IndustryChain": "triangle", "IndustryCluster": "triangleDown", "Place": "hexagon", "ChainCluster": "dot",
}
GLYPHS = {"star": "★", "square": "■", "dot": "●", "diamond": "◆", "triangle": "▲", "triangleDown": "▼",
          "hexagon": "⬢", "box": "▭"}
REL_ZH = {"hosts": "入驻", "hasPark": "下辖园区", "hasChain": "产业链", "hasCluster": "产业集群",
          "locatedIn": "位于", "operatedBy": "建设运营"}
BASIS_ZH = {"name": "名称", "park": "所在园区", "text": "原文", "project": "所做项目", "operator": "建设运营方"}
# Colour-blind-friendly-ish palette (Tableau 20 order), cycled over clusters.
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#86bcb6", "#a0cbe8", "#ffbe7d", "#8cd17d", "#b6992d", "#f1ce63", "#499894",
           "#d37295", "#fabfd2", "#79706e", "#d4a6c8"]
ZONE_COLOR = "#2f3e4e"
PLACE_COLOR = "#bab0ac"
NONE_COLOR = "#d9d9d9"
MAX_TIP_SENTENCE = 160
ZONE_EDGE_LABELS = 300  # above this many edges a page draws no edge labels (tooltips keep them)
OVERVIEW_EDGE_LABELS = 120
# Canvas labels are drawn with this font string: CJK faces before the generic family,
# as on every page (a fresh Linux needs `apt-get install fonts-noto-cjk`).
FONT_FACE = '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif'
MAX_SLUG = 60


# --------------------------------------------------------------------------
# Networks


def _network(n_nodes: int, physics: bool = True):
    from pyvis.network import Network

    # directed=True also spares pyvis's quadratic duplicate-edge scan.
    net = Network(height="100vh", width="100%", directed=True, cdn_resources="in_line", heading="")
    big = n_nodes > 150
    net.options = {
        "autoResize": True,
        "layout": {"improvedLayout": not big and physics, "randomSeed": 7},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -6000 if not big else -3000, "centralGravity": 0.25,
                          "springLength": 130 if not big else 90, "springConstant": 0.04, "damping": 0.3,
                          "avoidOverlap": 0.1},
            # vis stops earlier when the layout is stable; big pages get fewer iterations
            # (about 3 s for 1,000 nodes in headless Chromium on 2 cores).
            "stabilization": {"enabled": physics, "iterations": 400 if not big else (150 if n_nodes <= 600 else 80),
                              "updateInterval": 25, "fit": True},
            "minVelocity": 1.5,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "navigationButtons": False,
                        "multiselect": False},
        "nodes": {"font": {"size": 14, "face": FONT_FACE}, "borderWidth": 1.5},
        "edges": {"font": {"size": 10, "color": "#555", "strokeWidth": 3, "align": "middle"},
                  "color": {"color": "#a0a0a0", "highlight": "#333"}, "smooth": False,
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
    }
    return net


def _size(degree: int, lo: float = 10, step: float = 7, hi: float = 60) -> float:
    return round(min(hi, lo + step * math.log2(1 + degree)), 1)


def _clip(text: str, n: int = MAX_TIP_SENTENCE) -> str:
    text = clean_sentence(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _cluster_color(a: Analysis, node: str) -> str:
    c = a.cluster_of.get(node)
    return PALETTE[c.color_index % len(PALETTE)] if c else NONE_COLOR


def _entity_tip(a: Analysis, n: str) -> list[str]:
    from kg.analyze.projection import best_sentence

    d = a.graph.nodes[n]
    lines = [f"{TYPE_ZH[d['type']]}：{d['label']}"]
    if d.get("aliases"):
        lines.append("别名：" + "、".join(d["aliases"]))
    c = a.cluster_of.get(n)
    if c:
        lines.append(f"产业链集群：{c.label}")
    if n in a.assignment:
        asg = a.assignment[n]
        lines.append(f"行业：{asg.industry}（依据{BASIS_ZH.get(asg.basis, asg.basis)}）")
    if d.get("amount"):
        lines.append(f"投资：{yuan(d['amount'])}")
    zones = sorted(a.graph.nodes[z]["label"] for z in a.zones.get(n, ()) if z != n)
    if zones:
        lines.append("开发区：" + "、".join(zones))
    cen = a.centrality.get(n)
    if cen:
        lines.append(f"度：{cen['degree']}　介数：{cen['betweenness']:.3f}")
    if d.get("docs"):
        lines.append("来源：" + "、".join(d["docs"]))
    s = best_sentence(a.graph, n)
    if s:
        lines.append(f"“{_clip(s)}”")
    return lines


def _names(a: Analysis, n: str) -> list[str]:
    d = a.graph.nodes[n]
    return [d["label"], *d.get("aliases", [])]


def slug(label: str) -> str:
    """A file-name part from a label: letters (any script), digits, ``_`` and ``-``; anything
    else (spaces, ``/``, ``<``, quotes …) becomes ``-``. ``国家许昌经济技术开发区`` stays as it is."""
    text = unicodedata.normalize("NFKC", label)
    text = re.sub(r"[^\w-]+", "-", text).strip("-_")
    return re.sub(r"-{2,}", "-", text)[:MAX_SLUG].strip("-")


def _iri_tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def zone_files(a: Analysis) -> dict[str, str]:
    """The page of each zone: ``zone-<slug of its label>.html``. Two zones whose labels give
    the same slug (or a label with no letters) get the end of their IRI added, so names stay
    unique and depend only on the graph."""
    zones = a.zone_list()
    slugs = {z: slug(a.label(z)) for z in zones}
    count: dict[str, int] = {}
    for s in slugs.values():
        count[s] = count.get(s, 0) + 1
    out = {}
    for z in zones:
        s = slugs[z]
        if not s or count[s] > 1 or s.lower() == "index":
            tail = re.sub(r"[^\w-]+", "-", _iri_tail(z)) or hashlib.sha1(z.encode()).hexdigest()[:12]
            s = f"{s}-{tail}" if s else tail
        out[z] = f"zone-{s}.html"
    return out


def entity_path(iri: str) -> str | None:
    """The path ``kg serve`` answers an entity IRI at (``/id/zone/…``), for a view served by it."""
    from kg.graph.namespaces import ID

    base = str(ID)
    return "/id/" + iri[len(base):] if iri.startswith(base) and len(iri) > len(base) else None


_MARKUP_START = re.compile(r"^\s*(?:#{1,6}\s*|>\s*|[-*+]\s+|\d+[.)]\s+)+")
_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|`([^`]+)`")


def clean_sentence(text: str) -> str:
    """A sentence as a reader should see it: no heading marks (``#### ``), quote or list
    markers at its start, no ``**bold**`` or ```code``` marks, one space between words."""
    text = _MARKUP_START.sub("", " ".join(text.split()))
    return _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text).strip()


def _legend_types(types: list[str]) -> list[dict]:
    return [{"glyph": GLYPHS[SHAPES[t]], "label": TYPE_ZH[t]} for t in types]


def _legend_clusters(a: Analysis, clusters) -> list[dict]:
    return [{"color": PALETTE[c.color_index % len(PALETTE)], "label": c.label} for c in clusters]


def zone_network(a: Analysis, zone: str, files: dict[str, str] | None = None):
    """A zone's page: the zone, its places, parks, enterprises, projects, chains and named
    clusters, and the other zones its enterprises or projects also belong to."""
    g = a.graph
    files = files if files is not None else zone_files(a)
    members = sorted(n for n, zs in a.zones.items() if zone in zs and n != zone)
    keep = {zone, *members}
    for n in list(members):
        for nb in list(g.successors(n)) + list(g.predecessors(n)):
            if g.nodes[nb]["type"] == "Zone":
                keep.add(nb)
    for _, o, rel in g.out_edges(zone, keys=True):
        if rel == "locatedIn":
            keep.add(o)
    nodes = sorted(keep, key=lambda n: (n != zone, g.nodes[n]["type"], g.nodes[n]["label"], n))
    net = _network(len(nodes))
    present_types: list[str] = []
    for n in nodes:
        d = g.nodes[n]
        t = d["type"]
        if t not in present_types:
            present_types.append(t)
        deg = a.centrality.get(n, {}).get("degree", g.degree(n))
        kw = {"shape": SHAPES[t], "size": _size(deg), "names": _names(a, n), "tip": _entity_tip(a, n), "kind": t}
        if t == "Zone":
            color = ZONE_COLOR if n == zone else "#7f8c8d"
            kw["size"] = 45 if n == zone else 25
            kw["font"] = {"size": 20 if n == zone else 14, "face": FONT_FACE, "strokeWidth": 3}
            if n != zone:
                kw["href"] = files[n]
                kw["tip"] = kw["tip"] + ["双击打开该开发区页面"]
        elif t == "Place":
            color = PLACE_COLOR
        else:
            color = _cluster_color(a, n)
        label = d["label"]
        if t == "Project" and d.get("amount"):
            label += "\n" + yuan(d["amount"])  # the amount on the node itself, not only in its tooltip
        if entity_path(n):
            kw["entity"] = entity_path(n)
        net.add_node(n, label=label, color=color, **kw)
    edges = sorted((s, o, rel, data) for s in keep for _, o, rel, data in g.out_edges(s, keys=True, data=True))
    for s, o, rel, data in edges:
        if o in keep:
            tip = [f"{g.nodes[s]['label']} —{REL_ZH[rel]}→ {g.nodes[o]['label']}"]
            if data.get("evidence"):
                tip.append(f"“{_clip(data['evidence'])}”")
            net.add_edge(s, o, label=REL_ZH[rel], tip=tip, rel=rel)
    labelled = _limit_edge_labels(net, ZONE_EDGE_LABELS)
    used = [a.cluster_of[n] for n in nodes if n in a.cluster_of]
    clusters = sorted({c.iri: c for c in used}.values(), key=lambda c: c.color_index)
    swatches = _legend_clusters(a, clusters)
    if any(n not in a.cluster_of and g.nodes[n]["type"] in CLUSTERED_TYPES for n in nodes):
        swatches.append({"color": NONE_COLOR, "label": "无行业信号"})
    legend = {"clusters": swatches, "types": _legend_types(present_types),
              "relations": [REL_ZH[r] for r in REL_ZH if any(e["rel"] == r for e in net.edges)],
              "note": "颜色 = 产业链集群（灰色：无行业信号），形状 = 类型，大小 = 连接数"
                      + ("" if labelled else "；连线太多，关系见鼠标提示")}
    return net, legend


def _ring(n: int, radius: float, phase: float = 0.0) -> list[tuple[float, float]]:
    return [(round(radius * math.cos(phase + 2 * math.pi * i / max(n, 1)), 1),
             round(radius * math.sin(phase + 2 * math.pi * i / max(n, 1)), 1)) for i in range(n)]


def overview_network(a: Analysis, files: dict[str, str] | None = None):
    """Zones and clusters only: a zone–cluster edge per cluster with members in the zone
    (width = members), a zone–zone edge where zones share enterprises.

    Every cluster touches many zones, so a force layout piles the clusters up in the
    middle. The layout is fixed instead (no physics): clusters on an inner ring,
    largest first, zones on an outer ring next to the cluster most of their members
    are in, so zones with the same leading industry sit side by side.
    """
    g = a.graph
    files = files if files is not None else zone_files(a)
    zones = a.zone_list()
    per_zone = {p["zone"]: p for p in a.per_zone()}
    net = _network(len(zones) + len(a.clusters), physics=False)
    index = {c.iri: c.color_index for c in a.clusters}

    def lead(z: str) -> tuple:
        rows = per_zone[z]["clusters"]
        return (index[rows[0]["cluster"]] if rows else len(index), a.label(z), z)

    n_c = len(a.clusters)
    r_in = max(160.0, n_c * 130 / (2 * math.pi))
    r_out = max(r_in + 260, len(zones) * 190 / (2 * math.pi))
    ordered = sorted(zones, key=lead)
    # Start both rings at 12 o'clock; the zones' ring is turned so that a zone sits
    # near the angle of its leading cluster.
    zone_pos = dict(zip(ordered, _ring(len(ordered), r_out, -math.pi / 2)))
    cluster_pos = dict(zip((c.iri for c in a.clusters), _ring(n_c, r_in, -math.pi / 2)))

    for z in zones:
        n_members = sum(1 for zs in a.zones.values() if z in zs) - 1
        tip = _entity_tip(a, z) + [f"成员：{n_members}", "双击打开该开发区页面"]
        x, y = zone_pos[z]
        net.add_node(z, label=g.nodes[z]["label"], shape="star", color=ZONE_COLOR, size=_size(n_members, 14, 5, 50),
                     names=_names(a, z), tip=tip, href=files[z], kind="Zone", x=x, y=y, entity=entity_path(z),
                     font={"size": 18, "face": FONT_FACE, "strokeWidth": 3})
    rows = {r["cluster"]: r for r in a.cluster_rows()}
    for c in a.clusters:
        r = rows[c.iri]
        m = r["members_by_type"]
        tip = [f"产业链集群：{c.label}"]
        if c.industry:
            tip.append(f"主导行业：{c.industry}")
        tip.append("成员：" + "，".join(f"{TYPE_ZH[t]} {k}" for t, k in m.items()))
        if c.chains:
            tip.append("产业链/集群：" + "、".join(c.chains))
        if r["investment_cny"]:
            tip.append(f"投资合计：{yuan(r['investment_cny'])}")
        tip.append(f"开发区：{len(c.zones)}")
        top = [x["label"] for x in r["members"][:8]]
        tip.append("例如：" + "、".join(top) + ("…" if len(r["members"]) > 8 else ""))
        names = [c.label, *c.chains, *(name for m in c.members for name in _names(a, m))]
        x, y = cluster_pos[c.iri]
        net.add_node(c.iri, label=c.label, shape="dot", color=PALETTE[c.color_index % len(PALETTE)],
                     size=_size(len(c.members), 10, 6, 55), names=names, tip=tip, kind="ChainCluster", x=x, y=y,
                     font={"size": 16, "face": FONT_FACE, "strokeWidth": 4})
    for z in zones:
        for r in per_zone[z]["clusters"]:
            k = r["enterprises"] + r["projects"] + r["parks"] + r["chains"]
            parts = [f"企业 {r['enterprises']}", f"项目 {r['projects']}"]
            if r["investment_cny"]:
                parts.append(yuan(r["investment_cny"]))
            net.add_edge(z, r["cluster"], label=f"{k} 成员", width=round(1 + 1.5 * math.log2(1 + k), 1),
                         tip=[f"{g.nodes[z]['label']} · {r['label']}：{k} 成员", "，".join(parts)], rel="members",
                         color={"color": PALETTE[index[r["cluster"]] % len(PALETTE)], "opacity": 0.55},
                         arrows={"to": {"enabled": False}})
    shared: dict[tuple[str, str], list[str]] = {}
    for e in a.nodes_of("Enterprise"):
        zs = sorted(a.zones[e])
        for i in range(len(zs)):
            for j in range(i + 1, len(zs)):
                shared.setdefault((zs[i], zs[j]), []).append(g.nodes[e]["label"])
    for (z1, z2), ents in sorted(shared.items()):
        net.add_edge(z1, z2, label=f"共享企业 {len(ents)}", dashes=True, color={"color": "#e15759"},
                     width=2, tip=["共享企业：" + "、".join(sorted(ents))], rel="sharesEnterprise",
                     arrows={"to": {"enabled": False}}, smooth={"enabled": True, "type": "curvedCW", "roundness": 0.2})
    labelled = _limit_edge_labels(net, OVERVIEW_EDGE_LABELS)
    legend = {"clusters": _legend_clusters(a, a.clusters),
              "types": [{"glyph": "★", "label": "开发区"}, {"glyph": "●", "label": "产业链集群"}],
              "relations": ["N 成员：该集群在该开发区的成员数", "共享企业：两区共有的企业（红色虚线）"],
              "note": "大小 = 成员数；双击开发区打开它的页面" + ("" if labelled else "；连线太多，标签见鼠标提示")}
    return net, legend


def _limit_edge_labels(net, limit: int) -> bool:
    """Drop the drawn edge labels when there are more than ``limit`` edges (they would
    only be grey noise); each edge keeps its relation in its tooltip. True if kept."""
    if len(net.edges) <= limit:
        return True
    for e in net.edges:
        e.pop("label", None)
    return False


def build_views(a: Analysis, out_dir: Path) -> dict[str, Path]:
    """Write ``index.html`` and one page per zone into ``out_dir``; return their paths."""
    from kg.graph.output import atomic_write

    out_dir = Path(out_dir)
    zones = a.zone_list()
    files = zone_files(a)
    zone_links = [{"label": a.label(z), "href": files[z]} for z in zones]
    written: dict[str, Path] = {}
    net, legend = overview_network(a, files)
    html = render_page(net, title="开发区产业链集群总览", kind="overview", legend=legend, links=zone_links)
    written["index"] = out_dir / "index.html"
    atomic_write(written["index"], html.encode("utf-8"))
    for z in zones:
        net, legend = zone_network(a, z, files)
        links = [{"label": "← 总览 overview", "href": "index.html"}] + [l for l in zone_links if l["href"] != files[z]]
        html = render_page(net, title=a.label(z), kind="zone", legend=legend, links=links)
        path = out_dir / files[z]
        atomic_write(path, html.encode("utf-8"))
        written[z] = path
    # Pages of zones the graph no longer has (or of older file names) would be stale.
    for old in sorted(out_dir.glob("zone-*.html")):
        if old not in written.values():
            old.unlink()
    return written
