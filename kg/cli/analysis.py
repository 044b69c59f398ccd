"""``kg analyze`` and ``kg viz``: command functions registered on the ``kg`` app in kg/cli/__init__.py.

Both read a graph that ``kg build`` wrote (``out/graph.trig`` by default; a
``graph.ttl`` works too, without evidence sentences) and recompute the analysis,
which is deterministic (Louvain with a fixed seed), so the views always match
``analysis.ttl``/``analysis.json`` of the same graph.

Exit status: 0 success; 2 the graph cannot be read or the output cannot be written.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from kg.cli.common import fail

GraphOption = Annotated[
    Path,
    typer.Option("--graph", "-g", help="Graph written by kg build: graph.trig (with evidence) or graph.ttl."),
]


def _load(graph: Path):
    from kg.analyze.analysis import analyze_file

    if not graph.is_file():
        raise fail(f"graph not found: {graph} (run `kg build seeds/ -o out/` first)")
    try:
        return analyze_file(graph)
    except (ValueError, SyntaxError, OSError) as exc:  # pyoxigraph raises SyntaxError on bad RDF
        raise fail(f"cannot read {graph}: {' '.join(str(exc).split())}") from None


def analyze_cmd(
    graph: GraphOption = Path("out/graph.trig"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for analysis.ttl and analysis.json.")] = Path("out"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No tables; only report the files written.")] = False,
) -> None:
    """Find industrial-chain clusters and measure zones; write out/analysis.ttl and out/analysis.json."""
    from kg.analyze.analysis import render, write_outputs

    console = Console(soft_wrap=True)
    t0 = time.perf_counter()
    a = _load(graph)
    try:
        paths = write_outputs(a, out)
    except OSError as exc:
        raise fail(f"cannot write to {out}: {exc.strerror or exc}") from None
    if not quiet:
        render(a, console)
    console.print(
        f"{len(a.clusters)} clusters, {len(a.assignment)} entities with an industry; "
        f"wrote {escape(str(paths['turtle']))} and {escape(str(paths['json']))} "
        f"in {time.perf_counter() - t0:.2f} s",
        highlight=False,
    )


def viz_cmd(
    graph: GraphOption = Path("out/graph.trig"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the HTML views.")] = Path("out/views"),
) -> None:
    """Write self-contained HTML views: out/views/index.html (overview) and one page per zone."""
    from kg.analyze.views import build_views

    console = Console(soft_wrap=True)
    t0 = time.perf_counter()
    a = _load(graph)
    try:
        paths = build_views(a, out)
    except OSError as exc:
        raise fail(f"cannot write to {out}: {exc.strerror or exc}") from None
    console.print(
        f"Wrote {len(paths)} views ({len(paths) - 1} zone pages) to {escape(str(out))} "
        f"in {time.perf_counter() - t0:.2f} s; open {escape(str(paths['index']))} in a browser (works offline).",
        highlight=False,
    )
