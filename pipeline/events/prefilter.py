"""A quick reject before a rule's pattern: the words every match of it must hold.

Most sentences hold no trigger of a given rule, and a table's pattern that begins with a
look-behind or an optional part (`(?<![不再])逮捕`, `(一時|全面)?停止`) is tried by `re` at every
character. Every match of `(?<![不再])逮捕(?!状)|刑事拘束` holds 逮捕 or 刑事拘束, and a search for
plain words skips ahead to their first characters; a sentence without any of them is passed over,
and one search for the words of a whole table passes over a sentence that no rule of it can match.
The words are read from the stdlib's own parse of the pattern (`re._parser`, private but the one
`re` compiles with since Python 3.11), so they stay true as the tables change. `WordScan` takes a
text's sentences in order and searches only for the next word, not once per sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from re import _constants as sre  # the parser's opcodes (`re._parser` reads a pattern into them)
from re import _parser
from typing import Any

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def finditer_in(pattern: re.Pattern[str], text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text, start, end)`, after a search for the words its matches need."""
    if not may_match((pattern,), text, start, end):
        return iter(())
    return pattern.finditer(text, start, end)


def may_match(patterns: tuple[re.Pattern[str], ...], text: str, start: int, end: int) -> bool:
    """False when `text[start:end]` holds none of the words that the matches of `patterns` need:
    then none of them matches there. One search tells it for a whole table of rules."""
    quick = _quick_test(patterns)
    return quick is None or quick.search(text, start, end) is not None


class WordScan:
    """`may_match` for the sentences of one text: one search finds the next word, and every sentence
    that ends before it is passed over without a search of its own (most sentences hold none).
    Asked in the order of the text, it searches about once per word. A sentence it lets through
    may still hold no whole word; the patterns' own tests follow."""

    def __init__(self, patterns: tuple[re.Pattern[str], ...], text: str) -> None:
        self._quick = _quick_test(patterns)
        self._text = text
        # No word starts in [_from, _next); _next is len(text) when none follows. Nothing known yet.
        self._from, self._next = 0, -1

    def may_match(self, start: int, end: int) -> bool:
        """False when no word of the patterns starts in [start, end): then none of them matches
        in `text[start:end]`."""
        if self._quick is None:
            return True
        if not self._from <= start <= self._next:
            found = self._quick.search(self._text, start)
            self._from, self._next = start, found.start() if found else len(self._text)
        return self._next < end


@lru_cache(maxsize=64)  # one per table and per table pattern
def _quick_test(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """A pattern of plain words one of which every match of `patterns` holds; None if one of them
    needs none that is known."""
    needed = [needed_words(p) for p in patterns]
    if None in needed:
        return None
    return re.compile("|".join(map(re.escape, sorted(frozenset().union(*needed)))))


def needed_words(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Words one of which every match of `pattern` holds, or None when none is known."""
    if pattern.flags & re.IGNORECASE:
        return None  # its literals match in either case: the words would not
    return _sequence_words(_parser.parse(pattern.pattern, pattern.flags))


def _sequence_words(items: Iterable[tuple[Any, Any]]) -> frozenset[str] | None:
    """Words one of which every match of the parsed sequence `items` holds. Each part that must
    match (a run of literal characters, a group, a list of choices) offers a set; the set whose
    shortest word is longest rejects the most text."""
    offers: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            offers.append(frozenset([run]))
            run = ""  # a part in between (a look-ahead, a class) ends the run of literals
        if (words := _part_words(op, av)) is not None:
            offers.append(words)
    if run:
        offers.append(frozenset([run]))
    return max(offers, key=lambda words: min(map(len, words)), default=None)


def _part_words(op: Any, av: Any) -> frozenset[str] | None:
    """Words one of which a match of one part of a sequence holds; None for a part that may match
    nothing or any character (an optional group, a look-around, `[^、。]`)."""
    if op is sre.IN and all(kind is sre.LITERAL for kind, _ in av):
        return frozenset(chr(c) for _, c in av)  # (が|は) is parsed as the class [がは]
    if op is sre.SUBPATTERN and not (av[1] or av[2]):  # a group that sets no flags
        return _sequence_words(av[3])
    if op in _REPEATS and av[0] >= 1:
        return _sequence_words(av[2])
    if op is sre.BRANCH:
        branches = [_sequence_words(b) for b in av[1]]
        return None if None in branches else frozenset().union(*branches)
    return None
