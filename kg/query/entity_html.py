"""HTML for ``kg serve``'s entity pages and search results.

Every name and sentence comes from an article, so every piece of text goes through
:func:`html.escape` (attributes too); links are only ever made to paths this server
answers (``/id/…``), never to an IRI taken from the graph as it is.
"""
from __future__ import annotations

from decimal import Decimal
from html import escape
from urllib.parse import quote

from kg.analyze.analysis import yuan
from kg.analyze.views import clean_sentence
from kg.query.entity import KG_NS, Description, Fact, Name, Node, path_for_iri
from kg.query.library import DEFAULT_PREFIXES, RDF_NS

TYPE_ZH = {
    "Zone": "开发区", "Park": "园区", "Enterprise": "企业", "Project": "项目", "IndustryChain": "产业链",
    "IndustryCluster": "产业集群", "Place": "地区", "Document": "文档", "Evidence": "证据",
    "MonetaryAmount": "金额", "ChainCluster": "产业链集群",
}
_R, _S = RDF_NS, DEFAULT_PREFIXES["rdfs"]
# (forward, inverse) reading of each property, in Chinese then English.
PROPERTY_ZH = {
    KG_NS + "hosts": ("入驻企业 hosts", "入驻于 hosted by"),
    KG_NS + "hasPark": ("下辖园区 has park", "所属 park of"),
    KG_NS + "hasChain": ("产业链 has chain", "所属开发区 chain of"),
    KG_NS + "hasCluster": ("产业集群 has cluster", "所属开发区 cluster of"),
    KG_NS + "locatedIn": ("位于 located in", "所含 contains"),
    KG_NS + "operatedBy": ("建设运营方 operated by", "建设运营 operates"),
    KG_NS + "invests": ("投资 invests", "投资方 invested by"),
    KG_NS + "mentionedIn": ("提及于 mentioned in", "提及 mentions"),
    KG_NS + "inDocument": ("出处 in document", "证据 evidence"),
    KG_NS + "evidenceText": ("原文 sentence", ""),
    KG_NS + "fileName": ("文件 file", ""),
    KG_NS + "amount": ("金额 amount (元)", ""),
    KG_NS + "currency": ("币种 currency", ""),
    KG_NS + "startOffset": ("起 start offset", ""),
    KG_NS + "endOffset": ("止 end offset", ""),
    KG_NS + "contentHash": ("内容哈希 content hash", ""),
    _R + "subject": ("主语 subject", "是主语 subject of"),
    _R + "predicate": ("关系 predicate", ""),
    _R + "object": ("宾语 object", "是宾语 object of"),
    _S + "label": ("名称 label", ""),
}
FONT_NOTE = "中文显示为方框？请安装 CJK 字体（Debian: apt-get install fonts-noto-cjk）"


def e(text: object) -> str:
    return escape(str(text), quote=True)


def short(iri: str) -> str:
    for prefix, ns in DEFAULT_PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def type_name(iri: str) -> str:
    local = iri[len(KG_NS):] if iri.startswith(KG_NS) else short(iri)
    return f"{TYPE_ZH[local]} {local}" if local in TYPE_ZH else local


def property_name(iri: str, direction: str = "out") -> str:
    names = PROPERTY_ZH.get(iri)
    if names and (names[0] if direction == "out" else names[1]):
        return names[0] if direction == "out" else names[1]
    return short(iri) if direction == "out" else f"← {short(iri)}"


def link(iri: str, text: str | None = None, cls: str = "") -> str:
    """An anchor to the entity page of ``iri`` when this server has one, else the text."""
    path = path_for_iri(iri)
    label = e(text if text is not None else short(iri))
    attr = f' class="{e(cls)}"' if cls else ""
    if path is None:
        return f'<span class="iri"{attr} title="{e(iri)}">{label}</span>'
    return f'<a href="{e(quote(path, safe="/:@-._~"))}"{attr} title="{e(iri)}">{label}</a>'


def money(value: Decimal | str | None) -> str:
    if value is None:
        return "–"
    try:
        return yuan(float(value))
    except ValueError:
        return e(value)


def node_html(n: Node) -> str:
    if not n.is_iri:
        lang = f' lang="{e(n.lang)}"' if n.lang else ""
        return f'<span class="literal"{lang}>{e(n.value)}</span>'
    if n.amount is not None:
        return link(n.value, money(n.amount), "amount")
    kind = next((TYPE_ZH[t[len(KG_NS):]] for t in n.types if t.startswith(KG_NS) and t[len(KG_NS):] in TYPE_ZH), "")
    badge = f' <span class="kind">{e(kind)}</span>' if kind else ""
    return link(n.value, n.label or short(n.value)) + badge


def evidence_html(fact: Fact) -> str:
    if not fact.evidence:
        return ""
    items = []
    for ev in fact.evidence:
        ev_link = link(ev.iri, "证据 evidence", "evidence-link")
        doc = link(ev.document, ev.file or short(ev.document)) if ev.document else e(ev.file or "")
        offsets = f" [{ev.start}–{ev.end}]" if ev.start is not None else ""
        items.append(f'<li><q lang="zh" title="{e(ev.sentence)}">{e(clean_sentence(ev.sentence))}</q> <span class="source">{doc}{e(offsets)} · {ev_link}</span></li>')
    return '<ul class="evidence">' + "".join(items) + "</ul>"


def facts_table(facts: list[Fact], direction: str, caption: str) -> str:
    if not facts:
        return ""
    rows = []
    for f in facts:
        rows.append(f'<tr><th scope="row">{e(property_name(f.predicate, direction))}</th>'
                    f"<td>{node_html(f.node)}{evidence_html(f)}</td></tr>")
    return (f'<section class="facts" id="facts-{direction}"><h2>{e(caption)} <span class="count">{len(facts)}</span></h2>'
            f'<table><tbody>{"".join(rows)}</tbody></table></section>')


def _list_table(title: str, anchor: str, facts: list[Fact]) -> str:
    if not facts:
        return ""
    items = "".join(f"<li>{node_html(f.node)}</li>" for f in sorted(facts, key=lambda f: f.node.label or f.node.value))
    return (f'<section class="group" id="{e(anchor)}"><h3>{e(title)} <span class="count">{len(facts)}</span></h3>'
            f'<ul class="cols">{items}</ul></section>')


def zone_tables(d: Description) -> str:
    """A zone's (or park's) own tables: enterprises, projects with amounts, parks, chains, clusters, place."""
    parts = [
        _list_table("入驻企业 Enterprises hosted", "enterprises", d.facts(KG_NS + "hosts")),
        _projects_table(d),
        _list_table("园区 Parks", "parks", d.facts(KG_NS + "hasPark")),
        _list_table("产业链 Chains", "chains", d.facts(KG_NS + "hasChain")),
        _list_table("产业集群 Clusters", "clusters", d.facts(KG_NS + "hasCluster")),
        _list_table("所在地区 Place", "place", [f for f in d.facts(KG_NS + "locatedIn")
                                               if KG_NS + "Place" in f.node.types]),
        _list_table("所属开发区 Zone", "zone", [f for f in d.facts(KG_NS + "hasPark", "in")]),
    ]
    body = "".join(p for p in parts if p)
    return f'<div class="zone-tables">{body}</div>' if body else ""


def _projects_table(d: Description) -> str:
    if not d.projects:
        return ""
    total = sum((p.amount for p in d.projects if p.amount is not None), Decimal(0))
    rows = []
    for p in d.projects:
        ops = "、".join(link(i, lbl) for i, lbl in p.operators) or "–"
        rows.append(f'<tr><td>{link(p.iri, p.label)}</td><td class="num">{money(p.amount)}</td><td>{ops}</td></tr>')
    with_amount = sum(1 for p in d.projects if p.amount is not None)
    foot = (f'<tfoot><tr><th scope="row">合计 total ({with_amount} 个有金额)</th><td class="num">{money(total)}</td>'
            "<td></td></tr></tfoot>")
    return (f'<section class="group" id="projects"><h3>项目 Projects <span class="count">{len(d.projects)}</span></h3>'
            '<table class="projects"><thead><tr><th>项目 project</th><th>投资 amount</th><th>建设运营方 operator</th>'
            f'</tr></thead><tbody>{"".join(rows)}</tbody>{foot}</table></section>')


def layout(title: str, body: str, *, query: str = "") -> str:
    """The frame every served page shares: header, search box with completion, footer."""
    return (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)} · zonekg</title>\n"
        '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">\n'
        '<link rel="stylesheet" href="/static/style.css">\n<link rel="stylesheet" href="/static/entity.css">\n'
        '<script src="/static/search.js" defer></script>\n</head>\n<body>\n'
        '<header><h1><a href="/" class="home">zonekg</a> <span class="sub">开发区知识图谱</span></h1>'
        + search_form(query) +
        '<nav><a href="/">SPARQL 查询</a> <a href="/views/">图谱视图 views</a></nav></header>\n'
        f"<main>{body}</main>\n"
        f'<footer><span class="font-note">{e(FONT_NOTE)}</span></footer>\n</body>\n</html>\n'
    )


def search_form(query: str = "") -> str:
    return ('<form class="search" action="/search" method="get" role="search">'
            f'<input type="search" name="q" id="entity-q" value="{e(query)}" list="entity-names" autocomplete="off" '
            'placeholder="名称或别名 / name or alias" aria-label="查找实体 find an entity">'
            '<datalist id="entity-names"></datalist><button type="submit">查找 Find</button></form>')


def _evidence_title(d: Description) -> str | None:
    """An evidence resource has no label: call it by the fact it supports."""
    if KG_NS + "Evidence" not in d.types:
        return None
    part = {f.predicate: f.node for f in d.out}
    s, p, o = (part.get(RDF_NS + k) for k in ("subject", "predicate", "object"))
    if not (s and p and o):
        return None
    rel = PROPERTY_ZH.get(p.value, (short(p.value),))[0]
    what = money(o.amount) if o.amount is not None else (o.label or short(o.value))
    return f"证据：{s.label or short(s.value)} —{rel}→ {what}"


def entity_page(d: Description, view: str | None = None) -> str:
    """The page of ``d``; ``view``: the path of its graph view (``/views/zone-….html``), if any."""
    label = d.label or _evidence_title(d) or short(d.iri)
    types = " ".join(f'<span class="type">{e(type_name(t))}</span>' for t in d.types)
    aliases = ""
    if d.aliases:
        aliases = ('<p class="aliases"><span class="what">别名 other names：</span>'
                   + "、".join(f'<span class="alias">{e(a)}</span>' for a in d.aliases) + "</p>")
    literals = ""
    if d.literals:
        first = (KG_NS + "evidenceText", KG_NS + "fileName", KG_NS + "startOffset", KG_NS + "endOffset")
        d.literals.sort(key=lambda pn: (first.index(pn[0]) if pn[0] in first else len(first), pn[0]))
        rows = "".join(f'<tr><th scope="row">{e(property_name(p))}</th><td>{_literal(p, n)}</td></tr>'
                       for p, n in d.literals)
        literals = f'<table class="literals"><tbody>{rows}</tbody></table>'
    path = path_for_iri(d.iri) or ""
    formats = (f'<p class="formats">{e(d.iri)} · <a href="{e(quote(path))}?format=turtle" type="text/turtle">Turtle</a>'
               f' · <a href="{e(quote(path))}?format=jsonld" type="application/ld+json">JSON-LD</a></p>')
    if view:
        formats += f'<p class="view-link"><a href="{e(view)}" id="view-link">图谱视图 graph view of this zone →</a></p>'
    note = '<p class="warn">结果已截断 results were capped at the row limit</p>' if d.truncated else ""
    is_zone = any(t in d.types for t in (KG_NS + "Zone", KG_NS + "Park"))
    skip_out = {KG_NS + "hosts", KG_NS + "hasPark", KG_NS + "hasChain", KG_NS + "hasCluster"} if is_zone else set()
    body = (
        f'<article class="entity" data-iri="{e(d.iri)}"><h2 class="label" lang="zh">{e(label)}</h2>'
        f'<p class="types">{types}</p>{aliases}{formats}{literals}{note}'
        + (zone_tables(d) if is_zone else "")
        + facts_table(d.out if not is_zone else [f for f in d.out if f.predicate not in skip_out] +
                      [f for f in d.out if f.predicate in skip_out], "out", "事实 Facts (→)")
        + facts_table(d.inward, "in", "指向它的事实 Facts pointing here (←)")
        + "</article>"
    )
    return layout(label, body)


def _literal(predicate: str, n: Node) -> str:
    if predicate == KG_NS + "amount":
        return f'<span class="literal num">{e(money(n.value))}</span> <span class="muted">({e(n.value)} 元)</span>'
    if predicate == KG_NS + "evidenceText":
        # The evidence itself: the sentence verbatim, as the offsets count it.
        return f'<q class="sentence" lang="zh">{e(n.value)}</q>'
    return node_html(n)


def not_found_page(iri: str) -> str:
    body = (f'<article class="entity"><h2>没有这个实体 Not found</h2><p>图谱里没有关于 <code>{e(iri)}</code> 的陈述。'
            "The graph states nothing about this IRI. 用上面的搜索框按名称查找 / search by name above.</p></article>")
    return layout("Not found", body)


def search_page(query: str, names: list[Name]) -> str:
    if not names:
        body = (f'<article><h2>没有找到 “{e(query)}” / nothing found</h2>'
                "<p>试试名称的一部分或别名 / try part of a name or an alias.</p></article>")
    else:
        items = "".join(
            f'<li>{link(n.iri, n.label)} <span class="kind">{e(TYPE_ZH.get(n.type, n.type))}</span>'
            + (f' <span class="muted">（{e(n.name)}）</span>' if n.name != n.label else "") + "</li>"
            for n in names)
        body = f'<article><h2>“{e(query)}”：{len(names)} 个实体 entities</h2><ul class="results">{items}</ul></article>'
    return layout(f"查找 {query}", body, query=query)
