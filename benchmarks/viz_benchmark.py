"""Benchmark the views on a generated graph of thousands of entities (not part of pytest).

    python benchmarks/viz_benchmark.py [--entities 5000] [--big-zone 1000] [--keep DIR]

Generates a graph shaped like `kg build` output (zones, parks, enterprises,
projects, chains, places, amounts, evidence in per-document named graphs), runs
the analysis, writes the views, then opens the overview and the largest zone page
in real headless Chromium (/usr/bin/chromium) with the network blocked and
measures the time from navigation start until the vis network reports
`stabilized` (physics is then switched off). Target: under 5 s for the overview.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.graph.namespaces import ID, KG  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
TARGET_S = 5.0
INDUSTRIES = [("电梯", "电梯"), ("生物医药", "药业"), ("电力装备", "电气"), ("食品", "食品"), ("汽车", "汽车"),
              ("电子信息", "电子"), ("物流", "物流"), ("新材料", "材料"), ("智能装备", "智能装备"), ("纺织服装", "服装")]
CITIES = ["许昌", "漯河", "鹤壁", "郑州", "洛阳", "开封", "新乡", "焦作", "安阳", "南阳", "信阳", "周口", "商丘",
          "平顶山", "三门峡", "濮阳", "驻马店", "济源", "长葛", "禹州"]
SYLLABLES = list("华泰恒瑞达通盛安康宏远鑫源丰德隆昌博腾飞新兴光明中原天一金诚志信海嘉")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _iri(kind: str, *parts) -> ox.NamedNode:
    return ox.NamedNode(str(ID[f"{kind}/{hashlib.sha1('|'.join(map(str, parts)).encode()).hexdigest()[:16]}"]))


def _k(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(KG[name]))


def generate(entities: int = 5000, big_zone: int = 1000, seed: int = 1) -> tuple[list[ox.Quad], int]:
    """Quads of a synthetic graph with about ``entities`` entities; returns (quads, entity count)."""
    rnd = random.Random(seed)
    quads: list[ox.Quad] = []
    dg = ox.DefaultGraph()
    count = 0
    doc = _iri("doc", "synthetic")
    quads += [ox.Quad(doc, RDF_TYPE, _k("Document"), dg), ox.Quad(doc, LABEL, ox.Literal("synthetic"), dg),
              ox.Quad(doc, _k("fileName"), ox.Literal("synthetic.txt"), dg)]
    ng = doc

    def entity(kind: str, cls: str, label: str, *key, alias: str | None = None) -> ox.NamedNode:
        nonlocal count
        node = _iri(kind, cls, label, *key)
        quads.extend([ox.Quad(node, RDF_TYPE, _k(cls), dg), ox.Quad(node, LABEL, ox.Literal(label, language="zh"), dg),
                      ox.Quad(node, _k("mentionedIn"), doc, dg)])
        if alias:
            quads.append(ox.Quad(node, ALT, ox.Literal(alias, language="zh"), dg))
        count += 1
        return node

    ev_n = 0

    def fact(s, rel: str, o, sentence: str) -> None:
        nonlocal ev_n
        quads.append(ox.Quad(s, _k(rel), o, dg))
        ev_n += 1
        ev = _iri("evidence", ev_n)
        quads.extend([ox.Quad(ev, RDF_TYPE, _k("Evidence"), ng), ox.Quad(ev, ox.NamedNode(RDF + "subject"), s, ng),
                      ox.Quad(ev, ox.NamedNode(RDF + "predicate"), _k(rel), ng),
                      ox.Quad(ev, ox.NamedNode(RDF + "object"), o, ng),
                      ox.Quad(ev, _k("evidenceText"), ox.Literal(sentence), ng),
                      ox.Quad(ev, _k("startOffset"), ox.Literal(str(ev_n * 10), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), ng),
                      ox.Quad(ev, _k("inDocument"), doc, ng)])

    chains = {ind: entity("chain", "IndustryChain", f"{ind}产业链", ind) for ind, _ in INDUSTRIES}
    n_zones = max(4, (entities - big_zone) // 125 + 1)
    per_zone = max(20, -(-(entities - big_zone - len(chains)) // n_zones))  # ceiling: at least `entities`
    all_ents: list[ox.NamedNode] = []
    for zi in range(n_zones):
        city = CITIES[zi % len(CITIES)] + ("" if zi < len(CITIES) else str(zi // len(CITIES) + 1))
        zone = entity("zone", "Zone", f"{city}经济技术开发区", zi, alias=f"{city}经开区")
        place = entity("place", "Place", f"{city}市", zi)
        fact(zone, "locatedIn", place, f"{city}经济技术开发区位于{city}市。")
        inds = rnd.sample(INDUSTRIES, 4)
        for ind, _ in inds[:3]:
            fact(zone, "hasChain", chains[ind], f"{city}经开区做强{ind}产业链。")
        parks = []
        for ind, _ in inds:
            park = entity("park", "Park", f"{city}{ind}产业园", zi)
            fact(zone, "hasPark", park, f"{city}经开区建成{ind}产业园。")
            parks.append((ind, park))
        n = per_zone - 2 - len(parks) + (big_zone if zi == 0 else 0)
        n_ent = n * 3 // 5
        ents = []
        for ei in range(n_ent):
            ind, kw = rnd.choice(inds) if rnd.random() < 0.8 else rnd.choice(INDUSTRIES)
            short = "".join(rnd.sample(SYLLABLES, 2)) + str(ei % 97)
            name = f"{city}{short}{kw}有限公司"
            ent = entity("enterprise", "Enterprise", name, zi, ei, alias=f"{short}{kw}")
            fact(zone, "hosts", ent, f"{name}落户{city}经开区，主营{ind}。")
            for pind, park in parks:
                if pind == ind and rnd.random() < 0.5:
                    fact(park, "hosts", ent, f"{name}入驻{city}{ind}产业园。")
            ents.append((ind, kw, short, ent))
            all_ents.append(ent)
        for pi in range(n - n_ent):
            ind, kw, short, ent = rnd.choice(ents)
            proj = entity("project", "Project", f"{short}年产{pi + 1}万套{kw}项目", zi, pi)
            fact(proj, "locatedIn", zone, f"{short}{kw}项目位于{city}经开区。")
            fact(proj, "operatedBy", ent, f"{short}{kw}项目由{short}建设运营。")
            if rnd.random() < 0.4:
                amt = _iri("amount", zi, pi)
                quads.extend([ox.Quad(amt, RDF_TYPE, _k("MonetaryAmount"), dg),
                              ox.Quad(amt, _k("amount"), ox.Literal(str(Decimal(rnd.randint(1, 200)) * 10**8), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")), dg),
                              ox.Quad(amt, _k("currency"), ox.Literal("CNY"), dg)])
                fact(proj, "invests", amt, f"{short}{kw}项目总投资若干亿元。")
        # A few enterprises settle in a second zone: they bridge zones.
        if zi > 0:
            for ent in rnd.sample(all_ents[:-len(ents)], 3):
                fact(zone, "hosts", ent, f"该企业也在{city}经开区设厂。")
    return quads, count


def write_graph(quads: list[ox.Quad], path: Path) -> None:
    path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))


def measure(page: Path, timeout_s: float = 60.0) -> dict:
    """Open ``page`` in headless Chromium offline; time until the network is stabilized."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        leaked: list[str] = []

        def route(r):
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                leaked.append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        wall = time.perf_counter()
        pg.goto(page.as_uri())
        pg.wait_for_function("window.zonekg && window.zonekg.stabilized", timeout=timeout_s * 1000)
        wall = time.perf_counter() - wall
        res = pg.evaluate("""() => ({stabilized_ms: window.zonekg.tStabilized,
                                     drawn_ms: window.zonekg.tDrawn,
                                     nodes: window.zonekg.network.body.data.nodes.length,
                                     edges: window.zonekg.network.body.data.edges.length})""")
        res.update(wall_s=wall, leaked=leaked, errors=errors)
        browser.close()
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, default=5000)
    ap.add_argument("--big-zone", type=int, default=1000, help="extra enterprises+projects in the first zone")
    ap.add_argument("--keep", type=Path, help="keep the generated graph and views in this directory")
    args = ap.parse_args()

    from kg.analyze.analysis import analyze_file
    from kg.analyze.views import build_views, zone_files

    work = args.keep or Path(tempfile.mkdtemp(prefix="zonekg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        t = time.perf_counter()
        quads, n = generate(args.entities, args.big_zone)
        graph = work / "graph.trig"
        write_graph(quads, graph)
        print(f"generated {n} entities, {len(quads)} quads in {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        a = analyze_file(graph)
        print(f"analysis: {len(a.clusters)} clusters in {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        paths = build_views(a, work / "views")
        print(f"views: {len(paths)} pages in {time.perf_counter() - t:.2f} s")
        biggest = max(a.zone_list(), key=lambda z: sum(1 for zs in a.zones.values() if z in zs))
        ok = True
        for name, page in (("overview", paths["index"]), ("largest zone page", work / "views" / zone_files(a)[biggest])):
            r = measure(page)
            s = r["stabilized_ms"] / 1000
            print(f"{name}: {r['nodes']} nodes, {r['edges']} edges; stabilized {s:.2f} s after navigation start "
                  f"(first drawn {r['drawn_ms'] / 1000:.2f} s, wall {r['wall_s']:.2f} s); "
                  f"requests leaving the file: {len(r['leaked'])}; page errors: {len(r['errors'])}")
            if name == "overview":
                ok = ok and s < TARGET_S
            ok = ok and not r["leaked"] and not r["errors"]
        print(f"target: overview stabilized in < {TARGET_S:.0f} s: {'met' if ok else 'NOT met'}")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
