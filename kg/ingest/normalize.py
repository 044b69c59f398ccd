"""Text normalisation before extraction, keeping a map back to the source text.

Real articles arrive with OCR and layout noise: full-width digits and punctuation,
traditional characters (``許昌經濟技術開發區``), spaces that OCR left inside words
(``有限公 司``), lines broken by the page layout, and paragraphs printed twice.
Extraction works on the cleaned text; evidence offsets are reported against the
source through :attr:`Normalized.source_offsets`.
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

# CJK ideographs and CJK/full-width punctuation: a space next to one of these is
# never meaningful in Chinese prose, it is layout or OCR debris.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201d\u2026\u00b7"
# A tab is never debris: it separates the cells of a table row, and stays.
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}])[ \u00a0\u3000]+|[ \u00a0\u3000]+(?=[{_CJK}])")
# A line ending in one of these closes a sentence or a heading; any other single
# line break inside a paragraph is where the page layout wrapped a sentence.
_SENTENCE_END = set("。！？!?；;:：”\"」』)）】")
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff]")
# Marks inside a sentence: a line ending or starting with one was wrapped (投资15|亿元, 、|…).
_OPEN_PUNCT = set("，,、“‘(《")
# Marks that close what comes before them: a line starting with one was wrapped before it.
_CLOSING_PUNCT = set("。，,、；;：:！？!?”’」』)）》】~…")
_OPEN_ENDING = re.compile(r"(?:及其|以及|及|和|与|的|、)(\n[ \t]*\n[\n \t]*)(?=[\u3400-\u9fff])")


# A full stop typed as "." (or as "．", which NFKC turns into "."): after a Chinese
# character or a closing quote and before a Chinese character, a quote, a line's end or
# the text's end, it ends a sentence as 。 does. Between digits (1.5亿元) or in Latin
# text (www.example.cn) it does not, and stays.
_LATIN_STOP = re.compile(r"(?<=[\u3400-\u9fff”」』)）])\.(?=[\u3400-\u9fff“「『]|\n|$)")


# A pinyin syllable with its tone mark in parentheses right after a character.
PINYIN_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}\)")


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


def _nfkc_with_offsets(text: str) -> tuple[str, array]:
    if unicodedata.is_normalized("NFKC", text):
        return text, array("l", range(len(text)))
    # Per character NFKC is exact for Chinese text (no combining sequences to
    # compose across characters) and keeps the offset map trivial. Each distinct
    # character is normalised once; characters that become one character (，→ ,
    # and nearly all others) are replaced in one str.translate, and only the rare
    # ones that change length (… → ..., ㈱ → (株)) need the offset map rebuilt.
    changed = {}
    for ch in set(text):
        if ord(ch) >= 0x80:
            n = unicodedata.normalize("NFKC", ch)
            if n != ch:
                changed[ch] = n
    same_length = {ord(c): n for c, n in changed.items() if len(n) == 1}
    text = text.translate(same_length)
    offsets = array("l", range(len(text)))
    longer = sorted(c for c, n in changed.items() if len(n) != 1)
    if not longer:
        return text, offsets
    chars: list[str] = []
    new_offsets = array("l")
    pos = 0
    for m in re.finditer("[" + "".join(re.escape(c) for c in longer) + "]", text):
        i = m.start()
        chars.append(text[pos:i])
        new_offsets.extend(offsets[pos:i])
        n = changed[m.group()]
        chars.append(n)
        new_offsets.extend([i] * len(n))
        pos = i + 1
    chars.append(text[pos:])
    new_offsets.extend(offsets[pos:])
    return "".join(chars), new_offsets


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    # "t2s": OpenCC's phrase-aware conversion of traditional characters to
    # simplified ones (許昌經濟 → 许昌经济, 乾隆 kept, 頭髮 → 头发).
    return opencc.OpenCC("t2s")


# Paragraphs are converted on their own, so a phrase conversion that changes
# the length (rare in t2s) costs the phrase context of one paragraph only.
_PARAGRAPH = re.compile(r"[^\n]+")


def _to_simplified(text: str) -> str:
    """Traditional → simplified, character for character: the result has the
    same length as ``text``, so every offset stays valid.

    A paragraph whose whole-text conversion changes length (a phrase mapped to
    a phrase of another length) is converted one character at a time instead,
    keeping a character as it is where even that changes the length.
    """
    if text.isascii():
        return text
    convert = _t2s().convert
    converted = convert(text)
    if len(converted) == len(text):
        return converted

    def paragraph(m: re.Match) -> str:
        para = m.group()
        out = convert(para)
        if len(out) == len(para):
            return out
        chars = []
        for ch in para:
            c = convert(ch)
            chars.append(c if len(c) == 1 else ch)
        return "".join(chars)

    return _PARAGRAPH.sub(paragraph, text)


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


# The number of an item in a list: 1. / 2、 / (3) / 四、 (not 1.5倍, a decimal).
_ENUMERATION = re.compile(r"[ \t]*(?:[0-9]{1,3}[.．、](?![0-9])|[(（][0-9一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)")
_PUNCTUATION = re.compile(r"[，,。；;、！？!?()（）]")  # (a title may hold a colon or quotes: X：Y)


_LIST_TITLE = re.compile(r"(?:清单|一览表?|名单|汇总表?|明细表?)$")


def _headline(line: str, following: str) -> bool:
    """Whether the article's first line is its title, so that the line after it starts a
    sentence of its own: short, without punctuation, not ending in a word that joins
    (了, 和, 的 …), and much shorter than the paragraph after it (a line the layout broke
    is about as long as the next)."""
    line = line.strip()
    # (a list's title ends there however long its first entry: …开工项目清单 | 青湾项目…)
    return 0 < len(line) <= 40 and not _PUNCTUATION.search(line) and line[-1] not in "了和与及的或并在将从对为把被" \
        and (len(following.strip()) > 1.5 * len(line) or _LIST_TITLE.search(line) is not None)


def normalize(source: str) -> Normalized:
    text, offsets = _nfkc_with_offsets(source)
    if "\r" in text:
        # CRLF → LF by dropping the CR (so offsets still point into the source); a lone
        # CR becomes LF in place.
        text, offsets = _drop(text, offsets, [(m.start(), m.start() + 1) for m in re.finditer("\r\n", text)])
        text = text.replace("\r", "\n")

    # 0. Traditional characters to simplified ones. Same length, so the offsets
    #    need no change: text[i] still comes from source[offsets[i]].
    text = _to_simplified(text)

    # 0b. Pinyin that some sites print after a character they think hard (產(chǎn)業(yè)):
    #     page furniture, not text.
    text, offsets = _drop(text, offsets, [m.span() for m in PINYIN_GLOSS.finditer(text)])

    # 1. Spaces next to Chinese characters.
    text, offsets = _drop(text, offsets, [m.span() for m in _SPACE_IN_CJK.finditer(text)])

    # 1b. A full stop typed as "." is read as 。 (same length: offsets unchanged), so that
    #     every rule that ends a sentence at 。 ends it there, and a line it ends is not
    #     joined to the next. (After the spaces: 建成 . 新 is 建成.新.)
    if "." in text:
        text = _LATIN_STOP.sub("。", text)

    # 2. Rejoin lines the layout broke: a single newline whose line does not close a
    #    sentence, between two Chinese characters, joins the lines.
    joins = []
    for m in re.finditer(r"\n", text):
        i = m.start()
        if "\t" in text[text.rfind("\n", 0, i) + 1:i] or text.startswith("\t", i + 1) or \
                "\t" in text[i + 1:(text.find("\n", i + 1) + 1 or len(text) + 1) - 1]:
            continue  # rows of a table (cells separated by tabs) are lines of their own
        # Spaces the layout left at either side of the break (项目 | 6个) go with it.
        a, b = i, i + 1
        while a > 0 and text[a - 1] == " ":
            a -= 1
        while b < len(text) and text[b] == " ":
            b += 1
        prev = text[a - 1] if a > 0 else ""
        nxt = text[b] if b < len(text) else ""
        line_start = text.rfind("\n", 0, i) + 1
        if line_start == 0 and _headline(text[:i], text[i + 1:(text.find("\n", i + 1) + 1 or len(text) + 1) - 1]):
            continue  # a title on a line of its own ends there (松原…园区 | 园区概况:…)
        if _ENUMERATION.match(text, b):
            continue  # a numbered item starts a line of its own (一、续建项目 | 1.青湾…)
        if prev and nxt and prev not in _SENTENCE_END and nxt != "\n" and prev != "\n" \
                and (_IDEOGRAPH.match(prev) or prev.isalnum() or prev in _OPEN_PUNCT or prev in "/-+&·") \
                and (_IDEOGRAPH.match(nxt) or nxt.isalnum() or nxt in _OPEN_PUNCT):
            joins.append((a, b))
        elif prev and prev != "\n" and nxt in _CLOSING_PUNCT:
            joins.append((a, b))  # no line of prose starts with 。 or ”: the layout put it there
        elif prev and prev in "”’」』" and text[a - 2:a - 1] not in ("", "。", "！", "？", "!", "?", "…") and _IDEOGRAPH.match(nxt):
            joins.append((a, b))  # 跨越发展”|的工作思路: a quoted phrase, not a quoted sentence, ends the line
        elif prev == "." and text[a - 2:a - 1].isdigit() and nxt.isdigit():
            joins.append((a, b))  # 6.|25亿元: a number wrapped at its decimal point
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
