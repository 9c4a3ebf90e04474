"""The organization gazetteer: canonical names, types and aliases read from TSV files.

Lookup is longest-match over the text, and a match must start and end on a word edge, so that
イオン is not found inside ライオン nor au inside "auto". Abbreviations that follow one fixed
pattern (横浜銀 for 横浜銀行, 城南信金 for 城南信用金庫) are derived here instead of being listed.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODELS = Path(__file__).resolve().parents[2] / "models"
GAZETTEER_DIR = MODELS / "gazetteer"
NAMES_DIR = MODELS / "names"

# Long form -> short form used in headlines; applied to canonical names of type BANK.
ABBREVIATIONS = (("銀行", "銀"), ("信用金庫", "信金"), ("信用組合", "信組"))
# The same for group and holding companies (ソニーグループ -> ソニーG, りそなホールディングス -> りそなHD).
COMPANY_ABBREVIATIONS = (
    ("フィナンシャル・グループ", "FG"),
    ("フィナンシャルグループ", "FG"),
    ("ホールディングス", "HD"),
    ("グループ", "G"),
)


@dataclass(frozen=True, slots=True)
class Entry:
    canonical: str
    type: str
    aliases: tuple[str, ...] = ()
    code: str = ""
    operator: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    entry: Entry


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a header-first TSV file, with empty cells as ""."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh, delimiter="\t")]


def read_column(path: Path) -> list[str]:
    """The first column of a header-first TSV file, without blanks."""
    return [v for row in read_tsv(path) if (v := next(iter(row.values()), ""))]


def _script(ch: str) -> str:
    if ch.isascii():
        return "latin" if ch.isalnum() else "other"
    if "\u30a0" <= ch <= "\u30ff":
        return "katakana"
    if "\u3040" <= ch <= "\u309f":
        return "hiragana"
    if "\u4e00" <= ch <= "\u9fff" or ch in "々〆ヶ":
        return "kanji"
    return "other"


def on_word_edge(text: str, start: int, end: int, edges: frozenset[int] = frozenset()) -> bool:
    """True when [start, end) does not cut into a word: each side is a token edge or a script change."""

    def edge(i: int) -> bool:
        if i <= 0 or i >= len(text) or i in edges:
            return True
        left, right = _script(text[i - 1]), _script(text[i])
        return left != right or left == "other"

    # Latin names must not continue with more Latin letters even at a token edge ("au" in "auto").
    if start > 0 and text[start].isascii() and text[start - 1].isascii() and text[start - 1].isalnum():
        return False
    if end < len(text) and text[end - 1].isascii() and text[end].isascii() and text[end].isalnum():
        return False
    return edge(start) and edge(end)


def short_forms(canonical: str, type_: str) -> list[str]:
    """Headline abbreviations that follow a fixed pattern: 横浜銀行 -> 横浜銀, ソニーグループ -> ソニーG."""
    pairs = ABBREVIATIONS if type_ == "BANK" else COMPANY_ABBREVIATIONS if type_ == "COMPANY" else ()
    for long, short in pairs:
        if canonical.endswith(long) and len(canonical) > len(long):
            return [canonical[: -len(long)] + short]
    return []


def _char_class(chars: Iterable[str]) -> str:
    return f"[{''.join(map(re.escape, sorted(set(chars))))}]"


class Gazetteer:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.by_surface: dict[str, Entry] = {}
        derived: dict[str, Entry] = {}
        for entry in entries:
            for surface in (entry.canonical, *entry.aliases):
                self.by_surface.setdefault(surface, entry)
            for surface in short_forms(entry.canonical, entry.type):
                derived.setdefault(surface, entry)
        for surface, entry in derived.items():
            self.by_surface.setdefault(surface, entry)
        # Per first two characters (one for a one-character name), the lengths of the surfaces that
        # start with them, longest first: a start tries only the lengths a name there could have.
        lengths: dict[str, set[int]] = {}
        for surface in self.by_surface:
            lengths.setdefault(surface[:2], set()).add(len(surface))
        for head, ls in lengths.items():
            if head[:1] in self.by_surface:
                ls.add(1)  # a one-character name may also stand where a longer one would start
        self._lengths = {head: sorted(ls, reverse=True) for head, ls in lengths.items()}
        # Where a name can start, found in C: a first character followed by a second character of
        # some name (or a one-character name). A first character alone would stop at a third of
        # all positions (the kana that open some names); the pair at one in five.
        singles = {s for s in self.by_surface if len(s) == 1}
        pairs = [s for s in self.by_surface if len(s) > 1]
        starts = [_char_class(singles)] if singles else []
        if pairs:
            starts.append(f"{_char_class(s[0] for s in pairs)}(?={_char_class(s[1] for s in pairs)})")
        self._starts = re.compile("|".join(starts) or "(?!)")

    def get(self, surface: str) -> Entry | None:
        return self.by_surface.get(surface)

    def find_all(self, text: str, edges: frozenset[int] = frozenset()) -> Iterator[Match]:
        """Leftmost-longest matches that sit on word edges; `edges` are token boundaries."""
        n = len(text)
        pos = 0
        while (start := self._starts.search(text, pos)) is not None:
            i = start.start()
            for length in self._lengths.get(text[i : i + 2]) or self._lengths.get(text[i], ()):
                j = i + length
                entry = self.by_surface.get(text[i:j]) if j <= n else None
                if entry is not None and on_word_edge(text, i, j, edges):
                    yield Match(i, j, entry)
                    pos = j
                    break
            else:
                pos = i + 1


def _entries(directory: Path) -> list[Entry]:
    entries = []
    for path in sorted(directory.glob("*.tsv")):
        for row in read_tsv(path):
            aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
            entries.append(
                Entry(row["canonical"], row["type"], aliases, row.get("code", ""), row.get("operator", ""))
            )
    return entries


@lru_cache(maxsize=4)
def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The gazetteer built from every TSV file in `path` (default: models/gazetteer)."""
    return Gazetteer(_entries(path or GAZETTEER_DIR))
