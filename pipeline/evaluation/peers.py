"""The peers' own test cases: Recognizers-Text numbers and dates, ja-timex dates, as accuracies.

Selection and scoring as `../shared/data/README.md` fixes them:
- numbers: rows that are not negative, not `ignore_resolution`, subtype integer/decimal/null;
  `parse_number(span_literal)` must equal `value` (to the 15 digits the peers print).
- Recognizers dates: `type` "date" rows with a full YYYY-MM-DD among `value` and the candidates'
  values (past and future readings); some DATE mention of the input, read against
  `reference_date`, must have one of them as its value (day level: the first 10 characters).
- ja-timex: rows whose `iso_date` comes from the value; some DATE mention must equal it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pipeline.evaluation.metrics import ErrorRow, accuracy
from pipeline.types import Article

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class DateCase:
    id: str
    text: str
    reference: date | None
    accepted: frozenset[str]


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def number_cases(path: Path) -> list[dict]:
    return [
        r
        for r in _rows(path)
        if not r["negative"] and not r["ignore_resolution"] and r["subtype"] in ("integer", "decimal", None)
    ]


def score_numbers(cases: list[dict]) -> tuple[dict, list[ErrorRow]]:
    from pipeline.values.numbers import parse_number

    errors = []
    for case in cases:
        got = parse_number(case["span_literal"])
        if got is None or not _same(got, Decimal(str(case["value_str"] or case["value"]))):
            errors.append(
                ErrorRow(
                    "wrong" if got is not None else "miss",
                    case["id"],
                    "number",
                    case["span_literal"],
                    str(case["value_str"]),
                    _plain(got),
                    case["input"],
                )
            )
    return accuracy(len(cases) - len(errors), len(cases)), errors


def _same(got: Decimal, expected: Decimal) -> bool:
    """Equal, up to the 15 digits the peers print for a fraction (350又三分の一 → 350.333333333333)."""
    return abs(got - expected) <= Decimal("1e-12") * max(Decimal(1), abs(expected))


def _plain(number: Decimal | None) -> str:
    if number is None:
        return ""
    try:
        return format(number.normalize(), "f")
    except InvalidOperation:
        return str(number)


def recognizers_date_cases(path: Path) -> list[DateCase]:
    cases = []
    for r in _rows(path):
        values = [r.get("value"), *(c.get("value") for c in r.get("candidates") or [])]
        days = frozenset(v for v in values if isinstance(v, str) and _DAY.fullmatch(v))
        if r["type"] == "date" and days:
            cases.append(DateCase(r["id"], r["input"], _day(r.get("reference_date")), days))
    return cases


def jatimex_date_cases(path: Path) -> list[DateCase]:
    return [
        DateCase(r["id"], r["input"], _day(r.get("reference_date")), frozenset({r["iso_date"]}))
        for r in _rows(path)
        if r.get("iso_date") and r.get("iso_date_source") == "value"
    ]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def score_dates(cases: list[DateCase], profile: str, suite: str) -> tuple[dict, list[ErrorRow]]:
    """A case is right when some DATE mention of its text, read against its reference date, is accepted."""
    from pipeline.annotator import annotate_articles

    articles = (Article(c.id, "", "", c.text, c.reference) for c in cases)
    errors = []
    for case, done in zip(cases, annotate_articles(articles, profile=profile), strict=True):
        days = [(m.value or "")[:10] for m in done.mentions if m.type == "DATE"]
        if not case.accepted.intersection(days):
            given = ", ".join(f"{m.text} → {m.value}" for m in done.mentions if m.type == "DATE")
            errors.append(
                ErrorRow(
                    "wrong" if days else "miss",
                    case.id,
                    suite,
                    case.text,
                    " | ".join(sorted(case.accepted)),
                    given,
                    str(case.reference or ""),
                )
            )
    return accuracy(len(cases) - len(errors), len(cases)), errors
