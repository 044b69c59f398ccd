"""The ``kg`` command line: one module per verb or group of verbs.

This module holds the typer app and registers every verb: ``kg build``
(:mod:`.build`), ``kg eval`` (:mod:`.evaluate`), ``kg analyze`` / ``kg viz``
(:mod:`.analysis`), ``kg query`` / ``kg serve`` (:mod:`.query`), ``kg export`` /
``kg push`` (:mod:`.export`); what they share is in :mod:`.common`.

May import: everything below it. Nothing imports it but ``kg/__main__.py``.
"""
from __future__ import annotations

from typing import Annotated

import typer

from kg import __version__
from kg.cli.analysis import analyze_cmd, viz_cmd
from kg.cli.build import build_cmd
from kg.cli.common import Command, Group
from kg.cli.evaluate import eval_cmd
from kg.cli.export import export_cmd, push_cmd
from kg.cli.query import query_cmd, serve_cmd

app = typer.Typer(
    name="kg",
    cls=Group,
    help="Build a knowledge graph of Chinese development zones (开发区) from articles.",
    add_completion=False,
    no_args_is_help=True,
    # An unexpected error shows a traceback, but never a dump of local variables
    # (they hold whole articles).
    pretty_exceptions_show_locals=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zonekg {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Build a knowledge graph of Chinese development zones (开发区) from articles."""


# In the order a user meets them: build the graph, look at it, ask it, take it elsewhere.
app.command("build", cls=Command)(build_cmd)
app.command("eval", cls=Command)(eval_cmd)
app.command("analyze", cls=Command)(analyze_cmd)
app.command("viz", cls=Command)(viz_cmd)
app.command("query", cls=Command)(query_cmd)
app.command("serve", cls=Command)(serve_cmd)
app.command("export", cls=Command)(export_cmd)
app.command("push", cls=Command)(push_cmd)
