"""Word documents (.docx): paragraphs and table cells with python-docx.
"""

from __future__ import annotations

import io
import zipfile

from kg.ingest.decode import Unreadable, join_paragraphs, unreadable_reason
from kg.ingest.files import human_size

# ---- DOCX


def read_docx(raw: bytes, max_bytes: int) -> tuple[str, str]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            expanded = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Unreadable(unreadable_reason(".docx file", exc)) from None
    # A zip bomb, or a document padded with huge images: either way not read.
    # (python-docx holds every part in memory.)
    limit = 2 * max_bytes
    if expanded > limit:
        raise Unreadable(f"too large: .docx expands to {human_size(expanded)} > limit {human_size(limit, trim=True)}")

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 - zip, XML and package errors alike
        raise Unreadable(unreadable_reason(".docx file", exc)) from None

    blocks: list[str] = []

    def visit(container) -> None:
        for item in container.iter_inner_content():
            if isinstance(item, Paragraph):
                blocks.append(item.text.strip())
            elif isinstance(item, Table):
                for row in item.rows:
                    seen = set()
                    for cell in row.cells:
                        # A merged cell is returned once per grid column it spans.
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        visit(cell)

    visit(document)
    text = join_paragraphs(blocks)
    if not text.strip():
        raise Unreadable("empty document")
    return text, "docx"
