"""The records that flow through the pipeline: articles in, mentions and events out."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

# Pipeline profiles (`pipeline.profiles` says what each runs): trained recognizer + rules, or the rules alone.
PROFILES = ("accurate", "fast")

# Entity types, as in the gold contract.
ORG_TYPES = ("BANK", "PAYMENT_SERVICE", "COMPANY", "ORGANIZATION")
NAME_TYPES = (*ORG_TYPES, "PERSON")
VALUE_TYPES = ("MONEY", "COUNT", "DATE", "PERCENT")
MENTION_TYPES = (*NAME_TYPES, *VALUE_TYPES)

# MONEY / COUNT qualifiers. `vague` (数十万円) and `range` (100万～200万円) carry min/max instead of a value.
QUALIFIERS = ("exact", "approx", "over", "under", "at_least", "at_most", "vague", "range")


@dataclass(slots=True)
class Article:
    article_id: str
    source_path: str
    headline: str
    body: str
    published: date | None = None
    url: str | None = None


@dataclass(slots=True)
class Mention:
    """One typed, normalized span of a text; `text == field_text[start:end]` always holds.

    `value` is the canonical name, the ISO date, or the amount as a decimal string.
    `value_int` is the count, or the whole amount of money in `unit` (yen when `unit` is JPY; a
    dollar amount stays in dollars, nothing is converted); `min_int`/`max_int` bound vague and
    ranged figures. For MONEY `unit` is the ISO currency (JPY, USD, ...), for COUNT the counter
    (件, 口座, 行), for PERCENT "%".
    """

    start: int
    end: int
    text: str
    type: str
    value: str | None = None
    value_int: int | None = None
    min_int: int | None = None
    max_int: int | None = None
    qualifier: str | None = None
    unit: str | None = None
    counted: str | None = None
    role: str | None = None
    source: str = "rule"
    # DATE: day|month|year|end_of_month|early_month|mid_month|late_month|end_of_year|fiscal_year
    granularity: str | None = None
    time: str | None = None  # HH:MM, DATE only
    time_point: bool = False  # 時点: the figures are as of this date
    relative: bool = False  # 同日, 昨年, ...: resolved from context (value None when nothing anchors it)
    value_end: str | None = None  # last day of a date range (9月10～14日)
    per_unit: bool = False  # 1件あたり10万円
    title: str | None = None  # PERSON: job title written next to the name
    field: str = "body"  # headline | body


MENTION_COLUMNS = tuple(f.name for f in fields(Mention))


@dataclass(slots=True)
class Event:
    article_id: str
    event_type: str
    kind: str | None = None  # legal events: arrest, prosecution, lawsuit, ruling, order, sanction
    role: str | None = None
    org: str | None = None
    org_type: str | None = None
    services: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    date: str | None = None
    as_of: str | None = None
    since: str | None = None
    deadline: str | None = None
    amount_jpy: int | None = None
    amount_min_jpy: int | None = None
    amount_max_jpy: int | None = None
    amount_qualifier: str | None = None
    count: int | None = None
    count_unit: str | None = None
    count_qualifier: str | None = None
    counted: str | None = None
    target: str | None = None
    scope: str | None = None
    person: str | None = None
    to: str | None = None
    planned: bool = False
    evidence: str = ""
    field: str = "body"
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class Reject:
    source_path: str
    record: str  # line number, CSV row number or entry number, as text
    reason: str
