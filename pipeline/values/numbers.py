"""Japanese numerals: ASCII, comma-grouped, decimal, kanji and mixed positional (2億5000万) forms.

`NUMERAL` is the regex source other taggers embed; `parse_number` turns one matched expression into
its exact `Decimal`. Vague numerals (数十万, 十数) are bounded by `parse_vague`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

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
# One digit run: ASCII with optional comma groups (1,811, or 6、544 as some papers write it) and
# decimals, or a run of kanji digits (二〇二〇).
_ATOM = rf"(?:(?:\d{{1,3}}(?:,\d{{3}})+|\d{{1,3}}(?:、\d{{3}})+|\d+)(?:\.\d+)?|[{_KD}]+)"
# A group below 万: digit runs, each optionally followed by 千/百/十 (二千二百, 3千, 十五, 千).
_SMALL = rf"(?:(?:{_ATOM}?[{_SU}])+{_ATOM}?|{_ATOM})"

# 1000余万: 余 between a figure and its unit says "and some" (its qualifier is over).
_SOME_WORDS = ("余り", "あまり", "余")
_SOME = rf"(?:{'|'.join(_SOME_WORDS)})"
NUMERAL = rf"(?:{_SMALL}{_SOME}? ?[{_BU}])*{_SMALL}|(?:{_SMALL}{_SOME}? ?[{_BU}])+"
"""One numeral expression in NFKC-normalized text; validate a match with `parse_number`."""

# 数 stands for an unknown digit: 数十万, 十数人, 百数十億.
VAGUE = rf"[{_KD}{_SU}]*数[{_SU}]?(?:[{_BU}](?:{_SMALL}[{_BU}])*)?"
"""One vague numeral (数十, 十数, 数百万, 百数十億); bound a match with `parse_vague`."""

_NUMERAL_RE = re.compile(NUMERAL)
_VAGUE_RE = re.compile(VAGUE)
_PIECE_RE = re.compile(rf"{_ATOM}|[{_SU}{_BU}]")

MODELS = Path(__file__).resolve().parents[2] / "models" / "values"


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a TSV data file under models/values, keyed by its header."""
    with (MODELS / name).open(encoding="utf-8", newline="") as f:
        return [{k: (v or "") for k, v in row.items()} for row in csv.DictReader(f, delimiter="\t")]


def alternation(words: list[str]) -> str:
    """Regex alternation that prefers the longest word (超え before 超)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_READINGS = {r["reading"]: r["kanji"] for r in read_tsv("number_readings.tsv")}
_READING_RE = re.compile(rf"(?:{alternation(list(_READINGS))})+")
_READING_PIECE_RE = re.compile(alternation(list(_READINGS)))
_VARIANTS = str.maketrans({r["variant"]: r["standard"] for r in read_tsv("number_variants.tsv")})
_MULTIPLIERS = {r["suffix"]: Decimal(r["factor"]) for r in read_tsv("number_multipliers.tsv")}
_MULTIPLIER_RE = re.compile(rf"(?P<n>.*?)(?P<suffix>{alternation(list(_MULTIPLIERS))})")
_SIGNS = ("マイナス", "−", "▲", "△")
SIGN = rf"(?:{'|'.join(_SIGNS)})"
"""A minus sign before an amount: ▲ and △ are how financial statements write a loss."""
_SIGN_RE = re.compile(rf"(?:{SIGN}|-)")
# 3分の1 and 1/3 name the denominator in opposite orders; 350また3分の1 adds a whole part.
_MIXED_RE = re.compile(r"(?P<whole>.+?)(?:また|又|と|は)(?P<part>.+分の.+)")
_FRACTION_RE = re.compile(r"(?P<den>.+?)分の(?P<num>.+)")
_SLASH_RE = re.compile(r"(?P<num>[^/]+)/(?P<den>[^/]+)")
_POWER_RE = re.compile(r"(?P<base>.+?)\^(?P<exp>.+)")
_SCIENTIFIC_RE = re.compile(r"(?P<mantissa>\d+(?:\.\d+)?)[eE](?P<exp>[-+]?\d+)")
# 2千万点5544, 一点五: 点 is the decimal point of a spoken or kanji numeral.
_POINT_RE = re.compile(rf"(?P<whole>.+)点(?P<digits>[{_KD}]+|\d+)")
# 十余万, 500余り万: 余 marks "and some", the written figure is the value (its bound as a qualifier).
_SOME_RE = re.compile(rf"(?<=[\d{_KD}{_SU}])(?:余り|あまり|余)(?=[{_BU}]|$)")
# 百二十数億: 数 after a unit stands for digits below it; the written figure is the value.
_SOME_DIGITS_RE = re.compile(rf"(?<=[{_SU}])数(?=[{_BU}]|$)")
# A space between two ASCII digits separates numbers; elsewhere (7万 5千, 五 分の 一) it is layout.
_LAYOUT_SPACE_RE = re.compile(r"(?<![0-9])\s+|\s+(?![0-9])")


def _atom_value(atom: str) -> Decimal:
    if atom[0] in KANJI_DIGITS:
        return Decimal("".join(str(KANJI_DIGITS[c]) for c in atom))
    return Decimal(atom.replace(",", "").replace("、", ""))


def _integral(value: Decimal) -> Decimal:
    # 1.5億 is an exact integer; keep it free of a trailing ".0" so str() gives the plain amount.
    return Decimal(int(value)) if value == value.to_integral_value() else value.normalize()


def _positional(text: str) -> Decimal | None:
    """The value of one positional numeral (2億5000万, 一万二千三百四十五), or None.

    Units must fall in strictly decreasing order within a 万-group (千 before 百 before 十), so 百千
    is rejected rather than guessed; across groups 兆 comes before 億 before 万, except that a
    larger unit after 万 multiplies the whole (一万五千億 = 1万5千 × 億).
    """
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
            # 零十三: a zero before a unit only marks the place, as in 一百零三.
            group += (pending or 1) * unit
            pending, last_small = None, unit
        elif piece in BIG_UNITS:
            unit = BIG_UNITS[piece]
            if unit == last_big or (unit > last_big and last_big != BIG_UNITS["万"]):
                return None
            if unit > last_big:
                total, group, pending = (total + group + (pending or 0)) * unit, Decimal(0), None
            else:
                total += (group + (pending or 0)) * unit
                group, pending = Decimal(0), None
            last_small, last_big = 10**20, unit
        else:
            if pending is not None:  # two digit runs with no unit between them
                return None
            pending = _atom_value(piece)
    return total + group + (pending or 0)


def _plain(text: str) -> Decimal | None:
    """A numeral without sign, fraction or exponent: positional, with 点 decimals and 余."""
    if _READING_RE.fullmatch(text):
        text = "".join(_READINGS[p] for p in _READING_PIECE_RE.findall(text))
    text = _SOME_DIGITS_RE.sub("", _SOME_RE.sub("", text.translate(_VARIANTS)))
    if (point := _POINT_RE.fullmatch(text)) is not None:
        whole = _positional(point["whole"])
        if whole is None:
            return None
        digits = "".join(str(KANJI_DIGITS.get(c, c)) for c in point["digits"])
        return whole + Decimal(f"0.{digits}")
    return _positional(text)


def _unsigned(text: str) -> Decimal | None:
    if (m := _MIXED_RE.fullmatch(text)) is not None:
        whole, part = _plain(m["whole"]), _unsigned(m["part"])
        return None if whole is None or part is None else whole + part
    for pattern in (_FRACTION_RE, _SLASH_RE):
        if (m := pattern.fullmatch(text)) is not None:
            num, den = _signed(m["num"]), _signed(m["den"])
            return None if num is None or not den else num / den
    if (m := _POWER_RE.fullmatch(text)) is not None:
        base, exp = _signed(m["base"]), _signed(m["exp"])
        if base is None or exp is None or exp != exp.to_integral_value() or not base:
            return None
        return base ** int(exp)
    if (m := _SCIENTIFIC_RE.fullmatch(text)) is not None:
        return Decimal(m["mantissa"]).scaleb(int(m["exp"]))
    if (m := _MULTIPLIER_RE.fullmatch(text)) is not None:
        count = Decimal("0.5") if m["n"] == "半" else _plain(m["n"])
        return None if count is None else count * _MULTIPLIERS[m["suffix"]]
    return _plain(text)


def _signed(text: str) -> Decimal | None:
    if (sign := _SIGN_RE.match(text)) is not None:
        value = _unsigned(text[sign.end() :])
        return None if value is None else -value
    return _unsigned(text)


# Dates and amounts read the same few numerals (days, months, years) again and again; a Decimal
# is immutable, so a cached one can be shared.
@lru_cache(maxsize=4096)
def parse_number(s: str) -> Decimal | None:
    """The value of `s` if it is exactly one numeral expression, else None.

    Beside positional numerals (2億5000万, 一万二千三百四十五) it reads signs (マイナス, ▲ and △ as
    financial statements write them), fractions (3分の1, 1/3, 350また3分の1), 点 decimals (二点三),
    exponents (2^5, 1.2e3), multipliers (1ダース, 40k), readings in hiragana (にじゅうさん) and
    formal numerals (壱萬).
    """
    text = _LAYOUT_SPACE_RE.sub("", unicodedata.normalize("NFKC", s).strip())
    value = _signed(text) if text else None
    return None if value is None else _integral(value)


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


# --- Quantity phrases: numeral + unit with qualifiers and ranges (shared by money and counts) ---


def first_chars(words: Iterable[str]) -> str:
    """The body of a regex character class holding the first character of each of `words`."""
    return "".join(sorted({re.escape(w[0]) for w in words if w}))


def _all_chars(words: Iterable[str]) -> str:
    """The body of a regex character class holding every character of `words`."""
    return "".join(sorted({re.escape(c) for w in words for c in w}))


def finditer_at(
    pattern: re.Pattern[str],
    starts: re.Pattern[str],
    text: str,
    *,
    numeral_ends: re.Pattern[str] | None = None,
) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` yields, for a pattern that never matches empty and can begin
    only where `starts` (a small pattern) matches.

    A pattern that opens with optional groups makes the engine try it at every character; the
    small pattern is scanned for in C, so the full pattern runs only where a match can begin.
    For a `quantity_pattern`, `numeral_ends` (`numerals_before` of its unit) rules out more: most
    numerals (2020年, 3月) have no unit after them, yet each of their digits is a start.
    """
    ends = None if numeral_ends is None else [m.end() for m in numeral_ends.finditer(text)]
    pos = 0
    while (s := starts.search(text, pos)) is not None:
        if ends is not None and (dead_end := _unitless_run(text, ends, s.start())) is not None:
            pos = dead_end
            continue
        m = pattern.match(text, s.start())
        if m is None:
            pos = s.start() + 1
        else:
            yield m
            pos = m.end()


_QUALIFIER_ROWS = read_tsv("qualifiers.tsv")
QUALIFIER_OF = {(r["surface"], r["position"]): r["qualifier"] for r in _QUALIFIER_ROWS}
_PREFIXES = [r["surface"] for r in _QUALIFIER_ROWS if r["position"] == "prefix"]
PREFIX_QUALIFIER = alternation(_PREFIXES)
# A one-kanji suffix glued to a following kanji is a word of its own (強化, 超過), not a qualifier.
_SUFFIXES = [r["surface"] for r in _QUALIFIER_ROWS if r["position"] == "suffix"]
# A particle after the amount (10万円まで) bounds it but stays out of the text, as other particles do.
_AFTER = alternation([r["surface"] for r in _QUALIFIER_ROWS if r["position"] == "after"])
SUFFIX_QUALIFIER = (
    rf"(?:{alternation([w for w in _SUFFIXES if len(w) > 1])}"
    rf"|(?:{alternation([w for w in _SUFFIXES if len(w) == 1])})(?![\u4e00-\u9fff]))"
)
# Where a `quantity_pattern` match can begin: a numeral (digit, 十百千, 数) or a sign, or a prefix
# qualifier right before one. Most words that open a qualifier (約, 最, 計) begin none there.
_NUMBER_START = rf"[\d{_KD}{_SU}数マ−▲△]"
QUANTITY_START = re.compile(rf"(?:{PREFIX_QUALIFIER})\s?(?={_NUMBER_START})|{_NUMBER_START}")
_RANGE_MARKS = ("~", "-", "‐", "–", "—", "から", "ないし")
_RANGE_SEP = rf"\s?(?:{'|'.join(map(re.escape, _RANGE_MARKS))})\s?"
# Every character a quantity can hold before the numeral its first unit follows, from the pieces
# `quantity_pattern` is built of: a qualifier, the low end and range mark, a sign, the numeral.
_BEFORE_UNIT = re.compile(
    rf"[\s\d{_all_chars([*_PREFIXES, _KD, _SU, _BU, *_SOME_WORDS, '数,、.', *_RANGE_MARKS, *_SIGNS])}]*"
)
_CJK = re.compile(r"[\u3005\u4e00-\u9fff]")
_ASCII_NUMBER_TAIL = re.compile(r"[0-9.,_#第]")


def numerals_before(unit: str) -> re.Pattern[str]:
    """The last character of each numeral that `unit` (regex source) follows, after a space at most:
    where the amount before a `quantity_pattern`'s first unit can end."""
    return re.compile(rf"[\d{_KD}{_SU}{_BU}数](?=\s?(?:{unit}))")


def _unitless_run(text: str, ends: list[int], start: int) -> int | None:
    """Where the run of `_BEFORE_UNIT` characters from `start` ends, when no numeral in it is
    followed by a unit (`ends` are the offsets just after those that are): then no quantity begins
    anywhere in the run before that point. None when one may."""
    # A start outside the run (no such character) begins no quantity either: step past it.
    run_end = max(_BEFORE_UNIT.match(text, start).end(), start + 1)
    k = bisect_right(ends, start)
    return run_end if k == len(ends) or ends[k] > run_end else None


def quantity_pattern(unit: str, *, signed: bool = False) -> str:
    """Regex source for `[prefix] [low [unit] sep] [sign] number unit [suffix]` with the named
    groups pre, lo, lounit, sign (when `signed`), num, unit, post, and `after` (a bounding particle
    looked at, not matched); `unit` is the regex of the units (yen, counters, %)."""
    amount = rf"(?:{VAGUE}|{NUMERAL})"
    sign = rf"(?P<sign>{SIGN})?" if signed else ""
    return (
        rf"(?:(?P<pre>{PREFIX_QUALIFIER})\s?)?"
        rf"(?:(?P<lo>{amount})\s?(?P<lounit>{unit})?{_RANGE_SEP}(?:{PREFIX_QUALIFIER})?)?"
        rf"{sign}(?P<num>{amount})\s?(?P<unit>{unit})(?P<post>{SUFFIX_QUALIFIER})?(?:(?=(?P<after>{_AFTER})))?"
    )


@dataclass(frozen=True, slots=True)
class Quantity:
    value: Decimal | None
    qualifier: str
    low: Decimal | None = None
    high: Decimal | None = None


def _bounds(numeral: str) -> tuple[Decimal, Decimal] | None:
    if "数" in numeral:
        vague = parse_vague(numeral)
        return None if vague is None else (Decimal(vague[0]), Decimal(vague[1]))
    value = parse_number(numeral)
    return None if value is None else (value, value)


def _qualifier(pre: str | None, post: str | None, after: str | None) -> str:
    found = [QUALIFIER_OF[(w, p)] for w, p in ((pre, "prefix"), (post, "suffix"), (after, "after")) if w]
    # 約100万円以上: the bound says more than the hedge, so a non-approx qualifier wins.
    return next((q for q in found if q != "approx"), found[0] if found else "exact")


def resolve(m: re.Match[str]) -> Quantity | None:
    """The value, qualifier and bounds of a `quantity_pattern` match; None for a non-numeral."""
    g = m.groupdict()
    bounds = _bounds(g["num"])
    if bounds is None:
        return None
    if g.get("lo"):
        low = _bounds(g["lo"])
        if low is None:
            return None
        lo, hi = low[0], bounds[1]
        # 100~200万円 means 100万 to 200万: the low end borrows the high end's trailing 万/億/兆.
        tail = m["num"][-1]
        if tail in BIG_UNITS and not any(c in BIG_UNITS for c in g["lo"]) and not g.get("lounit"):
            lo *= BIG_UNITS[tail]
        return Quantity(None, "range", lo, hi) if lo < hi else None
    if "数" in g["num"]:
        return Quantity(None, "vague", *bounds)
    value = -bounds[0] if g.get("sign") else bounds[0]
    qualifier = _qualifier(g.get("pre"), g.get("post"), g.get("after"))
    if qualifier == "band":  # 1万3,800円台: every figure from 13,800 up to the next step
        step = 10 ** (len(str(int(value))) - len(str(int(value)).rstrip("0")))
        return Quantity(None, "vague", value, value + step - 1) if value > 0 and value == int(value) else None
    if qualifier == "exact" and re.search(_SOME, g["num"]):
        qualifier = "over"
    return Quantity(value, qualifier)


def glued_to_word(text: str, m: re.Match[str]) -> bool:
    """True when the numeral is the tail of a longer token: 1.5.3, 第2, 統一, 関東一円.

    Letters may precede ASCII digits (ATM100台); G7 or A320 stay out because no unit follows.
    """
    g = m.groupdict()
    first = g.get("lo") or g["num"]
    start = m.start("lo") if g.get("lo") else m.start("num")
    if start == 0 or g.get("pre"):
        return False
    before = text[start - 1]
    if first[0].isascii():
        return bool(_ASCII_NUMBER_TAIL.match(before))
    # A lone kanji digit after a kanji is a word (統一, 関東一円); 総額六千万円 is still an amount, and
    # so is 猫数匹 (数 is no digit of a word: the morpheme check keeps 少数株主 out).
    return before == "第" or (len(first) == 1 and first != "数" and bool(_CJK.match(before)))
