"""What ``kg serve`` knows about the build it serves, and ``kg serve --pin``.

By default a server follows builds: its :class:`kg.query.engine.Engine` notices that
``out/store`` (or ``out/graph.trig``) resolves to a new generation and reopens it
before the next query, while a query in flight finishes on the old one (see
:mod:`kg.graph.generations`). ``--pin`` fixes the source to the generation current at
start instead, and marks that generation so later builds do not remove it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.graph.generations import build_info, generation_of
from kg.query.engine import GraphSource, check_store


def served_build(engine) -> dict | None:
    """:func:`kg.graph.generations.build_info` of what a ``kg serve`` engine queries now
    (None for a remote endpoint or a graph outside any generation)."""
    source = getattr(engine, "source", None)
    return build_info(source.path) if source is not None else None


@dataclass(frozen=True)
class PinnedSource(GraphSource):
    """A graph source that stays on the store or file it was resolved to, keeping the
    views directory and the name of the output directory it came from."""

    views: Path = Path(".")
    shown: str = ""

    def stamp(self) -> tuple:
        return ("pinned", str(self.path))

    @property
    def name(self) -> str:
        return self.shown

    @property
    def views_dir(self) -> Path:
        return self.views


def pin_source(source: GraphSource) -> tuple[GraphSource, Path | None]:
    """``source`` fixed to the store or file it stands for now, and the generation
    that holds it (None: not in a generation, then nothing keeps it from changing)."""
    gen = generation_of(source.path)
    resolved = check_store(source.path) if source.kind == "store" else source.path.resolve()
    return PinnedSource(source.kind, resolved, source.views_dir, f"{source.name} (pinned)"), gen
