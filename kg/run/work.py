"""The work on one file, in a worker process, a cluster worker or this process: read it,
extract it, store the result in the cache; and the errors the run machinery reports.
"""
from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kg.ingest.files import Skipped, one_line

if TYPE_CHECKING:

    from kg.run.cache import ExtractionCache


class ClusterError(Exception):
    """The cluster cannot be used (unreachable scheduler, no workers, another
    zonekg on a worker): one line for the user, exit status 2."""



# --------------------------------------------------------------------------
# The work on one file: in a worker process or in this one

_CACHE: ExtractionCache | None = None


def init_worker(cache_root: str | None, fp: str | None) -> None:
    """Once per worker: ignore Ctrl-C (the parent decides), load the tokenizer and
    the extractors, and leave when the parent is gone (killed with SIGKILL)."""
    global _CACHE
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if cache_root is not None:
        from kg.run.cache import ExtractionCache

        _CACHE = ExtractionCache(Path(cache_root), fp)
    import multiprocessing as mp
    from multiprocessing.connection import wait as wait_for

    parent = mp.parent_process()  # the build, not the fork server in between

    def watch() -> None:
        # The sentinel becomes ready when the build's process is gone, however it
        # ended (SIGKILL included); nothing else would stop an idle worker.
        if parent is not None and parent.sentinel is not None:
            wait_for([parent.sentinel])
        else:
            main_pid = os.getppid()
            while os.getppid() == main_pid:
                time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="zonekg-parent-watch").start()
    warm_up()


def warm_up() -> None:
    """Load what every extraction needs (about a second): tokenizers, tags, extractors."""
    from kg.extract import lexicon
    from kg.extract.pipeline import components

    lexicon.segment("预热")
    lexicon.word_tag("开发区")
    components()
    import kg.extract.money  # noqa: F401  (cn2an, slow to import)


def extract_file(path_str: str) -> tuple:
    """Read and extract one file; store the result in the cache.

    Returns ("ok", extraction, encoding, size), ("skipped", reason, sha256 or None)."""
    from kg.ingest.reader import read_source

    path = Path(path_str)
    result = extract_source(path, read_source(path))
    if result[0] == "ok" and _CACHE is not None:
        _CACHE.put(result[1], path.suffix, result[2], result[3])
    return result


def extract_source(path: Path, source) -> tuple:
    """Extract one article read by :func:`kg.ingest.reader.read_source` (or its Skipped);
    the result tuple of :func:`extract_file`. Also what a cluster worker runs."""
    import kg.extract.extraction

    if isinstance(source, Skipped):
        return ("skipped", source.reason, None)
    try:
        # Looked up on the module each time, so that a test can replace it.
        extraction = kg.extract.extraction.extract_article(path.stem, source.text, path.name, source.sha256)
    except Exception as exc:  # noqa: BLE001 - reported as a skipped file, not hidden
        return ("skipped", failure_reason(exc), source.sha256)
    return ("ok", extraction, source.encoding, source.size)


def failure_reason(exc: BaseException) -> str:
    return one_line(f"extraction failed: {type(exc).__name__}: {exc}")


@contextlib.contextmanager
def cache_in_this_process(cache: ExtractionCache | None):
    """Extractions made in this process (``-j 1``, or little work) go to ``cache`` meanwhile,
    as they do in a worker process that :func:`init_worker` set up."""
    global _CACHE
    saved, _CACHE = _CACHE, cache
    try:
        yield
    finally:
        _CACHE = saved
