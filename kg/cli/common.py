"""What the verbs share: consoles, the one-line ``error:`` exit, and reading the inputs.

Every failure a user can cause ends the same way in every verb: one ``error:`` line on
stderr and exit status 2 (:func:`fail`); Ctrl-C ends with status 130.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperCommand, TyperGroup

from kg.ingest.files import SUFFIXES, Skipped, one_line
from kg.run.corpus import Corpus, Interrupted
from kg.run.work import ClusterError

if TYPE_CHECKING:
    from kg.graph.build import KnowledgeGraph

DEFAULT_OUT = Path("out")
DEFAULT_GRAPH = DEFAULT_OUT / "graph.trig"


def stdout(*, wide: bool = False) -> Console:
    # soft_wrap: long file names and messages stay on one line instead of being
    # folded at the terminal width (which also keeps the output greppable).
    console = Console(soft_wrap=True)
    if wide and not console.is_terminal:
        # Piped or redirected: lay tables out at their natural width, never folded.
        console = Console(soft_wrap=True, width=100_000)
    return console


def stderr() -> Console:
    return Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``error: message`` on stderr; the exit to raise (status 2 unless ``code``)."""
    stderr().print(f"[bold red]error:[/] {escape(one_line(message))}", highlight=False)
    return typer.Exit(code=code)



# --------------------------------------------------------------------------
# One set of conventions for every verb


def _flags_without_type(params: list) -> list:
    # typer prints "<bool>" beside a flag, as if it took a value; a flag takes none.
    for p in params:
        if getattr(p, "is_flag", False) and p.metavar is None:
            p.metavar = ""
    return params


class Command(TyperCommand):
    """A verb: its --help shows flags without a value type."""

    def get_params(self, ctx):
        return _flags_without_type(super().get_params(ctx))


class Group(TyperGroup):
    """The ``kg`` command itself: as :class:`Command`, and verbs listed in the order added."""

    def get_params(self, ctx):
        return _flags_without_type(super().get_params(ctx))

    def list_commands(self, ctx):
        return list(self.commands)


def canonical_format(name: str, known) -> str:
    """``name`` as one of ``known`` (``TTL`` → ``turtle``, ``json-ld`` → ``jsonld``); the
    ``error:`` exit when it is none of them."""
    from kg.query.results import format_name

    key = format_name(name)
    if key not in known:
        raise fail(f"unknown format {name!r}; choose one of {', '.join(known)}")
    return key


# --------------------------------------------------------------------------
# Shared by kg build and kg eval: inputs -> extractions


def read_corpus(inputs: Sequence[Path], *, show_progress: bool = True, jobs: int | None = None,
                cache_dir: Path | None = None, cluster: str | None = None) -> Corpus:
    """Read and extract every article under ``inputs`` (see :func:`kg.run.corpus.read_corpus`).

    Never raises for a bad file: it lands in ``Corpus.skipped`` with its reason.
    Ctrl-C stops the run with a one-line message and exit status 130.
    """
    from kg.run import corpus

    try:
        return corpus.read_corpus(inputs, jobs=jobs, cache_dir=cache_dir, show_progress=show_progress,
                                   console=stderr(), cluster=cluster)
    except ClusterError as exc:
        raise fail(str(exc)) from None
    except Interrupted as exc:
        kept = (f"; the {exc.done} extracted are cached, run the same command again to go on"
                if exc.cached and exc.done else "")
        stderr().print(f"[bold red]interrupted:[/] {exc.done} of {exc.total} document(s) extracted{kept}; "
                        "nothing was published, the previous outputs are unchanged", highlight=False)
        raise typer.Exit(code=130) from None


def print_skipped(console: Console, skipped: list[Skipped]) -> None:
    if not skipped:
        return
    console.print(f"Skipped {len(skipped)} file(s):")
    for s in skipped:
        console.print(f"  {escape(str(s.path))}: {escape(s.reason)}", highlight=False)


def require_documents(corpus: Corpus) -> None:
    """Stop with exit status 2 when there is nothing to work on."""
    if corpus.extractions:
        return
    if not corpus.input_count:
        raise fail(f"no input files found (directories are searched for {', '.join('*' + x for x in SUFFIXES)} files)")
    print_skipped(stdout(), corpus.skipped)
    raise fail(f"nothing could be read: all {corpus.input_count} input file(s) were skipped")


def build_graph_of(corpus: Corpus, directory: Path | None = None) -> KnowledgeGraph:
    """The graph; its work files go into ``directory`` (default: a temporary one)."""
    from kg.graph.build import build_graph

    return build_graph(corpus.extractions, directory=directory)


