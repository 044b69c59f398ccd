"""``kg query`` and ``kg serve``: ask a built graph questions in SPARQL.

Plain functions with typer annotations; ``kg/cli.py`` registers them as commands.

Exit status of ``kg query``: 0 success; 1 the query was stopped (time limit) or
failed while running; 2 bad input (unknown query, malformed query, bad parameter,
missing or unreadable graph file).
"""
from __future__ import annotations

import ipaddress
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

DEFAULT_GRAPH = Path("out/graph.trig")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {_XSD + t for t in ("integer", "decimal", "double", "float", "long", "int", "nonNegativeInteger")}
QUERY_FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "ntriples")


def _stdout() -> Console:
    console = Console(soft_wrap=True)
    if not console.is_terminal:
        # Piped or redirected: lay tables out at their natural width, never folded.
        console = Console(soft_wrap=True, width=100_000)
    return console


def _stderr() -> Console:
    return Console(stderr=True, soft_wrap=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    _stderr().print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(code=code)


def _syntax_error(source: str, text: str, message: str) -> typer.Exit:
    """The parser's message as ``source:line:column: message``, with the line and a caret."""
    from kg.sparql import syntax_location

    err = _stderr()
    loc = syntax_location(message)
    detail = message.split(": ", 1)[1] if loc and ": " in message else message
    if loc:
        line, col = loc
        err.print(f"[bold red]error:[/] {escape(source)}:{line}:{col}: malformed query: {escape(detail)}",
                  highlight=False)
        lines = text.splitlines()
        if 1 <= line <= len(lines):
            err.print(f"  {line:>4} | {escape(lines[line - 1])}", highlight=False)
            err.print(f"       | {' ' * max(col - 1, 0)}^", highlight=False)
    else:
        err.print(f"[bold red]error:[/] {escape(source)}: malformed query: {escape(message)}", highlight=False)
    return typer.Exit(code=2)


def _library_table() -> Table:
    from kg.sparql import list_queries

    table = Table(title="Query library (kg query NAME)", title_justify="left")
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("question", overflow="fold")
    table.add_column("parameters")
    for q in list_queries():
        params = ", ".join(f"{p.name} ({p.type})" for p in q.params) or "—"
        table.add_row(q.name, f"{q.question_zh}\n{q.question_en}", params)
    return table


def _result_table(result) -> Table:
    from kg.sparql import compact

    table = Table(show_lines=False)
    for i, v in enumerate(result.variables):
        values = [row[i] for row in result.rows if row[i] is not None]
        numeric = bool(values) and all(getattr(t, "datatype", None) is not None and t.datatype.value in _NUMERIC
                                       for t in values)
        table.add_column(v, overflow="fold", justify="right" if numeric else "left")
    for row in result.rows:
        table.add_row(*(escape(compact(t)) for t in row))
    return table


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def query_cmd(
    query: Annotated[
        Optional[str],
        typer.Argument(help="A library query name (see `kg query` without arguments) or a .rq file.",
                       metavar="NAME|FILE.rq", show_default=False),
    ] = None,
    graph: Annotated[Path, typer.Option("--graph", "-g", help="The graph to query (.trig or .ttl, as written by kg build).")] = DEFAULT_GRAPH,
    param: Annotated[
        Optional[list[str]],
        typer.Option("--param", "-p", help="A query parameter as key=value (repeatable), e.g. --param zone=许昌.",
                     metavar="KEY=VALUE", show_default=False),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help=f"Output format: {', '.join(QUERY_FORMATS)}. "
                     "CONSTRUCT/DESCRIBE results print as Turtle in table format."),
    ] = "table",
    timeout: Annotated[float, typer.Option("--timeout", help="Stop the query after this many seconds.")] = 60.0,
    max_rows: Annotated[int, typer.Option("--max-rows", help="Return at most this many rows (0: no cap).")] = 10_000,
) -> None:
    """Run a library query or a SPARQL file against a built graph. Without NAME, list the library."""
    from kg import sparql

    if query is None:
        try:
            _stdout().print(_library_table())
        except FileNotFoundError as exc:
            raise _fail(str(exc)) from None
        return
    if fmt not in QUERY_FORMATS:
        raise _fail(f"unknown format {fmt!r}; choose one of {', '.join(QUERY_FORMATS)}")
    if timeout <= 0:
        raise _fail("--timeout must be positive")
    try:
        lq = sparql.load_query(query)
        values = sparql.parse_param_args(param or [])
        text = sparql.bind(lq.text, values, lq.params)
        sparql.check_graph_file(graph)
    except sparql.SparqlError as exc:
        raise _fail(str(exc)) from None
    source = str(lq.path) if lq.path else query
    try:
        with sparql.Engine(graph, timeout=timeout, max_rows=max_rows or None, respawn=False) as engine:
            result = engine.query(text)
    except sparql.QuerySyntaxError as exc:
        raise _syntax_error(source, text, str(exc)) from None
    except (sparql.QueryTimeout, sparql.QueryFailed) as exc:
        raise _fail(str(exc), code=1) from None
    except sparql.SparqlError as exc:
        raise _fail(str(exc)) from None

    out = _stdout()
    if result.kind == "graph":
        out_fmt = "turtle" if fmt == "table" else fmt
        if out_fmt not in sparql.GRAPH_FORMATS:
            raise _fail(f"{source} is a CONSTRUCT/DESCRIBE query: use --format turtle or ntriples")
        sys.stdout.buffer.write(sparql.serialize(result, out_fmt))
        sys.stdout.flush()
        what = f"{result.count} triples"
    elif fmt == "table":
        if result.kind == "ask":
            out.print("true" if result.boolean else "false")
            what = "ask"
        else:
            out.print(_result_table(result))
            what = _rows(result.count)
    else:
        if fmt in sparql.GRAPH_FORMATS:
            raise _fail(f"{source} is a SELECT/ASK query: use --format table, csv, tsv, json or xml")
        sys.stdout.buffer.write(sparql.serialize(result, fmt))
        if fmt in ("json", "xml"):
            sys.stdout.buffer.write(b"\n")
        sys.stdout.flush()
        what = _rows(result.count) if result.kind == "select" else "ask"
    err = _stderr()
    if result.truncated:
        err.print(f"[yellow]warning:[/] result capped at {result.max_rows} {'triples' if result.kind == 'graph' else 'rows'} "
                  "(raise --max-rows, or 0 for no cap)", highlight=False)
    if fmt == "table":
        err.print(f"{what} in {result.seconds:.3f} s", highlight=False, style="dim")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve_cmd(
    graph: Annotated[Path, typer.Option("--graph", "-g", help="The graph to serve (.trig or .ttl, as written by kg build).")] = DEFAULT_GRAPH,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    timeout: Annotated[float, typer.Option("--timeout", help="Stop a query after this many seconds.")] = 10.0,
    max_rows: Annotated[int, typer.Option("--max-rows", help="Cap each result at this many rows or triples.")] = 10_000,
    workers: Annotated[int, typer.Option("--workers", help="Query worker processes (each holds the graph in memory).")] = 2,
    max_query_bytes: Annotated[int, typer.Option("--max-query-bytes", help="Refuse a query or request body larger than this (4xx).")] = 1 << 20,
) -> None:
    """Serve the graph: a SPARQL 1.1 endpoint at /sparql and a query page at /."""
    from kg import sparql

    if timeout <= 0:
        raise _fail("--timeout must be positive")
    if max_rows <= 0:
        raise _fail("--max-rows must be positive")
    if max_query_bytes <= 0:
        raise _fail("--max-query-bytes must be positive")
    if not 0 < port < 65536:
        raise _fail("--port must be between 1 and 65535")
    try:
        sparql.check_graph_file(graph)
        engine = sparql.Engine(graph, timeout=timeout, max_rows=max_rows, workers=max(1, workers))
    except sparql.SparqlError as exc:
        raise _fail(str(exc)) from None

    from kg.server import run

    err = _stderr()
    if not _is_loopback(host):
        err.print(f"[yellow]warning:[/] listening on {escape(host)}: the endpoint is reachable from other machines",
                  highlight=False)
    shown = f"[{host}]" if ":" in host else host
    err.print(f"Serving {escape(str(graph))} ({engine.quads} quads) at http://{shown}:{port}/  "
              f"(SPARQL endpoint: http://{shown}:{port}/sparql; time limit {timeout:g} s, "
              f"row cap {max_rows}); Ctrl+C stops", highlight=False)
    try:
        code = run(engine, host=host, port=port, loopback_only=_is_loopback(host), max_query_bytes=max_query_bytes)
    finally:
        engine.close()
    if code:
        raise typer.Exit(code=code)
