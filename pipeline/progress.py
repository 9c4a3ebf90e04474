"""Progress of a long run: a one-line bar on a terminal, sparse plain lines in logs and pipes.

A `Progress` is the `progress(done, total)` callback of `pipeline.job.extract`. It writes to a
stream (stderr in the CLI) so that stdout keeps only the summary line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 24
BAR_EVERY_S = 0.1  # redraw limit: a terminal is slow compared with a fast profile
LINE_EVERY_S = 30.0  # a plain line at least this often, besides each tenth of the work


def format_duration(seconds: float) -> str:
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def describe(done: int, total: int, rate: float | None) -> str:
    """'120/400 articles, 35.2 articles/s, ETA 8s' — rate and ETA once there is a rate."""
    text = f"{done}/{total} articles"
    if rate:
        text += f", {rate:.1f} articles/s, ETA {format_duration((total - done) / rate)}"
    return text


class Progress:
    """Callable `(done, total)`; `bar=True` redraws one line in place, else prints a line per tenth."""

    def __init__(self, stream: TextIO, bar: bool, clock: Callable[[], float] = time.monotonic):
        self.stream, self.bar, self.clock = stream, bar, clock
        # Timed from the first article, not from the start: loading the models is no part of the rate.
        self.first: tuple[float, int] | None = None
        self.last_at = clock()
        self.last_tenth = 0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if self.first is None:
            self.first = (now, done)
        t_first, done_first = self.first
        text = describe(done, total, (done - done_first) / (now - t_first) if now > t_first else None)
        if self.bar:
            if done == total or now - self.last_at >= BAR_EVERY_S:
                filled = BAR_WIDTH * done // max(total, 1)
                self.stream.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {text}\x1b[K")
                self.stream.flush()
                self.last_at, self.drawn = now, True
            return
        tenth = 10 * done // max(total, 1)
        if tenth > self.last_tenth or now - self.last_at >= LINE_EVERY_S:
            print(f"annotated {text}", file=self.stream, flush=True)
            self.last_at, self.last_tenth = now, tenth

    def close(self) -> None:
        """End the bar's line so that what follows starts on a fresh one."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False
