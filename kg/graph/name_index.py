"""The names people use for a zone, a company or a place, beyond the ones an article wrote.

:func:`variants` gives the usual search spellings of a name: NFKC; traditional and
simplified characters; with and without 国家/国家级/省级 and a leading province or city;
the short and long forms of zone kinds (经济技术开发区 ↔ 经开区, 高新技术产业开发区 ↔ 高新区,
综合保税区 ↔ 综保区 …); a company without its legal form. The build writes them as
``skos:hiddenLabel`` (SKOS's term for exactly this), and ``kg query`` resolves every name
parameter through them (:mod:`kg.query.names`).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache

# Long form, then the short forms people write for it.
ZONE_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("高新技术产业开发区", ("高新区", "高新技术开发区", "高新技术产业园区")),
    ("经济技术开发区", ("经开区", "经济开发区", "经济技术开发区")),
    ("经济开发区", ("经开区", "开发区")),
    ("综合保税区", ("综保区", "保税区")),
    ("产业集聚区", ("集聚区",)),
    ("高新技术开发区", ("高新区",)),
    ("工业园区", ("工业园",)),
    ("产业园区", ("产业园",)),
    ("新区", ()),
)
_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "有限公司", "(集团)", "集团", "公司")
_RANKS = re.compile(r"国家级|国家|省级")
SEPARATOR = "|"  # between the names a parameter is bound to (see queries/*.rq)


@cache
def _converters():
    import opencc

    return opencc.OpenCC("t2s").convert, opencc.OpenCC("s2t").convert


def _scripts(name: str) -> set[str]:
    t2s, s2t = _converters()
    nf = unicodedata.normalize("NFKC", name).replace(" ", "")
    return {nf, t2s(nf), s2t(nf)}


def _leading_places(name: str) -> list[str]:
    """The division names a name opens with, in order (安徽省马鞍山… → 安徽省, 马鞍山)."""
    from kg.extract.divisions import codes_named

    out = []
    pos = 0
    while pos < len(name):
        for n in range(min(len(name) - pos, 10), 1, -1):
            if codes_named(name[pos:pos + n]):
                out.append(name[pos:pos + n])
                pos += n
                break
        else:
            break
    return out


def _place_spellings(spelling: str) -> set[str]:
    from kg.extract.divisions import codes_named, divisions

    table = divisions()
    out = {spelling}
    for c in codes_named(spelling):
        out |= {table[c].name, table[c].short}
    return out


def _zone_variants(name: str) -> set[str]:
    out = {name}
    # 国家/国家级/省级 wherever they stand: 国家许昌经济技术开发区, 鹤壁国家经济技术开发区.
    out.add(_RANKS.sub("", name))
    for n in list(out):
        places = _leading_places(n)
        rest = n[sum(map(len, places)):]
        if places and rest:
            # The place as written, in full (许昌市) or short (许昌), and without a leading
            # province or city while a place is left (安徽省马鞍山… → 马鞍山…).
            for i in range(len(places)):
                for head in _place_spellings(places[i]):
                    out.add(head + "".join(places[i + 1:]) + rest)
    for n in list(out):
        for long_, shorts in ZONE_KINDS:
            if n.endswith(long_) and len(n) > len(long_):
                out.update(n[: -len(long_)] + s for s in shorts)
                break
        else:
            for long_, shorts in ZONE_KINDS:
                if long_ != "新区" and len(n) > len(shorts[0]) + 1 and shorts and n.endswith(shorts[0]):
                    out.add(n[: -len(shorts[0])] + long_)
    # A bare kind (经开区, 开发区) names no zone in particular.
    return {v for v in out if v and v not in {k for k, _ in ZONE_KINDS} and
            not any(v in s for _, s in ZONE_KINDS) and len(v) > 3}


def _enterprise_variants(name: str) -> set[str]:
    out = {name}
    for form in _LEGAL_FORMS:
        if name.endswith(form) and len(name) - len(form) >= 2:
            out.add(name[: -len(form)])
            break
    for n in list(out):
        places = _leading_places(n)
        rest = n[sum(map(len, places)):]
        if places and len(rest) >= 2:
            out.add(rest)  # 许昌富森生物科技 → 富森生物科技
    return out


@lru_cache(maxsize=1 << 14)
def variants(name: str, type_: str | None) -> frozenset[str]:
    """The search spellings of ``name`` (itself included) for an entity of ``type_``
    (``None``: any type): the name in NFKC, simplified and traditional characters, and
    the structural variants of its simplified form."""
    forms = _scripts(name)
    simplified = _converters()[0](unicodedata.normalize("NFKC", name).replace(" ", ""))
    out: set[str] = set(forms)
    if type_ in ("Zone", None):
        out |= _zone_variants(simplified)
    if type_ in ("Enterprise", None):
        out |= _enterprise_variants(simplified)
    if type_ in ("Place", None):
        out |= _place_spellings(simplified)
    return frozenset(out)


def hidden_labels(type_: str, names: Sequence[str]) -> list[str]:
    """The variants of an entity's names that are none of its names, sorted."""
    own = set(names)
    found: set[str] = set()
    for n in names:
        found |= variants(n, type_)
    return sorted(found - own)
