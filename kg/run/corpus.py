"""From input paths to per-article extractions: walk, read, extract; in parallel and cached.

:func:`read_corpus` is what ``kg build`` and ``kg eval`` start with:

1. expand the inputs into files, in a stable order (:func:`kg.ingest.files.iter_input_paths`);
2. hash each file (streamed; no text is held) and take its extraction from the
   cache when there is one (:mod:`kg.run.cache`);
3. read and extract the others, one file at a time, in ``jobs`` worker processes
   (each loads the tokenizer once) or in this process for ``jobs=1`` or a small
   amount of work; each result is stored in the cache as soon as it is made, so
   an interrupted build loses at most the files being worked on;
4. put the results back in input order, so that the output does not depend on
   ``jobs`` or on which worker finished first.

With ``cluster`` (``kg build --cluster ADDRESS``) step 3 runs on the workers of a
Dask distributed cluster instead (:mod:`kg.run.cluster`, imported only then); steps
1, 2 and 4 are the same code, so the cache, the skip reasons and the output are too.

A file that cannot be used is skipped with a one-line reason, never an exception:
unreadable, not text, the same bytes as an earlier file, or an extractor error.
"""
from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.ingest.files import Skipped, iter_input_paths, one_line
from kg.run.packed import PackedExtraction, PackedExtractions, pack

if TYPE_CHECKING:
    from rich.console import Console

    from kg.run.cache import CacheStats, ExtractionCache
from kg.run.work import (
    ClusterError,
    cache_in_this_process,
    extract_file,
    failure_reason,
    init_worker,
)

# Below this many bytes to extract, worker processes cost more than they save
# (each needs about a second to load the tokenizer): the work is done in-process.
PARALLEL_MIN_BYTES = 512 * 1024
_PARALLEL_MIN_ENV = "ZONEKG_PARALLEL_MIN_BYTES"


@dataclass
class ReadFile:
    path: Path
    encoding: str
    size: int


@dataclass
class Corpus:
    # Kept packed (kg/run/packed.py): a corpus's extractions unpacked take about nine
    # times its text's size in memory.
    extractions: PackedExtractions = field(default_factory=PackedExtractions)
    read: list[ReadFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: {"read": 0.0, "extract": 0.0})
    cache: CacheStats | None = None
    jobs: int = 1  # worker processes used (1: in this process)
    cache_store: ExtractionCache | None = field(default=None, repr=False)

    @property
    def input_count(self) -> int:
        return len(self.read) + len(self.skipped)


class Interrupted(Exception):
    """Ctrl-C (SIGINT) during extraction; what was done is in the cache."""

    def __init__(self, done: int, total: int, cached: bool) -> None:
        super().__init__(f"interrupted after {done} of {total} document(s)")
        self.done = done
        self.total = total
        self.cached = cached


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _hash_file(path: Path, size_limit: int) -> str | None:
    """SHA-256 of a regular file no larger than the reader accepts, read in chunks; else None."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > size_limit or st.st_size == 0:
            return None
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


# --------------------------------------------------------------------------


def _progress(console: Console, enabled: bool):
    from rich.progress import (
        BarColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[done]}/{task.fields[files]} documents"),
        TransferSpeedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        # Only on a terminal: a log file or a pipe gets the summary, not bar frames.
        disable=not (enabled and console.is_terminal),
    )


def _parallel_min_bytes() -> int:
    try:
        return int(os.environ.get(_PARALLEL_MIN_ENV, PARALLEL_MIN_BYTES))
    except ValueError:
        return PARALLEL_MIN_BYTES


def _mp_context():
    import multiprocessing as mp

    # Not fork: the parent runs threads (the progress bar), and forking a process
    # with threads can deadlock the child.
    methods = mp.get_all_start_methods()
    return mp.get_context("forkserver" if "forkserver" in methods else "spawn")


def read_corpus(
    inputs: Sequence[Path],
    *,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    show_progress: bool = True,
    console: Console | None = None,
    cluster: str | None = None,
) -> Corpus:
    """Read and extract every article under ``inputs`` (see the module doc).

    ``jobs``: worker processes (default: the cores available); ``cache_dir``: the
    extraction cache's directory, None for no cache; ``cluster``: the address of
    a Dask scheduler whose workers extract instead (``jobs`` is then ignored).
    Raises :class:`Interrupted` on Ctrl-C, after the workers have stopped, and
    :class:`ClusterError` when the cluster cannot be used.
    """
    from rich.console import Console

    console = console or Console(stderr=True, soft_wrap=True)
    if cluster is None:
        return _read_corpus(inputs, jobs, cache_dir, show_progress, console, None)
    if jobs is not None:
        console.print("note: -j/--jobs is ignored with --cluster: the cluster's workers extract", highlight=False)
    try:
        from kg.run.cluster import (
            Cluster,  # imports dask.distributed: only for a cluster build
        )
    except ImportError as exc:
        raise ClusterError(f"--cluster needs Dask distributed ({one_line(exc)}): "
                           "pip install 'zonekg[cluster]'") from None
    session = Cluster.connect(cluster)
    try:
        return _read_corpus(inputs, None, cache_dir, show_progress, console, session)
    finally:
        session.close()


def _read_corpus(inputs, jobs, cache_dir, show_progress, console, session) -> Corpus:
    from kg.ingest.files import default_max_bytes

    jobs = default_jobs() if jobs is None else max(1, jobs)
    corpus = Corpus()
    cache = None
    if cache_dir is not None:
        from kg.run.cache import CacheStats, ExtractionCache

        cache = ExtractionCache(Path(cache_dir))
        corpus.cache = CacheStats()

    t0 = time.perf_counter()
    # Every input position ends as one outcome: ("skipped", Skipped) or ("ok", ...).
    outcome: dict[int, tuple] = {}
    todo: list[tuple[int, Path, int]] = []  # (position, path, size) to read and extract
    size_limit = default_max_bytes()
    first_task: dict[tuple[str, str], int] = {}  # (sha256, suffix) -> position extracting it
    same_as: dict[int, int] = {}  # position -> earlier position with the same bytes and suffix
    path_at: dict[int, Path] = {}
    for pos, item in enumerate(iter_input_paths(inputs)):
        path_at[pos] = item.path if isinstance(item, Skipped) else item
        if isinstance(item, Skipped):
            outcome[pos] = ("skipped", item)
            continue
        try:
            size = item.stat().st_size
        except OSError:
            size = 0
        sha = _hash_file(item, size_limit)
        if sha is not None:
            k = (sha, item.suffix.lower())
            if k in first_task:
                same_as[pos] = first_task[k]
                continue
            first_task[k] = pos
            if cache is not None:
                hit = cache.get(sha, item.suffix, item.stem, item.name)
                if hit:
                    outcome[pos] = ("ok", pack(hit.extraction), hit.encoding, hit.size)
                    corpus.cache.hits += 1
                    corpus.cache.hit_names.append(item.name)
                    continue
                if hit is False:
                    corpus.cache.corrupt += 1
        todo.append((pos, item, size))
    corpus.seconds["read"] += time.perf_counter() - t0

    t0 = time.perf_counter()
    work_bytes = sum(size for _, _, size in todo)
    parallel = jobs > 1 and len(todo) > 1 and work_bytes >= _parallel_min_bytes()
    corpus.jobs = min(jobs, len(todo)) if parallel else 1
    if session is not None:
        corpus.jobs = session.nthreads
    files = len(outcome) + len(same_as) + len(todo)
    done = len(outcome) + len(same_as)
    with _progress(console, show_progress) as progress:
        task = progress.add_task("extracting", total=work_bytes or None, done=done, files=files)

        def finished(pos: int, path: Path, size: int, result: tuple) -> None:
            nonlocal done
            if result[0] == "ok":
                outcome[pos] = ("ok", pack(result[1]), *result[2:])
                if cache is not None:
                    cache.used.add(cache.key(result[1].sha256, path.suffix))
                    corpus.cache.misses += 1
                    corpus.cache.extracted_names.append(path.name)
            else:
                outcome[pos] = ("skipped", Skipped(path, result[1]))
            done += 1
            progress.update(task, advance=size, done=done)

        def interrupted() -> Interrupted:
            return Interrupted(done, files, cache is not None)

        if session is not None:
            session.run(todo, cache, finished, interrupted)
        elif not parallel:
            try:
                with cache_in_this_process(cache):
                    for pos, path, size in todo:
                        finished(pos, path, size, extract_file(str(path)))
            except KeyboardInterrupt:
                raise interrupted() from None
        else:
            _run_parallel(todo, corpus.jobs, cache, finished, interrupted)
    corpus.seconds["extract"] += time.perf_counter() - t0

    # In input order; a later copy (same bytes and suffix) shares its first's outcome.
    first_ok: dict[str, Path] = {}
    for pos in sorted(path_at):
        path = path_at[pos]
        result = outcome[same_as.get(pos, pos)]
        if pos in same_as and result[0] == "skipped":
            result = ("skipped", Skipped(path, result[1].reason))
        if result[0] == "skipped":
            corpus.skipped.append(result[1])
            continue
        _, extraction, encoding, size = result
        sha = extraction.sha256
        if sha in first_ok:
            corpus.skipped.append(Skipped(path, f"same content as {first_ok[sha]}"))
            continue
        first_ok[sha] = path
        if extraction.doc_id != path.stem or extraction.file_name != path.name:
            extraction = _renamed(extraction, path)
        corpus.extractions.append(extraction)
        corpus.read.append(ReadFile(path, encoding, size))
    corpus.cache_store = cache
    return corpus


def _renamed(x: PackedExtraction, path: Path) -> PackedExtraction:
    return x._replace(doc_id=path.stem, file_name=path.name)


def _run_parallel(todo, jobs, cache, finished, interrupted) -> None:
    ctx = _mp_context()
    cache_root = str(cache.root) if cache is not None else None
    fp = cache.fingerprint if cache is not None else None
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=init_worker,
                                   initargs=(cache_root, fp))
    pending: dict = {}
    queue = iter(todo)
    window = jobs * 4
    try:
        for item in queue:
            pending[executor.submit(extract_file, str(item[1]))] = item
            if len(pending) >= window:
                break
        while pending:
            done_set, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done_set:
                pos, path, size = pending.pop(fut)
                try:
                    result = fut.result()
                except Exception as exc:  # noqa: BLE001 - a worker died: report the file
                    result = ("skipped", failure_reason(exc), None)
                finished(pos, path, size, result)
                nxt = next(queue, None)
                if nxt is not None:
                    pending[executor.submit(extract_file, str(nxt[1]))] = nxt
    except KeyboardInterrupt:
        # The files being extracted finish (a second or so) and land in the cache;
        # the rest is cancelled.
        executor.shutdown(wait=True, cancel_futures=True)
        raise interrupted() from None
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
