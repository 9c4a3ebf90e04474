"""The article an event is read from: its sentences, clauses and evidence spans."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, fields
from dataclasses import field as dc_field
from datetime import date

from pipeline.types import ORG_TYPES, Event, Mention

_REPORT_WINDOW_DAYS = 31  # a report tells what happened in the month before it was published


_SENTENCE_END = re.compile(r"[。!?\n]")


_CLAUSE_END = re.compile(r"[、,。!?\n]")


SLOTS = tuple(
    f.name for f in fields(Event) if f.name not in {"article_id", "evidence", "field", "start", "end"}
)


@dataclass(slots=True)
class _Sentence:
    field: str
    start: int
    end: int


@dataclass(slots=True)
class _Article:
    text: str  # headline + "\n" + body, normalized
    headline_end: int
    sentences: list[_Sentence]
    mentions: list[Mention]
    published: date | None = None
    starts: list[int] = dc_field(init=False)
    org_names: frozenset[str] = dc_field(init=False)
    memo: dict = dc_field(init=False)  # article-wide answers that every event would otherwise recompute

    def __post_init__(self) -> None:
        # Sorted once, so that every slot lookup is a bisect, not a scan: long articles stay linear.
        self.mentions = sorted(self.mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]
        self.org_names = frozenset(m.value for m in self.mentions if m.type in ORG_TYPES and m.value)
        self.memo = {}

    def within(self, start: int, end: int, types: tuple[str, ...] | str) -> list[Mention]:
        kinds = (types,) if isinstance(types, str) else types
        out = []
        for m in self.mentions[bisect_left(self.starts, start) :]:
            if m.start >= end:
                break
            if m.type in kinds and m.end <= end:
                out.append(m)
        return out

    def after(self, m: Mention, n: int = 12) -> str:
        return self.text[m.end : m.end + n]

    def field_of(self, pos: int) -> str:
        return "headline" if pos < self.headline_end else "body"


def _sentences(text: str, headline_end: int) -> list[_Sentence]:
    out = [_Sentence("headline", 0, headline_end)]
    start = headline_end + 1
    for m in _SENTENCE_END.finditer(text, start):
        if m.end() - start > 1:
            out.append(_Sentence("body", start, m.end()))
        start = m.end()
    if start < len(text):
        out.append(_Sentence("body", start, len(text)))
    return out


def _clause(art: _Article, sent: _Sentence, pos: int) -> tuple[int, int]:
    """The comma-delimited clause of `sent` that holds `pos`."""
    left = art.text.rfind("、", sent.start, pos)
    right = art.text.find("、", pos, sent.end)
    return (left + 1 if left >= 0 else sent.start), (right if right >= 0 else sent.end)


def _base(art: _Article, sent: _Sentence, etype: str, article_id: str, start: int, end: int) -> Event:
    return Event(
        article_id=article_id,
        event_type=etype,
        field=sent.field,
        start=start,
        end=end,
        evidence=art.text[start:end],
    )


def _evidence_span(art: _Article, sent: _Sentence, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): from the previous comma to the next one."""
    left = max(art.text.rfind("、", sent.start, start), art.text.rfind(",", sent.start, start))
    right = _CLAUSE_END.search(art.text, end, sent.end)
    return (left + 1 if left >= 0 else sent.start), (right.start() if right else sent.end)


def _sentence_index(art: _Article, pos: int) -> int:
    return next(i for i, s in enumerate(art.sentences) if s.start <= pos < s.end)
