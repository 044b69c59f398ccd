"""Gold annotation files (the format of ``seeds/gold/GUIDELINES.md``), loaded and
checked, with the file and the problem named when one is malformed.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# ---------------------------------------------------------------------- validation


def check_doc(doc: Any, where: str) -> None:
    """Raise ValueError on structural problems (shape, types, duplicate ids)."""
    if not isinstance(doc, dict):
        raise ValueError(f"{where}: expected a JSON object")
    for key in ("entities", "facts"):
        if not isinstance(doc.get(key), list):
            raise ValueError(f"{where}: missing or non-list key {key!r}")
    seen: set[str] = set()
    for i, ent in enumerate(doc["entities"]):
        if not isinstance(ent, dict):
            raise ValueError(f"{where}: entities[{i}] is not an object")
        for key in ("id", "type", "names"):
            if key not in ent:
                raise ValueError(f"{where}: entities[{i}] lacks {key!r}")
        if not isinstance(ent["id"], str) or not isinstance(ent["type"], str):
            raise ValueError(f"{where}: entities[{i}] id/type must be strings")
        names = ent["names"]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError(f"{where}: entities[{i}] names must be a list of strings")
        if ent["id"] in seen:
            raise ValueError(f"{where}: duplicate entity id {ent['id']!r}")
        seen.add(ent["id"])
    for i, fact in enumerate(doc["facts"]):
        if not isinstance(fact, dict):
            raise ValueError(f"{where}: facts[{i}] is not an object")
        if not isinstance(fact.get("rel"), str) or "s" not in fact:
            raise ValueError(f"{where}: facts[{i}] lacks 'rel' or 's'")


def fact_problem(fact: dict, ids: set[str]) -> str | None:
    """Why a fact cannot be scored, or None if it can."""
    if not isinstance(fact["s"], str) or fact["s"] not in ids:
        return f"unknown subject id {fact['s']!r}"
    if fact["rel"] == "invests":
        amount = fact.get("amount_cny")
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            return "invests fact without a numeric amount_cny"
        if not amount > 0:
            return f"non-positive amount_cny {amount!r}"
        return None
    if "o" not in fact:
        return "fact lacks 'o'"
    if not isinstance(fact["o"], str) or fact["o"] not in ids:
        return f"unknown object id {fact['o']!r}"
    return None


def check_gold(doc: Any, where: str) -> None:
    check_doc(doc, where)
    ids = {e["id"] for e in doc["entities"]}
    for i, fact in enumerate(doc["facts"]):
        problem = fact_problem(fact, ids)
        if problem:
            raise ValueError(f"{where}: facts[{i}]: {problem}")


def load_gold(dir: Path) -> dict[str, dict]:
    """Every ``*.json`` in *dir*, keyed by its ``doc`` (falling back to the stem)."""
    dir = Path(dir)
    out: dict[str, dict] = {}
    origin: dict[str, Path] = {}
    for path in sorted(dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: malformed JSON: {exc}") from exc
        check_gold(data, str(path))
        key = data.get("doc") or path.stem
        if not isinstance(key, str):
            raise ValueError(f"{path}: 'doc' must be a string")
        if key in out:
            raise ValueError(f"{path}: doc {key!r} already defined by {origin[key]}")
        out[key] = data
        origin[key] = path
    return out
