"""Score an extracted knowledge graph against the hand-made gold annotations.

Both sides use the gold file shape described in ``seeds/gold/GUIDELINES.md``::

    {"doc": ..., "entities": [{"id", "type", "names"}],
     "facts": [{"rel", "s", "o"} | {"rel": "invests", "s", "amount_cny"}]}

Entity ids are only meaningful inside one document and differ between the two
sides, so entities are first aligned by name (per document and type, one-to-one),
and facts are then compared through that alignment.
"""
from __future__ import annotations

from typing import Callable, Hashable, Sequence

from kg.evaluate.gold import check_doc, check_gold, fact_problem
from kg.evaluate.names import normalize_name, normalized_match
from kg.evaluate.report import Counts, EvalReport

# The guidelines put these relations at zone level only; a Park-level "hosts"
# is a legitimate reading of the text that the gold simply does not record, so
# it must neither earn nor cost points.
_ZONE_SUBJECT_RELS = frozenset({"hosts", "hasPark", "hasChain", "hasCluster"})
_LOCATED_IN_OBJECT_TYPES = frozenset({"Zone", "Place"})

AMOUNT_TOLERANCE = 0.005


# ------------------------------------------------------------------------ matching


def _max_matching(
    left: Sequence[Hashable],
    right: Sequence[Hashable],
    edges: Callable[[Hashable], list[Hashable]],
) -> dict[Hashable, Hashable]:
    """Maximum bipartite matching (Kuhn). Returns {left: right}.

    Deterministic for a given left order and a given per-node edge order; callers
    sort both so that input order never changes the result, and put the best
    candidates first so an exact pair is kept unless keeping it costs a match.
    """
    adj = {u: edges(u) for u in left}
    owner: dict[Hashable, Hashable] = {}

    def augment(u: Hashable, visited: set) -> bool:
        for v in adj[u]:
            if v in visited:
                continue
            visited.add(v)
            if v not in owner or augment(owner[v], visited):
                owner[v] = u
                return True
        return False

    for u in left:
        augment(u, set())
    return {u: v for v, u in owner.items()}


def _align_entities(
    pred_ents: list[dict], gold_ents: list[dict], degree: dict[str, int]
) -> dict[str, str]:
    """{predicted id: gold id}, one-to-one, same type, maximising matched pairs.

    When several predicted entities compete for one gold entity, the one with
    more facts (*degree*) is served first: it is the node the builder actually
    hung its knowledge on, so aligning a bare duplicate instead would turn
    correct facts into false positives for no reason.
    """
    alignment: dict[str, str] = {}
    types = {e["type"] for e in pred_ents} & {e["type"] for e in gold_ents}
    for etype in sorted(types):
        preds = sorted(
            (e for e in pred_ents if e["type"] == etype),
            key=lambda e: (-degree.get(e["id"], 0), e["id"]),
        )
        golds = sorted((e for e in gold_ents if e["type"] == etype), key=lambda e: e["id"])
        gold_keys = {g["id"]: [normalize_name(n) for n in g["names"]] for g in golds}

        def candidates(pid: str, _pred_by_id={p["id"]: p for p in preds}) -> list[str]:
            pkeys = [normalize_name(n) for n in _pred_by_id[pid]["names"]]
            scored = []
            for g in golds:
                q = max(
                    (normalized_match(a, b) for a in pkeys for b in gold_keys[g["id"]]),
                    default=0,
                )
                if q:
                    scored.append((-q, g["id"]))
            return [gid for _, gid in sorted(scored)]

        alignment.update(_max_matching([p["id"] for p in preds], [g["id"] for g in golds], candidates))
    return alignment


def _in_scope(fact: dict, types: dict[str, str]) -> bool:
    rel = fact["rel"]
    if rel in _ZONE_SUBJECT_RELS:
        return types[fact["s"]] == "Zone"
    if rel == "locatedIn":
        return types[fact["o"]] in _LOCATED_IN_OBJECT_TYPES
    return True


def _amount_close(pred: float, gold: float) -> bool:
    return abs(pred - gold) <= AMOUNT_TOLERANCE * gold


def _score_doc(pred: dict | None, gold: dict, report: EvalReport, key: str = "") -> None:
    gold_types = {e["id"]: e["type"] for e in gold["entities"]}
    pred_ents = pred["entities"] if pred else []
    pred_types = {e["id"]: e["type"] for e in pred_ents}

    pred_facts_raw = pred["facts"] if pred else []
    degree: dict[str, int] = {}
    for f in pred_facts_raw:
        for role in ("s", "o"):
            if isinstance(f.get(role), str):
                degree[f[role]] = degree.get(f[role], 0) + 1
    alignment = _align_entities(pred_ents, gold["entities"], degree)
    for e in pred_ents:
        c = report.entities.setdefault(e["type"], Counts())
        if e["id"] in alignment:
            c.tp += 1
        else:
            c.fp += 1
    matched_gold = set(alignment.values())
    for e in gold["entities"]:
        if e["id"] not in matched_gold:
            report.entities.setdefault(e["type"], Counts()).fn += 1
    errors = report.errors.setdefault(key or gold.get("doc") or "", {
        "entity_fp": [], "entity_fn": [], "fact_fp": [], "fact_fn": []})
    errors["entity_fp"] += [{"type": e["type"], "names": list(e["names"])}
                            for e in pred_ents if e["id"] not in alignment]
    errors["entity_fn"] += [{"type": e["type"], "names": list(e["names"])}
                            for e in gold["entities"] if e["id"] not in matched_gold]
    pred_name = {e["id"]: (e["names"][0] if e["names"] else e["id"]) for e in pred_ents}
    gold_name = {e["id"]: (e["names"][0] if e["names"] else e["id"]) for e in gold["entities"]}

    # Gold facts as (rel, s, o-or-amount) in gold ids; duplicates in gold would be
    # an annotation error, but keeping them as separate items is the honest count.
    gold_evidence: dict[tuple, str] = {}
    for f in gold["facts"]:
        if _in_scope(f, gold_types):
            key = (f["rel"], f["s"], float(f["amount_cny"]) if f["rel"] == "invests" else f["o"])
            gold_evidence.setdefault(key, f.get("evidence") or "")
    gold_facts = sorted(
        (
            (f["rel"], f["s"], float(f["amount_cny"]) if f["rel"] == "invests" else f["o"])
            for f in gold["facts"]
            if _in_scope(f, gold_types)
        ),
        key=repr,
    )

    # Predicted facts re-expressed in gold ids; an unaligned entity keeps a
    # private marker so its facts can never match (and stay distinct from each other).
    pred_keys: dict[tuple, dict] = {}
    pred_ids = set(pred_types)
    for f in pred_facts_raw:
        if fact_problem(f, pred_ids):
            report.invalid += 1
            continue
        if not _in_scope(f, pred_types):
            continue
        s = alignment.get(f["s"], ("unaligned", f["s"]))
        if f["rel"] == "invests":
            o = float(f["amount_cny"])
        else:
            o = alignment.get(f["o"], ("unaligned", f["o"]))
        pred_keys.setdefault((f["rel"], s, o), f)
    pred_facts = sorted(pred_keys, key=repr)

    gold_idx = list(range(len(gold_facts)))

    def candidates(i: int) -> list[int]:
        rel, s, o = pred_facts[i]
        out = []
        for j, (grel, gs, go) in enumerate(gold_facts):
            if grel != rel or gs != s:
                continue
            if rel == "invests":
                if _amount_close(o, go):
                    out.append((abs(o - go), j))
            elif go == o:
                out.append((0.0, j))
        return [j for _, j in sorted(out)]

    # A matching (not first-come greedy) so two close amounts for one project
    # cannot steal each other's gold fact.
    matched = _max_matching(list(range(len(pred_facts))), gold_idx, candidates)
    for i, (rel, _, _) in enumerate(pred_facts):
        c = report.facts.setdefault(rel, Counts())
        if i in matched:
            c.tp += 1
        else:
            c.fp += 1
    hit = set(matched.values())
    for j, (rel, _, _) in enumerate(gold_facts):
        if j not in hit:
            report.facts.setdefault(rel, Counts()).fn += 1

    def readable(f: dict, names: dict[str, str]) -> dict:
        o = f["amount_cny"] if f["rel"] == "invests" else names.get(f["o"], f["o"])
        return {"rel": f["rel"], "s": names.get(f["s"], f["s"]), "o": o, "evidence": f.get("evidence") or ""}

    errors["fact_fp"] += [readable(pred_keys[k], pred_name) for i, k in enumerate(pred_facts) if i not in matched]
    # Listed in an order of their own, so that the input order never shows.
    for kind in ("entity_fp", "entity_fn"):
        errors[kind].sort(key=lambda e: (e["type"], e["names"]))
    for j, (rel, s, o) in enumerate(gold_facts):
        if j not in hit:
            f = {"rel": rel, "s": s, "evidence": gold_evidence.get((rel, s, o), "")}
            f["amount_cny" if rel == "invests" else "o"] = int(o) if rel == "invests" else o
            errors["fact_fn"].append(readable(f, gold_name))
    for kind in ("fact_fp", "fact_fn"):
        errors[kind].sort(key=lambda f: (f["rel"], f["s"], str(f["o"]), f["evidence"]))


def score(predicted: dict[str, dict], gold: dict[str, dict]) -> EvalReport:
    """Compare predicted documents with gold documents, paired by doc key."""
    report = EvalReport()
    for key in sorted(gold):
        check_gold(gold[key], f"gold document {key!r}")
    for key in sorted(predicted):
        if key in gold:
            check_doc(predicted[key], f"predicted document {key!r}")
        else:
            report.unscored.append(key)
    for key in sorted(gold):
        _score_doc(predicted.get(key), gold[key], report, key)
        report.documents.append(key)
    return report
