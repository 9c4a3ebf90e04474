"""Japanese numerals: ASCII, comma-grouped, decimal, kanji and mixed positional (2億5000万) forms.

`NUMERAL` is the regex source other taggers embed; `parse_number` turns one matched expression into
its exact `Decimal`. Vague numerals (数十万, 十数) are bounded by `parse_vague`.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12, "京": 10**16}

_KD = "".join(KANJI_DIGITS)
_SU = "".join(SMALL_UNITS)
_BU = "".join(BIG_UNITS)
# One digit run: ASCII with optional comma groups and decimals, or a run of kanji digits (二〇二〇).
_ATOM = rf"(?:(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|[{_KD}]+)"
# A group below 万: digit runs, each optionally followed by 千/百/十 (二千二百, 3千, 十五, 千).
_SMALL = rf"(?:(?:{_ATOM}?[{_SU}])+{_ATOM}?|{_ATOM})"

NUMERAL = rf"(?:{_SMALL}[{_BU}])*{_SMALL}|(?:{_SMALL}[{_BU}])+"
"""One numeral expression in NFKC-normalized text; validate a match with `parse_number`."""

# 数 stands for an unknown digit: 数十万, 十数人, 百数十億.
VAGUE = rf"[{_KD}{_SU}]*数[{_SU}]?(?:[{_BU}](?:{_SMALL}[{_BU}])*)?"
"""One vague numeral (数十, 十数, 数百万, 百数十億); bound a match with `parse_vague`."""

_NUMERAL_RE = re.compile(NUMERAL)
_VAGUE_RE = re.compile(VAGUE)
_PIECE_RE = re.compile(rf"{_ATOM}|[{_SU}{_BU}]")


def _atom_value(atom: str) -> Decimal:
    if atom[0] in KANJI_DIGITS:
        return Decimal("".join(str(KANJI_DIGITS[c]) for c in atom))
    return Decimal(atom.replace(",", ""))


def _integral(value: Decimal) -> Decimal:
    # 1.5億 is an exact integer; keep it free of a trailing ".0" so str() gives the plain amount.
    return Decimal(int(value)) if value == value.to_integral_value() else value.normalize()


def parse_number(s: str) -> Decimal | None:
    """The value of `s` if it is exactly one numeral expression, else None.

    Units must fall in strictly decreasing order within a 万-group (千 before 百 before 十) and
    across groups (兆 before 億 before 万), so 百千 or 万億 are rejected rather than guessed.
    """
    text = unicodedata.normalize("NFKC", s).strip()
    if not text or not _NUMERAL_RE.fullmatch(text):
        return None
    total = Decimal(0)
    group = Decimal(0)
    pending: Decimal | None = None
    last_small = last_big = 10**20
    for piece in _PIECE_RE.findall(text):
        if piece in SMALL_UNITS:
            unit = SMALL_UNITS[piece]
            if unit >= last_small:
                return None
            group += (pending if pending is not None else 1) * unit
            pending, last_small = None, unit
        elif piece in BIG_UNITS:
            unit = BIG_UNITS[piece]
            if unit >= last_big:
                return None
            total += (group + (pending or 0)) * unit
            group, pending, last_small, last_big = Decimal(0), None, 10**20, unit
        else:
            if pending is not None:  # two digit runs with no unit between them
                return None
            pending = _atom_value(piece)
    return _integral(total + group + (pending or 0))


def parse_vague(s: str) -> tuple[int, int] | None:
    """Bounds of a vague numeral with one 数, or None.

    Convention: 数 is one unknown digit 1..9 in its place, and the places below it inside the same
    万-group are unknown too (0 at the minimum, 9 at the maximum); a following 万/億/兆 multiplies.
    So 数十万 → 10万..99万 (100000..990000, as in the gold), 数百 → 100..999, 十数 → 11..19,
    数千万 → 1000万..9999万, 百数十億 → 110億..199億, 数万 → 1万..9万.
    """
    text = unicodedata.normalize("NFKC", s).strip()
    if text.count("数") != 1 or not _VAGUE_RE.fullmatch(text):
        return None
    low = parse_number(text.replace("数", "一"))
    high = parse_number(text.replace("数", "九"))
    if low is None or high is None:
        return None
    after = text[text.index("数") + 1 :]
    place = SMALL_UNITS.get(after[:1], 1)
    multiplier = next((BIG_UNITS[c] for c in after if c in BIG_UNITS), 1)
    return int(low), int(high) + (place - 1) * multiplier
