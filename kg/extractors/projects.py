"""Named projects: …项目, 投资15亿元的X, branded parks (宏途山药食品产业园), and the
brand behind a project (宏途 → Enterprise).

Lists typed by their head (…等项目) are found in lists.py; this module adds the
projects named by their own head or by an investment phrase, and then, for every
project, the enterprise whose name it starts with.
"""
from __future__ import annotations

import re

from kg.document import Doc
from kg.lexicon import is_boundary_word, places
from kg.names import QUOTES, brand_prefix, is_generic_prefix, left_start
from kg.pipeline import RECOGNIZE, component

_PROJECT_HEAD = re.compile(r"项目")
# 投资15亿元的生物芯片研发制造基地 / 总投资30亿元的荣兴…项目
_INVESTED = re.compile(r"(?:总)?投资(?:约|达|超|近|逾)?[0-9.一二三四五六七八九十两百千万亿]+(?:万|亿)?元(?:人民币)?的")
_GENERIC_PROJECT = re.compile(r"^(重点|重大|骨干|产业|建设|招商|签约|在建|新建|续建|亿元以上|省市|省|市|大|好|该|这些|各类|一批)+$")
_STOP_AFTER = re.compile(r"[，,。；;、：:！？!?\n（(]|[0-9]|等")


def _add_project(doc: Doc, start: int, end: int, rule: str) -> None:
    while start < end and doc.text[start] in QUOTES:
        start += 1
    name = doc.text[start:end]
    core = name[:-2] if name.endswith("项目") else name
    if len(core) < 2 or _GENERIC_PROJECT.match(core) or is_generic_prefix(core) or any(q in name for q in QUOTES):
        return
    span = (start, end)
    if doc.claimed.get(span, "Project") != "Project":
        return
    if any(m.start == start and m.end == end and m.type == "Project" for m in doc.mentions):
        return
    doc.claimed[span] = "Project"
    doc.add_mention("Project", start, end, rule=rule)


def _name_after(doc: Doc, pos: int) -> int:
    """End of the name that starts at ``pos``: up to punctuation, a digit, 等 or a verb."""
    sent = doc.sentence_at(pos)
    end = pos
    for s, e in doc.tokens(sent):
        if e <= pos:
            continue
        word = doc.text[max(s, pos):e]
        if _STOP_AFTER.match(word) or (end > pos and is_boundary_word(word)):
            break
        end = e
        if word == "项目":
            break
    return end


@component("projects", RECOGNIZE + 3)
def recognize_projects(doc: Doc) -> None:
    text = doc.text
    for m in _PROJECT_HEAD.finditer(text):
        start = left_start(doc, m.start(), 28, allow_digits=True, inner_ok=frozenset({"及", "及其"}))
        if start == m.start():
            continue
        # 调配糖浆生产、高档动物饲料母料生产项目: the head names every item before it.
        _add_project(doc, start, m.end(), "project-head")
        pos = start
        while pos > 0 and text[pos - 1] == "、":
            item_start = left_start(doc, pos - 1, 28, allow_digits=True)
            if item_start >= pos - 1:
                break
            _add_project(doc, item_start, pos - 1, "project-head-list")
            pos = item_start
    for m in _INVESTED.finditer(text):
        end = _name_after(doc, m.end())
        if end - m.end() >= 2:
            _add_project(doc, m.end(), end, "invested")


@component("project-brands", RECOGNIZE + 5)
def recognize_project_brands(doc: Doc) -> None:
    """The enterprise a project's name starts with: 宏途|山药食品产业园, 碧桂园·芙蓉台."""
    enterprises = {m.name for m in doc.mentions_of("Enterprise")}
    for p in list(doc.mentions_of("Project")):
        name = p.name
        if any(name.startswith(e) for e in enterprises):
            continue  # operatedBy will link it; the enterprise is already known
        if "·" in name:
            developer = name.split("·", 1)[0]
            if len(developer) >= 2:
                doc.add_mention("Enterprise", p.start, p.start + len(developer), rule="project-developer")
            continue
        span = brand_prefix(doc, p.start, p.end)
        if span is None:
            continue
        s, e = span
        # Company words right after the brand belong to it: 鼎华|科技, 创世|电机, 万邦|国际.
        for head in _BRAND_TAILS:
            if text_at(doc, e, head):
                e += len(head)
                break
        brand = doc.text[s:e]
        if brand in places() or len(brand) < 2 or re.search(r"大学|学院|研究", brand):
            continue
        doc.add_mention("Enterprise", s, e, rule="project-brand")
        enterprises.add(brand)


_BRAND_TAILS = ("科技", "电机", "电梯", "速递", "国际", "药业", "制药", "电气", "集团", "股份", "生物", "食品", "物流")


def text_at(doc: Doc, pos: int, s: str) -> bool:
    return doc.text.startswith(s, pos)
