"""Enumerations whose head says what the items are.

News prose names many things only in lists: ``可口可乐、嘉吉、旺旺、统一等世界知名食品品牌``,
``国泰达精密件、利通年产5000万平米工业软管等6个项目``, ``许继新能源产业园、…等8个专业园区``,
``平平公司、恒瑞淀粉等7家企业``, ``加强与许继集团、西继迅达、开瑞生物的深度合作``.
The head after 等 (or the count) types every item, which no suffix could.
"""
from __future__ import annotations

import re

from kg.extract.document import Doc, Mention
from kg.extract.extractors.company_lists import company_shape
from kg.extract.extractors.enterprises import ENTERPRISE_SUFFIX
from kg.extract.extractors.parks import PARK_HEAD
from kg.extract.lexicon import stopwords, word_tag
from kg.extract.money import INVESTED_OF
from kg.extract.names import (
    COMPANY_DESCRIPTIONS,
    FACILITY_HEAD,
    FUNCTION_CHARS,
    QUOTES,
    after_park,
    brand_prefix,
    is_counted,
    is_facility_kind,
    is_generic_prefix,
    is_organisation,
    is_sector_phrase,
    left_start,
    strip_quotes,
)
from kg.extract.pipeline import RECOGNIZE, component

# The tail of a list: 等 + a few words + a head noun, or a count + head noun.
_TAIL = re.compile(
    r"(?:等(?:[0-9一二三四五六七八九十两几百]+(?:个|家|栋|项))?|(?<=[\u4e00-\u9fff])[0-9一二三四五六七八九十两]+(?:个|家))"
    # the modifier may itself list kinds: 等新能源、新材料项目
    r"(?P<mod>(?:(?!企业、|项目、|公司、|品牌、)[^，,。；;、：:！？!?“”()（）等]{2,8}、){0,3}"
    # and reads up to the first 项目 (A等多个项目落户产业园区 lists projects, not parks)
    r"(?:(?!项目)[^，,。；;、：:！？!?“”()（）]){0,12})"
    r"(?P<head>项目|企业|品牌|公司|集团|园区|专业园区|产业园区|行业龙头|龙头)"
)
# Before a list, words that say its items are projects: 重点项目有A、B、C; 签约项目包括:A、B.
# Projects of a kind or a count (not 项目包括厂房建设、道路硬化: one project's works).
_PROJECT_CUE_BEFORE = re.compile(
    r"(?:(?:重点|重大|签约|开工|新开工|在建|新建|续建|竣工|投产|招商|产业|工业|入驻|落地|落户)项目"
    r"(?:[0-9一二三四五六七八九十两百]+(?:个|项))?|项目[0-9一二三四五六七八九十两百]+(?:个|项))"
    r"[,，]?(?:主要)?(?:有|包括|包含|涵盖|分别是|分别为)[:：]?")
_COLON = re.compile("[:：]")
_COLON_REACH = 24
# After 项目, words that turn the list to its companies or its parts: 项目的企业有:, 项目建设内容:
_NOT_PROJECTS_INTRO = re.compile(r"企业|公司|家|单位|主体|方|内容|包括|包含|涵盖|建设|工程|规模|情况")
# 与A、B、C的(深度)合作 / 对接 / 洽谈: partners of a zone, typed as enterprises when
# one of them carries a company suffix.
_PARTNERS = re.compile(r"与(?P<items>[^，,。；;与和]{2,80}?)的(?:深度|战略|全面|紧密)?(?:合作|对接|洽谈|沟通)")
_HEAD_TYPE = {"项目": "Project", "企业": "Enterprise", "品牌": "Enterprise", "公司": "Enterprise",
              "龙头": "Enterprise", "行业龙头": "Enterprise",
              "集团": "Enterprise", "园区": "Park", "专业园区": "Park", "产业园区": "Park"}
# Words that describe the items and so end the first one: 龙头企业|晶能光电、…
_DESCRIBING = COMPANY_DESCRIPTIONS | frozenset("企业 品牌 知名品牌 龙头 重点项目 重大项目".split())
_HEAD_WORDS = frozenset("集团 公司 企业 有限公司 股份 食品 电气 科技 生物 项目 园区 产业园".split())
# What joins the last two items of a list besides 、 (see _list_items).
_CONJUNCTIONS = frozenset({"及", "以及", "和", "与"})
# Where a list cannot extend to the left.
_HARD_LEFT = re.compile(r"[，,。；;：:！？!?()（）\n]")
_MAX_ITEM = 30
_OTHER_LIST_ENDS = re.compile(r"等(?:在|就|对|围绕|共同|分别|联合)")
# A short parenthesis inside a name (泰和精工(宁远)有限公司, 货运枢纽(一期)): the
# place or qualifier of the thing named, not a break in the list.
_INNER_PAREN = re.compile(r"[(（][\u3400-\u9fffA-Za-z0-9]{1,8}[)）]")


def _inner_paren(text: str, pos: int) -> bool:
    """Whether the parenthesis at ``pos`` is one of a short pair right after a name's
    character (not 以下简称…, which defines a name, not part of one)."""
    if text[pos] in "(（":
        m = _INNER_PAREN.match(text, pos)
    else:
        opening = max(text.rfind("(", max(pos - 9, 0), pos), text.rfind("（", max(pos - 9, 0), pos))
        m = _INNER_PAREN.match(text, opening) if opening >= 0 else None
        if m and m.end() != pos + 1:
            m = None
    if not m or m.start() == 0 or not re.match(r"[\u3400-\u9fffA-Za-z0-9]", text[m.start() - 1]):
        return False
    return not text.startswith(("以下", "下称", "简称"), m.start() + 1)


def _list_items(doc: Doc, region_start: int, region_end: int) -> list[tuple[int, int]]:
    """Split text[region_start:region_end] into items at 、 (and 及/和 before the last)."""
    text = doc.text
    items = []
    pos = region_start
    for m in re.finditer("、", text[region_start:region_end]):
        items.append((pos, region_start + m.start()))
        pos = region_start + m.end()
    items.append((pos, region_end))
    # The last item may be two joined by a conjunction (安图生物和华兰生物): split where
    # the conjunction is a word of its own (not 和平, 及时), between two names of two or
    # more characters each.
    s, e = items[-1]
    for ts, te in doc.tokens(doc.sentence_at(s)):
        if ts - s >= 2 and e - te >= 2 and text[ts:te] in _CONJUNCTIONS:
            items[-1:] = [(s, ts), (te, e)]
            break
    # A list that follows another list's head starts with its conjunction: 及英才花园、…
    s, e = items[0]
    m = re.match(r"以及|及|和|与", text[s:e])
    if m:
        items[0] = (s + m.end(), e)
    return items


def _claim_kinds_in_modifier(doc: Doc, start: int, end: int) -> None:
    """等在粮油深加工产业、智能制造开发建设、康养旅游产业园等12个项目: kinds listed between a
    list's 等 and its head; a park named by trades alone among them is a kind too."""
    if "、" not in doc.text[start:end]:
        return
    pieces, pos = [], start
    for i in range(start, end + 1):
        if i == end or doc.text[i] in "、等":
            if i - pos >= 2:
                pieces.append((pos, i))
            pos = i + 1
    if sum(is_sector_phrase(doc, a, b) for a, b in pieces) < 2:
        return
    for a, b in pieces:
        head = PARK_HEAD.search(doc.text, a, b)
        if head and head.end() == b and is_sector_phrase(doc, a, head.start()):
            doc.claimed[(a, b)] = "kind"


def _joins_two(doc: Doc, start: int, end: int) -> bool:
    """A conjunction of its own between two names (金岭物流城|和|白桦配件城), as the last
    item of a list is split (:func:`_list_items`)."""
    return any(ts - start >= 2 and end - te >= 2 and doc.text[ts:te] in _CONJUNCTIONS
               for ts, te in doc.tokens(doc.sentence_at(start)) if start <= ts < end)


def _continues_noun(doc: Doc, pos: int) -> bool:
    """True when the word after a list head is another noun that the head modifies."""
    for s, e in doc.tokens(doc.sentence_at(pos)):
        if s >= pos:
            tag = word_tag(doc.text[s:e]) or ""
            return tag in ("n", "nz", "j", "ng", "nt")
    return False


_INVESTED = re.compile(r"(?:总)?投资[^的，,、]{0,12}?(?:元|[0-9]亿)" + INVESTED_OF)  # (亿 alone: yuan too)
_INNER_OK = frozenset({"及", "及其", "和", "与"})


def _strip_investment(doc: Doc, s: int, e: int) -> int:
    """An item may carry its own investment: 投资15亿元的奥诺药业… — the name starts after 的."""
    m = _INVESTED.search(doc.text, s, e)
    return m.end() if m else s


def _looks_like_names(doc: Doc, items: list[tuple[int, int]]) -> bool:
    """Most items of a list of names contain no verb or function word (招商, 督查 do)."""
    good = 0
    for s, e in items:
        s = _strip_investment(doc, s, e)
        if e - s >= 2 and left_start(doc, e, _MAX_ITEM, allow_digits=True, floor=s, inner_ok=_INNER_OK,
                                     compound_verbs=True) == s:
            good += 1
    return good * 2 >= len(items)


def _first_item_start(doc: Doc, start: int, end: int) -> int:
    """The first item's left edge: after the verb or preposition that introduces the list."""
    # Only 及其 may stay inside the first item; 与/和 before it introduce the list.
    found = left_start(doc, end, _MAX_ITEM, allow_digits=True, floor=start, inner_ok=frozenset({"及其"}),
                       compound_verbs=True, extra_stops=_DESCRIBING)
    # Right after punctuation, words that only look like verbs (远扬|科技, 天合光|能) are the
    # name's own when nothing that introduces a list (a stop word) stands before them.
    if start < found < end and end - start <= 8 and (start == 0 or doc.text[start - 1] in "，,：:；;\n") and \
            doc.text[start] not in FUNCTION_CHARS and \
            not any(doc.text[s:e] in stopwords() or doc.text[s:e] in _DESCRIBING
                    for s, e in doc.tokens(doc.sentence_at(start)) if start <= s < found):
        return start
    return found


# Endings that say a company's form or a business no project is named by: in a list of
# projects, 国旅|控股 and 光明|船务 are the investors even with a common word for a brand.
_FORM_ENDINGS = ("控股", "船务", "实业", "置业", "股份", "资本", "创投", "证券")


def _add_items(doc: Doc, spans: list[tuple[int, int]], type_: str, rule: str, bare_head: bool = False) -> None:
    """Type each item of a list. In a list of projects an item that reads as a company
    (英国联合乳品、丰源麦业等一批大项目) is the investor; only under a bare 等项目 is it
    also the project (联瑞制药、蓝十字等项目 → 联瑞制药项目, run by 联瑞制药)."""
    text = doc.text
    # 在粮油深加工产业、智能制造开发建设、康养旅游产业园等12个项目签约: where most items are
    # trades, a park named by trades alone is a kind of project too.
    # (The partners named before them, bodies and companies, do not count.)
    named = [(a, b) for a, b in spans if not is_organisation(text[a:b]) and not text[a:b].endswith(("公司", "集团"))]
    kinds = type_ == "Project" and len(named) >= 3 and 2 * sum(is_sector_phrase(doc, a, b) for a, b in named) >= len(named)
    for s, e in spans:
        s = _strip_investment(doc, s, e)
        while s < e and text[s] in QUOTES + " ":
            s += 1
        while e > s and text[e - 1] in QUOTES + " ":
            e -= 1
        name = text[s:e]
        if len(name) < 2 or len(name) > _MAX_ITEM or is_generic_prefix(name) or re.search(r"[0-9]+(个|家)$", name):
            continue
        if name in _HEAD_WORDS:
            continue  # a bare 集团 or 公司 left over from a cut
        if type_ == "Enterprise" and name.endswith("厂") and len(name) <= 3:
            continue  # 砖厂、面粉厂等企业: kinds of works, not which
        if type_ == "Park" and not PARK_HEAD.search(name):
            continue  # 液压科技两个省级示范园区: fields, not parks
        if type_ == "Project" and (is_organisation(name) or is_facility_kind(name)):
            continue  # 与X协会、Y部Z中心等签约: bodies, not projects; 产业化基地: no facility in particular
        if type_ in ("Project", "Enterprise") and (is_counted(name) or is_sector_phrase(doc, s, e)):
            continue  # 石油化工、汽车电子等项目, 精密制造等大中型企业: trades, not projects or companies
        if kinds and PARK_HEAD.search(name) and is_sector_phrase(doc, s, s + PARK_HEAD.search(name).start()):
            doc.claimed[(s, e)] = "kind"  # no park either
            continue
        shape = company_shape(strip_quotes(name), product_endings=False) if type_ == "Project" else 0
        if shape == 2 or (shape == 1 and name.endswith(_FORM_ENDINGS)):
            doc.claimed[(s, e)] = "Enterprise"
            doc.add_mention("Enterprise", s, e, strip_quotes(name), rule=rule + "-company")
            if bare_head and not name.endswith(("公司", "集团", "厂")):
                doc.add_mention("Project", s, e, strip_quotes(name) + "项目", rule=rule)
            continue
        item_type = type_
        if type_ == "Project" and PARK_HEAD.search(name) and brand_prefix(doc, s, e) is None and not bare_head:
            # 光电子产业园 in a list of projects is a park; 航盛汽车电子工业园 is a project, and so is
            # any item of a bare A、B等项目, which calls each of them a project.
            item_type = "Park"
        if ENTERPRISE_SUFFIX.search(name + "\0") and type_ != "Enterprise" and name.endswith(("有限公司", "集团", "公司")):
            item_type = "Enterprise"
        doc.claimed[(s, e)] = item_type
        doc.add_mention(item_type, s, e, strip_quotes(name), rule=rule)


_PROJECT_ENDING = re.compile(r"(?:项目|" + FACILITY_HEAD.pattern + r"|园|城|综合体|大楼|大厦|[一二三四五六七八九十]期)$")


def _ends_in_verb(doc: Doc, start: int, end: int) -> bool:
    """道路硬化, 厂房建设: works being done, not a name."""
    words = [(s, e) for s, e in doc.tokens(doc.sentence_at(start)) if start <= s < end]
    return bool(words) and (word_tag(doc.text[words[-1][0]:min(words[-1][1], end)]) or "").startswith("v")


@component("lists", RECOGNIZE)
def recognize_lists(doc: Doc) -> None:
    text = doc.text
    for sent in doc.sentences:
        stext = doc.sentence_text(sent)
        prev_tail = sent.start
        for m in _TAIL.finditer(stext):
            end = sent.start + m.start()
            hard = [x.end() for x in _HARD_LEFT.finditer(text, prev_tail, end) if not _inner_paren(text, x.start())]
            # 与A、B等|在C、D等16个项目…: a list that ends in 等 and a preposition is another
            # list (the partners), before this one.
            hard += [x.end() for x in _OTHER_LIST_ENDS.finditer(text, prev_tail, end)]
            region_start = max(hard) if hard else prev_tail
            prev_tail = sent.start + m.end()
            if m["head"] in ("企业", "品牌", "公司", "集团", "龙头", "行业龙头") and _continues_noun(doc, sent.start + m.end()):
                continue  # 等非公企业|党建阵地: the head is 阵地, not 企业
            if m["head"] in ("企业", "公司", "集团", "品牌") and re.search(r"(?:行业|领域|业务|板块|业态|方面|方式|方法|措施|形式|途径)(?!龙头|头部|领军|知名|骨干|重点|领先)", m["mod"]):
                continue  # 集地产、酒店、金融等行业的集团公司: the items are trades
            if m.group().startswith(tuple("0123456789一二三四五六七八九十两")) and "、" not in text[region_start:end] and \
                    not (m.group().startswith(("两", "二", "2")) and _joins_two(doc, region_start, end)):
                continue  # 统筹规划三个园区: a count after one phrase is not a list (A和B两个项目 is)
            if end - region_start < 2:
                continue
            _claim_kinds_in_modifier(doc, sent.start + m.start("mod"), sent.start + m.end("mod"))
            items = _list_items(doc, region_start, end)
            first_s, first_e = items[0]
            stripped = _strip_investment(doc, first_s, first_e)
            items[0] = (stripped if stripped > first_s else _first_item_start(doc, first_s, first_e), first_e)
            items[0] = (after_park(doc, *items[0]), first_e)
            if not _looks_like_names(doc, items):
                continue
            head = m["head"]
            type_ = _HEAD_TYPE[head]
            # "…等企业、项目为代表": both heads given, the items are enterprises.
            # (also A、B两个项目: a count instead of 等)
            # (等多个项目 gives no count either: "and several other projects")
            bare = head == "项目" and re.fullmatch(r"(?:多个|若干|诸多)?", m["mod"]) is not None and \
                re.match(r"等(?:多个|若干|诸多)?项目|[0-9一二三四五六七八九十两]+个项目", m.group()) is not None and \
                not _continues_noun(doc, sent.start + m.end())  # 等项目厂房: the 厂房 of companies
            _add_items(doc, items, type_, rule=f"list-{head}", bare_head=bare)
        for m in _PROJECT_CUE_BEFORE.finditer(stext):
            s = sent.start + m.end()
            e = doc.clause_end(s, "，,。；;：:")
            if text[e - 1:e] == "等":
                e -= 1  # 签约项目包括A、B、C等。: "and others", with no head after it to type them
            if "、" not in text[s:e] or "等" in text[s:e] or any(x.type == "Project" and s <= x.start < e
                                                               and x.rule.startswith("list") for x in doc.mentions):
                continue  # one name, or a list that ends in 等 (typed by its tail above)
            items = _list_items(doc, s, e)
            if _looks_like_names(doc, items) and not any(_ends_in_verb(doc, *item) for item in items):
                # Only items that end like a project or a facility: 签约项目5个,包括A公司、B… names
                # the companies whose projects they are.
                _add_items(doc, [(a, b) for a, b in items if _PROJECT_ENDING.search(text, a, b)], "Project",
                           rule="list-项目-before")
        for m in _COLON.finditer(stext):
            # 重点项目集中开工,其中工业项目3个:A、B、C — a colon after a clause about projects
            # (项目 in it, no company word after) opens a list of projects, whatever their endings.
            c = sent.start + m.start()
            p = text.rfind("项目", max(sent.start, c - _COLON_REACH), c)
            if p < 0 or _NOT_PROJECTS_INTRO.search(text, p + 2, c):
                continue
            s = c + 1
            e = doc.clause_end(s, "，,。；;：:")
            if "、" not in text[s:e] or any(x.start < e and s < x.end and x.type == "Project" and x.rule.startswith("list")
                                            for x in doc.mentions):
                continue
            if text[e - 1] == "等":
                e -= 1
            items = _list_items(doc, s, e)
            # Works of one project end in their verbs (道路硬化、管网铺设); a list of projects
            # only here and there (…扩建, …技改).
            if _looks_like_names(doc, items) and 2 * sum(_ends_in_verb(doc, *item) for item in items) < len(items):
                _add_items(doc, items, "Project", rule="list-项目-colon", bare_head=True)
        for m in _PARTNERS.finditer(stext):
            s = sent.start + m.start("items")
            e = sent.start + m.end("items")
            tail = re.search(r"等[^、]*$", text[s:e])
            if tail:
                e = s + tail.start()  # 与A、B等企业的合作: the items end at 等
            if "、" not in text[s:e]:
                continue
            items = _list_items(doc, s, e)
            if any(ENTERPRISE_SUFFIX.search(text[a:b] + "\0") for a, b in items):
                _add_items(doc, items, "Enterprise", rule="list-partners")


# Where a list around an anchor ends: _HARD_LEFT's marks, and quotation marks too (a quoted
# phrase next to a list is not its item; measured: without them d31–d40 loses 0.005 entity F1).
_LIST_BREAK = re.compile(r"[，,。；;：:！？!?()（）\n“”]")


def _last_item_end(doc: Doc, start: int, end: int) -> int:
    """The last item of a list runs into the clause's predicate: 丰泰和瑞川|相继落户开发区."""
    for s, e in doc.tokens(doc.sentence_at(start)):
        if s > start and s < end and (word_tag(doc.text[s:e]) or "").startswith(("v", "d", "p")) and \
                s - start >= 2:
            return s
    return end


def _lists_with(doc: Doc, anchors: list[Mention], trim_last: bool = False
                ) -> list[tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    """The 、 lists of the anchors' sentences that hold an anchor as an item: (the items,
    the items an anchor ends). With ``trim_last`` the last item ends before a verb (names
    of companies hold none; projects' names do: 包装材料扩建)."""
    text = doc.text
    out = []
    for sent in {doc.sentence_at(m.start).index: doc.sentence_at(m.start) for m in anchors}.values():
        if "、" not in doc.sentence_text(sent):
            continue
        breaks = [x.start() for x in _LIST_BREAK.finditer(text, sent.start, sent.end) if not _inner_paren(text, x.start())]
        for rs, re_ in zip([sent.start] + [b + 1 for b in breaks], breaks + [sent.end]):
            if "、" not in text[rs:re_]:
                continue
            if text[re_ - 1] == "等":
                re_ -= 1  # A、B、C等。: "and so on", not part of C
            items = _list_items(doc, rs, re_)
            ends = {m.end for m in anchors if rs <= m.start < re_}
            if not any(e in ends for _, e in items):
                continue  # no anchor ends an item (checked before the first item's edge is read)
            first_s, first_e = items[0]
            items[0] = (_first_item_start(doc, first_s, first_e), first_e)
            if trim_last:
                items[-1] = (items[-1][0], _last_item_end(doc, *items[-1]))
            anchored = [(s, e) for s, e in items if any(m.end == e and s <= m.start < e for m in anchors)]
            if anchored and len(anchored) < len(items):
                out.append((items, anchored))
    return out


@component("project-list-siblings", RECOGNIZE + 5)
def recognize_project_siblings(doc: Doc) -> None:
    """Items listed with projects are projects: 开工了A电子元器件项目、B医药、C食品深加工 —
    a list joins things of one kind, so once one item is a project by its head (…项目), the
    items around it that read as names (not trades, not already typed) are projects too."""
    text = doc.text
    heads = [m for m in doc.mentions_of("Project") if m.rule == "project-head" and m.name.endswith("项目")]
    if not heads:
        return
    taken = {(m.start, m.end) for m in doc.mentions}
    for items, projects in _lists_with(doc, heads):
        rest = [(s, e) for s, e in items if (s, e) not in projects and (s, e) not in taken
                and (s, e) not in doc.claimed and not text[s:e].endswith(("项目", "公司", "集团"))
                and not any(m.start < e and s < m.end for m in doc.mentions_of("Project", "Zone", "Park"))]
        if rest and _looks_like_names(doc, rest):
            _add_items(doc, rest, "Project", rule="list-sibling")


@component("company-list-siblings", RECOGNIZE + 5)
def recognize_company_siblings(doc: Doc) -> None:
    """Names listed with a company's legal name are companies: 引进了A科技有限公司、B、C."""
    legal = [m for m in doc.mentions_of("Enterprise") if m.rule == "legal-head"]
    if not legal:
        return
    text = doc.text
    for items, companies in _lists_with(doc, legal, trim_last=True):
        rest = [(s, e) for s, e in items if (s, e) not in companies and (s, e) not in doc.claimed
                and not any(m.start < e and s < m.end for m in doc.mentions)
                and company_shape(strip_quotes(text[s:e])) >= 1]
        if rest and _looks_like_names(doc, rest):
            _add_items(doc, rest, "Enterprise", rule="list-sibling")
