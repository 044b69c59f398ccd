"""Paragraphs and sentences."""
from __future__ import annotations

import re

from kg.extract.document import Doc, Sentence
from kg.extract.pipeline import SEGMENT, component

# A sentence ends at these marks (kept with the sentence) or at a line break.
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")


@component("sentences", SEGMENT)
def split_sentences(doc: Doc) -> None:
    text = doc.text
    paragraph = 0
    para_start = None
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            # A blank line closes the paragraph; paragraph scope matters for which
            # zone a sentence is about.
            if para_start is not None:
                doc.paragraphs.append((para_start, start))
                paragraph += 1
                para_start = None
            continue
        if para_start is None:
            para_start = start
        for m in _SENTENCE.finditer(line):
            if m.group().strip():
                doc.sentences.append(Sentence(len(doc.sentences), start + m.start(), start + m.end(), paragraph))
    if para_start is not None:
        doc.paragraphs.append((para_start, len(text)))
