"""The corpus's extractions, each kept packed: a few kilobytes of bytes, not objects.

An :class:`kg.extract.extraction.Extraction` unpacked is thousands of small Python
objects (its entities, facts, evidence); on a corpus of thousands of articles they
come to about 9 bytes of memory for every byte of text. Packed (marshal, then zlib)
an article's extraction takes about a fifth of its text's size. The graph is built
from them one article at a time (:func:`kg.graph.build.build_graph`), so the corpus
is never unpacked whole.
"""
from __future__ import annotations

import marshal
import zlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # (kg.extract loads the tokenizer's modules: only when unpacking)
    from kg.extract.extraction import Extraction


class PackedExtraction(NamedTuple):
    """An extraction's names in the clear, its entities and facts packed."""
    doc_id: str
    file_name: str
    sha256: str
    body: bytes

    def unpack(self) -> Extraction:
        from kg.extract.extraction import Entity, Evidence, Extraction, FactRecord

        entities, facts = marshal.loads(zlib.decompress(self.body))
        return Extraction(self.doc_id, self.file_name, self.sha256,
                          [Entity(i, t, names, code) for i, t, names, code in entities],
                          [FactRecord(rel, s, o, amount, Evidence(text, start, end))
                           for rel, s, o, amount, text, start, end in facts])


def pack(x: Extraction) -> PackedExtraction:
    body = ([(e.local_id, e.type, tuple(e.names), e.code) for e in x.entities],
            [(f.rel, f.subject, f.object, f.amount_cny, f.evidence.text, f.evidence.start, f.evidence.end)
             for f in x.facts])
    # Level 1: a third of the size of the marshalled form, at a small cost in time.
    return PackedExtraction(x.doc_id, x.file_name, x.sha256, zlib.compress(marshal.dumps(body), 1))


class PackedExtractions(Sequence):
    """A list of extractions kept packed; indexing or iterating unpacks one at a time
    (each access makes new objects, equal to the ones appended)."""

    def __init__(self) -> None:
        self._items: list[PackedExtraction] = []

    def append(self, x: Extraction | PackedExtraction) -> None:
        self._items.append(x if isinstance(x, PackedExtraction) else pack(x))

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [item.unpack() for item in self._items[i]]
        return self._items[i].unpack()

    def __iter__(self) -> Iterator[Extraction]:
        for item in self._items:
            yield item.unpack()

    def packed(self) -> Sequence[PackedExtraction]:
        return self._items
