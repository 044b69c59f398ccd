"""SHACL validation: the SPARQL translation (kg/graph/shacl_sparql.py) against pyshacl, same run.

    python benchmarks/validate.py [--mb 2] [--runs 3] [--work DIR]

Generates a corpus (benchmarks/corpus.py), runs the default `kg build -j 1` on it once
(validation on, store on) to get validation's share of the whole build from the build's
own summary, then times both validators on that build's quads (read back from
graph.trig), each from quads to violations (the SPARQL side includes loading the
in-memory store), and prints the medians and their ratio. Both must give the same
verdicts; the script fails otherwise. About two minutes at the default 0.5 MB on 2 cores.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import generate  # noqa: E402
from run import run_measured, seconds  # noqa: E402


class _Quads:
    def __init__(self, quads) -> None:
        self._quads = quads

    def quads(self):
        return self._quads


def _median_time(fn, runs: int):
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=0.5, help="corpus size in MB (default 0.5)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each validator (default 3)")
    ap.add_argument("--work", type=Path, help="working directory (kept); default: a temporary one")
    args = ap.parse_args(argv)

    import pyoxigraph as ox
    from rdflib import Graph

    from kg.graph.ontology_files import shapes_path
    from kg.graph.validate import validate, validate_with_pyshacl

    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        files = generate(work / "corpus", args.mb)
        mb = sum(f.stat().st_size for f in files) / 1e6
        out = work / "out"
        stdout = _default_build(files, out)
        total, validate_s = seconds(stdout, "total"), seconds(stdout, "validate")
        print(f"default `kg build -j 1`: total {total:.1f} s, validate {validate_s:.2f} s = "
              f"{100 * validate_s / total:.1f}% of the build (target <= 10%)", flush=True)
        quads = list(ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG))
        shapes = Graph().parse(shapes_path(), format="turtle")

        fast, fast_all, fast_found = _median_time(lambda: validate(_Quads(quads)), args.runs)
        slow, slow_all, slow_found = _median_time(lambda: validate_with_pyshacl(_Quads(quads), shapes), args.runs)
        if fast_found != slow_found:
            print(f"verdicts differ: SPARQL {len(fast_found)} violation(s), pyshacl {len(slow_found)}")
            return 1

    print(f"corpus {len(files)} articles, {mb:.2f} MB, {len(quads):,} quads; "
          f"{len(fast_found)} violation(s) from both validators")
    print(f"pyshacl           median {slow:7.2f} s  (runs: {', '.join(f'{t:.2f}' for t in slow_all)})")
    print(f"SPARQL (oxigraph) median {fast:7.2f} s  (runs: {', '.join(f'{t:.2f}' for t in fast_all)})")
    print(f"speed-up {slow / fast:.1f}x")
    return 0


def _default_build(files, out) -> str:
    """The summary `kg build -j 1` prints, validation and store on (as the README runs it)."""
    cmd = [sys.executable, "-m", "kg", "build", *map(str, files), "-o", str(out), "-j", "1", "--no-cache"]
    _, _, cp = run_measured(cmd)
    return cp.stdout


if __name__ == "__main__":
    raise SystemExit(main())
