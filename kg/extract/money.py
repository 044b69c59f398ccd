"""Money amounts in Chinese text: ``15亿元``, ``3.5万元``, ``十五亿元``, ``1.2亿美元``.

Values are exact :class:`~decimal.Decimal` yuan (or dollars), never floats, so that
``39.2亿元`` is 3920000000 and not 3919999999.9999995.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

_UNITS = {"": 1, "十": 10, "百": 100, "千": 1000, "万": 10_000, "十万": 100_000, "百万": 1_000_000,
          "千万": 10_000_000, "亿": 100_000_000, "十亿": 1_000_000_000, "百亿": 10_000_000_000,
          "千亿": 100_000_000_000, "万亿": 1_000_000_000_000}
_CN_DIGITS = "零〇一二两三四五六七八九十百千"
# A Chinese numeral may have 万/亿 inside it (一亿二千三百万); one at its end is the unit.
NUMBER = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN_DIGITS}点]+(?:[万亿][{_CN_DIGITS}点]+)*)"
# The number, an optional magnitude, and the currency; 元 alone means yuan. 人民币 may come
# before the number as well as after the unit (投资人民币3亿元, 投资3亿元人民币).
# News also writes yuan by 亿 alone (总投资10亿,建设…; 投资5亿的项目): a bare 亿 is yuan when
# it is said to be invested and no other word follows it (产值15亿, 10亿千瓦时 are not).
AMOUNT_RE = re.compile(rf"(?:人民币\s*)?(?P<num>{NUMBER})\s*(?P<unit>万亿|千亿|百亿|十亿|千万|百万|十万|亿|万|千|百)?\s*"
                       r"(?P<cur>元人民币|元|美元|欧元|(?<=亿)(?=$|[^\u3400-\u9fff]|的|建设|新建|兴建|打造|实施|用于|左右|以上))")
_CURRENCY = {"元": "CNY", "元人民币": "CNY", "美元": "USD", "欧元": "EUR", "": "CNY"}
_INVESTED_BEFORE = re.compile(r"投资(?:额|总额)?(?:约|达|超|近|逾|为|[:：])?$")


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str
    start: int
    end: int

    @property
    def cny(self) -> int | None:
        return int(self.value) if self.currency == "CNY" else None


# Between an amount and the project it pays for: 投资20亿元(建设)的X.
# What joins an investment to the project after it: 投资15亿元的P, 投资20亿元建设的P,
# 投资20亿元建设P; a description may come between: 投资8亿元建设集研发、仓储于一体的P,
# 投资20亿元建设包括A、B在内的P.
INVESTED_OF = (r"(?:(?:建设|新建|兴建|打造|实施)(?:集[^，,。；;]{2,30}?于一体|包括[^，,。；;]{2,40}?在内)的|"
               r"(?:建设|新建|兴建|打造|实施|开工|引进)?的|建设|新建|兴建|打造|实施)")


def parse_number(text: str) -> Decimal | None:
    text = text.replace(",", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        pass
    try:
        return Decimal(str(cn2an.cn2an(text, "smart")))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def find_amounts(text: str, offset: int = 0) -> list[Amount]:
    """Every money amount in ``text``; offsets are shifted by ``offset``."""
    found = []
    for m in AMOUNT_RE.finditer(text):
        if not m["cur"] and not _INVESTED_BEFORE.search(text, max(m.start() - 8, 0), m.start()):
            continue
        unit = m["unit"] or ""
        num = None
        if unit and ("万" in m["num"] or "亿" in m["num"]):
            # 一亿零一 + 万 is 一亿零一万, not (一亿零一) × 万: read as one numeral.
            num = parse_number(m["num"] + unit)
            if num is not None:
                unit = ""
        if num is None:
            num = parse_number(m["num"])
        if num is None or not num.is_finite() or num < 0:
            continue
        try:
            value = (num * _UNITS[unit]).quantize(Decimal(1))
        except InvalidOperation:  # more digits than any real amount (and than Decimal's precision)
            continue
        found.append(Amount(value, _CURRENCY[m["cur"]], offset + m.start(), offset + m.end()))
    return found


def format_cny(value: int) -> str:
    """The way Chinese reports write an amount: 1500000000 → '15亿元'."""
    for unit, size in (("亿", 100_000_000), ("万", 10_000)):
        if value >= size:
            q = Decimal(value) / size
            return f"{q.normalize():f}{unit}元"
    return f"{value}元"


_YUAN_RE = re.compile(rf"^\s*(?P<num>{NUMBER})\s*(?P<unit>万亿|千亿|百亿|十亿|千万|百万|十万|亿|万|千|百)?\s*(?:元人民币|元)?\s*$")


def parse_yuan(text: str) -> Decimal | None:
    """An amount as people write it, in yuan: ``10亿`` → 1000000000, ``5000万`` and
    ``1.5亿元`` too (``12`` is twelve yuan); None when it is no amount."""
    m = _YUAN_RE.match(text)
    if not m:
        return None
    num = parse_number(m["num"])
    if num is None:
        return None
    return num * _UNITS[m["unit"] or ""]
