"""The pipeline itself: registration, stage order, ``only``, and evidence offsets that
point into the source text."""
from __future__ import annotations

import importlib
import pkgutil
import re
import sys
import unicodedata
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kg.extract.extractors
import kg.extract.pipeline as pipeline
from kg.extract.extraction import Extraction, extract_article
from kg.extract.pipeline import CLEAN, RECOGNIZE, RELATE, RESOLVE, SEGMENT, Component, component, components, extract

ARTICLE = ("国家合肥经济技术开发区(以下简称开发区)引进了联宝电子科技有限公司,"
           "培育新能源汽车产业链。投资15亿元的智能终端生产项目开工。")


@cache
def article(text: str) -> Extraction:
    return extract_article("t", text)


def _recording(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace every registered component by one that records its name, then runs it."""
    ran: list[str] = []
    registry = {}
    for c in components():
        def wrapped(doc, _c=c):
            ran.append(_c.name)
            _c.func(doc)
        registry[c.name] = Component(c.name, c.stage, wrapped)
    monkeypatch.setattr(pipeline, "_REGISTRY", registry)
    return ran


# --- registration and order ----------------------------------------------------------

def test_components_are_sorted_by_stage_then_name() -> None:
    comps = components()
    assert comps == sorted(comps, key=lambda c: (c.stage, c.name))
    assert len({c.name for c in comps}) == len(comps)


def test_each_kind_of_component_sits_in_its_stage() -> None:
    stage = {c.name: c.stage for c in components()}
    assert stage["sentences"] == SEGMENT
    for name in ("lists", "zones", "enterprises", "projects", "parks", "chains", "project-brands"):
        assert RECOGNIZE <= stage[name] < RESOLVE, name
    assert stage["aliases"] == RESOLVE
    for name in ("membership", "zone-places", "operators", "investments", "park-hosts"):
        assert RELATE <= stage[name] < CLEAN, name
    # Lists type their items before the suffix recognisers run; brands come after projects.
    assert stage["lists"] < stage["enterprises"] < stage["project-brands"]
    assert stage["projects"] < stage["project-brands"]


def test_every_extractor_module_registers_a_component() -> None:
    modules = {c.func.__module__ for c in components()}
    for mod in pkgutil.iter_modules(kg.extract.extractors.__path__):
        assert f"kg.extract.extractors.{mod.name}" in modules, mod.name


def test_extract_runs_the_components_in_stage_order(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [c.name for c in components()]
    ran = _recording(monkeypatch)
    extract("t", ARTICLE)
    assert ran == expected


def test_adding_a_file_to_the_extractors_package_is_enough(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    name = "zz_probe_extractor_for_tests"
    (tmp_path / f"{name}.py").write_text(
        "from kg.extract.pipeline import CLEAN, component\n"
        "\n"
        "@component('zz-probe', CLEAN)\n"
        "def probe(doc):\n"
        "    doc.add_fact('probe', ('Zone', 'x'), None, 0, rule='probe')\n",
        encoding="utf-8")
    monkeypatch.setattr(pipeline, "_REGISTRY", dict(pipeline._REGISTRY))
    monkeypatch.setattr(kg.extract.extractors, "__path__", [*kg.extract.extractors.__path__, str(tmp_path)])
    # The package may be listed once per process and remembered; a new process lists it afresh.
    monkeypatch.setattr(pipeline, "_imported", False, raising=False)
    importlib.invalidate_caches()
    try:
        comps = components()
        assert comps[-1].name == "zz-probe" and comps[-1].func.__module__ == f"kg.extract.extractors.{name}"
        doc = extract("t", ARTICLE)
        assert doc.facts[-1].rule == "probe"  # it ran, and last
    finally:
        sys.modules.pop(f"kg.extract.extractors.{name}", None)
        if hasattr(kg.extract.extractors, name):
            delattr(kg.extract.extractors, name)


def test_two_components_with_one_name_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "_REGISTRY", dict(pipeline._REGISTRY))

    def other(doc) -> None:
        pass

    with pytest.raises(ValueError, match="sentences"):
        component("sentences", SEGMENT)(other)
    # Registering the same function again (a module imported twice) is harmless.
    existing = pipeline._REGISTRY["zones"]
    assert component("zones", existing.stage)(existing.func) is existing.func


# --- only ---------------------------------------------------------------------------

def test_only_runs_the_named_components(monkeypatch: pytest.MonkeyPatch) -> None:
    ran = _recording(monkeypatch)
    doc = extract("t", ARTICLE, only={"zones", "sentences"})
    assert ran == ["sentences", "zones"]  # in stage order, whatever the set's order
    assert doc.sentences
    assert {m.type for m in doc.mentions} == {"Zone"}
    assert doc.facts == [] and doc.alias_of == {} and doc.home_zone is None


def test_only_without_relations_gives_mentions_but_no_facts() -> None:
    names = {c.name for c in components() if c.stage < RELATE}
    doc = extract("t", ARTICLE, only=names)
    assert doc.home_zone == ("Zone", "国家合肥经济技术开发区")
    assert {"Zone", "Enterprise", "Project", "IndustryChain"} <= {m.type for m in doc.mentions}
    assert doc.facts == []


def test_only_an_empty_set_or_unknown_names_runs_nothing() -> None:
    for only in (set(), {"no-such-component"}):
        doc = extract("t", ARTICLE, only=only)
        assert doc.sentences == [] and doc.mentions == [] and doc.facts == []
        assert doc.text == ARTICLE  # the text is still normalised


def test_the_full_pipeline_relates_what_it_recognised() -> None:
    doc = extract("t", ARTICLE)
    rels = {f.rel for f in doc.facts}
    assert {"hosts", "hasChain", "locatedIn", "invests"} <= rels


# --- evidence offsets ------------------------------------------------------------------

NOISY = [
    # full-width digits and punctuation, an OCR space, a wrapped line, CRLF
    "国家合肥经济技术开发区(以下简称开发区)引进了联宝电子科技有限公 司，\r\n"
    "投资１５亿元的智能终端生产项目开工。\r\n\r\n开发区培育新能源汽车产业链。",
    # traditional characters and ideographic spaces
    "\u3000\u3000鄭州經濟技術開發區引進了宇通客車股份有限公司，培育新能源汽車產業鏈。",
    # a paragraph printed twice; facts after the copy still point at their own text
    "合肥高新区建设了量子信息产业园。\n\n合肥高新区建设了量子信息产业园。\n\n"
    "合肥高新区引进了科大讯飞股份有限公司。",
    # a page break inside a sentence, after a conjunction
    "郑州经开区引进了宇通客车股份有限公司和\n\n中铁装备集团。",
]


@pytest.mark.parametrize("text", NOISY, ids=["full-width-ocr-crlf", "traditional", "repeated", "page-break"])
def test_evidence_is_the_exact_source_substring(text: str) -> None:
    x = article(text)
    assert x.facts
    for f in x.facts:
        ev = f.evidence
        assert 0 <= ev.start < ev.end <= len(text)
        assert text[ev.start:ev.end] == ev.text


def test_evidence_keeps_the_source_spelling() -> None:
    x = article(NOISY[0])
    names = {e.local_id: e.names[0] for e in x.entities}
    invests = [f for f in x.facts if f.rel == "invests"]
    assert [(names[f.subject], f.amount_cny) for f in invests] == [("智能终端生产项目", 1_500_000_000)]
    assert "投资１５亿元的智能终端生产项目开工" in invests[0].evidence.text
    hosts = [f for f in x.facts if f.rel == "hosts" and names[f.object] == "联宝电子科技有限公司"]
    assert hosts and "有限公 司" in hosts[0].evidence.text


def test_evidence_of_a_traditional_text_is_traditional() -> None:
    x = article(NOISY[1])
    names = {e.local_id: e.names[0] for e in x.entities}
    assert {e.names[0] for e in x.entities if e.type == "Zone"} == {"郑州经济技术开发区"}
    chain = [f for f in x.facts if f.rel == "hasChain"]
    assert [names[f.object] for f in chain] == ["新能源汽车产业链"]
    assert "新能源汽車產業鏈" in chain[0].evidence.text


def test_evidence_after_a_dropped_repeat_points_past_it() -> None:
    text = NOISY[2]
    x = article(text)
    names = {e.local_id: e.names[0] for e in x.entities}
    (f,) = [f for f in x.facts if f.rel == "hosts"]
    assert names[f.object] == "科大讯飞股份有限公司"
    assert f.evidence.start == text.rindex("合肥高新区引进了")


# --- a property over noisy articles -------------------------------------------------------

_SENTENCES = [
    "国家合肥经济技术开发区(以下简称开发区)引进了联宝电子科技有限公司。",
    "投资15亿元的智能终端生产项目开工。",
    "合肥高新区建设了量子信息产业园,培育人工智能产业集群。",
    "开发区加强与蔚来汽车、长安汽车等企业的洽谈对接。",
    "郑州经开区的宇通氢能客车项目总投资30亿元。",
    "合肥经开区的新能源汽车零部件产业园项目由合肥建投集团建设运营。",
]
_FULL_WIDTH = str.maketrans("0123456789,()", "０１２３４５６７８９，（）")


@st.composite
def _noisy_article(draw) -> str:
    paras = draw(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=5))
    out = []
    for p in paras:
        if draw(st.booleans()):
            p = p.translate(_FULL_WIDTH)
        chars = list(p)
        # OCR spaces and layout line breaks at random places inside the sentence.
        for _ in range(draw(st.integers(0, 3))):
            i = draw(st.integers(1, len(chars) - 1))
            chars.insert(i, draw(st.sampled_from([" ", "\u3000", "\n"])))
        out.append("".join(chars))
    return draw(st.sampled_from(["\n\n", "\r\n\r\n", "\n"])).join(out)


def _squeeze(s: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", s))


@settings(max_examples=40, deadline=None)
@given(_noisy_article())
def test_evidence_offsets_hold_on_noisy_articles(text: str) -> None:
    doc = extract("t", text)
    x = extract_article("t", text)
    sentences = {_squeeze(doc.sentence_text(s)) for s in doc.sentences}
    for f in x.facts:
        ev = f.evidence
        assert text[ev.start:ev.end] == ev.text
        # The evidence is one of the article's sentences, in its source spelling.
        assert _squeeze(ev.text) in sentences
