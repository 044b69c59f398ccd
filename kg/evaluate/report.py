"""An evaluation's figures: true and false positives and negatives per entity type and
relation, micro-averaged P/R/F1, and every error with its evidence (``--errors``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

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
