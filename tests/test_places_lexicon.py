"""Checks on kg/resources/places.tsv, the lexicon of Chinese administrative places."""

import csv
from collections import Counter
from pathlib import Path

import pytest

PLACES = Path(__file__).resolve().parents[1] / "kg" / "resources" / "places.tsv"
HEADER = ["name", "short", "level", "parent"]
LEVELS = ("province", "city", "county")


@pytest.fixture(scope="module")
def table():
    with PLACES.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    return rows


@pytest.fixture(scope="module")
def rows(table):
    return [dict(zip(HEADER, r)) for r in table[1:]]


@pytest.fixture(scope="module")
def by_name(rows):
    return {r["name"]: r for r in rows}


def test_header(table):
    assert table[0] == HEADER


def test_every_row_has_four_fields(table):
    bad = [r for r in table[1:] if len(r) != 4]
    assert not bad


def test_levels_are_known(rows):
    assert {r["level"] for r in rows} <= set(LEVELS)


def test_counts(rows):
    counts = Counter(r["level"] for r in rows)
    assert counts["province"] == 34
    assert 320 <= counts["city"] <= 345
    assert counts["county"] >= 350


def test_no_empty_or_duplicate_names(rows):
    names = [r["name"] for r in rows]
    assert all(n.strip() == n and n for n in names)
    dups = [n for n, c in Counter(names).items() if c > 1]
    assert not dups


def test_parents(rows):
    provinces = {r["name"] for r in rows if r["level"] == "province"}
    for r in rows:
        if r["level"] == "province":
            assert r["parent"] == "", r
        else:
            assert r["parent"] in provinces, r


def test_shorts(rows):
    for r in rows:
        short, name = r["short"], r["name"]
        assert len(short) >= 2, r
        assert short == name or name.startswith(short), r


def test_sorted(rows):
    keys = [(LEVELS.index(r["level"]), r["parent"], r["name"]) for r in rows]
    assert keys == sorted(keys)


def test_municipalities_only_as_provinces(rows):
    for muni in ("北京市", "天津市", "上海市", "重庆市"):
        levels = [r["level"] for r in rows if r["name"] == muni]
        assert levels == ["province"]


@pytest.mark.parametrize(
    "name, short, level, parent",
    [
        ("河南省", "河南", "province", ""),
        ("内蒙古自治区", "内蒙古", "province", ""),
        ("广西壮族自治区", "广西", "province", ""),
        ("新疆维吾尔自治区", "新疆", "province", ""),
        ("香港特别行政区", "香港", "province", ""),
        ("许昌市", "许昌", "city", "河南省"),
        ("漯河市", "漯河", "city", "河南省"),
        ("鹤壁市", "鹤壁", "city", "河南省"),
        ("苏州市", "苏州", "city", "江苏省"),
        ("襄阳市", "襄阳", "city", "湖北省"),
        ("普洱市", "普洱", "city", "云南省"),
        ("延边朝鲜族自治州", "延边", "city", "吉林省"),
        ("恩施土家族苗族自治州", "恩施", "city", "湖北省"),
        ("大兴安岭地区", "大兴安岭", "city", "黑龙江省"),
        ("锡林郭勒盟", "锡林郭勒", "city", "内蒙古自治区"),
        ("长葛市", "长葛", "county", "河南省"),
        ("昆山市", "昆山", "county", "江苏省"),
        ("芒市", "芒市", "county", "云南省"),
    ],
)
def test_spot_checks(by_name, name, short, level, parent):
    assert by_name[name] == {"name": name, "short": short, "level": level, "parent": parent}


def test_old_names_absent(by_name):
    for old in ("襄樊市", "思茅市"):
        assert old not in by_name
    assert by_name["巢湖市"]["level"] == "county"  # prefecture abolished in 2011
