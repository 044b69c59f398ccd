"""``kg build --cluster ADDRESS``: extraction on the workers of a Dask distributed cluster.

:func:`kg.run.corpus.read_corpus` walks, hashes and looks up the cache as for a local
build, then hands the files left to extract to :meth:`Cluster.run` here instead of
to its process pool, and merges the results in input order as always. So the
cache, the skip reasons and the output bytes are those of a local build.

- The client (the machine running ``kg build``) reads each file and sends its
  *bytes*, not its path: workers need not see the client's disk. A worker reads
  them with the reader's own code (:func:`kg.ingest.reader.read_source_bytes`), extracts
  the article and sends the :class:`~kg.extract.extraction.Extraction` back; the client
  stores it in its cache and in the corpus.
- A bounded window of files is in flight at any time (a few per worker thread,
  and no more than :data:`MAX_BYTES_IN_FLIGHT` of file data), so the client never
  holds the whole corpus; results are taken as they complete.
- Every worker must run the same extractor: the fingerprint of :mod:`kg.run.cache`
  (zonekg version, lexicons, extraction code, tokenizer) is compared on connecting
  and on every result. A worker that differs stops the build with a one-line
  error instead of mixing two extractors into one graph and one cache.

This module imports ``distributed``; nothing else in ``kg`` imports it, so a
build without ``--cluster`` never loads Dask.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import CancelledError
from pathlib import Path

import distributed
from distributed import Client, as_completed

from kg.ingest.files import Skipped, default_max_bytes
from kg.ingest.reader import read_raw, read_source_bytes
from kg.run.work import ClusterError, extract_source, failure_reason

TIMEOUT_ENV = "ZONEKG_CLUSTER_TIMEOUT"
DEFAULT_TIMEOUT = 10.0  # seconds to reach the scheduler, and to find a worker
# Files at least this large go to the workers by scatter, not inside the task.
SCATTER_MIN_BYTES = 1 << 20
# File data the client has sent and not yet had back (at least one file is always in flight).
MAX_BYTES_IN_FLIGHT = 256 << 20
TASKS_PER_THREAD = 4


def _quiet_dask_logs() -> None:
    """Dask logs connection trouble with tracebacks on stderr; the build reports
    what matters in one line (the scheduler's and workers' logs keep the details).
    Dask's logging config gives some loggers (distributed.client) levels and
    handlers of their own, so each is set."""
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in ("distributed", "tornado")]
    for name in ["distributed", *names]:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def timeout() -> float:
    try:
        value = float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


# --------------------------------------------------------------------------
# On a worker

_FINGERPRINT: str | None = None


def worker_fingerprint() -> str:
    """The extractor fingerprint of this process (computed once)."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        from kg.run.cache import fingerprint

        _FINGERPRINT = fingerprint()
    return _FINGERPRINT


def extract_bytes(name: str, raw: bytes, max_bytes: int) -> tuple[tuple, str]:
    """The task a worker runs for one file: read ``raw`` as the file ``name`` and
    extract it. Returns the result tuple of :func:`kg.run.work.extract_source` and
    this worker's extractor fingerprint."""
    path = Path(name)
    return extract_source(path, read_source_bytes(path, raw, max_bytes)), worker_fingerprint()


# --------------------------------------------------------------------------
# On the client


class Cluster:
    """A connection to a Dask scheduler whose workers run zonekg's extractor."""

    def __init__(self, client: Client, address: str, fingerprint: str) -> None:
        self.client = client
        self.address = address
        self.fingerprint = fingerprint

    @classmethod
    def connect(cls, address: str) -> Cluster:
        """Connect, wait for a worker, and check that the workers run this extractor.
        Raises :class:`ClusterError` (within about :func:`timeout` seconds)."""
        from kg.run.cache import fingerprint

        limit = timeout()
        _quiet_dask_logs()
        try:
            _check_address(address)
        except (ValueError, ImportError) as exc:
            raise ClusterError(f"not a Dask scheduler address: {address} ({_one_line(exc)}); "
                               "expected one like tcp://HOST:8786") from None
        try:
            client = Client(address, timeout=limit, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address} within {limit:g} s "
                               f"({_one_line(exc)}); is `dask scheduler` running there?") from None
        except Exception as exc:  # noqa: BLE001 - a bad address and the like: one line, not a traceback
            raise ClusterError(f"cannot connect to the Dask scheduler at {address}: {_one_line(exc)}") from None
        session = cls(client, address, fingerprint())
        try:
            session._check_workers(limit)
        except BaseException:
            session.close()
            raise
        return session

    def _check_workers(self, limit: float) -> None:
        try:
            self.client.wait_for_workers(1, timeout=limit)
        except (TimeoutError, OSError):
            raise ClusterError(f"no worker has joined the Dask scheduler at {self.address} within {limit:g} s "
                               f"(start some with `dask worker {self.address}`)") from None
        try:
            found = self.client.run(worker_fingerprint)
        except Exception as exc:  # noqa: BLE001 - typically zonekg missing on a worker
            raise self._cannot_run(exc) from None
        for worker, fp in sorted(found.items()):
            if fp != self.fingerprint:
                raise self._mismatch(worker, fp)

    def _cannot_run(self, exc: BaseException) -> ClusterError:
        return ClusterError(f"a worker of {self.address} cannot run zonekg ({_one_line(exc)}); "
                            "install zonekg[cluster], the same version as here, on every worker")

    def _mismatch(self, worker: str, fp: str) -> ClusterError:
        return ClusterError(f"worker {worker} runs another zonekg extractor (fingerprint {fp}, here "
                            f"{self.fingerprint}); install the same zonekg version on every worker "
                            "and restart the workers after an upgrade")

    @property
    def nthreads(self) -> int:
        """Tasks the workers run at once (at least 1)."""
        try:
            return max(1, sum(self.client.nthreads().values()))
        except Exception:  # noqa: BLE001 - only for the summary and the window
            return 1

    def close(self) -> None:
        try:
            self.client.close(timeout=timeout())
        except Exception:  # noqa: BLE001 - the build's outcome does not depend on a clean goodbye
            pass

    def run(self, todo: list[tuple[int, Path, int]], cache, finished: Callable, interrupted: Callable) -> None:
        """Extract ``todo`` ((position, path, size) items) on the workers, calling
        ``finished(position, path, size, result)`` for each as it completes and
        storing every extraction in ``cache``. Raises ``interrupted()`` on Ctrl-C."""
        client = self.client
        max_bytes = default_max_bytes()
        window = TASKS_PER_THREAD * self.nthreads
        queue = iter(todo)
        pending: dict = {}  # future -> (item, bytes sent, scattered future or None)
        in_flight = 0
        running = as_completed(loop=client.loop)

        def submit_more() -> None:
            nonlocal in_flight
            while len(pending) < window and (not pending or in_flight < MAX_BYTES_IN_FLIGHT):
                item = next(queue, None)
                if item is None:
                    return
                pos, path, size = item
                raw = read_raw(path, max_bytes)  # the reader's own checks: missing, not a file, too large
                if isinstance(raw, Skipped):
                    finished(pos, path, size, ("skipped", raw.reason, None))
                    continue
                data = client.scatter(raw, hash=False) if len(raw) >= SCATTER_MIN_BYTES else None
                fut = client.submit(extract_bytes, path.name, raw if data is None else data, max_bytes,
                                    pure=False)
                pending[fut] = (item, len(raw), data)
                in_flight += len(raw)
                running.add(fut)

        def take(fut) -> None:
            nonlocal in_flight
            (pos, path, size), sent, _data = pending.pop(fut)
            in_flight -= sent
            try:
                result, fp = fut.result()
            except CancelledError:  # distributed's FutureCancelledError is one
                raise ClusterError(f"the cluster at {self.address} dropped the work "
                                   "(lost the connection to the scheduler?)") from None
            except ImportError as exc:  # a worker that joined later without zonekg: not the file's fault
                raise self._cannot_run(exc) from None
            except Exception as exc:  # noqa: BLE001 - the workers running it died: report the file
                result = ("skipped", _worker_failure(exc), None)
            else:
                if fp != self.fingerprint:
                    worker = _who_ran(client, fut)
                    raise self._mismatch(worker, fp)
            if result[0] == "ok" and cache is not None:
                cache.put(result[1], path.suffix, result[2], result[3])
            finished(pos, path, size, result)

        try:
            submit_more()
            for fut in running:
                take(fut)
                submit_more()
        except KeyboardInterrupt:
            # What the workers had finished lands in the cache; the rest is cancelled.
            try:
                for fut in [f for f in pending if f.status == "finished"]:
                    take(fut)
            except BaseException:  # noqa: BLE001 - a second Ctrl-C, or the cluster gone: stop now
                pass
            _cancel(client, pending)
            raise interrupted() from None
        except BaseException:
            _cancel(client, pending)
            raise


def _check_address(address: str) -> None:
    """Raise ValueError for an address no Client could connect to (a Client made
    with one fails late and complains again when it is collected)."""
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port
    from distributed.comm.registry import get_backend

    scheme, location = parse_address(address)
    get_backend(scheme)
    if scheme in ("tcp", "tls", "ws", "wss"):
        parse_host_port(location)


def _cancel(client: Client, pending: dict) -> None:
    futures = list(pending) + [data for _, _, data in pending.values() if data is not None]
    pending.clear()
    if futures:
        try:
            client.cancel(futures, asynchronous=False)
        except Exception:  # noqa: BLE001 - closing the client releases them anyway
            pass


def _who_ran(client: Client, fut) -> str:
    try:
        return next(iter(client.who_has([fut]).get(fut.key, ())), "?")
    except Exception:  # noqa: BLE001
        return "?"


def _worker_failure(exc: BaseException) -> str:
    if isinstance(exc, distributed.KilledWorker):
        return "extraction failed: the workers running it died (KilledWorker)"
    return failure_reason(exc)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
