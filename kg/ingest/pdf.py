"""PDF: text with pdfminer.six, rebuilt into paragraphs from the layout (paragraphs
separated by a blank line, wrapped lines by one newline, columns read in order).
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from kg.ingest.decode import Unreadable, join_paragraphs, unreadable_reason

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
    return join_paragraphs("\n".join(p) for p in paragraphs)


def read_pdf(raw: bytes, max_bytes: int) -> tuple[str, str]:
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
        raise Unreadable("encrypted PDF (needs a password)") from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types on damaged files
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            raise Unreadable("encrypted PDF (needs a password)") from None
        raise Unreadable(unreadable_reason("PDF", exc)) from None
    chars = len("".join(text.split()))
    if cids > chars:
        raise Unreadable("PDF text cannot be decoded (its fonts have no Unicode map)")
    if not chars:
        raise Unreadable("PDF has no text layer (a scanned image? run OCR on it first)")
    return text, "pdf"


def _iter_text_lines(page):
    from pdfminer.layout import LTTextBox, LTTextLine

    for box in page:
        if isinstance(box, LTTextBox):
            for line in box:
                if isinstance(line, LTTextLine):
                    yield line
