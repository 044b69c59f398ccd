"""Park-level hosts: a park hosts the enterprises the text places in it."""
from __future__ import annotations

from kg.extract.extraction import extract_article


def _facts(text: str) -> set[tuple[str, str, str, str]]:
    x = extract_article("t", text)
    name = {e.local_id: (e.type, e.names[0]) for e in x.entities}
    return {(f.rel, *name[f.subject], name[f.object][1]) for f in x.facts if f.object}


def test_enterprises_in_a_sentence_that_opens_in_a_park() -> None:
    facts = _facts("郑州经济技术开发区加快发展。在经开区滨河科技园，河南裕丰电气有限公司、郑州恒远科技有限公司等企业持续扩产。")
    assert ("hosts", "Park", "滨河科技园", "河南裕丰电气有限公司") in facts
    assert ("hosts", "Park", "滨河科技园", "郑州恒远科技有限公司") in facts
    # The zone hosts them too.
    assert ("hosts", "Zone", "郑州经济技术开发区", "河南裕丰电气有限公司") in facts


def test_a_park_that_takes_in_an_enterprise_and_one_that_moves_in() -> None:
    facts = _facts("南阳高新技术产业开发区的光电产业园引进了南阳凯鑫光电有限公司。河南森霸传感科技有限公司入驻光电产业园。")
    assert ("hosts", "Park", "光电产业园", "南阳凯鑫光电有限公司") in facts
    assert ("hosts", "Park", "光电产业园", "河南森霸传感科技有限公司") in facts


def test_an_enterprise_mentioned_beside_a_park_is_not_placed_in_it() -> None:
    facts = _facts("洛阳经济技术开发区规划建设了新材料产业园，同时与洛阳钼业集团开展合作。")
    assert not any(f[0] == "hosts" and f[1] == "Park" for f in facts)

