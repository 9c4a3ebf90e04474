"""Choosing non-overlapping spans greedily, in time linear in the text, not in the pairs of spans."""

from __future__ import annotations


class Occupied:
    """Characters already claimed by chosen spans; testing a span costs its own length only."""

    def __init__(self) -> None:
        self._used = bytearray()

    def claim(self, start: int, end: int) -> bool:
        """Claim [start, end) unless any of it is taken already; True when it was free."""
        if end > len(self._used):
            self._used.extend(bytes(end - len(self._used)))
        if end <= start or self._used.find(1, start, end) >= 0:
            return False
        self._used[start:end] = b"\x01" * (end - start)
        return True
