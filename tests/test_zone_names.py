"""Zone names qualified with the article's city."""
from __future__ import annotations

from kg.extract.extraction import extract_article


def test_a_zone_named_after_the_city_is_qualified_once() -> None:
    # Regression: every later mention used to prefix the city again (许昌许昌…).
    text = "漯河市加快发展。市城乡一体化示范区成立于2010年。市城乡一体化示范区引进项目。市城乡一体化示范区发展迅速。"
    x = extract_article("t", text)
    zones = [e.names for e in x.entities if e.type == "Zone"]
    assert zones == [("漯河市城乡一体化示范区", "市城乡一体化示范区")]
