"""Read one input file as text, whatever form it arrived in.

Users point ``kg build`` at folders they collected themselves: UTF-8, old
GBK/GB2312 exports, UTF-16 from Windows tools, web pages saved from government
sites, PDFs of newspaper pages, Word documents, and the odd image or truncated
download. Nothing here raises for a bad file; it comes back as a
:class:`Skipped` with a one-line reason so a whole run is never lost to one
file and the user can see what was left out and why.

The format is picked by content where it is unambiguous, else by suffix, and read
by its module: plain text (``.txt`` and anything not recognised) by
:mod:`kg.ingest.decode`, HTML by :mod:`kg.ingest.html`, PDF by :mod:`kg.ingest.pdf`,
DOCX by :mod:`kg.ingest.docx`. For HTML, PDF and DOCX the returned text is the
*extracted* text: it is what evidence offsets downstream index into.
"""
from __future__ import annotations

import errno as _errno
import hashlib
import io
import os
import stat
import zipfile
from pathlib import Path

from kg.ingest.decode import Unreadable, decode, unreadable_reason
from kg.ingest.docx import read_docx
from kg.ingest.files import (
    DEFAULT_MAX_BYTES,
    HTML_SUFFIXES,
    MAX_BYTES_ENV,
    SUFFIXES,
    Skipped,
    SourceText,
    default_max_bytes,
    iter_input_paths,
    one_line,
    os_reason,
    too_large,
)
from kg.ingest.html import looks_like_html, read_html
from kg.ingest.pdf import read_pdf

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_BYTES_ENV",
    "SUFFIXES",
    "SourceText",
    "Skipped",
    "iter_input_paths",
    "read_raw",
    "read_source",
    "read_source_bytes",
]


# --------------------------------------------------------------------------
# Formats other than plain text

# Magic numbers of files that turn up in article folders but hold no text we
# can read: named in the reason, so the user knows what the file was.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document (.doc/.xls/.wps); save it as .docx"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"{\\rtf", "RTF document; save it as .docx"),
)


def _sniff(path: Path, raw: bytes) -> str:
    """The format of a file: "pdf", "docx", "html" or "text"; or the reason
    why it is none of them and cannot be read."""
    name = path.name.lower()
    # PDF readers accept junk before the header (so does pdfminer), but only a
    # file named .pdf gets that benefit of the doubt.
    if raw.startswith(b"%PDF-") or (name.endswith(".pdf") and b"%PDF-" in raw[:1024]):
        return "pdf"
    if raw.startswith(b"PK\x03\x04"):
        if name.endswith(".docx"):
            return "docx"
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
        return "binary file (zip archive)"
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            return f"binary file ({what})"
    if name.endswith(".pdf"):
        return "not a PDF file (no %PDF header)"
    if name.endswith(".docx"):
        return "not a .docx file (not a zip archive)"
    if any(name.endswith(s) for s in HTML_SUFFIXES) or looks_like_html(raw):
        return "html"
    return "text"


# --------------------------------------------------------------------------

# The formats besides plain text: what :func:`_sniff` calls them, the name a skip reason
# gives them, and the reader, ``(bytes, max_bytes) -> (text, encoding label)``, which
# raises :class:`~kg.ingest.decode.Unreadable` with the reason for a file it cannot use.
FORMAT_READERS = {
    "html": ("HTML page", read_html),
    "pdf": ("PDF", read_pdf),
    "docx": (".docx file", read_docx),
}


def read_source(path: Path, max_bytes: int | None = None) -> SourceText | Skipped:
    """Read one file as text, or say in one line why it was skipped.

    ``max_bytes`` (default :func:`default_max_bytes`): a larger file is skipped
    with its size, checked before anything is read.
    """
    path = Path(path)
    if max_bytes is None:
        max_bytes = default_max_bytes()
    raw = read_raw(path, max_bytes)
    if isinstance(raw, Skipped):
        return raw
    return read_source_bytes(path, raw, max_bytes)


def read_raw(path: Path, max_bytes: int | None = None) -> bytes | Skipped:
    """The bytes of a regular file no larger than ``max_bytes`` (the first step of
    :func:`read_source`), or why it cannot be read."""
    path = Path(path)
    if max_bytes is None:
        max_bytes = default_max_bytes()
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            return Skipped(path, os.strerror(_errno.EISDIR).lower())
        if not stat.S_ISREG(st.st_mode):
            # FIFOs and devices could block forever or never end.
            return Skipped(path, "not a regular file")
        if st.st_size > max_bytes:
            return Skipped(path, too_large(st.st_size, max_bytes))
        with open(path, "rb") as f:
            # One byte over the limit tells a file that grew since stat().
            return f.read(max_bytes + 1)
    except OSError as exc:
        return Skipped(path, os_reason(exc))


def read_source_bytes(path: Path, raw: bytes, max_bytes: int | None = None) -> SourceText | Skipped:
    """The rest of :func:`read_source`, on the bytes :func:`read_raw` gave: for bytes
    that travelled (a worker of ``kg build --cluster`` gets them from the client).
    ``path`` is not opened; its name takes part in choosing the format, as it does
    for a file, and the result carries it.
    """
    path = Path(path)
    if max_bytes is None:
        max_bytes = default_max_bytes()
    if len(raw) > max_bytes:
        return Skipped(path, too_large(len(raw), max_bytes))
    if not raw:
        return Skipped(path, "empty file")

    kind = _sniff(path, raw)
    if kind == "text":
        decoded = decode(raw)
        if isinstance(decoded, str):
            return Skipped(path, decoded)
        text, encoding = decoded
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    elif kind in FORMAT_READERS:
        what, reader = FORMAT_READERS[kind]
        try:
            text, encoding = reader(raw, max_bytes)
        except Unreadable as exc:
            return Skipped(path, one_line(exc))
        except RecursionError:
            return Skipped(path, f"not a readable {what} (nested too deeply)")
        except Exception as exc:  # noqa: BLE001 - a parser bug must not end the run
            return Skipped(path, unreadable_reason(what, exc))
    else:
        return Skipped(path, kind)

    if not text.strip():
        return Skipped(path, "empty file")
    return SourceText(
        path=path,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
    )
