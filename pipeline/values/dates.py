"""Japanese date expressions as DATE mentions with ISO values, resolved against their context.

One regex reads a date head (2020年9月24日, 令和2年度, 10月末, 同日, 昨年12月, 2020/9/24, 24日), an
optional range tail (~14日, から9月14日), a weekday bracket, a contiguous time and 時点. Eras,
relative words and month parts (上旬, 末) are data in `models/values/dates_*.tsv`.

Resolution conventions (the gold contract's, plus the choices it leaves open):
- Year-less dates take the published year, or the previous year when the month lies more than six
  months after the published month; without `published` they take `reference_year`; with neither
  the mention is kept with `value=None` and `relative=True`.
- A bare day (24日) takes the month nearest a month-level date earlier in its sentence (8月10日に始め、
  14日に終えた), else the month nearest `published` (news days are days around publication), else
  the latest preceding date, else `anchor`.
- Anaphora (同日, 同月, 同年, 前日, 翌日, 前月, 翌月, 前年, 翌年) resolves against the latest
  preceding date of that granularity in the text, else `anchor`; a date that bounds a period
  (10日から, 25日以降) is passed over when another one is available, because 同日 names the day of an
  event. Deixis (今日, 昨年, 来月, ...) resolves against `published` only.
- `~` joins a range into one mention with `value_end` (9月10~14日); `から` is a particle, so
  9月10日から14日 gives two mentions, the second borrowing the year and month of the first.
- A bare day followed by a quantity is a rate (1日数千件), not a date.
- Fiscal years (2020年度, 2021年3月期) are `fiscal_year`: `value` is the year the fiscal year starts
  in, `value_end` its last day (2020年度 → 2020 / 2021-03-31, 2021年3月期 → 2020 / 2021-03-31).
- End parts carry their last day (10月末 → 2020-10-31, 2020年末 → 2020-12-31); 上旬/中旬/下旬 keep
  the month (10月上旬 → 2020-10).
- A weekday bracket is read but left out of `text` unless a time or 時点 follows it.
- Not dates: durations (3日間, 10年間), 4-digit "years" outside 1800-2199 (1000年に一度), decades
  (2020年代), quarters (4~6月期), comparisons (前年比, 前年同期), weeks (先週), N年前 / N日後, and a
  time with no date before it.
"""

from __future__ import annotations

import calendar
import csv
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pipeline.types import Mention
from pipeline.values.numbers import first_chars, parse_number

_MODELS = Path(__file__).resolve().parents[2] / "models" / "values"


def _rows(name: str) -> list[dict[str, str]]:
    with (_MODELS / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@dataclass(frozen=True, slots=True)
class _Rel:
    unit: str  # day | month | year
    base: str  # published (deixis) | anchor (anaphora)
    offset: int


ERAS = {r["era"]: int(r["first_year"]) for r in _rows("dates_eras.tsv")}
RELATIVE = {r["word"]: _Rel(r["unit"], r["base"], int(r["offset"])) for r in _rows("dates_relative.tsv")}
MONTH_PARTS = {r["suffix"]: r["granularity"] for r in _rows("dates_month_parts.tsv")}

_YEARS = range(1800, 2200)
_MONTH_LEVEL = frozenset({"day", "month", "end_of_month", "early_month", "mid_month", "late_month"})


def _alt(words: Iterable[str]) -> str:
    # Longest first, so 一昨年 wins over 昨年 and 末日 over 末.
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


def _rel_words(unit: str) -> str:
    return _alt(w for w, r in RELATIVE.items() if r.unit == unit)


_N2 = r"(?:\d{1,2}|[〇一二三四五六七八九十]{1,3})"  # month, day, hour, era year
_Y4 = r"(?:\d{4}|[〇一二三四五六七八九]{4})"  # 2020, 二〇二〇
# A numeral run after 1日 that is not an hour (1日数千件, 1日10万円): the day is a rate's denominator.
_NUM_CHARS = r"\d,〇一二三四五六七八九十百千万億数"
_QUANTITY_AFTER = rf"[{_NUM_CHARS}]+(?![{_NUM_CHARS}時:])"
# What follows a number that makes it a duration, an ordinal or a count rather than a date (3日間,
# 2020年代), and what makes a relative word a comparison base rather than a time (前年比, 前年同期).
_NOT_AFTER = {
    after: "|".join(re.escape(r["suffix"]) for r in _rows("dates_not_after.tsv") if r["after"] == after)
    for after in ("year", "month", "day", "relative")
}


def _core(p: str) -> str:
    """One date head; group names carry the prefix `p` so a range can hold two of them."""
    year = (
        rf"(?:(?P<{p}era>{_alt(ERAS)})(?P<{p}ey>元|{_N2})年"
        rf"|(?P<{p}y>{_Y4})年"
        rf"|(?P<{p}yy>\d{{2}})年(?=\d{{1,2}}[月~]|度)"  # 20年9月, 21年度: two-digit years need a month
        rf"|(?P<{p}ry>{_rel_words('year')}))"
    )
    month = rf"(?:(?P<{p}m>{_N2})(?:月|(?=~{_N2}月))|(?P<{p}rm>{_rel_words('month')}))"
    day = rf"(?P<{p}d>{_N2})(?:日|(?=~{_N2}日))"
    month_block = rf"{month}(?:(?P<{p}mp>{_alt(MONTH_PARTS)})|(?P<{p}ki>期)|{day}|(?!{_NOT_AFTER['month']}))"
    # Both parts are optional so that the month groups exist once; `_scan` drops an empty head.
    year_month = rf"(?:{year}(?:(?P<{p}fy>度)|(?P<{p}ye>末)|(?!{_NOT_AFTER['year']})))?(?:{month_block})?"
    iso = rf"(?P<{p}iy>\d{{4}})(?P<{p}sep>[-/.])(?P<{p}im>\d{{1,2}})(?P={p}sep)(?P<{p}id>\d{{1,2}})(?![\d.])"
    bare_day = rf"(?P<{p}bd>\d{{1,2}})(?:日|(?=~\d{{1,2}}日))(?!{_NOT_AFTER['day']}|{_QUANTITY_AFTER})"
    return rf"(?:{iso}|{bare_day}|(?P<{p}rd>{_rel_words('day')})|{year_month})"


_WEEKDAY = r"(?:\([月火水木金土日祝](?:・?[祝休])?\))"
_TIME = (
    rf"(?P<time> ?(?:(?P<ap>午前|午後)?(?P<h>{_N2})時(?:(?P<mi>{_N2})分|(?P<half>半))?"
    r"|(?P<hh>\d{1,2}):(?P<mm>\d{2})(?!\d)|(?P<noon>正午)))"
)
_DATE_RE = re.compile(
    r"(?<![\d〇一二三四五六七八九十百千万億.,約数第])"
    rf"(?P<a>{_core('a_')})(?:{_WEEKDAY}?(?P<sep>~|から|-)(?P<b>{_core('b_')}))?"
    rf"(?P<wd>{_WEEKDAY})?{_TIME}?(?P<tp>時点)?"
)
# Where a date head can begin: a digit, a kanji digit, an era or a relative word. `_DATE_RE` opens
# with optional groups, so the engine would try it at every character; scanning for this class
# first leaves it the few places where a date can start.
_DATE_START_RE = re.compile(rf"[\d〇一二三四五六七八九十{first_chars([*ERAS, *RELATIVE])}]")
_COMPARISON_RE = re.compile(_NOT_AFTER["relative"])
_SENTENCE_END_RE = re.compile(r"[。!?\n]")


@dataclass(frozen=True, slots=True)
class _Parts:
    granularity: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    rel: _Rel | None = None
    fiscal_end: bool = False  # 3月期: the year and month name the end of the fiscal year


def _int(s: str | None) -> int | None:
    value = parse_number(s) if s else None
    return int(value) if value is not None and value == int(value) else None


def _year(g: dict[str, str | None], p: str) -> int | None:
    if g[f"{p}era"]:
        n = 1 if g[f"{p}ey"] == "元" else _int(g[f"{p}ey"])
        return None if n is None else ERAS[g[f"{p}era"]] + n - 1  # type: ignore[index]
    if g[f"{p}y"] or g[f"{p}iy"]:
        y = _int(g[f"{p}y"] or g[f"{p}iy"])
        return y if y in _YEARS else None
    if g[f"{p}yy"]:
        yy = int(g[f"{p}yy"])  # type: ignore[arg-type]
        return (2000 if yy < 50 else 1900) + yy
    return None


def _granularity(g: dict[str, str | None], p: str) -> str:
    if g[f"{p}d"] or g[f"{p}bd"] or g[f"{p}rd"] or g[f"{p}id"]:
        return "day"
    if g[f"{p}mp"]:
        return MONTH_PARTS[g[f"{p}mp"]]  # type: ignore[index]
    if g[f"{p}fy"] or g[f"{p}ki"]:
        return "fiscal_year"
    if g[f"{p}m"] or g[f"{p}rm"]:
        return "month"
    return "end_of_year" if g[f"{p}ye"] else "year"


def _parts(g: dict[str, str | None], p: str) -> _Parts | None:
    """The written pieces of one date head, or None when a number is out of range."""
    rel_word = g[f"{p}ry"] or g[f"{p}rm"] or g[f"{p}rd"]
    year = _year(g, p)
    if year is None and (g[f"{p}y"] or g[f"{p}iy"] or g[f"{p}era"]):
        return None  # a year was written but is not a plausible one
    month = _int(g[f"{p}m"] or g[f"{p}im"])
    day = _int(g[f"{p}d"] or g[f"{p}bd"] or g[f"{p}id"])
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    if g[f"{p}ki"] and not (year or g[f"{p}ry"]):
        return None  # 4~6月期 is a quarter, 3月期 without a year is not placeable
    return _Parts(
        granularity=_granularity(g, p),
        year=year,
        month=month,
        day=day,
        rel=RELATIVE[rel_word] if rel_word else None,
        fiscal_end=bool(g[f"{p}ki"]),
    )


def _time(g: dict[str, str | None]) -> str | None:
    if g["noon"]:
        return "12:00"
    if g["hh"]:
        hour, minute = int(g["hh"]), int(g["mm"])  # type: ignore[arg-type]
    elif g["h"]:
        hour, minute = _int(g["h"]), 30 if g["half"] else _int(g["mi"]) if g["mi"] else 0
        if hour is not None and g["ap"] == "午後" and hour < 12:
            hour += 12
        elif hour == 12 and g["ap"] == "午前":
            hour = 0
    else:
        return None
    if hour is None or minute is None or hour > 24 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    head: _Parts
    tail: _Parts | None
    time: str | None
    time_point: bool
    boundary: bool = False  # followed by から / 以降 / まで: the date bounds a period
    joined: bool = False  # the tail of `Xから` + this: it borrows the year and month of X


_BOUNDARY_RE = re.compile(r"から|以降|以後|まで")


def _scan(text: str) -> Iterator[_Found]:
    """Every well-formed date expression in `text`, unresolved, in order."""
    pos = 0
    while (s := _DATE_START_RE.search(text, pos)) is not None:
        m = _DATE_RE.match(text, s.start())
        if m is None or not m["a"]:
            pos = s.start() + 1
            continue
        pos = m.end()
        g = m.groupdict()
        head = _parts(g, "a_")
        tail = _parts(g, "b_") if m["b"] else None
        if head is None or (m["b"] and (tail is None or tail.fiscal_end)):
            continue
        if head.rel and _COMPARISON_RE.match(text, m.end()):
            continue
        time = _time(g)
        core_end = m.end("b") if m["b"] else m.end("a")
        if m["time"] and time is None:  # an impossible hour (30時) is not part of the date
            end, time_point = core_end, False
        elif time or m["tp"]:
            end, time_point = m.end(), bool(m["tp"])
        else:
            end, time_point = core_end, False
        boundary = bool(_BOUNDARY_RE.match(text, end))
        if tail and m["sep"] == "から":
            yield _Found(m.start(), m.end("a"), head, None, None, False, boundary=True)
            yield _Found(m.start("b"), end, tail, None, time, time_point, boundary, joined=True)
        else:
            yield _Found(m.start(), end, head, tail, time, time_point, boundary)


# ---- resolution -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Seen:
    day: date  # representative day
    granularity: str
    boundary: bool
    sentence: int


@dataclass(slots=True)
class _Context:
    published: date | None
    reference_year: int | None
    anchor: date | None
    history: list[_Seen]  # resolved dates so far, in order


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    y, m = divmod(year * 12 + month - 1 + offset, 12)
    return y, m + 1


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _fiscal_year(d: date) -> int:
    return d.year if d.month >= 4 else d.year - 1


def _anaphor_base(unit: str, ctx: _Context) -> tuple[date, str] | None:
    fitting = [
        s
        for s in ctx.history
        if unit == "year" or (unit == "month" and s.granularity in _MONTH_LEVEL) or s.granularity == "day"
    ]
    events = [s for s in fitting if not s.boundary] or fitting
    if events:
        return events[-1].day, events[-1].granularity
    return (ctx.anchor, "day") if ctx.anchor else None


def _resolve_relative(parts: _Parts, ctx: _Context) -> tuple[int, int | None, int | None] | None:
    rel = parts.rel
    assert rel is not None
    if rel.base == "published":
        base = (ctx.published, "day") if ctx.published else None
    else:
        base = _anaphor_base(rel.unit, ctx)
    if base is None:
        return None
    ref, ref_gran = base
    if rel.unit == "day":
        d = ref + timedelta(days=rel.offset)
        return d.year, d.month, d.day
    if rel.unit == "month":
        y, m = _shift_month(ref.year, ref.month, rel.offset)
        return y, m, parts.day
    # 今年度 in February is the fiscal year that began the April before.
    fiscal = parts.granularity == "fiscal_year" and not parts.fiscal_end and ref_gran != "year"
    return (_fiscal_year(ref) if fiscal else ref.year) + rel.offset, parts.month, parts.day


def _nearest_month(day: int, around: date) -> tuple[int, int] | None:
    options = []
    for offset in (-1, 0, 1):
        y, m = _shift_month(around.year, around.month, offset)
        if day <= _last_day(y, m):
            options.append((abs((date(y, m, day) - around).days), offset, y, m))  # ties go to the past
    return min(options)[2:] if options else None


def _resolve(parts: _Parts, ctx: _Context, sentence: int = -1) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a date head, or None when its context does not place it."""
    if parts.rel:
        return _resolve_relative(parts, ctx)
    if parts.year is not None:
        return parts.year, parts.month, parts.day
    if parts.month is not None:
        if ctx.published:
            late = parts.month - ctx.published.month > 6
            return ctx.published.year - late, parts.month, parts.day
        return (ctx.reference_year, parts.month, parts.day) if ctx.reference_year else None
    month_level = [s for s in ctx.history if s.granularity in _MONTH_LEVEL]
    local = [s.day for s in month_level if s.sentence == sentence]
    earlier = [s.day for s in month_level]
    around = next((d for d in (*local[-1:], ctx.published, *earlier[-1:], ctx.anchor) if d), None)
    ym = _nearest_month(parts.day, around) if around and parts.day else None
    return (*ym, parts.day) if ym else None


def _fiscal_start(parts: _Parts, year: int, month: int | None) -> tuple[int, int]:
    if parts.fiscal_end and month is not None:
        return _shift_month(year, month, -11)
    return year, 4


def _value(parts: _Parts, ymd: tuple[int, int | None, int | None]) -> tuple[str, str | None, date] | None:
    """(ISO value, fiscal-year end, representative day) or None for an impossible date."""
    year, month, day = ymd
    gran = parts.granularity
    if gran == "fiscal_year":
        sy, sm = _fiscal_start(parts, year, month)
        ey, em = _shift_month(sy, sm, 11)
        return str(sy), date(ey, em, _last_day(ey, em)).isoformat(), date(sy, sm, 1)
    if gran == "year":
        return str(year), None, date(year, 1, 1)
    if gran == "end_of_year":
        return f"{year}-12-31", None, date(year, 12, 31)
    if month is None:  # a range tail such as 2020年~31日 names a day of no known month
        return None
    if gran == "day":
        if day is None or day > _last_day(year, month):
            return None
        return date(year, month, day).isoformat(), None, date(year, month, day)
    if gran == "end_of_month":
        last = date(year, month, _last_day(year, month))
        return last.isoformat(), None, last
    return f"{year:04d}-{month:02d}", None, date(year, month, 1)


def _tail(
    head: tuple[int, int | None, int | None], head_day: date, tail: _Parts, ctx: _Context
) -> tuple[str, str | None, date] | None:
    """The end of a range; the tail borrows the year and month it does not write from the head."""
    if tail.rel:  # 9月24日から翌月末: read against the head, which is already in the history
        ymd = _resolve(tail, ctx)
        return _value(tail, ymd) if ymd else None
    year, month, _ = head
    t_year = tail.year if tail.year is not None else year
    t_month = tail.month if tail.month is not None else month
    result = _value(tail, (t_year, t_month, tail.day))
    if result and tail.year is None and result[2] < head_day:  # 12月28日~1月5日 crosses a year
        result = _value(tail, (t_year + 1, t_month, tail.day))
    return result


def _day_fits(parts: _Parts) -> bool:
    # With no year known, 2月29日 is still possible; 2月30日 never is.
    return parts.day is None or parts.month is None or parts.day <= _last_day(2000, parts.month)


def tag_dates(
    text: str,
    published: date | None = None,
    reference_year: int | None = None,
    anchor: date | None = None,
) -> list[Mention]:
    """DATE mentions of `text` in order, resolved against the published date and the text's own dates.

    `reference_year` places year-less dates when `published` is unknown; `anchor` is the date 同日 /
    翌日 refer to when no date precedes them in `text` (the caller passes the previous field's last).
    """
    ctx = _Context(published, reference_year, anchor, [])
    sentence_ends = [m.end() for m in _SENTENCE_END_RE.finditer(text)]
    mentions: list[Mention] = []
    previous: tuple[tuple[int, int | None, int | None], date] | None = None  # the last head placed
    for found in _scan(text):
        head = found.head
        if not _day_fits(head):
            continue
        sentence = bisect_right(sentence_ends, found.start)
        if found.joined and previous:
            ymd, resolved = previous[0], _tail(*previous, head, ctx)
        else:
            ymd = _resolve(head, ctx, sentence)
            resolved = _value(head, ymd) if ymd else None
        previous = None
        value = value_end = None
        if ymd is not None:
            if resolved is None:
                continue
            value, value_end, day = resolved
            ctx.history.append(_Seen(day, head.granularity, found.boundary, sentence))
            previous = (ymd, day)
            if found.tail:
                end = _tail(ymd, day, found.tail, ctx)
                # A fiscal-year tail (2020~2022年度) ends on the last day of that fiscal year.
                value_end = (end[1] or end[0]) if end else None
        mentions.append(
            Mention(
                start=found.start,
                end=found.end,
                text=text[found.start : found.end],
                type="DATE",
                value=value,
                granularity=head.granularity,
                time=found.time,
                time_point=found.time_point,
                relative=head.rel is not None or value is None,
                value_end=value_end,
            )
        )
    return mentions


def reference_year(text: str) -> int | None:
    """The year of the first date in `text` that writes a year plus a month or day (not 2019年 alone)."""
    for found in _scan(text):
        head = found.head
        if head.year is not None and head.month is not None and head.granularity != "fiscal_year":
            return head.year
    return None


def last_date(mentions: list[Mention]) -> date | None:
    """The last mention that names a single day: the `anchor` for the next field's 同日."""
    for m in reversed(mentions):
        if m.value and m.granularity == "day":
            return date.fromisoformat(m.value)
    return None
