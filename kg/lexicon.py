"""Domain lexicons and the jieba tokenizer, loaded once per process.

The lexicons are plain text files in ``kg/resources`` so that a user can extend
them for another region or industry without touching code.
"""
from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from functools import cache
from importlib import resources


def _read_words(name: str) -> frozenset[str]:
    words: set[str] = set()
    for line in resources.files("kg.resources").joinpath(name).read_text("utf-8").splitlines():
        line = line.split("#", 1)[0]
        words.update(line.split())
    return frozenset(words)


@cache
def stopwords() -> frozenset[str]:
    return _read_words("stopwords.txt")


@cache
def industry_words() -> frozenset[str]:
    return _read_words("industry_words.txt")


@dataclass(frozen=True)
class Place:
    name: str  # 许昌市
    short: str  # 许昌
    level: str  # province | city | county
    parent: str  # province full name, empty for a province


@cache
def places() -> dict[str, Place]:
    """Every spelling (full and short) of a province, city or county-level city."""
    rows = resources.files("kg.resources").joinpath("places.tsv").read_text("utf-8").splitlines()
    by_name: dict[str, Place] = {}
    rank = {"province": 0, "city": 1, "county": 2}
    for row in csv.DictReader(rows, delimiter="\t"):
        p = Place(row["name"], row["short"], row["level"], row["parent"])
        for spelling in (p.name, p.short):
            # A short form shared by a province and a city (吉林) or a city and a
            # county-level city (大理) means the larger unit in running text.
            old = by_name.get(spelling)
            if old is None or rank[p.level] < rank[old.level]:
                by_name[spelling] = p
    return by_name


@cache
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    with resources.as_file(resources.files("kg.resources").joinpath("userdict.txt")) as path:
        tok.load_userdict(str(path))
    # Industry words are whole tokens (新材料, not 新|材料), so that a name is never cut
    # inside one; jieba's own frequency is kept where it has one.
    for word in sorted(industry_words()):
        if len(word) > 1 and not tok.FREQ.get(word):
            tok.add_word(word)
    return tok


def segment(text: str) -> list[str]:
    """jieba tokens of a sentence (HMM on, so unknown brand names stay together)."""
    return _tokenizer().lcut(text, HMM=True)


@cache
def _word_tags() -> dict[str, str]:
    import jieba.posseg

    _tokenizer()  # sets jieba's log level first
    jieba.posseg.dt.initialize()
    return jieba.posseg.dt.word_tag_tab


# Dictionary part-of-speech tags that never occur inside a name: verbs (not verbal
# nouns like 建设/研发), prepositions, conjunctions, particles, adverbs, pronouns,
# numerals, measure words, time and direction words, adjectives, interjections.
_BOUNDARY_TAGS = ("v", "p", "c", "u", "d", "r", "m", "q", "t", "f", "a", "y", "e", "o")


def word_tag(word: str) -> str | None:
    """jieba's dictionary part-of-speech tag of a word, None when unknown."""
    return _word_tags().get(word)


def is_boundary_word(word: str) -> bool:
    """True when ``word`` cannot be part of a name (looked up, not tagged in context)."""
    if word in stopwords():
        return True
    if word in industry_words():
        return False
    tag = _word_tags().get(word)
    if tag is None or tag in ("vn", "an", "nr", "ns", "nt", "nz", "ng", "i", "j", "l"):
        return False
    if tag == "a" and len(word) > 1 and word_frequency(word) < 3000:
        return False  # 精密, 遥感: descriptive words inside names; 最大, 知名 are grammar
    return tag.startswith(_BOUNDARY_TAGS)


def word_frequency(word: str) -> int:
    """How common a word is in jieba's dictionary (0 when unknown)."""
    return _tokenizer().FREQ.get(word) or 0
