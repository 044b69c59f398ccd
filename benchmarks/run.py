"""zonekg benchmarks: one command, every figure measured in the same run.

    python benchmarks/run.py            # full: a 20 MB corpus (about 15-20 minutes on 2 cores)
    python benchmarks/run.py --quick    # 2 MB (a few minutes)
    python benchmarks/run.py --update-readme   # also write the figures into benchmarks/README.md

What it measures (each speed also as a ratio to a baseline timed in the same run, on
the same text, because these machines are noisy):

1. extraction throughput: ``kg build -j 1`` on the generated corpus (benchmarks/corpus.py),
   whole command, in MB/s, against ``jieba.cut`` and ``jieba.posseg.cut`` over the same
   text (and rjieba's ``cut``/``tag``, for reference);
2. scaling: ``kg build -j N`` for N = 1, 2 and the cores available;
3. growth: build time and peak RSS at 1x, 10x and 100x corpus sizes;
4. queries: every ``queries/*.rq`` on the built graph (>= 1M quads in the full run),
   median of 5 runs on the on-disk store;
5. Turtle/TriG export of that graph, triples/s (sorting included), against the
   serializer alone on unsorted triples.

It needs the package's dependencies plus psutil-free stdlib only; the corpus and
outputs go to ``--work`` (default: a temporary directory).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import corpus as generator  # noqa: E402


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join([str(REPO)] + ([e["PYTHONPATH"]] if e.get("PYTHONPATH") else []))
    e["COLUMNS"] = "200"
    return e


def run_measured(cmd: list[str], **kw) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall time and peak RSS (bytes, the largest process of the tree) of a command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(), **kw)
    out, err = proc.communicate()
    dt = time.perf_counter() - t0
    # RUSAGE_CHILDREN's maxrss is the largest process waited for so far: with growing
    # sizes in order, it is this run's peak.
    import resource

    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    cp = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{out}\n{err}")
    return dt, rss, cp


def summary(stdout: str, label: str) -> str:
    for line in stdout.splitlines():
        cells = [c.strip() for c in re.split(r"[│┃|]", line)]
        if label in cells:
            return cells[cells.index(label) + 1]
    return ""


def seconds(stdout: str, phase: str) -> float:
    v = summary(stdout, phase)
    return float(v.split()[0]) if v else 0.0


def kg_build(inputs: list[Path], out: Path, jobs: int, extra: tuple[str, ...] = ()) -> tuple[float, int, str]:
    cmd = [sys.executable, "-m", "kg", "build", *map(str, inputs), "-o", str(out), "-j", str(jobs),
           "--no-cache", "--no-validate", *extra]
    dt, rss, cp = run_measured(cmd)
    return dt, rss, cp.stdout


# --------------------------------------------------------------------------- baselines

_BASELINE = r"""
import sys, time, json
from pathlib import Path
files = [Path(p) for p in sys.argv[2:]]
texts = [f.read_text("utf-8") for f in files]
mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
kind = sys.argv[1]
if kind in ("jieba.cut", "jieba.posseg.cut"):
    import jieba, jieba.posseg, logging
    jieba.setLogLevel(logging.WARNING)
    t0 = time.perf_counter(); jieba.initialize(); jieba.posseg.dt.initialize(); init = time.perf_counter() - t0
    cut = jieba.cut if kind == "jieba.cut" else jieba.posseg.cut
else:
    import rjieba
    t0 = time.perf_counter(); rjieba.cut("预热"); init = time.perf_counter() - t0
    cut = rjieba.cut if kind == "rjieba.cut" else rjieba.tag
t0 = time.perf_counter()
n = 0
for t in texts:
    for _ in cut(t):
        n += 1
dt = time.perf_counter() - t0
print(json.dumps({"kind": kind, "seconds": dt, "init": init, "mb": mb, "tokens": n}))
"""


def baseline(kind: str, files: list[Path]) -> dict:
    lst = Path(tempfile.mkstemp(suffix=".py")[1])
    lst.write_text(_BASELINE, "utf-8")
    try:
        cp = subprocess.run([sys.executable, str(lst), kind, *map(str, files)], capture_output=True, text=True,
                            env=env(), check=True)
    finally:
        lst.unlink()
    return json.loads(cp.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------ queries

_QUERY_WORKER = r"""
import sys, time, json, statistics
sys.path.insert(0, sys.argv[3])
from kg.store import open_store
from kg.sparql import DEFAULT_PREFIXES
store = open_store(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
times = []
rows = 0
for i in range(int(sys.argv[4])):
    t0 = time.perf_counter()
    res = store.query(text, prefixes=DEFAULT_PREFIXES)
    rows = sum(1 for _ in res) if not isinstance(res, bool) and hasattr(res, "__iter__") else 1
    times.append(time.perf_counter() - t0)
print(json.dumps({"median": statistics.median(times), "min": min(times), "rows": rows, "runs": len(times)}))
"""


def query_latencies(store_dir: Path, runs: int, timeout: float) -> list[dict]:
    worker = Path(tempfile.mkstemp(suffix=".py")[1])
    worker.write_text(_QUERY_WORKER, "utf-8")
    out = []
    try:
        for q in sorted((REPO / "queries").glob("*.rq")):
            try:
                cp = subprocess.run([sys.executable, str(worker), str(store_dir), str(q), str(REPO), str(runs)],
                                    capture_output=True, text=True, env=env(), timeout=timeout)
            except subprocess.TimeoutExpired:
                out.append({"query": q.stem, "error": f"over {timeout:.0f} s for {runs} runs"})
                continue
            if cp.returncode != 0:
                out.append({"query": q.stem, "error": (cp.stderr.strip().splitlines() or ["failed"])[-1]})
                continue
            out.append({"query": q.stem, **json.loads(cp.stdout.strip().splitlines()[-1])})
    finally:
        worker.unlink()
    return out


# ------------------------------------------------------------------------------- export

def export_rates(trig: Path) -> dict:
    import pyoxigraph as ox

    from kg.build import KnowledgeGraph, _sort_key, serialize_to

    quads = list(ox.parse(path=str(trig), format=ox.RdfFormat.TRIG))
    default = [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    t0 = time.perf_counter()
    ordered = sorted(quads, key=_sort_key)
    sort_s = time.perf_counter() - t0
    n_default = len(default)
    kg = KnowledgeGraph(ordered, {}, [], default_count=n_default)
    res = {"quads": len(quads), "default_triples": n_default, "sort_seconds": sort_s}
    for fmt, n in (("turtle", n_default), ("trig", len(quads))):
        with tempfile.TemporaryFile() as fh:
            t0 = time.perf_counter()
            serialize_to(kg, fmt, fh)
            dt = time.perf_counter() - t0
        res[fmt] = {"triples": n, "seconds": dt, "per_s": n / dt}
    # The serializer alone, unsorted, same triples: the baseline.
    with tempfile.TemporaryFile() as fh:
        t0 = time.perf_counter()
        ox.serialize(quads, fh, format=ox.RdfFormat.TRIG)
        dt = time.perf_counter() - t0
    res["serializer_only_trig"] = {"triples": len(quads), "seconds": dt, "per_s": len(quads) / dt}
    # What kg build spends on it: the canonical sort is part of every export.
    res["trig_with_sort_per_s"] = len(quads) / (res["trig"]["seconds"] + sort_s)
    return res


# ---------------------------------------------------------------------------------- main

def fmt_rate(x: float) -> str:
    return f"{x:,.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="2 MB instead of 20 MB")
    ap.add_argument("--mb", type=float, help="corpus size in MB (overrides --quick)")
    ap.add_argument("--work", type=Path, help="working directory (kept); default: a temporary one")
    ap.add_argument("--update-readme", action="store_true", help="write the figures into benchmarks/README.md")
    ap.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = ap.parse_args(argv)

    mb = args.mb or (2.0 if args.quick else 20.0)
    work = args.work or Path(tempfile.mkdtemp(prefix="zonekg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count() or 1
    R: dict = {"machine": {"cores": cores, "python": platform.python_version(), "platform": platform.platform(),
                           "processor": platform.processor() or platform.machine()},
               "corpus_mb": mb, "mode": "quick" if args.quick else "full"}

    def say(*a):
        print(*a, flush=True)

    say(f"zonekg benchmarks ({R['mode']}, {mb:g} MB), {cores} cores, Python {R['machine']['python']}")
    corpus_dir = work / f"corpus-{mb:g}mb"
    if not corpus_dir.is_dir():
        generator.generate(corpus_dir, mb, seed=1)
    files = sorted(corpus_dir.glob("*.txt"))
    size = sum(f.stat().st_size for f in files) / 1e6
    R["corpus"] = {"files": len(files), "mb": size}
    say(f"corpus: {len(files)} articles, {size:.1f} MB in {corpus_dir}")

    # 1. Throughput, one process.
    say("\n1. extraction throughput, one process")
    base = {}
    for kind in ("jieba.cut", "jieba.posseg.cut", "rjieba.cut", "rjieba.tag"):
        try:
            b = baseline(kind, files)
        except subprocess.CalledProcessError as exc:
            say(f"  {kind}: failed ({exc.stderr.strip().splitlines()[-1:]})")
            continue
        b["mb_s"] = b["mb"] / b["seconds"]
        base[kind] = b
        say(f"  {kind:18} {b['mb_s']:8.2f} MB/s  ({b['seconds']:.1f} s, dictionary load {b['init']:.1f} s not counted)")
    dt, rss, out = kg_build([corpus_dir], work / "out-j1", 1)
    build = {"seconds": dt, "mb_s": size / dt, "peak_rss": rss, "quads": int(summary(out, "graph.trig (with provenance)") or 0),
             "phases": {p: seconds(out, p) for p in ("read", "extract", "build", "write", "store")}}
    build["extract_mb_s"] = size / build["phases"]["extract"] if build["phases"]["extract"] else 0
    R["throughput"] = {"baselines": base, "kg_build_j1": build}
    say(f"  kg build -j 1      {build['mb_s']:8.2f} MB/s  (whole command, {dt:.1f} s: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in build["phases"].items()) + ")")
    say(f"    extraction phase alone {build['extract_mb_s']:.2f} MB/s")
    for kind in ("jieba.cut", "jieba.posseg.cut"):
        if kind in base:
            r = build["mb_s"] / base[kind]["mb_s"]
            R["throughput"][f"ratio_vs_{kind}"] = r
            say(f"  ratio kg build / {kind}: {r:.2f}" + ("   (target >= 1.0)" if kind == "jieba.cut" else ""))

    # 2. Scaling.
    say("\n2. scaling: kg build -j N")
    scaling = []
    t1 = None
    for n in sorted({1, 2, cores}):
        if n == 1:
            dt_n, ex_n = dt, build["phases"]["extract"]
        else:
            dt_n, _, out_n = kg_build([corpus_dir], work / f"out-j{n}", n)
            ex_n = seconds(out_n, "extract")
        if n == 1:
            t1, e1 = dt_n, ex_n
        row = {"jobs": n, "seconds": dt_n, "speedup": t1 / dt_n, "extract_seconds": ex_n, "extract_speedup": e1 / ex_n,
               "target": 0.8 * n}
        scaling.append(row)
        say(f"  -j {n}: {dt_n:6.1f} s, speedup {row['speedup']:.2f} (extraction {row['extract_speedup']:.2f}); target {0.8 * n:.1f}")
    R["scaling"] = scaling

    # 3. Growth: 1x, 10x, 100x (the 100x is the whole corpus).
    say("\n3. growth (kg build -j 1)")
    growth = []
    total = 0
    subsets = {}
    for f in files:
        total += f.stat().st_size
        for k in (1, 10, 100):
            if k not in subsets and total >= size * 1e6 * k / 100:
                subsets[k] = files[: files.index(f) + 1]
    for k in (1, 10, 100):
        sub = subsets[k]
        d = work / f"growth-{k}x"
        if not d.is_dir():
            d.mkdir()
            for f in sub:
                os.link(f, d / f.name) if hasattr(os, "link") else d.joinpath(f.name).write_bytes(f.read_bytes())
        mb_k = sum(f.stat().st_size for f in sub) / 1e6
        if k == 100:
            dt_k, rss_k, out_k = dt, build["peak_rss"], out
        else:
            dt_k, rss_k, out_k = kg_build([d], work / f"out-growth-{k}", 1)
        quads = int(summary(out_k, "graph.trig (with provenance)") or 0)
        row = {"factor": k, "mb": mb_k, "files": len(sub), "seconds": dt_k, "peak_rss_mb": rss_k / 2**20, "quads": quads,
               "s_per_mb": dt_k / mb_k}
        growth.append(row)
        say(f"  {k:3}x: {mb_k:6.2f} MB, {len(sub):5} files, {quads:9,} quads: {dt_k:7.1f} s ({dt_k / mb_k:.2f} s/MB), "
            f"peak RSS {rss_k / 2**20:,.0f} MB")
    R["growth"] = growth

    # 4. Queries on the whole graph's store.
    store = work / "out-j1" / "store"
    say(f"\n4. queries on the on-disk store ({build['quads']:,} quads), median of 5")
    qs = query_latencies(store, runs=5, timeout=600)
    for q in qs:
        if "error" in q:
            say(f"  {q['query']:24} {q['error']}")
        else:
            flag = "" if q["median"] < 0.2 else "   over the 200 ms target"
            say(f"  {q['query']:24} {q['median'] * 1000:9.1f} ms  ({q['rows']} rows){flag}")
    R["queries"] = qs

    # 5. Export.
    say("\n5. export (sorted, as kg build writes it)")
    ex = export_rates(work / "out-j1" / "graph.trig")
    R["export"] = ex
    say(f"  canonical sort of {ex['quads']:,} quads: {ex['sort_seconds']:.2f} s")
    say(f"  Turtle (default graph) {ex['turtle']['triples']:,} triples: {ex['turtle']['per_s']:,.0f} triples/s")
    say(f"  TriG (all) {ex['trig']['triples']:,} quads: {ex['trig']['per_s']:,.0f} quads/s; "
        f"with the sort {ex['trig_with_sort_per_s']:,.0f}/s (target >= 200,000)")
    say(f"  baseline, pyoxigraph serializer alone (unsorted TriG): {ex['serializer_only_trig']['per_s']:,.0f}/s; "
        f"ratio {ex['trig_with_sort_per_s'] / ex['serializer_only_trig']['per_s']:.2f}")

    if args.json:
        args.json.write_text(json.dumps(R, indent=2, ensure_ascii=False) + "\n", "utf-8")
    if args.update_readme:
        update_readme(R)
        say(f"\nwrote {HERE / 'README.md'}")
    return 0


def update_readme(R: dict) -> None:
    readme = HERE / "README.md"
    text = readme.read_text("utf-8") if readme.exists() else ""
    start, end = f"<!-- results:{R['mode']}:start -->", f"<!-- results:{R['mode']}:end -->"
    block = start + "\n" + render(R) + end
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text += "\n" + block + "\n"
    readme.write_text(text, "utf-8")


def render(R: dict) -> str:
    m = R["machine"]
    t = R["throughput"]
    b = t["kg_build_j1"]
    lines = [f"Measured {time.strftime('%Y-%m-%d')} on {m['cores']} cores ({m['processor']}), Python {m['python']}, "
             f"{m['platform']}; corpus {R['corpus']['files']} articles, {R['corpus']['mb']:.1f} MB, "
             f"{b['quads']:,} quads.", "", "| measure | figure | baseline (same run) | ratio | target |",
             "|---|---|---|---|---|"]
    jc = t["baselines"].get("jieba.cut", {}).get("mb_s")
    jp = t["baselines"].get("jieba.posseg.cut", {}).get("mb_s")
    lines.append(f"| `kg build -j 1`, whole command | {b['mb_s']:.2f} MB/s | jieba.cut {jc:.2f} MB/s | "
                 f"{b['mb_s'] / jc:.2f} | ≥ 1.0 |")
    lines.append(f"| `kg build -j 1`, whole command | {b['mb_s']:.2f} MB/s | jieba.posseg.cut {jp:.2f} MB/s | "
                 f"{b['mb_s'] / jp:.2f} | |")
    lines.append(f"| extraction phase alone | {b['extract_mb_s']:.2f} MB/s | jieba.cut {jc:.2f} MB/s | "
                 f"{b['extract_mb_s'] / jc:.2f} | |")
    for k in ("rjieba.cut", "rjieba.tag"):
        if k in t["baselines"]:
            lines.append(f"| {k} (reference) | {t['baselines'][k]['mb_s']:.2f} MB/s | | | |")
    lines.append("| phases of `-j 1` (s) | " + ", ".join(f"{k} {v:.1f}" for k, v in b["phases"].items()) + " | | | |")
    for row in R["scaling"]:
        lines.append(f"| `-j {row['jobs']}` | {row['seconds']:.1f} s | `-j 1` {R['scaling'][0]['seconds']:.1f} s | "
                     f"speedup {row['speedup']:.2f} (extraction {row['extract_speedup']:.2f}) | ≥ {row['target']:.1f} |")
    for row in R["growth"]:
        lines.append(f"| growth {row['factor']}× ({row['mb']:.2f} MB, {row['quads']:,} quads) | {row['seconds']:.1f} s, "
                     f"{row['s_per_mb']:.2f} s/MB | | peak RSS {row['peak_rss_mb']:,.0f} MB | RSS < 2 GB at 1M triples |")
    for q in R["queries"]:
        if "error" in q:
            lines.append(f"| query `{q['query']}` | {q['error']} | | | < 200 ms |")
        else:
            lines.append(f"| query `{q['query']}` | {q['median'] * 1000:.1f} ms median ({q['rows']} rows) | | | < 200 ms |")
    ex = R["export"]
    lines.append(f"| Turtle export (default graph, {ex['turtle']['triples']:,} triples) | {ex['turtle']['per_s']:,.0f} triples/s | | | |")
    lines.append(f"| TriG export incl. canonical sort ({ex['quads']:,} quads) | {ex['trig_with_sort_per_s']:,.0f} quads/s | "
                 f"serializer alone {ex['serializer_only_trig']['per_s']:,.0f}/s | "
                 f"{ex['trig_with_sort_per_s'] / ex['serializer_only_trig']['per_s']:.2f} | ≥ 200,000/s |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
