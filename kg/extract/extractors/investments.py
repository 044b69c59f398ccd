"""How much a project invests (invests → amount in yuan).

- 投资15亿元的P: the amount right before the project's name.
- P…总投资75亿元 in the same sentence, or in the next paragraph of a project profile
  (项目概况 … 基本情况:总投资75亿元).
- 该项目…总投资10亿元: the project named last before, in that paragraph or the one before.
Sums over several projects are not a project's amount: a sentence that counts
projects (5个亿元以上重大项目…总投资39.2亿元) or lists several is skipped.
"""
from __future__ import annotations

import re

from kg.extract.document import Doc
from kg.extract.money import INVESTED_OF, find_amounts
from kg.extract.names import PROJECT_PARTS
from kg.extract.pipeline import RELATE, component

_OF = re.compile(INVESTED_OF)
# (a count of the project's own parts is no sum: P12个单体建筑完工,项目投资…)
_SUM = re.compile(r"[0-9一二三四五六七八九十两几]+个(?!" + PROJECT_PARTS + r")|累计|合计|共计|总计|共有|分别|全区|等")
# The project is the first item of a list (A、B两个项目, A、B等项目).
_LIST_AFTER = re.compile(r"[、和及与][^，,。；;]{1,40}?(?:等|[0-9一二三四五六七八九十两几]+个)")
_THIS_PROJECT = re.compile(r"(?:该|此|这一|这个|上述)项目")
_INVEST_WORD = re.compile(r"(?:总)?投资(?:额|总额)?(?:约|达|超|近|逾|为|[:：])?$")
# 总投资12亿元、年产5万吨的P / 总投资3亿元,占地200亩的P: more of P's description after its amount.
_DESCRIBED_OF = re.compile(r"[、,，][^，,。；;、的]{2,16}?的")
# 引进9亿元建设P: capital brought in for the project named right after (only there: 引进资金
# 9亿元 alone is a sum).
_BROUGHT_IN = re.compile(r"(?:引进|引资)(?:约|达|超|近|逾)?$")
# X投资3亿元,在园区建设P / 用于建设P: the next clause says what the amount builds.
_BUILDS_NEXT = re.compile(r"[,，](?:主要|将|拟|计划|全部)?(?:用于)?(?:在[^，,。；;、]{1,14}?)?(?:建设|新建|兴建|打造|实施)")


@component("investments", RELATE + 3)
def relate_investments(doc: Doc) -> None:
    text = doc.text
    projects = sorted(doc.mentions_of("Project"), key=lambda m: m.start)
    starts = {}
    for p in projects:
        starts.setdefault(p.start, p)
    done = set()

    def add(p, amount, sent_index, rule):
        pk = doc.resolve(p.key)
        if pk in done or amount.cny is None:
            return
        done.add(pk)
        doc.add_fact("invests", pk, None, sent_index, amount_cny=amount.cny, rule=rule)

    for sent in doc.sentences:
        stext = doc.sentence_text(sent)
        found = find_amounts(stext, sent.start)
        amounts = [a for a in found if _INVEST_WORD.search(text[max(a.start - 6, 0):a.start])]
        for a in found:
            of = _OF.match(text, a.end)
            if of and of.end() in starts and _BROUGHT_IN.search(text[max(a.start - 4, 0):a.start]):
                add(starts[of.end()], a, sent.index, "amount-before")
        in_sent = [p for p in projects if sent.start <= p.start < sent.end]
        for a in amounts:
            # 投资15亿元的P, 投资20亿元建设的P; 总投资12亿元、年产5万吨的P
            of = _OF.match(text, a.end)
            if not (of and of.end() in starts):
                of = _DESCRIBED_OF.match(text, a.end) or of
            if of and of.end() in starts:
                first = starts[of.end()]
                listed = _LIST_AFTER.match(text, first.end)
                if first.end + 1 in starts and text[first.end] in "、和及与":
                    continue  # 总投资22亿元的A项目和B项目: the two together
                if not listed or find_amounts(listed.group()):  # (each item with its own amount: its own)
                    add(first, a, sent.index, "amount-before")
                continue  # 总投资30亿元的A、B两个项目: the sum of a list, not A's amount
            if _SUM.search(text[sent.start:a.start]):
                continue
            clause_start = doc.clause_start(a.start)
            before = [p for p in in_sent if p.end <= a.start]
            # P投资8亿元, Q投资3亿元: each project with the amount that follows it in its clause.
            own = [p for p in before if p.start >= clause_start and not _SUM.search(text, p.end, a.start)]
            if own and len({doc.resolve(p.key) for p in in_sent}) > 1:
                add(max(own, key=lambda p: p.end), a, sent.index, "amount-in-clause")
            elif len({doc.resolve(p.key) for p in before}) == 1 and not any(p.start >= clause_start for p in in_sent if p.start > a.end):
                add(before[0], a, sent.index, "amount-after")
            elif not before and (nxt := _BUILDS_NEXT.match(text, a.end)) and nxt.end() in starts and \
                    not _LIST_AFTER.match(text, starts[nxt.end()].end):
                add(starts[nxt.end()], a, sent.index, "amount-builds-next")
            elif not in_sent and _THIS_PROJECT.search(text, sent.start, a.start):
                # 该项目占地500亩,总投资10亿元: the project named last before (in this paragraph or the one before).
                prev = [p for p in projects if p.end <= sent.start and sent.paragraph - doc.sentence_at(p.start).paragraph <= 1]
                if prev:
                    add(max(prev, key=lambda p: (p.end, -p.start)), a, sent.index, "this-project")
            elif not in_sent:
                # A project profile: the amount sits in a later paragraph than the name.
                prev = [p for p in projects if p.end <= sent.start and sent.paragraph - doc.sentence_at(p.start).paragraph <= 1]
                if prev and len({doc.resolve(p.key) for p in prev if doc.sentence_at(p.start).paragraph == doc.sentence_at(prev[-1].start).paragraph}) == 1:
                    add(prev[-1], a, sent.index, "profile")
