"""Property-based tests: the extractors and the amount parser on random input.

Random Chinese-like text, built from the words and characters the recognisers
key on (开发区, 有限公司, 项目, 以下简称 ...) mixed with digits, full-width digits,
punctuation, nested and unbalanced brackets, amounts in every unit and of every
size, other scripts, newlines and spaces, goes through the whole extraction:
nothing may raise, no entity may have an empty name, every amount is a finite
non-negative integer, and every evidence is the exact slice of the source its
offsets say.

Settings, kept small so the suite stays fast (a few seconds per test):
``max_examples=200`` for the extraction properties, 300 for the cheap amount
round trips; ``deadline=None`` because the first example pays for loading
jieba and its dictionaries; ``derandomize=True`` so that CI runs the same
examples every time (a failure is reproducible, never flaky) -- run with
``--hypothesis-seed=N`` after removing it to explore further.
"""
from __future__ import annotations

import unicodedata
from decimal import Decimal

import cn2an
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.extract.extraction import extract_article
from kg.extract.money import find_amounts, format_cny
from kg.extract.pipeline import extract
from kg.ingest.normalize import normalize

EXTRACTION = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CHEAP = settings(max_examples=300, deadline=None, derandomize=True)

# --------------------------------------------------------------------------
# Chinese-like text

WORDS = [
    "开发区", "经开区", "高新区", "经济技术开发区", "国家", "许昌", "漯河", "鹤壁", "河南省", "许昌市", "长葛县",
    "示范区", "产业集聚区", "商务中心区", "产业园", "工业园", "基地", "园区", "有限公司", "股份有限公司", "集团",
    "药业", "制药", "科技", "电气", "电梯", "生物医药", "项目", "一期", "二期", "产业链", "产业集群", "两群两链五园",
    "投资", "总投资", "亿元", "万元", "亿美元", "元", "以下简称", "简称", "由", "建设运营", "建设", "运营",
    "引进", "签约", "落户", "入驻", "的", "和", "与", "及其", "、", "是", "在", "位于", "新建", "年产",
]
CHARS = "".join(sorted(set("".join(WORDS)))) + "中原电谷区园业企化工新能源智造装备食品物流"
PUNCT = "，。；：！？、“”‘’《》〈〉…—·-,.;:!?'\""
BRACKETS = "（）()【】[]〔〕「」『』{}"
OTHER_SCRIPTS = "ABCxyzÄéßΩЖあカ한글٣٤אב😀\u200b\u00a0\u3000\t"
UNITS = ["元", "万元", "亿元", "亿美元", "万亿元", "千万元", "百万元", "元人民币", "美元", "欧元", "万", "亿"]

digits = st.text("0123456789", min_size=1, max_size=40)
full_width_digits = st.text("０１２３４５６７８９．，", min_size=1, max_size=12)
decimals = st.decimals(min_value=0, max_value=10**12, places=4, allow_nan=False, allow_infinity=False).map(str)
chinese_numbers = st.integers(min_value=0, max_value=10**16 - 1).map(lambda n: cn2an.an2cn(n))
odd_numbers = st.sampled_from(["99999999999999", "9" * 60, "0", "00", "1,000", "1,000,000.5", "1,00", "１２", "十五",
                               "两千", "〇〇", "一点", "点", "三点五", "一亿零一万", "负五", "-3", "1e9", "Infinity", "NaN"])
amounts = st.builds(lambda n, u: n + u, st.one_of(digits, decimals, chinese_numbers, odd_numbers, full_width_digits),
                    st.sampled_from(UNITS))
brackets = st.text(BRACKETS, min_size=1, max_size=6)
abbreviations = st.builds(
    lambda opening, name, closing: f"{opening}以下简称{name}{closing}",
    st.sampled_from(["(", "（", "", "【"]),
    st.one_of(st.just(""), st.sampled_from(WORDS), st.text(CHARS, max_size=6)),
    st.sampled_from([")", "）", "", "】", "。", "\n"]),
)
whitespace = st.sampled_from(["\n", "\n\n", "\n\n\n", " ", "  ", "\u3000\u3000", "\t"])

piece = st.one_of(
    st.sampled_from(WORDS),
    st.text(CHARS, min_size=1, max_size=8),
    st.text(PUNCT, min_size=1, max_size=3),
    brackets,
    digits,
    full_width_digits,
    amounts,
    abbreviations,
    st.just("以下简称"),
    st.text(OTHER_SCRIPTS, min_size=1, max_size=4),
    whitespace,
)
chinese_like = st.lists(piece, max_size=60).map("".join)

# Sentences shaped like the articles', so the relation extractors fire, with
# random parts in the slots.
NAME = st.builds(lambda a, b: a + b, st.text(CHARS, min_size=0, max_size=5), st.sampled_from(["", "有限公司", "集团", "药业"]))
TEMPLATES = [
    "{z}(以下简称{a})引进{e}，总投资{m}。",
    "投资{m}的{e}{p}项目由{e2}建设运营。",
    "{a}形成了“两群两链五园”的产业格局，{z}以下简称",
    "{e}在{z}投资{m}建设{p}产业园项目（一期",
    "{z}{p}产业园、{p}产业链和{p}产业集群，{m}及{m}。",
]
templated = st.builds(
    lambda t, z, a, e, e2, p, m: t.format(z=z, a=a, e=e, e2=e2, p=p, m=m),
    st.sampled_from(TEMPLATES),
    st.builds(lambda c, s: c + s, st.text(CHARS, max_size=4), st.sampled_from(["经济技术开发区", "高新区", "示范区", "开发区", ""])),
    st.one_of(st.just(""), st.text(CHARS, max_size=4)),
    NAME,
    NAME,
    st.text(CHARS, max_size=4),
    amounts,
)
article = st.lists(st.one_of(templated, chinese_like, whitespace), min_size=1, max_size=8).map("".join)


def check_extraction(text: str) -> None:
    ex = extract_article("fuzz", text)
    ids = {e.local_id for e in ex.entities}
    assert len(ids) == len(ex.entities)
    for e in ex.entities:
        assert e.names, e
        for name in e.names:
            assert name and name.strip(), e
    for f in ex.facts:
        assert f.subject in ids
        assert f.object is None or f.object in ids
        if f.amount_cny is not None:
            assert isinstance(f.amount_cny, int) and f.amount_cny >= 0, f
        if f.rel == "invests":
            assert f.amount_cny is not None, f
        ev = f.evidence
        assert 0 <= ev.start < ev.end <= len(text), f
        assert text[ev.start : ev.end] == ev.text
        assert ev.text.strip()


@EXTRACTION
@given(chinese_like)
@example("以下简称")
@example("（以下简称")
@example("许昌经济技术开发区(以下简称")
@example("((((（（【开发区")
@example("开发区))))）】】")
@example("投资99999999999999亿元的项目")
@example("投资" + "9" * 60 + "亿元的X项目")
@example("\n\n\n")
@example("")
def test_extraction_never_fails_on_random_text(text):
    check_extraction(text)


@EXTRACTION
@given(article)
def test_extraction_never_fails_on_article_like_text(text):
    check_extraction(text)


@EXTRACTION
@given(article)
def test_normalised_text_maps_back_to_the_source(text):
    # The offset map behind every evidence: each character of the normalised
    # text comes from the source character it points at (NFKC and
    # traditional → simplified may have changed it), in source order.
    doc = extract("fuzz", text)
    norm = doc.norm
    offsets = list(norm.source_offsets)
    assert len(offsets) == len(doc.text) + 1
    assert offsets[-1] == len(text)
    assert offsets[:-1] == sorted(offsets[:-1])
    for i, ch in enumerate(doc.text):
        src = text[offsets[i]]
        if ch not in unicodedata.normalize("NFKC", src):
            # Only traditional → simplified changes a character beyond NFKC.
            assert unicodedata.category(ch) == "Lo" and unicodedata.category(src) == "Lo", (i, ch, src)
    for m in doc.mentions:
        assert doc.text[m.start : m.end], m
        start, end = norm.to_source(m.start, m.end)
        assert 0 <= start < end <= len(text)


@EXTRACTION
@given(st.lists(st.sampled_from(WORDS + [c for c in "許昌經濟技術開發區園項目投資億萬元團"]), min_size=1, max_size=30).map("".join))
def test_traditional_characters_keep_offsets_exact(text):
    check_extraction(text)
    assert len(normalize(text).text) <= len(text)


# --------------------------------------------------------------------------
# Amounts

@CHEAP
@given(chinese_like)
def test_every_amount_found_is_a_finite_non_negative_integer(text):
    for a in find_amounts(unicodedata.normalize("NFKC", text)):
        assert a.value.is_finite() and a.value >= 0
        assert a.value == a.value.to_integral_value()
        assert a.currency in {"CNY", "USD", "EUR"}
        if a.currency == "CNY":
            assert a.cny == int(a.value)
        assert 0 <= a.start < a.end


def only_amount(text: str) -> Decimal:
    found = find_amounts(text)
    assert len(found) == 1, (text, found)
    assert (found[0].start, found[0].end) == (0, len(text)), (text, found)
    return found[0].value


@CHEAP
@given(st.integers(min_value=0, max_value=10**24))
@example(0)
@example(1)
@example(9_999)
@example(10_000)
@example(99_999_999)
@example(100_000_000)
@example(1_500_000_000)
@example(3_920_000_000)
@example(123_456_789)
def test_format_cny_round_trip(value):
    text = format_cny(value)
    assert text.endswith("元")
    assert only_amount(text) == value


@CHEAP
@given(st.integers(min_value=0, max_value=10**16 - 1))
@example(123_456_789)
@example(100_010_000)
@example(1_000_000_001)
@example(20_000_000_000_000)
def test_chinese_numeral_round_trip(value):
    # an2cn writes 万 and 亿 inside the numeral: 一亿二千三百四十五万六千七百八十九.
    assert only_amount(cn2an.an2cn(value) + "元") == value


@CHEAP
@given(st.integers(min_value=1, max_value=9_999), st.sampled_from([("万", 10**4), ("亿", 10**8), ("万亿", 10**12)]))
def test_chinese_numeral_with_unit_round_trip(value, unit):
    name, size = unit
    assert only_amount(f"{cn2an.an2cn(value)}{name}元") == value * size


@CHEAP
@given(
    st.decimals(min_value=0, max_value=10**10, places=4, allow_nan=False, allow_infinity=False),
    st.sampled_from([("元", 1), ("万元", 10**4), ("亿元", 10**8), ("万亿元", 10**12)]),
)
def test_decimal_amount_in_every_unit(number, unit):
    name, size = unit
    value = only_amount(f"{number}{name}")
    assert value == (number * size).quantize(Decimal(1))


@CHEAP
@given(st.integers(min_value=0, max_value=10**15))
def test_thousands_separators_and_full_width_digits(value):
    assert only_amount(f"{value:,}元") == value
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in f"{value}元")
    assert only_amount(unicodedata.normalize("NFKC", full_width)) == value


@CHEAP
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["亿美元", "美元", "万美元"]))
def test_dollars_are_not_yuan(value, unit):
    (a,) = find_amounts(f"{value}{unit}")
    assert a.currency == "USD" and a.cny is None


# --------------------------------------------------------------------------
# read_source turns CRLF into LF, but extract_article may be given CRLF text
# directly: the offsets must still point into that text.


def test_crlf_text_given_directly_keeps_offsets_exact():
    text = "许昌经济技术开发区\r\n引进西继迅达电梯有限公司。\r\n\r\n开发区投资12亿元建设电梯产业园项目。\r\n"
    doc = extract("crlf", text)
    for i, ch in enumerate(doc.text):
        if ch != "\n":
            assert text[doc.norm.source_offsets[i]] == ch, (i, ch)
