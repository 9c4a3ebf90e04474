"""Text normalization that keeps a map back to the original characters.

Taggers see NFKC-folded text (full-width digits and letters become ASCII, half-width kana become
full-width, ㈱ becomes (株)), and every span they find is mapped back to the original string, so a
mention's offsets always point at what the article really says.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Wave dashes and tildes all mean a range; fold them to one character the taggers know.
_FOLD = {"\u301c": "~", "\uff5e": "~", "\u2053": "~", "\u2212": "-", "\u2010": "-", "\u2015": "-"}

_SOUND_MARKS = frozenset("\uff9e\uff9f")
# A lone surrogate (a str built from broken UTF-16, never a decoded file) cannot be encoded for MeCab.
_SURROGATE = re.compile("[\ud800-\udfff]")

# Characters NFKC leaves as they are (printable ASCII, 、。「」『』, hiragana, katakana, ー, CJK
# ideographs): most of a Japanese article, copied in runs instead of folded one by one.
# tests/test_textnorm.py checks every one of them.
STABLE = "\u0020-\u007e\u3001\u3002\u300c-\u300f\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff"
_STABLE_RUN = re.compile(f"[{STABLE}]+")


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str
    # origin[i] is the index in the original string of normalized character i; one extra entry
    # at the end maps the end of the text.
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalized span [start, end)."""
        if end <= start:
            o = self.origin[start]
            return o, o
        return self.origin[start], self.origin[end - 1] + 1


def normalize(text: str) -> Normalized:
    if text.isascii():
        return Normalized(text, tuple(range(len(text) + 1)))
    out: list[str] = []
    origin: list[int] = []
    i, n = 0, len(text)
    while i < n:
        run = _STABLE_RUN.match(text, i)
        if run is not None:
            j = run.end()
            if j < n and _is_mark(text[j]):
                j -= 1  # the run's last character folds together with the marks after it
            if j > i:
                out.append(text[i:j])
                origin.extend(range(i, j))
                i = j
                continue
        # A half-width kana with its sound mark (ｶﾞ), or a base with combining marks, folds as one.
        j = i + 1
        while j < n and _is_mark(text[j]):
            j += 1
        cluster = text[i:j]
        folded = _FOLD.get(cluster) or unicodedata.normalize("NFKC", _SURROGATE.sub("\ufffd", cluster))
        out.append(folded)
        origin.extend([i] * len(folded))
        i = j
    origin.append(n)
    return Normalized("".join(out), tuple(origin))


def _is_mark(char: str) -> bool:
    return char in _SOUND_MARKS or unicodedata.combining(char) != 0
