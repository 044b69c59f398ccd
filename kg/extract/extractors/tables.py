"""Tables of projects: one row a project, with its company and its investment.

Project lists (重点项目清单) are tables: ``序号 | 项目名称 | 建设单位 | 总投资(亿元)``.
The readers put a row on one line with its cells separated by tabs (kg/ingest/reader.py),
so a row's cells are known. The header row says which column holds what; a cell in
the name column is a project whatever its words, the company in the same row runs it
and the amount in the investment column (in the header's unit) is what it invests.
Without a header, a cell that ends like a project is one, and its row's company runs it.

A list of companies (入驻企业名录: ``序号 | 企业名称 | 主营产品``) makes each cell of its name
column a company, and nothing in its other cells one. A list of parks (园区名单:
``序号 | 园区名称 | 所在县(市、区) | 主导产业``) makes each cell of its name column an area
of its own, a Zone (GUIDELINES: a park no larger named zone contains), and the place in
its row is where that zone lies.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from kg.extract.document import Doc
from kg.extract.money import find_amounts, parse_number
from kg.extract.pipeline import RECOGNIZE, RELATE, component

_NAME_COLUMN = re.compile(r"^(?:项目名称|项目|名称|项目名)$")
# A list of companies (入驻企业名录: 序号 | 企业名称 | 主营产品 | 入驻时间): no project column.
_COMPANIES_COLUMN = re.compile(r"^(?:企业|公司|单位|厂商|入驻企业|入园企业)(?:名称)?$")
_ZONE_COLUMN = re.compile(r"^(?:园区|开发区|产业园区|工业园区|开发区[(（]园区[)）]|园区[(（]开发区[)）])(?:名称)?$")
_COMPANY_COLUMN = re.compile(r"(?:建设|实施|业主|承建|投资|申报|责任)?(?:单位|主体|企业|公司)(?:名称)?$")
_AMOUNT_COLUMN = re.compile(r"(?:总|计划|拟|累计)?投资(?:额|总额|规模)?\s*[(（]?(?P<unit>亿元|万元|元)?[)）]?$")
_PROJECT_CELL = re.compile(r"(?:项目|工程|基地|中心|产业园|工业园|生产线|二期|三期|一期|综合体|总部)$")
_UNIT = {"亿元": 100_000_000, "万元": 10_000, "元": 1}


@dataclass(frozen=True)
class _Columns:
    name: int | None
    zone: int | None
    companies: int | None
    company: int | None
    amount: int | None
    unit: int  # yuan per unit of the amount column


def _cells(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    cells = []
    pos = start
    for m in re.finditer("\t", doc.text[start:end]):
        cells.append((pos, start + m.start()))
        pos = start + m.end()
    cells.append((pos, end))
    return cells


def _header(doc: Doc, cells: list[tuple[int, int]]) -> _Columns | None:
    texts = [re.sub(r"\s", "", doc.text[s:e]) for s, e in cells]
    name = next((i for i, t in enumerate(texts) if _NAME_COLUMN.match(t)), None)
    zone = next((i for i, t in enumerate(texts) if _ZONE_COLUMN.match(t)), None)
    if zone is not None:
        return _Columns(None, zone, None, None, None, 1)
    if name is None:
        companies = next((i for i, t in enumerate(texts) if _COMPANIES_COLUMN.match(t)), None)
        return None if companies is None else _Columns(None, None, companies, None, None, 1)
    company = next((i for i, t in enumerate(texts) if i != name and _COMPANY_COLUMN.search(t)), None)
    amount = None
    unit = 10_000  # 万元 is the usual unit of a project list that does not say
    for i, t in enumerate(texts):
        m = _AMOUNT_COLUMN.search(t)
        if i != name and m and "投资" in t:
            amount = i
            if m["unit"]:
                unit = _UNIT[m["unit"]]
            break
    return _Columns(name, None, None, company, amount, unit)


def _rows(doc: Doc):
    """Every table row (a line with tabs), with the header that is in force for it."""
    header: _Columns | None = None
    text = doc.text
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if "\t" not in line:
            if line.strip():
                header = None  # prose between two tables ends the first
            continue
        cells = _cells(doc, start, end)
        found = _header(doc, cells)
        if found is not None:
            header = found
            continue
        yield cells, header


def _cell(doc: Doc, cells: list[tuple[int, int]], i: int | None) -> tuple[int, int] | None:
    if i is None or i >= len(cells):
        return None
    s, e = cells[i]
    while s < e and doc.text[s].isspace():
        s += 1
    while e > s and doc.text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


def _company_rows(doc: Doc, rows: list[tuple[list[tuple[int, int]], int]]) -> None:
    """The rows of lists of companies: a name cell is a company whatever its words
    (宁川远扬机械有限公司, cut by other rules at the verb 远扬); the other cells (products,
    dates) and the parts of a name cell name none. The mentions are filtered once for all rows."""
    names, others = [], []
    for cells, column in rows:
        for i in range(len(cells)):
            span = _cell(doc, cells, i)
            if span:
                (names if i == column else others).append(span)
    name_spans = set(names)
    inside = sorted(names + others)
    starts = [a for a, _ in inside]

    def covered(m) -> bool:
        k = bisect_right(starts, m.start) - 1
        return k >= 0 and m.end <= inside[k][1] and (m.start, m.end) not in name_spans

    doc.mentions = [m for m in doc.mentions if m.type != "Enterprise" or not covered(m)]
    have = {(m.start, m.end) for m in doc.mentions_of("Enterprise")}
    for span in names:
        if span[1] - span[0] >= 2 and span not in have:
            doc.claimed[span] = "Enterprise"
            doc.add_mention("Enterprise", span[0], span[1], rule="table-company")


@component("table-projects", RECOGNIZE + 3)
def recognize_table_projects(doc: Doc) -> None:
    from kg.extract.extractors.projects import add_project

    company_rows = []
    zones = {(m.start, m.end) for m in doc.mentions_of("Zone")}
    for cells, header in _rows(doc):
        if header is not None and header.companies is not None:
            company_rows.append((cells, header.companies))
            continue
        if header is not None and header.zone is not None:
            span = _cell(doc, cells, header.zone)
            if span and span[1] - span[0] >= 4 and span not in doc.claimed and span not in zones:
                doc.claimed[span] = "Zone"
                doc.add_mention("Zone", span[0], span[1], rule="table-zone")
            continue
        if header is not None and header.name is not None:
            span = _cell(doc, cells, header.name)
            if span and len(doc.text[span[0]:span[1]]) >= 4:
                add_project(doc, span[0], span[1], "list")
            continue
        for i in range(len(cells)):
            span = _cell(doc, cells, i)
            if span and span[1] - span[0] >= 6 and _PROJECT_CELL.search(doc.text, span[0], span[1]):
                add_project(doc, span[0], span[1], "table-cell")
    if company_rows:
        _company_rows(doc, company_rows)


@component("table-facts", RELATE + 2)
def relate_table_rows(doc: Doc) -> None:
    projects = {(m.start, m.end): m for m in doc.mentions_of("Project")}
    enterprises = sorted(doc.mentions_of("Enterprise"), key=lambda m: m.start)
    for cells, header in _rows(doc):
        row_start, row_end = cells[0][0], cells[-1][1]
        in_row = [projects[c] for c in (_cell(doc, cells, i) for i in range(len(cells))) if c in projects]
        if len(in_row) != 1:
            continue  # a row is one project; otherwise the row is no project list
        project = in_row[0]
        pk = doc.resolve(project.key)
        sent = doc.sentence_at(project.start).index
        company_cell = _cell(doc, cells, header.company) if header is not None else None
        for e in enterprises:
            if row_start <= e.start and e.end <= row_end and not (project.start <= e.start < project.end):
                if company_cell is None or (company_cell[0] <= e.start and e.end <= company_cell[1]):
                    doc.add_fact("operatedBy", pk, doc.resolve(e.key), sent, rule="table-row")
        amount_cell = _cell(doc, cells, header.amount) if header is not None else None
        if amount_cell is not None:
            raw = doc.text[amount_cell[0]:amount_cell[1]]
            found = find_amounts(raw, amount_cell[0])
            if found and found[0].cny is not None:
                doc.add_fact("invests", pk, None, sent, amount_cny=found[0].cny, rule="table-amount")
            else:
                number = parse_number(raw)
                if number is not None and number > 0:
                    doc.add_fact("invests", pk, None, sent, amount_cny=int(number * header.unit), rule="table-amount")
