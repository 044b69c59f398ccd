"""Last checks on the companies the recognisers found: what reads as a company by its
shape but is grammar, a slogan or a public body.

- A slogan: four characters with no company ending that the text puts in quotes
  somewhere (“筑巢引凤”, “专精特新”). (Not by jieba's idiom tag: it tags 可口可乐 i.)
- A public body: a short name ending in 部, or one ending in 厅, 局, 委员会, 协会 (农业部, 商务厅).
- A subsidiary named by its relation only (全资子公司, 控股子公司).
- A ranking before the name (民营500强X): the name starts after it.
- A scale (百亿级…), or the locality of a zone the article names (云岭青溪 of 云岭青溪新区).
"""
from __future__ import annotations

import re

from kg.extract.document import Doc, Mention
from kg.extract.lexicon import industry_words
from kg.extract.names import SCALE, zone_localities
from kg.extract.pipeline import RESOLVE, component

# (部 only in a short name: X总部, X事业部 are a company's seats and divisions.)
_BODY = re.compile(r"^[\u4e00-\u9fff]{1,3}(?<!总|本)(?<!事业)部$|(?:厅|委员会|协会|学会|商会|联合会|研究会)$")
_RELATION_ONLY = re.compile(r"^(?:全资|控股|参股)?(?:子|分|母|孙)公司$")
_RANKING = re.compile(r"^[\u4e00-\u9fff]{0,6}?(?:[0-9]+|[十百千]+)强")
_OPEN_QUOTES = "“\"「『‘"
_CLOSE_QUOTES = "”\"」』’"


def _quoted(text: str, name: str) -> bool:
    i = text.find(name, 1)
    while i != -1:
        j = i + len(name)
        if text[i - 1] in _OPEN_QUOTES and j < len(text) and text[j] in _CLOSE_QUOTES:
            return True
        i = text.find(name, i + 1)
    return False


def _slogan(doc: Doc, name: str) -> bool:
    from kg.extract.extractors.company_lists import _COMPANY_ENDING

    if len(name) != 4 or not re.fullmatch(r"[\u4e00-\u9fff]+", name) or _COMPANY_ENDING.search(name):
        return False
    return _quoted(doc.text, name)


def _locality_and_trade(m: Mention, localities: set[str]) -> bool:
    """青湾|科技 of 青湾科技小镇项目 in 青湾新区: a brand read off a project's name that is the
    zone's locality and a trade word is the zone's, not a company's."""
    return m.rule == "project-brand" and any(
        m.name.startswith(loc) and m.name[len(loc):] in industry_words() for loc in localities if len(loc) >= 2)


@component("not-names", RESOLVE - 2)
def drop_what_is_not_a_company(doc: Doc) -> None:
    # 云岭青溪 of 云岭青溪新区, 清源 of 清源经济技术开发区 (清源|数字经济产业园): the zone's
    # locality, wherever a recogniser took it for a brand.
    localities = zone_localities(doc)
    kept = []
    for m in doc.mentions:
        if m.type == "Enterprise":
            if _BODY.search(m.name) or _RELATION_ONLY.match(m.name) or _slogan(doc, m.name) or \
                    SCALE.match(m.name) or m.name in localities or _locality_and_trade(m, localities):
                continue
            ranked = _RANKING.match(m.name)
            if ranked and m.end - (m.start + ranked.end()) >= 2 and m.name == doc.text[m.start:m.end]:
                start = m.start + ranked.end()
                m = Mention(m.type, start, m.end, doc.text[start:m.end], m.rule + "+unranked")
        kept.append(m)
    doc.mentions = kept
