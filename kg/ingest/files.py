"""Finding input articles: walking folders, the size limit, and what a read gives back.

Nothing here raises for a bad file: it comes back as a :class:`Skipped` with a
one-line reason, so a whole run is never lost to one file and the user can see what
was left out and why.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# What a directory walk picks up. Explicit files are read whatever their suffix.
SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")

# Files over this size are skipped without being read. The environment
# variable overrides the default (in megabytes, e.g. ZONEKG_MAX_INPUT_MB=500).
DEFAULT_MAX_BYTES = 100 * 2**20
MAX_BYTES_ENV = "ZONEKG_MAX_INPUT_MB"


def default_max_bytes() -> int:
    """The size limit in force: ``$ZONEKG_MAX_INPUT_MB`` if set to a positive
    number, else :data:`DEFAULT_MAX_BYTES`."""
    value = os.environ.get(MAX_BYTES_ENV, "").strip()
    if value:
        try:
            mb = float(value)
        except ValueError:
            mb = 0
        if mb > 0:
            return int(mb * 2**20)
    return DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class SourceText:
    """A file read correctly."""

    path: Path
    # Offsets recorded downstream index into this exact string. For a text
    # file it is only ever BOM-stripped and newline-normalised, never otherwise
    # rewritten; for HTML, PDF and DOCX it is the text extracted from the file,
    # paragraphs separated by a blank line.
    text: str
    # How it was read: the codec for a text file ("utf-8", "gb18030", ...),
    # else the format and, for HTML, the codec ("html/utf-8", "pdf", "docx").
    encoding: str
    # Of the raw bytes of the file.
    sha256: str
    size: int


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


# --------------------------------------------------------------------------
# Finding inputs


def os_reason(exc: OSError) -> str:
    if exc.errno:
        return os.strerror(exc.errno).lower()
    return str(exc) or type(exc).__name__


def _has_suffix(name: str, suffixes: tuple[str, ...]) -> bool:
    # Files copied off Windows machines often arrive as ".TXT".
    lower = name.lower()
    return any(lower.endswith(s.lower()) for s in suffixes)


def _walk(root: Path, suffixes: tuple[str, ...]) -> list[Path | Skipped]:
    found: list[tuple[str, Path | Skipped]] = []

    def _rel(path: Path) -> str:
        return path.relative_to(root).as_posix()

    def visit(directory: Path, ancestors: frozenset[str]) -> None:
        try:
            with os.scandir(directory) as it:
                entries = list(it)
        except OSError as exc:
            found.append((_rel(directory), Skipped(directory, os_reason(exc))))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = directory / entry.name
            try:
                is_dir = entry.is_dir()  # follows symlinks: linked corpora are walked too
            except OSError:
                is_dir = False
            if is_dir:
                real = os.path.realpath(path)
                # Only the ancestor chain is checked: enough to stop a link
                # cycle, and it keeps the result independent of visit order.
                if real not in ancestors:
                    visit(path, ancestors | {real})
            elif _has_suffix(entry.name, suffixes):
                if os.path.exists(path):
                    found.append((_rel(path), path))
                else:
                    found.append((_rel(path), Skipped(path, "no such file or directory")))

    visit(root, frozenset({os.path.realpath(root)}))
    found.sort(key=lambda item: item[0])
    return [item for _, item in found]


def iter_input_paths(
    inputs: Iterable[Path], suffixes: tuple[str, ...] = SUFFIXES
) -> Iterator[Path | Skipped]:
    """Expand files and directories into the files to read, in a stable order.

    Explicit files are taken whatever their suffix (the user asked for them);
    directories contribute only ``suffixes`` files, hidden names excluded.
    """
    suffixes = tuple(suffixes)
    seen: set[str] = set()

    def once(item: Path | Skipped) -> Iterator[Path | Skipped]:
        path = item.path if isinstance(item, Skipped) else item
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            yield item

    for raw in inputs:
        path = Path(raw)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            # Also what a dangling symlink gives.
            yield from once(Skipped(path, "no such file or directory"))
            continue
        except OSError as exc:
            yield from once(Skipped(path, os_reason(exc)))
            continue
        if stat.S_ISDIR(st.st_mode):
            for item in _walk(path, suffixes):
                yield from once(item)
        else:
            yield from once(path)


def human_size(n: int, *, trim: bool = False) -> str:
    for unit, scale in (("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            s = f"{n / scale:.1f}"
            if trim and s.endswith(".0"):
                s = s[:-2]
            return f"{s} {unit}"
    return f"{n} bytes"


def too_large(size: int, max_bytes: int) -> str:
    return f"too large: {human_size(size)} > limit {human_size(max_bytes, trim=True)}"


def one_line(text: object) -> str:
    """Any text (an error's message, a reason) on one line, as every skip reason and error is."""
    return " ".join(str(text).split())
