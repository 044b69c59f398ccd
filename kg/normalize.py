"""Text normalisation before extraction, keeping a map back to the source text.

Real articles arrive with OCR and layout noise: full-width digits and punctuation,
spaces that OCR left inside words (``有限公 司``), lines broken by the page layout,
and paragraphs printed twice. Extraction works on the cleaned text; evidence offsets
are reported against the source through :attr:`Normalized.source_offsets`.
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass

# CJK ideographs and CJK/full-width punctuation: a space next to one of these is
# never meaningful in Chinese prose, it is layout or OCR debris.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201d\u2026\u00b7"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[{_CJK}])")
# A line ending in one of these closes a sentence or a heading; any other single
# line break inside a paragraph is where the page layout wrapped a sentence.
_SENTENCE_END = set("。！？!?；;:：”\"」』)）】")
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff]")
_OPEN_ENDING = re.compile(r"(?:及其|以及|及|和|与|的|、)(\n[ \t]*\n[\n \t]*)(?=[\u3400-\u9fff])")


@dataclass(frozen=True)
class Normalized:
    text: str
    source_offsets: array  # source_offsets[i] = index in the source of text[i]; one extra entry at the end
    source: str

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text to the source text."""
        if end <= start:
            s = self.source_offsets[start]
            return s, s
        return self.source_offsets[start], self.source_offsets[end - 1] + 1


class _Builder:
    """Appends normalised characters while remembering where each came from."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.offsets = array("l")

    def add(self, s: str, src: int) -> None:
        for ch in s:
            self.chars.append(ch)
            self.offsets.append(src)


def _nfkc_with_offsets(text: str) -> tuple[str, array]:
    if unicodedata.is_normalized("NFKC", text):
        return text, array("l", range(len(text)))
    b = _Builder()
    for i, ch in enumerate(text):
        # Per character NFKC is exact for Chinese text (no combining sequences
        # to compose across characters) and keeps the offset map trivial.
        b.add(unicodedata.normalize("NFKC", ch) if ord(ch) >= 0x80 else ch, i)
    return "".join(b.chars), b.offsets


def _drop(text: str, offsets: array, spans: list[tuple[int, int]]) -> tuple[str, array]:
    """Remove the given sorted, non-overlapping spans from text and offsets."""
    if not spans:
        return text, offsets
    parts, offs = [], array("l")
    pos = 0
    for s, e in spans:
        parts.append(text[pos:s])
        offs.extend(offsets[pos:s])
        pos = e
    parts.append(text[pos:])
    offs.extend(offsets[pos:])
    return "".join(parts), offs


def normalize(source: str) -> Normalized:
    text, offsets = _nfkc_with_offsets(source)
    text = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    if len(offsets) != len(text):  # \r\n collapsed: rebuild the offsets for it
        text, offsets = _nfkc_with_offsets(source.replace("\r\n", "\n").replace("\r", "\n"))

    # 1. Spaces next to Chinese characters.
    text, offsets = _drop(text, offsets, [m.span() for m in _SPACE_IN_CJK.finditer(text)])

    # 2. Rejoin lines the layout broke: a single newline whose line does not close a
    #    sentence, between two Chinese characters, joins the lines.
    joins = []
    for m in re.finditer(r"\n", text):
        i = m.start()
        prev = text[i - 1] if i > 0 else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if prev and nxt and prev not in _SENTENCE_END and nxt != "\n" and prev != "\n" \
                and _IDEOGRAPH.match(prev) and (_IDEOGRAPH.match(nxt) or nxt.isalnum()):
            joins.append((i, i + 1))
    text, offsets = _drop(text, offsets, joins)

    # 2b. A page break can leave blank lines inside a sentence (…氨基酸及其\n\n衍生物等项目);
    #     only a line ending in a word that cannot end a paragraph is joined across them.
    joins = [m.span(1) for m in _OPEN_ENDING.finditer(text)]
    text, offsets = _drop(text, offsets, joins)

    # 3. Paragraphs printed twice are read once: drop every later verbatim copy.
    seen: set[str] = set()
    dups = []
    for m in re.finditer(r"[^\n]+", text):
        para = m.group().strip()
        if not para:
            continue
        if para in seen:
            dups.append(m.span())
        else:
            seen.add(para)
    text, offsets = _drop(text, offsets, dups)

    offsets.append(len(source))
    return Normalized(text, offsets, source)
