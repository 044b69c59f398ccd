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


def load_store(quads: Iterable[ox.Quad], path: str | os.PathLike) -> Path:
    """Bulk-load ``quads`` into a new store at ``path`` (which must not exist) and close
    it; a failure removes what was written. Publishing it is the caller's business."""
    from kg.graph.checkpoints import checkpoint

    path = Path(path)
    try:
        store = ox.Store(str(path))
        store.bulk_extend(quads)
        checkpoint("store")
        store.flush()
        del store  # closes the database before it is published
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    return path


def write_store(quads: Iterable[ox.Quad], out_dir: str | os.PathLike) -> Path:
    """Bulk-load ``quads`` into a new store and publish it as ``out_dir/store``.

    Returns the published path (``out_dir/store``)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    link = store_path(out_dir)
    previous = link.resolve() if link.is_symlink() else None
    new_dir = out_dir / f"{_PREFIX}{time.time_ns():x}-{os.getpid()}"
    try:
        store = ox.Store(str(new_dir))
        store.bulk_extend(quads)
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
