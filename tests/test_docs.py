"""The figures in docs/ and in the query headers are the ones the current build gives.

Like tests/test_readme.py for the README, so that no number quoted there can go stale:

- **Query headers** (``queries/*.rq``): the ``Example:`` command is run on the graph built
  from ``seeds/``; its output lines are the first rows the query gives, in order, and
  ``… (N rows in all)`` is the number of rows (without it, the example shows every row).
- **Transcripts** in ``docs/querying.md`` and ``docs/analysis.md``: a code block whose
  lines start with ``$ kg …`` (or ``$ curl …``, run against a real ``kg serve`` of the same
  build; ``$ cat FILE`` writes the lines below it to FILE) is run in a scratch folder
  holding a copy of ``seeds/`` and its build, at the terminal width the block was printed
  at; every line shown must be printed, in order. Durations (``0.020 s``) and process ids
  are masked, not skipped, so ``18 rows in 0.003 s`` checks the 18; a line with ``…`` is
  an elision.
- **Figures in prose** about the seeds (:data:`PROSE`): each is computed here.

Figures measured by ``benchmarks/`` on generated corpora of a million quads or more (the
"Speed on large graphs" and "Performance" sections) are not produced by a test: they
come with the command and the machine that measured them.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.cells import cell_len
from serving import free_port, seed_graph

from kg.query.engine import Engine
from kg.query.library import LibraryQuery, list_queries, parse_param_args
from kg.query.names import run_resolved
from kg.query.results import compact, serialize

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "docs" / "querying.md", ROOT / "docs" / "analysis.md"]
SEEDS = ROOT / "seeds"

_DURATION = re.compile(r"\d+(?:\.\d+)? (?:s|ms)\b")
_PID = re.compile(r"\[\d+\]")


def _mask(line: str) -> str:
    return _PID.sub("[PID]", _DURATION.sub("<time>", line.rstrip()))


# --------------------------------------------------------------------------
# Query headers


def _header_example(q: LibraryQuery) -> tuple[list[str], list[str]]:
    """(command words, shown lines) of a query's ``# Example:`` header field."""
    lines = q.path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^#\s*(Example|示例)\s*[:：]", line))
    command = shlex.split(re.sub(r"^#\s*(Example|示例)\s*[:：]\s*", "", lines[start]))
    shown = []
    for line in lines[start + 1:]:
        if not line.startswith("#   ") and not line.startswith("#\t"):
            break
        shown.append(line[4:] if line.startswith("#   ") else line[1:])
    return command, shown


LIBRARY = list_queries()


@pytest.fixture(scope="module")
def engine():
    with Engine(seed_graph(), timeout=60, max_rows=None) as e:
        yield e


def _cell(t) -> str:
    return compact(t) if t is not None else ""


@pytest.mark.parametrize("q", LIBRARY, ids=[q.name for q in LIBRARY])
def test_a_query_header_shows_what_the_query_gives(engine, q):
    command, shown = _header_example(q)
    assert command[:3] == ["kg", "query", q.name], command
    assert shown, f"{q.name}: the example shows no output"
    params = parse_param_args([command[i + 1] for i, w in enumerate(command) if w == "--param"])
    # As kg query runs it: the name parameters resolved through the graph's names.
    result, _, _ = run_resolved(engine.query, q.text, q.params, params)
    total = re.fullmatch(r"…\s*\((\d+) rows in all\)", shown[-1].strip())
    if result.kind == "graph":
        printed = serialize(result, "turtle").decode("utf-8").splitlines()
        body = [line for line in shown if line.strip() != "…"]
        at = 0
        for line in body:
            assert line in printed[at:], f"{q.name}: header line not in the output:\n{line}"
            at = printed.index(line, at) + 1
        return
    header, rows = shown[0], shown[1:-1] if total else shown[1:]
    assert header == " | ".join(result.variables), q.name
    actual = [" | ".join(_cell(t) for t in row).rstrip() for row in result.rows]
    assert [r.rstrip() for r in rows] == actual[:len(rows)], f"{q.name}: the example rows are not the first rows"
    if total:
        assert int(total.group(1)) == len(actual), f"{q.name}: the header says {total.group(1)} rows in all"
    else:
        assert len(rows) == len(actual), (f"{q.name}: the example shows {len(rows)} rows, the query gives "
                                          f"{len(actual)}; end it with '… ({len(actual)} rows in all)'")


# --------------------------------------------------------------------------
# Transcripts


def _blocks(path: Path) -> list[str]:
    """The bodies of the fenced blocks that name no language (transcripts, output)."""
    found = re.finditer(r"^```(\w*)\n(.*?)^```", path.read_text("utf-8"), re.S | re.M)
    return [m.group(2) for m in found if not m.group(1)]


def transcripts() -> list[tuple[str, int, list[tuple[str, list[str]]]]]:
    """(doc name, block number, [(command, shown lines)]) of every block that starts with ``$ ``."""
    out = []
    for doc in DOCS:
        for n, body in enumerate(_blocks(doc)):
            lines = body.rstrip("\n").split("\n")
            if not lines[0].startswith("$ "):
                continue
            steps: list[tuple[str, list[str]]] = []
            command = None
            for line in lines:
                if line.startswith("$ "):
                    command = line[2:]
                    # a command continued on the next lines (a trailing backslash)
                    steps.append((command, []))
                elif steps and steps[-1][0].endswith("\\"):
                    steps[-1] = (steps[-1][0][:-1] + " " + line.strip(), [])
                else:
                    steps[-1][1].append(line)
            out.append((doc.name, n, steps))
    return out


def _width(lines: list[str]) -> int:
    """The terminal width a transcript was printed at: its widest table line, else 80."""
    table = [cell_len(line) for line in lines if line[:1] in "┏┃┡│└╭╰"]
    return max(table) if table else 80


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("docs")
    shutil.copytree(SEEDS, d / "seeds")
    proc = _run("kg build seeds/ -o out/ --quiet", d, 80)
    assert proc.returncode == 0, proc.stderr
    assert _run("kg analyze --quiet", d, 80).returncode == 0
    return d


def _env(columns: int) -> dict[str, str]:
    env = dict(os.environ)
    env["COLUMNS"] = str(columns)
    env.pop("FORCE_COLOR", None)
    env["NO_COLOR"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    if not os.environ.get("ZONEKG_TEST_INSTALLED"):
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return env


def _run(command: str, cwd: Path, columns: int) -> subprocess.CompletedProcess:
    args = shlex.split(command)
    if args[0] == "kg":
        args = [sys.executable, "-m", "kg", *args[1:]]
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, encoding="utf-8", env=_env(columns),
                          timeout=600, stdin=subprocess.DEVNULL)


class _Server:
    """`kg serve` on the scratch build, on a free port; its first lines of output."""

    def __init__(self, cwd: Path):
        self.port = free_port()
        self.log = cwd / "serve.log"
        self.proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", str(self.port)], cwd=cwd,
                                     env=_env(200), stdout=self.log.open("w"), stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while "Uvicorn running" not in self.log.read_text("utf-8"):
            assert self.proc.poll() is None and time.monotonic() < deadline, self.log.read_text("utf-8")
            time.sleep(0.2)

    def lines(self) -> list[str]:
        return self.log.read_text("utf-8").splitlines()

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def server(workdir):
    s = _Server(workdir)
    yield s
    s.stop()


def _assert_printed(command: str, expected: list[str], printed: list[str]) -> None:
    actual = [_mask(line) for line in printed]
    at = 0
    for line in expected:
        if "…" in line or not line.strip():
            continue
        want = _mask(line)
        try:
            at = actual.index(want, at) + 1
        except ValueError:
            pytest.fail(f"doc line not printed by `{command}` (in order):\n{want}\n--- printed:\n" + "\n".join(actual))


TRANSCRIPTS = transcripts()


def test_the_docs_have_transcripts():
    assert len(TRANSCRIPTS) >= 6
    assert {doc for doc, _, _ in TRANSCRIPTS} == {d.name for d in DOCS}


@pytest.mark.parametrize("doc,n,steps", TRANSCRIPTS, ids=[f"{d}#{n}:{s[0][0][:50]}" for d, n, s in TRANSCRIPTS])
def test_a_doc_transcript_is_what_the_commands_print(doc, n, steps, workdir, request):
    for command, shown in steps:
        words = shlex.split(command.replace("\\\n", " "))
        if words[0] == "cat":
            (workdir / words[1]).write_text("\n".join(shown) + "\n", encoding="utf-8")
            continue
        if words[0] == "echo":
            continue  # `echo $?`: the exit status is checked with the command before it
        if "--endpoint" in words or words[:2] == ["kg", "push"] or words[0] == "oxigraph":
            pytest.skip("needs a remote SPARQL endpoint (tests/test_query_remote.py runs those)")
        if words[:2] == ["kg", "serve"]:
            server = request.getfixturevalue("server")
            _assert_printed(command, [line.replace(":8000", f":{server.port}") for line in shown], server.lines())
            continue
        if words[0] == "curl":
            server = request.getfixturevalue("server")
            cmd = command.replace("127.0.0.1:8000", f"127.0.0.1:{server.port}")
            proc = subprocess.run(cmd, shell=True, cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                                  timeout=60)
            _assert_printed(command, shown, proc.stdout.splitlines())
            continue
        assert words[0] == "kg", f"{doc}: a transcript runs only kg, curl, cat and echo: {command}"
        proc = _run(command, workdir, _width(shown))
        _assert_printed(command, shown, (proc.stdout + proc.stderr).splitlines())


# --------------------------------------------------------------------------
# Figures in prose


def _industry_counts() -> dict[str, int]:
    from kg.analyze.analysis import analyze_file

    a = analyze_file(seed_graph())
    counts = {"total": len(a.assignment)}
    for asg in a.assignment.values():
        counts[asg.basis] = counts.get(asg.basis, 0) + 1
    from kg.analyze.clusters import CLUSTERED_TYPES

    unassigned = [d["label"] for n, d in a.graph.nodes(data=True) if d["type"] in CLUSTERED_TYPES
                  and n not in a.assignment]
    counts["none"] = len(unassigned)
    counts["unassigned"] = unassigned
    return counts


PROSE = [
    # (doc, pattern whose groups are figures, names of the figures in _industry_counts)
    ("analysis.md", r"On the seeds: (\d+) entities get an industry \((\d+) by name, (\d+) from their\s+projects, "
                    r"(\d+) from the text, (\d+) from a park\); (\d+) have no signal",
     ["total", "name", "project", "text", "park", "none"]),
]


@pytest.mark.parametrize("doc,pattern,names", PROSE, ids=[p[0] for p in PROSE])
def test_figures_in_prose_are_the_seeds(doc, pattern, names):
    text = (ROOT / "docs" / doc).read_text("utf-8")
    m = re.search(pattern, text)
    assert m, f"{doc}: the sentence with the figures is gone or reworded: {pattern}"
    counts = _industry_counts()
    quoted = dict(zip(names, map(int, m.groups())))
    assert quoted == {k: counts.get(k, 0) for k in names}
    # The examples of entities with no signal have none.
    examples = re.search(r"have no signal \(e\.g\. ([^)]*)\)", text).group(1)
    named = re.findall(r"`([^`]+)`", examples)
    assert named and all(n in counts["unassigned"] for n in named), named


# --------------------------------------------------------------------------
# `python tests/test_docs.py --write-headers`: rewrite the example output of every query
# header from the current build of seeds/ (as many rows as it shows now, and the count).


def write_headers() -> list[str]:
    changed = []
    with Engine(seed_graph(), timeout=60, max_rows=None) as e:
        for q in list_queries():
            command, shown = _header_example(q)
            params = parse_param_args([command[i + 1] for i, w in enumerate(command) if w == "--param"])
            result, _, _ = run_resolved(e.query, q.text, q.params, params)
            if result.kind != "select":
                continue
            rows = [" | ".join(_cell(t) for t in row).rstrip() for row in result.rows]
            had_total = bool(re.fullmatch(r"…\s*\(\d+ rows in all\)", shown[-1].strip()))
            n = min(len(shown) - (2 if had_total else 1), len(rows))
            new = [" | ".join(result.variables)] + rows[:n]
            if n < len(rows):
                new.append(f"… ({len(rows)} rows in all)")
            if new == shown:
                continue
            text = q.path.read_text(encoding="utf-8").split("\n")
            start = next(i for i, line in enumerate(text) if re.match(r"^#\s*(Example|示例)\s*[:：]", line))
            text[start + 1:start + 1 + len(shown)] = ["#   " + line for line in new]
            q.path.write_text("\n".join(text), encoding="utf-8")
            changed.append(q.name)
    return changed


if __name__ == "__main__":
    if sys.argv[1:] != ["--write-headers"]:
        sys.exit("usage: python tests/test_docs.py --write-headers")
    print("rewrote:", ", ".join(write_headers()) or "nothing")
