"""Who builds or runs a project (operatedBy).

- A project named after its enterprise: 奥诺药业氨基酸及其衍生物 → 奥诺药业.
- 由X建设运营 after the project: 许昌生物医药产业园项目由许昌开瑞…有限公司建设运营.
- X(与Y)(合作)投资/建设的P: 嘉吉公司投资的调配糖浆生产项目.
- A legal name right before the project or its 的: 晓星集团年产3万吨氨纶项目, X有限公司的P.
- X(将)投资…建设P, with X opening the clause or the clause before (X拟投资10亿元,建设P), or
  signed with in the clause before (与X签订协议,投资…建设P).
- 该项目由X投资建设, 该项目投资方为X, 项目由X和Y共同投资建设: the project named last before;
  该公司投资建设的P: the company named last before.
"""
from __future__ import annotations

import re

from kg.extract.document import Doc
from kg.extract.extractors.aliases import core_name, legal_base
from kg.extract.extractors.projects import BUILT_BY as _BUILT_BY
from kg.extract.extractors.projects import PAID_TO_BUILD
from kg.extract.extractors.zones import ZONE_REFERENCE
from kg.extract.names import place_prefix
from kg.extract.pipeline import RELATE, component

# The verbs of 由X…: who builds, runs or carries out a project.
_BUILDS = "(?:投资建设|建设运营|投资|建设|运营|开发|承建|打造|实施)"
# (P,总投资15亿元,由X投资建设: the project's amount may come between.)
_BY = re.compile(r"(?:[,，](?:项目)?(?:计划|预计)?总?投资(?:额)?(?:约|达|超|近)?(?:人民币)?[0-9.]+(?:(?:万|亿)?元(?:人民币)?|亿))?"
                 r"[:：,，]?由(?P<who>[^，,。；;]{2,30}?)(?:负责)?" + _BUILDS)
# 建设单位为X, 投资主体:X — the builder named in a project's particulars.
_BUILDER = re.compile(r"(?:(?:建设|实施|投资|业主|承建|项目)(?:单位|主体|方|企业)|业主)(?:为|是|系|[:：])"
                      r"(?P<who>[^，,。；;]{2,40})")
_BY_BEFORE = re.compile(r"由(?P<who>[^，,。；;]{2,30}?)(?:负责)?" + _BUILDS + "的$")
# 该项目由X投资建设: the project the sentence refers back to (the last one named before it).
_THIS_PROJECT_BY = re.compile(r"(?:(?:该|此|这一|这个|上述)项目|(?<=[。，,；;\n])项目)(?:(?:是)?由(?P<who>[^，,。；;]{2,40}?)"
                              r"(?:负责|共同|联合|合作)?" + _BUILDS + r"|"
                              r"的?(?:建设|实施|投资|业主)?(?:单位|主体|方|业主)(?:为|是|系|[:：])(?P<named>[^，,。；;]{2,40}))")
_THIS_COMPANY = re.compile(r"(?:该|这家|此)(?:公司|企业|集团)(?:正在|将|拟|计划|已)?(?:投资建设|投资兴建|新建|兴建|建设|"
                           r"打造|投资|实施)(?:的)?|"
                           # 公司负责人介绍,企业总投资3.5亿元的P: a bare 企业 opening a clause, with the amount
                           r"(?<=[，,。；;:：])(?:公司|企业)(?:总)?投资[^，,。；;的]{1,12}?元(?:建设|新建|兴建|打造|实施)?的|"
                           # ……介绍,公司在建P / 公司P竣工: a bare 公司 opening a clause, right before the project
                           r"(?<=[，,。；;:：])公司(?:在建|新建|投资建设|建设)?的?")
_INVESTS = re.compile(r"(?:将|拟|计划|准备|预计)?(?:总)?投资[^，,。；;]{1,12}元")
_SIGNED_WITH = re.compile(r"与(?P<who>[^，,。；;与]{2,30}?)(?:正式|成功)?(?:签订|签署|签约)")
# 开发区与X举行P项目签约仪式, 与X签订P投资协议: the company the zone signs the project with.
_SIGNS_PROJECT_WITH = re.compile(r"与(?P<who>[^，,。；;与]{2,30}?)(?:举行|举办|签署|签订|正式签订|正式签署|成功签约|签约)了?$")
_SIGNING_AFTER = re.compile(r"(?:项目)?(?:签约仪式|签约活动|合作协议|投资协议|框架协议|投资合同|合同|协议)")
_SIGNS_WITH_ZONE = re.compile(r"(?:[0-9]+月[0-9]+日[,，]?|同日[,，]?|当天[,，]?)?(?P<who>[^，,。；;与]{2,30}?)与" +
                              ZONE_REFERENCE + r"(?:管委会|管理委员会)?(?:正式)?(?:签署|签订|签约)")
_LEGAL_ENDINGS = ("公司", "集团", "厂")
_RESPECTIVELY = re.compile(r"与(?P<who>[^，,。；;]{4,80}?)分别(?:正式)?(?:签订|签署|签约)了?"
                           r"(?P<what>[^，,。；;]{4,120}?)(?:的)?(?:投资|合作|框架|入园|入驻)?(?:协议|合同)")
_BUILD_VERBS = ("建设", "新建", "打造", "兴建", "实施", "设立", "新上")
_SUBJECT_BUILDS = re.compile(r"(?:将|拟|计划|准备|预计)?(?:投资|出资)[^，,。；;]{0,16}?(?:建设|新建|打造|兴建|实施|设立)$|"
                             r"(?:将|拟|计划)?(?:投资建设|建设|新建|打造|兴建|设立|新上)$")


def _enterprise_spans(doc: Doc):
    return sorted(doc.mentions_of("Enterprise"), key=lambda m: m.start)


@component("operators", RELATE + 2)
def relate_operators(doc: Doc) -> None:
    ents = _enterprise_spans(doc)
    names: dict[str, tuple] = {}
    for m in ents:
        key = doc.resolve(m.key)
        for n in {m.name, legal_base(m.name), core_name(m.name)}:
            if len(n) >= 2:
                names.setdefault(n, key)
    seen = set()

    def link(project, enterprise, sent, rule):
        if (project, enterprise) not in seen:
            seen.add((project, enterprise))
            doc.add_fact("operatedBy", project, enterprise, sent, rule=rule)

    def link_within(project, start, end, sent, rule):
        for e in ents:
            if start <= e.start and e.end <= end:
                link(project, doc.resolve(e.key), sent, rule)

    for p in sorted(doc.mentions_of("Project"), key=lambda m: m.start):
        pk = doc.resolve(p.key)
        sent = doc.sentence_at(p.start)
        # Named after its enterprise (the longest known name it starts with); 上海航盛年产…
        # may carry its city before the company's short name.
        bare = p.name[len(place_prefix(p.name)):]
        prefix = max((n for n in names for pn in (p.name, bare) if pn.startswith(n) and len(pn) > len(n)),
                     key=len, default=None)
        if prefix:
            link(pk, names[prefix], sent.index, "name-prefix")
        elif p.name.removesuffix("项目") in names and _bare_project_list(doc, p.end):
            # 签约A、B等项目: the list names each project by its company (A, A项目).
            link(pk, names[p.name.removesuffix("项目")], sent.index, "company-project")
        # 晓星集团|年产3万吨氨纶项目: a company's legal name right before the project's
        # name (which stops at 集团/公司) is its owner.
        for e in ents:
            if e.name.endswith(_LEGAL_ENDINGS) and (e.end == p.start or (e.end == p.start - 1 and
                                                                       doc.text[e.end] == "的")):
                link(pk, doc.resolve(e.key), sent.index, "owner-before")  # also X有限公司的P
        # 由X建设运营的P
        by = _BY_BEFORE.search(doc.text, max(sent.start, p.start - 40), p.start)
        if by:
            link_within(pk, by.start("who"), by.end("who"), sent.index, "by-before")
        # P由X建设运营
        by = _BY.match(doc.text, p.end)
        if by:
            link_within(pk, by.start("who"), by.end("who"), sent.index, "by")
        clause_start = doc.clause_start(p.start)
        # X有限公司将在园区建设…的文创产业园: the company that opens the clause builds the park it ends with.
        if p.rule == "park-a-company-builds":
            for e in ents:
                if e.start == clause_start and e.end < p.start:
                    link(pk, doc.resolve(e.key), sent.index, "park-builder")
        # A profile's lines (项目名称:P / 建设单位:X): the builder named before the next project.
        if p.rule == "named-project":
            nxt = min([q.start for q in doc.mentions_of("Project") if q.start > p.end] + [len(doc.text)])
            bm = _BUILDER.search(doc.text, p.end, min(nxt, p.end + 200))
            if bm:
                link_within(pk, bm.start("who"), bm.end("who"), sent.index, "profile-builder")
        # P…建设单位为X (in the project's own sentence, no other project in between)
        for bm in (_BUILDER.finditer(doc.text, p.end, sent.end) if "单位" in doc.text[p.end:sent.end] or
                   "主体" in doc.text[p.end:sent.end] or "方" in doc.text[p.end:sent.end] or
                   "业主" in doc.text[p.end:sent.end] else ()):
            if not any(q.start >= p.end and q.start < bm.start() for q in doc.mentions_of("Project")):
                link_within(pk, bm.start("who"), bm.end("who"), sent.index, "builder")
            break
        # X(将)投资20亿元建设P: the company that is the clause's subject builds P.
        sub = _SUBJECT_BUILDS.search(doc.text, clause_start, p.start) if doc.text.endswith(
            _BUILD_VERBS, clause_start, p.start) else None
        if sub and sub.end() == p.start:
            firsts = [e for e in ents if clause_start <= e.start and e.end <= sub.start() + 1]
            if firsts:
                link(pk, doc.resolve(firsts[0].key), sent.index, "subject-builds")
            else:
                # 与X签订协议,投资18亿元建设P: the company signed with in the clause before builds P.
                signed = _SIGNED_WITH.search(doc.text, sent.start, clause_start)
                if signed and signed.end() >= clause_start - 12:
                    link_within(pk, signed.start("who"), signed.end("who"), sent.index, "signed-builds")
                else:
                    # X拟投资10亿元,建设P: the company that opens the clause before, investing.
                    prev_start = doc.clause_start(clause_start - 1) if clause_start > sent.start else sent.start
                    opener = [e for e in ents if e.start == prev_start and e.end < clause_start]
                    if opener and _INVESTS.match(doc.text, opener[0].end):
                        link(pk, doc.resolve(opener[0].key), sent.index, "subject-invests")
        signs = _SIGNS_PROJECT_WITH.search(doc.text, max(sent.start, p.start - 40), p.start)
        if signs and _SIGNING_AFTER.match(doc.text, p.end):
            link_within(pk, signs.start("who"), signs.end("who"), sent.index, "signs-project-with")
        # X与开发区签署合作协议,总投资100亿元的P落户…: the company that opens the sentence signing
        # with the zone runs the one project the sentence names.
        signer = _SIGNS_WITH_ZONE.match(doc.text, sent.start, p.start)
        if signer and len({doc.resolve(q.key) for q in doc.mentions_of("Project")
                           if sent.start <= q.start < sent.end}) == 1:
            opener = [e for e in ents if e.start == signer.start("who") and e.end == signer.end("who")]
            if opener:
                link(pk, doc.resolve(opener[0].key), sent.index, "signs-with-zone")
        # 该公司投资建设的P, 该公司正在建设P: the company named last before, in its paragraph.
        this = next((t for t in _THIS_COMPANY.finditer(doc.text, max(sent.start, p.start - 24), p.start)
                     if t.end() == p.start), None)
        if this:
            para = doc.paragraphs[sent.paragraph] if sent.paragraph < len(doc.paragraphs) else (0, p.start)
            named = [e for e in ents if para[0] <= e.start and e.end <= this.start()]
            if named:
                link(pk, doc.resolve(max(named, key=lambda e: e.end).key), sent.index, "this-company")
        # X投资60亿元的P: the company right before the investment and its amount.
        paid = PAID_TO_BUILD.search(doc.text, max(sent.start, p.start - 24), p.start)
        if paid and paid.end() == p.start:
            for e in ents:
                if e.end == paid.start():
                    link(pk, doc.resolve(e.key), sent.index, "paid-by")
        # X(与Y)(合作)投资/建设的P, also for each item of a list of projects ending at P.
        before = doc.text[sent.start:p.start]
        bm = None
        for bm in _BUILT_BY.finditer(before):
            pass
        if bm and (bm.end() == len(before) or _list_reaches(doc, sent.start + bm.end(), p.start)):
            clause_start = max(before.rfind(c, 0, bm.start()) for c in "，,。；;") + 1 + sent.start
            link_within(pk, clause_start, sent.start + bm.start(), sent.index, "built-by")
    # 与A、B分别签订了P1、P2投资协议: the companies and the projects pair up in order.
    for m in _RESPECTIVELY.finditer(doc.text):
        who = [e for e in ents if m.start("who") <= e.start and e.end <= m.end("who")]
        what = sorted((q for q in doc.mentions_of("Project") if m.start("what") <= q.start and q.end <= m.end("what")),
                      key=lambda q: q.start)
        what = [q for i, q in enumerate(what) if not i or q.start >= what[i - 1].end]  # one per place
        if len(who) >= 2 and len(who) == len(what):
            sent = doc.sentence_at(m.start()).index
            for e, q in zip(who, what):
                link(doc.resolve(q.key), doc.resolve(e.key), sent, "respectively")
    for m in _THIS_PROJECT_BY.finditer(doc.text):
        referent = _last_project_before(doc, m.start())
        if referent is not None:
            who = "who" if m.group("who") is not None else "named"
            link_within(doc.resolve(referent.key), m.start(who), m.end(who), doc.sentence_at(m.start()).index,
                        "this-project-by")


def _last_project_before(doc: Doc, pos: int):
    """The project named last before ``pos`` in its paragraph: what 该项目 there stands for."""
    para = next(((a, b) for a, b in doc.paragraphs if a <= pos < b), (0, pos))
    before = [p for p in doc.mentions_of("Project") if para[0] <= p.start and p.end <= pos]
    return max(before, key=lambda p: (p.end, -p.start), default=None)


_BARE_LIST_END = re.compile(r"[^，,。；;：:]{0,60}?等项目")


def _bare_project_list(doc: Doc, pos: int) -> bool:
    """Whether the list item ending at ``pos`` belongs to a list headed by a bare 等项目
    (A、B等项目), which names each project by its company; 等商贸流通项目 names kinds."""
    i = doc.text.find("等", pos)
    return i != -1 and _BARE_LIST_END.match(doc.text, pos) is not None and doc.text.startswith("等项目", i)


def _list_reaches(doc: Doc, start: int, end: int) -> bool:
    """True when text[start:end] is the start of a list of projects that runs up to ``end``
    (嘉吉公司投资的调配糖浆生产、高档动物饲料母料生产项目)."""
    between = doc.text[start:end]
    return between.endswith("、") and "，" not in between and "," not in between and \
        any(m.start == start for m in doc.mentions_of("Project"))
