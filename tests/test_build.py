"""End-to-end build on the five seed articles: what ``kg build`` writes.

The seeds are built once per module by the real ``kg`` console script (or
``python -m kg`` when no script is installed next to this interpreter); the
tests then read the files back the way a user would: rdflib for Turtle/TriG,
pyshacl for the shapes. No test here asserts extraction figures (those belong
to the extractor tests and ``kg eval``), only properties every build must have.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from typer.testing import CliRunner

import kg
from kg.cli import app
from kg.graph.namespaces import ENTITY_CLASSES, KG
from kg.graph.output import atomic_write
from kg.graph.validate import validate

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def kg_command() -> list[str]:
    """How to run the ``kg`` command as a user would.

    The console script that ``pip install`` put next to this interpreter (the
    ``kg`` on PATH of an activated venv), else ``python -m kg``. Looking in this
    interpreter's scripts directory rather than anywhere on PATH makes sure the
    script belongs to the environment under test, not to some other install.
    """
    script = Path(sysconfig.get_path("scripts")) / ("kg.exe" if os.name == "nt" else "kg")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "kg"]


def run_kg(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    # The subprocess must run the same ``kg`` this test process imported: the
    # installed package under .ci/run, the checkout under ``python -m pytest``.
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(kg.__file__).resolve().parents[1])] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    )
    env["COLUMNS"] = "200"
    return subprocess.run(
        [*kg_command(), *args], cwd=cwd, env=env, capture_output=True, text=True,
        encoding="utf-8", stdin=subprocess.DEVNULL, timeout=600,
    )


def summary_value(output: str, label: str) -> str:
    """The value cell of the summary-table row whose label cell is ``label``."""
    for line in output.splitlines():
        cells = [c.strip() for c in re.split(r"[│┃|]", line)]
        if label in cells:
            return cells[cells.index(label) + 1]
    raise AssertionError(f"no row {label!r} in:\n{output}")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("build") / "out"
    proc = run_kg("build", str(SEEDS), "-o", str(out), cwd=out.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out, proc


@pytest.fixture(scope="module")
def dataset(built) -> Dataset:
    ds = Dataset()
    ds.parse(built[0] / "graph.trig", format="trig")
    return ds


@pytest.fixture(scope="module")
def merged(built) -> Graph:
    return Graph().parse(built[0] / "graph.ttl", format="turtle")


def build_in_process(inputs: list[Path], out: Path) -> None:
    result = CliRunner().invoke(app, ["build", *map(str, inputs), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------- files


def test_build_writes_turtle_and_trig_and_reports_five_documents(built):
    out, proc = built
    assert (out / "graph.ttl").stat().st_size > 0
    assert (out / "graph.trig").stat().st_size > 0
    assert summary_value(proc.stdout, "read") == "5"
    assert summary_value(proc.stdout, "skipped") == "0"
    assert "SHACL validation: passed" in proc.stdout
    assert "Skipped" not in proc.stdout
    # The two files and the store, as links into the current generation, the cache and
    # the lock: no temporary files left next to them.
    names = sorted(p.name for p in out.iterdir())
    assert names == [".cache", ".generations", ".lock", "current", "graph.trig", "graph.ttl", "store"]
    gen = (out / "current").resolve()
    assert gen.parent == (out / ".generations").resolve()
    assert sorted(p.name for p in gen.iterdir()) == ["build.json", "graph.trig", "graph.ttl", "store"]
    for name in ("graph.ttl", "graph.trig", "store"):
        assert (out / name).resolve() == gen / name


def test_summary_counts_match_the_written_graph(built, merged):
    _, proc = built
    for name, cls in ENTITY_CLASSES.items():
        assert summary_value(proc.stdout, name) == str(len(set(merged.subjects(RDF.type, cls))))
    assert summary_value(proc.stdout, "graph.ttl (merged facts)") == str(len(merged))


def test_turtle_parses_and_is_the_default_graph_of_the_trig(merged, dataset):
    assert len(merged) > 0
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    assert set(merged) == set(default)


def test_trig_has_one_named_graph_per_document(dataset):
    named = {g.identifier for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID}
    docs = set(dataset.graph(DATASET_DEFAULT_GRAPH_ID).subjects(RDF.type, KG.Document))
    assert len(docs) == 5
    assert named == docs
    file_names = {str(dataset.value(d, KG.fileName)) for d in docs}
    assert file_names == {p.name for p in SEED_FILES}


class _Written:
    """What :func:`kg.graph.validate.validate` needs, read back from the TriG file."""

    def __init__(self, path: Path) -> None:
        self._quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TRIG))

    def quads(self):
        return self._quads


def test_written_graph_passes_shacl_validation(built):
    assert validate(_Written(built[0] / "graph.trig")) == []


def test_every_evidence_is_the_source_text_at_its_offsets(dataset):
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEED_FILES}
    n = 0
    for g in dataset.graphs():
        for ev in g.subjects(RDF.type, KG.Evidence):
            doc = g.value(ev, KG.inDocument)
            assert doc == g.identifier, "evidence lives in its document's named graph"
            text = texts[str(default.value(doc, KG.fileName))]
            start, end = g.value(ev, KG.startOffset).toPython(), g.value(ev, KG.endOffset).toPython()
            assert 0 <= start < end <= len(text)
            assert str(g.value(ev, KG.evidenceText)) == text[start:end]
            # The reified statement is one the document's graph asserts.
            s, p, o = g.value(ev, RDF.subject), g.value(ev, RDF.predicate), g.value(ev, RDF.object)
            assert (s, p, o) in g
            n += 1
    assert n > 0


def test_every_entity_has_one_type_and_exactly_one_label(merged):
    classes = set(ENTITY_CLASSES.values())
    entities = {s for c in classes for s in merged.subjects(RDF.type, c)}
    assert entities
    for e in entities:
        assert len(set(merged.objects(e, RDF.type)) & classes) == 1, e
        labels = list(merged.objects(e, RDFS.label))
        assert len(labels) == 1, (e, labels)
        assert labels[0].language == "zh"


# --------------------------------------------------------------------- determinism


def test_two_builds_are_byte_identical(built, tmp_path):
    build_in_process([SEEDS], tmp_path / "again")
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / "again" / name).read_bytes() == (built[0] / name).read_bytes()


def test_build_does_not_depend_on_folder_or_file_creation_order(built, tmp_path):
    copy = tmp_path / "elsewhere" / "articles"
    copy.mkdir(parents=True)
    for src in reversed(SEED_FILES):
        shutil.copyfile(src, copy / src.name)
        time.sleep(0.01)  # distinct creation times, newest first in name order
    build_in_process([copy], tmp_path / "out")
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / "out" / name).read_bytes() == (built[0] / name).read_bytes()


# -------------------------------------------------------------------- atomic write


def test_atomic_write_replaces_the_file_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_atomic_write_creates_missing_directories_with_normal_permissions(tmp_path):
    target = tmp_path / "a" / "b" / "graph.ttl"
    atomic_write(target, b"data")
    assert target.read_bytes() == b"data"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize("failing", ["replace", "write"])
def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch, failing):
    import kg.graph.output

    target = tmp_path / "graph.trig"
    target.write_bytes(b"old contents")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if failing == "replace":
        monkeypatch.setattr(kg.graph.output.os, "replace", boom)
    else:
        monkeypatch.setattr(kg.graph.output.os, "fsync", boom)
    with pytest.raises(OSError):
        atomic_write(target, b"new contents that never land")
    assert target.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.trig"]
