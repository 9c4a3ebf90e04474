"""Numeral parsing: corpus (tests/corpus/numbers.tsv), vague bounds, and a round-trip property."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.values import counts, dates, money
from pipeline.values.numbers import QUANTITY_START, finditer_at, parse_number, parse_vague

CORPUS = Path(__file__).resolve().parent / "corpus"
KANJI = "〇一二三四五六七八九"
BIG = ((10**16, "京"), (10**12, "兆"), (10**8, "億"), (10**4, "万"))


def _rows(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.mark.parametrize("row", _rows("numbers.tsv"), ids=lambda r: r["surface"] or "<empty>")
def test_numbers_corpus(row: dict[str, str]) -> None:
    assert parse_number(row["surface"]) == (Decimal(row["value"]) if row["value"] else None)


@pytest.mark.parametrize(
    ("surface", "bounds"),
    [
        ("数十万", (100000, 990000)),  # the gold's 数十万円
        ("数百", (100, 999)),
        ("十数", (11, 19)),
        ("数千万", (10000000, 99990000)),
        ("百数十億", (11000000000, 19900000000)),
        ("数万", (10000, 90000)),
        ("二十数", (21, 29)),
        ("数億", (100000000, 900000000)),
        ("数", (1, 9)),
        ("100万", None),
        ("数数", None),
        ("", None),
    ],
)
def test_parse_vague(surface: str, bounds: tuple[int, int] | None) -> None:
    assert parse_vague(surface) == bounds


def _kanji_group(n: int) -> str:
    """0 < n < 10000 as 千百十 kanji, the way news writes it (千, not 一千)."""
    out = ""
    for size, unit in ((1000, "千"), (100, "百"), (10, "十")):
        digit, n = divmod(n, size)
        out += (KANJI[digit] if digit > 1 else "") + unit if digit else ""
    return out + (KANJI[n] if n else "")


def _render(n: int, group) -> str:
    if n == 0:
        return "〇"
    out = ""
    for size, unit in BIG:
        q, n = divmod(n, size)
        out += group(q) + unit if q else ""
    return out + (group(n) if n else "")


@given(st.integers(min_value=0, max_value=10**16))
def test_kanji_round_trip(n: int) -> None:
    assert parse_number(_render(n, _kanji_group)) == n


@given(st.integers(min_value=0, max_value=10**16), st.booleans())
def test_mixed_round_trip(n: int, commas: bool) -> None:
    rendered = _render(n, lambda q: f"{q:,}" if commas else str(q)) if n else "0"
    assert parse_number(rendered) == n
    assert parse_number(rendered.translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))) == n


# Digits, kanji numerals, signs, units, qualifiers, currency symbols, date words, a word of
# accounts, a compound counter and filler: text where quantities and dates start, overlap and
# break off.
_SCAN_TEXT = st.text(
    alphabet="0123456789,.~ 一二三十百千万億数約最大全円ドル$¥%割件人社行年月日同昨令和時(火)から以上。\n"
    "▲−赤字地方銀",
    max_size=40,
)
_ANY_CHAR = re.compile(r"(?s).")


@given(_SCAN_TEXT)
def test_finditer_at_matches_plain_finditer(text: str) -> None:
    cases = (
        (money._MONEY_RE, QUANTITY_START, money._NUMERAL_ENDS[money._MONEY_RE]),
        (money._BARE_RE, QUANTITY_START, money._NUMERAL_ENDS[money._BARE_RE]),
        (money._PERCENT_RE, QUANTITY_START, money._NUMERAL_ENDS[money._PERCENT_RE]),
        (money._SYMBOL_RE, money._SYMBOL_START, None),
        (counts._COUNT_RE, QUANTITY_START, counts._COUNT_ENDS),
    )
    for pattern, starts, ends in cases:
        expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        found = finditer_at(pattern, starts, text, numeral_ends=ends)
        assert [(m.span(), m.groupdict()) for m in found] == expected


@given(_SCAN_TEXT)
def test_date_scan_finds_what_trying_every_character_finds(text: str) -> None:
    found = list(dates._scan(text))
    with patch.object(dates, "_DATE_START_RE", _ANY_CHAR):
        assert found == list(dates._scan(text))
