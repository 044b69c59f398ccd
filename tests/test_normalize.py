"""kg.ingest.normalize: cleaning OCR and layout noise while keeping a map back to the source.

The sentences here are written for these tests (zones and companies other than the
sample articles').
"""
from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest.normalize import normalize


def _span(src: str, needle_in_text: str) -> str:
    """The source substring behind the first occurrence of ``needle_in_text`` in the
    normalised text."""
    n = normalize(src)
    i = n.text.index(needle_in_text)
    s, e = n.to_source(i, i + len(needle_in_text))
    return src[s:e]


# --- full-width characters (NFKC) -------------------------------------------------

def test_full_width_digits_become_ascii() -> None:
    assert normalize("合肥高新区投资１５亿元建设").text == "合肥高新区投资15亿元建设"


def test_full_width_punctuation_becomes_ascii() -> None:
    n = normalize("郑州经开区引进比亚迪，宁德时代（溧阳）：总投资２０亿元；")
    assert n.text == "郑州经开区引进比亚迪,宁德时代(溧阳):总投资20亿元;"


def test_full_width_latin_letters_become_ascii() -> None:
    assert normalize("合肥高新区建设ＡＩ产业园").text == "合肥高新区建设AI产业园"


def test_text_already_normalised_is_unchanged_with_identity_offsets() -> None:
    src = "苏州工业园区引进了一批集成电路企业。"
    n = normalize(src)
    assert n.text == src
    assert list(n.source_offsets) == list(range(len(src) + 1))


def test_traditional_characters_become_simplified_keeping_offsets() -> None:
    src = "鄭州經濟技術開發區引進了宇通客車"
    n = normalize(src)
    assert n.text == "郑州经济技术开发区引进了宇通客车"
    assert len(n.text) == len(src)
    assert list(n.source_offsets) == list(range(len(src) + 1))


# --- spaces ------------------------------------------------------------------------

def test_ocr_space_inside_a_chinese_word_is_removed() -> None:
    assert normalize("合肥联宝电子科技有限公 司扩产").text == "合肥联宝电子科技有限公司扩产"


def test_several_ocr_spaces_and_ideographic_spaces_are_removed() -> None:
    assert normalize("宁德 时代\u3000新能源  科技").text == "宁德时代新能源科技"


def test_spaces_between_latin_words_are_kept() -> None:
    n = normalize("合肥高新区的 Hefei Hi-tech Zone 与 Anhui Province 合作")
    assert "Hefei Hi-tech Zone" in n.text
    assert "Anhui Province" in n.text
    # Spaces next to a Chinese character are still layout debris.
    assert "区的Hefei" in n.text and "Zone与Anhui" in n.text


def test_space_between_arabic_digits_and_a_unit_is_removed() -> None:
    assert normalize("总投资 30 亿元").text == "总投资30亿元"


# --- line breaks -------------------------------------------------------------------

def test_a_line_broken_by_the_layout_inside_a_sentence_is_rejoined() -> None:
    src = "郑州经济技术开发区今年引进了\n比亚迪新能源汽车项目和\n宇通客车扩能项目。"
    assert normalize(src).text == "郑州经济技术开发区今年引进了比亚迪新能源汽车项目和宇通客车扩能项目。"


def test_a_line_broken_inside_an_amount_is_rejoined() -> None:
    assert normalize("项目总投资15\n亿元。").text == "项目总投资15亿元。"


def test_a_line_that_ends_a_sentence_is_not_joined_to_the_next() -> None:
    src = "合肥高新区发展迅速。\n郑州经开区也在追赶。"
    assert normalize(src).text == src


def test_a_blank_line_between_paragraphs_is_kept() -> None:
    src = "合肥高新区发展迅速\n\n郑州经开区也在追赶"
    assert normalize(src).text == src


def test_a_page_break_after_a_conjunction_is_rejoined() -> None:
    src = "合肥经开区引进了蔚来汽车和\n\n江淮汽车等企业。"
    assert normalize(src).text == "合肥经开区引进了蔚来汽车和江淮汽车等企业。"


def test_crlf_line_endings_become_lf() -> None:
    src = "合肥高新区发展迅速。\r\n郑州经开区也在追赶。"
    n = normalize(src)
    assert n.text == "合肥高新区发展迅速。\n郑州经开区也在追赶。"
    i = n.text.index("郑州")
    assert src[n.source_offsets[i]] == "郑"


# --- repeated paragraphs -----------------------------------------------------------

def test_a_paragraph_repeated_verbatim_is_read_once() -> None:
    para = "苏州工业园区引进了一批集成电路企业。"
    src = f"{para}\n\n合肥高新区建设量子产业园。\n\n{para}\n\n郑州经开区发展汽车产业。"
    n = normalize(src)
    assert n.text.count(para) == 1
    assert "合肥高新区建设量子产业园。" in n.text and "郑州经开区发展汽车产业。" in n.text
    # What follows the dropped copy still maps to its own place in the source.
    i = n.text.index("郑州")
    s, e = n.to_source(i, i + len("郑州经开区"))
    assert (s, e) == (src.index("郑州"), src.index("郑州") + 5)


def test_a_paragraph_that_only_differs_is_kept() -> None:
    src = "苏州工业园区引进了一批企业。\n\n苏州工业园区引进了一批新企业。"
    assert normalize(src).text == src


# --- mapping back to the source ---------------------------------------------------

def test_to_source_gives_the_exact_source_substring() -> None:
    src = "合肥联宝电子科技有限公 司投资１５亿元，建设新基地。"
    assert _span(src, "联宝电子科技有限公司") == "联宝电子科技有限公 司"
    assert _span(src, "15亿元") == "１５亿元"
    assert _span(src, ",建设") == "，建设"


def test_to_source_across_a_rejoined_line_includes_the_line_break() -> None:
    src = "郑州经开区引进了\n宇通客车。"
    assert _span(src, "引进了宇通") == "引进了\n宇通"


def test_to_source_of_an_empty_span() -> None:
    src = "合肥高新区　发展"
    n = normalize(src)
    assert n.to_source(2, 2) == (2, 2)
    # The end of the text maps to the end of the source.
    assert n.to_source(len(n.text), len(n.text)) == (len(src), len(src))


def test_offsets_have_one_extra_entry_pointing_past_the_source() -> None:
    src = "宁德 时代\n新能源"
    n = normalize(src)
    assert len(n.source_offsets) == len(n.text) + 1
    assert n.source_offsets[-1] == len(src)


# --- properties --------------------------------------------------------------------

# Simplified characters only, so that traditional → simplified conversion leaves
# them as they are and each normalised character has one NFKC source.
_CJK = "合肥高新区郑州经济技术开发产业园项目投资亿万元有限公司宁德时代比亚迪电子科集团链群苏工业在的和与。"
_FULL_WIDTH = "０１２３４５６７８９，：；（）！？ＡＢ"
_OTHER = "0123456789abXY.,-"
_SPACES = " \u3000\u00a0\t"
_EXPANDING = "①㎡㈱"  # NFKC gives more than one character

_ANY = st.text(alphabet=st.sampled_from(list(_CJK + _FULL_WIDTH + _OTHER + _SPACES + _EXPANDING + "\n\r")),
               max_size=60)
# Words and line structures, so repeated paragraphs and wrapped lines occur often.
_CHUNK = st.sampled_from(["合肥高新区", "１５亿元", "有限公 司", "\n", "\n\n", " ", "Hefei Zone", "。", "，", "和",
                          "\u3000", "①", "\r\n", "宁德时代"])
_STRUCTURED = st.lists(_CHUNK, max_size=25).map("".join)
_SOURCES = st.one_of(_ANY, _STRUCTURED)


def _origin_ok(normalised_char: str, source_char: str) -> bool:
    if source_char == "\r":
        return normalised_char == "\n"  # CR → LF
    if normalised_char == "。" and unicodedata.normalize("NFKC", source_char) == ".":
        return True  # a full stop typed as a Latin point (建成.新) is read as 。
    return normalised_char in unicodedata.normalize("NFKC", source_char)


@settings(max_examples=400, deadline=None)
@given(_SOURCES)
def test_every_normalised_character_comes_from_its_source_offset(src: str) -> None:
    n = normalize(src)
    offsets = list(n.source_offsets)
    assert len(offsets) == len(n.text) + 1
    assert offsets[-1] == len(src)
    for i, ch in enumerate(n.text):
        assert 0 <= offsets[i] < len(src)
        assert _origin_ok(ch, src[offsets[i]]), (i, ch, src[offsets[i]])
    # Characters keep their order.
    assert offsets == sorted(offsets)


@settings(max_examples=400, deadline=None)
@given(_SOURCES)
def test_normalised_text_has_no_full_width_forms_cr_or_spaces_next_to_chinese(src: str) -> None:
    text = normalize(src).text
    assert "\r" not in text
    assert unicodedata.is_normalized("NFKC", text)
    # Tabs stay: they separate the cells of a table row.
    assert not re.search(r"[\u4e00-\u9fff。] | [\u4e00-\u9fff。]", text)


@settings(max_examples=400, deadline=None)
@given(_SOURCES, st.data())
def test_to_source_covers_exactly_the_origins_of_a_span(src: str, data) -> None:
    n = normalize(src)
    if not n.text:
        return
    a = data.draw(st.integers(0, len(n.text) - 1))
    b = data.draw(st.integers(a + 1, len(n.text)))
    s, e = n.to_source(a, b)
    assert 0 <= s < e <= len(src)
    assert s == n.source_offsets[a]
    assert e == n.source_offsets[b - 1] + 1
    for i in range(a, b):
        assert s <= n.source_offsets[i] < e


_ONE_LINE = st.text(alphabet=st.sampled_from(list(_CJK + _FULL_WIDTH + _OTHER + _SPACES)), min_size=1, max_size=60)


@settings(max_examples=400, deadline=None)
@given(_ONE_LINE, st.data())
def test_to_source_substring_normalises_back_to_the_span(src: str, data) -> None:
    """Within one line (nothing dropped but spaces), the source substring behind a span
    is that span once full-width forms and spaces are normalised away."""
    n = normalize(src)
    if not n.text:
        return
    a = data.draw(st.integers(0, len(n.text) - 1))
    b = data.draw(st.integers(a + 1, len(n.text)))
    s, e = n.to_source(a, b)

    def squeeze(x: str) -> str:
        # (a full stop typed as "." is read as 。: both count as the same stop here)
        return re.sub(r"\s", "", unicodedata.normalize("NFKC", x)).replace("。", ".")

    assert squeeze(src[s:e]) == squeeze(n.text[a:b])


@settings(max_examples=300, deadline=None)
@given(_SOURCES)
def test_normalising_is_deterministic_and_idempotent(src: str) -> None:
    first = normalize(src)
    assert normalize(src) == first
    assert normalize(first.text).text == first.text


def test_a_title_on_the_first_line_is_not_joined_to_the_paragraph_after_it() -> None:
    src = "青湾循环经济园区\n园区概况：青湾循环经济园区位于吉林省松原市，是省级化工园区，规划面积28平方公里。"
    assert normalize(src).text.startswith("青湾循环经济园区\n园区概况")
    # a first line the layout broke, about as long as the next, is still rejoined
    src = "青湾经济技术开发区今年引进了\n恒岳新能源汽车项目和\n蓝溪客车扩能项目。"
    assert "\n" not in normalize(src).text


def test_a_title_with_a_colon_is_a_title_too() -> None:
    src = "青湾高新区：聚力打造机器人及智能装备产业集群\n青湾高新技术产业开发区位于安徽省芜湖市，2010年升级为国家级高新区，是全省机器人产业的主要集聚地。"
    assert normalize(src).text.split("\n")[0].endswith("聚力打造机器人及智能装备产业集群")


def test_a_numbered_item_starts_a_line_of_its_own() -> None:
    src = "一、续建项目\n1.青湾科技城创新中心二期:总投资6.5亿元\n2.恒岳冷链物流园。\n产值增长\n1.5倍"
    # (a decimal after a broken line is no item: 增长|1.5倍 is rejoined)
    assert normalize(src).text == "一、续建项目\n1.青湾科技城创新中心二期:总投资6.5亿元\n2.恒岳冷链物流园。\n产值增长1.5倍"


def test_a_latin_point_after_chinese_text_is_a_full_stop_and_decimals_stay() -> None:
    src = "新区投资1.5亿元建设厂房.详见www.example.cn.二期工程“明年开工”.\n三期待定．"
    n = normalize(src)
    assert n.text == "新区投资1.5亿元建设厂房。详见www.example.cn.二期工程“明年开工”。\n三期待定。"
    # Evidence still quotes the source as it was written.
    assert _span(src, "厂房。详见") == "厂房.详见"


def test_lines_wrapped_before_a_closing_mark_a_quote_or_a_space_are_rejoined() -> None:
    # No line of prose starts with 。 or ；; a quoted phrase (not a quoted sentence) may end a
    # wrapped line; a number may wrap at its decimal point or after Latin letters; spaces the
    # layout left around the break go with it.
    assert normalize("青湾项目集中签约\n。仪式上").text == "青湾项目集中签约。仪式上"
    assert normalize("坚持“项目为王”\n的工作思路").text == "坚持“项目为王”的工作思路"
    assert normalize("他说:“项目开工了。”\n记者看到").text == "他说:“项目开工了。”\n记者看到"
    assert normalize("总投资6.\n25亿元").text == "总投资6.25亿元"
    # (after a first line: a short first line is a title, which ends there)
    assert normalize("开发区消息。\n发动机4K\nM技改、50MW/\n100MWh储能").text == "开发区消息。\n发动机4KM技改、50MW/100MWh储能"
    assert normalize("开发区消息。\n配套项目 \n 5个,工业项目3个").text == "开发区消息。\n配套项目5个,工业项目3个"


def test_a_lists_title_ends_its_line_however_long_the_first_entry() -> None:
    src = "青湾经开区开工项目清单\n白桦电子元件项目投资5000万元"
    assert normalize(src).text == src
