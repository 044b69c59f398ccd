"""The extraction pipeline: small components with one job each, run in order over a Doc.

A component is a function ``(doc) -> None`` registered with :func:`component`. The
modules of :mod:`kg.extract.extractors` register themselves on import, so adding an
extractor means adding one file there. ``stage`` orders them: lower runs first.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable

from kg.extract.document import Doc
from kg.ingest.normalize import normalize

# Stages, so that a new component can say where it belongs.
SEGMENT = 10  # sentences and paragraphs
RECOGNIZE = 20  # entity mentions
RESOLVE = 40  # aliases, home zone, OCR variants
RELATE = 60  # facts between entities
CLEAN = 90  # last checks


@dataclass(frozen=True)
class Component:
    name: str
    stage: int
    func: Callable[[Doc], None]


_REGISTRY: dict[str, Component] = {}


def component(name: str, stage: int):
    def register(func: Callable[[Doc], None]) -> Callable[[Doc], None]:
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise ValueError(f"two pipeline components are named {name!r}")
        _REGISTRY[name] = Component(name, stage, func)
        return func

    return register


_imported = False


def components() -> list[Component]:
    global _imported
    if not _imported:  # once per process: listing the package for every article is slow
        import kg.extract.extractors as pkg

        for mod in pkgutil.iter_modules(pkg.__path__):
            importlib.import_module(f"{pkg.__name__}.{mod.name}")
        _imported = True
    return sorted(_REGISTRY.values(), key=lambda c: (c.stage, c.name))


def extract(doc_id: str, text: str, only: set[str] | None = None) -> Doc:
    """Run every component (or only the named ones, with their order kept) over a text."""
    doc = Doc(doc_id, normalize(text))
    for comp in components():
        if only is None or comp.name in only:
            comp.func(doc)
    return doc
