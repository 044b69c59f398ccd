"""``kg export`` and ``kg push``: the built graph for other tools and for a triple store.

Plain functions with typer annotations; ``kg/cli/__init__.py`` registers them as commands.

Exit status of both: 0 success; 1 ``kg push`` stopped or could not be verified
(the server refused a batch, could not be reached, or holds other counts than were
sent: what was loaded is printed); 2 bad input (unknown format, missing or unreadable
graph, output that cannot be written, malformed IRI or URL).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from kg.cli.common import DEFAULT_GRAPH, canonical_format, fail, stderr, stdout

# --------------------------------------------------------------------------
# kg export


def export_cmd(
    fmt: Annotated[str, typer.Option("--format", "-f", help="turtle, ntriples, nquads, trig, jsonld, graphml, gexf, "
                                     "neo4j (a directory of CSV files for neo4j-admin import) or csv (a directory "
                                     "of tables for spreadsheets); any case, and short names such as ttl, nt, nq, json-ld.",
                                     show_default=False)],
    out: Annotated[Optional[Path], typer.Option("-o", "--out", help="Output file (a directory for neo4j and csv); "
                                                "'-' writes a file format to stdout.",
                                                show_default="out/export/graph.EXT or out/export/FORMAT/")] = None,
    graph: Annotated[Path, typer.Option("--graph", "-g", help="The built graph to export (.trig or .ttl).")] = DEFAULT_GRAPH,
    no_provenance: Annotated[bool, typer.Option("--no-provenance", help="nquads, trig, jsonld: only the merged facts "
                                                "(the default graph), without the per-article graphs.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
) -> None:
    """Export the built graph for other tools: RDF serialisations, JSON-LD, GraphML/GEXF (Gephi), Neo4j, CSV."""
    from kg.export.formats import (
        DIR_FORMATS,
        FILE_FORMATS,
        FORMATS,
        default_output,
        describe,
        export,
        render,
    )
    from kg.export.source import ExportError, load_source
    from kg.export.tables import neo4j_import_command

    fmt = canonical_format(fmt, FORMATS)
    try:
        source = load_source(graph)
    except ExportError as exc:
        raise fail(str(exc)) from None
    provenance = not no_provenance
    if out is not None and str(out) == "-":
        if fmt in DIR_FORMATS:
            raise fail(f"--format {fmt} writes a directory of files; give -o DIR")
        data = render(source, fmt, provenance=provenance)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    target = out if out is not None else default_output(fmt, graph)
    try:
        paths = export(source, fmt, target, provenance=provenance)
    except ExportError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot write {target}: {exc.strerror or exc}") from None
    if quiet:
        return
    what = describe(source, fmt, provenance)
    where = str(target) if fmt in FILE_FORMATS else f"{target}/ ({', '.join(p.name for p in paths)})"
    stdout().print(f"Wrote {escape(where)}: {what}", highlight=False)
    if fmt == "neo4j":
        stdout().print("Import with: " + escape(neo4j_import_command(str(target))), highlight=False)


# --------------------------------------------------------------------------
# kg push


def _print_failure(exc, console: Console) -> None:
    r = exc.report
    console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
    console.print(escape(r.loaded_line()), highlight=False)
    if r.unconfirmed_triples:
        n = r.unconfirmed_triples
        console.print(f"a batch of {n} triple{'' if n == 1 else 's'} was sent but not confirmed: the server may "
                      "or may not have stored it (it is not counted as loaded)", highlight=False)
    if exc.kind != "verify" and r.current_graph_started:
        name = "the default graph" if r.current_graph is None else f"<{r.current_graph}>"
        console.print(f"{escape(name)} is incomplete on the server; run the same kg push again to complete it",
                      highlight=False)


def push_cmd(
    endpoint: Annotated[str, typer.Option("--endpoint", "-e", help="The server's SPARQL 1.1 Graph Store endpoint, "
                                          "e.g. http://127.0.0.1:7878/store (Oxigraph), "
                                          "http://localhost:3030/DATASET/data (Fuseki).", show_default=False)],
    into: Annotated[Optional[str], typer.Option("--into", metavar="IRI", help="Load the merged facts into this named "
                                                "graph (and each article's graph into IRI/doc/…); default: the "
                                                "server's default graph, and the document IRIs.",
                                                show_default=False)] = None,
    replace: Annotated[bool, typer.Option("--replace/--add", help="--replace: each target graph ends up holding "
                                          "exactly the build's triples (PUT, then POST); --add: add them to what "
                                          "the graphs hold (POST).")] = True,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Triples per request.")] = 10_000,
    graph: Annotated[Optional[Path], typer.Option("--graph", "-g", help="The built graph to push: a graph file "
                                                  "(.trig, .ttl, .nt, .nq).", show_default="out/graph.trig")] = None,
    store: Annotated[Optional[Path], typer.Option("--store", "-s", help="The on-disk store kg build writes (the "
                                                  "output directory or its store/), opened read-only.",
                                                  show_default=False)] = None,
    no_provenance: Annotated[bool, typer.Option("--no-provenance", help="Push only the merged facts, not the "
                                                "per-article provenance graphs.")] = False,
    verify: Annotated[bool, typer.Option("--verify/--no-verify", help="Afterwards, count the triples of each "
                                         "target graph on the server with a SPARQL query.")] = True,
    query_endpoint: Annotated[Optional[str], typer.Option("--query-endpoint", help="The server's SPARQL query "
                                                          "endpoint for --verify (default: guessed from --endpoint, "
                                                          "e.g. …/store → …/query).", show_default=False)] = None,
    retries: Annotated[int, typer.Option("--retries", help="Retries of a batch after a connection error, a "
                                         "timeout or a 5xx answer.")] = 5,
    retry_wait: Annotated[float, typer.Option("--retry-wait", help="Seconds before the first retry; doubled "
                                              "at each one.")] = 0.5,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for the server's answer to one "
                                           "request.")] = 120.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary; errors are "
                                        "still printed.")] = False,
) -> None:
    """Load the built graph into a triple store (SPARQL 1.1 Graph Store HTTP Protocol), in batches, with retries."""
    from kg.export import push as pu

    if retry_wait < 0 or timeout <= 0:
        raise fail("--retry-wait must be 0 or more and --timeout positive")
    if graph is not None and store is not None:
        raise fail("give --graph (a graph file) or --store (a store directory), not both")
    try:
        source = pu.open_source(store if store is not None else graph if graph is not None else DEFAULT_GRAPH)
    except pu.SourceError as exc:
        raise fail(str(exc)) from None
    err = stderr()
    progress_cb = None
    bar = None
    if not quiet and err.is_terminal:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        bar = Progress(TextColumn("push"), BarColumn(), MofNCompleteColumn(), TextColumn("triples"),
                       TimeElapsedColumn(), console=err, transient=True)
        task = None

        def progress_cb(report) -> None:
            nonlocal task
            if task is None:
                task = bar.add_task("push", total=report.total_triples)
            bar.update(task, completed=report.loaded_triples)

    try:
        if bar is not None:
            bar.start()
        try:
            report = pu.push(source, endpoint, graph=into, mode="replace" if replace else "add",
                             batch_size=batch_size, provenance=not no_provenance, retries=retries,
                             retry_wait=retry_wait, timeout=timeout, verify=verify, query_endpoint=query_endpoint,
                             progress=progress_cb)
        finally:
            if bar is not None:
                bar.stop()
    except pu.SourceError as exc:
        raise fail(str(exc)) from None
    except pu.PushError as exc:
        _print_failure(exc, err)
        raise typer.Exit(code=130 if exc.kind == "interrupted" else 2) from None
    if report.verify_note and report.verified is None:
        err.print(f"[yellow]warning:[/] {escape(report.verify_note)}", highlight=False)
    if quiet:
        return
    out = stdout()
    mode = "replaced" if replace else "added to"
    out.print(f"Pushed to {escape(pu.redact(endpoint))} ({mode} {len(report.graphs)} graph(s)): "
              f"{escape(report.loaded_line())} in {report.seconds:.2f} s"
              + (f", {report.retries} retried request(s)" if report.retries else ""), highlight=False)
    if report.verified:
        out.print(f"Verified: {escape(report.verify_note)}", highlight=False)
