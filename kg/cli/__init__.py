"""The ``kg`` command line: ``kg build`` and ``kg eval``.

Both commands start the same way (:func:`read_corpus`): expand the inputs into
files, decode each one whatever its encoding, and extract every readable
article. A file that cannot be used is skipped with a one-line reason and the
run goes on; only when nothing at all could be read does a command stop, with
exit status 2 and a one-line message.

The commands keep no state between runs: everything a later command needs is
in the files a build writes (``out/graph.ttl``, ``out/graph.trig`` by default).

Exit status: 0 success; 1 the graph was written but violates the SHACL shapes;
2 bad input or arguments (nothing readable, unusable gold directory, output
that cannot be written).
"""
from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg import __version__
from kg.ingest.reader import SUFFIXES, Skipped

if TYPE_CHECKING:  # the heavy modules (rdflib, jieba) load only when a command runs
    from kg.graph.build import KnowledgeGraph
    from kg.extract.extraction import Extraction

MAX_VIOLATIONS_SHOWN = 20

app = typer.Typer(
    name="kg",
    help="Build a knowledge graph of Chinese development zones (开发区) from articles.",
    add_completion=False,
    no_args_is_help=True,
    # An unexpected error shows a traceback, but never a dump of local variables
    # (they hold whole articles).
    pretty_exceptions_show_locals=False,
)


class Fail(Exception):
    """A user-facing error: printed as one line, exit status 2."""


def _stdout() -> Console:
    # soft_wrap: long file names and messages stay on one line instead of being
    # folded at the terminal width (which also keeps the output greppable).
    return Console(soft_wrap=True)


def _stderr() -> Console:
    return Console(stderr=True, soft_wrap=True)


def _fail(message: str) -> typer.Exit:
    _stderr().print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(code=2)


# --------------------------------------------------------------------------
# Shared by both commands: inputs -> extractions


# The walk -> read -> extract step lives in kg.run.corpus (parallel, cached); these
# names stay importable from here.
from kg.run.corpus import ClusterError, Corpus, Interrupted, ReadFile, default_jobs  # noqa: E402


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def read_corpus(inputs: Sequence[Path], *, show_progress: bool = True, jobs: int | None = None,
                cache_dir: Path | None = None, cluster: str | None = None) -> Corpus:
    """Read and extract every article under ``inputs`` (see :func:`kg.run.corpus.read_corpus`).

    Never raises for a bad file: it lands in ``Corpus.skipped`` with its reason.
    Ctrl-C stops the run with a one-line message and exit status 130.
    """
    from kg.run import corpus as _corpus

    try:
        return _corpus.read_corpus(inputs, jobs=jobs, cache_dir=cache_dir, show_progress=show_progress,
                                   console=_stderr(), cluster=cluster)
    except ClusterError as exc:
        raise _fail(str(exc)) from None
    except Interrupted as exc:
        kept = (f"; the {exc.done} extracted are cached, run the same command again to go on"
                if exc.cached and exc.done else "")
        _stderr().print(f"[bold red]interrupted:[/] {exc.done} of {exc.total} document(s) extracted{kept}; "
                        "nothing was published, the previous outputs are unchanged", highlight=False)
        raise typer.Exit(code=130) from None


def _print_skipped(console: Console, skipped: list[Skipped]) -> None:
    if not skipped:
        return
    console.print(f"Skipped {len(skipped)} file(s):")
    for s in skipped:
        console.print(f"  {escape(str(s.path))}: {escape(s.reason)}", highlight=False)


def _require_documents(corpus: Corpus) -> None:
    """Stop with exit status 2 when there is nothing to work on."""
    if corpus.extractions:
        return
    if not corpus.input_count:
        raise _fail(f"no input files found (directories are searched for {', '.join('*' + x for x in SUFFIXES)} files)")
    _print_skipped(_stdout(), corpus.skipped)
    raise _fail(f"nothing could be read: all {corpus.input_count} input file(s) were skipped")


def _build(corpus: Corpus, directory: Path | None = None) -> KnowledgeGraph:
    """The graph; its work files go into ``directory`` (default: a temporary one)."""
    from kg.graph.build import build_graph

    return build_graph(corpus.extractions, directory=directory)


# --------------------------------------------------------------------------
# kg build


def _seconds(s: float) -> str:
    return f"{s:.2f} s"


def _size(n: int) -> str:
    from rich.filesize import decimal

    return decimal(n)


def _summary_table(corpus: Corpus, kg: KnowledgeGraph, seconds: dict[str, float]) -> Table:
    from kg.graph.namespaces import ENTITY_CLASSES, RELATIONS

    counts = kg.counts()
    default = kg.default_count
    encodings = Counter(f.encoding for f in corpus.read)

    table = Table(title="kg build", title_justify="left", show_header=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_column(justify="right")

    def section(name: str, rows: list[tuple[str, str]]) -> None:
        for i, (label, value) in enumerate(rows):
            table.add_row(name if i == 0 else "", label, value, end_section=(i == len(rows) - 1))

    section("documents", [
        ("read", str(len(corpus.read))),
        ("skipped", str(len(corpus.skipped))),
        ("size read", _size(sum(f.size for f in corpus.read))),
        *((f"read as {e}", str(n)) for e, n in sorted(encodings.items())),
    ])
    ents = counts["entities"]
    # A place whose name several divisions share and the article did not settle has no code.
    uncoded = counts["places"].get("without code", 0)
    section("entities", [(t, str(ents.get(t, 0))) for t in ENTITY_CLASSES] +
            [("Place without division code", str(uncoded)), ("total", str(sum(ents.values())))])
    facts = counts["facts"]
    section("facts", [(r, str(facts.get(r, 0))) for r in RELATIONS] + [("total", str(sum(facts.values())))])
    section("triples", [
        ("graph.ttl (merged facts)", str(default)),
        ("graph.trig (with provenance)", str(kg.quad_count)),
    ])
    if corpus.cache is not None:
        c = corpus.cache
        rows = [("reused", str(c.hits)), ("extracted", str(c.misses))]
        if c.corrupt:
            rows.append(("corrupt entries replaced", str(c.corrupt)))
        section("cache", rows)
    section("time", [(phase, _seconds(s)) for phase, s in seconds.items()] + [("processes", str(corpus.jobs))])
    return table


@app.command()
def build(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Article files (.txt in any common Chinese encoding, .html, .pdf, .docx) or directories to search for them.", metavar="INPUT",
                       show_default=False),
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="Directory for graph.ttl, graph.trig, the store/ and the .cache/.")] = Path("out"),
    jobs: Annotated[Optional[int], typer.Option("-j", "--jobs", min=1, show_default="the cores available",
                                                help="Worker processes for extraction (1: in this process).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Extract every article again; do not read or write out/.cache.")] = False,
    cluster: Annotated[Optional[str], typer.Option("--cluster", metavar="ADDRESS", show_default=False,
                                                   help="Extract on the workers of this Dask scheduler (tcp://HOST:8786; "
                                                        "needs the cluster extra of zonekg; -j is then ignored). See docs/cluster.md.")] = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not write the Oxigraph store out/store.")] = False,
    no_validate: Annotated[bool, typer.Option("--no-validate", help="Skip SHACL validation.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary; problems are still reported.")] = False,
) -> None:
    """Extract entities and facts from articles and write out/graph.ttl, out/graph.trig and the store out/store.

    Extractions are cached in out/.cache, so a rebuild extracts only the files whose content changed. Each build is published at once, as the generation out/current links to: an interrupted or failed build (Ctrl-C, killed, disk full) leaves the previous outputs as they were, and the next run reuses what it had extracted. One build at a time writes into a directory.
    """
    try:
        _build_command(inputs, out, jobs, no_cache, no_store, no_validate, quiet, cluster)
    except KeyboardInterrupt:
        _stderr().print("[bold red]interrupted:[/] nothing was published; the previous outputs are unchanged",
                        highlight=False)
        raise typer.Exit(code=130) from None


def _build_command(inputs: list[Path], out: Path, jobs: int | None, no_cache: bool, no_store: bool,
                   no_validate: bool, quiet: bool, cluster: str | None = None) -> None:
    from kg.graph.generations import OutputLocked, failure_reason, lock_output

    if out.exists() and not out.is_dir():
        raise _fail(f"output directory {out} exists and is not a directory")
    # One build at a time writes into a directory (kg/graph/generations.py).
    try:
        lock = lock_output(out)
    except OutputLocked as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"cannot write to {out}: {failure_reason(exc)}; nothing was published") from None
    try:
        if lock.stale_pid:
            _stderr().print(f"note: kg build pid {lock.stale_pid} was stopped while writing {out}; "
                            "what it left unfinished is removed", highlight=False, style="dim")
        _locked_build(inputs, out, jobs, no_cache, no_store, no_validate, quiet, cluster)
    finally:
        lock.release()


def _locked_build(inputs: list[Path], out: Path, jobs: int | None, no_cache: bool, no_store: bool,
                  no_validate: bool, quiet: bool, cluster: str | None) -> None:
    from kg.graph import generations
    from kg.graph.output import remove_stale_temporaries
    from kg.run.cache import CACHE_DIR

    remove_stale_temporaries(out)
    started = time.perf_counter()
    corpus = read_corpus(inputs, show_progress=not quiet, jobs=jobs, cache_dir=None if no_cache else out / CACHE_DIR,
                         cluster=cluster)
    _require_documents(corpus)
    seconds = dict(corpus.seconds)

    # Everything goes into a new generation, made current in one step once complete:
    # until then the previous build stays current, whatever happens.
    previous = generations.current_generation(out)
    legacy_store = generations.legacy_store_target(out)
    paths = {"turtle": out / "graph.ttl", "trig": out / "graph.trig"}
    built: list[KnowledgeGraph] = []
    try:
        _publish_build(corpus, out, no_store, no_validate, quiet, started, seconds, previous, legacy_store, paths,
                       built)
    finally:
        for kg in built:
            kg.close()


def _publish_build(corpus: Corpus, out: Path, no_store: bool, no_validate: bool, quiet: bool, started: float,
                   seconds: dict[str, float], previous, legacy_store, paths: dict[str, Path],
                   built: list[KnowledgeGraph]) -> None:
    from kg.graph import generations

    console = _stdout()
    gen = None
    try:
        generations.checkpoint("merge")
        t0 = time.perf_counter()
        # The graph's work files (its quads, sorted) go next to the outputs, in a
        # hidden directory that the caller removes (or the next build, after a kill).
        kg = _build(corpus, out)
        built.append(kg)
        seconds["build"] = time.perf_counter() - t0
        with generations.begin(out) as gen:
            generations.write_files(gen, kg, store=not no_store, seconds=seconds)
            if not no_store:
                paths["store"] = out / "store"
            gen.publish({"documents": len(kg.documents), "quads": kg.quad_count, "triples": kg.default_count,
                         "store": not no_store, "zonekg": __version__})
    except OSError as exc:
        raise _fail(f"cannot write to {out}: {generations.failure_reason(exc)}; nothing was published "
                    f"({'the previous build is still current' if previous else 'no build there yet'})") from None
    except KeyboardInterrupt:
        if gen is not None and gen.published:  # Ctrl-C right after the switch: published all the same
            _stderr().print(f"[bold red]interrupted:[/] after the new build was published ({escape(str(out))} "
                            "holds it)", highlight=False)
            raise typer.Exit(code=130) from None
        raise

    # Published. What follows cannot undo it: say so when it stops.
    try:
        try:
            gen.link_names()
        except OSError as exc:
            raise _fail(f"the build was published as {gen.path}, but {out}/graph.ttl, graph.trig and store could not "
                        f"be linked to it: {exc.strerror or exc}") from None
        generations.remove_old(out, previous, legacy_store)
        if corpus.cache_store is not None:
            corpus.cache_store.prune(unused=True)

        violations = []
        if not no_validate:
            from kg.graph.validate import validate

            t0 = time.perf_counter()
            violations = validate(kg)
            seconds["validate"] = time.perf_counter() - t0
    except KeyboardInterrupt:
        _stderr().print(f"[bold red]interrupted:[/] after the new build was published ({escape(str(out))} holds it)"
                        f"{'' if no_validate else '; SHACL validation did not finish'}", highlight=False)
        raise typer.Exit(code=130) from None
    seconds["total"] = time.perf_counter() - started

    if violations:
        console.print(f"[bold red]SHACL validation failed:[/] {len(violations)} violation(s)")
        for v in violations[:MAX_VIOLATIONS_SHOWN]:
            console.print(f"  {escape(v.focus)}: {escape(_one_line(v.message))}", highlight=False)
        if len(violations) > MAX_VIOLATIONS_SHOWN:
            console.print(f"  … and {len(violations) - MAX_VIOLATIONS_SHOWN} more")
    if not quiet:
        console.print(_summary_table(corpus, kg, seconds))
        written = ", ".join(escape(str(p)) for p in paths.values())
        console.print(f"Wrote {written}", highlight=False)
        if no_validate:
            console.print("SHACL validation: skipped (--no-validate)")
        elif not violations:
            console.print("SHACL validation: passed")
    _print_skipped(console, corpus.skipped)
    if violations:
        raise typer.Exit(code=1)


# --------------------------------------------------------------------------
# kg eval


@app.command(name="eval")
def eval_(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Article files or directories, as for kg build.", metavar="INPUT", show_default=False),
    ],
    gold: Annotated[
        list[Path],
        typer.Option("--gold", help="Directory of gold *.json files (seeds/gold/GUIDELINES.md); repeat it "
                     "to score several sets at once.", show_default=False),
    ],
    json_out: Annotated[
        Optional[Path],
        typer.Option("--json", help="Also write the scores to this file as JSON.", show_default=False),
    ] = None,
    jobs: Annotated[Optional[int], typer.Option("-j", "--jobs", min=1, show_default="the cores available",
                                                help="Worker processes for extraction (1: in this process).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="Also list every false positive and false "
                                         "negative, per article, with its evidence.")] = False,
) -> None:
    """Build the graph from INPUT (writing nothing) and score it against gold annotations.

    Only the gold documents whose article is among the inputs are scored; one
    given but unreadable counts as entirely missed.
    """
    from kg.graph.output import atomic_write
    from kg.evaluate.score import load_gold, score
    from kg.evaluate.predictions import predictions_from_graph

    console = _stdout()
    gold_docs: dict = {}
    for directory in gold:
        if not directory.is_dir():
            raise _fail(f"gold directory not found: {directory}")
        try:
            found = load_gold(directory)
        except (ValueError, OSError) as exc:
            raise _fail(f"bad gold annotations: {_one_line(str(exc))}") from None
        if not found:
            raise _fail(f"no gold files (*.json) in {directory}")
        twice = sorted(set(found) & set(gold_docs))
        if twice:
            raise _fail(f"gold document {twice[0]!r} is in two of the --gold directories")
        gold_docs.update(found)
    gold_names = ", ".join(str(d) for d in gold)

    corpus = read_corpus(inputs, show_progress=not quiet, jobs=jobs)
    given = {f.path.stem for f in corpus.read} | {s.path.stem for s in corpus.skipped}
    scored_gold = {k: v for k, v in gold_docs.items() if k in given}
    if not scored_gold:
        _print_skipped(console, corpus.skipped)
        raise _fail(f"none of the {len(gold_docs)} gold document(s) in {gold_names} matches an input file name")
    _require_documents(corpus)

    kg = _build(corpus)
    try:
        report = score(predictions_from_graph(kg), scored_gold)
    except ValueError as exc:
        raise _fail(_one_line(str(exc))) from None
    if errors:
        report.render_errors(console)
    report.render(console)
    left_out = len(gold_docs) - len(scored_gold)
    if left_out:
        console.print(f"{left_out} gold document(s) not among the inputs, not scored")
    if json_out is not None:
        data = json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
        try:
            atomic_write(json_out, data.encode("utf-8"))
        except OSError as exc:
            raise _fail(f"cannot write {json_out}: {exc.strerror or exc}") from None
        console.print(f"Wrote {escape(str(json_out))}", highlight=False)
    _print_skipped(console, corpus.skipped)


# --------------------------------------------------------------------------


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

# kg analyze / kg viz (kg/cli/analysis.py)
from kg.cli.analysis import analyze_cmd, viz_cmd  # noqa: E402

app.command("analyze")(analyze_cmd)
app.command("viz")(viz_cmd)

# kg query / kg serve (kg/cli/query.py)
from kg.cli.query import query_cmd, serve_cmd  # noqa: E402

app.command("query")(query_cmd)
app.command("serve")(serve_cmd)

# kg export / kg push (kg/cli/export.py)
from kg.cli.export import export_cmd, push_cmd  # noqa: E402

app.command("export")(export_cmd)
app.command("push")(push_cmd)
