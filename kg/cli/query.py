"""``kg query`` and ``kg serve``: ask a built graph questions in SPARQL.

Plain functions with typer annotations; ``kg/cli/__init__.py`` registers them as commands.

What they ask: ``--store`` (the on-disk store ``kg build`` writes, opened read-only),
``--graph`` (a graph file, loaded into memory), or ``--endpoint`` (a remote SPARQL
endpoint). Without any of them: ``out/store`` when it is there, else ``out/graph.trig``.

Exit status of ``kg query``: 0 success; 1 the query was stopped (time limit) or
failed while running, or the remote endpoint could not be reached or answered with
an error; 2 bad input (unknown query, malformed query, bad parameter, missing or
unreadable graph file or store, conflicting options).
"""
from __future__ import annotations

import ipaddress
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from kg.cli.common import DEFAULT_GRAPH, DEFAULT_OUT, canonical_format, fail, stderr, stdout

if TYPE_CHECKING:
    from kg.query.engine import GraphSource

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {_XSD + t for t in ("integer", "decimal", "double", "float", "long", "int", "nonNegativeInteger")}
QUERY_FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "ntriples")


def _syntax_error(source: str, text: str, message: str) -> typer.Exit:
    """The parser's message as ``source:line:column: message``, with the line and a caret."""
    from kg.query.engine import syntax_location

    err = stderr()
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
    from kg.query.library import list_queries

    table = Table(title="Query library (kg query NAME)", title_justify="left")
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("question", overflow="fold")
    table.add_column("parameters")
    for q in list_queries():
        params = ", ".join(f"{p.name} ({p.type})" for p in q.params) or "—"
        table.add_row(q.name, f"{q.question_zh}\n{q.question_en}", params)
    return table


def _result_table(result) -> Table:
    from kg.query.results import compact

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


def _graph_source(graph: Path | None, store: Path | None, endpoint: str | None) -> GraphSource | str:
    """What to query, from --graph / --store / --endpoint: a :class:`kg.query.engine.GraphSource`,
    or the endpoint URL (a ``str``). Raises the typer exit of a one-line error (status 2)."""
    from kg.query.engine import GraphSource
    from kg.query.errors import SparqlError
    from kg.query.remote import EndpointError, check_endpoint_url

    if endpoint is not None:
        if graph is not None or store is not None:
            raise fail("--endpoint queries a remote endpoint: it cannot be combined with --graph or --store")
        try:
            return check_endpoint_url(endpoint)
        except EndpointError as exc:
            raise fail(str(exc)) from None
    if graph is not None and store is not None:
        raise fail("give --graph (a graph file) or --store (a store directory), not both")
    try:
        if graph is not None:
            return GraphSource.file(graph)
        if store is not None:
            return GraphSource.store(store)
        return _default_source()
    except SparqlError as exc:
        raise fail(str(exc)) from None


def _default_source() -> GraphSource:
    """out/store when it is there and not older than out/graph.trig, else out/graph.trig.

    A build publishes both in one generation (kg/graph/generations.py): then they are one
    build's. Otherwise (a directory of an older zonekg, or files put there by hand) a
    graph.trig newer than the store is taken to be the current graph."""
    from kg.graph.generations import same_generation
    from kg.graph.store import store_path
    from kg.query.engine import GraphSource

    link = store_path(DEFAULT_OUT)
    if not link.exists():
        return GraphSource.file(DEFAULT_GRAPH)
    try:
        # A build publishes its store and its files together, in one generation.
        stale = (not same_generation(DEFAULT_GRAPH, link)
                 and DEFAULT_GRAPH.stat().st_mtime_ns > link.lstat().st_mtime_ns)
    except OSError:  # no graph.trig: the store is all there is
        stale = False
    if stale:
        stderr().print(f"note: {DEFAULT_GRAPH} is newer than {link} (a build with --no-store?): reading the file",
                        highlight=False, style="dim")
        return GraphSource.file(DEFAULT_GRAPH)
    return GraphSource.store(link)


_GRAPH_HELP = "A graph file to load (.trig or .ttl, as written by kg build)."
_STORE_HELP = ("The on-disk store kg build writes (the output directory or its store/), opened read-only. "
               "Default, without --graph or --endpoint: out/store if it exists, else the file out/graph.trig.")
_ENDPOINT_HELP = ("Query this remote SPARQL endpoint instead of a local graph, e.g. http://127.0.0.1:7878/query "
                  "(Oxigraph server) or http://localhost:3030/DATASET/sparql (Fuseki).")


def query_cmd(
    query: Annotated[
        Optional[str],
        typer.Argument(help="A library query name (see `kg query` without arguments) or a .rq file.",
                       metavar="NAME|FILE.rq", show_default=False),
    ] = None,
    graph: Annotated[Optional[Path], typer.Option("--graph", "-g", help=_GRAPH_HELP, show_default=False)] = None,
    store: Annotated[Optional[Path], typer.Option("--store", "-s", help=_STORE_HELP, show_default=False)] = None,
    endpoint: Annotated[Optional[str], typer.Option("--endpoint", "-e", help=_ENDPOINT_HELP, metavar="URL",
                                                    show_default=False)] = None,
    param: Annotated[
        Optional[list[str]],
        typer.Option("--param", "-p", help="A query parameter as key=value (repeatable), e.g. --param zone=许昌.",
                     metavar="KEY=VALUE", show_default=False),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help=f"Output format: {', '.join(QUERY_FORMATS)}. "
                     "Any case; ttl and nt for turtle and ntriples. CONSTRUCT/DESCRIBE results print as Turtle "
                     "in table format."),
    ] = "table",
    timeout: Annotated[float, typer.Option("--timeout", help="Stop the query after this many seconds.")] = 60.0,
    max_rows: Annotated[int, typer.Option("--max-rows", help="Return at most this many rows (0: no cap).")] = 10_000,
) -> None:
    """Run a library query or a SPARQL file against a built graph (or a SPARQL endpoint). Without NAME, list the library."""
    from kg.query.engine import Engine
    from kg.query.errors import QueryFailed, QuerySyntaxError, QueryTimeout, SparqlError
    from kg.query.library import bind, load_query, parse_param_args
    from kg.query.remote import EndpointError, query_endpoint
    from kg.query.results import GRAPH_FORMATS, serialize

    if query is None:
        try:
            stdout(wide=True).print(_library_table())
        except FileNotFoundError as exc:
            raise fail(str(exc)) from None
        return
    fmt = canonical_format(fmt, QUERY_FORMATS)
    if timeout <= 0:
        raise fail("--timeout must be positive")
    try:
        lq = load_query(query)
        values = parse_param_args(param or [])
        bind(lq.text, values, lq.params)  # the parameters are checked before anything is asked
    except SparqlError as exc:
        raise fail(str(exc)) from None
    target = _graph_source(graph, store, endpoint)
    source = str(lq.path) if lq.path else query
    text = lq.text
    try:
        if isinstance(target, str):
            def run(q: str):
                return query_endpoint(target, q, timeout=timeout, max_rows=max_rows or None)
            result, text = _run_resolved(run, lq, values)
        else:
            with Engine(target, timeout=timeout, max_rows=max_rows or None, respawn=False) as engine:
                result, text = _run_resolved(engine.query, lq, values)
    except QuerySyntaxError as exc:
        raise _syntax_error(source, text, str(exc)) from None
    except (QueryTimeout, QueryFailed, EndpointError) as exc:
        raise fail(str(exc), code=1) from None
    except SparqlError as exc:
        raise fail(str(exc)) from None

    out = stdout(wide=True)
    if result.kind == "graph":
        out_fmt = "turtle" if fmt == "table" else fmt
        if out_fmt not in GRAPH_FORMATS:
            raise fail(f"{source} is a CONSTRUCT/DESCRIBE query: use --format turtle or ntriples")
        sys.stdout.buffer.write(serialize(result, out_fmt))
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
        if fmt in GRAPH_FORMATS:
            raise fail(f"{source} is a SELECT/ASK query: use --format table, csv, tsv, json or xml")
        sys.stdout.buffer.write(serialize(result, fmt))
        if fmt in ("json", "xml"):
            sys.stdout.buffer.write(b"\n")
        sys.stdout.flush()
        what = _rows(result.count) if result.kind == "select" else "ask"
    err = stderr()
    if result.truncated:
        err.print(f"[yellow]warning:[/] result capped at {result.max_rows} {'triples' if result.kind == 'graph' else 'rows'} "
                  "(raise --max-rows, or 0 for no cap)", highlight=False)
    if fmt == "table":
        err.print(f"{what} in {result.seconds:.3f} s", highlight=False, style="dim")


def _run_resolved(run, lq, values: dict[str, str]):
    """Resolve the name parameters through the graph's names and variants
    (kg/graph/name_index.py), say on stderr what they resolved to, then run the query:
    (its result, the text that ran)."""
    from kg.query.names import run_resolved

    result, notes, text = run_resolved(run, lq.text, lq.params, values)
    err = stderr()
    for note in notes:
        err.print(escape(note), highlight=False, style=None if note.startswith("no ") else "dim")
    return result, text


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve_cmd(
    graph: Annotated[Optional[Path], typer.Option("--graph", "-g", help=_GRAPH_HELP, show_default=False)] = None,
    store: Annotated[Optional[Path], typer.Option("--store", "-s", help=_STORE_HELP, show_default=False)] = None,
    endpoint: Annotated[Optional[str], typer.Option("--endpoint", "-e", help="Serve this remote SPARQL endpoint "
                                                    "instead of a local graph: the page and /sparql pass the "
                                                    "queries on to it, e.g. http://127.0.0.1:7878/query.",
                                                    metavar="URL", show_default=False)] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    timeout: Annotated[float, typer.Option("--timeout", help="Stop a query after this many seconds.")] = 10.0,
    max_rows: Annotated[int, typer.Option("--max-rows", help="Cap each result at this many rows or triples.")] = 10_000,
    workers: Annotated[int, typer.Option("--workers", help="Queries run at once: worker processes, each opening the "
                                         "store read-only (a --graph file: each holding it in memory); with "
                                         "--endpoint, queries sent to it at once.")] = 2,
    max_query_bytes: Annotated[int, typer.Option("--max-query-bytes", help="Refuse a query or request body larger than this (4xx).")] = 1 << 20,
    pin: Annotated[bool, typer.Option("--pin", help="Keep serving the build that is current now; by default the "
                                      "server switches to each new build of the directory between queries.")] = False,
) -> None:
    """Serve the graph: a SPARQL 1.1 endpoint at /sparql and a query page at /."""

    if timeout <= 0:
        raise fail("--timeout must be positive")
    if max_rows <= 0:
        raise fail("--max-rows must be positive")
    if max_query_bytes <= 0:
        raise fail("--max-query-bytes must be positive")
    if not 0 < port < 65536:
        raise fail("--port must be between 1 and 65535")
    from kg.query.server import check_address

    shown = f"[{host}]" if ":" in host else host
    # Checked first: a port in use is one error line, before any engine starts.
    try:
        check_address(host, port)
    except OSError as exc:
        raise fail(f"cannot listen on {shown}:{port}: {exc.strerror or exc}") from None
    _serve(graph, store, endpoint, host, port, timeout, max_rows, workers, max_query_bytes, pin)


def _serve(graph, store, endpoint, host, port, timeout, max_rows, workers, max_query_bytes, pin) -> None:
    from kg.query.engine import Engine
    from kg.query.errors import SparqlError
    from kg.query.remote import RemoteEngine
    from kg.query.server import run

    target = _graph_source(graph, store, endpoint)
    err = stderr()
    pinned_generation = None
    if pin and not isinstance(target, str):
        from kg.query.pinning import pin_source

        try:
            target, pinned_generation = pin_source(target)
        except (SparqlError, OSError) as exc:
            raise fail(str(exc)) from None
    if isinstance(target, str):
        engine = RemoteEngine(target, timeout=timeout, max_rows=max_rows, workers=max(1, workers))
        # One count query up front says at once whether the endpoint answers; a server
        # that is down now may be up later, so the proxy starts all the same.
        try:
            engine.count_quads(timeout=min(timeout, 10.0))
            what = f"remote SPARQL endpoint, {engine.quads} quads"
        except SparqlError as exc:
            err.print(f"[yellow]warning:[/] {escape(str(exc))} (serving it anyway: each query is sent to it)",
                      highlight=False)
            what = "remote SPARQL endpoint"
    else:
        try:
            engine = Engine(target, timeout=timeout, max_rows=max_rows, workers=max(1, workers))
        except SparqlError as exc:
            raise fail(str(exc)) from None
        what = f"Oxigraph store, {engine.quads} quads" if target.kind == "store" else f"{engine.quads} quads"

    if not _is_loopback(host):
        err.print(f"[yellow]warning:[/] listening on {escape(host)}: the endpoint is reachable from other machines",
                  highlight=False)
    shown = f"[{host}]" if ":" in host else host
    served = engine.name if isinstance(target, str) else str(target)
    err.print(f"Serving {escape(served)} ({what}) at http://{shown}:{port}/  "
              f"(SPARQL endpoint: http://{shown}:{port}/sparql; time limit {timeout:g} s, "
              f"row cap {max_rows}); Ctrl+C stops", highlight=False)
    from kg.graph.generations import pinned

    try:
        with pinned(pinned_generation):
            code = run(engine, host=host, port=port, loopback_only=_is_loopback(host), max_query_bytes=max_query_bytes)
    finally:
        engine.close()
    if code:
        raise typer.Exit(code=code)
