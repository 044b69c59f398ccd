"""One build at a time writes into an output directory.

:func:`lock_output` takes an exclusive ``flock`` on ``out/.lock`` and writes its pid
there. The kernel drops the lock when the process dies, however it dies, so the lock of
a killed build is taken over by the next one; a pid left in the file says that it was.
"""
from __future__ import annotations

import contextlib
import errno
import os
import time
from dataclasses import dataclass
from pathlib import Path

LOCK_FILE = ".lock"


# --------------------------------------------------------------------------
# The lock


class OutputLocked(Exception):
    """Another ``kg build`` is writing this output directory."""

    def __init__(self, out_dir: Path, pid: int | None) -> None:
        self.out_dir = out_dir
        self.pid = pid
        who = f" (pid {pid})" if pid else ""
        super().__init__(f"{_shown(out_dir)} is being written by another kg build{who}")


def _shown(out_dir: Path) -> str:
    return f"{out_dir}{'' if str(out_dir).endswith(os.sep) else os.sep}"


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


@dataclass
class OutputLock:
    """The exclusive lock a build holds on its output directory (see :func:`lock_output`)."""

    path: Path
    fd: int
    stale_pid: int | None  # the pid a killed build left in the lock file, if any
    created_dir: bool = False  # the output directory did not exist before

    def release(self) -> None:
        """Drop the lock; a directory this build created and left empty (nothing could be
        read) is removed again, as if the build had never started."""
        if self.fd < 0:
            return
        try:
            if self.created_dir and os.listdir(self.path.parent) == [LOCK_FILE]:
                # Unlinked while still held: a build waiting for this file sees it is gone
                # (lock_output checks) and makes its own.
                self.path.unlink(missing_ok=True)
                with contextlib.suppress(OSError):
                    self.path.parent.rmdir()
            else:
                os.ftruncate(self.fd, 0)  # an empty lock file: nobody was killed holding it
        except OSError:
            pass
        finally:
            os.close(self.fd)  # closing drops the flock
            self.fd = -1


def lock_output(out_dir: Path) -> OutputLock:
    """Take the lock of ``out_dir`` (created if need be) or raise :class:`OutputLocked`.

    :class:`OSError` when the directory or its lock file cannot be written."""
    import fcntl

    out_dir = Path(out_dir)
    created = not out_dir.exists()
    path = out_dir / LOCK_FILE
    while True:
        out_dir.mkdir(parents=True, exist_ok=True)  # (again, if a build that made it removed it)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
                    raise
                # The holder writes its pid just after it locks: give it a moment.
                pid = None
                for _ in range(20):
                    pid = _read_pid(path)
                    if pid:
                        break
                    time.sleep(0.025)
                raise OutputLocked(out_dir, pid) from None
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # the file was removed by the build that held it: take the new one
                os.close(fd)
                continue
            stale = _read_pid(path)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except BaseException:
            os.close(fd)
            raise
        return OutputLock(path, fd, stale if stale and stale != os.getpid() else None, created)
