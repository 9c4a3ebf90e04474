"""MONEY and PERCENT mentions: yen amounts as integers, other currencies by ISO code.

`value_int` is the whole amount in the mention's own currency (`unit`, an ISO code), as the corpus
gold gives it (約120万ドル → 1200000, USD): 銭 and fractional yen round half up to whole yen, while a
fractional foreign amount (3.5ドル) keeps only `value`. Nothing is converted, because a rate would
be invented; a conversion the article writes itself (日本円で約6兆7000億円) is an ordinary yen mention.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from pipeline.types import Mention
from pipeline.values.numbers import (
    NUMERAL,
    PREFIX_QUALIFIER,
    QUALIFIER_OF,
    QUANTITY_START,
    SUFFIX_QUALIFIER,
    Quantity,
    alternation,
    finditer_at,
    first_chars,
    glued_to_word,
    numerals_before,
    quantity_pattern,
    read_tsv,
    resolve,
)

_CURRENCIES = read_tsv("currencies.tsv")
_ISO = {r["surface"]: r["iso"] for r in _CURRENCIES}
_FACTOR = {r["surface"]: Decimal(r["factor"]) for r in _CURRENCIES}


def _suffix_unit(row: dict[str, str]) -> str:
    guard = f"(?![{re.escape(row['not_before'])}])" if row["not_before"] else ""
    # 1円50銭 is one amount; the sen tail rides on the yen unit.
    sen = r"(?:\d{1,2}銭)?" if row["surface"] == "円" else ""
    return re.escape(row["surface"]) + sen + guard


_SUFFIX_ROWS = sorted((r for r in _CURRENCIES if r["position"] == "suffix"), key=lambda r: -len(r["surface"]))
_MONEY_UNIT = "|".join(_suffix_unit(r) for r in _SUFFIX_ROWS)
_MONEY_RE = re.compile(quantity_pattern(_MONEY_UNIT, signed=True))
# 500億減収: an amount in 万/億/兆 right before a word of accounts is yen though 円 is left out.
_BARE_UNIT = rf"(?<=[万億兆])(?=(?:{alternation([r['noun'] for r in read_tsv('money_nouns.tsv')])}))"
_BARE_RE = re.compile(quantity_pattern(_BARE_UNIT))
# 130円から150円に値上げ is a change between two amounts; 5円から10円の値段 is one range.
_CHANGE_AFTER = re.compile(r"に(?!わた|かけ|及|のぼ|上)")
_SYMBOL_ROWS = [r["surface"] for r in _CURRENCIES if r["position"] == "prefix"]
_SYMBOLS = alternation(_SYMBOL_ROWS)
_SYMBOL_RE = re.compile(
    rf"(?:(?P<pre>{PREFIX_QUALIFIER})\s?)?(?P<unit>{_SYMBOLS})\s?(?P<num>{NUMERAL})(?P<post>{SUFFIX_QUALIFIER})?"
)
_SYMBOL_START = re.compile(
    f"[{first_chars([*_SYMBOL_ROWS, *(w for w, p in QUALIFIER_OF if p == 'prefix')])}]"
)
_PERCENT_UNIT = r"%|パーセント|割(?!\d)"
_PERCENT_RE = re.compile(quantity_pattern(_PERCENT_UNIT))
_SEN_RE = re.compile(r"円(\d{1,2})銭")
# A unit each pattern needs somewhere in the text to match at all: most articles name no percentage
# and many no amount, and then their numerals need not be tried.
_UNIT_IN_TEXT = {
    _MONEY_RE: re.compile(alternation([r["surface"] for r in _SUFFIX_ROWS])),
    _BARE_RE: re.compile("[万億兆]"),
    _PERCENT_RE: re.compile("%|パーセント|割"),
}
# Where each pattern's amount can end: its numerals with a unit after them (few of all numerals).
_NUMERAL_ENDS = {
    _MONEY_RE: numerals_before(_MONEY_UNIT),
    _BARE_RE: numerals_before(_BARE_UNIT),
    _PERCENT_RE: numerals_before(_PERCENT_UNIT),
}
# The longest per-unit phrase (ごとに, 1世帯 and a space) is shorter than this; looking back only
# this far keeps the test constant per amount instead of scanning the text from its start.
_PER_UNIT_REACH = 8
_PER_UNIT_BEFORE = re.compile(
    r"(?:あたり|当たり|当り|につき|ごとに|毎に|(?<![\d])(?:1|一)(?:人|世帯|株|口座|件|社|台|回|枚|口))\s?$"
)
_TENTHS = Decimal(10)


def _plain(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def _whole(value: Decimal | None, is_yen: bool) -> int | None:
    if value is None or not (is_yen or value == value.to_integral_value()):
        return None
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _scaled(q: Quantity, factor: Decimal, extra: Decimal) -> Quantity:
    def scale(v: Decimal | None) -> Decimal | None:
        return None if v is None else v * factor + extra

    return Quantity(scale(q.value), q.qualifier, scale(q.low), scale(q.high))


def _money(text: str, m: re.Match[str], q: Quantity) -> Mention:
    unit = m["unit"] or "円"
    sen = _SEN_RE.match(unit)
    currency = "円" if sen else unit
    q = _scaled(q, _FACTOR[currency], Decimal(sen[1]) / 100 if sen else Decimal(0))
    iso = _ISO[currency]
    is_yen = iso == "JPY"
    before = _PER_UNIT_BEFORE.search(text, max(0, m.start() - _PER_UNIT_REACH), m.start())
    per_unit = bool(before) or text.startswith("ずつ", m.end())
    return Mention(
        m.start(),
        m.end(),
        m[0],
        "MONEY",
        value=None if q.value is None else _plain(q.value),
        value_int=_whole(q.value, is_yen),
        min_int=_whole(q.low, is_yen),
        max_int=_whole(q.high, is_yen),
        qualifier=q.qualifier,
        unit=iso,
        per_unit=per_unit,
    )


def _percent(m: re.Match[str], q: Quantity) -> Mention:
    if m["unit"] == "割":  # 3割 is 30 %
        q = _scaled(q, _TENTHS, Decimal(0))

    def whole(v: Decimal | None) -> int | None:
        return int(v) if v is not None and v == v.to_integral_value() else None

    return Mention(
        m.start(),
        m.end(),
        m[0],
        "PERCENT",
        value=None if q.value is None else _plain(q.value),
        min_int=whole(q.low),
        max_int=whole(q.high),
        qualifier=q.qualifier,
        unit="%",
    )


def _matches(
    text: str, pattern: re.Pattern[str], starts: re.Pattern[str]
) -> list[tuple[re.Match[str], Quantity]]:
    unit = _UNIT_IN_TEXT.get(pattern)
    if unit is not None and not unit.search(text):
        return []
    found = []
    for m in finditer_at(pattern, starts, text, numeral_ends=_NUMERAL_ENDS.get(pattern)):
        q = resolve(m)
        if q is not None and not glued_to_word(text, m):
            found.append((m, q))
    return found


def _split_changes(
    text: str, found: list[tuple[re.Match[str], Quantity]]
) -> list[tuple[re.Match[str], Quantity]]:
    """A range of two amounts with their units joined by から and followed by に is a change from
    one to the other: two mentions."""
    out = []
    for m, q in found:
        parts = None
        joined_by_kara = m.groupdict().get("lounit") and "から" in text[m.end("lounit") : m.start("num")]
        if q.qualifier == "range" and joined_by_kara and _CHANGE_AFTER.match(text, m.end()):
            first = m.re.fullmatch(text, m.start(), m.end("lounit"))
            second = m.re.match(text, m.start("num"))
            parts = [(x, r) for x in (first, second) if x is not None and (r := resolve(x)) is not None]
        out.extend(parts if parts and len(parts) == 2 else [(m, q)])
    return out


def tag_money(text: str) -> list[Mention]:
    """MONEY and PERCENT mentions in NFKC-normalized `text`, in order, never overlapping."""
    mentions = [
        _money(text, m, q)
        for p, starts in (
            (_MONEY_RE, QUANTITY_START),
            (_SYMBOL_RE, _SYMBOL_START),
            (_BARE_RE, QUANTITY_START),
        )
        for m, q in _split_changes(text, _matches(text, p, starts))
    ]
    mentions += [_percent(m, q) for m, q in _matches(text, _PERCENT_RE, QUANTITY_START)]
    mentions.sort(key=lambda x: (x.start, -x.end))
    kept: list[Mention] = []
    for mention in mentions:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept
