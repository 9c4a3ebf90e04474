"""Greedy non-overlapping spans: a span is granted only when none of its characters is taken."""

from pipeline.spans import Occupied


def test_claims_grant_free_spans_only():
    occupied = Occupied()
    assert [occupied.claim(a, b) for a, b in [(2, 5), (4, 6), (5, 7), (0, 2), (1, 3), (3, 3), (9, 12)]] == [
        True, False, True, True, False, False, True,
    ]  # fmt: skip
    assert not occupied.claim(6, 10) and occupied.claim(7, 9)  # 6 is taken, 7 and 8 are not
