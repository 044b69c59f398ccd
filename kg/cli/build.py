"""``kg build``: articles to the graph files, the store and a summary.

Extractions are cached (``out/.cache``); each build is published at once as a new
generation (:mod:`kg.graph.generations`), so an interrupted or failed build leaves the
previous outputs as they were. Exit status: 0 success; 1 the graph was written but
violates the SHACL shapes; 2 bad input or arguments; 130 interrupted.
"""
from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from kg import __version__
from kg.cli.common import (
    build_graph_of,
    fail,
    one_line,
    print_skipped,
    read_corpus,
    require_documents,
    stderr,
    stdout,
)

if TYPE_CHECKING:
    from kg.graph.build import KnowledgeGraph
    from kg.run.corpus import Corpus

MAX_VIOLATIONS_SHOWN = 20

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


def build_cmd(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Article files (.txt in any common Chinese encoding, .html, .pdf, .docx) or directories to search for them.", metavar="INPUT",
                       show_default=False),
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="Directory for graph.ttl, graph.trig, the store/ and the .cache/.")] = Path("out"),
    jobs: Annotated[Optional[int], typer.Option("-j", "--jobs", min=1, show_default="the cores available",
                                                help="Worker processes for extraction and SHACL validation (1: in this process).")] = None,
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
        stderr().print("[bold red]interrupted:[/] nothing was published; the previous outputs are unchanged",
                        highlight=False)
        raise typer.Exit(code=130) from None


def _build_command(inputs: list[Path], out: Path, jobs: int | None, no_cache: bool, no_store: bool,
                   no_validate: bool, quiet: bool, cluster: str | None = None) -> None:
    from kg.graph.generations import failure_reason
    from kg.graph.lock import OutputLocked, lock_output

    if out.exists() and not out.is_dir():
        raise fail(f"output directory {out} exists and is not a directory")
    # One build at a time writes into a directory (kg/graph/generations.py).
    try:
        lock = lock_output(out)
    except OutputLocked as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot write to {out}: {failure_reason(exc)}; nothing was published") from None
    try:
        if lock.stale_pid:
            stderr().print(f"note: kg build pid {lock.stale_pid} was stopped while writing {out}; "
                            "what it left unfinished is removed", highlight=False, style="dim")
        _locked_build(inputs, out, jobs, no_cache, no_store, no_validate, quiet, cluster)
    finally:
        lock.release()


def _locked_build(inputs: list[Path], out: Path, jobs: int | None, no_cache: bool, no_store: bool,
                  no_validate: bool, quiet: bool, cluster: str | None) -> None:
    from kg.graph.generations import current_generation, legacy_store_target
    from kg.graph.output import remove_stale_temporaries
    from kg.run.cache import CACHE_DIR
    from kg.run.corpus import default_jobs

    remove_stale_temporaries(out)
    started = time.perf_counter()
    corpus = read_corpus(inputs, show_progress=not quiet, jobs=jobs, cache_dir=None if no_cache else out / CACHE_DIR,
                         cluster=cluster)
    require_documents(corpus)
    seconds = dict(corpus.seconds)

    # Everything goes into a new generation, made current in one step once complete:
    # until then the previous build stays current, whatever happens.
    previous = current_generation(out)
    legacy_store = legacy_store_target(out)
    paths = {"turtle": out / "graph.ttl", "trig": out / "graph.trig"}
    built: list[KnowledgeGraph] = []
    try:
        _publish_build(corpus, out, no_store, no_validate, quiet, started, seconds, previous, legacy_store, paths,
                       built, jobs=default_jobs() if jobs is None else jobs)
    finally:
        for kg in built:
            kg.close()


def _publish_build(corpus: Corpus, out: Path, no_store: bool, no_validate: bool, quiet: bool, started: float,
                   seconds: dict[str, float], previous, legacy_store, paths: dict[str, Path],
                   built: list[KnowledgeGraph], jobs: int = 1) -> None:
    """Build the graph, publish it as a new generation, then validate it (in ``jobs``
    processes) and report."""
    from kg.graph.checkpoints import checkpoint
    from kg.graph.generations import begin, failure_reason, remove_old, write_files

    console = stdout()
    gen = None
    try:
        checkpoint("merge")
        t0 = time.perf_counter()
        # The graph's work files (its quads, sorted) go next to the outputs, in a
        # hidden directory that the caller removes (or the next build, after a kill).
        kg = build_graph_of(corpus, out)
        built.append(kg)
        seconds["build"] = time.perf_counter() - t0
        with begin(out) as gen:
            write_files(gen, kg, store=not no_store, seconds=seconds)
            if not no_store:
                paths["store"] = out / "store"
            gen.publish({"documents": len(kg.documents), "quads": kg.quad_count, "triples": kg.default_count,
                         "store": not no_store, "zonekg": __version__})
    except OSError as exc:
        raise fail(f"cannot write to {out}: {failure_reason(exc)}; nothing was published "
                    f"({'the previous build is still current' if previous else 'no build there yet'})") from None
    except KeyboardInterrupt:
        if gen is not None and gen.published:  # Ctrl-C right after the switch: published all the same
            stderr().print(f"[bold red]interrupted:[/] after the new build was published ({escape(str(out))} "
                            "holds it)", highlight=False)
            raise typer.Exit(code=130) from None
        raise

    # Published. What follows cannot undo it: say so when it stops.
    try:
        try:
            gen.link_names()
        except OSError as exc:
            raise fail(f"the build was published as {gen.path}, but {out}/graph.ttl, graph.trig and store could not "
                        f"be linked to it: {exc.strerror or exc}") from None
        remove_old(out, previous, legacy_store)
        if corpus.cache_store is not None:
            corpus.cache_store.prune(unused=True)

        violations = []
        if not no_validate:
            from kg.graph.validate import validate

            t0 = time.perf_counter()
            violations = validate(kg, processes=jobs)
            seconds["validate"] = time.perf_counter() - t0
    except KeyboardInterrupt:
        stderr().print(f"[bold red]interrupted:[/] after the new build was published ({escape(str(out))} holds it)"
                        f"{'' if no_validate else '; SHACL validation did not finish'}", highlight=False)
        raise typer.Exit(code=130) from None
    seconds["total"] = time.perf_counter() - started

    if violations:
        console.print(f"[bold red]SHACL validation failed:[/] {len(violations)} violation(s)")
        for v in violations[:MAX_VIOLATIONS_SHOWN]:
            console.print(f"  {escape(v.focus)}: {escape(one_line(v.message))}", highlight=False)
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
    print_skipped(console, corpus.skipped)
    if violations:
        raise typer.Exit(code=1)


