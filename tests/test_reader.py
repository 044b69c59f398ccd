"""kg.ingest.reader: finding input files and decoding them, including the broken ones.

Every input is made here in tmp_path, so no binary fixtures live in the repo.
"""

import hashlib
import os
import random
from pathlib import Path

import pytest

from kg.ingest.files import SUFFIXES, Skipped, SourceText, iter_input_paths
from kg.ingest.reader import read_source

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

ZH = "许昌经济技术开发区引进西继迅达电梯有限公司"
# A longer article-like text: several paragraphs, ASCII digits, full-width
# punctuation and the ideographic-space indentation common in Chinese reports.
ARTICLE = (
    "　　许昌经济技术开发区引进西继迅达电梯有限公司，总投资12亿元。\n"
    "　　2017年，开发区实现地区生产总值（GDP）150亿元，同比增长9.5%。\n"
    "　　园区内企业数量持续增长，产业集聚效应显著。\n"
)


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def read_ok(path: Path, **kw) -> SourceText:
    result = read_source(path, **kw)
    assert isinstance(result, SourceText), result
    # The recorded encoding must be enough to get the same text back.
    raw = path.read_bytes()
    assert raw.decode(result.encoding).replace("\r\n", "\n").replace("\r", "\n") == result.text
    assert result.size == len(raw)
    assert result.sha256 == hashlib.sha256(raw).hexdigest()
    assert result.path == path
    return result


def skipped(path: Path, **kw) -> str:
    result = read_source(path, **kw)
    assert isinstance(result, Skipped), result
    assert result.path == path
    assert "\n" not in result.reason
    return result.reason


# --------------------------------------------------------------------------
# Encodings


def test_utf8(tmp_path):
    r = read_ok(write(tmp_path / "a.txt", ARTICLE.encode("utf-8")))
    assert (r.text, r.encoding) == (ARTICLE, "utf-8")


def test_utf8_bom_is_stripped(tmp_path):
    r = read_ok(write(tmp_path / "a.txt", b"\xef\xbb\xbf" + ZH.encode("utf-8")))
    assert (r.text, r.encoding) == (ZH, "utf-8-sig")
    assert not r.text.startswith("\ufeff")


@pytest.mark.parametrize("text", [ZH, ARTICLE])
def test_gbk(tmp_path, text):
    r = read_ok(write(tmp_path / "a.txt", text.encode("gbk")))
    assert (r.text, r.encoding) == (text, "gb18030")


def test_gb2312(tmp_path):
    r = read_ok(write(tmp_path / "a.txt", ARTICLE.encode("gb2312")))
    assert r.text == ARTICLE


def test_gb18030_beyond_gbk(tmp_path):
    # 𠀀 (U+20000, extension B) and € have no GBK code; GB18030 has both.
    text = ARTICLE + "　　生僻字𠀀与欧元符号€。\n"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    r = read_ok(write(tmp_path / "a.txt", text.encode("gb18030")))
    assert (r.text, r.encoding) == (text, "gb18030")


def test_big5_is_never_taken_for_gb18030(tmp_path):
    trad = (
        "許昌經濟技術開發區引進西繼迅達電梯有限公司，總投資達十二億元。"
        "園區內企業數量持續增長，產業集聚效應顯著。\n"
    )
    data = trad.encode("big5")
    data.decode("gb18030")  # the trap: Big5 bytes are valid GB18030 too
    result = read_source(write(tmp_path / "a.txt", data))
    if isinstance(result, SourceText):
        assert result.encoding != "gb18030"
        assert result.text == trad
    else:
        assert result.reason == "not valid text in any supported encoding"


@pytest.mark.parametrize("codec,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_with_bom(tmp_path, codec, bom):
    r = read_ok(write(tmp_path / "a.txt", bom + ARTICLE.encode(codec)))
    assert (r.text, r.encoding) == (ARTICLE, "utf-16")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [
        ARTICLE,
        "Xuchang Economic and Technological Development Zone\nfounded 1992\n",
        # NULs on both sides: "\n" puts one in the high byte, U+3000 in the low.
        "　　" + ZH + "\n",
    ],
)
def test_utf16_without_bom(tmp_path, codec, text):
    r = read_ok(write(tmp_path / "a.txt", text.encode(codec)))
    assert (r.text, r.encoding) == (text, codec)


def test_crlf_and_cr_become_lf(tmp_path):
    data = "第一段\r\n第二段\r第三段\n\r\n".encode("utf-8")
    r = read_ok(write(tmp_path / "a.txt", data))
    assert r.text == "第一段\n第二段\n第三段\n\n"


def test_crlf_in_gbk_and_utf16(tmp_path):
    text = ARTICLE.replace("\n", "\r\n")
    assert read_ok(write(tmp_path / "g.txt", text.encode("gbk"))).text == ARTICLE
    assert read_ok(write(tmp_path / "u.txt", b"\xff\xfe" + text.encode("utf-16-le"))).text == ARTICLE


def test_no_other_normalisation(tmp_path):
    # Full-width letters/digits, compatibility ideographs and combining marks
    # would all change under NFKC/NFC, shifting downstream offsets.
    text = "ＡＢＣ１２３　豈\u0065\u0301 \u2028x\t\x0cy\n"
    r = read_ok(write(tmp_path / "a.txt", text.encode("utf-8")))
    assert r.text == text


def test_sha256_and_size_are_of_raw_bytes(tmp_path):
    data = b"\xef\xbb\xbf" + "一\r\n二\r\n".encode("utf-8")
    r = read_ok(write(tmp_path / "a.txt", data))
    assert r.sha256 == hashlib.sha256(data).hexdigest()
    assert r.size == len(data)
    assert r.text == "一\n二\n"


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_seed_articles_read_as_utf8(seed):
    r = read_ok(seed)
    assert r.encoding == "utf-8"
    assert r.text == seed.read_bytes().decode("utf-8")
    assert r.text[:200] == seed.read_text(encoding="utf-8")[:200]


def test_there_are_five_seed_articles():
    assert len(sorted(SEEDS.glob("*.txt"))) == 5


# --------------------------------------------------------------------------
# Files that are not text


def test_empty_file(tmp_path):
    assert skipped(write(tmp_path / "a.txt", b"")) == "empty file"


@pytest.mark.parametrize(
    "data",
    [
        b" \n\t\r\n  ",
        "　\n".encode("utf-8"),  # ideographic space
        b"\xef\xbb\xbf",  # a BOM and nothing else
        b"\xff\xfe" + " \n".encode("utf-16-le"),
    ],
)
def test_whitespace_only_is_empty(tmp_path, data):
    assert skipped(write(tmp_path / "a.txt", data)) == "empty file"


def test_png_like_binary(tmp_path):
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64 + b"\x08\x06\x00\x00\x00"
    assert skipped(write(tmp_path / "a.txt", data)) == "binary file (PNG image)"


def test_unknown_binary_with_nuls(tmp_path):
    data = b"\x00\x01\x02\x03" + bytes(range(256)) * 4
    assert skipped(write(tmp_path / "a.txt", data)) == "binary file (contains NUL bytes)"


@pytest.mark.parametrize("n", [64, 4096])
def test_random_bytes(tmp_path, n):
    data = random.Random(0).randbytes(n)
    reason = skipped(write(tmp_path / "a.txt", data))
    assert reason in ("binary file (contains NUL bytes)", "not valid text in any supported encoding")


def test_random_bytes_without_nuls_are_not_text(tmp_path):
    rng = random.Random(0)
    data = bytes(b for b in rng.randbytes(8192) if b)
    assert skipped(write(tmp_path / "a.txt", data)) == "not valid text in any supported encoding"


def test_text_with_nul_is_binary(tmp_path):
    data = ZH.encode("utf-8") + b"\x00" + ZH.encode("utf-8")
    assert skipped(write(tmp_path / "a.txt", data)) == "binary file (contains NUL bytes)"


def test_too_large(tmp_path):
    data = ARTICLE.encode("utf-8")
    path = write(tmp_path / "a.txt", data)
    assert skipped(path, max_bytes=100) == f"too large: {len(data)} bytes > limit 100 bytes"
    assert read_ok(path, max_bytes=len(data)).text == ARTICLE


def test_too_large_reason_in_megabytes(tmp_path):
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:
        f.truncate(3 * 2**20 + 2**19)  # sparse, so cheap to make
    assert skipped(path, max_bytes=2 * 2**20) == "too large: 3.5 MB > limit 2 MB"


def test_too_large_is_checked_before_content(tmp_path):
    path = write(tmp_path / "a.txt", b"\x00" * 50)
    assert skipped(path, max_bytes=10).startswith("too large: ")


def test_permission_denied(tmp_path):
    path = write(tmp_path / "a.txt", ZH.encode("utf-8"))
    path.chmod(0)
    try:
        if os.geteuid() == 0 and isinstance(read_source(path), SourceText):
            pytest.skip("running as root: file permissions are not enforced")
        assert skipped(path) == "permission denied"
    finally:
        path.chmod(0o644)


def test_directory_where_a_file_is_expected(tmp_path):
    assert skipped(tmp_path) == "is a directory"


def test_missing_path(tmp_path):
    assert skipped(tmp_path / "nope.txt") == "no such file or directory"


def test_broken_symlink(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "gone.txt")
    assert skipped(link) == "no such file or directory"


def test_fifo_is_not_read(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert skipped(fifo) == "not a regular file"


# --------------------------------------------------------------------------
# Finding inputs


def test_default_suffixes():
    assert SUFFIXES == (".txt", ".html", ".htm", ".pdf", ".docx")


def test_walk_picks_up_every_supported_format(tmp_path):
    for rel in ["a.txt", "b.html", "c.htm", "d.pdf", "e.docx", "F.PDF", "g.HTM", "h.doc", "i.md", "j.xhtml"]:
        write(tmp_path / rel, b"x")
    assert [p.name for p in iter_input_paths([tmp_path])] == [
        "F.PDF", "a.txt", "b.html", "c.htm", "d.pdf", "e.docx", "g.HTM",
    ]


def make_tree(root: Path) -> None:
    for rel in [
        "b.txt",
        "a.txt",
        "a/z.txt",
        "a/b/c.txt",
        "a.b/x.txt",
        "gold/g.txt",
        "notes.md",
        "data.json",
        "UPPER.TXT",
        ".hidden.txt",
        ".git/config.txt",
        "a/.cache/x.txt",
    ]:
        write(root / rel, b"x")


def test_walk_order_suffixes_and_hidden(tmp_path):
    make_tree(tmp_path)
    got = list(iter_input_paths([tmp_path]))
    assert all(isinstance(p, Path) for p in got)
    rel = [p.relative_to(tmp_path).as_posix() for p in got]
    assert rel == sorted(rel)
    assert rel == ["UPPER.TXT", "a.b/x.txt", "a.txt", "a/b/c.txt", "a/z.txt", "b.txt", "gold/g.txt"]


def test_walk_other_suffixes(tmp_path):
    make_tree(tmp_path)
    got = list(iter_input_paths([tmp_path], suffixes=(".md", ".json")))
    assert [p.name for p in got] == ["data.json", "notes.md"]


def test_explicit_file_taken_whatever_its_suffix(tmp_path):
    make_tree(tmp_path)
    explicit = [tmp_path / "notes.md", tmp_path / ".hidden.txt"]
    assert list(iter_input_paths(explicit)) == explicit


def test_inputs_keep_their_given_order(tmp_path):
    make_tree(tmp_path)
    got = list(iter_input_paths([tmp_path / "b.txt", tmp_path / "a"]))
    assert got == [tmp_path / "b.txt", tmp_path / "a/b/c.txt", tmp_path / "a/z.txt"]


def test_same_file_given_twice_is_yielded_once(tmp_path):
    make_tree(tmp_path)
    f = tmp_path / "a.txt"
    got = list(iter_input_paths([f, tmp_path / "a" / ".." / "a.txt", tmp_path, f]))
    assert got.count(f) == 1
    assert len(got) == len(set(got)) == 7
    assert got[0] == f


def test_symlink_to_same_file_is_yielded_once(tmp_path):
    f = write(tmp_path / "a.txt", b"x")
    (tmp_path / "link.txt").symlink_to(f)
    assert list(iter_input_paths([tmp_path])) == [f]


def test_missing_input(tmp_path):
    missing = tmp_path / "nope"
    assert list(iter_input_paths([missing])) == [Skipped(missing, "no such file or directory")]


def test_broken_symlink_input_and_in_walk(tmp_path):
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")
    expected = [Skipped(link, "no such file or directory")]
    assert list(iter_input_paths([link])) == expected
    assert list(iter_input_paths([tmp_path])) == expected


def test_symlink_cycle_terminates(tmp_path):
    write(tmp_path / "d" / "a.txt", b"x")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    assert list(iter_input_paths([tmp_path])) == [tmp_path / "d" / "a.txt"]


def test_unreadable_directory(tmp_path):
    d = tmp_path / "locked"
    write(d / "a.txt", b"x")
    d.chmod(0)
    try:
        got = list(iter_input_paths([d]))
        if os.geteuid() == 0 and got == [d / "a.txt"]:
            pytest.skip("running as root: directory permissions are not enforced")
        assert got == [Skipped(d, "permission denied")]
    finally:
        d.chmod(0o755)


def test_walk_then_read(tmp_path):
    write(tmp_path / "1_utf8.txt", ZH.encode("utf-8"))
    write(tmp_path / "2_gbk.txt", ZH.encode("gbk"))
    write(tmp_path / "3_empty.txt", b"")
    write(tmp_path / "4_png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    results = [
        p if isinstance(p, Skipped) else read_source(p)
        for p in iter_input_paths([tmp_path, tmp_path / "missing"])
    ]
    summary = [r.encoding if isinstance(r, SourceText) else r.reason for r in results]
    assert summary == [
        "utf-8",
        "gb18030",
        "empty file",
        "binary file (PNG image)",
        "no such file or directory",
    ]


# --------------------------------------------------------------------------
# Telling formats apart, and the size limit


def test_text_that_mentions_a_pdf_header_is_text(tmp_path):
    text = "文件以%PDF-1.7开头。\n" + ARTICLE
    r = read_ok(write(tmp_path / "a.txt", text.encode("utf-8")))
    assert (r.text, r.encoding) == (text, "utf-8")


def test_text_that_mentions_html_tags_is_text(tmp_path):
    text = "网页以<html>开头。\n" + ARTICLE
    r = read_ok(write(tmp_path / "a.txt", text.encode("utf-8")))
    assert r.encoding == "utf-8"


def test_default_size_limit(monkeypatch):
    from kg.ingest.files import DEFAULT_MAX_BYTES, MAX_BYTES_ENV, default_max_bytes

    monkeypatch.delenv(MAX_BYTES_ENV, raising=False)
    assert default_max_bytes() == DEFAULT_MAX_BYTES == 100 * 2**20
    monkeypatch.setenv(MAX_BYTES_ENV, "250")
    assert default_max_bytes() == 250 * 2**20
    for bad in ("", "0", "-5", "lots"):
        monkeypatch.setenv(MAX_BYTES_ENV, bad)
        assert default_max_bytes() == DEFAULT_MAX_BYTES


def test_explicit_limit_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ZONEKG_MAX_INPUT_MB", "0.0001")  # about 100 bytes
    path = write(tmp_path / "a.txt", ARTICLE.encode("utf-8"))
    assert skipped(path).startswith("too large: ")
    assert read_ok(path, max_bytes=10_000).text == ARTICLE
