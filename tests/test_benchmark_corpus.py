"""The benchmark corpus (benchmarks/corpus.py): deterministic, and it does not repeat itself."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import corpus  # noqa: E402


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> list[Path]:
    return corpus.generate(tmp_path_factory.mktemp("corpus"), 0.3, seed=7)


def _paragraphs(path: Path) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", path.read_text("utf-8")) if p.strip()]


def test_same_seed_same_bytes_other_seed_other_text(tmp_path, articles):
    again = corpus.generate(tmp_path / "again", 0.3, seed=7)
    assert [p.name for p in again] == [p.name for p in articles]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, articles))
    other = corpus.generate(tmp_path / "other", 0.05, seed=8)
    assert other[0].read_bytes() != articles[0].read_bytes()


def test_size_reached(articles):
    size = sum(p.stat().st_size for p in articles)
    assert 300_000 <= size < 300_000 + 20_000


def test_no_paragraph_repeats_and_few_sentences_do(articles):
    rep = corpus.repetition(articles)
    assert rep["paragraphs"] > 1000
    assert rep["distinct_paragraphs"] == rep["paragraphs"]
    assert rep["sentence_share"] >= 0.97


def test_repetition_counts_a_repeated_paragraph(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("甲园区开工。乙项目投产。\n\n丙公司落户。\n", "utf-8")
    b.write_text("甲园区开工。乙项目投产。\n", "utf-8")
    rep = corpus.repetition([a, b])
    assert (rep["paragraphs"], rep["distinct_paragraphs"]) == (3, 2)
    assert (rep["sentences"], rep["distinct_sentences"]) == (5, 3)


def test_no_sample_article_paragraph_is_reused(articles):
    seed_paragraphs = {p for f in (REPO / "seeds").glob("*.txt") for p in _paragraphs(f) if len(p) >= 20}
    text = "".join(p.read_text("utf-8") for p in articles)
    assert seed_paragraphs
    assert not [p for p in seed_paragraphs if p in text]


def test_each_article_has_its_own_zone_in_a_known_place(articles):
    places = {name for pair in corpus._places() for name in pair}
    zones = []
    for path in articles:
        intro = _paragraphs(path)[2 if "本报记者" in path.read_text("utf-8") else 1]
        m = re.search(r"([\u4e00-\u9fff]+?(?:经济技术开发区|高新技术产业开发区|经济开发区|产业集聚区|工业园区|"
                      r"综合保税区|临空经济区|化工园区|新区))", intro)
        assert m, intro
        zones.append(m[1])
        assert any(p in m[1] for p in places), m[1]
    assert len(set(zones)) == len(zones)


# ------------------------------------------------------------------ benchmarks/run.py's measuring

import run as bench  # noqa: E402

_HOLD = "import time; x = bytearray({mb} * 2**20); x[::4096] = b'1' * len(x[::4096]); time.sleep(1.5)"


def test_peak_rss_covers_the_whole_command_tree():
    # Two processes of 150 MB each: the tree's peak is their sum, more than either alone.
    child = _HOLD.format(mb=150)
    cmd = [sys.executable, "-c",
           f"import subprocess, sys; p = subprocess.Popen([sys.executable, '-c', {child!r}]); exec({child!r}); p.wait()"]
    _, rss, cp = bench.run_measured(cmd)
    assert cp.returncode == 0
    assert rss > 280 * 2**20


def test_a_command_past_the_memory_limit_is_stopped():
    with pytest.raises(bench.MemoryLimitExceeded) as exc:
        bench.run_measured([sys.executable, "-c", _HOLD.format(mb=300)], rss_limit=100 * 2**20)
    assert exc.value.rss > 100 * 2**20


def test_verdicts_say_by_how_much_a_target_is_missed():
    assert bench.verdict(1.2, 1.0, ">=") == "met"
    assert bench.verdict(0.5, 1.0, ">=", lambda x: f"{x:.2f}x") == "MISSED by 0.50x (2.0x short)"
    assert bench.verdict(4.0, 1.0, "<=", lambda x: f"{x:.1f} GB") == "MISSED by 3.0 GB (4.0x the target)"
    assert bench.verdict(200, 200, "<") != "met"
    assert bench.verdict(None, 1.0, ">=") == "not measured"


def test_the_phases_are_read_from_the_build_summary(tmp_path):
    b = bench.kg_build(sorted((REPO / "seeds").glob("*.txt")), tmp_path / "out", 1)
    assert b["quads"] > 1000
    assert b["extracted"] == 5 and b["reused"] == 0
    assert all(b["phases"][p] >= 0 for p in bench.PHASES)
    assert b["phases"]["extract"] > 0 and b["total"] >= b["phases"]["extract"]
    again = bench.kg_build(sorted((REPO / "seeds").glob("*.txt")), tmp_path / "out", 1, fresh=False)
    assert (again["reused"], again["extracted"]) == (5, 0)
    assert sorted(bench.digests(tmp_path / "out")) == ["graph.trig", "graph.ttl"]
