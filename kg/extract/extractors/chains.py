"""Industrial chains (电力装备产业链) and clusters (生物医药产业集群, 现代服务业集群)."""
from __future__ import annotations

import re

from kg.extract.document import Doc
from kg.extract.lexicon import industry_words, word_tag
from kg.extract.names import GENERIC_MODIFIERS, SCALE, is_generic_prefix, left_start
from kg.extract.pipeline import RECOGNIZE, component

_CHAIN = re.compile(r"产业链")
# 产业集群, or 服务业集群: an industry ending in 业 followed by 集群.
_CLUSTER = re.compile(r"产业集群|(?<=业)集群")


# A rank a cluster was given (省级新能源产业集群), which is not part of its name.
_LEVEL = re.compile(r"(?:世界级|国际级|国家级|省级|市级|县级|自治区级|省市级)(?:重点|特色|优势)?")

# After a chain's name, a park head or a 式 makes it a description of something else.
_BEFORE_NOUN = re.compile(r"式|园区|产业园|工业园|基地|模式|项目")


def _inside_other(doc: Doc, start: int, end: int) -> bool:
    # 智能电梯产业链研发制造基地项目 names a project, not a chain of the zone.
    return any(m.start <= start and end <= m.end and (m.start, m.end) != (start, end)
               for m in doc.mentions if m.type in ("Project", "Enterprise", "Park"))


def _specific(prefix: str) -> bool:
    return not is_generic_prefix(prefix) and prefix not in GENERIC_MODIFIERS and \
        prefix + "业" not in GENERIC_MODIFIERS and not prefix.endswith(("企", "型企业"))


def _after_last_verb(doc: Doc, start: int, end: int) -> int:
    """做大做强|产业集群: an industry's name holds no verb or idiom; start after the last."""
    for s, e in doc.tokens(doc.sentence_at(start)):
        if s >= start and e <= end and (word_tag(doc.text[s:e]) or "").startswith(("v", "i", "l", "a", "d")) \
                and doc.text[s:e] not in industry_words():
            start = e
    return start


@component("chains", RECOGNIZE + 7)
def recognize_chains(doc: Doc) -> None:
    text = doc.text
    for pattern, type_ in ((_CHAIN, "IndustryChain"), (_CLUSTER, "IndustryCluster")):
        for m in pattern.finditer(text):
            # For 现代服务业|集群 the industry word (ending in 业) is the token before 集群.
            start = _after_last_verb(doc, left_start(doc, m.start(), 12, allow_digits=True), m.start())
            scale = SCALE.match(text, start, m.start())
            if scale:
                start = scale.end()  # 千亿级|汽车产业集群: how big the zone wants it, not its name
            level = _LEVEL.match(text, start, m.start())
            if level:
                start = level.end()  # 省级|新能源产业集群: the rank it was given, not its name
            prefix = text[start:m.start()]
            if type_ == "IndustryCluster" and m.group() == "集群":
                prefix = prefix[:-1] if prefix.endswith("产业") else prefix
            if not _specific(prefix.rstrip("业") or prefix) or _inside_other(doc, start, m.end()):
                continue
            if _BEFORE_NOUN.match(text, m.end()):
                continue  # 全产业链园区, 产业链式的…: the chain describes a park or a model

            doc.add_mention(type_, start, m.end(), rule="chain-head" if type_ == "IndustryChain" else "cluster-head")
