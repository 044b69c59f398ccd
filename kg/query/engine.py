"""The query engine: queries with limits, in a worker process.

Queries run in a separate worker process over a pyoxigraph ``Store``: either the
on-disk store ``kg build`` writes (``out/store``), which each worker opens read-only in
milliseconds whatever its size, or a graph file (``graph.trig``, ``graph.ttl``) that
each worker loads into memory. The parent waits at most ``timeout`` seconds and then
kills the worker: a runaway query is stopped, not merely abandoned. Results are capped
at ``max_rows`` rows (or triples).
"""
from __future__ import annotations

import contextlib
import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.ingest.files import one_line
from kg.query.errors import (
    EngineBusy,
    GraphError,
    ParameterError,
    QueryFailed,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    SparqlError,
)
from kg.query.library import (
    DEFAULT_PREFIXES,
    PACKAGE_DIR,
    VIEWS_DIR,
    check_read_only,
    looks_like_update,
)
from kg.query.results import Result

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000


# --------------------------------------------------------------------------
# The worker process


def _rdf_format(path: Path) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower()) if path.suffix else None
    if fmt is None:
        raise GraphError(f"{path}: unknown RDF file type (use .trig, .ttl, .nt, .nq or .rdf)")
    return fmt


def check_graph_file(path: Path) -> None:
    if not path.exists():
        raise GraphError(f"graph file not found: {path} (build it first: kg build seeds/ -o out/)")
    if path.is_dir():
        raise GraphError(f"not a file: {path} (a store directory written by kg build is opened with --store)")
    if not path.is_file():
        raise GraphError(f"not a file: {path}")
    _rdf_format(path)


def check_store(path: Path) -> Path:
    """The store directory that ``path`` (a build's output directory, or its ``store``)
    stands for right now, with the link resolved; :class:`GraphError` when there is none."""
    from kg.graph.store import resolve_store

    if path.is_file():
        raise GraphError(f"not a store directory: {path} (a graph file such as graph.trig is read with --graph)")
    try:
        resolved = resolve_store(path)
    except FileNotFoundError:
        raise GraphError(f"no Oxigraph store at {path} (kg build -o OUT writes one at OUT/store unless "
                         "--no-store)") from None
    # Every RocksDB database has a CURRENT file; without one this is some other directory
    # (an output directory built with --no-store, say), and a plain message beats RocksDB's.
    if not (resolved / "CURRENT").is_file():
        raise GraphError(f"no Oxigraph store at {path} (kg build -o OUT writes one at OUT/store unless "
                         "--no-store)")
    return resolved



@dataclass(frozen=True)
class GraphSource:
    """What an :class:`Engine` queries: a graph file, which each worker loads into memory
    (``kind="file"``), or the on-disk store of a build, which each worker opens read-only
    (``kind="store"``; ``path`` is the store, ``out/store``, even when ``out`` was given)."""

    kind: str
    path: Path

    @classmethod
    def file(cls, path: Path | str) -> GraphSource:
        path = Path(path)
        check_graph_file(path)
        return cls("file", path)

    @classmethod
    def store(cls, path: Path | str) -> GraphSource:
        from kg.graph.store import STORE_NAME

        path = Path(path)
        check_store(path)
        if (path / STORE_NAME).exists():
            path = path / STORE_NAME  # the build's output directory was given
        return cls("store", path)

    def check(self) -> None:
        """:class:`GraphError` when the file or the store is not there (any more)."""
        if self.kind == "file":
            check_graph_file(self.path)
        else:
            check_store(self.path)

    def locate(self) -> Path:
        """What a new worker opens: the file, or the store directory the link points to now
        (a rebuild switches the link; a worker keeps the store it opened)."""
        return self.path if self.kind == "file" else check_store(self.path)

    def stamp(self) -> tuple | None:
        """Changes when a new ``kg build`` replaces the graph (None: cannot tell now)."""
        try:
            if self.kind == "file":
                st = self.path.stat()
                return (st.st_mtime_ns, st.st_size)
            resolved = self.path.resolve()
            st = resolved.stat()
            return (str(resolved), st.st_dev, st.st_ino)
        except OSError:
            return None

    @property
    def name(self) -> str:
        """A short name for pages and messages: ``graph.trig``, ``out/store``."""
        return self.path.name if self.kind == "file" else str(Path(self.path.parent.name) / self.path.name)

    @property
    def views_dir(self) -> Path:
        """Where ``kg viz`` writes its pages for this build: ``views/`` beside the graph or store."""
        return self.path.parent / VIEWS_DIR

    def __str__(self) -> str:
        return str(self.path)


def _worker_main(in_fd: str, out_fd: str, kind: str, graph_path: str) -> None:  # pragma: no cover - child process
    conn_in = Connection(int(in_fd), writable=False)
    conn = Connection(int(out_fd), readable=False)
    path = Path(graph_path)
    t0 = time.perf_counter()
    try:
        if kind == "store":
            # Read-only: several workers (and other readers) share the store, and a
            # published store is never written again (see kg/graph/store.py).
            store = ox.Store.read_only(str(path))
        else:
            store = ox.Store()
            store.bulk_load(path=str(path), format=_rdf_format(path))
        quads = len(store)
    except (OSError, SyntaxError, ValueError, GraphError) as exc:
        with contextlib.suppress(OSError):
            conn.send(("error", one_line(exc)))
        return
    try:
        conn.send(("ready", {"quads": quads, "seconds": time.perf_counter() - t0}))
    except OSError:  # the engine was closed while we loaded
        return
    while True:
        try:
            req = conn_in.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(_run(store, req))
        except (EOFError, OSError, BrokenPipeError):
            return


def _run(store: ox.Store, req: dict) -> tuple:  # pragma: no cover - runs in the child process
    max_rows = req["max_rows"]
    kwargs: dict[str, Any] = {"prefixes": DEFAULT_PREFIXES}
    if req.get("default_graph"):
        kwargs["default_graph"] = [ox.NamedNode(g) for g in req["default_graph"]]
    if req.get("named_graphs"):
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in req["named_graphs"]]
    try:
        res = store.query(req["query"], **kwargs)
        if isinstance(res, ox.QueryBoolean):
            return ("ask", bool(res))
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            rows = []
            for sol in res:
                if max_rows is not None and len(rows) >= max_rows:
                    return ("select", variables, rows, True)
                rows.append(tuple(sol[v] for v in range(len(variables))))
            return ("select", variables, rows, False)
        triples = []
        for t in res:
            if max_rows is not None and len(triples) >= max_rows:
                return ("graph", triples, True)
            triples.append(t)
        return ("graph", triples, False)
    except SyntaxError as exc:
        return ("syntax", str(exc))
    except Exception as exc:  # noqa: BLE001 - evaluation errors go back to the caller as text
        return ("error", f"{type(exc).__name__}: {exc}")


class _Worker:
    """A child Python process holding the graph; spoken to over two pipes.

    A plain subprocess (not :mod:`multiprocessing`), so that it never re-imports
    the caller's ``__main__`` and works from any script, test runner or server."""

    def __init__(self, source: GraphSource, start_timeout: float) -> None:
        self.source = source
        # The stamp is taken before the store link is resolved: should a rebuild switch
        # the link in between, the stamp is already out of date and the worker is
        # replaced before its first query, never kept on an old graph.
        self.stamp = source.stamp()
        target = source.locate()
        verb = "opening the store" if source.kind == "store" else "loading"
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # The child imports this very module: the directory holding this ``kg``
        # package goes first on its path (in place of the current directory that
        # ``python -c`` would put there), whether ``kg`` is installed or a checkout.
        code = ("import sys; sys.path[0] = sys.argv[1]; import kg.query.engine as s; "
                "s._worker_main(*sys.argv[2:])")
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", code, str(PACKAGE_DIR.parent), str(to_child_r), str(from_child_w),
                 source.kind, str(target)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                pass_fds=(to_child_r, from_child_w), close_fds=True,
            )
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self._out = Connection(to_child_w, readable=False)
        self._in = Connection(from_child_r, writable=False)
        if not self._in.poll(start_timeout):
            self.kill()
            raise GraphError(f"{verb} {source} took longer than {start_timeout:.0f} s")
        try:
            kind, info = self._in.recv()
        except (EOFError, OSError):
            self.kill()
            raise GraphError(f"the query worker died while {verb} {source}") from None
        if kind == "error":
            self.kill()
            if source.kind == "store":
                raise GraphError(f"cannot open the Oxigraph store at {source}: {info}")
            raise GraphError(f"cannot load {source}: {info}")
        self.info = info

    def send(self, obj) -> None:
        self._out.send(obj)

    def poll(self, timeout: float) -> bool:
        return self._in.poll(timeout)

    def recv(self):
        return self._in.recv()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover
            pass
        for c in (self._out, self._in) if hasattr(self, "_in") else ():
            try:
                c.close()
            except OSError:
                pass


class Engine:
    """Runs read-only SPARQL queries over a graph file or a build's store, with a time
    limit and a row cap.

    ``Engine(path)`` or ``Engine(graph=path)`` queries a graph file (each worker loads it
    into memory); ``Engine(store=path)`` the on-disk store of a build (``out`` or
    ``out/store``; each worker opens it read-only); ``Engine(GraphSource)`` either. ``workers`` processes each hold the
    graph; a query takes an idle one. A query past ``timeout`` seconds gets its worker
    killed and replaced. When a new ``kg build`` replaces the file or the store,
    workers reopen it before their next query.
    """

    def __init__(self, graph: Path | str | GraphSource | None = None, *, store: Path | str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, max_rows: int | None = DEFAULT_MAX_ROWS, workers: int = 1,
                 load_timeout: float = 300.0, respawn: bool = True) -> None:
        if (graph is None) == (store is None):
            raise ValueError("give either a graph file or a store")
        if isinstance(graph, GraphSource):
            graph.check()  # still there?
            self.source = graph
        else:
            self.source = GraphSource.file(graph) if graph is not None else GraphSource.store(store)
        self.graph = self.source.path  # the file, or the store directory
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.timeout = timeout
        self.max_rows = max_rows if max_rows and max_rows > 0 else None
        self.load_timeout = load_timeout
        self.respawn = respawn  # replace a killed worker (a server does; a one-shot command need not)
        self.size = max(1, workers)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        self._pending = 0  # workers being started in the background
        first = self._spawn()  # load errors surface here, in the caller
        self.quads = first.info["quads"]
        self._idle.put(first)
        for _ in range(self.size - 1):
            self._spawn_in_background(initial=True)

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def views_dir(self) -> Path:
        return self.source.views_dir

    # -- pool --------------------------------------------------------------

    def _spawn(self) -> _Worker:
        w = _Worker(self.source, self.load_timeout)
        with self._lock:
            if self._closed:
                w.kill()
                raise GraphError("engine closed")
            self._all.add(w)
        return w

    def _spawn_in_background(self, initial: bool = False) -> None:
        if self._closed or not (self.respawn or initial):
            return

        with self._lock:
            self._pending += 1

        def run() -> None:
            try:
                w = self._spawn()
            except SparqlError:
                return
            finally:
                with self._lock:
                    self._pending -= 1
            self._idle.put(w)

        threading.Thread(target=run, daemon=True, name="kg-sparql-spawn").start()

    def _retire(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.kill()

    def _acquire(self) -> _Worker:
        deadline = time.monotonic() + max(self.timeout, 1.0)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise EngineBusy("all query workers are busy; try again shortly")
            with self._lock:
                none_left = not self._all and not self._pending
            if none_left and self._idle.empty():
                # Every worker was stopped and none is on its way: start one now.
                w = self._spawn()
                self.quads = w.info["quads"]
                return w
            try:
                w = self._idle.get(timeout=remaining)
            except queue.Empty:
                raise EngineBusy("all query workers are busy; try again shortly") from None
            if not w.alive():
                self._retire(w)
                self._spawn_in_background()
                continue
            current = self.source.stamp()
            if current is not None and current != w.stamp:
                # The graph was rebuilt: load (or open) the new one (errors are the caller's to see).
                self._retire(w)
                try:
                    w = self._spawn()
                except SparqlError:
                    self._spawn_in_background()
                    raise
                self.quads = w.info["quads"]
            return w

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.kill()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- queries -----------------------------------------------------------

    def query(self, text: str, *, default_graph: Sequence[str] = (), named_graphs: Sequence[str] = (),
              timeout: float | None = None, max_rows: int | None = None) -> Result:
        if self._closed:
            raise GraphError("engine closed")
        check_read_only(text)
        limit = self.timeout if timeout is None else min(timeout, self.timeout)
        cap = self.max_rows if max_rows is None else (min(max_rows, self.max_rows) if self.max_rows else max_rows)
        for g in (*default_graph, *named_graphs):
            try:
                ox.NamedNode(g)
            except ValueError as exc:
                raise ParameterError(f"not a valid graph IRI: {g!r} ({exc})") from None
        w = self._acquire()
        started = time.perf_counter()
        try:
            w.send({"query": text, "max_rows": cap, "default_graph": list(default_graph),
                         "named_graphs": list(named_graphs)})
            if not w.poll(limit):
                self._retire(w)
                self._spawn_in_background()
                raise QueryTimeout(f"query stopped: it ran past the time limit of {limit:g} s")
            reply = w.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._retire(w)
            self._spawn_in_background()
            raise QueryFailed("the query worker died while running the query (out of memory?)") from None
        except BaseException:
            if w in self._all:
                self._retire(w)
                self._spawn_in_background()
            raise
        self._idle.put(w)
        seconds = time.perf_counter() - started
        kind = reply[0]
        if kind == "syntax":
            if looks_like_update(text):
                raise QueryRefused("SPARQL Update is not accepted: the graph is read-only")
            raise QuerySyntaxError(reply[1])
        if kind == "error":
            raise QueryFailed(reply[1])
        if kind == "ask":
            return Result("ask", boolean=reply[1], seconds=seconds, max_rows=cap)
        if kind == "select":
            return Result("select", variables=reply[1], rows=reply[2], truncated=reply[3], seconds=seconds,
                          max_rows=cap)
        return Result("graph", triples=reply[1], truncated=reply[2], seconds=seconds, max_rows=cap)


def syntax_location(message: str) -> tuple[int, int] | None:
    """(line, column) from an Oxigraph parser message such as ``error at 4:2: ...``."""
    m = re.search(r"\bat (\d+):(\d+)", message)
    return (int(m.group(1)), int(m.group(2))) if m else None
