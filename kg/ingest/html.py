"""HTML pages: the encoding from the BOM, else valid UTF-8, else the page's own charset
declaration, else detection; the article body taken with readability-lxml (navigation,
menus, footers and "相关新闻" lists dropped); table rows kept as tab-separated lines.
"""

from __future__ import annotations

import codecs
import re

from kg.ingest.decode import Unreadable, decode, join_paragraphs, unreadable_reason

# ---- HTML

_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_META_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([a-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)

# Pages labelled with the old, narrower Chinese charsets routinely contain
# characters only the wider ones have, as browsers know: decode them as GB18030.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                    "big5": "big5hkscs", "iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "utf-8",
                    "us-ascii": "utf-8"}


def looks_like_html(raw: bytes) -> bool:
    return bool(_HTML_START.match(raw[:4096]))


def _html_charset(raw: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes, as a Python codec name."""
    head = raw[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not m:
        return None
    label = m.group(1).decode("ascii", "replace").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page saved as UTF-16 still says "utf-16" but has a BOM, found first;
    # one that says so without being it would decode to nonsense.
    return None if name.startswith(("utf-16", "utf-32")) else name


# Lines of page furniture that survive inside an article block: bylines,
# share/print links, pagination. Only short lines are dropped.
_FURNITURE = re.compile(
    r"^[【\[(（]?\s*(?:"
    r"(?:责任编辑|编辑|责编|审核|审校|校对|来源|信息来源|文章来源|作者|发布时间|发布日期|发表时间|更新时间|"
    r"点击数|点击量|浏览次数|阅读次数|访问次数|上一篇|下一篇|上一条|下一条|分享到|附件)\s*[:：]"
    r"|(?:打印|关闭|关闭窗口|打印本页|返回顶部|收藏|字号|分享)\s*[】\])）]"
    r"|版权所有|copyright|©|主办单位|承办单位|网站地图|联系我们|网站标识码"
    r")",
    re.I,
)
_FURNITURE_ANYWHERE = re.compile(r"ICP备|公网安备|【\s*(?:打印|关闭)")
_MAX_FURNITURE_LINE = 80
# The head of a list of links to other articles; the list follows it.
_RELATED_HEAD = re.compile(
    r"^[【\[]?\s*(?:相关新闻|相关阅读|相关文章|相关链接|相关报道|相关资讯|相关信息|延伸阅读|推荐阅读|"
    r"热点新闻|热门新闻|热点推荐|猜你喜欢|更多新闻|往期回顾|最新新闻|最新动态)"
)
_SENTENCE_END = tuple("。！？!?”」』")
_PROSE = re.compile(r"[。！？，；、]|[a-z][,.;!?] ", re.I)
_MAX_LINK_TITLE = 60

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section summary table "
    "tbody thead tfoot tr ul".split()
)
# A table row is one line, its cells separated by tabs, so that a project and the
# company and amount beside it stay together (kg/extract/extractors/tables.py).
_CELL_TAGS = frozenset({"td", "th"})
_SKIP_TAGS = frozenset("script style noscript template head title select option button svg".split())
_SPACES = re.compile(r"[^\S\t]+")
_CELL_GAPS = re.compile(r" ?\t[\s]*")


def _html_blocks(root) -> list[str]:
    """The text of an lxml tree, one string per block (paragraph, heading,
    list item, table row or line ended by <br>), whitespace collapsed; the cells of
    a row separated by tabs."""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = _CELL_GAPS.sub("\t", _SPACES.sub(" ", "".join(current))).strip()
        if text:
            blocks.append(text)
        current.clear()

    def visit(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS or not tag:  # comments and processing instructions
            pass
        elif tag == "br":
            flush()
        else:
            if tag in _CELL_TAGS and "".join(current).strip():
                current.append("\t")
            block = tag in _BLOCK_TAGS
            if block:
                flush()
            if el.text:
                current.append(el.text)
            for child in el:
                visit(child)
            if block:
                flush()
        if el.tail:
            current.append(el.tail)

    visit(root)
    flush()
    return blocks


def _drop_furniture(blocks: list[str]) -> list[str]:
    kept: list[str] = []
    in_related = False
    for b in blocks:
        if _RELATED_HEAD.match(b) and not b.endswith(_SENTENCE_END):
            in_related = True  # the head, and the list of titles under it
            continue
        if in_related:
            if len(b) <= _MAX_LINK_TITLE and not b.endswith(_SENTENCE_END):
                continue
            in_related = False
        if len(b) <= _MAX_FURNITURE_LINE and (_FURNITURE.match(b) or _FURNITURE_ANYWHERE.search(b)):
            continue
        kept.append(b)
    return kept


def _html_title(tree) -> str | None:
    """The article's headline, when the page shows it plainly: a heading (or
    a "title" element) whose text the page's <title> repeats, else the page's
    only <h1>. The <title> alone is not used: it is often just the site name."""

    def text_of(el) -> str:
        return _SPACES.sub(" ", el.text_content()).strip()

    page_title = " ".join(text_of(t) for t in tree.iter("title"))
    candidates = list(tree.iter("h1", "h2", "h3")) + tree.xpath(
        "//*[contains(translate(@class, 'TITLE', 'title'), 'title')"
        " or contains(translate(@id, 'TITLE', 'title'), 'title')][not(self::title)]"
    )
    for el in candidates:
        text = text_of(el)
        if 4 <= len(text) <= 100 and text in page_title:
            return text
    h1s = [text_of(el) for el in tree.iter("h1")]
    if len(h1s) == 1 and 6 <= len(h1s[0]) <= 100:
        return h1s[0]
    return None


def read_html(raw: bytes, max_bytes: int) -> tuple[str, str]:
    import lxml.html
    from readability import Document

    decoded = decode(raw, declared=_html_charset(raw))
    if isinstance(decoded, str):
        raise Unreadable(decoded)
    html, encoding = decoded
    # lxml refuses a str that still carries an XML encoding declaration.
    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        raise Unreadable("empty file")

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception as exc:  # noqa: BLE001 - lxml raises several types for broken markup
        raise Unreadable(unreadable_reason("HTML page", exc)) from None
    title = _html_title(tree)

    article = Document(html).summary(html_partial=True)
    blocks = _drop_furniture(_html_blocks(lxml.html.fragment_fromstring(article, create_parent="div")))
    # What is left of an index page is a menu: words and separators, no prose.
    if not any(len(b) >= 10 and _PROSE.search(b) for b in blocks):
        raise Unreadable("no article text found in the HTML page")
    if title and title not in "".join(blocks[:2]):
        blocks.insert(0, title)
    return join_paragraphs(blocks), f"html/{encoding}"
