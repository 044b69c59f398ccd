"""Parallel, cached and deterministic builds (kg/run/corpus.py, kg/run/cache.py, kg/graph/store.py).

- ``-j 1`` and ``-j 2`` write byte-identical graphs;
- a rebuild extracts only the files whose bytes changed, and writes what a clean
  build writes;
- a change of lexicon or EXTRACTOR_VERSION invalidates every cache entry;
- a corrupt or truncated cache entry is ignored and rebuilt, never a crash;
- the same articles in another folder or given in another order give the same bytes;
- the Oxigraph store holds exactly the quads of graph.trig and opens read-only.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_build import SEED_FILES, kg_command, summary_value

import kg
import kg.run.cache
from kg.run.cache import CACHE_DIR, ExtractionCache
from kg.run.corpus import read_corpus

REPO = Path(__file__).resolve().parents[1]
OUTPUTS = ("graph.ttl", "graph.trig")


def generated_corpus(directory: Path, megabytes: float, seed: int = 7) -> list[Path]:
    """Articles made from the seeds with varied names (benchmarks/corpus.py)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import corpus as generator
    finally:
        sys.path.pop(0)
    return generator.generate(directory, megabytes, seed=seed)


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full = dict(os.environ)
    full["PYTHONPATH"] = os.pathsep.join(
        [str(Path(kg.__file__).resolve().parents[1])] + ([full["PYTHONPATH"]] if full.get("PYTHONPATH") else []))
    full["COLUMNS"] = "200"
    full.update(env or {})
    return subprocess.run([*kg_command(), *args], cwd=cwd, env=full, capture_output=True, text=True,
                          encoding="utf-8", stdin=subprocess.DEVNULL, timeout=600)


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    """The seeds plus ~0.4 MB of generated articles."""
    d = tmp_path_factory.mktemp("articles")
    for f in SEED_FILES:
        shutil.copyfile(f, d / f.name)
    generated_corpus(d / "more", 0.4)
    return d


@pytest.fixture(scope="module")
def clean_build(articles, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("clean") / "out"
    proc = run("build", str(articles), "-o", str(out), "-j", "1", "--no-cache", "--no-validate", cwd=out.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert summary_value(proc.stdout, "processes") == "1"
    return out


# ------------------------------------------------------------------ parallel


def test_two_processes_write_the_same_bytes_as_one(articles, clean_build, tmp_path):
    out = tmp_path / "out"
    # Force worker processes even for this small corpus.
    proc = run("build", str(articles), "-o", str(out), "-j", "2", "--no-cache", "--no-validate", cwd=tmp_path,
               env={"ZONEKG_PARALLEL_MIN_BYTES": "0"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert summary_value(proc.stdout, "processes") == "2"
    assert outputs(out) == outputs(clean_build)


# --------------------------------------------------------------- incremental


def test_a_rebuild_extracts_only_the_changed_file_and_matches_a_clean_build(tmp_path):
    src = tmp_path / "articles"
    src.mkdir()
    for f in SEED_FILES:
        shutil.copyfile(f, src / f.name)
    out = tmp_path / "out"
    cache_dir = out / CACHE_DIR

    first = read_corpus([src], jobs=1, cache_dir=cache_dir, show_progress=False)
    assert (first.cache.hits, first.cache.misses) == (0, 5)
    again = read_corpus([src], jobs=1, cache_dir=cache_dir, show_progress=False)
    assert (again.cache.hits, again.cache.misses) == (5, 0)

    changed = src / SEED_FILES[2].name
    changed.write_text(changed.read_text("utf-8") + "\n许昌经开区新签约瑞恒锂电池项目，总投资12亿元。\n", "utf-8")
    proc = run("build", str(src), "-o", str(out), "-j", "1", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert summary_value(proc.stdout, "reused") == "4"
    assert summary_value(proc.stdout, "extracted") == "1"
    third = read_corpus([src], jobs=1, cache_dir=cache_dir, show_progress=False)
    assert third.cache.extracted_names == []

    reference = tmp_path / "reference"
    proc = run("build", str(src), "-o", str(reference), "-j", "1", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert outputs(out) == outputs(reference)
    assert not (reference / ".cache").exists()


def test_the_cache_reports_which_file_it_extracted(tmp_path):
    src = tmp_path / "a"
    src.mkdir()
    for f in SEED_FILES[:3]:
        shutil.copyfile(f, src / f.name)
    cache_dir = tmp_path / "cache"
    read_corpus([src], jobs=1, cache_dir=cache_dir, show_progress=False)
    (src / SEED_FILES[1].name).write_bytes(SEED_FILES[1].read_bytes() + "\n新的一段。\n".encode())
    corpus = read_corpus([src], jobs=1, cache_dir=cache_dir, show_progress=False)
    assert corpus.cache.extracted_names == [SEED_FILES[1].name]
    assert sorted(corpus.cache.hit_names) == sorted([SEED_FILES[0].name, SEED_FILES[2].name])


def test_a_cached_article_under_another_name_keeps_its_own_name(tmp_path):
    src = tmp_path / "a"
    src.mkdir()
    shutil.copyfile(SEED_FILES[0], src / "first.txt")
    cache_dir = tmp_path / "cache"
    read_corpus([src], jobs=1, cache_dir=cache_dir, show_progress=False)
    (src / "first.txt").rename(src / "renamed.txt")
    corpus = read_corpus([src], jobs=1, cache_dir=cache_dir, show_progress=False)
    assert corpus.cache.hits == 1
    assert (corpus.extractions[0].doc_id, corpus.extractions[0].file_name) == ("renamed", "renamed.txt")


@pytest.mark.parametrize("change", ["extractor-version", "lexicon"])
def test_a_new_extractor_version_or_lexicon_invalidates_the_cache(tmp_path, monkeypatch, change):
    cache_dir = tmp_path / "cache"
    read_corpus(SEED_FILES[:2], jobs=1, cache_dir=cache_dir, show_progress=False)
    old = kg.run.cache.fingerprint()
    if change == "extractor-version":
        monkeypatch.setattr(kg, "EXTRACTOR_VERSION", kg.EXTRACTOR_VERSION + "-next")
    else:
        real = kg.run.cache._lexicon_files

        def edited():
            return [(name, data + "\n新词\n".encode() if name == "industry_words.txt" else data)
                    for name, data in real()]

        monkeypatch.setattr(kg.run.cache, "_lexicon_files", edited)
    assert kg.run.cache.fingerprint() != old
    corpus = read_corpus(SEED_FILES[:2], jobs=1, cache_dir=cache_dir, show_progress=False)
    assert (corpus.cache.hits, corpus.cache.misses) == (0, 2)
    corpus.cache_store.prune(unused=True)
    assert [p.name for p in cache_dir.iterdir()] == [kg.run.cache.fingerprint()]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "wrong-checksum"])
def test_a_corrupt_cache_entry_is_ignored_and_rebuilt(tmp_path, damage):
    src = tmp_path / "a"
    src.mkdir()
    for f in SEED_FILES[:3]:
        shutil.copyfile(f, src / f.name)
    out = tmp_path / "out"
    proc = run("build", str(src), "-o", str(out), "-j", "1", "--no-validate", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    before = outputs(out)
    entries = sorted((out / CACHE_DIR).rglob("*.json"))
    assert len(entries) == 3
    victim = entries[1]
    data = victim.read_bytes()
    victim.write_bytes({
        "truncated": data[: len(data) // 2],
        "garbage": os.urandom(200),
        "empty": b"",
        "wrong-checksum": data.replace(b"\"size\":", b"\"size\":1", 1),
    }[damage])
    proc = run("build", str(src), "-o", str(out), "-j", "1", "--no-validate", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert summary_value(proc.stdout, "reused") == "2"
    assert summary_value(proc.stdout, "extracted") == "1"
    assert outputs(out) == before
    assert victim.read_bytes() == data  # written again, whole


def test_cache_entries_are_written_whole(tmp_path):
    cache = ExtractionCache(tmp_path)
    corpus = read_corpus(SEED_FILES[:1], jobs=1, cache_dir=tmp_path, show_progress=False)
    x = corpus.extractions[0]
    cache.put(x, ".txt", "utf-8", 1)
    # Nothing but whole entries: no temporary file left behind.
    assert [p.suffix for p in tmp_path.rglob("*") if p.is_file()] == [".json"]
    assert cache.get(x.sha256, ".txt", "d", "d.txt").extraction.entities == x.entities


# --------------------------------------------------------------- determinism


def test_another_folder_and_another_argument_order_give_the_same_bytes(clean_build, articles, tmp_path):
    copy = tmp_path / "elsewhere" / "deeper"
    shutil.copytree(articles, copy)
    files = sorted(copy.rglob("*.txt"), reverse=True)
    out = tmp_path / "out"
    proc = run("build", *map(str, files), "-o", str(out), "-j", "2", "--no-validate", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert outputs(out) == outputs(clean_build)


# --------------------------------------------------------------------- store


def test_the_store_holds_the_quads_of_the_trig_and_opens_read_only(clean_build):
    from kg.graph.store import open_store

    store = open_store(clean_build)
    trig = set(ox.parse(path=str(clean_build / "graph.trig"), format=ox.RdfFormat.TRIG))
    assert set(store) == trig
    assert open_store(clean_build / "store") is not None
    n = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/zonekg/ontology#Zone> }")))["n"]
    assert int(n.value) > 0
    with pytest.raises((OSError, RuntimeError)):  # read-only
        store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o")))


def test_a_rebuild_replaces_the_store_in_one_step_and_keeps_one_old_copy(tmp_path):
    from kg.graph.store import open_store, write_store

    q1 = [ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("1"))]
    q2 = [ox.Quad(ox.NamedNode("http://x/b"), ox.NamedNode("http://x/p"), ox.Literal("2"))]
    write_store(q1, tmp_path)
    held = open_store(tmp_path)  # a server that opened the first store
    write_store(q2, tmp_path)
    assert set(open_store(tmp_path)) == set(q2)
    assert set(held) == set(q1)
    write_store(q1, tmp_path)
    assert len([p for p in tmp_path.iterdir() if p.name.startswith(".store-")]) == 2
    assert (tmp_path / "store").is_symlink()


def test_no_store_with_no_store(tmp_path):
    out = tmp_path / "out"
    proc = run("build", str(SEED_FILES[0]), "-o", str(out), "--no-store", "--no-validate", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not (out / "store").exists()
    from kg.graph.store import open_store

    with pytest.raises(FileNotFoundError):
        open_store(out)
