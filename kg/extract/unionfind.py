"""Disjoint sets with a say in which member represents a set.

Alias resolution needs the representative to be the canonical spelling (the
defined name, the longer name, the common spelling of an OCR variant), and the
graph build needs it to be independent of input order; networkx's UnionFind picks
by set size, so zonekg keeps this small one.
"""
from __future__ import annotations

from typing import Callable, Generic, Hashable, TypeVar

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    def __init__(self, rank: Callable[[T], object] | None = None) -> None:
        # Without a preference, the member with the smallest rank represents the set.
        self.parent: dict[T, T] = {}
        self.rank = rank or (lambda x: x)

    def find(self, x: T) -> T:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: T, b: T, prefer: T | None = None) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        keep = self.find(prefer) if prefer is not None else min(ra, rb, key=self.rank)
        self.parent[rb if keep == ra else ra] = keep
