"""``kg export``: the built graph in the formats other tools read.

Every exporter reads the quads of a built graph (``out/graph.trig`` by default, or a
``graph.ttl``) and writes deterministic output: rows, nodes, edges and triples are
sorted, and nothing depends on the clock or on the machine, so the same graph always
gives byte-identical files. Files are written atomically (:func:`kg.graph.output.atomic_write`):
a reader sees the previous file or the new one, never half.

Formats (see ``docs/exports.md``):

- RDF: ``turtle`` and ``ntriples`` (the merged facts: the default graph), ``nquads``
  and ``trig`` (everything, with the per-article provenance graphs), ``jsonld`` (the
  same as JSON-LD with a ``@context`` that maps the ontology to short keys);
- graphs for Gephi and friends: ``graphml`` and ``gexf`` (networkx): one node per
  entity with its label and type, one edge per relation named by the relation;
  a project's investment is an attribute of the project node;
- ``neo4j``: a directory of CSV node and relationship files with the header
  conventions of ``neo4j-admin database import``;
- ``csv``: a directory of plain tables for spreadsheet users (enterprises, projects,
  zones), UTF-8 with a byte-order mark so that Excel reads the Chinese correctly.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from kg.export.facts import read_facts
from kg.export.networks import to_gexf, to_graphml
from kg.export.rdf import (
    to_jsonld,
    to_rdf,
)
from kg.export.source import ExportError, Source
from kg.export.tables import to_neo4j, to_spreadsheet_csv

FILE_FORMATS: dict[str, str] = {  # format -> file suffix
    "turtle": ".ttl",
    "ntriples": ".nt",
    "nquads": ".nq",
    "trig": ".trig",
    "jsonld": ".jsonld",
    "graphml": ".graphml",
    "gexf": ".gexf",
}
DIR_FORMATS = ("neo4j", "csv")
FORMATS = (*FILE_FORMATS, *DIR_FORMATS)
# Formats that carry the per-document provenance graphs (unless provenance=False).
DATASET_FORMATS = ("nquads", "trig", "jsonld")


# --------------------------------------------------------------------------
# Entry point


def render(source: Source, fmt: str, *, provenance: bool = True) -> bytes | dict[str, bytes]:
    """The export as bytes (file formats) or as {file name: bytes} (neo4j, csv)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if not provenance:
        source = source.without_provenance()
    if fmt in ("turtle", "ntriples", "nquads", "trig"):
        return to_rdf(source, fmt)
    if fmt == "jsonld":
        return to_jsonld(source)
    facts = read_facts(source)
    if fmt == "graphml":
        return to_graphml(facts)
    if fmt == "gexf":
        return to_gexf(facts)
    if fmt == "neo4j":
        return to_neo4j(facts)
    return to_spreadsheet_csv(facts)


def default_output(fmt: str, graph: Path) -> Path:
    """``out/export/graph.<ext>`` for a file format, ``out/export/<format>/`` for a directory one."""
    base = Path(graph).parent / "export"
    return base / fmt if fmt in DIR_FORMATS else base / f"graph{FILE_FORMATS[fmt]}"


def describe(source: Source, fmt: str, provenance: bool = True) -> str:
    if fmt in ("turtle", "ntriples") or (fmt in DATASET_FORMATS and not provenance):
        return f"{source.default_count} triples"
    if fmt in DATASET_FORMATS:
        return f"{len(source.quads)} quads in {len(source.named_graphs) + 1} graphs"
    facts = read_facts(source)
    if fmt in ("graphml", "gexf", "neo4j"):
        return f"{len(facts.entities)} entities, {len(facts.relations)} relations"
    counts = Counter(e.type for e in facts.entities.values())
    return f"{counts['Enterprise']} enterprises, {counts['Project']} projects, {counts['Zone']} zones"


def export(source: Source, fmt: str, out: Path, *, provenance: bool = True) -> list[Path]:
    """Write the export to ``out`` (a file, or a directory for neo4j/csv), atomically
    file by file. Returns the paths written."""
    from kg.graph.output import atomic_write

    data = render(source, fmt, provenance=provenance)
    out = Path(out)
    if isinstance(data, bytes):
        if out.is_dir():
            raise ExportError(f"{out} is a directory; give a file name for --format {fmt}")
        atomic_write(out, data)
        return [out]
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} exists and is not a directory; --format {fmt} writes a directory of CSV files")
    paths = []
    for name, content in data.items():
        atomic_write(out / name, content)
        paths.append(out / name)
    return paths
