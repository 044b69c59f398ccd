"""The README's examples are true: its commands run, and its transcripts are what they print.

A transcript is a code block whose first line is ``$ kg …``: the command is run (in a
scratch folder holding a copy of ``seeds/``) and every line of the block below it must
appear in its output, in order. Lines that cannot be the same twice are left out of
the comparison: durations (``3.10 s``) and ``…`` (an elision). A command whose inputs
are not in the repository (``inbox/``, ``junk/``) is not run; :data:`NOT_RUN` names them.

The ``sh`` blocks are command lines a user types. Those that build, query, analyse or
export are run in the same scratch folder and must succeed; installing, the test suite
itself and the long-running ``kg serve`` are not.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_build import SEEDS

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

# Transcripts about folders of broken files that the README describes but the repository
# does not ship (their behaviour is tested in tests/test_reader.py and tests/test_cli.py).
NOT_RUN = ("inbox/", "junk/")
# Command lines that are not run: installing, the test suite, servers that do not return,
# and commands that need a cluster or a triple-store server (tests/test_cluster.py and
# tests/test_push.py run those against real ones).
SKIP_COMMANDS = ("pip", "pytest", "bash", "git", "kg serve", "dask", "oxigraph", "kg push", "--cluster", "--endpoint",
                 "neo4j-admin", "python",
                 "../shared")  # the dev articles live outside the checkout: tests/test_quality_floor.py runs them

_VOLATILE = re.compile(r"\d+\.\d+ s\b|…")


def _blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced code block."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)^```", text, re.S | re.M)]


def transcripts() -> list[tuple[str, list[str]]]:
    out = []
    for _, body in _blocks(README.read_text("utf-8")):
        lines = body.rstrip("\n").split("\n")
        if lines[0].startswith("$ kg "):
            out.append((lines[0][2:], lines[1:]))
    return out


def command_lines() -> list[str]:
    out = []
    for lang, body in _blocks(README.read_text("utf-8")):
        if lang != "sh":
            continue
        for line in body.splitlines():
            line = line.split(" #", 1)[0].strip()  # the README comments its commands
            if not line or line.startswith("#"):
                continue
            for part in line.split("&&"):
                part = part.strip()
                if part.startswith("kg ") and not any(s in part for s in SKIP_COMMANDS):
                    out.append(part)
    return out


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["COLUMNS"] = "80"  # the width the README's tables were printed at
    env.pop("FORCE_COLOR", None)
    env["NO_COLOR"] = "1"
    if not os.environ.get("ZONEKG_TEST_INSTALLED"):
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return env


def run_kg(command: str, cwd: Path) -> subprocess.CompletedProcess:
    args = shlex.split(command)
    assert args[0] == "kg"
    return subprocess.run([sys.executable, "-m", "kg", *args[1:]], cwd=cwd, capture_output=True, text=True,
                          env=_env(), timeout=600)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("readme")
    shutil.copytree(SEEDS, d / "seeds")
    return d


def test_the_readme_has_transcripts_and_commands():
    # Guards the parsing below: a README rewritten without them would pass vacuously.
    assert len(transcripts()) >= 2
    assert any(c.startswith("kg query") for c in command_lines())


@pytest.mark.parametrize("command,expected", transcripts(), ids=[c for c, _ in transcripts()])
def test_a_transcript_is_what_the_command_prints(command, expected, workdir):
    if any(p in command for p in NOT_RUN):
        pytest.skip(f"needs files the repository does not ship: {command}")
    proc = run_kg(command, workdir)
    printed = (proc.stdout + proc.stderr).splitlines()
    actual = [line.rstrip() for line in printed]
    at = 0
    for line in expected:
        if _VOLATILE.search(line):
            continue
        line = line.rstrip()
        try:
            at = actual.index(line, at) + 1
        except ValueError:
            pytest.fail(f"README line not printed by `{command}` (in order):\n{line}\n--- printed:\n"
                        + "\n".join(actual))


def test_the_readme_commands_run(workdir):
    build = run_kg("kg build seeds/ -o out/ --quiet", workdir)
    assert build.returncode == 0, build.stderr
    for command in command_lines():
        proc = run_kg(command, workdir)
        assert proc.returncode == 0, f"`{command}` failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        assert proc.stdout.strip() or list((workdir / "out").iterdir()), command
