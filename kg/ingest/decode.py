"""Bytes to text: the encoding of a plain-text file (UTF-8, GBK/GB18030, UTF-16
with or without a BOM, detected when undeclared), and what the format readers share.
"""

from __future__ import annotations

import codecs
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable

import charset_normalizer

from kg.ingest.files import one_line

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


def decode(raw: bytes, declared: str | None = None) -> tuple[str, str] | str:
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


class Unreadable(Exception):
    """A file of a known format that yields no usable text; the message is the reason."""


def unreadable_reason(kind: str, exc: Exception) -> str:
    detail = one_line(exc)
    detail = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    if len(detail) > 160:
        detail = detail[:157] + "..."
    return f"not a readable {kind} ({detail})"


def join_paragraphs(blocks: Iterable[str]) -> str:
    """Join paragraphs with a blank line; a paragraph keeps its own single
    newlines (wrapped lines, which the normaliser rejoins)."""
    kept = [b for b in blocks if b.strip()]
    return "\n\n".join(kept) + "\n" if kept else ""
