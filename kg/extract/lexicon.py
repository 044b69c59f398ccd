"""Domain lexicons and the jieba tokenizer, loaded once per process.

The lexicons are plain text files in ``kg/resources`` so that a user can extend
them for another region or industry without touching code.
"""
from __future__ import annotations

import csv
import logging
import os
import re
from dataclasses import dataclass
from functools import cache, lru_cache
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


@cache
def sector_words() -> frozenset[str]:
    return _read_words("sector_words.txt")


@cache
def countries() -> frozenset[str]:
    return _read_words("countries.txt")


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
    # Every word added to the dictionary is recorded (word, frequency, tag, the
    # frequency it replaced) so that the fast tokenizer can be given the same ones.
    added: list[tuple[str, int, str | None, int]] = []
    jieba_add_word = tok.add_word

    def add_word(word, freq=None, tag=None):
        before = tok.FREQ.get(word) or 0
        jieba_add_word(word, freq, tag)
        added.append((word, tok.FREQ[word], tag, before))

    tok.add_word = add_word
    try:
        with resources.as_file(resources.files("kg.resources").joinpath("userdict.txt")) as path:
            tok.load_userdict(str(path))
        # Industry words are whole tokens (新材料, not 新|材料), so that a name is never cut
        # inside one; jieba's own frequency is kept where it has one.
        for word in sorted(industry_words()):
            if len(word) > 1 and not tok.FREQ.get(word):
                tok.add_word(word)
    finally:
        del tok.add_word
    tok.zonekg_added_words = tuple(added)
    return tok


# jieba-rs (rjieba) finds the same most probable route through the same dictionary
# as jieba, some 30 times faster. Its HMM for runs of unknown characters differs from
# jieba's in rare cases, so only the route is taken from it: jieba's own HMM
# (jieba.finalseg) then handles the runs of single characters, exactly as jieba's
# Tokenizer does. Equal results were checked on every code point and on millions of
# random and real sentences (tests/test_segment.py). A sentence the fast route may
# get wrong goes to jieba whole:
# - characters that jieba's block pattern does not take for Chinese and jieba-rs does
#   (CJK extensions, compatibility ideographs; private use: the filler word below);
_FAST_UNSAFE_CHARS = re.compile("[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\ue000-\uf8ff\U00010000-\U0010ffff]")
# - a run of one to four characters repeated three times (公公公): routes of equal
#   probability, which the two break differently.
_FAST_UNSAFE_REPEAT = re.compile(r"(.{1,4})\1\1", re.S)
# jieba adds a user word's whole frequency to the dictionary total even when it
# replaces a word it had; jieba-rs adds only the difference. A word no text contains
# (private-use characters, see above) makes up the rest, so that both weigh routes
# against the same total.
_FILLER_WORD = "\ue000\ue001\ue002"
# jieba's block pattern (re_han_default) and its pattern of letters and digits that
# the route-only cut glues together (re_eng).
_HAN_BLOCK = re.compile("[\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+")
_ENG = re.compile("[a-zA-Z0-9]+")


def fast_segment_safe(text: str) -> bool:
    """Whether the fast route gives jieba's exact tokens for ``text`` (see above)."""
    return not (_FAST_UNSAFE_CHARS.search(text) or _FAST_UNSAFE_REPEAT.search(text))


# Segmented both ways when the fast tokenizer loads: any difference, and jieba
# alone is used.
_SELF_CHECK = (
    "合肥高新技术产业开发区(以下简称高新区)形成了“一核三园”的产业格局。",
    "投资12亿元的鑫源锂电正极材料项目由芜湖恒越新能源科技有限公司建设运营。",
    "长鑫存储、科大国创等新一代信息技术企业入驻量子信息产业园，同比增长10.7%。",
    "中直国中键国打造“两群",
    "常在较解决项目芙期 运作资匠若题。U.S.9.2 5G iPhone",
)


@cache
def _fast_tokenizer():
    """jieba-rs with the same dictionary, or None: not installed, turned off with
    ZONEKG_TOKENIZER=jieba, or not matching jieba on the self-check."""
    if os.environ.get("ZONEKG_TOKENIZER", "").lower() == "jieba":
        return None
    try:
        import rjieba
    except ImportError:
        return None
    tok = _tokenizer()
    fast = rjieba.Jieba()
    replaced = 0
    for word, freq, tag, before in tok.zonekg_added_words:
        fast.add_word(word, freq, tag)
        replaced += before
    if replaced:
        fast.add_word(_FILLER_WORD, replaced, None)
    if any(_fast_cut(fast, tok.FREQ, s) != tok.lcut(s, HMM=True) for s in _SELF_CHECK):
        return None
    return fast


@lru_cache(maxsize=1 << 16)
def _hmm_cut(run: str) -> tuple[str, ...]:
    """jieba's HMM (finalseg) split of a run of single characters that is no word:
    pure Python and slow, and the same unknown names come back article after article."""
    from jieba import finalseg

    return tuple(finalseg.cut(run))


def _fast_cut(fast, freq: dict, text: str) -> list[str]:
    """jieba's ``lcut(text, HMM=True)``, with the route from jieba-rs.

    jieba-rs without HMM yields the route's words, except that runs of single
    letters and digits come glued (as jieba's route-only cut glues them). The loop
    below is jieba's ``__cut_DAG``: single-character words are buffered, and a
    buffer of several that is no dictionary word goes through jieba's HMM."""
    out: list[str] = []
    buf = ""
    han, eng = _HAN_BLOCK.fullmatch, _ENG.fullmatch

    def flush(buf: str) -> None:
        if len(buf) == 1:
            out.append(buf)
        elif not freq.get(buf):
            out.extend(_hmm_cut(buf))
        else:
            out.extend(buf)

    for word in fast.cut(text, False):
        if (len(word) == 1 and han(word)) or (eng(word) and not freq.get(word)):
            buf += word
            continue
        if buf:
            flush(buf)
            buf = ""
        out.append(word)
    if buf:
        flush(buf)
    return out


def tokenizer_name() -> str:
    """Which tokenizer :func:`segment` uses."""
    from importlib.metadata import version

    name = f"jieba {version('jieba')}"
    if _fast_tokenizer() is not None:
        name += f" (route by rjieba {version('rjieba')})"
    return name


@lru_cache(maxsize=1 << 16)
def words_of(name: str) -> tuple[str, ...]:
    """jieba tokens of a short name or phrase, memoised: the same names are asked about
    again and again (list items, a park's prefix, a project's core)."""
    return tuple(segment(name))


def segment(text: str) -> list[str]:
    """jieba tokens of a sentence (HMM on, so unknown brand names stay together)."""
    fast = _fast_tokenizer()
    if fast is not None and fast_segment_safe(text):
        return _fast_cut(fast, _tokenizer().FREQ, text)
    return _tokenizer().lcut(text, HMM=True)


@cache
def _word_tags() -> dict[str, str]:
    import jieba.posseg

    tok = _tokenizer()  # sets jieba's log level first
    jieba.posseg.dt.initialize()
    # The project's own words carry their tags too (投资建设 v), where jieba has none:
    # a compound verb of the user dictionary ends a name like any verb. (A table of our
    # own: jieba's is left as jieba has it.)
    added = {word: tag for word, _freq, tag, _before in tok.zonekg_added_words if tag}
    return added | jieba.posseg.dt.word_tag_tab


# Dictionary part-of-speech tags that never occur inside a name: verbs (not verbal
# nouns like 建设/研发), prepositions, conjunctions, particles, adverbs, pronouns,
# numerals, measure words, time and direction words, adjectives, interjections.
_BOUNDARY_TAGS = ("v", "p", "c", "u", "d", "r", "m", "q", "t", "f", "a", "y", "e", "o")


def word_tag(word: str) -> str | None:
    """jieba's dictionary part-of-speech tag of a word, None when unknown."""
    return _word_tags().get(word)


@lru_cache(maxsize=1 << 16)  # a pure function of the lexicons, asked about the same words again and again
def is_boundary_word(word: str) -> bool:
    """True when ``word`` cannot be part of a name (looked up, not tagged in context)."""
    if word in stopwords():
        return True
    if word in industry_words():
        return False
    if is_policy_phrase(word):
        return True
    tag = _word_tags().get(word)
    if tag is None or tag in ("vn", "an", "nr", "ns", "nt", "nz", "ng", "i", "j", "l"):
        return False
    if tag == "a" and len(word) > 1 and word_frequency(word) < 3000:
        return False  # 精密, 遥感: descriptive words inside names; 最大, 知名 are grammar
    return tag.startswith(_BOUNDARY_TAGS)


def is_policy_phrase(word: str) -> bool:
    """大力发展, 优先发展: two boundary words that jieba keeps as one (tagged nz, l), so
    that neither its tag nor its rarity may make it part of a name."""
    return len(word) >= 4 and word[:-2] in stopwords() and word[-2:] in stopwords()


def word_frequency(word: str) -> int:
    """How common a word is in jieba's dictionary (0 when unknown)."""
    return _tokenizer().FREQ.get(word) or 0
