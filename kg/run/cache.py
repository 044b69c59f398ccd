"""The extraction cache: one file per article, so a rebuild extracts only what changed.

An entry is keyed by what decides an article's extraction:

- the SHA-256 of the file's bytes and its suffix (the reader picks HTML, PDF or
  text partly by suffix);
- a *fingerprint* of the extractor: :data:`kg.EXTRACTOR_VERSION`, the lexicon
  files in ``kg/resources`` (editing a lexicon invalidates every entry), the
  source of the modules that read and extract articles, and the tokenizer
  versions.

Entries live under ``OUT/.cache/extractions/<fingerprint>/``; a build removes the
directories of other fingerprints, and, after a complete build, the entries no
input used. Each entry is written atomically (a temporary file renamed into
place) and carries a checksum of its body, so a truncated or corrupt entry, from
a full disk or a killed process, is detected, ignored, removed and re-extracted:
never a crash, never a wrong result. Entries are JSON, not pickles: a cache
directory cannot run code.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kg.extract.extraction import Entity, Evidence, Extraction, FactRecord

CACHE_FORMAT = "2"
CACHE_DIR = Path(".cache") / "extractions"
_MAGIC = b"zonekg-extraction "

# The subpackages that read and extract articles; the modules of kg these import are
# followed too (so a helper module elsewhere is covered), other modules are not:
# editing the CLI or the server keeps the cache.
_EXTRACTION_PACKAGES = ("ingest", "extract")
_IMPORT = re.compile(r"^\s*(?:from\s+kg\.([\w.]+)\s+import|import\s+kg\.([\w.]+))", re.M)


def _package_versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for dist in ("jieba", "rjieba", "cn2an"):
        try:
            parts.append(f"{dist}={version(dist)}")
        except PackageNotFoundError:
            parts.append(f"{dist}=none")
    parts.append(f"ZONEKG_TOKENIZER={os.environ.get('ZONEKG_TOKENIZER', '')}")
    return ";".join(parts)


def fingerprint() -> str:
    """A hash of everything besides the file itself that an extraction depends on."""
    from kg import EXTRACTOR_VERSION

    h = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        h.update(label.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())

    add("format", CACHE_FORMAT.encode())
    add("extractor-version", EXTRACTOR_VERSION.encode())
    add("packages", _package_versions().encode())
    for name, data in _lexicon_files():
        add(f"resource:{name}", data)
    for name, data in _extraction_code():
        add(f"code:{name}", data)
    return h.hexdigest()[:20]


def _lexicon_files() -> list[tuple[str, bytes]]:
    """The lexicons (and every other file) in kg/resources."""
    res = resources.files("kg.resources")
    return [(item.name, item.read_bytes()) for item in sorted(res.iterdir(), key=lambda p: p.name)
            if item.is_file() and not item.name.endswith(".pyc")]


def _extraction_code() -> list[tuple[str, bytes]]:
    """The source of the modules that read and extract articles: every module of
    kg/ingest and kg/extract, and every module of kg they import, transitively."""
    pkg = Path(__file__).resolve().parent.parent  # kg/
    todo = sorted(p for name in _EXTRACTION_PACKAGES for p in (pkg / name).rglob("*.py"))
    seen: dict[Path, bytes] = {}
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen[path] = data = path.read_bytes()
        for m in _IMPORT.finditer(data.decode("utf-8", "replace")):
            parts = (m.group(1) or m.group(2)).split(".")
            todo.append(pkg.joinpath(*parts[:-1], parts[-1] + ".py"))
            todo.append(pkg.joinpath(*parts, "__init__.py"))
    return sorted((p.relative_to(pkg).as_posix(), d) for p, d in seen.items())


@dataclass
class CachedExtraction:
    extraction: Extraction  # doc_id and file_name are those of the file that asked
    encoding: str
    size: int


def _to_json(x: Extraction, encoding: str, size: int, key: str) -> bytes:
    data = {
        "key": key,
        "encoding": encoding,
        "size": size,
        "sha256": x.sha256,
        "entities": [[e.local_id, e.type, list(e.names), e.code] for e in x.entities],
        "facts": [[f.rel, f.subject, f.object, f.amount_cny, f.evidence.text, f.evidence.start, f.evidence.end]
                  for f in x.facts],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _from_json(body: bytes, key: str, doc_id: str, file_name: str) -> CachedExtraction:
    data = json.loads(body)
    if data["key"] != key:
        raise ValueError("entry of another key")
    x = Extraction(doc_id, file_name, data["sha256"])
    x.entities = [Entity(i, t, tuple(names), code) for i, t, names, code in data["entities"]]
    x.facts = [FactRecord(rel, s, o, amount, Evidence(text, start, end))
               for rel, s, o, amount, text, start, end in data["facts"]]
    return CachedExtraction(x, data["encoding"], data["size"])


@dataclass
class CacheStats:
    hits: int = 0  # articles taken from the cache
    misses: int = 0  # articles extracted (and stored)
    corrupt: int = 0  # unreadable entries ignored and replaced
    hit_names: list[str] = field(default_factory=list, repr=False)
    extracted_names: list[str] = field(default_factory=list, repr=False)


class ExtractionCache:
    """Entries under ``root`` (usually ``OUT/.cache/extractions``) for one fingerprint."""

    def __init__(self, root: Path, fp: str | None = None) -> None:
        self.root = Path(root)
        self.fingerprint = fp or fingerprint()
        self.dir = self.root / self.fingerprint
        self.used: set[str] = set()

    @staticmethod
    def key(sha256: str, suffix: str) -> str:
        suffix = "".join(c for c in suffix.lower() if c.isalnum())[:16] or "none"
        return f"{sha256}-{suffix}"

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def get(self, sha256: str, suffix: str, doc_id: str, file_name: str) -> CachedExtraction | None | bool:
        """The entry, None when there is none, False when there was a corrupt one (removed)."""
        key = self.key(sha256, suffix)
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        try:
            if not raw.startswith(_MAGIC):
                raise ValueError("bad header")
            header, _, body = raw.partition(b"\n")
            if header[len(_MAGIC):].decode("ascii") != hashlib.sha256(body).hexdigest():
                raise ValueError("checksum mismatch")
            entry = _from_json(body, key, doc_id, file_name)
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            path.unlink(missing_ok=True)
            return False
        self.used.add(key)
        return entry

    def put(self, extraction: Extraction, suffix: str, encoding: str, size: int) -> None:
        """Store an entry atomically; a failure to write (full disk, read-only) is not an error."""
        key = self.key(extraction.sha256, suffix)
        body = _to_json(extraction, encoding, size, key)
        data = _MAGIC + hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return
        self.used.add(key)

    def prune(self, *, unused: bool) -> int:
        """Remove other fingerprints' directories, temporary files, and with ``unused``
        the entries this run did not use. Returns how many entries were removed."""
        removed = 0
        try:
            siblings = list(os.scandir(self.root))
        except OSError:
            return 0
        for entry in siblings:
            if entry.name != self.fingerprint and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
        if not self.dir.is_dir():
            return removed
        for sub in os.scandir(self.dir):
            if not sub.is_dir(follow_symlinks=False):
                continue
            for f in os.scandir(sub.path):
                stale = f.name.endswith(".tmp") or (unused and f.name.endswith(".json") and f.name[:-5] not in self.used)
                if stale:
                    Path(f.path).unlink(missing_ok=True)
                    removed += f.name.endswith(".json")
        return removed
