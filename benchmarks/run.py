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


# Runs a command and prints the peak RSS of its process tree: RUSAGE_CHILDREN of this
# small wrapper covers the command and every worker it waited for, and nothing else
# (the benchmark's own earlier runs do not count, as they would in the parent).
_RSS_WRAPPER = r"""
import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:])
sys.stderr.write("\nzonekg-bench-peak-rss %d\n" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024))
sys.exit(rc)
"""


def run_measured(cmd: list[str], **kw) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall time and peak RSS (bytes, the largest process of the command's tree) of a command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _RSS_WRAPPER, *cmd], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env(), **kw)
    out, err = proc.communicate()
    dt = time.perf_counter() - t0
    rss = 0
    m = re.search(r"zonekg-bench-peak-rss (\d+)", err)
    if m:
        rss = int(m.group(1))
        err = err[: m.start()].rstrip("\n")
    cp = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{out}\n{err}")
    return dt, rss, cp


def _rows(stdout: str):
    """(section, label, value) of each row of the build's summary table."""
    section = ""
    for line in stdout.splitlines():
        cells = [c.strip() for c in re.split(r"[│┃|]", line)]
        cells = [c for c in cells[1:-1]] if len(cells) >= 4 else []
        if len(cells) == 3:
            section = cells[0] or section
            yield section, cells[1], cells[2]


def summary(stdout: str, label: str, section: str | None = None) -> str:
    for sec, lab, value in _rows(stdout):
        if lab == label and (section is None or sec == section):
            return value
    return ""


def seconds(stdout: str, phase: str) -> float:
    v = summary(stdout, phase, section="time")
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

# Each library query is asked as a user asks it: with its parameters, whose values the
# benchmark takes from the graph itself (the "pick" step below), bound by the very code
# `kg query NAME --param k=v` runs (kg.query.sparql: load_query, parse_param_args, bind) and
# evaluated on the on-disk store as kg.query.sparql's query worker evaluates it (default
# prefixes, every row read). A query with parameters is also run once more with none of
# them bound (every row of the graph), for information: its target is the bound run.
_QUERY_WORKER = r"""
import json, statistics, sys, time
from decimal import Decimal
sys.path.insert(0, sys.argv[1])
import pyoxigraph as ox
from kg.query.library import DEFAULT_PREFIXES, bind, load_query, parse_param_args
from kg.graph.store import open_store

store = open_store(sys.argv[2])


def first(text):
    for row in store.query(text, prefixes=DEFAULT_PREFIXES):
        return [t.value if t is not None else None for t in row]
    return None


if sys.argv[3] == "pick":
    values, why = {}, {}
    zone = first("SELECT ?z ?label (COUNT(?e) AS ?n) WHERE { ?z a kg:Zone ; kg:hosts ?e ; rdfs:label ?label } "
                 "GROUP BY ?z ?label ORDER BY DESC(?n) ?label LIMIT 1")
    if zone:
        values["zone"] = values["subject"] = zone[1]
        why["zone"] = why["subject"] = f"the zone hosting the most enterprises ({zone[2]})"
        values["relation"], why["relation"] = "hosts", "the relation of those enterprises"
        hosted = first(f"SELECT ?label WHERE {{ GRAPH ?d {{ ?ev rdf:subject <{zone[0]}> ; rdf:predicate kg:hosts ; "
                       "rdf:object ?e } ?e rdfs:label ?label } ORDER BY ?label LIMIT 1")
        if hosted:
            values["object"], why["object"] = hosted[0], "an enterprise that zone hosts, with evidence"
    ent = first("SELECT ?e ?label (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:operatedBy ?e . "
                "?e a kg:Enterprise ; rdfs:label ?label } GROUP BY ?e ?label ORDER BY DESC(?n) ?label LIMIT 1")
    if ent:
        values["enterprise"] = values["name"] = ent[1]
        why["enterprise"] = why["name"] = f"the enterprise operating the most projects ({ent[2]})"
    place = first("SELECT ?label (COUNT(DISTINCT ?z) AS ?n) WHERE { ?z a kg:Zone ; kg:locatedIn ?pl . "
                  "?pl a kg:Place ; rdfs:label ?label } GROUP BY ?pl ?label ORDER BY DESC(?n) ?label LIMIT 1")
    if place:
        values["place"], why["place"] = place[0], f"the place with the most zones ({place[1]})"
    amounts = sorted(Decimal(row[0].value) for row in store.query(
        "SELECT ?amount WHERE { ?p a kg:Project ; kg:invests/kg:amount ?amount }", prefixes=DEFAULT_PREFIXES))
    if amounts:
        values["min"] = str(amounts[len(amounts) // 2])
        why["min"] = f"the median project amount in yuan (of {len(amounts)})"
    print(json.dumps({"values": values, "why": why}, ensure_ascii=False))
    sys.exit(0)

# run QUERY RUNS BUDGET [k=v ...]: RUNS runs, fewer when they pass BUDGET seconds (at least one)
q = load_query(sys.argv[4])
text = bind(q.text, parse_param_args(sys.argv[7:]), q.params)
runs, budget = int(sys.argv[5]), float(sys.argv[6])
times, rows = [], 0
while len(times) < runs and (not times or sum(times) < budget):
    t0 = time.perf_counter()
    res = store.query(text, prefixes=DEFAULT_PREFIXES)
    rows = 1 if isinstance(res, ox.QueryBoolean) else sum(1 for _ in res)
    times.append(time.perf_counter() - t0)
print(json.dumps({"median": statistics.median(times), "min": min(times), "rows": rows, "runs": len(times)}))
"""


def query_latencies(store_dir: Path, runs: int, timeout: float, queries: Path | None = None,
                    all_budget: float = 30.0, all_timeout: float = 120.0) -> dict:
    """Median latency of every query of ``queries`` (default: the library) on the store.

    Returns ``{"params": {name: value}, "why": {name: how it was picked}, "queries": [...]}``;
    each query's entry has the parameters it was run with, ``median``/``min`` seconds,
    ``rows`` and ``runs`` of that run (or ``error``), and, when the query has parameters,
    ``all``: the same figures for the run with none bound (every row; information only,
    so it stops repeating once its runs have taken ``all_budget`` seconds and gives up
    after ``all_timeout``)."""
    from kg.query.library import read_query_file

    worker = Path(tempfile.mkstemp(suffix=".py")[1])
    worker.write_text(_QUERY_WORKER, "utf-8")

    def call(*args: str, limit: float = timeout) -> dict:
        try:
            cp = subprocess.run([sys.executable, str(worker), str(REPO), str(store_dir), *args],
                                capture_output=True, text=True, env=env(), timeout=limit)
        except subprocess.TimeoutExpired:
            return {"error": f"over {limit:.0f} s"}
        if cp.returncode != 0:
            return {"error": (cp.stderr.strip().splitlines() or ["failed"])[-1]}
        return json.loads(cp.stdout.strip().splitlines()[-1])

    try:
        picked = call("pick")
        values = picked.get("values", {})
        out = []
        for path in sorted((queries or REPO / "queries").glob("*.rq")):
            names = [p.name for p in read_query_file(path).params]
            params = {n: values[n] for n in names if n in values}
            row = {"query": path.stem, "params": params,
                   **call("run", str(path), str(runs), "inf", *(f"{k}={v}" for k, v in params.items()))}
            if names:
                row["all"] = call("run", str(path), str(runs), str(all_budget), limit=min(timeout, all_timeout))
            out.append(row)
    finally:
        worker.unlink()
    return {"params": values, "why": picked.get("why", {}), "error": picked.get("error"), "queries": out}


# ------------------------------------------------------------------------------- export

def export_rates(trig: Path) -> dict:
    import pyoxigraph as ox

    from kg.graph.build import KnowledgeGraph, _sort_key
    from kg.graph.output import serialize_to

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
    say(f"\n4. queries on the on-disk store ({build['quads']:,} quads), median of 5, "
        "asked with parameter values taken from the graph")
    ql = query_latencies(store, runs=5, timeout=600)
    if ql.get("error"):
        say(f"  picking the parameter values failed: {ql['error']}")
    for k, v in ql["params"].items():
        say(f"  --param {k}={v}   ({ql['why'].get(k, '')})")

    def latency(r: dict) -> str:
        if "error" in r:
            return r["error"]
        runs = "" if r["runs"] == 5 else f", median of {r['runs']}"
        return f"{r['median'] * 1000:9.1f} ms  ({r['rows']} rows{runs})"

    for q in ql["queries"]:
        flag = "   over the 200 ms target" if "error" in q or q["median"] >= 0.2 else ""
        say(f"  {q['query']:24} {latency(q)}{flag}" + (f"   [{', '.join(q['params'])}]" if q["params"] else ""))
        if "all" in q:
            say(f"  {'':24} {latency(q['all'])}   without parameters, every row (information)")
    R["query_params"] = ql["params"]
    R["queries"] = ql["queries"]

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
        name = f"query `{q['query']}`"
        args = " ".join(f"{k}={v}" for k, v in q.get("params", {}).items())
        for r, what, target in ((q, f"{name} ({args})" if args else name, "< 200 ms"),
                                (q.get("all"), f"{name} without parameters, every row (information)", "")):
            if r is None:
                continue
            figure = r["error"] if "error" in r else f"{r['median'] * 1000:.1f} ms median ({r['rows']} rows)"
            lines.append(f"| {what} | {figure} | | | {target} |")
    ex = R["export"]
    lines.append(f"| Turtle export (default graph, {ex['turtle']['triples']:,} triples) | {ex['turtle']['per_s']:,.0f} triples/s | | | |")
    lines.append(f"| TriG export incl. canonical sort ({ex['quads']:,} quads) | {ex['trig_with_sort_per_s']:,.0f} quads/s | "
                 f"serializer alone {ex['serializer_only_trig']['per_s']:,.0f}/s | "
                 f"{ex['trig_with_sort_per_s'] / ex['serializer_only_trig']['per_s']:.2f} | ≥ 200,000/s |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
