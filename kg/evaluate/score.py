"""Score an extracted knowledge graph against the hand-made gold annotations.

Both sides use the gold file shape described in ``seeds/gold/GUIDELINES.md``::

    {"doc": ..., "entities": [{"id", "type", "names"}],
     "facts": [{"rel", "s", "o"} | {"rel": "invests", "s", "amount_cny"}]}

Entity ids are only meaningful inside one document and differ between the two
sides, so entities are first aligned by name (per document and type, one-to-one),
and facts are then compared through that alignment.
"""
from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable, Sequence

from kg.ingest.normalize import PINYIN_GLOSS

ENTITY_TYPES = (
    "Zone",
    "Park",
    "Enterprise",
    "Project",
    "IndustryChain",
    "IndustryCluster",
    "Place",
)
RELATIONS = (
    "hosts",
    "hasPark",
    "hasChain",
    "hasCluster",
    "locatedIn",
    "operatedBy",
    "invests",
)

# The guidelines put these relations at zone level only; a Park-level "hosts"
# is a legitimate reading of the text that the gold simply does not record, so
# it must neither earn nor cost points.
_ZONE_SUBJECT_RELS = frozenset({"hosts", "hasPark", "hasChain", "hasCluster"})
_LOCATED_IN_OBJECT_TYPES = frozenset({"Zone", "Place"})

AMOUNT_TOLERANCE = 0.005
_MIN_CONTAINED_LEN = 4
_PROJECT_SUFFIX = "项目"


# --------------------------------------------------------------------------- names


@lru_cache(maxsize=1)
def _to_simplified() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("t2s").convert


def normalize_name(name: str) -> str:
    """NFKC, traditional characters as simplified, no pinyin glosses (產(chǎn)), drop
    whitespace/punctuation/symbols, drop one trailing 项目.

    The dev gold keeps each article's own script (經濟開發區), while an extractor may
    give either spelling: both compare alike."""
    text = _to_simplified()(PINYIN_GLOSS.sub("", unicodedata.normalize("NFKC", name)))
    # Cc/Cf are included because invisible characters (zero-width spaces, BOMs)
    # leak out of scraped pages and would otherwise break equality silently.
    kept = [
        ch
        for ch in text
        if not ch.isspace() and unicodedata.category(ch)[0] not in "PSZ"
        and unicodedata.category(ch) not in ("Cc", "Cf")
    ]
    out = "".join(kept)
    if out.endswith(_PROJECT_SUFFIX):
        out = out[: -len(_PROJECT_SUFFIX)]
    return out


def _normalized_match(a: str, b: str) -> int:
    """0 = no match, 1 = containment match, 2 = equal (on normalised names)."""
    if not a or not b:
        # An empty key (a name that was only punctuation, or just "项目") would
        # otherwise equal every other empty key.
        return 0
    if a == b:
        return 2
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if (
        len(short) >= _MIN_CONTAINED_LEN
        and 2 * len(short) >= len(long_)
        and short in long_
    ):
        return 1
    return 0


def names_match(predicted: str, gold: str) -> bool:
    """Whether two surface names denote the same thing under the scoring rules."""
    return _normalized_match(normalize_name(predicted), normalize_name(gold)) > 0


# -------------------------------------------------------------------------- report


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        denom = self.tp + self.fp
        return self.tp / denom if denom else 0.0

    @property
    def recall(self) -> float:
        denom = self.tp + self.fn
        return self.tp / denom if denom else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def _ordered(keys: Iterable[str], canonical: Sequence[str]) -> list[str]:
    keys = set(keys)
    known = [k for k in canonical if k in keys]
    return known + sorted(keys - set(canonical))


@dataclass
class EvalReport:
    """Counts per entity type and per relation, summed over the scored documents.

    A row exists only for a type/relation that occurs on at least one side after
    the scope filter, so a perfect prediction reads 1.0 on every row.
    """

    entities: dict[str, Counts] = field(default_factory=dict)
    facts: dict[str, Counts] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)
    # Predicted documents that have no gold file and were therefore not scored.
    unscored: list[str] = field(default_factory=list)
    # Predicted facts skipped because they reference ids absent from their doc.
    invalid: int = 0
    # Per document: what was predicted wrongly (fp) and what was missed (fn), entities
    # and facts, with names instead of ids and the evidence where there is one.
    errors: dict[str, dict[str, list[dict]]] = field(default_factory=dict)

    @property
    def entity_micro(self) -> Counts:
        return sum(self.entities.values(), Counts())

    @property
    def fact_micro(self) -> Counts:
        return sum(self.facts.values(), Counts())

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": list(self.documents),
            "unscored": list(self.unscored),
            "invalid": self.invalid,
            "entities": {
                k: self.entities[k].to_dict()
                for k in _ordered(self.entities, ENTITY_TYPES)
            },
            "entities_micro": self.entity_micro.to_dict(),
            "facts": {
                k: self.facts[k].to_dict() for k in _ordered(self.facts, RELATIONS)
            },
            "facts_micro": self.fact_micro.to_dict(),
            "errors": {doc: self.errors[doc] for doc in sorted(self.errors)},
        }

    def render_errors(self, console: Any) -> None:
        """Print every false positive and false negative, per document."""
        from rich.markup import escape

        for doc in sorted(self.errors):
            err = self.errors[doc]
            if not any(err.values()):
                continue
            console.print(f"[bold]{escape(doc)}[/bold]")
            for kind in ("entity_fp", "entity_fn"):
                for e in err[kind]:
                    mark = "FP" if kind.endswith("fp") else "FN"
                    console.print(f"  {mark} {e['type']:<15} {escape(' | '.join(e['names']))}", highlight=False)
            for kind in ("fact_fp", "fact_fn"):
                for f in err[kind]:
                    mark = "FP" if kind.endswith("fp") else "FN"
                    line = f"  {mark} {f['rel']:<11} {f['s']} → {f['o']}"
                    if f.get("evidence"):
                        line += f"  «{f['evidence']}»"
                    console.print(escape(line), highlight=False)

    def render(self, console: Any) -> None:
        """Print the entity table and the fact table on a rich console."""
        from rich.table import Table

        def table(title: str, label: str, rows: dict[str, Counts], order, micro: Counts):
            t = Table(title=title)
            t.add_column(label)
            for col in ("TP", "FP", "FN"):
                t.add_column(col, justify="right")
            for col in ("P", "R", "F1"):
                t.add_column(col, justify="right")

            def add(name: str, c: Counts, **kw: Any) -> None:
                t.add_row(
                    name, str(c.tp), str(c.fp), str(c.fn),
                    f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", **kw,
                )

            keys = _ordered(rows, order)
            for i, k in enumerate(keys):
                add(k, rows[k], end_section=(i == len(keys) - 1))
            add("micro", micro, style="bold")
            return t

        console.print(
            table("Entities", "type", self.entities, ENTITY_TYPES, self.entity_micro)
        )
        console.print(table("Facts", "relation", self.facts, RELATIONS, self.fact_micro))
        notes = [f"{len(self.documents)} document(s) scored"]
        if self.unscored:
            notes.append(f"{len(self.unscored)} predicted document(s) without gold")
        if self.invalid:
            notes.append(f"{self.invalid} invalid predicted fact(s) skipped")
        console.print(", ".join(notes))


# ---------------------------------------------------------------------- validation


def _check_doc(doc: Any, where: str) -> None:
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


def _fact_problem(fact: dict, ids: set[str]) -> str | None:
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


def _check_gold(doc: Any, where: str) -> None:
    _check_doc(doc, where)
    ids = {e["id"] for e in doc["entities"]}
    for i, fact in enumerate(doc["facts"]):
        problem = _fact_problem(fact, ids)
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
        _check_gold(data, str(path))
        key = data.get("doc") or path.stem
        if not isinstance(key, str):
            raise ValueError(f"{path}: 'doc' must be a string")
        if key in out:
            raise ValueError(f"{path}: doc {key!r} already defined by {origin[key]}")
        out[key] = data
        origin[key] = path
    return out


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
                    (_normalized_match(a, b) for a in pkeys for b in gold_keys[g["id"]]),
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
        if _fact_problem(f, pred_ids):
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
        _check_gold(gold[key], f"gold document {key!r}")
    for key in sorted(predicted):
        if key in gold:
            _check_doc(predicted[key], f"predicted document {key!r}")
        else:
            report.unscored.append(key)
    for key in sorted(gold):
        _score_doc(predicted.get(key), gold[key], report, key)
        report.documents.append(key)
    return report
