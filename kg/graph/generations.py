"""Generations: every ``kg build`` publishes all of its outputs at once, or nothing.

Layout of an output directory ``out/``::

    out/.generations/20261202T025312.123456Z-4242/   one build: graph.ttl, graph.trig, store/, build.json
    out/current -> .generations/20261202T025312.123456Z-4242
    out/graph.ttl -> current/graph.ttl               the README's names, resolved through `current`
    out/graph.trig -> current/graph.trig
    out/store -> current/store
    out/.cache/                                      extractions, shared by all generations
    out/.lock                                        held by the build writing out/ (its pid inside)

A build writes its files and its store into a new generation directory, syncs them,
writes ``build.json`` (when it was built, how many documents, quads) and then makes the
generation current by switching the symbolic link ``current`` in one ``rename``. A reader
that follows ``out/graph.trig`` or ``out/store`` (or ``current``) therefore sees all of one
build or all of the previous one, never a mix; a build that fails or is stopped at any
point before that rename leaves the previous generation current and complete (its
half-written directory is removed, at once or by the next build).

The generation a build replaces is kept until the next build, so that a reader that
opened it (a running ``kg serve``) keeps working; older ones are removed, except a
generation that a ``kg serve --pin`` still holds (``.pins/PID`` inside it, PID alive).

One build at a time writes into a directory: :mod:`kg.graph.lock`.

Test hook: :func:`kg.graph.checkpoints.checkpoint` pauses a build at one of its phases
(merge, write, store, publish) when the environment asks, so that a test can signal it at
that very point.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from kg.graph.checkpoints import checkpoint
from kg.graph.lock import pid_alive

GENERATIONS_DIR = ".generations"
CURRENT = "current"
MANIFEST = "build.json"
PINS_DIR = ".pins"
# The names a build publishes, as links through `current` (the README's file names).
PUBLISHED = ("graph.ttl", "graph.trig", "store")
_LEGACY_STORE_PREFIX = ".store-"  # zonekg before generations: out/store -> .store-ID


# --------------------------------------------------------------------------
# Reading: which generation is current, and what it holds


def generations_dir(out_dir: Path) -> Path:
    return Path(out_dir) / GENERATIONS_DIR


def current_generation(out_dir: Path) -> Path | None:
    """The generation directory ``out_dir/current`` points to now (None: none yet)."""
    link = Path(out_dir) / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        return None
    gen = (link.parent / target)
    return gen if gen.is_dir() else None


def generation_of(path: Path) -> Path | None:
    """The generation directory that ``path`` (``out``, ``out/store``, ``out/graph.trig``,
    or a path inside a generation) belongs to right now, links followed; None when it
    is in none."""
    path = Path(path)
    if path.is_dir() and (path / CURRENT).is_symlink():
        gen = current_generation(path)
        return gen.resolve() if gen is not None else None
    try:
        resolved = path.resolve()
    except OSError:
        return None
    for p in (resolved, *resolved.parents):
        if p.parent.name == GENERATIONS_DIR and (p / MANIFEST).is_file():
            return p
    return None


def same_generation(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` (say ``out/graph.trig`` and ``out/store``) resolve into the
    same generation now, that is, come from the same build."""
    gen = generation_of(a)
    return gen is not None and gen == generation_of(b)


def read_manifest(generation: Path) -> dict | None:
    try:
        data = json.loads((Path(generation) / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def build_info(path: Path) -> dict | None:
    """What a page says about the build ``path`` stands for now: ``{"generation", "built",
    "documents", "quads"}`` from its ``build.json``; None outside a generation."""
    gen = generation_of(path)
    if gen is None:
        return None
    manifest = read_manifest(gen)
    if manifest is None:
        return None
    return {"generation": gen.name, "built": manifest.get("built"), "documents": manifest.get("documents"),
            "quads": manifest.get("quads")}


# --------------------------------------------------------------------------
# Writing a generation


_KNOWN_ERRORS = tuple(os.strerror(e) for e in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                                                errno.EIO, errno.EFBIG))


def failure_reason(exc: OSError) -> str:
    """Why writing failed, in a few words: the system's message ("No space left on
    device"), also when it comes wrapped in RocksDB's long text about a file."""
    if exc.strerror:
        return exc.strerror
    text = " ".join(str(exc).split())
    for known in _KNOWN_ERRORS:
        if known in text:
            return known
    return text


def _new_name() -> str:
    now = datetime.now(timezone.utc)
    return f"{now:%Y%m%dT%H%M%S.%f}Z-{os.getpid()}"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_tree(path: Path) -> None:
    """Everything under ``path`` on disk before it is published (the store's files
    are written by RocksDB, which does not sync them all)."""
    for root, dirs, files in os.walk(path):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(root))


def _replace_link(link: Path, target: str) -> None:
    """Make ``link`` a symbolic link to ``target`` in one rename (whatever was there)."""
    tmp = link.parent / f".{link.name}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    try:
        if link.is_dir() and not link.is_symlink():
            # A store directory from an old layout: rename cannot put a link over it.
            os.replace(link, link.parent / f"{_LEGACY_STORE_PREFIX}old-{time.time_ns():x}")
        os.replace(tmp, link)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class NewGeneration:
    """A generation being written: ``path`` is its directory. :meth:`publish` makes it
    current; :meth:`discard` (or leaving the ``with`` block by an exception) removes it."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.path = generations_dir(self.out_dir) / _new_name()
        self.published = False
        self.path.mkdir(parents=True)

    def __enter__(self) -> NewGeneration:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and not self.published:
            if self.is_current():  # stopped just after the rename: it is published
                self.published = True
                return
            self.discard()

    def is_current(self) -> bool:
        try:
            return os.readlink(self.out_dir / CURRENT) == f"{GENERATIONS_DIR}/{self.path.name}"
        except OSError:
            return False

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def publish(self, manifest: dict) -> None:
        """Write ``build.json``, sync the generation and switch ``current`` to it."""
        manifest = {"built": datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
                    **manifest}
        data = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
        with open(self.path / MANIFEST, "wb") as fh:
            fh.write(data)
        _fsync_tree(self.path)
        _fsync_dir(self.path.parent)
        checkpoint("publish")
        _replace_link(self.out_dir / CURRENT, f"{GENERATIONS_DIR}/{self.path.name}")
        self.published = True
        _fsync_dir(self.out_dir)

    def link_names(self) -> None:
        """``out/graph.ttl`` … as links through ``current`` (once per directory; an output
        directory of an older zonekg has plain files there, replaced now)."""
        for name in PUBLISHED:
            link = self.out_dir / name
            target = f"{CURRENT}/{name}"
            try:
                if os.readlink(link) == target:
                    continue
            except OSError:
                pass
            _replace_link(link, target)


def write_files(gen: NewGeneration, kg, *, store: bool, seconds: dict[str, float]) -> None:
    """``graph.ttl``, ``graph.trig`` and (with ``store``) the Oxigraph store of the
    :class:`kg.graph.build.KnowledgeGraph` ``kg`` into the generation; the durations go
    into ``seconds`` ("write": the two files; "store": how much longer the store took,
    as it loads in a thread of its own while the files are written)."""
    from kg.graph.output import atomic_output, serialize_to
    from kg.graph.store import STORE_NAME, StoreLoad

    t0 = time.perf_counter()
    loading = StoreLoad(kg, gen.path / STORE_NAME) if store else None
    try:
        with atomic_output(gen.path / "graph.ttl") as fh:
            serialize_to(kg, "turtle", fh)
        checkpoint("write")
        with atomic_output(gen.path / "graph.trig") as fh:
            serialize_to(kg, "trig", fh)
    except BaseException:
        if loading is not None:
            loading.abandon()
        raise
    seconds["write"] = time.perf_counter() - t0
    if loading is not None:
        t0 = time.perf_counter()
        loading.finish()
        seconds["store"] = time.perf_counter() - t0


def begin(out_dir: Path) -> NewGeneration:
    """Start a new generation in ``out_dir`` (whose lock the caller holds); first remove
    what killed builds left: generations never published and temporary links."""
    out_dir = Path(out_dir)
    remove_unpublished(out_dir)
    return NewGeneration(out_dir)


def _pinned(gen: Path) -> bool:
    try:
        entries = list(os.scandir(gen / PINS_DIR))
    except OSError:
        return False
    return any(e.name.isdigit() and pid_alive(int(e.name)) for e in entries)


def _keep(out_dir: Path, previous: Path | None) -> set[str]:
    keep = set()
    cur = current_generation(out_dir)
    if cur is not None:
        keep.add(cur.name)
    if previous is not None:
        keep.add(previous.name)
    return keep


def remove_unpublished(out_dir: Path) -> None:
    """Generations that are neither current nor complete (a build killed before it
    published) and temporary links. Call with the lock held."""
    gens = generations_dir(out_dir)
    keep = _keep(out_dir, None)
    with contextlib.suppress(OSError):
        for entry in os.scandir(gens):
            if entry.name not in keep and entry.is_dir(follow_symlinks=False) \
                    and not (Path(entry.path) / MANIFEST).is_file():
                shutil.rmtree(entry.path, ignore_errors=True)
    _remove_temporary_links(out_dir)


def _remove_temporary_links(out_dir: Path) -> None:
    with contextlib.suppress(OSError):
        for entry in os.scandir(out_dir):
            if entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_symlink():
                Path(entry.path).unlink(missing_ok=True)


def remove_old(out_dir: Path, previous: Path | None, legacy_store: Path | None = None) -> None:
    """After a publish: keep the current generation and ``previous`` (the one it
    replaced, for readers that still have it open), remove the others unless pinned;
    stores of the layout before generations go too, but for ``legacy_store`` (the one
    ``out/store`` pointed to before this build), kept like a previous generation."""
    keep = _keep(out_dir, previous)
    with contextlib.suppress(OSError):
        for entry in os.scandir(generations_dir(out_dir)):
            if entry.name in keep or not entry.is_dir(follow_symlinks=False) or _pinned(Path(entry.path)):
                continue
            shutil.rmtree(entry.path, ignore_errors=True)
    with contextlib.suppress(OSError):
        for entry in os.scandir(out_dir):
            if entry.name.startswith(_LEGACY_STORE_PREFIX) and entry.is_dir(follow_symlinks=False) \
                    and (legacy_store is None or entry.name != legacy_store.name):
                shutil.rmtree(entry.path, ignore_errors=True)


def legacy_store_target(out_dir: Path) -> Path | None:
    """The ``.store-ID`` directory ``out/store`` points to in the layout before generations."""
    link = Path(out_dir) / "store"
    try:
        target = os.readlink(link)
    except OSError:
        return None
    return Path(out_dir) / target if target.startswith(_LEGACY_STORE_PREFIX) else None


# --------------------------------------------------------------------------
# Pins (kg serve --pin)


@contextlib.contextmanager
def pinned(generation: Path | None) -> Iterator[None]:
    """Keep ``generation`` from being removed by later builds while the block runs
    (None: nothing to keep)."""
    if generation is None:
        yield
        return
    pin = Path(generation) / PINS_DIR / str(os.getpid())
    try:
        pin.parent.mkdir(exist_ok=True)
        pin.touch()
    except OSError:
        pin = None
    try:
        yield
    finally:
        if pin is not None:
            pin.unlink(missing_ok=True)

