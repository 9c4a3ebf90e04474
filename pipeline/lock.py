"""One writer per output folder: a non-blocking `flock` on `OUT/.lock`.

The lock belongs to the open file, so the operating system drops it when the holder exits in any
way (Ctrl-C, SIGTERM, SIGKILL, a crash): a lock file left behind by a dead run never blocks the
next one. The holder's pid is written into the file only so that the refusal can name it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".lock"


class LockBusy(RuntimeError):
    """Another process is writing to the same output folder."""

    def __init__(self, out: Path, pid: str):
        self.out, self.pid = out, pid
        holder = pid or "?"
        super().__init__(
            f"another extract is writing to {out} (pid {holder}); wait for it or use another --out"
        )


@contextmanager
def output_lock(out: str | os.PathLike) -> Iterator[Path]:
    """Hold the write lock of `out` (created if missing) for the block; raise LockBusy at once if taken."""
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK_NAME
    # O_RDWR without O_TRUNC: a refused opener must not wipe the holder's pid.
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockBusy(out_dir, os.pread(fd, 32, 0).decode("ascii", "replace").strip()) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield out_dir
    finally:
        os.close(fd)  # closing releases the flock
