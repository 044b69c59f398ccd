"""The on-disk Oxigraph store that ``kg build`` writes next to its Turtle and TriG.

``kg build -o out`` bulk-loads every quad of ``graph.trig`` (the merged default
graph and one named graph per article) into a RocksDB-backed ``pyoxigraph.Store``,
so that ``kg query`` and ``kg serve`` open a graph of any size in milliseconds,
without parsing Turtle and without holding it in memory::

    from kg.graph.store import open_store
    store = open_store("out")          # or open_store("out/store")
    for row in store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"):
        ...

Layout and atomicity: a build loads its store into its new generation directory
(:func:`load_store`, ``out/.generations/ID/store``), which is published with the
build's files in one step (see :mod:`kg.graph.generations`); ``out/store`` is a link
through ``out/current``, so a reader always opens a complete store, the one of
the build whose files it reads. :func:`write_store` publishes a store alone, for
a directory that holds nothing else: it loads ``out_dir/.store-<id>/`` and
switches the link ``out_dir/store`` to it in one ``rename``, keeping the store it
replaces until the next call. A store, once published, is never written again:
open it read-only.
"""
from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

STORE_NAME = "store"
_PREFIX = ".store-"


def store_path(out_dir: str | os.PathLike) -> Path:
    """Where ``kg build -o OUT_DIR`` publishes the store: ``OUT_DIR/store``."""
    return Path(out_dir) / STORE_NAME


def _resolve(path: str | os.PathLike) -> Path:
    path = Path(path)
    if (path / STORE_NAME).exists() or (path / STORE_NAME).is_symlink():
        # An output directory was given (its store link dangles after a --no-store build).
        path = path / STORE_NAME
    return path.resolve()


def resolve_store(path: str | os.PathLike) -> Path:
    """The store directory that ``path`` (``out`` or ``out/store``) stands for now, with
    the link followed: a build publishing a new store later does not change what a
    reader opened from this. :class:`FileNotFoundError` when there is no directory."""
    resolved = _resolve(path)
    if not resolved.is_dir():
        raise FileNotFoundError(f"no Oxigraph store at {path} (run kg build first)")
    return resolved


def open_store(path: str | os.PathLike, *, read_only: bool = True) -> ox.Store:
    """Open the store a build wrote, read-only by default.

    ``path`` is the build's output directory (``out``) or the store itself
    (``out/store``). The link is resolved once, so a build that publishes a new
    store meanwhile does not disturb a store already open. Raises
    :class:`FileNotFoundError` when there is no store there (for instance
    ``kg build --no-store``), :class:`OSError` when it cannot be opened.
    """
    resolved = resolve_store(path)
    if read_only:
        return ox.Store.read_only(str(resolved))
    return ox.Store(str(resolved))


def _bulk_load(store: ox.Store, quads) -> None:
    """``quads``: pyoxigraph quads, or a graph that loads itself (``load_into``, see
    :class:`kg.graph.build.KnowledgeGraph`: from its files, without Python objects)."""
    if hasattr(quads, "load_into"):
        quads.load_into(store)
    else:
        store.bulk_extend(quads)


class StoreLoad:
    """Bulk-loading a new store at ``path`` (which must not exist) in a thread of its
    own, so that the build writes its files meanwhile; :meth:`finish` waits for it and
    closes the store, :meth:`abandon` waits and removes what was written. The loader
    runs in Oxigraph's code, which releases the interpreter lock."""

    def __init__(self, quads, path: str | os.PathLike) -> None:
        import threading

        self.path = Path(path)
        self._error: BaseException | None = None
        self._store = ox.Store(str(self.path))
        self._thread = threading.Thread(target=self._run, args=(quads,), name="zonekg-store-load", daemon=True)
        self._thread.start()

    def _run(self, quads) -> None:
        try:
            _bulk_load(self._store, quads)
            self._store.flush()
        except BaseException as exc:  # noqa: BLE001 - raised again by finish()
            self._error = exc

    def _wait(self) -> None:
        while self._thread.is_alive():
            self._thread.join(0.1)  # (a plain join() would not let Ctrl-C through at once)

    def finish(self) -> Path:
        from kg.graph.checkpoints import checkpoint

        try:
            self._wait()
            if self._error is not None:
                raise self._error
            checkpoint("store")
            del self._store  # closes the database before it is published
        except BaseException:
            self.abandon()
            raise
        return self.path

    def abandon(self) -> None:
        # The loader cannot be stopped halfway: wait for it, then remove its files.
        self._thread.join()
        self.__dict__.pop("_store", None)
        shutil.rmtree(self.path, ignore_errors=True)


def load_store(quads, path: str | os.PathLike) -> Path:
    """Bulk-load ``quads`` (see :func:`_bulk_load`) into a new store at ``path`` (which
    must not exist) and close it; a failure removes what was written. Publishing it is
    the caller's business."""
    return StoreLoad(quads, path).finish()


def write_store(quads: Iterable[ox.Quad], out_dir: str | os.PathLike) -> Path:
    """Bulk-load ``quads`` (pyoxigraph quads or a :class:`kg.graph.build.KnowledgeGraph`)
    into a new store and publish it as ``out_dir/store``.

    Returns the published path (``out_dir/store``)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    link = store_path(out_dir)
    previous = link.resolve() if link.is_symlink() else None
    new_dir = out_dir / f"{_PREFIX}{time.time_ns():x}-{os.getpid()}"
    try:
        store = ox.Store(str(new_dir))
        _bulk_load(store, quads)
        store.flush()
        del store  # closes the database before it is published
        _publish(new_dir, link)
    except BaseException:
        shutil.rmtree(new_dir, ignore_errors=True)
        raise
    _remove_old_stores(out_dir, keep={new_dir.name, previous.name if previous else ""})
    return link


def _publish(new_dir: Path, link: Path) -> None:
    tmp_link = link.parent / f".{link.name}.{os.getpid()}.tmp"
    tmp_link.unlink(missing_ok=True)
    try:
        os.symlink(new_dir.name, tmp_link, target_is_directory=True)
    except (OSError, NotImplementedError):
        # No symbolic links here (some Windows set-ups): move the directory in.
        # Not atomic: between the two renames there is no store.
        if link.exists():
            old = link.parent / f"{_PREFIX}old-{time.time_ns():x}"
            os.replace(link, old)
        os.replace(new_dir, link)
        return
    if link.exists() and not link.is_symlink():
        # A store directory from an older layout: set it aside like any old store.
        os.replace(link, link.parent / f"{_PREFIX}old-{time.time_ns():x}")
    os.replace(tmp_link, link)


def _remove_old_stores(out_dir: Path, keep: set[str]) -> None:
    for entry in os.scandir(out_dir):
        if entry.name.startswith(_PREFIX) and entry.name not in keep and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        elif entry.name.startswith(f".{STORE_NAME}.") and entry.name.endswith(".tmp"):
            Path(entry.path).unlink(missing_ok=True)
