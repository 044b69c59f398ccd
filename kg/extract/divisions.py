"""China's administrative divisions down to county level (``kg/resources/divisions.tsv``).

Each division has its GB/T 2260 six-digit code, its name, its level (province, city,
county) and the division it belongs to, so that a place found in an article can be
placed in the whole hierarchy: 渝中区 → 重庆市, 金水区 → 郑州市 → 河南省.

Names are not unique (鼓楼区 is in four cities): :func:`codes_named` gives every
division a spelling may mean, and :func:`resolve` picks one by the other places
an article names.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

LEVELS = ("province", "city", "county")


@dataclass(frozen=True)
class Division:
    code: str  # GB/T 2260: 341000 …
    name: str  # 黄山市
    level: str  # province | city | county
    parent: str  # the code of the division it belongs to; "" for a province

    @property
    def short(self) -> str:
        return short_name(self.name, self.level)


@cache
def divisions() -> dict[str, Division]:
    """Every division by its code."""
    text = resources.files("kg.resources").joinpath("divisions.tsv").read_text("utf-8")
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    return {r["code"]: Division(r["code"], r["name"], r["level"], r["parent"])
            for r in csv.DictReader(rows, delimiter="\t")}


# Ethnic groups named in the names of autonomous divisions (族 is sometimes left out:
# 伊犁哈萨克自治州) (内蒙古 and 广西 are provinces
# whose short forms are fixed below); longest first, so that 土家族 is not read as 家族.
_ETHNIC = sorted(
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 "
    "京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺".split(), key=len, reverse=True)
_AUTONOMOUS = re.compile(r"^(.{2,}?)(?:(?:%s)族?)+自治(?:州|县|旗)$" % "|".join(_ETHNIC))
_PROVINCE_SHORT = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "宁夏回族自治区": "宁夏",
                   "新疆维吾尔自治区": "新疆", "西藏自治区": "西藏", "香港特别行政区": "香港", "澳门特别行政区": "澳门"}


def short_name(name: str, level: str) -> str:
    """The name without its unit (黄山市 → 黄山, 大理白族自治州 → 大理, 中牟县 → 中牟), or the
    name itself when what is left would be one character (城区, 沙市区 → 沙市 but 矿区 stays)."""
    if name in _PROVINCE_SHORT:
        return _PROVINCE_SHORT[name]
    m = _AUTONOMOUS.match(name)
    if m:
        return m.group(1)
    for unit in ("特别行政区", "自治区", "地区", "林区", "新区", "省", "市", "盟", "县", "区", "旗"):
        if name.endswith(unit) and len(name) - len(unit) >= 2:
            if unit == "新区":
                return name  # 浦东新区: without 新区 it names a zone as often as the district
            return name[: -len(unit)]
    return name


@cache
def _names() -> dict[str, tuple[str, ...]]:
    by: dict[str, list[str]] = {}
    for d in divisions().values():
        for spelling in {d.name, d.short}:
            by.setdefault(spelling, []).append(d.code)
    return {k: tuple(sorted(v)) for k, v in by.items()}


def codes_named(spelling: str, *, full_only: bool = False) -> tuple[str, ...]:
    """The codes of every division written ``spelling`` (its full or its short name)."""
    codes = _names().get(spelling, ())
    if full_only:
        codes = tuple(c for c in codes if divisions()[c].name == spelling)
    return codes


def ancestors(code: str) -> list[str]:
    """The codes above ``code``, nearest first (county → city → province)."""
    out = []
    table = divisions()
    d = table.get(code)
    while d is not None and d.parent:
        out.append(d.parent)
        d = table.get(d.parent)
    return out


def is_within(code: str, other: str) -> bool:
    """``code`` is ``other`` or lies inside it."""
    return code == other or other in ancestors(code)


def resolve(candidates: tuple[str, ...], context: set[str]) -> str | None:
    """The one division among ``candidates`` that the ``context`` (codes of the other
    places in the article) points to: the candidate with the most of its ancestors or
    descendants in the context. A single candidate is itself; a tie or no support is
    None (the name stays without a code)."""
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return None
    scores = []
    for c in candidates:
        above = set(ancestors(c))
        support = len(above & context) + sum(1 for o in context if o != c and c in ancestors(o))
        scores.append((support, c))
    scores.sort(reverse=True)
    if scores[0][0] > 0 and (len(scores) == 1 or scores[1][0] < scores[0][0]):
        return scores[0][1]
    return None


@cache
def _by_first_char() -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = {}
    for spelling in _names():
        lengths.setdefault(spelling[0], set()).add(len(spelling))
    return {ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()}


def scan(text: str, accept: Callable[[str], bool] | None = None) -> list[tuple[int, int, str]]:
    """Every spelling of a division in ``text`` that ``accept`` takes (all by default),
    longest first and left to right: ``(start, end, spelling)``. A spelling the caller does
    not believe (从江, a county's short name, in 从江苏省…) is passed over, not consumed."""
    out = []
    names = _names()
    first = _by_first_char()
    i, n = 0, len(text)
    while i < n:
        for length in first.get(text[i], ()):
            word = text[i:i + length]
            if i + length <= n and word in names and (accept is None or accept(word)):
                out.append((i, i + length, word))
                i += length
                break
        else:
            i += 1
    return out
