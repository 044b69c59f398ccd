"""Self-contained HTML pages from pyvis networks: vis-network and the page assets
inlined, every external link and script removed (:func:`make_offline`), so a view opens
from disk with no network.
"""
from __future__ import annotations

import json
import re
from html import escape as html_escape
from importlib import resources
from pathlib import Path

_STATIC = "static"


# --------------------------------------------------------------------------
# Escaping and offline post-processing


def json_for_script(data) -> str:
    """JSON that is safe inside an HTML ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


_EXTERNAL_LINK = re.compile(r"<link\b[^>]*?\bhref\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>", re.I | re.S)
_EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*?\bsrc\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>\s*</script\s*>", re.I | re.S)
_ANY_SRC = re.compile(r"<(?:script|img|iframe)\b[^>]*?\bsrc\s*=", re.I | re.S)
_ANY_LINK = re.compile(r"<link\b[^>]*?\bhref\s*=", re.I | re.S)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.I)
# pyvis's template keeps a commented-out <script src="../node_modules/vis/..."> around.
# (Neither the inlined vis-network nor our JSON, whose "<" is escaped, contains "<!--".)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _static(name: str) -> str:
    return resources.files("kg").joinpath(_STATIC, name).read_text(encoding="utf-8")


def _pyvis_lib(name: str) -> str:
    import pyvis

    path = Path(pyvis.__file__).parent / "templates" / "lib" / name
    return path.read_text(encoding="utf-8")


def make_offline(html: str) -> str:
    """Drop every CDN ``<script src>``/``<link href>``; make sure vis-network is inline.

    Raises ValueError if any external resource (a ``src=`` or ``<link href=>``) is
    left, so a page that would need the network is never written.
    """
    html = _EXTERNAL_SCRIPT.sub("", html)
    html = _EXTERNAL_LINK.sub("", html)
    html = _EMPTY_HEADING.sub("", html)
    html = _HTML_COMMENT.sub("", html)
    if "@version 9" not in html or "vis.Network" not in html:
        # pyvis stopped inlining (another version or mode): inline our copy.
        inline = (f"<style>{_pyvis_lib('vis-9.1.2/vis-network.css')}</style>\n"
                  f"<script>{_pyvis_lib('vis-9.1.2/vis-network.min.js')}</script>\n")
        html = html.replace("</head>", inline + "</head>", 1)
    for pattern in (_ANY_SRC, _ANY_LINK):
        m = pattern.search(html)
        if m:
            raise ValueError(f"view still loads an external resource: {html[m.start():m.start() + 120]!r}")
    return html


def _inject(html: str, *, head: str, body_start: str, body_end: str) -> str:
    hook = "network = new vis.Network(container, data, options);"
    if hook not in html:
        raise ValueError("unexpected pyvis template: cannot find where the network is created")
    html = html.replace(hook, hook + "\n                  zonekgAttach(network, nodes, edges);", 1)
    html = html.replace("</head>", head + "</head>", 1)
    html = re.sub(r"<body>", lambda _: "<body>" + body_start, html, count=1)
    i = html.rfind("</body>")
    return html[:i] + body_end + html[i:]


def render_page(net, *, title: str, kind: str, legend: dict, links: list[dict]) -> str:
    """pyvis's HTML for ``net``, offline, with our panel (title, search, legend, links)."""
    html = net.generate_html(name="view.html")
    physics = bool(net.options["physics"]["enabled"])
    page = {"title": title, "kind": kind, "legend": legend, "links": links, "physics": physics}
    head = (f"<title>{html_escape(title)} · zonekg</title>\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<style>{_static('view.css')}</style>\n")
    body_start = (
        '<div id="zonekg-panel"><h1 id="zonekg-title"></h1>'
        '<div id="zonekg-search"><input id="zonekg-q" type="search" list="zonekg-names" '
        'placeholder="查找名称或别名 / find by name or alias" autocomplete="off">'
        '<button id="zonekg-go" type="button">查找</button><datalist id="zonekg-names"></datalist></div>'
        '<div id="zonekg-status" role="status"></div><a id="zonekg-entity" hidden></a><div id="zonekg-legend"></div>'
        '<div id="zonekg-links"></div></div>\n'
        f'<script type="application/json" id="zonekg-data">{json_for_script(page)}</script>\n'
        f"<script>{_static('view.js')}</script>\n"
    )
    html = _inject(html, head=head, body_start=body_start, body_end="")
    html = html.replace("<html>", '<!DOCTYPE html>\n<html lang="zh">', 1)
    return make_offline(html)
