"""``kg eval``: extract articles and score them against gold annotations."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from kg.cli.common import (
    build_graph_of,
    fail,
    one_line,
    print_skipped,
    read_corpus,
    require_documents,
    stdout,
)

# --------------------------------------------------------------------------
# kg eval


def eval_cmd(
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
    from kg.evaluate.gold import load_gold
    from kg.evaluate.predictions import predictions_from_graph
    from kg.evaluate.score import score
    from kg.graph.output import atomic_write

    console = stdout()
    gold_docs: dict = {}
    for directory in gold:
        if not directory.is_dir():
            raise fail(f"gold directory not found: {directory}")
        try:
            found = load_gold(directory)
        except (ValueError, OSError) as exc:
            raise fail(f"bad gold annotations: {one_line(str(exc))}") from None
        if not found:
            raise fail(f"no gold files (*.json) in {directory}")
        twice = sorted(set(found) & set(gold_docs))
        if twice:
            raise fail(f"gold document {twice[0]!r} is in two of the --gold directories")
        gold_docs.update(found)
    gold_names = ", ".join(str(d) for d in gold)

    corpus = read_corpus(inputs, show_progress=not quiet, jobs=jobs)
    given = {f.path.stem for f in corpus.read} | {s.path.stem for s in corpus.skipped}
    scored_gold = {k: v for k, v in gold_docs.items() if k in given}
    if not scored_gold:
        print_skipped(console, corpus.skipped)
        raise fail(f"none of the {len(gold_docs)} gold document(s) in {gold_names} matches an input file name")
    require_documents(corpus)

    kg = build_graph_of(corpus)
    try:
        report = score(predictions_from_graph(kg), scored_gold)
    except ValueError as exc:
        raise fail(one_line(str(exc))) from None
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
            raise fail(f"cannot write {json_out}: {exc.strerror or exc}") from None
        console.print(f"Wrote {escape(str(json_out))}", highlight=False)
    print_skipped(console, corpus.skipped)


