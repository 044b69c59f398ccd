"""Find input articles and read them as text, whatever encoding they arrived in.

Users point ``kg build`` at folders they collected themselves: UTF-8, old
GBK/GB2312 exports, UTF-16 from Windows tools, and the odd image or truncated
download with a ``.txt`` name.  Nothing here raises for a bad file; it comes
back as a :class:`Skipped` with a one-line reason so a whole run is never lost
to one file and the user can see what was left out and why.
"""

from __future__ import annotations

import codecs
import errno as _errno
import hashlib
import os
import stat
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

__all__ = ["SUFFIXES", "SourceText", "Skipped", "iter_input_paths", "read_source"]

SUFFIXES = (".txt",)
DEFAULT_MAX_BYTES = 100 * 2**20


@dataclass(frozen=True)
class SourceText:
    """A file read correctly."""

    path: Path
    # Offsets recorded downstream index into this exact string, so it is only
    # ever BOM-stripped and newline-normalised, never otherwise rewritten.
    text: str
    encoding: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


# --------------------------------------------------------------------------
# Finding inputs


def _os_reason(exc: OSError) -> str:
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
            found.append((_rel(directory), Skipped(directory, _os_reason(exc))))
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
            yield from once(Skipped(path, _os_reason(exc)))
            continue
        if stat.S_ISDIR(st.st_mode):
            for item in _walk(path, suffixes):
                yield from once(item)
        else:
            yield from once(path)


# --------------------------------------------------------------------------
# Reading


def _is_good_char(ch: str) -> bool:
    o = ord(ch)
    if ch.isspace() or 0x20 <= o < 0x7F:
        return True
    if (
        0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0x20000 <= o <= 0x3134F  # extensions B-G (GB18030 four-byte area)
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0x3000 <= o <= 0x303F  # CJK punctuation, ideographic space
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
    ):
        return True
    # Punctuation, symbols and numbers: GB2312's symbol rows (。“”·—…℃①Ⅲ×) land here.
    return unicodedata.category(ch)[0] in "PSN"


def _is_bad_char(ch: str) -> bool:
    if ch.isspace():
        return False
    # Control, private-use, unassigned, surrogate, and the replacement char.
    return unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs") or ch == "\ufffd"


# Real Chinese prose (the seed articles) scores ~100% good and 0% bad, while a
# wrong legacy decoding scores far lower: Big5 read as GB18030 is only ~35-50%
# good, with ~40% private-use characters (GBK's user-defined rows) plus stray
# kana, Greek and Cyrillic from its symbol rows; binary read as UTF-16 gives
# Hangul, rare scripts and U+0000.  The slack leaves room for an article
# quoting some Greek, Latin-accented or Japanese text, or a custom glyph.
_MIN_GOOD_SHARE = 0.90
_MAX_BAD_SHARE = 0.02


def _looks_like_text(text: str) -> bool:
    """Whether a decoding is plausibly a Chinese/English article, not mojibake.

    Needed because GB18030, UTF-16 and charset-normalizer's guesses decode
    almost any bytes without error; only the result tells right from wrong.
    """
    if not text:
        return True
    # Classify each distinct character once: files run to millions of chars
    # but only a few thousand distinct ones.
    counts = Counter(text)
    good = bad = 0
    for ch, n in counts.items():
        if _is_good_char(ch):
            good += n
        elif _is_bad_char(ch):
            bad += n
    total = len(text)
    return good >= _MIN_GOOD_SHARE * total and bad <= _MAX_BAD_SHARE * total


def _guess_bomless_utf16(raw: bytes) -> tuple[str, str] | None:
    # Only reached for data that contains NULs.  UTF-16 text puts them in the
    # high byte of ASCII (every other position), but never a whole aligned
    # U+0000; NUL runs in binaries do.  Parity alone cannot decide endianness:
    # U+3000 (ideographic space, common as indentation) has its NUL on the
    # other side, so both byte orders are decoded and judged on the result.
    if len(raw) % 2 or 0 in array("H", raw):
        return None
    candidates = []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            # ASCII read in the wrong byte order becomes U+xx00, mostly CJK
            # ideographs, which also "look like text"; the right order is the
            # one with real ASCII in it.
            ascii_units = len(text.encode("ascii", "ignore"))
            candidates.append((ascii_units, encoding, text))
    if not candidates:
        return None
    _, encoding, text = max(candidates, key=lambda c: c[0])
    return text, encoding


_BOMS = (
    # UTF-32 LE's BOM starts with UTF-16 LE's, so it must be tried first.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(raw: bytes) -> tuple[str, str] | str:
    """Return (text, encoding), or a reason why the bytes are not text.

    ``raw.decode(encoding)`` reproduces the text before newline normalisation.
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError:
                # A BOM on undecodable data is more likely chance than a real
                # mark; let the general checks below decide.
                break

    if b"\x00" in raw:
        guess = _guess_bomless_utf16(raw)
        if guess is not None:
            return guess
        return "binary file (contains NUL bytes)"

    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass

    # Before charset-normalizer: it can take GBK for Big5 or similar, while
    # strict GB18030 (a superset of GB2312 and GBK) plus the plausibility check
    # decodes mainland files correctly and rejects Big5 (see _looks_like_text).
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_text(text):
            return text, "gb18030"

    best = charset_normalizer.from_bytes(raw).best()
    if best is not None:
        try:
            encoding = codecs.lookup(best.encoding).name
            text = raw.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            if _looks_like_text(text):
                return text, encoding

    return "not valid text in any supported encoding"


def _human_size(n: int, *, trim: bool = False) -> str:
    for unit, scale in (("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            s = f"{n / scale:.1f}"
            if trim and s.endswith(".0"):
                s = s[:-2]
            return f"{s} {unit}"
    return f"{n} bytes"


def _too_large(size: int, max_bytes: int) -> str:
    return f"too large: {_human_size(size)} > limit {_human_size(max_bytes, trim=True)}"


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText | Skipped:
    """Read one file as text, or say in one line why it was skipped."""
    path = Path(path)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            return Skipped(path, os.strerror(_errno.EISDIR).lower())
        if not stat.S_ISREG(st.st_mode):
            # FIFOs and devices could block forever or never end.
            return Skipped(path, "not a regular file")
        if st.st_size > max_bytes:
            return Skipped(path, _too_large(st.st_size, max_bytes))
        with open(path, "rb") as f:
            # One byte over the limit tells a file that grew since stat().
            raw = f.read(max_bytes + 1)
    except OSError as exc:
        return Skipped(path, _os_reason(exc))

    if len(raw) > max_bytes:
        return Skipped(path, _too_large(len(raw), max_bytes))
    if not raw:
        return Skipped(path, "empty file")

    decoded = _decode(raw)
    if isinstance(decoded, str):
        return Skipped(path, decoded)
    text, encoding = decoded
    if not text.strip():
        return Skipped(path, "empty file")

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(
        path=path,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
    )
