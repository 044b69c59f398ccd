"""kg.extract.money: amounts in Chinese text, as exact yuan."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.money import find_amounts, format_cny, parse_number
from kg.ingest.normalize import normalize


def _one(text: str):
    found = find_amounts(text)
    assert len(found) == 1, found
    return found[0]


# --- units and currencies ---------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("合肥经开区项目总投资15亿元", 1_500_000_000),
    ("郑州经开区设立3000万元产业基金", 30_000_000),
    ("奖励企业800元", 800),
    ("总投资300亿元人民币", 30_000_000_000),
    ("总投资5 亿元", 500_000_000),
    ("总投资1千万元", 10_000_000),
])
def test_yuan_with_a_magnitude(text: str, value: int) -> None:
    a = _one(text)
    assert a.currency == "CNY"
    assert a.value == value and isinstance(a.value, Decimal)
    assert a.cny == value


def test_us_dollars_have_no_cny_value() -> None:
    a = _one("外资项目投资1.2亿美元")
    assert a.currency == "USD"
    assert a.value == 120_000_000
    assert a.cny is None


def test_euros_have_no_cny_value() -> None:
    a = _one("德国企业增资5000万欧元")
    assert a.currency == "EUR" and a.cny is None


def test_offsets_point_at_the_amount_and_can_be_shifted() -> None:
    text = "宁德时代投资15亿元建设基地"
    a = _one(text)
    assert text[a.start:a.end] == "15亿元"
    (b,) = find_amounts(text, offset=100)
    assert (b.start, b.end) == (a.start + 100, a.end + 100)


def test_several_amounts_in_one_sentence_in_order() -> None:
    found = find_amounts("一期投资8亿元，二期投资1.5亿美元，配套资金3000万元")
    assert [(a.value, a.currency) for a in found] == [
        (Decimal(800_000_000), "CNY"), (Decimal(150_000_000), "USD"), (Decimal(30_000_000), "CNY")]


def test_numbers_without_a_currency_are_not_amounts() -> None:
    assert find_amounts("合肥高新区有企业1200家,年产值15亿") == []


# --- Arabic numbers ----------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("39.2亿元", 3_920_000_000),  # exact, not 3919999999.99…
    ("0.35亿元", 35_000_000),
    ("3.5万元", 35_000),
    ("1,200万元", 12_000_000),
    ("12,345,678元", 12_345_678),
    ("1,234.5万元", 12_345_000),
])
def test_arabic_numbers_with_decimals_and_thousands_separators(text: str, value: int) -> None:
    assert _one(text).cny == value


def test_fractional_yuan_are_rounded_to_whole_yuan() -> None:
    assert _one("补贴12.6元").cny == 13


def test_decimal_values_are_exact_for_tenths_of_a_hundred_million() -> None:
    for tenths in range(1, 1000):
        text = f"{tenths // 10}.{tenths % 10}亿元"
        assert _one(text).cny == tenths * 10_000_000, text


# --- Chinese numerals --------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("十五亿元", 1_500_000_000),
    ("三千五百万元", 35_000_000),
    ("两亿元", 200_000_000),
    ("二十亿元", 2_000_000_000),
    ("一百亿元", 10_000_000_000),
    ("一亿二千万元", 120_000_000),
    ("一点五亿元", 150_000_000),
    ("八千元", 8_000),
])
def test_chinese_numerals(text: str, value: int) -> None:
    a = _one(text)
    assert a.cny == value
    assert text[a.start:a.end] == text  # the whole numeral is the amount


# --- full-width input --------------------------------------------------------------

def test_full_width_digits_read_after_normalisation() -> None:
    text = normalize("郑州经开区项目总投资１５亿元，配套２，０００万元").text
    assert [a.cny for a in find_amounts(text)] == [1_500_000_000, 20_000_000]


def test_full_width_decimal_point_read_after_normalisation() -> None:
    assert _one(normalize("总投资３９．２亿元").text).cny == 3_920_000_000


# --- parse_number ------------------------------------------------------------------

def test_parse_number_reads_both_scripts_and_rejects_junk() -> None:
    assert parse_number("1,500") == 1500
    assert parse_number("2.75") == Decimal("2.75")
    assert parse_number("三千五百") == 3500
    assert parse_number("合肥") is None


# --- format_cny and the round trip --------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (0, "0元"),
    (9_999, "9999元"),
    (10_000, "1万元"),
    (35_000, "3.5万元"),
    (1_500_000_000, "15亿元"),
    (3_920_000_000, "39.2亿元"),
    (100_000_000, "1亿元"),
])
def test_format_cny_writes_yi_and_wan(value: int, text: str) -> None:
    assert format_cny(value) == text


@settings(max_examples=1000, deadline=None)
@given(st.integers(0, 10**13))
def test_format_then_find_gives_the_value_back(v: int) -> None:
    # format_cny writes an exact decimal before 亿/万 (1.23456789亿元), so the round
    # trip is exact for every integer, not only for multiples of 10**4.
    text = format_cny(v)
    a = _one(text)
    assert a.cny == v
    assert a.currency == "CNY"
    assert (a.start, a.end) == (0, len(text))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**9).map(lambda k: k * 10**4))
def test_multiples_of_wan_are_written_without_exponent_and_read_back(v: int) -> None:
    text = format_cny(v)
    assert "E" not in text and "e" not in text
    unit = "亿元" if v >= 10**8 else "万元" if v >= 10**4 else "元"
    assert text.endswith(unit)
    assert _one(text).cny == v


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**13))
def test_round_trip_inside_a_sentence(v: int) -> None:
    text = f"合肥高新区某项目总投资{format_cny(v)},当年开工"
    assert [a.cny for a in find_amounts(text)] == [v]


# --- never negative, never non-finite ---------------------------------------------

_AMOUNT_ALPHABET = st.sampled_from(
    list("0123456789.,-+ 零〇一二两三四五六七八九十百千万亿点元美欧的投资e")
    + ["元人民币", "亿元", "万元", "美元", "NaN", "Infinity", "inf", "1e999", "-5"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_AMOUNT_ALPHABET, max_size=20).map("".join))
def test_amounts_are_never_negative_or_non_finite(text: str) -> None:
    for a in find_amounts(text):
        assert a.value.is_finite()
        assert a.value >= 0
        assert a.value == a.value.to_integral_value()
        assert 0 <= a.start < a.end <= len(text)
        assert a.currency in ("CNY", "USD", "EUR")
        assert (a.cny is None) == (a.currency != "CNY")


def test_a_minus_sign_does_not_make_an_amount_negative() -> None:
    assert [a.cny for a in find_amounts("亏损-5亿元")] == [500_000_000]


def test_absurdly_long_numbers_are_skipped_not_raised() -> None:
    text = "9" * 40 + "万亿元"
    assert all(a.value.is_finite() for a in find_amounts(text))


def test_renminbi_before_the_number_is_part_of_the_amount() -> None:
    text = "项目投资人民币3.5亿元,另募资2亿元人民币。"
    first, second = find_amounts(text)
    assert (first.cny, text[first.start:first.end]) == (350_000_000, "人民币3.5亿元")
    assert (second.cny, text[second.start:second.end]) == (200_000_000, "2亿元人民币")


def test_yi_alone_is_yuan_where_no_word_follows() -> None:
    # 总投资10亿,… / 投资5亿的…: news drops 元 after 亿; 亿 before a unit or a noun is no money.
    found = find_amounts("该项目总投资10亿,其中一期投资3.5亿的厂房年内开工。")
    assert [a.cny for a in found] == [1_000_000_000, 350_000_000]
    assert find_amounts("全国13亿人口,年发电10亿千瓦时,产值8亿多。") == []
