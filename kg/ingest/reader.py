"""Find input articles and read them as text, whatever form they arrived in.

Users point ``kg build`` at folders they collected themselves: UTF-8, old
GBK/GB2312 exports, UTF-16 from Windows tools, web pages saved from government
sites, PDFs of newspaper pages, Word documents, and the odd image or truncated
download. Nothing here raises for a bad file; it comes back as a
:class:`Skipped` with a one-line reason so a whole run is never lost to one
file and the user can see what was left out and why.

Formats (picked by content where it is unambiguous, else by suffix):

- plain text (``.txt`` and anything not recognised below): encoding detected;
- HTML (``.html``/``.htm``): encoding from the BOM, else valid UTF-8, else the
  page's own charset declaration, else detection; the article body is taken
  with readability-lxml (navigation, menus, footers and "相关新闻" lists dropped);
- PDF: text with pdfminer.six, rebuilt into paragraphs from the layout
  (paragraphs separated by a blank line, wrapped lines by one newline);
- DOCX: paragraphs and table cells with python-docx.

For HTML, PDF and DOCX the returned text is the *extracted* text: it is what
evidence offsets downstream index into.
"""

from __future__ import annotations

import codecs
import errno as _errno
import hashlib
import io
import logging
import os
import re
import stat
import statistics
import unicodedata
import zipfile
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_BYTES_ENV",
    "SUFFIXES",
    "SourceText",
    "Skipped",
    "iter_input_paths",
    "read_raw",
    "read_source",
    "read_source_bytes",
]

# What a directory walk picks up. Explicit files are read whatever their suffix.
SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")

# Files over this size are skipped without being read. The environment
# variable overrides the default (in megabytes, e.g. ZONEKG_MAX_INPUT_MB=500).
DEFAULT_MAX_BYTES = 100 * 2**20
MAX_BYTES_ENV = "ZONEKG_MAX_INPUT_MB"


def default_max_bytes() -> int:
    """The size limit in force: ``$ZONEKG_MAX_INPUT_MB`` if set to a positive
    number, else :data:`DEFAULT_MAX_BYTES`."""
    value = os.environ.get(MAX_BYTES_ENV, "").strip()
    if value:
        try:
            mb = float(value)
        except ValueError:
            mb = 0
        if mb > 0:
            return int(mb * 2**20)
    return DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class SourceText:
    """A file read correctly."""

    path: Path
    # Offsets recorded downstream index into this exact string. For a text
    # file it is only ever BOM-stripped and newline-normalised, never otherwise
    # rewritten; for HTML, PDF and DOCX it is the text extracted from the file,
    # paragraphs separated by a blank line.
    text: str
    # How it was read: the codec for a text file ("utf-8", "gb18030", ...),
    # else the format and, for HTML, the codec ("html/utf-8", "pdf", "docx").
    encoding: str
    # Of the raw bytes of the file.
    sha256: str
    size: int


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


# --------------------------------------------------------------------------
# Finding inputs


def _os_reason(exc: OSError) -> str:
    if exc.errno:
        return os.strerror(exc.errno).lower()
    return str(exc) or type(exc).__name__


def _has_suffix(name: str, suffixes: tuple[str, ...]) -> bool:
    # Files copied off Windows machines often arrive as ".TXT".
    lower = name.lower()
    return any(lower.endswith(s.lower()) for s in suffixes)


def _walk(root: Path, suffixes: tuple[str, ...]) -> list[Path | Skipped]:
    found: list[tuple[str, Path | Skipped]] = []

    def _rel(path: Path) -> str:
        return path.relative_to(root).as_posix()

    def visit(directory: Path, ancestors: frozenset[str]) -> None:
        try:
            with os.scandir(directory) as it:
                entries = list(it)
        except OSError as exc:
            found.append((_rel(directory), Skipped(directory, _os_reason(exc))))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = directory / entry.name
            try:
                is_dir = entry.is_dir()  # follows symlinks: linked corpora are walked too
            except OSError:
                is_dir = False
            if is_dir:
                real = os.path.realpath(path)
                # Only the ancestor chain is checked: enough to stop a link
                # cycle, and it keeps the result independent of visit order.
                if real not in ancestors:
                    visit(path, ancestors | {real})
            elif _has_suffix(entry.name, suffixes):
                if os.path.exists(path):
                    found.append((_rel(path), path))
                else:
                    found.append((_rel(path), Skipped(path, "no such file or directory")))

    visit(root, frozenset({os.path.realpath(root)}))
    found.sort(key=lambda item: item[0])
    return [item for _, item in found]


def iter_input_paths(
    inputs: Iterable[Path], suffixes: tuple[str, ...] = SUFFIXES
) -> Iterator[Path | Skipped]:
    """Expand files and directories into the files to read, in a stable order.

    Explicit files are taken whatever their suffix (the user asked for them);
    directories contribute only ``suffixes`` files, hidden names excluded.
    """
    suffixes = tuple(suffixes)
    seen: set[str] = set()

    def once(item: Path | Skipped) -> Iterator[Path | Skipped]:
        path = item.path if isinstance(item, Skipped) else item
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            yield item

    for raw in inputs:
        path = Path(raw)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            # Also what a dangling symlink gives.
            yield from once(Skipped(path, "no such file or directory"))
            continue
        except OSError as exc:
            yield from once(Skipped(path, _os_reason(exc)))
            continue
        if stat.S_ISDIR(st.st_mode):
            for item in _walk(path, suffixes):
                yield from once(item)
        else:
            yield from once(path)


# --------------------------------------------------------------------------
# Reading


def _is_good_char(ch: str) -> bool:
    o = ord(ch)
    if ch.isspace() or 0x20 <= o < 0x7F:
        return True
    if (
        0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0x20000 <= o <= 0x3134F  # extensions B-G (GB18030 four-byte area)
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0x3000 <= o <= 0x303F  # CJK punctuation, ideographic space
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
    ):
        return True
    # Punctuation, symbols and numbers: GB2312's symbol rows (。“”·—…℃①Ⅲ×) land here.
    return unicodedata.category(ch)[0] in "PSN"


def _is_bad_char(ch: str) -> bool:
    if ch.isspace():
        return False
    # Control, private-use, unassigned, surrogate, and the replacement char.
    return unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs") or ch == "\ufffd"


# Real Chinese prose (the seed articles) scores ~100% good and 0% bad, while a
# wrong legacy decoding scores far lower: Big5 read as GB18030 is only ~35-50%
# good, with ~40% private-use characters (GBK's user-defined rows) plus stray
# kana, Greek and Cyrillic from its symbol rows; binary read as UTF-16 gives
# Hangul, rare scripts and U+0000.  The slack leaves room for an article
# quoting some Greek, Latin-accented or Japanese text, or a custom glyph.
_MIN_GOOD_SHARE = 0.90
_MAX_BAD_SHARE = 0.02


def _looks_like_text(text: str) -> bool:
    """Whether a decoding is plausibly a Chinese/English article, not mojibake.

    Needed because GB18030, UTF-16 and charset-normalizer's guesses decode
    almost any bytes without error; only the result tells right from wrong.
    """
    if not text:
        return True
    # Classify each distinct character once: files run to millions of chars
    # but only a few thousand distinct ones.
    counts = Counter(text)
    good = bad = 0
    for ch, n in counts.items():
        if _is_good_char(ch):
            good += n
        elif _is_bad_char(ch):
            bad += n
    total = len(text)
    return good >= _MIN_GOOD_SHARE * total and bad <= _MAX_BAD_SHARE * total


def _guess_bomless_utf16(raw: bytes) -> tuple[str, str] | None:
    # Only reached for data that contains NULs.  UTF-16 text puts them in the
    # high byte of ASCII (every other position), but never a whole aligned
    # U+0000; NUL runs in binaries do.  Parity alone cannot decide endianness:
    # U+3000 (ideographic space, common as indentation) has its NUL on the
    # other side, so both byte orders are decoded and judged on the result.
    if len(raw) % 2 or 0 in array("H", raw):
        return None
    candidates = []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            # ASCII read in the wrong byte order becomes U+xx00, mostly CJK
            # ideographs, which also "look like text"; the right order is the
            # one with real ASCII in it.
            ascii_units = len(text.encode("ascii", "ignore"))
            candidates.append((ascii_units, encoding, text))
    if not candidates:
        return None
    _, encoding, text = max(candidates, key=lambda c: c[0])
    return text, encoding


_BOMS = (
    # UTF-32 LE's BOM starts with UTF-16 LE's, so it must be tried first.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(raw: bytes, declared: str | None = None) -> tuple[str, str] | str:
    """Return (text, encoding), or a reason why the bytes are not text.

    ``raw.decode(encoding)`` reproduces the text before newline normalisation.
    ``declared`` is the codec the file names itself (an HTML page's charset).
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError:
                # A BOM on undecodable data is more likely chance than a real
                # mark; let the general checks below decide.
                break

    if b"\x00" in raw:
        guess = _guess_bomless_utf16(raw)
        if guess is not None:
            return guess
        return "binary file (contains NUL bytes)"

    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass

    # Valid UTF-8 wins over a declaration (legacy Chinese text is practically
    # never valid UTF-8, while pages re-saved as UTF-8 often keep their old
    # charset meta); for anything else the declaration is the best guess,
    # and the one that tells Big5 from GB18030.
    if declared:
        try:
            text = raw.decode(declared)
        except UnicodeDecodeError:
            pass
        else:
            if _looks_like_text(text):
                return text, declared

    # Before charset-normalizer: it can take GBK for Big5 or similar, while
    # strict GB18030 (a superset of GB2312 and GBK) plus the plausibility check
    # decodes mainland files correctly and rejects Big5 (see _looks_like_text).
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_text(text):
            return text, "gb18030"

    best = charset_normalizer.from_bytes(raw).best()
    if best is not None:
        try:
            encoding = codecs.lookup(best.encoding).name
            text = raw.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            if _looks_like_text(text):
                return text, encoding

    return "not valid text in any supported encoding"


def _human_size(n: int, *, trim: bool = False) -> str:
    for unit, scale in (("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            s = f"{n / scale:.1f}"
            if trim and s.endswith(".0"):
                s = s[:-2]
            return f"{s} {unit}"
    return f"{n} bytes"


def _too_large(size: int, max_bytes: int) -> str:
    return f"too large: {_human_size(size)} > limit {_human_size(max_bytes, trim=True)}"


# --------------------------------------------------------------------------
# Formats other than plain text

# Magic numbers of files that turn up in article folders but hold no text we
# can read: named in the reason, so the user knows what the file was.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document (.doc/.xls/.wps); save it as .docx"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"{\\rtf", "RTF document; save it as .docx"),
)


class _Unreadable(Exception):
    """A file of a known format that yields no usable text; the message is the reason."""


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _failure(kind: str, exc: Exception) -> str:
    detail = _one_line(exc)
    detail = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    if len(detail) > 160:
        detail = detail[:157] + "..."
    return f"not a readable {kind} ({detail})"


def _paragraphs(blocks: Iterable[str]) -> str:
    """Join paragraphs with a blank line; a paragraph keeps its own single
    newlines (wrapped lines, which the normaliser rejoins)."""
    kept = [b for b in blocks if b.strip()]
    return "\n\n".join(kept) + "\n" if kept else ""


def _sniff(path: Path, raw: bytes) -> str:
    """The format of a file: "pdf", "docx", "html" or "text"; or the reason
    why it is none of them and cannot be read."""
    name = path.name.lower()
    # PDF readers accept junk before the header (so does pdfminer), but only a
    # file named .pdf gets that benefit of the doubt.
    if raw.startswith(b"%PDF-") or (name.endswith(".pdf") and b"%PDF-" in raw[:1024]):
        return "pdf"
    if raw.startswith(b"PK\x03\x04"):
        if name.endswith(".docx"):
            return "docx"
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
        return "binary file (zip archive)"
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            return f"binary file ({what})"
    if name.endswith(".pdf"):
        return "not a PDF file (no %PDF header)"
    if name.endswith(".docx"):
        return "not a .docx file (not a zip archive)"
    if any(name.endswith(s) for s in HTML_SUFFIXES) or _looks_like_html(raw):
        return "html"
    return "text"


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


def _looks_like_html(raw: bytes) -> bool:
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


def _read_html(raw: bytes) -> tuple[str, str]:
    import lxml.html
    from readability import Document

    decoded = _decode(raw, declared=_html_charset(raw))
    if isinstance(decoded, str):
        raise _Unreadable(decoded)
    html, encoding = decoded
    # lxml refuses a str that still carries an XML encoding declaration.
    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        raise _Unreadable("empty file")

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception as exc:  # noqa: BLE001 - lxml raises several types for broken markup
        raise _Unreadable(_failure("HTML page", exc)) from None
    title = _html_title(tree)

    article = Document(html).summary(html_partial=True)
    blocks = _drop_furniture(_html_blocks(lxml.html.fragment_fromstring(article, create_parent="div")))
    # What is left of an index page is a menu: words and separators, no prose.
    if not any(len(b) >= 10 and _PROSE.search(b) for b in blocks):
        raise _Unreadable("no article text found in the HTML page")
    if title and title not in "".join(blocks[:2]):
        blocks.insert(0, title)
    return _paragraphs(blocks), f"html/{encoding}"


# ---- PDF

_SENTENCE_FINAL = tuple("。！？!?；;：:”」』)）】")
_CID = re.compile(r"\(cid:\d+\)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


def _line_text(line) -> str:
    """A text line's characters. pdfminer inserts a space wherever two
    characters stand apart, and in justified Chinese text (letter-spaced to
    fill the column) that is everywhere, digits included ("1 1 9 个"). Only the
    spaces the PDF itself has are kept, and inserted ones between two Latin
    letters (words set without space characters)."""
    from pdfminer.layout import LTAnno, LTChar

    items = [item for item in line if isinstance(item, (LTChar, LTAnno))]
    out = []
    for i, item in enumerate(items):
        text = item.get_text()
        if isinstance(item, LTAnno):
            if text != " ":
                continue
            before = out[-1][-1:] if out else ""
            after = items[i + 1].get_text()[:1] if i + 1 < len(items) else ""
            if not (before.isascii() and before.isalpha() and after.isascii() and after.isalpha()):
                continue
        out.append(text)
    return "".join(out)


def _pdf_lines(box) -> list[_Line]:
    from pdfminer.layout import LTChar, LTTextLine

    lines = []
    for line in box:
        if not isinstance(line, LTTextLine):
            continue
        text = _CONTROL.sub("", _CID.sub("", _line_text(line))).strip()
        if not text:
            continue
        sizes = [c.size for c in line if isinstance(c, LTChar)]
        size = statistics.median(sizes) if sizes else line.height
        lines.append(_Line(text, line.x0, line.x1, line.y1, line.y0, size or 10.0))
    return lines


class _Columns:
    """The column edges of one page: the left and right x shared by several
    lines (justified body text ends every full line at the same x; ragged
    text at least starts them at the same x). A line's column is the nearest
    such edges around it; with none, its text box's extent stands in."""

    def __init__(self, lines: list[_Line], document: _Columns | None = None) -> None:
        em = statistics.median(l.size for l in lines) if lines else 10.0

        def shared(xs: list[float], outer) -> list[float]:
            counts = Counter(round(x * 2) / 2 for x in xs)
            edges = sorted(x for x, n in counts.items() if n >= 2)
            # Of edges a few characters apart, only the outer one is the
            # column's: the inner ones are paragraph indents (left) or short
            # lines that happen to end together (right). Columns stand apart
            # by far more.
            return [x for x in edges if not any(outer(y, x) and abs(x - y) <= 4 * em for y in edges)]

        self.lefts = shared([l.x0 for l in lines], lambda y, x: y < x)
        self.rights = shared([l.x1 for l in lines], lambda y, x: y > x)
        # A page with too few lines to show its edges (the end of an
        # article) is taken to have the layout of the whole document.
        if document is not None:
            self.lefts = self.lefts or document.lefts
            self.rights = self.rights or document.rights

    def left(self, line: _Line, fallback: float) -> float:
        edges = [x for x in self.lefts if x <= line.x0 + 0.5]
        return edges[-1] if edges else fallback

    def right(self, line: _Line, fallback: float | None) -> float | None:
        edges = [x for x in self.rights if x >= line.x1 - 0.5]
        return edges[0] if edges else fallback


def _is_indented(line: _Line, left: float) -> bool:
    # Chinese paragraphs open with two ideographic spaces; some PDFs draw
    # them, others just start the line further right.
    return line.text.startswith(("\u3000", "  ")) or line.x0 - left > 0.8 * line.size


def _is_full(line: _Line, right: float) -> bool:
    return line.x1 >= right - 1.0 * line.size


def _breaks(lines: list[_Line], columns: _Columns) -> list[bool]:
    """For each line of a text box after the first: does a paragraph start there?"""
    box_left = min(l.x0 for l in lines)
    box_right = max(l.x1 for l in lines)
    gaps = [prev.bottom - line.top for prev, line in zip(lines, lines[1:])]
    usual_gap = statistics.median(gaps) if gaps else 0.0
    out = []
    for prev, line, gap in zip(lines, lines[1:], gaps):
        short = columns.right(prev, box_right) - prev.x1
        out.append(
            _is_indented(line, columns.left(line, box_left))
            # The last line of a paragraph stops short of the column edge;
            # a line that ends a sentence needs less to be believed.
            or short > 2.0 * prev.size
            or (short > 0.9 * prev.size and prev.text.endswith(_SENTENCE_FINAL))
            # Paragraphs set apart by space instead of an indent.
            or gap > usual_gap + 0.5 * line.size
        )
    return out


def _pdf_text(pages) -> str:
    """Paragraphs from pdfminer's layout: the lines of a paragraph joined by a
    newline (the normaliser rejoins wrapped lines), paragraphs by a blank line.

    A paragraph starts at an indented line, after a line that stops well short
    of its column's right edge, or after extra space. A new text box
    (pdfminer orders them column by column, page by page) starts one too,
    unless the previous box ended mid-sentence on a full line and this one
    does not open with an indent: a paragraph running on into the next column
    or page.
    """
    from pdfminer.layout import LTTextBox

    paragraphs: list[list[str]] = []
    # Did the previous box end on a full line, mid-sentence?
    open_end = False
    pages = [[lines for box in page if isinstance(box, LTTextBox) if (lines := _pdf_lines(box))] for page in pages]
    document = _Columns([line for boxes in pages for lines in boxes for line in lines])
    for boxes in pages:
        columns = _Columns([line for lines in boxes for line in lines], document)
        for lines in boxes:
            left = columns.left(lines[0], min(l.x0 for l in lines))
            if not (open_end and not _is_indented(lines[0], left)):
                paragraphs.append([])
            paragraphs[-1].append(lines[0].text)
            for line, new in zip(lines[1:], _breaks(lines, columns)):
                if new:
                    paragraphs.append([])
                paragraphs[-1].append(line.text)
            last = lines[-1]
            right = columns.right(last, None)
            if right is None:  # no shared edge: the box's own, if it has lines enough to show one
                right = max(l.x1 for l in lines) if len(lines) >= 2 else float("inf")
            open_end = _is_full(last, right) and not last.text.endswith(_SENTENCE_FINAL)
    return _paragraphs("\n".join(p) for p in paragraphs)


def _read_pdf(raw: bytes) -> tuple[str, str]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    # pdfminer logs every odd object in a damaged file; the reason line says enough.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        # line_margin: Chinese body text is often set with 1.5-2 em leading,
        # more than pdfminer's default groups into one box; paragraphs are
        # told apart by _breaks, not by the boxes.
        pages = list(extract_pages(io.BytesIO(raw), laparams=LAParams(line_margin=1.0)))
        text = _pdf_text(pages)
        cids = sum(len(_CID.findall(l.get_text())) for p in pages for l in _iter_text_lines(p))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise _Unreadable("encrypted PDF (needs a password)") from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types on damaged files
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            raise _Unreadable("encrypted PDF (needs a password)") from None
        raise _Unreadable(_failure("PDF", exc)) from None
    chars = len("".join(text.split()))
    if cids > chars:
        raise _Unreadable("PDF text cannot be decoded (its fonts have no Unicode map)")
    if not chars:
        raise _Unreadable("PDF has no text layer (a scanned image? run OCR on it first)")
    return text, "pdf"


def _iter_text_lines(page):
    from pdfminer.layout import LTTextBox, LTTextLine

    for box in page:
        if isinstance(box, LTTextBox):
            for line in box:
                if isinstance(line, LTTextLine):
                    yield line


# ---- DOCX


def _read_docx(raw: bytes, max_bytes: int) -> tuple[str, str]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            expanded = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _Unreadable(_failure(".docx file", exc)) from None
    # A zip bomb, or a document padded with huge images: either way not read.
    # (python-docx holds every part in memory.)
    limit = 2 * max_bytes
    if expanded > limit:
        raise _Unreadable(f"too large: .docx expands to {_human_size(expanded)} > limit {_human_size(limit, trim=True)}")

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 - zip, XML and package errors alike
        raise _Unreadable(_failure(".docx file", exc)) from None

    blocks: list[str] = []

    def visit(container) -> None:
        for item in container.iter_inner_content():
            if isinstance(item, Paragraph):
                blocks.append(item.text.strip())
            elif isinstance(item, Table):
                for row in item.rows:
                    seen = set()
                    for cell in row.cells:
                        # A merged cell is returned once per grid column it spans.
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        visit(cell)

    visit(document)
    text = _paragraphs(blocks)
    if not text.strip():
        raise _Unreadable("empty document")
    return text, "docx"


# --------------------------------------------------------------------------

_KIND_NAMES = {"html": "HTML page", "pdf": "PDF", "docx": ".docx file"}


def read_source(path: Path, max_bytes: int | None = None) -> SourceText | Skipped:
    """Read one file as text, or say in one line why it was skipped.

    ``max_bytes`` (default :func:`default_max_bytes`): a larger file is skipped
    with its size, checked before anything is read.
    """
    path = Path(path)
    if max_bytes is None:
        max_bytes = default_max_bytes()
    raw = read_raw(path, max_bytes)
    if isinstance(raw, Skipped):
        return raw
    return read_source_bytes(path, raw, max_bytes)


def read_raw(path: Path, max_bytes: int | None = None) -> bytes | Skipped:
    """The bytes of a regular file no larger than ``max_bytes`` (the first step of
    :func:`read_source`), or why it cannot be read."""
    path = Path(path)
    if max_bytes is None:
        max_bytes = default_max_bytes()
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            return Skipped(path, os.strerror(_errno.EISDIR).lower())
        if not stat.S_ISREG(st.st_mode):
            # FIFOs and devices could block forever or never end.
            return Skipped(path, "not a regular file")
        if st.st_size > max_bytes:
            return Skipped(path, _too_large(st.st_size, max_bytes))
        with open(path, "rb") as f:
            # One byte over the limit tells a file that grew since stat().
            return f.read(max_bytes + 1)
    except OSError as exc:
        return Skipped(path, _os_reason(exc))


def read_source_bytes(path: Path, raw: bytes, max_bytes: int | None = None) -> SourceText | Skipped:
    """The rest of :func:`read_source`, on the bytes :func:`read_raw` gave: for bytes
    that travelled (a worker of ``kg build --cluster`` gets them from the client).
    ``path`` is not opened; its name takes part in choosing the format, as it does
    for a file, and the result carries it.
    """
    path = Path(path)
    if max_bytes is None:
        max_bytes = default_max_bytes()
    if len(raw) > max_bytes:
        return Skipped(path, _too_large(len(raw), max_bytes))
    if not raw:
        return Skipped(path, "empty file")

    kind = _sniff(path, raw)
    if kind == "text":
        decoded = _decode(raw)
        if isinstance(decoded, str):
            return Skipped(path, decoded)
        text, encoding = decoded
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    elif kind in ("html", "pdf", "docx"):
        try:
            if kind == "html":
                text, encoding = _read_html(raw)
            elif kind == "pdf":
                text, encoding = _read_pdf(raw)
            else:
                text, encoding = _read_docx(raw, max_bytes)
        except _Unreadable as exc:
            return Skipped(path, _one_line(exc))
        except RecursionError:
            return Skipped(path, f"not a readable {_KIND_NAMES[kind]} (nested too deeply)")
        except Exception as exc:  # noqa: BLE001 - a parser bug must not end the run
            return Skipped(path, _failure(_KIND_NAMES[kind], exc))
    else:
        return Skipped(path, kind)

    if not text.strip():
        return Skipped(path, "empty file")
    return SourceText(
        path=path,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
    )
