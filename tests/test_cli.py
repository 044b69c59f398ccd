"""The ``kg`` command line: bad inputs, exit statuses, messages, ``kg eval``.

Most runs are in-process (typer's CliRunner) so jieba loads once per session;
the exit-status-2 case and ``--help`` also go through the real console script.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Dataset
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

# pytest's default import mode puts tests/ on sys.path, so the helpers are shared.
from test_build import kg_command, run_kg, summary_value
from typer.testing import CliRunner

import kg
import kg.graph.validate
from kg.cli import app
from kg.graph.namespaces import KG
from kg.graph.validate import Violation

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))

# A small hand-written article: enough for a graph, quick to extract.
ARTICLE = "河南省许昌市的许昌经济技术开发区引进了蓝天电梯有限公司。\n蓝天电梯有限公司在许昌经济技术开发区投资5亿元建设电梯生产基地项目。\n"


def invoke(*args: str):
    result = CliRunner().invoke(app, list(args))
    # Exit statuses come from typer.Exit / SystemExit; anything else is a crash.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


# ------------------------------------------------------------------- bad inputs


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """A folder as users collect them, plus a path that does not exist."""
    root = tmp_path_factory.mktemp("messy")
    d = root / "articles"
    d.mkdir()
    originals = {
        "utf8.txt": SEED_FILES[0],
        "gbk.txt": SEED_FILES[2],
        "bom.txt": SEED_FILES[3],
    }
    shutil.copyfile(SEED_FILES[0], d / "utf8.txt")
    (d / "gbk.txt").write_bytes(SEED_FILES[2].read_text(encoding="utf-8").encode("gbk"))
    (d / "bom.txt").write_bytes(b"\xef\xbb\xbf" + SEED_FILES[3].read_bytes())
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 8)
    missing = root / "missing.txt"
    out = root / "out"
    result = invoke("build", str(d), str(missing), "-o", str(out))
    return {"result": result, "out": out, "dir": d, "missing": missing, "originals": originals}


def test_messy_folder_builds_from_the_readable_files(messy):
    result = messy["result"]
    assert result.exit_code == 0, result.output
    assert summary_value(result.output, "read") == "3"
    assert summary_value(result.output, "skipped") == "3"
    assert (messy["out"] / "graph.ttl").is_file() and (messy["out"] / "graph.trig").is_file()


def test_each_skipped_file_is_listed_with_its_reason(messy):
    lines = messy["result"].output.splitlines()
    listed = lines[lines.index("Skipped 3 file(s):") + 1 :]
    assert listed == [
        f"  {messy['dir'] / 'binary.txt'}: binary file (contains NUL bytes)",
        f"  {messy['dir'] / 'empty.txt'}: empty file",
        f"  {messy['missing']}: no such file or directory",
    ]


def test_gbk_and_bom_files_are_decoded_and_offsets_index_the_decoded_text(messy):
    ds = Dataset()
    ds.parse(messy["out"] / "graph.trig", format="trig")
    default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    names = {str(default.value(d, KG.fileName)) for d in default.subjects(RDF.type, KG.Document)}
    assert names == set(messy["originals"])
    texts = {name: src.read_text(encoding="utf-8") for name, src in messy["originals"].items()}
    seen = set()
    for g in ds.graphs():
        for ev in g.subjects(RDF.type, KG.Evidence):
            name = str(default.value(g.value(ev, KG.inDocument), KG.fileName))
            start, end = g.value(ev, KG.startOffset).toPython(), g.value(ev, KG.endOffset).toPython()
            assert str(g.value(ev, KG.evidenceText)) == texts[name][start:end]
            seen.add(name)
    assert seen == set(messy["originals"])


def test_encodings_are_reported(messy):
    output = messy["result"].output
    assert summary_value(output, "read as utf-8") == "1"
    assert summary_value(output, "read as gb18030") == "1"
    assert summary_value(output, "read as utf-8-sig") == "1"


def test_nothing_readable_exits_2_with_a_message_and_no_traceback(tmp_path):
    d = tmp_path / "junk"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    proc = run_kg("build", str(d), "-o", str(tmp_path / "out"), cwd=tmp_path)  # the real command
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.strip()]
    assert errors == ["error: nothing could be read: all 2 input file(s) were skipped"]
    assert "empty file" in proc.stdout and "binary file" in proc.stdout
    assert not (tmp_path / "out").exists()


def test_no_input_files_at_all_exits_2(tmp_path):
    result = invoke("build", str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "no input files found" in result.output


def test_only_a_missing_path_exits_2_and_names_it(tmp_path):
    result = invoke("build", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.txt'}: no such file or directory" in result.output
    assert "nothing could be read" in result.output


def test_duplicate_content_is_read_once(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    result = invoke("build", str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert summary_value(result.output, "read") == "1"
    assert f"{tmp_path / 'b.txt'}: same content as {tmp_path / 'a.txt'}" in result.output


def test_an_article_the_extractors_fail_on_is_skipped_with_the_error(tmp_path, monkeypatch):
    import kg.extract.extraction

    real = kg.extract.extraction.extract_article
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE + "另一段。\n", encoding="utf-8")

    def flaky(doc_id, text, file_name="", sha256=""):
        if doc_id == "b":
            raise ValueError("bad\nthing")
        return real(doc_id, text, file_name, sha256)

    monkeypatch.setattr(kg.extract.extraction, "extract_article", flaky)
    result = invoke("build", str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert summary_value(result.output, "read") == "1"
    assert f"{tmp_path / 'b.txt'}: extraction failed: ValueError: bad thing" in result.output


def test_output_path_that_is_a_file_exits_2(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "out").write_text("not a directory")
    result = invoke("build", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "is not a directory" in result.output


# ------------------------------------------------------------ validation, quiet


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_violations_exit_1_but_the_files_are_written(article, tmp_path, monkeypatch):
    fake = [Violation(f"https://w3id.org/zonekg/id/x/{i:02d}", f"problem {i}") for i in range(25)]
    monkeypatch.setattr(kg.graph.validate, "validate", lambda graph, processes=1: fake)
    result = invoke("build", str(article), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "25 violation(s)" in result.output
    assert "https://w3id.org/zonekg/id/x/19: problem 19" in result.output
    assert "x/20" not in result.output  # only the first 20 are listed
    assert "and 5 more" in result.output
    assert (tmp_path / "out" / "graph.ttl").is_file() and (tmp_path / "out" / "graph.trig").is_file()


def test_no_validate_skips_validation(article, tmp_path, monkeypatch):
    def must_not_run(graph, processes=1):
        raise AssertionError("validate() called despite --no-validate")

    monkeypatch.setattr(kg.graph.validate, "validate", must_not_run)
    result = invoke("build", str(article), "-o", str(tmp_path / "out"), "--no-validate")
    assert result.exit_code == 0, result.output
    assert "skipped (--no-validate)" in result.output


def test_quiet_prints_nothing_on_success(article, tmp_path):
    result = invoke("build", str(article), "-o", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert (tmp_path / "out" / "graph.trig").is_file()


def test_quiet_still_lists_skipped_files(article, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = invoke("build", str(tmp_path), "-o", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'empty.txt'}: empty file" in result.output


# ------------------------------------------------------------------------- eval


def test_eval_prints_both_tables_and_writes_json(tmp_path):
    report = tmp_path / "report" / "eval.json"
    result = invoke("eval", str(SEEDS), "--gold", str(SEEDS / "gold"), "--json", str(report))
    assert result.exit_code == 0, result.output
    for word in ("Entities", "Facts", "micro", "5 document(s) scored"):
        assert word in result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert len(data["documents"]) == 5
    for key in ("entities_micro", "facts_micro"):
        assert 0.0 <= data[key]["f1"] <= 1.0


def test_eval_writes_no_graph(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("eval", str(SEED_FILES[0]), "--gold", str(SEEDS / "gold"))
    assert result.exit_code == 0, result.output
    assert "1 document(s) scored" in result.output
    assert "4 gold document(s) not among the inputs" in result.output
    assert list(tmp_path.iterdir()) == []


def test_eval_missing_gold_dir_exits_2(tmp_path):
    result = invoke("eval", str(SEEDS), "--gold", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "gold directory not found" in result.output


def test_eval_malformed_gold_exits_2_naming_the_file(tmp_path):
    (tmp_path / "000_d1342aae74ea9016.json").write_text('{"doc": "x", "entities": [', encoding="utf-8")
    result = invoke("eval", str(SEEDS), "--gold", str(tmp_path))
    assert result.exit_code == 2
    assert "000_d1342aae74ea9016.json" in result.output and "malformed JSON" in result.output


def test_eval_gold_dir_without_json_exits_2(tmp_path):
    result = invoke("eval", str(SEEDS), "--gold", str(tmp_path))
    assert result.exit_code == 2
    assert "no gold files" in result.output


# ---------------------------------------------------------------- the command


def test_console_script_help_and_version(tmp_path):
    proc = run_kg("--help", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "build" in proc.stdout and "eval" in proc.stdout
    proc = run_kg("--version", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == f"zonekg {kg.__version__}"


def test_python_dash_m_kg_works(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(Path(kg.__file__).resolve().parents[1]))
    proc = subprocess.run([sys.executable, "-m", "kg", "--version"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"zonekg {kg.__version__}"


@pytest.mark.skipif(os.environ.get("ZONEKG_TEST_INSTALLED") != "1",
                    reason="only under .ci/run, which installs the package first")
def test_ci_tests_the_installed_package_not_the_checkout():
    # .ci/run sets ZONEKG_TEST_INSTALLED=1: there the suite must exercise what
    # `pip install .` produced, including the data files the wheel ships.
    package = Path(kg.__file__).resolve().parent
    assert REPO not in package.parents, f"imported the checkout: {package}"
    assert (package / "ontology" / "shapes.ttl").is_file()
    assert kg_command()[0].endswith("kg"), "the kg console script is not installed"
