"""When a predicted name is the gold name: NFKC, traditional and simplified alike,
page artefacts (pinyin glosses) dropped, 项目 optional, and a name contained in the
other when long enough.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Callable

from kg.ingest.normalize import PINYIN_GLOSS

_MIN_CONTAINED_LEN = 4
_PROJECT_SUFFIX = "项目"


# --------------------------------------------------------------------------- names


@lru_cache(maxsize=1)
def _to_simplified() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("t2s").convert


def normalize_name(name: str) -> str:
    """NFKC, traditional characters as simplified, no pinyin glosses (產(chǎn)), drop
    whitespace/punctuation/symbols, drop one trailing 项目.

    The dev gold keeps each article's own script (經濟開發區), while an extractor may
    give either spelling: both compare alike."""
    text = _to_simplified()(PINYIN_GLOSS.sub("", unicodedata.normalize("NFKC", name)))
    # Cc/Cf are included because invisible characters (zero-width spaces, BOMs)
    # leak out of scraped pages and would otherwise break equality silently.
    kept = [
        ch
        for ch in text
        if not ch.isspace() and unicodedata.category(ch)[0] not in "PSZ"
        and unicodedata.category(ch) not in ("Cc", "Cf")
    ]
    out = "".join(kept)
    if out.endswith(_PROJECT_SUFFIX):
        out = out[: -len(_PROJECT_SUFFIX)]
    return out


def normalized_match(a: str, b: str) -> int:
    """0 = no match, 1 = containment match, 2 = equal (on normalised names)."""
    if not a or not b:
        # An empty key (a name that was only punctuation, or just "项目") would
        # otherwise equal every other empty key.
        return 0
    if a == b:
        return 2
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if (
        len(short) >= _MIN_CONTAINED_LEN
        and 2 * len(short) >= len(long_)
        and short in long_
    ):
        return 1
    return 0


def names_match(predicted: str, gold: str) -> bool:
    """Whether two surface names denote the same thing under the scoring rules."""
    return normalized_match(normalize_name(predicted), normalize_name(gold)) > 0
