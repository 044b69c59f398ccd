"""Input formats other than plain text: HTML pages, PDFs, Word files, traditional
characters, and the files that are none of these.

Every input is made here in tmp_path by the test itself; no binary fixtures live
in the repository.

PDFs are written with reportlab (in the test extra). This machine has no CJK
font installed (``fc-list :lang=zh`` is empty) and none is needed:

- reportlab ships the metrics and CMaps of Adobe's standard Chinese font
  ``STSong-Light``, so it can write Chinese text in that font without a font
  file. The PDF names the font (CID-keyed, ``UniGB-UCS2-H`` encoding) without
  embedding it, the way many PDF producers do for Chinese;
- the other common form, an embedded TrueType subset with a ``ToUnicode``
  map (what newspaper PDFs usually carry), is made from a tiny font built on
  the fly with fontTools (every glyph a square): extraction reads the text
  through the map and never looks at the glyphs.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph
from typer.testing import CliRunner

from kg.cli import app
from kg.extract.extraction import Extraction, extract_article
from kg.graph.namespaces import KG
from kg.ingest.files import Skipped, SourceText, iter_input_paths
from kg.ingest.reader import read_source

ZONE = "许昌经济技术开发区"
# One article, as a typesetter would wrap it: paragraphs of lines. Lines break
# between two characters of a word (开工|仪式, 建设运|营), never after a comma,
# the way a narrow newspaper column does it.
ARTICLE_LINES = [
    [
        "近日，许昌经济技术开发区举行重点项目集中开工",
        "仪式，投资15亿元的奥诺药业氨基酸及其衍生物项目",
        "正式开工建设。",
    ],
    [
        "该项目由许昌开瑞生物医药产业园有限公司建设运",
        "营，建成后将进一步壮大开发区生物医药产业集群。",
    ],
]
SENTENCE_1 = "".join(ARTICLE_LINES[0])
SENTENCE_2 = "".join(ARTICLE_LINES[1])


def read_ok(path: Path, **kw) -> SourceText:
    result = read_source(path, **kw)
    assert isinstance(result, SourceText), result
    raw = path.read_bytes()
    assert result.size == len(raw)
    return result


def skipped(path: Path, **kw) -> str:
    result = read_source(path, **kw)
    assert isinstance(result, Skipped), result
    assert result.path == path
    assert result.reason and "\n" not in result.reason
    return result.reason


def extract(source: SourceText) -> Extraction:
    """Extract the article, checking that every evidence points into the text read."""
    ex = extract_article(source.path.stem, source.text, source.path.name, source.sha256)
    for f in ex.facts:
        ev = f.evidence
        assert source.text[ev.start : ev.end] == ev.text, f
    return ex


def names(ex: Extraction, type_: str) -> set[str]:
    return {e.names[0] for e in ex.entities if e.type == type_}


def joined(text: str) -> str:
    """The text with the layout's line breaks and blank lines removed."""
    return "".join(text.split())


def assert_article_facts(ex: Extraction) -> None:
    assert ZONE in names(ex, "Zone")
    invests = [f for f in ex.facts if f.rel == "invests"]
    assert [f.amount_cny for f in invests] == [1_500_000_000]
    # The sentence survived the layout: one evidence holds all of it.
    assert joined(invests[0].evidence.text) == SENTENCE_1
    operated = [f for f in ex.facts if f.rel == "operatedBy"]
    assert operated, ex.facts


# --------------------------------------------------------------------------
# HTML

NAV = """
<div id="header"><div class="logo">许昌经济技术开发区管理委员会</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zsyz/">招商引资</a></li><li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="menu"><a href="/tzgg/">通知公告</a> | <a href="/yqdt/">园区动态</a> | <a href="/ldzc/">领导之窗</a></div>
<div class="sidebar"><h3>栏目导航</h3><ul><li><a href="/1">工作动态</a></li><li><a href="/2">媒体聚焦</a></li></ul></div>
"""
RELATED = """
<div class="xgxw"><h3>相关新闻</h3><ul>
<li><a href="/n1">鹤壁经济技术开发区召开年度工作会议</a></li>
<li><a href="/n2">漯河经济技术开发区引进新项目</a></li>
<li><a href="/n3">郑州航空港经济综合实验区发展纪实</a></li></ul></div>
"""
FOOTER = """
<div id="footer"><p>版权所有：许昌经济技术开发区管理委员会　地址：许昌市魏文路　豫ICP备12345678号</p>
<p>主办单位：许昌经济技术开发区党政办　联系电话：0374-1234567</p></div>
"""
PAGE_FURNITURE = ["首页", "政务公开", "招商引资", "栏目导航", "相关新闻", "鹤壁", "漯河", "郑州", "版权所有", "ICP", "联系电话", "责任编辑", "下一篇"]


def html_page(charset: str | None = "utf-8", meta: str = "charset") -> str:
    if charset is None:
        head = ""
    elif meta == "charset":
        head = f'<meta charset="{charset}">'
    else:
        head = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    paragraphs = "\n".join(f"<p>　　{''.join(lines)}</p>" for lines in ARTICLE_LINES)
    return f"""<!DOCTYPE html>
<html><head>{head}<title>开发区重点项目集中开工_许昌经济技术开发区</title>
<script>var nav = "首页";</script><style>.nav {{ color: red }}</style></head>
<body>{NAV}
<div class="main"><h1>开发区重点项目集中开工</h1>
<div class="info">发布时间：2023-03-01　来源：许昌日报</div>
<div class="article-content">
{paragraphs}
<p>责任编辑：王五</p>
</div>
<div class="page"><a href="/p">上一篇：开发区召开会议</a> <a href="/n">下一篇：开发区举办活动</a></div>
{RELATED}</div>
{FOOTER}</body></html>
"""


def test_html_article_body_only(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(html_page(), encoding="utf-8")
    r = read_ok(path)
    assert r.encoding == "html/utf-8"
    # The headline, then the two paragraphs, each a paragraph of its own.
    assert r.text == f"开发区重点项目集中开工\n\n{SENTENCE_1}\n\n{SENTENCE_2}\n"
    for word in PAGE_FURNITURE:
        assert word not in r.text


def test_html_article_is_extracted(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(html_page(), encoding="utf-8")
    ex = extract(read_ok(path))
    assert_article_facts(ex)
    # The zones of the "相关新闻" list are not in the graph.
    assert names(ex, "Zone") == {ZONE}


@pytest.mark.parametrize("meta", ["charset", "http-equiv"])
@pytest.mark.parametrize("charset", ["gbk", "gb2312", "GB18030"])
def test_gbk_html_with_meta_charset(tmp_path, charset, meta):
    path = tmp_path / "page.htm"
    path.write_bytes(html_page(charset, meta).encode("gbk"))
    r = read_ok(path)
    assert r.encoding == "html/gb18030"
    assert SENTENCE_1 in r.text and SENTENCE_2 in r.text
    assert_article_facts(extract(r))


def test_gbk_html_without_declaration_is_detected(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(html_page(None).encode("gbk"))
    r = read_ok(path)
    assert r.encoding == "html/gb18030"
    assert SENTENCE_1 in r.text


def test_html_declaration_that_lies_is_overruled(tmp_path):
    # Says GBK, is UTF-8 (a page re-saved by an editor): decoding as GBK fails.
    path = tmp_path / "page.html"
    path.write_bytes(html_page("gbk").encode("utf-8"))
    r = read_ok(path)
    assert r.encoding == "html/utf-8"
    assert SENTENCE_1 in r.text


def test_xhtml_with_xml_declaration(tmp_path):
    page = html_page(None).replace("<!DOCTYPE html>", '<?xml version="1.0" encoding="gb2312"?>')
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("gb2312"))
    r = read_ok(path)
    assert r.encoding == "html/gb18030"
    assert SENTENCE_1 in r.text


def test_html_table_layout_with_br_paragraphs(tmp_path):
    # Older government sites: one big layout table, paragraphs ended by <br>.
    body = "<br>".join("　　" + "".join(lines) for lines in ARTICLE_LINES)
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>园区动态-许昌经开区</title></head><body><table width="100%">
<tr><td><a href="/">首页</a> <a href="/xw">新闻中心</a> <a href="/zs">招商引资</a></td></tr>
<tr><td class="content">{body}<br>　　开发区将持续优化营商环境，加快推进项目建设，推动经济高质量发展。</td></tr>
<tr><td>相关新闻：<a href="/n1">鹤壁经济技术开发区召开工作会议</a><br><a href="/n2">漯河经济技术开发区引进新项目</a></td></tr>
<tr><td>版权所有 许昌经济技术开发区管委会</td></tr></table></body></html>"""
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("gb2312"))
    r = read_ok(path)
    paragraphs = r.text.strip().split("\n\n")
    assert paragraphs[:2] == [SENTENCE_1, SENTENCE_2]
    for word in ("首页", "相关新闻", "鹤壁", "版权所有"):
        assert word not in r.text
    assert_article_facts(extract(r))


def test_html_page_without_an_article_is_skipped(tmp_path):
    page = f"<html><head><title>首页</title></head><body>{NAV}{FOOTER}</body></html>"
    path = tmp_path / "index.html"
    path.write_text(page, encoding="utf-8")
    assert skipped(path) == "no article text found in the HTML page"


def test_html_saved_with_a_txt_name_is_read_as_html(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(html_page(), encoding="utf-8")
    r = read_ok(path)
    assert r.encoding == "html/utf-8"
    assert "首页" not in r.text and SENTENCE_1 in r.text


def test_kg_build_on_an_html_page(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "page.html").write_text(html_page(), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(d), "-o", str(out)])
    assert result.exit_code == 0, result.output
    g = Graph()
    g.parse(out / "graph.ttl", format="turtle")
    zones = {str(g.value(z, RDFS.label)) for z in g.subjects(RDF.type, KG.Zone)}
    assert zones == {ZONE}


# --------------------------------------------------------------------------
# PDF


def _cid_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _tiny_ttf(path: Path, chars: str) -> str:
    """A TrueType font with a square glyph for each of ``chars``, registered
    with reportlab under a name of its own."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    cps = sorted({ord(c) for c in chars if not c.isspace() or c == "\u3000"})
    glyph_names = [".notdef"] + [f"uni{cp:04X}" for cp in cps]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(glyph_names)
    fb.setupCharacterMap({cp: f"uni{cp:04X}" for cp in cps})
    glyphs = {}
    for name in glyph_names:
        pen = TTGlyphPen(None)
        pen.moveTo((100, 0))
        pen.lineTo((100, 800))
        pen.lineTo((900, 800))
        pen.lineTo((900, 0))
        pen.closePath()
        glyphs[name] = pen.glyph()
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({name: (1000, 100) for name in glyph_names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "ZonekgTestCJK", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    fb.save(str(path))
    name = f"ZonekgTestCJK-{path.stem}"
    pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


Placed = tuple  # (x, y, text, width to justify the line to, or None)


def write_pdf(path: Path, pages: list[list[Placed]], font: str, size: float = 12) -> Path:
    """A PDF with the given lines at (x, y) on each page; a line with a width
    is justified to it by letter spacing, as newspaper columns are."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for page in pages:
        for x, y, text, *width in page:
            t = c.beginText(x, y)
            t.setFont(font, size)
            if width and width[0] and len(text) > 1:
                t.setCharSpace(max(0.0, (width[0] - stringWidth(text, font, size)) / (len(text) - 1)))
            t.textLine(text)
            c.drawText(t)
        c.showPage()
    c.save()
    return path


def typeset(paragraphs: list[list[str]], *, top: float = 780, left: float = 72, lead: float = 18,
            indent: str = "position", gap: float = 0, em: float = 12, runs_on: bool = False) -> list[Placed]:
    """Place paragraphs of lines in a column 24 characters wide: the first line
    of a paragraph indented by two characters (as a position or as two
    ideographic spaces), every line but a paragraph's last justified (that
    one too with ``runs_on``: the paragraph goes on in the next column)."""
    width = 24 * em
    placed = []
    y = top
    for lines in paragraphs:
        for i, line in enumerate(lines):
            x, w = left, width
            if i == 0 and indent == "position":
                x, w = left + 2 * em, width - 2 * em
            elif i == 0 and indent == "spaces":
                line = "\u3000\u3000" + line
            placed.append((x, y, line, w if runs_on or i < len(lines) - 1 else None))
            y -= lead
        y -= gap
    return placed


TITLE = "许昌经济技术开发区重点项目集中开工"


@pytest.mark.parametrize("indent", ["position", "spaces"])
def test_pdf_wrapped_lines_and_paragraphs(tmp_path, indent):
    page = [(72, 810, TITLE)] + typeset(ARTICLE_LINES, indent=indent)
    path = write_pdf(tmp_path / "a.pdf", [page], _cid_font())
    r = read_ok(path)
    assert r.encoding == "pdf"
    # Paragraphs separated by a blank line, wrapped lines by a single newline.
    expected = [TITLE] + ["\n".join(lines) for lines in ARTICLE_LINES]
    assert r.text.strip().split("\n\n") == expected
    assert_article_facts(extract(r))


def test_pdf_with_embedded_truetype_font(tmp_path):
    chars = TITLE + "".join("".join(p) for p in ARTICLE_LINES) + "\u3000"
    font = _tiny_ttf(tmp_path / "font.ttf", chars)
    page = [(72, 810, TITLE)] + typeset(ARTICLE_LINES, indent="spaces", gap=12)
    path = write_pdf(tmp_path / "a.pdf", [page], font)
    raw = path.read_bytes()
    assert b"/FontFile2" in raw and b"/ToUnicode" in raw  # the font really is embedded
    r = read_ok(path)
    assert r.text.strip().split("\n\n") == [TITLE] + ["\n".join(lines) for lines in ARTICLE_LINES]
    assert_article_facts(extract(r))


def test_pdf_paragraph_running_over_a_page_break(tmp_path):
    # The first paragraph's last line goes to the next page: one paragraph still.
    first, second = ARTICLE_LINES
    page1 = [(72, 810, TITLE)] + typeset([first[:2]], top=100, runs_on=True)
    page2 = typeset([first[2:]], indent="none", top=800) + typeset([second], top=760)
    path = write_pdf(tmp_path / "a.pdf", [page1, page2], _cid_font())
    r = read_ok(path)
    assert r.text.strip().split("\n\n") == [TITLE, "\n".join(first), "\n".join(second)]
    assert_article_facts(extract(r))


def test_pdf_two_columns(tmp_path):
    # Two narrow columns; the first paragraph wraps from the left column into the right.
    first, second = ARTICLE_LINES
    left_col = typeset([first[:2]], left=40, top=700, em=10, runs_on=True)
    right_col = typeset([first[2:]], left=300, top=700, indent="none", em=10) + typeset(
        [second], left=300, top=682, em=10
    )
    path = write_pdf(tmp_path / "a.pdf", [left_col + right_col], _cid_font(), size=10)
    r = read_ok(path)
    assert joined(SENTENCE_1) in joined(r.text)
    assert_article_facts(extract(r))


def test_pdf_without_text_layer(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 400, fill=1)  # what a scanned page is to a text extractor
    c.save()
    assert skipped(path) == "PDF has no text layer (a scanned image? run OCR on it first)"


def test_encrypted_pdf(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt=StandardEncryption("secret", canPrint=0))
    c.setFont("Helvetica", 12)
    c.drawString(72, 700, "Xuchang Economic and Technological Development Zone")
    c.save()
    assert skipped(path) == "encrypted PDF (needs a password)"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage\n",
        b"%PDF-1.7\n" + bytes(range(256)) * 4,
        b"%PDF-",
    ],
    ids=["truncated", "garbage", "header-only"],
)
def test_damaged_pdf(tmp_path, data):
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    reason = skipped(path)
    assert reason.startswith(("not a readable PDF", "PDF has no text layer")), reason


def test_pdf_name_without_pdf_content(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_text("许昌经济技术开发区", encoding="utf-8")
    assert skipped(path) == "not a PDF file (no %PDF header)"


def test_pdf_with_another_name_is_recognised(tmp_path):
    page = typeset(ARTICLE_LINES)
    path = write_pdf(tmp_path / "download.bin", [page], _cid_font())
    assert read_ok(path).encoding == "pdf"


# --------------------------------------------------------------------------
# DOCX


def write_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading(TITLE, level=1)
    for lines in ARTICLE_LINES:
        d.add_paragraph("".join(lines))
    d.add_paragraph("")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "企业"
    table.cell(0, 1).text = "投资"
    table.cell(1, 0).text = "西继迅达电梯有限公司"
    table.cell(1, 1).text = "12亿元"
    merged = d.add_table(rows=1, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "合并单元格"
    d.save(str(path))
    return path


def test_docx(tmp_path):
    r = read_ok(write_docx(tmp_path / "a.docx"))
    assert r.encoding == "docx"
    assert r.text == (
        f"{TITLE}\n\n{SENTENCE_1}\n\n{SENTENCE_2}\n\n企业\n\n投资\n\n西继迅达电梯有限公司\n\n12亿元\n\n合并单元格\n"
    )
    assert_article_facts(extract(r))


def test_docx_with_another_name_is_recognised(tmp_path):
    path = write_docx(tmp_path / "a.docx").rename(tmp_path / "a.dat")
    assert read_ok(path).encoding == "docx"


def test_docx_name_on_other_bytes(tmp_path):
    path = tmp_path / "a.docx"
    path.write_text("许昌经济技术开发区", encoding="utf-8")
    assert skipped(path) == "not a .docx file (not a zip archive)"


def test_zip_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "a.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "许昌")
    assert skipped(path).startswith("not a readable .docx file (")
    other = tmp_path / "a.zip.txt"
    path.rename(other)
    assert skipped(other) == "binary file (zip archive)"


def test_empty_docx(tmp_path):
    import docx

    path = tmp_path / "a.docx"
    docx.Document().save(str(path))
    assert skipped(path) == "empty document"


def test_docx_zip_bomb_is_not_expanded(tmp_path):
    path = write_docx(tmp_path / "a.docx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/padding.bin", b"\0" * (2 * 2**20))
    reason = skipped(path, max_bytes=100_000)
    assert reason.startswith("too large: .docx expands to ") and "limit" in reason


# --------------------------------------------------------------------------
# Traditional characters

TRAD = "　　許昌經濟技術開發區引進西繼迅達電梯有限公司，總投資１２億元。\n　　該項目由許昌開瑞生物醫藥產業園有限公司建設運營。\n"


@pytest.mark.parametrize("codec", ["utf-8", "big5"])
def test_traditional_chinese_text(tmp_path, codec):
    path = tmp_path / "trad.txt"
    path.write_bytes(TRAD.encode(codec))
    r = read_ok(path)
    assert r.text == TRAD
    ex = extract(r)  # checks every evidence offset against the traditional text
    zones = [e for e in ex.entities if e.type == "Zone"]
    assert [z.names[0] for z in zones] == [ZONE]
    assert "西继迅达电梯有限公司" in names(ex, "Enterprise")
    hosts = [f for f in ex.facts if f.rel == "hosts"]
    assert hosts
    ev = hosts[0].evidence
    assert ev.text.startswith("許昌經濟技術開發區")
    assert TRAD[ev.start : ev.start + 9] == "許昌經濟技術開發區"


def test_traditional_html(tmp_path):
    import opencc

    page = opencc.OpenCC("s2t").convert(html_page("big5"))
    assert "許昌經濟技術開發區" in page
    path = tmp_path / "trad.html"
    path.write_bytes(page.encode("big5hkscs"))
    r = read_ok(path)
    assert r.encoding == "html/big5hkscs"
    assert "首頁" not in r.text and "相關新聞" not in r.text
    ex = extract(r)
    assert ZONE in names(ex, "Zone")
    assert [f.amount_cny for f in ex.facts if f.rel == "invests"] == [1_500_000_000]


# --------------------------------------------------------------------------
# Files that are none of these


@pytest.mark.parametrize("name", ["a.txt", "a.html", "a.htm", "a.pdf", "a.docx"])
def test_empty_files_of_every_kind(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    assert skipped(path) == "empty file"


@pytest.mark.parametrize(
    "data,what",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, "JPEG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "legacy Office document (.doc/.xls/.wps); save it as .docx"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 64, "gzip archive"),
    ],
)
@pytest.mark.parametrize("name", ["a.txt", "a.html", "a.pdf", "a.docx", "a.doc"])
def test_binary_files_are_named(tmp_path, name, data, what):
    path = tmp_path / name
    path.write_bytes(data)
    assert skipped(path) == f"binary file ({what})"


@pytest.mark.parametrize("name", ["big.txt", "big.html", "big.pdf", "big.docx"])
def test_huge_files_are_skipped_by_size_without_being_read(tmp_path, name, monkeypatch):
    path = tmp_path / name
    with open(path, "wb") as f:
        f.truncate(200 * 2**20)  # sparse: 200 MB that take no disk space

    def no_open(*args, **kwargs):
        raise AssertionError("a file over the limit was opened")

    monkeypatch.setattr("kg.ingest.reader.open", no_open, raising=False)
    assert skipped(path) == "too large: 200.0 MB > limit 100 MB"


def test_size_limit_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_bytes(("许昌经济技术开发区" * 100_000).encode("utf-8"))  # 2.6 MB
    monkeypatch.setenv("ZONEKG_MAX_INPUT_MB", "1.5")
    assert skipped(path) == "too large: 2.6 MB > limit 1.5 MB"
    monkeypatch.setenv("ZONEKG_MAX_INPUT_MB", "10")
    assert read_ok(path).encoding == "utf-8"
    monkeypatch.setenv("ZONEKG_MAX_INPUT_MB", "nonsense")  # ignored: the default applies
    assert read_ok(path).encoding == "utf-8"


# --------------------------------------------------------------------------
# All of it through kg build


def test_kg_build_on_a_folder_of_every_kind(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "page.html").write_text(html_page(), encoding="utf-8")
    (d / "gbk.htm").write_bytes(html_page("gbk").replace("许昌", "漯河").encode("gbk"))
    write_pdf(d / "paper.pdf", [[(72, 810, TITLE)] + typeset(ARTICLE_LINES)], _cid_font())
    write_docx(d / "report.docx")
    (d / "trad.txt").write_bytes(TRAD.encode("big5"))
    (d / "scan.pdf").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64)
    (d / "empty.html").write_bytes(b"")
    (d / "notes.md").write_text("not picked up", encoding="utf-8")
    walked = [p.name for p in iter_input_paths([d])]
    assert walked == ["empty.html", "gbk.htm", "page.html", "paper.pdf", "report.docx", "scan.pdf", "trad.txt"]

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(d), "-o", str(out)])
    assert result.exit_code == 0, result.output
    for line in ["read as html/gb18030", "read as html/utf-8", "read as pdf", "read as docx", "read as big5"]:
        assert line in result.output, result.output
    assert f"{d / 'scan.pdf'}: binary file (JPEG image)" in result.output
    assert f"{d / 'empty.html'}: empty file" in result.output
    g = Graph()
    g.parse(out / "graph.ttl", format="turtle")
    zones = {str(g.value(z, RDFS.label)) for z in g.subjects(RDF.type, KG.Zone)}
    assert {ZONE, "漯河经济技术开发区"} <= zones


# --------------------------------------------------------------------------
# A whole article: the same facts from the page as from the text

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def facts_of(ex: Extraction) -> set[tuple]:
    label = {e.local_id: (e.type, e.names[0]) for e in ex.entities}
    return {(f.rel, label[f.subject], label.get(f.object), f.amount_cny) for f in ex.facts}


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("00[03]_*.txt")), ids=lambda p: p.name[:3])
def test_seed_article_as_a_web_page_gives_the_same_facts(tmp_path, seed):
    text = seed.read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    page = f"""<html><head><meta charset="gb2312"><title>{paragraphs[0]}_开发区门户网站</title></head><body>
{NAV}<div class="container"><div class="article"><h1>{paragraphs[0]}</h1>
<div class="source">来源：河南日报　发布时间：2019-10-01</div>
<div class="TRS_Editor">{body}</div>
<div class="share">分享到：</div><p>【打印本页】【关闭窗口】</p></div>{RELATED}</div>{FOOTER}</body></html>"""
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("gb18030"))
    r = read_ok(path)
    assert r.encoding == "html/gb18030"
    assert r.text.split("\n\n") == paragraphs[:-1] + [paragraphs[-1] + "\n"]
    from_page = extract(r)
    from_text = extract_article(seed.stem, text)
    assert facts_of(from_page) == facts_of(from_text)


# Chinese line-breaking rules (禁则): no line starts with closing punctuation,
# none ends with opening punctuation, and a number is not split.
NO_LINE_START = set("，。、；：？！”’）》】」』…%")
NO_LINE_END = set("“‘（《【「『")


def break_lines(para: str, chars: int) -> list[str]:
    """``para`` in lines of about ``chars`` characters (the first two shorter,
    for the indent), broken where the typesetting rules allow."""
    lines, start, width = [], 0, chars - 2
    while start < len(para):
        end = min(start + width, len(para))
        if end < len(para):
            # Pull the break back until it is allowed (never below half a line).
            while end > start + width // 2 and (
                para[end] in NO_LINE_START
                or para[end - 1] in NO_LINE_END
                or (para[end - 1].isascii() and para[end - 1].isalnum() and para[end].isascii() and para[end].isalnum())
                or (para[end - 1].isdigit() and para[end] in ".,%")
            ):
                end -= 1
        lines.append(para[start:end])
        start, width = end, chars
    return lines


def typeset_pages(paragraphs: list[str], *, chars: int = 24, em: float = 12, lead: float = 18) -> list[list[Placed]]:
    """Set paragraphs as a newspaper column would: lines of about ``chars``
    characters, the first indented by two, all but the last justified, pages
    broken wherever the column is full (mid-paragraph included)."""
    pages: list[list[Placed]] = [[]]
    y = 800.0
    for para in paragraphs:
        lines = break_lines(para, chars)
        for i, line in enumerate(lines):
            if y < 60:
                pages.append([])
                y = 800.0
            x, width = (72 + 2 * em, (chars - 2) * em) if i == 0 else (72, chars * em)
            pages[-1].append((x, y, line, width if i < len(lines) - 1 else None))
            y -= lead
    return pages


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("00[03]_*.txt")), ids=lambda p: p.name[:3])
def test_seed_article_as_a_newspaper_pdf_gives_the_same_facts(tmp_path, seed):
    text = seed.read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    pages = typeset_pages(paragraphs)
    assert len(pages) >= 3
    path = write_pdf(tmp_path / "paper.pdf", pages, _cid_font())
    r = read_ok(path)
    # Every paragraph comes back whole (its lines rejoined), across page breaks
    # too; a space the line break fell on goes with it.
    assert [joined(p) for p in r.text.strip().split("\n\n")] == [joined(p) for p in paragraphs]
    assert facts_of(extract(r)) == facts_of(extract_article(seed.stem, text))


# The reader returns a PDF's wrapped lines separated by single newlines; typeset
# text also wraps between a number and its unit, and the sentence must survive.
def test_wrapped_line_between_number_and_unit():
    wrapped = "近日，许昌经济技术开发区举行重点项目集中开工仪式，投资15\n亿元的奥诺药业氨基酸及其衍生物项目正式开工建设。\n"
    ex = extract_article("wrapped", wrapped)
    assert [f.amount_cny for f in ex.facts if f.rel == "invests"] == [1_500_000_000]
