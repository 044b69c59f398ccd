"""Tests for the gold-standard scorer (kg/evaluate/score.py)."""
from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from kg.evaluate.gold import load_gold
from kg.evaluate.names import names_match, normalize_name
from kg.evaluate.report import EvalReport
from kg.evaluate.score import score

GOLD_DIR = Path(__file__).resolve().parents[1] / "seeds" / "gold"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))


def _doc(entities, facts, doc="d1"):
    return {
        "doc": doc,
        "entities": [{"id": i, "type": t, "names": list(n)} for i, t, n in entities],
        "facts": facts,
    }


def _renamed(doc: dict, prefix: str = "pred_") -> dict:
    """The same document with new entity ids and reversed order, so a perfect
    score cannot come from ids or positions lining up by accident."""
    ids = {e["id"]: prefix + e["id"] for e in doc["entities"]}
    out = copy.deepcopy(doc)
    out["entities"] = [dict(e, id=ids[e["id"]]) for e in reversed(out["entities"])]
    facts = []
    for f in reversed(out["facts"]):
        f = dict(f, s=ids[f["s"]])
        if "o" in f:
            f["o"] = ids[f["o"]]
        f.pop("evidence", None)
        facts.append(f)
    out["facts"] = facts
    return out


# A small zone article: one zone, one park, two enterprises, a project.
GOLD = _doc(
    [
        ("Z1", "Zone", ["许昌经济技术开发区", "许昌经开区"]),
        ("PL1", "Place", ["许昌"]),
        ("PK1", "Park", ["电梯产业园"]),
        ("E1", "Enterprise", ["西继迅达电梯有限公司", "西继迅达"]),
        ("E2", "Enterprise", ["许继集团"]),
        ("P1", "Project", ["生物芯片研发制造基地项目"]),
    ],
    [
        {"rel": "locatedIn", "s": "Z1", "o": "PL1"},
        {"rel": "hasPark", "s": "Z1", "o": "PK1"},
        {"rel": "hosts", "s": "Z1", "o": "E1"},
        {"rel": "hosts", "s": "Z1", "o": "E2"},
        {"rel": "locatedIn", "s": "P1", "o": "Z1"},
        {"rel": "operatedBy", "s": "P1", "o": "E2"},
        {"rel": "invests", "s": "P1", "amount_cny": 300_000_000},
    ],
)


def _gold():
    return {"d1": copy.deepcopy(GOLD)}


# ------------------------------------------------------------------ gold vs itself


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_each_gold_file_scores_perfectly_against_itself(path):
    gold = load_gold(GOLD_DIR)
    key = json.loads(path.read_text(encoding="utf-8"))["doc"]
    one = {key: gold[key]}
    report = score({key: _renamed(gold[key])}, one)
    assert report.entities and report.facts
    for counts in [*report.entities.values(), *report.facts.values(),
                   report.entity_micro, report.fact_micro]:
        assert counts.fp == 0 and counts.fn == 0
        assert counts.precision == counts.recall == counts.f1 == 1.0
    assert report.invalid == 0 and report.unscored == []


def test_there_are_five_gold_files():
    assert len(GOLD_FILES) == 5
    assert len(load_gold(GOLD_DIR)) == 5


# ------------------------------------------------------------------ entity counting


def test_dropping_an_entity_lowers_recall_by_exact_amount():
    gold = _gold()
    pred = _renamed(gold["d1"])
    pred["entities"] = [e for e in pred["entities"] if e["id"] != "pred_E2"]
    pred["facts"] = [f for f in pred["facts"] if "pred_E2" not in (f["s"], f.get("o"))]
    report = score({"d1": pred}, gold)

    ent = report.entity_micro
    assert (ent.tp, ent.fp, ent.fn) == (5, 0, 1)
    assert ent.recall == pytest.approx(5 / 6)
    assert ent.precision == 1.0
    assert report.entities["Enterprise"].recall == pytest.approx(1 / 2)
    assert report.entities["Zone"].recall == 1.0
    # The two facts that mention the dropped enterprise become misses.
    assert report.facts["hosts"].fn == 1
    assert report.facts["operatedBy"].fn == 1
    assert report.fact_micro.recall == pytest.approx(5 / 7)


def test_duplicate_predicted_entity_adds_exactly_one_fp():
    gold = _gold()
    pred = _renamed(gold["d1"])
    pred["entities"].append({"id": "dup", "type": "Enterprise", "names": ["西继迅达"]})
    report = score({"d1": pred}, gold)
    assert (report.entities["Enterprise"].tp, report.entities["Enterprise"].fp) == (2, 1)
    assert report.entity_micro.fp == 1
    assert report.entity_micro.fn == 0


def test_facts_on_a_duplicate_entity_are_false_positives():
    gold = _gold()
    pred = _renamed(gold["d1"])
    # Same names as E1 but the id sorts after it, so it is the one left unaligned.
    pred["entities"].append({"id": "zz_dup", "type": "Enterprise", "names": ["西继迅达"]})
    pred["facts"].append({"rel": "hosts", "s": "pred_Z1", "o": "zz_dup"})
    report = score({"d1": pred}, gold)
    assert (report.facts["hosts"].tp, report.facts["hosts"].fp) == (2, 1)


def test_duplicate_without_facts_does_not_steal_the_alignment():
    # "a_dup" sorts before "pred_E2"; id order alone would align the bare
    # duplicate and turn E2's two correct facts into false positives.
    gold = _gold()
    pred = _renamed(gold["d1"])
    pred["entities"].append({"id": "a_dup", "type": "Enterprise", "names": ["许继集团"]})
    report = score({"d1": pred}, gold)
    assert report.entities["Enterprise"].fp == 1
    assert (report.fact_micro.tp, report.fact_micro.fp) == (7, 0)


def test_entities_match_only_within_the_same_type():
    gold = {"d1": _doc([("E1", "Enterprise", ["电梯产业园"])], [])}
    pred = {"d1": _doc([("x", "Park", ["电梯产业园"])], [])}
    report = score(pred, gold)
    assert report.entities["Park"].fp == 1
    assert report.entities["Enterprise"].fn == 1
    assert report.entity_micro.tp == 0


def test_alignment_is_one_to_one_and_maximal():
    # "a" could take either gold entity; a greedy first pick of G1 for "a" would
    # leave "b" unmatched. The matching must find both pairs.
    gold = {"d1": _doc([("G1", "Enterprise", ["许继电气股份"]),
                        ("G2", "Enterprise", ["许继电气集团"])], [])}
    pred = {"d1": _doc([("a", "Enterprise", ["许继电气股份", "许继电气集团"]),
                        ("b", "Enterprise", ["许继电气股份"])], [])}
    report = score(pred, gold)
    assert (report.entity_micro.tp, report.entity_micro.fp, report.entity_micro.fn) == (2, 0, 0)


# ------------------------------------------------------------------ name matching


def test_four_char_name_inside_seven_char_gold_name_matches():
    assert names_match("西继迅达", "西继迅达电梯厂")
    gold = {"d1": _doc([("E1", "Enterprise", ["西继迅达电梯厂"])], [])}
    pred = {"d1": _doc([("x", "Enterprise", ["西继迅达"])], [])}
    assert score(pred, gold).entity_micro.tp == 1


def test_three_char_name_inside_gold_name_does_not_match():
    assert not names_match("许继集", "许继集团")
    gold = {"d1": _doc([("E1", "Enterprise", ["许继集团"])], [])}
    pred = {"d1": _doc([("x", "Enterprise", ["许继集"])], [])}
    report = score(pred, gold)
    assert (report.entity_micro.tp, report.entity_micro.fp, report.entity_micro.fn) == (0, 1, 1)


def test_contained_name_must_be_at_least_half_the_longer():
    assert names_match("西继迅达", "西继迅达电梯有限")  # 4 of 8
    assert not names_match("西继迅达", "西继迅达电梯有限公")  # 4 of 9


def test_equal_short_names_match():
    assert names_match("许昌", "许昌")
    assert not names_match("许昌", "许昌市")


def test_project_suffix_is_ignored():
    assert normalize_name("研发设备总装项目") == "研发设备总装"
    assert names_match("研发设备总装", "研发设备总装项目")
    # Only one trailing suffix goes.
    assert normalize_name("项目项目") == "项目"


def test_full_and_half_width_punctuation_and_spaces_are_ignored():
    assert names_match("河南(许昌)电梯产业园", "河南（许昌）电梯产业园")
    assert names_match("《许昌·电梯》产业园", "许昌 电梯 产业园")
    assert names_match("“卫龙”食品", '"卫龙"食品')
    assert normalize_name("ＡＢＣ　产业园") == "ABC产业园"


def test_names_that_normalise_to_nothing_never_match():
    assert not names_match("项目", "项目")
    assert not names_match("（）", "()")


# ------------------------------------------------------------------ amounts


@pytest.mark.parametrize("amount, expected_tp", [
    (300_000_000 * 1.004, 1),
    (300_000_000 * 0.996, 1),
    (300_000_000 * 1.006, 0),
    (300_000_000 * 0.994, 0),
])
def test_invests_amount_tolerance(amount, expected_tp):
    gold = _gold()
    pred = _renamed(gold["d1"])
    for f in pred["facts"]:
        if f["rel"] == "invests":
            f["amount_cny"] = amount
    c = score({"d1": pred}, gold).facts["invests"]
    assert c.tp == expected_tp
    assert c.fp == 1 - expected_tp and c.fn == 1 - expected_tp


def test_two_close_amounts_for_one_project_match_one_gold_fact_each():
    gold = {"d1": _doc([("P1", "Project", ["研发设备总装项目"])], [
        {"rel": "invests", "s": "P1", "amount_cny": 100_000_000},
        {"rel": "invests", "s": "P1", "amount_cny": 100_600_000},
    ])}
    pred = {"d1": _doc([("p", "Project", ["研发设备总装项目"])], [
        {"rel": "invests", "s": "p", "amount_cny": 100_300_000},  # fits both
        {"rel": "invests", "s": "p", "amount_cny": 100_000_000},  # fits only the first
    ])}
    c = score(pred, gold).facts["invests"]
    assert (c.tp, c.fp, c.fn) == (2, 0, 0)


# ------------------------------------------------------------------ fact counting


def test_duplicate_predicted_facts_count_once():
    gold = _gold()
    pred = _renamed(gold["d1"])
    pred["facts"] += [dict(f) for f in pred["facts"]]
    report = score({"d1": pred}, gold)
    assert report.fact_micro.fp == 0 and report.fact_micro.tp == 7


def test_facts_between_aliases_of_one_entity_are_deduplicated():
    # "hosts Z→E1" stated once via the full name and once via the short name.
    gold = _gold()
    pred = _renamed(gold["d1"])
    pred["facts"].append({"rel": "hosts", "s": "pred_Z1", "o": "pred_E1"})
    report = score({"d1": pred}, gold)
    assert (report.facts["hosts"].tp, report.facts["hosts"].fp) == (2, 0)


def test_wrong_direction_fact_is_fp_and_fn():
    gold = _gold()
    pred = _renamed(gold["d1"])
    pred["facts"] = [f for f in pred["facts"] if f["rel"] != "operatedBy"]
    pred["facts"].append({"rel": "operatedBy", "s": "pred_P1", "o": "pred_E1"})
    c = score({"d1": pred}, gold).facts["operatedBy"]
    assert (c.tp, c.fp, c.fn) == (0, 1, 1)


def test_hosts_with_park_subject_is_not_scored():
    gold = _gold()
    pred = _renamed(gold["d1"])
    pred["facts"].append({"rel": "hosts", "s": "pred_PK1", "o": "pred_E1"})
    report = score({"d1": pred}, gold)
    assert report.facts["hosts"].fp == 0
    assert report.fact_micro.fp == 0

    # Same on the gold side: a Park-level hosts in gold is not a miss.
    gold["d1"]["facts"].append({"rel": "hosts", "s": "PK1", "o": "E2"})
    report = score({"d1": _renamed(_gold()["d1"])}, gold)
    assert report.facts["hosts"].fn == 0


@pytest.mark.parametrize("rel, obj_type", [
    ("hasPark", "Park"), ("hasChain", "IndustryChain"), ("hasCluster", "IndustryCluster"),
])
def test_zone_level_relations_with_non_zone_subject_are_not_scored(rel, obj_type):
    gold = {"d1": _doc([("PK1", "Park", ["电梯产业园"]), ("X", obj_type, ["电梯产业子项"])], [])}
    pred = {"d1": _doc([("pk", "Park", ["电梯产业园"]), ("x", obj_type, ["电梯产业子项"])],
                       [{"rel": rel, "s": "pk", "o": "x"}])}
    assert rel not in score(pred, gold).facts


def test_located_in_project_to_park_is_not_scored():
    gold = _gold()
    pred = _renamed(gold["d1"])
    pred["facts"].append({"rel": "locatedIn", "s": "pred_P1", "o": "pred_PK1"})
    report = score({"d1": pred}, gold)
    assert report.facts["locatedIn"].fp == 0

    gold["d1"]["facts"].append({"rel": "locatedIn", "s": "P1", "o": "PK1"})
    report = score({"d1": _renamed(_gold()["d1"])}, gold)
    assert report.facts["locatedIn"].fn == 0


def test_located_in_zone_to_place_wrong_place_counts():
    gold = _gold()
    pred = _renamed(gold["d1"])
    pred["entities"].append({"id": "hn", "type": "Place", "names": ["河南"]})
    pred["facts"].append({"rel": "locatedIn", "s": "pred_Z1", "o": "hn"})
    report = score({"d1": pred}, gold)
    assert report.facts["locatedIn"].fp == 1


def test_prediction_with_unknown_ids_is_skipped_and_counted_invalid():
    gold = _gold()
    pred = _renamed(gold["d1"])
    pred["facts"].append({"rel": "hosts", "s": "pred_Z1", "o": "nobody"})
    pred["facts"].append({"rel": "invests", "s": "ghost", "amount_cny": 5})
    report = score({"d1": pred}, gold)
    assert report.invalid == 2
    assert report.fact_micro.fp == 0


def test_gold_with_unknown_ids_is_an_error():
    gold = _gold()
    gold["d1"]["facts"].append({"rel": "hosts", "s": "Z1", "o": "nobody"})
    with pytest.raises(ValueError, match="nobody"):
        score({}, gold)


# ------------------------------------------------------------------ documents


def test_gold_doc_without_prediction_counts_everything_as_fn():
    gold = _gold()
    gold["d2"] = _doc([("Z9", "Zone", ["中原电气谷"])], [], doc="d2")
    report = score({"d1": _renamed(gold["d1"])}, gold)
    assert report.entity_micro.fn == 1 and report.entity_micro.tp == 6
    assert report.entities["Zone"].fn == 1
    assert report.fact_micro.fn == 0

    report = score({}, gold)
    assert (report.entity_micro.tp, report.entity_micro.fn) == (0, 7)
    assert report.fact_micro.fn == 7
    assert report.entity_micro.precision == 0.0


def test_predicted_doc_without_gold_is_unscored():
    gold = _gold()
    pred = {"d1": _renamed(gold["d1"]),
            "extra": _doc([("x", "Zone", ["郑州航空港"])], [], doc="extra")}
    report = score(pred, gold)
    assert report.unscored == ["extra"]
    assert report.documents == ["d1"]
    assert report.entity_micro.fp == 0


# ------------------------------------------------------------------ load_gold


def test_load_gold_keys_by_doc_with_stem_fallback(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(_doc([], [], doc="named")), "utf-8")
    nodoc = _doc([], [])
    del nodoc["doc"]
    (tmp_path / "stem_only.json").write_text(json.dumps(nodoc), "utf-8")
    (tmp_path / "notes.md").write_text("ignored", "utf-8")
    assert sorted(load_gold(tmp_path)) == ["named", "stem_only"]


def test_load_gold_malformed_json_names_the_file(tmp_path):
    (tmp_path / "broken.json").write_text("{not json", "utf-8")
    with pytest.raises(ValueError, match="broken.json"):
        load_gold(tmp_path)


@pytest.mark.parametrize("mutate", [
    lambda d: d.pop("entities"),
    lambda d: d.pop("facts"),
    lambda d: d["entities"][0].pop("names"),
    lambda d: d["entities"][0].pop("type"),
    lambda d: d["facts"][0].pop("rel"),
    lambda d: d["facts"][0].pop("o"),
    lambda d: d["facts"][-1].pop("amount_cny"),
])
def test_load_gold_missing_keys_names_the_file(tmp_path, mutate):
    data = copy.deepcopy(GOLD)
    mutate(data)
    (tmp_path / "bad_one.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    with pytest.raises(ValueError, match="bad_one.json"):
        load_gold(tmp_path)


# ------------------------------------------------------------------ report output


def test_to_dict_is_json_friendly_and_render_prints_both_tables():
    gold = _gold()
    pred = _renamed(gold["d1"])
    pred["entities"].append({"id": "dup", "type": "Enterprise", "names": ["许继集团"]})
    report = score({"d1": pred}, gold)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["entities"]["Enterprise"] == {
        "tp": 2, "fp": 1, "fn": 0,
        "precision": pytest.approx(2 / 3), "recall": 1.0, "f1": pytest.approx(0.8),
    }
    assert data["facts_micro"]["f1"] == 1.0

    buf = io.StringIO()
    report.render(Console(file=buf, width=120, color_system=None))
    out = buf.getvalue()
    assert "Entities" in out and "Facts" in out
    assert out.count("micro") == 2
    assert "0.667" in out and "0.800" in out


def test_empty_report_has_zero_scores():
    report = EvalReport()
    assert report.entity_micro.precision == 0.0
    assert report.fact_micro.f1 == 0.0


# ------------------------------------------------------------------ order invariance


def _noisy_prediction(draw, gold_doc):
    """A deliberately imperfect prediction: some entities dropped, some
    duplicated with facts hung on the duplicate, some facts dropped or bent."""
    pred = _renamed(gold_doc)
    ents = [e for e in pred["entities"] if draw(st.integers(0, 4))]
    kept = {e["id"] for e in ents}
    dups = []
    for e in ents:
        if draw(st.integers(0, 3)) == 0:
            dup_id = draw(st.sampled_from(["", "zz_"])) + "dup_" + e["id"]
            dups.append(dict(e, id=dup_id))
    ents += dups
    dup_of = {d["id"][d["id"].index("dup_") + 4:]: d["id"] for d in dups}
    facts = []
    for f in pred["facts"]:
        if f["s"] not in kept or f.get("o", f["s"]) not in kept or not draw(st.integers(0, 4)):
            continue
        f = dict(f)
        if "o" in f and f["o"] in dup_of and draw(st.booleans()):
            f["o"] = dup_of[f["o"]]
        if "amount_cny" in f and draw(st.booleans()):
            f["amount_cny"] = f["amount_cny"] * draw(st.sampled_from([1.003, 0.997, 1.01]))
        facts.append(f)
        if draw(st.integers(0, 4)) == 0:
            facts.append(dict(f))
    pred["entities"], pred["facts"] = ents, facts
    return pred


@st.composite
def _prediction_and_shuffle(draw):
    gold = load_gold(GOLD_DIR)
    key = draw(st.sampled_from(sorted(gold)))
    pred = _noisy_prediction(draw, gold[key])
    shuffled = dict(pred,
                    entities=draw(st.permutations(pred["entities"])),
                    facts=draw(st.permutations(pred["facts"])))
    return {key: gold[key]}, pred, shuffled


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_prediction_and_shuffle())
def test_shuffling_predicted_order_never_changes_the_report(case):
    gold, pred, shuffled = case
    key = next(iter(gold))
    assert score({key: pred}, gold).to_dict() == score({key: shuffled}, gold).to_dict()
