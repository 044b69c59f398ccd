"""The shared document object every pipeline component reads and extends.

Components add to it in order: sentences, entity mentions, aliases, facts.
Offsets are indices into ``Doc.text`` (the normalised text); ``Doc.source_offset``
maps them back to the decoded source file for evidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from kg.ingest.normalize import Normalized

ENTITY_TYPES = ("Zone", "Park", "Enterprise", "Project", "IndustryChain", "IndustryCluster", "Place")

Key = tuple[str, str]  # (entity type, name): how a mention names an entity before resolution


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Mention:
    type: str
    start: int
    end: int
    name: str  # the canonical spelling of this surface (spaces removed, 产业园区 → 产业园 ...)
    rule: str  # which recogniser produced it, for debugging and tests

    @property
    def key(self) -> Key:
        return (self.type, self.name)


@dataclass(frozen=True)
class Fact:
    rel: str
    subject: Key
    object: Key | None  # None for invests, which carries amount_cny instead
    sentence: int
    amount_cny: int | None = None
    rule: str = ""


@dataclass
class Doc:
    doc_id: str
    norm: Normalized
    sentences: list[Sentence] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    # alias (type, name) -> the (type, name) it stands for; filled by alias resolution
    alias_of: dict[Key, Key] = field(default_factory=dict)
    home_zone: Key | None = None
    # Bare references to the article's own zone (开发区, 经开区 ...): (start, end)
    home_refs: list[tuple[int, int]] = field(default_factory=list)
    # The zone a bare reference stands for when the article names one of its kind
    # (示范区 → 东川示范区); other bare references mean the home zone.
    ref_zone: dict[tuple[int, int], Key] = field(default_factory=dict)
    # Spans whose type a list context has decided (…等项目 → Project): (start, end) -> type.
    # Later recognisers do not give such a span another type.
    claimed: dict[tuple[int, int], str] = field(default_factory=dict)
    # Place key -> its division's GB/T 2260 code, "" when the name is ambiguous (kg/extract/divisions.py)
    place_codes: dict[Key, str] = field(default_factory=dict)
    _tokens: dict[int, list[tuple[int, int]]] = field(default_factory=dict, repr=False)
    _sentence_starts: list[int] = field(default_factory=list, repr=False)

    @property
    def text(self) -> str:
        return self.norm.text

    # -- sentences and tokens -------------------------------------------------
    def sentence_at(self, pos: int) -> Sentence:
        import bisect

        if len(self._sentence_starts) != len(self.sentences):
            self._sentence_starts = [s.start for s in self.sentences]
        i = bisect.bisect_right(self._sentence_starts, pos) - 1
        return self.sentences[max(i, 0)]

    def clause_start(self, pos: int, marks: str = "，,；;") -> int:
        """Where the clause holding ``pos`` starts: after the last of ``marks`` before it in
        its sentence, or at the sentence's start."""
        sent = self.sentence_at(pos)
        return max([sent.start] + [self.text.rfind(c, sent.start, pos) + 1 for c in marks])

    def clause_end(self, pos: int, marks: str = "，,；;。") -> int:
        """Where the clause holding ``pos`` ends: at the first of ``marks`` from ``pos`` on in
        its sentence, or at the sentence's end."""
        sent = self.sentence_at(pos)
        return min([sent.end] + [i for i in (self.text.find(c, pos, sent.end) for c in marks) if i >= 0])

    def sentence_text(self, sent: Sentence) -> str:
        return self.text[sent.start : sent.end]

    def tokens(self, sent: Sentence) -> list[tuple[int, int]]:
        """jieba tokens of one sentence as document offsets, segmented on first use.

        Only sentences where a recogniser found a trigger are ever segmented, which
        keeps the build well ahead of segmenting the whole corpus.
        """
        toks = self._tokens.get(sent.index)
        if toks is None:
            from kg.extract.lexicon import segment

            toks = []
            pos = sent.start
            for word in segment(self.sentence_text(sent)):
                toks.append((pos, pos + len(word)))
                pos += len(word)
            self._tokens[sent.index] = toks
        return toks

    # -- mentions -------------------------------------------------------------
    def add_mention(self, type_: str, start: int, end: int, name: str | None = None, rule: str = "") -> Mention:
        assert type_ in ENTITY_TYPES, type_
        m = Mention(type_, start, end, name if name is not None else self.text[start:end], rule)
        self.mentions.append(m)
        return m

    def mentions_of(self, *types: str) -> Iterator[Mention]:
        return (m for m in self.mentions if m.type in types)

    def resolve(self, key: Key) -> Key:
        seen = set()
        while key in self.alias_of and key not in seen:
            seen.add(key)
            key = self.alias_of[key]
        return key

    def add_fact(self, rel: str, subject: Key, obj: Key | None, sentence: int, amount_cny: int | None = None, rule: str = "") -> None:
        self.facts.append(Fact(rel, subject, obj, sentence, amount_cny, rule))
