"""zonekg benchmarks: the targets of issue 16, every figure measured in the same run.

    python benchmarks/run.py                    # a 20 MB generated corpus (about half an hour on 2 cores)
    python benchmarks/run.py --quick            # 2 MB (a few minutes)
    python benchmarks/run.py --sizes 2,20,50    # one table per size, and how peak RSS grows between them
    python benchmarks/run.py --update-readme --json figures.json   # also write the tables / every figure

Every command timed is the default ``kg build`` as the README runs it (validation, store
and cache on), in a fresh output directory, so start-up, reading, extraction, merging,
writing, the store and SHACL validation all count. Speeds are printed next to a baseline
timed in the same run on the same files, because these machines are noisy:

- default ``kg build -j 1`` against ``jieba.cut`` over the same files (dictionary load not
  counted), on the generated corpus (benchmarks/corpus.py) and on the 45 real articles
  (the seeds and ``shared/dev/docs``, when that directory is there);
- ``-j 2`` against ``-j 1``, whole command;
- peak RSS of the whole command tree (the sum over the command and its workers, sampled
  from /proc, and at least the largest single process's own peak);
- SHACL validation's share of the ``-j 1`` build, from the phases its summary prints;
- a rebuild after one article was replaced, with the cache the first build wrote,
  against that full build;
- every library query with its parameters (values picked from the graph) on the
  build's on-disk store, median of 5;
- ``graph.ttl``/``graph.trig``: the ``-j 1`` and ``-j 2`` builds of the same corpus must be
  byte-identical, and the seeds (and the real articles) must build to the same bytes
  with the working tree as with the committed code of ``--reference`` (default: main).

At the end each size's table has every target beside its figure, and a missed target
says by how much. Outputs go to ``--work`` (default: a temporary directory).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import signal
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

OUTPUTS = ("graph.ttl", "graph.trig")


def env(code: Path = REPO) -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join([str(code)] + ([e["PYTHONPATH"]] if e.get("PYTHONPATH") else []))
    e["COLUMNS"] = "200"
    return e


# Runs a command and prints the peak RSS of the largest process of its tree: RUSAGE_CHILDREN
# of this small wrapper covers the command and every worker it waited for, and nothing else.
_RSS_WRAPPER = r"""
import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:])
sys.stderr.write("\nzonekg-bench-peak-rss %d\n" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024))
sys.exit(rc)
"""


class MemoryLimitExceeded(RuntimeError):
    def __init__(self, rss: int, seconds: float) -> None:
        super().__init__(f"stopped at {rss / 2**30:.1f} GB after {seconds:.0f} s")
        self.rss, self.seconds = rss, seconds


def _tree_rss(root: int) -> int:
    """Resident bytes of the processes below ``root`` (not ``root`` itself), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    total, todo, page = 0, list(children.get(root, ())), os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        todo += children.get(pid, ())
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * page
        except OSError:
            pass
    return total


def run_measured(cmd: list[str], rss_limit: int | None = None, code: Path = REPO,
                 cwd: Path | None = None) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall time and peak RSS in bytes of a command's whole tree (sampled every 0.2 s, and at
    least its largest process's own peak). Past ``rss_limit`` bytes the command's process group
    is killed and MemoryLimitExceeded raised; a failing command ends the benchmark."""
    sample = os.path.isdir("/proc")
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out, tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", _RSS_WRAPPER, *cmd], stdout=out, stderr=err, env=env(code),
                                cwd=cwd, start_new_session=True)
        peak = 0
        while proc.poll() is None:
            if sample:
                peak = max(peak, _tree_rss(proc.pid))
                if rss_limit and peak > rss_limit:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                    raise MemoryLimitExceeded(peak, time.perf_counter() - t0)
            time.sleep(0.2)
        dt = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    m = re.search(r"zonekg-bench-peak-rss (\d+)", stderr)
    if m:
        peak = max(peak, int(m.group(1)))
        stderr = stderr[: m.start()].rstrip("\n")
    cp = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{stdout}\n{stderr}")
    return dt, peak, cp


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


PHASES = ("read", "extract", "build", "write", "store", "validate")


def kg_build(inputs: list[Path], out: Path, jobs: int, extra: tuple[str, ...] = (), fresh: bool = True,
             rss_limit: int | None = None, code: Path = REPO) -> dict:
    """The default ``kg build INPUTS -o OUT -j JOBS`` (plus ``extra``), in a fresh ``out`` unless
    ``fresh`` is false: wall seconds, peak RSS, quads, the summary's phases and its output."""
    if fresh and out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "kg", "build", *map(str, inputs), "-o", str(out), "-j", str(jobs), *extra]
    dt, rss, cp = run_measured(cmd, rss_limit=rss_limit, code=code, cwd=code if code != REPO else None)
    return {"jobs": jobs, "seconds": dt, "peak_rss": rss, "stdout": cp.stdout,
            "quads": int(summary(cp.stdout, "graph.trig (with provenance)") or 0),
            "phases": {p: seconds(cp.stdout, p) for p in PHASES}, "total": seconds(cp.stdout, "total"),
            "reused": int(summary(cp.stdout, "reused", section="cache") or 0),
            "extracted": int(summary(cp.stdout, "extracted", section="cache") or 0),
            "validation": "passed" if "SHACL validation: passed" in cp.stdout + cp.stderr else "see output"}


def digests(out: Path) -> dict[str, str]:
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in OUTPUTS}


# --------------------------------------------------------------------------- baselines

_BASELINE = r"""
import sys, time, json
from pathlib import Path
files = [Path(p) for p in Path(sys.argv[2]).read_text("utf-8").splitlines()]
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
    """``kind`` (jieba.cut, jieba.posseg.cut, rjieba.cut, rjieba.tag) over ``files``, in a
    process of its own: seconds (dictionary load not counted), MB and MB/s."""
    script = Path(tempfile.mkstemp(suffix=".py")[1])
    listing = Path(tempfile.mkstemp(suffix=".txt")[1])
    script.write_text(_BASELINE, "utf-8")
    listing.write_text("\n".join(map(str, files)), "utf-8")
    try:
        cp = subprocess.run([sys.executable, str(script), kind, str(listing)], capture_output=True, text=True,
                            env=env(), check=True)
    finally:
        script.unlink()
        listing.unlink()
    b = json.loads(cp.stdout.strip().splitlines()[-1])
    b["mb_s"] = b["mb"] / b["seconds"]
    return b


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
                    all_budget: float = 30.0, all_timeout: float = 120.0, with_all: bool = True) -> dict:
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
            if names and with_all:
                row["all"] = call("run", str(path), str(runs), str(all_budget), limit=min(timeout, all_timeout))
            out.append(row)
    finally:
        worker.unlink()
    return {"params": values, "why": picked.get("why", {}), "error": picked.get("error"), "queries": out}


# ---------------------------------------------------------------------- reference code

def reference_code(ref: str, work: Path) -> tuple[Path, str] | None:
    """The committed tree of ``ref`` unpacked under ``work`` (git archive), and its commit."""
    try:
        sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify", f"{ref}^{{commit}}"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    d = work / f"reference-{sha[:12]}"
    if not (d / "kg").is_dir():
        d.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", sha], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(d)], input=archive, check=True)
    return d, sha


# ------------------------------------------------------------------------ the targets

def _gb(b: float) -> str:
    return f"{b / 2**30:.2f} GB"


def verdict(value: float | None, target: float, better: str, unit=lambda x: f"{x:.2f}") -> str:
    """'met', or by how much ``value`` misses ``target`` (better is '>=', '<=' or '<')."""
    if value is None:
        return "not measured"
    met = value >= target if better == ">=" else value <= target if better == "<=" else value < target
    if met:
        return "met"
    if better == ">=":
        return f"MISSED by {unit(target - value)} ({target / value:.1f}x short)" if value else "MISSED"
    return f"MISSED by {unit(value - target)} ({value / target:.1f}x the target)"


def target_rows(R: dict) -> list[tuple[str, str, str, str]]:
    """(measure, figure, target, verdict) for every row of the issue's table, for one size."""
    rows = []
    j1, base = R["j1"], R["jieba"]
    ratio = j1["mb_s"] / base["mb_s"]
    rows.append((f"default `kg build -j 1` vs `jieba.cut`, {R['corpus']['mb']:.1f} MB",
                 f"{j1['mb_s']:.3f} MB/s ({j1['seconds']:.1f} s) vs {base['mb_s']:.2f} MB/s: {ratio:.3f}x",
                 ">= 1.0x", verdict(ratio, 1.0, ">=", lambda x: f"{x:.2f}x")))
    j2 = R.get("j2")
    if j2 and "aborted" not in j2:
        speedup = j1["seconds"] / j2["seconds"]
        rows.append(("`-j 2` vs `-j 1`, whole default command",
                     f"{j2['seconds']:.1f} s vs {j1['seconds']:.1f} s: {speedup:.2f}x", ">= 1.8x",
                     verdict(speedup, 1.8, ">=", lambda x: f"{x:.2f}x")))
    else:
        rows.append(("`-j 2` vs `-j 1`, whole default command", (j2 or {}).get("aborted", "not measured"),
                     ">= 1.8x", "not measured"))
    for label, b in (("-j 1", j1), ("-j 2", j2)):
        if b and "aborted" not in b:
            rows.append((f"peak RSS, whole command tree, `{label}`, {b['quads']:,} quads", _gb(b["peak_rss"]),
                         "<= 1 GB", verdict(b["peak_rss"] / 2**30, 1.0, "<=", lambda x: f"{x:.2f} GB")))
    share = j1["phases"]["validate"] / j1["total"] if j1["total"] else None
    rows.append(("SHACL validation share of the default `-j 1` build",
                 f"{j1['phases']['validate']:.1f} s of {j1['total']:.1f} s = {100 * share:.1f}%" if share is not None
                 else "no phase summary", "<= 10%",
                 verdict(100 * share if share is not None else None, 10, "<=", lambda x: f"{x:.1f} points")))
    rb = R.get("rebuild")
    if rb and "aborted" not in rb:
        frac = rb["seconds"] / j1["seconds"]
        rows.append((f"rebuild after 1 of {R['corpus']['files']:,} articles changed (cache on)",
                     f"{rb['seconds']:.1f} s vs full {j1['seconds']:.1f} s = {100 * frac:.1f}% "
                     f"(reused {rb['reused']:,}, extracted {rb['extracted']})",
                     "<= 10% of a full build", verdict(100 * frac, 10, "<=", lambda x: f"{x:.1f} points")))
    else:
        rows.append(("rebuild after 1 article changed", (rb or {}).get("aborted", "not measured"),
                     "<= 10% of a full build", "not measured"))
    if R.get("queries"):
        for q in R["queries"]["queries"]:
            args = " ".join(f"{k}={v}" for k, v in q["params"].items())
            what = f"query `{q['query']}`" + (f" ({args})" if args else "") + f", {j1['quads']:,} quads"
            if "error" in q:
                rows.append((what, q["error"], "< 200 ms median", "MISSED (" + q["error"] + ")"))
            else:
                ms = q["median"] * 1000
                rows.append((what, f"{ms:.1f} ms median ({q['rows']:,} rows)", "< 200 ms median",
                             verdict(ms, 200, "<", lambda x: f"{x:.0f} ms")))
            if "all" in q:
                a = q["all"]
                rows.append(("  same, no parameters, every row", a.get("error") or
                             f"{a['median'] * 1000:.1f} ms median ({a['rows']:,} rows)", "(information)", ""))
    else:
        rows.append(("every library query with its parameters", "not measured", "< 200 ms median", "not measured"))
    same = R.get("identical")
    if same is not None:
        rows.append(("`graph.ttl` / `graph.trig`, `-j 1` and `-j 2` builds of this corpus",
                     "byte-identical" if same else "DIFFER", "byte-identical", "met" if same else "MISSED"))
    return rows


def common_rows(C: dict) -> list[tuple[str, str, str, str]]:
    """The rows measured once per run: real articles, and the output against the committed code."""
    rows = []
    real = C.get("real")
    if real and "skipped" not in real:
        ratio = real["build"]["mb_s"] / real["jieba"]["mb_s"]
        rows.append((f"default `kg build -j 1` vs `jieba.cut`, the {real['files']} real articles ({real['mb']:.2f} MB)",
                     f"{real['build']['mb_s']:.3f} MB/s ({real['build']['seconds']:.1f} s) vs "
                     f"{real['jieba']['mb_s']:.2f} MB/s: {ratio:.3f}x", ">= 1.0x",
                     verdict(ratio, 1.0, ">=", lambda x: f"{x:.2f}x")))
    else:
        rows.append(("default `kg build -j 1` vs `jieba.cut`, the 45 real articles",
                     (real or {}).get("skipped", "not measured"), ">= 1.0x", "not measured"))
    ref = C.get("reference")
    if ref and "skipped" not in ref:
        for what, same in ref["compared"].items():
            rows.append((f"`graph.ttl` / `graph.trig` of {what}, working tree vs {ref['ref']} ({ref['sha'][:10]})",
                         "byte-identical" if same else "DIFFER", "byte-identical", "met" if same else "MISSED"))
    else:
        rows.append(("`graph.ttl` / `graph.trig` vs the committed code", (ref or {}).get("skipped", "not measured"),
                     "byte-identical", "not measured"))
    return rows


def growth_rows(sizes: list[dict]) -> list[tuple[str, str, str, str]]:
    """Peak RSS of the -j 1 build from the smallest to the largest size of the run."""
    done = [R for R in sizes if "aborted" not in R["j1"]]
    if len(done) < 2:
        return []
    a, b = done[0]["j1"], done[-1]["j1"]
    grow = b["peak_rss"] / a["peak_rss"]
    return [(f"peak RSS `-j 1` from {a['quads']:,} to {b['quads']:,} quads",
             f"{_gb(a['peak_rss'])} -> {_gb(b['peak_rss'])} ({grow:.2f}x for {b['quads'] / a['quads']:.1f}x the quads)",
             "flat (not growing)", "met" if grow <= 1.2 else f"MISSED: grows {grow:.1f}x")]


def table_text(rows) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    head = ("measure", "figure", "target", "verdict")
    widths = [max(w, len(h)) for w, h in zip(widths, head)]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(head), line(tuple("-" * w for w in widths))] + [line(r) for r in rows])


def table_markdown(rows) -> str:
    out = ["| measure | figure | target | verdict |", "|---|---|---|---|"]
    out += ["| " + " | ".join(c.replace("|", "/") for c in r) + " |" for r in rows]
    return "\n".join(out)


# ---------------------------------------------------------------------------------- main

def real_articles(args) -> list[Path]:
    for shared in ([args.real] if args.real else [REPO.parent / "shared", REPO.parent.parent / "shared"]):
        if shared and (shared / "seeds").is_dir() and (shared / "dev" / "docs").is_dir():
            return sorted((shared / "seeds").glob("*.txt")) + sorted((shared / "dev" / "docs").glob("*.txt"))
    return []


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", help="corpus sizes in MB, comma-separated (default 20)")
    ap.add_argument("--quick", action="store_true", help="2 MB (same as --sizes 2)")
    ap.add_argument("--mb", type=float, help="one corpus size in MB (same as --sizes MB)")
    ap.add_argument("--skip", default="", help="comma-separated parts not to run: j2, rebuild, queries, real, reference")
    ap.add_argument("--all-rows", action="store_true",
                    help="also run each query with no parameters bound (every row; information, slow)")
    ap.add_argument("--references", action="store_true",
                    help="also time jieba.posseg.cut, rjieba.cut and rjieba.tag (information)")
    ap.add_argument("--reference", default="main", help="git revision whose code the outputs must equal (default main)")
    ap.add_argument("--real", type=Path, help="the shared data directory (seeds/ and dev/docs/); default ../shared")
    ap.add_argument("--rss-limit-gb", type=float, default=12.0,
                    help="stop a build whose command tree passes this many GB (default 12)")
    ap.add_argument("--work", type=Path, help="working directory (kept); default: a temporary one")
    ap.add_argument("--update-readme", action="store_true", help="write each size's table into benchmarks/README.md")
    ap.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = ap.parse_args(argv)

    sizes = ([float(x) for x in args.sizes.split(",")] if args.sizes else [args.mb] if args.mb
             else [2.0] if args.quick else [20.0])
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    limit = int(args.rss_limit_gb * 2**30)
    work = args.work or Path(tempfile.mkdtemp(prefix="zonekg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count() or 1
    machine = {"cores": cores, "python": platform.python_version(), "platform": platform.platform(),
               "processor": platform.processor() or platform.machine(), "date": time.strftime("%Y-%m-%d")}

    def say(*a):
        print(*a, flush=True)

    say(f"zonekg benchmarks: sizes {', '.join(f'{s:g} MB' for s in sizes)}; {cores} cores, Python {machine['python']}; "
        f"work in {work}")
    C: dict = {"machine": machine}

    # Once per run: the real articles, and the outputs against the committed code.
    real = real_articles(args)
    if "real" in skip:
        C["real"] = {"skipped": "skipped (--skip real)"}
    elif not real:
        C["real"] = {"skipped": "not measured: no shared/seeds and shared/dev/docs next to the repository"}
    else:
        say(f"\nreal articles: {len(real)} files")
        jb = baseline("jieba.cut", real)
        b = kg_build(real, work / "real-out", 1, rss_limit=limit)
        mb = sum(f.stat().st_size for f in real) / 1e6
        b["mb_s"] = mb / b["seconds"]
        C["real"] = {"files": len(real), "mb": mb, "jieba": jb, "build": b}
        say(f"  jieba.cut {jb['mb_s']:.2f} MB/s; default kg build -j 1 {b['mb_s']:.3f} MB/s ({b['seconds']:.1f} s; "
            + ", ".join(f"{k} {v:.2f} s" for k, v in b["phases"].items()) + ")")
    if "reference" in skip:
        C["reference"] = {"skipped": "skipped (--skip reference)"}
    else:
        got = reference_code(args.reference, work)
        if got is None:
            C["reference"] = {"skipped": f"not measured: no git revision {args.reference!r}"}
        else:
            code, sha = got
            say(f"\noutputs against the committed code of {args.reference} ({sha[:10]})")
            compared = {}
            inputs = {"seeds/": sorted((REPO / "seeds").glob("*.txt"))}
            if "files" in C["real"]:
                inputs[f"the {len(real)} real articles"] = real
            for what, files in inputs.items():
                tag = "seeds" if what == "seeds/" else "real"
                mine = work / f"{tag}-out"
                if not (tag == "real" and (mine / "graph.trig").exists()):
                    kg_build(files, mine, 1, rss_limit=limit)
                theirs = work / f"{tag}-out-reference"
                kg_build(files, theirs, 1, rss_limit=limit, code=code)
                compared[what] = digests(mine) == digests(theirs)
                say(f"  {what}: " + ("byte-identical" if compared[what] else "DIFFER"))
            C["reference"] = {"ref": args.reference, "sha": sha, "compared": compared}

    results = []
    for mb in sizes:
        results.append(measure_size(mb, work, skip, limit, args, say))
        rows = target_rows(results[-1]) if "aborted" not in results[-1]["j1"] else [
            (f"default `kg build -j 1`, {mb:g} MB", results[-1]["j1"]["aborted"], "", "not measured")]
        say(f"\n=== targets at {mb:g} MB ({results[-1]['corpus']['files']:,} articles, "
            f"{results[-1]['j1'].get('quads', 0):,} quads) ===")
        say(table_text(rows))
        results[-1]["rows"] = rows
    C["rows"] = common_rows(C)
    C["growth_rows"] = growth_rows(results)
    say("\n=== measured once in this run ===")
    say(table_text(C["rows"] + C["growth_rows"]))

    if args.json:
        clean = {"common": C, "sizes": results}
        args.json.write_text(json.dumps(clean, indent=2, ensure_ascii=False, default=str) + "\n", "utf-8")
    if args.update_readme:
        for R in results:
            update_readme(f"{R['mb']:g}mb", render(R, C, machine))
        update_readme("once", render_common(C, machine))
        say(f"\nwrote {HERE / 'README.md'}")
    return 0


def measure_size(mb: float, work: Path, skip: set[str], limit: int, args, say) -> dict:
    say(f"\n--- {mb:g} MB ---")
    corpus_dir = work / f"corpus-{mb:g}mb"
    if not corpus_dir.is_dir():
        generator.generate(corpus_dir, mb, seed=1)
    files = sorted(corpus_dir.glob("*.txt"))
    size = sum(f.stat().st_size for f in files) / 1e6
    rep = generator.repetition(files)
    R: dict = {"mb": mb, "corpus": {"files": len(files), "mb": size, "repetition": rep}}
    say(f"corpus: {len(files):,} articles, {size:.2f} MB in {corpus_dir}; distinct sentences "
        f"{100 * rep['sentence_share']:.1f}% of {rep['sentences']:,}, distinct paragraphs "
        f"{100 * rep['paragraph_share']:.1f}% of {rep['paragraphs']:,}")

    R["jieba"] = baseline("jieba.cut", files)
    say(f"  jieba.cut            {R['jieba']['mb_s']:.2f} MB/s ({R['jieba']['seconds']:.1f} s)")
    if args.references:
        R["references"] = {}
        for kind in ("jieba.posseg.cut", "rjieba.cut", "rjieba.tag"):
            try:
                R["references"][kind] = baseline(kind, files)
                say(f"  {kind:20} {R['references'][kind]['mb_s']:.2f} MB/s (information)")
            except subprocess.CalledProcessError as exc:
                say(f"  {kind}: failed ({exc.stderr.strip().splitlines()[-1:]})")

    # The headline: the default command, one process. Its input is a linked copy of the corpus,
    # so that the rebuild below can replace one article without touching the corpus.
    inputs = work / f"input-{mb:g}mb"
    if inputs.exists():
        shutil.rmtree(inputs)
    inputs.mkdir()
    for f in files:
        os.link(f, inputs / f.name)
    out1 = work / f"out-{mb:g}mb-j1"
    R["j1"] = timed_build(say, "-j 1", [inputs], out1, 1, limit)
    if "aborted" in R["j1"]:
        return R
    R["j1"]["mb_s"] = size / R["j1"]["seconds"]

    if "j2" in skip:
        R["j2"] = {"aborted": "skipped (--skip j2)"}
    else:
        out2 = work / f"out-{mb:g}mb-j2"
        R["j2"] = timed_build(say, "-j 2", [inputs], out2, 2, limit)
        if "aborted" not in R["j2"]:
            R["identical"] = digests(out1) == digests(out2)
            say(f"  -j 1 and -j 2 outputs: {'byte-identical' if R['identical'] else 'DIFFER'}")
            shutil.rmtree(out2)  # the disk it takes at 50 MB

    if "queries" not in skip:
        say(f"  queries on {out1 / 'store'} ({R['j1']['quads']:,} quads), median of 5")
        R["queries"] = query_latencies(out1 / "store", runs=5, timeout=600, with_all=args.all_rows)
        for q in R["queries"]["queries"]:
            say(f"    {q['query']:24} " + (q["error"] if "error" in q else f"{q['median'] * 1000:8.1f} ms ({q['rows']:,} rows)"))

    if "rebuild" in skip:
        R["rebuild"] = {"aborted": "skipped (--skip rebuild)"}
    else:
        # One article replaced by another (new file, so the corpus's link is untouched).
        changed = files[len(files) // 2].name
        text = generator.Generator(seed=10_000 + len(files)).article()
        (inputs / changed).unlink()
        (inputs / changed).write_text(text, "utf-8")
        R["rebuild"] = timed_build(say, f"rebuild ({changed} replaced)", [inputs], out1, 1, limit, fresh=False)
        R["rebuild"]["changed"] = changed
    return R


def timed_build(say, label: str, inputs, out, jobs, limit, fresh: bool = True) -> dict:
    # The machine is shared: the load average before and after says how much others ran.
    load = os.getloadavg()[0]
    try:
        b = kg_build(inputs, out, jobs, fresh=fresh, rss_limit=limit)
    except MemoryLimitExceeded as exc:
        say(f"  {label}: {exc}")
        return {"aborted": f"not measured: {exc} (limit --rss-limit-gb)"}
    say(f"  {label:20} {b['seconds']:7.1f} s, peak RSS {_gb(b['peak_rss'])}, {b['quads']:,} quads; "
        + ", ".join(f"{k} {v:.1f} s" for k, v in b["phases"].items()) + f"; cache reused {b['reused']:,}"
        + f"; load average {load:.1f} before, {os.getloadavg()[0]:.1f} after")
    b["load_average"] = (load, os.getloadavg()[0])
    b.pop("stdout")
    return b


def update_readme(tag: str, block_text: str) -> None:
    readme = HERE / "README.md"
    text = readme.read_text("utf-8") if readme.exists() else ""
    start, end = f"<!-- results:{tag}:start -->", f"<!-- results:{tag}:end -->"
    block = start + "\n" + block_text + end
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text += "\n" + block + "\n"
    readme.write_text(text, "utf-8")


def render(R: dict, C: dict, m: dict) -> str:
    rep = R["corpus"]["repetition"]
    head = (f"Measured {m['date']} on {m['cores']} cores ({m['processor']}), Python {m['python']}; corpus "
            f"{R['corpus']['files']:,} articles, {R['corpus']['mb']:.2f} MB, {R['j1'].get('quads', 0):,} quads; "
            f"distinct sentences {100 * rep['sentence_share']:.1f}%, distinct paragraphs "
            f"{100 * rep['paragraph_share']:.1f}%.")
    return head + "\n\n" + table_markdown(R["rows"]) + "\n"


def render_common(C: dict, m: dict) -> str:
    return (f"Measured {m['date']} on {m['cores']} cores, Python {m['python']}.\n\n"
            + table_markdown(C["rows"] + C["growth_rows"]) + "\n")


if __name__ == "__main__":
    sys.exit(main())
