"""Japanese date expressions as DATE mentions with ISO values, resolved against their context.

One regex reads a date head (2020年9月24日, 令和2年度, R3.7.18, 10月末, 同日, 昨年12月, 2021・7・18,
5月の21日, 24日), an optional range or list tail (~14日, から9月14日, ・15日), a weekday bracket, a
contiguous time and 時点/現在. A second one reads the dates that name no month and day: weekdays
(先週の日曜日, 今月の第1金曜日), holidays (父の日, 来年の元旦) and offsets (3週間後, 昨日の2日前).
Eras, relative words, month parts (上旬, 末), holidays and future markers are data in
`models/values/dates_*.tsv`.

Resolution conventions (the news gold's `NEWS.md`, plus the choices it leaves open):
- Year-less dates take the published year, or the previous year when the month lies more than six
  months after the published month; without `published` they take `reference_year`; with neither
  the mention is kept with `value=None` and `relative=True`.
- A bare day (24日) takes the month written before it in its sentence (12月から…19日), or the month
  nearest a day written there (9月30日に受け付け、2日に締め切った → 10-02); else the month nearest
  `published`, or the next one on or after it when its sentence speaks of what is to come (予定,
  方針, 〜へ); else the latest preceding date, else `anchor`.
- Anaphora (同日, 同月, 同年, 前日, 翌日, 即日, ...) resolves against the latest preceding date of that
  granularity in the text, else `anchor`, else `published`; a date that bounds a period (10日から,
  25日以降) is passed over when another one is available, because 同日 names the day of an event.
  Deixis (今日, 昨年, 来月, 来春, 年内, ...) resolves against `published` only.
- Weeks run Monday to Sunday; a bare weekday is the latest on or before `published` (the next one
  when the text looks ahead). Offsets count from their base word (昨日の2日前), else from a day
  written earlier in the sentence (21日に搬送され、2日後に死亡), else from `published`.
- `~` joins a range into one mention with `value_end` (9月10~14日); `から`, `-` and `・` give two
  mentions (9月10日から14日, 3月8・9日), the second borrowing the year and month of the first.
- A bare day followed by a quantity is a rate (1日数千件), not a date.
- Fiscal years (2020年度) are `fiscal_year`: `value` is the year the fiscal year starts in,
  `value_end` its last day (2020年度 → 2020 / 2021-03-31). A fiscal period named by its last month
  (2009年3月期) is `fiscal_period` with that month as `value` and its last day as `value_end`.
- End parts carry their last day (10月末 → 2020-10-31, 2020年末 → 2020-12-31); 上旬/中旬/下旬 keep
  the month (10月上旬 → 2020-10).
- A weekday bracket is read but left out of `text` unless a time or 時点 follows it.
- Not dates: durations (3日間, 10年間, 懲役1年6月, 2日から3日程度), bare 4-digit "years" outside
  1800-2199 (1000年に一度; with a month, 1391年12月5日 is a date), decades (2020年代), quarters
  (4~6月期), comparisons (前年比, 前年同期), vague offsets (数日前), and a time with no date before it.
"""

from __future__ import annotations

import calendar
import csv
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
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
# Latin era initials (R3年, H31.4.30) only where no letter precedes them.
_ERA = "|".join(
    [_alt(e for e in ERAS if not e.isascii()), *(rf"(?<![A-Za-z]){e}" for e in ERAS if e.isascii())]
)
_JOIN = r"[~・-]"
_KD = "〇一二三四五六七八九"
_Y4 = rf"(?:\d{{4}}|[{_KD}]{{4}}|[{_KD}]{{2}}十[{_KD[1:]}]?)"  # 2020, 二〇二〇, 二〇十九
# The old names of January and December, read as months only before a day (正月の3日).
_MONTH_NAMES = {"正月": 1, "師走": 12}
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
        rf"(?P<{p}yr>(?P<{p}era>{_ERA})(?P<{p}ey>元|{_N2})年"
        rf"|(?P<{p}y>{_Y4})年"
        rf"|(?P<{p}yy>\d{{2}})年(?=\d{{1,2}}[月~]|度)"  # 20年9月, 21年度: two-digit years need a month
        rf"|(?P<{p}ry>{_rel_words('year')}))"
    )
    # 9~10月, 5-8月, 14・15日: the first of a range or list borrows the unit of the second.
    month = (
        rf"(?:(?P<{p}m>{_N2})(?:月|(?={_JOIN}{_N2}月))|(?P<{p}rm>{_rel_words('month')})"
        rf"|(?P<{p}mn>{_alt(_MONTH_NAMES)})(?=の?{_N2}日))"
    )
    day = rf"(?P<{p}d>{_N2})(?:日|(?={_JOIN}{_N2}日))"
    # 5月の21日, 今月の27日: の may join a month and its day.
    month_block = (
        rf"{month}(?:(?P<{p}mp>{_alt(MONTH_PARTS)})|(?P<{p}ki>期)|の?{day}|(?!{_NOT_AFTER['month']}))"
    )
    # Both parts are optional so that the month groups exist once; `_scan` drops an empty head.
    # 2011年の4月: の may join a year and its month.
    year_month = (
        rf"(?:{year}(?:(?P<{p}fy>度)|(?P<{p}ye>末)|(?!{_NOT_AFTER['year']})))?(?:(?({p}yr)の?){month_block})?"
    )
    # 2021/7/18, 2021・7・18, 令和3/7/18, R3.7.18: numeric dates with one separator throughout.
    iso = (
        rf"(?:(?P<{p}iera>{_ERA})(?P<{p}iey>\d{{1,2}})|(?P<{p}iy>\d{{4}}))(?P<{p}sep>[-/.・,])"
        rf"(?P<{p}im>\d{{1,2}})(?P={p}sep)(?P<{p}id>\d{{1,2}})(?![\d.])"
        # 02/22/2016 and 4/22 in the American order; 13.5.2015 and 3-7-2017 in the European one. A
        # year-less 4/22 is also how fractions and page numbers are written, so it needs a weekday
        # or a particle of time after it (9/13(土), 4/22から).
        rf"|(?P<{p}wm>\d{{1,2}})/(?P<{p}wd>\d{{1,2}})"
        rf"(?:[/,](?P<{p}wy>\d{{4}})|(?![\d/.,])(?=\([月火水木金土日]|に(?![減増縮])|から|まで|付|以降))"
        rf"|(?P<{p}ed>\d{{1,2}})(?P<{p}esep>[.-])(?P<{p}em>\d{{1,2}})(?P={p}esep)(?P<{p}euy>\d{{4}})(?![\d.])"
    )
    # 二十二日 as well as 22日, but not 一日 ("one day", 一日も早く).
    kanji_day = r"(?!一日)[〇一二三四五六七八九十]{1,3}(?=日(?![市町村月]))"  # not 四日市, 三日月
    bare_day = (
        rf"(?P<{p}bd>\d{{1,2}}|{kanji_day})(?:日|(?={_JOIN}\d{{1,2}}日))"
        rf"(?!{_NOT_AFTER['day']}|{_QUANTITY_AFTER})"
    )
    return rf"(?:{iso}|{bare_day}|(?P<{p}rd>{_rel_words('day')})|{year_month})"


_WEEKDAY = r"(?:\([月火水木金土日祝](?:・?[祝休])?\))"
_TIME = (
    rf"(?P<time> ?(?:(?P<ap>午前|午後)?(?P<h>{_N2})時(?:(?P<mi>{_N2})分|(?P<half>半))?"
    r"|(?P<hh>\d{1,2}):(?P<mm>\d{2})(?!\d)|(?P<noon>正午)))"
)
_DATE_RE = re.compile(
    # 懲役1年6月: a month after a count of years is a duration.
    r"(?<![\d〇一二三四五六七八九十百千万億.,約数第])(?<!\d年)(?<![〇一二三四五六七八九十]年)"
    rf"(?P<a>{_core('a_')})(?:{_WEEKDAY}?(?P<sep>~|から|-|・)(?P<b>{_core('b_')}))?"
    rf"(?P<wd>{_WEEKDAY})?(?:の?{_TIME})?(?P<tp>時点|現在)?"
)
# Where a date head can begin: a digit, a kanji digit, an era or a relative word. `_DATE_RE` opens
# with optional groups, so the engine would try it at every character; scanning for this class
# first leaves it the few places where a date can start.
_DATE_START_RE = re.compile(rf"[\d〇一二三四五六七八九十{first_chars([*ERAS, *RELATIVE])}]")
_COMPARISON_RE = re.compile(_NOT_AFTER["relative"])
# 2日から3日程度かかる: a span of days whose far end is a duration, so the near end is one too.
_DURATION_RANGE_RE = re.compile(rf"(?:~|から){_N2}日(?:{_NOT_AFTER['day']})")
_SENTENCE_END_RE = re.compile(r"[。!?\n]")


@dataclass(frozen=True, slots=True)
class _Parts:
    granularity: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    rel: _Rel | None = None
    fiscal_end: bool = False  # 3月期: the year and month name the end of the fiscal year
    weekday: int | None = None  # 0 = Monday
    week: int | None = None  # 先週の / 今週の / 来週の: weeks from the week of publication
    nth: int | None = None  # 第1金曜日; -1 for the last
    solar: float | None = None  # 春分の日: the constant of a solar term, whose day moves with the year
    offset: tuple[int, int, int] | None = None  # 2年1か月21日前: (years, months, days), signed
    base: _Rel | None = None  # the day an offset counts from (昨日の2日前), else the context's


def _int(s: str | None) -> int | None:
    value = parse_number(s) if s else None
    return int(value) if value is not None and value == int(value) else None


def _year_number(s: str) -> int | None:
    # 二〇十九: two digits of the century, then the year within it as a numeral.
    if len(s) > 2 and s[2] == "十":
        century, rest = _int(s[:2]), _int(s[2:])
        return None if century is None or rest is None else century * 100 + rest
    return _int(s)


def _year(g: dict[str, str | None], p: str) -> int | None:
    era, era_year = g[f"{p}era"] or g[f"{p}iera"], g[f"{p}ey"] or g[f"{p}iey"]
    if era:
        n = 1 if era_year == "元" else _int(era_year)
        return None if n is None else ERAS[era] + n - 1
    if written := g[f"{p}y"] or g[f"{p}iy"] or g[f"{p}wy"] or g[f"{p}euy"]:
        y = _year_number(written)
        # A year with its month (1391年12月5日) is a date whatever the year; a bare one is a count
        # of years (1000年に一度) outside the years news dates fall in.
        month_written = g[f"{p}m"] or g[f"{p}im"] or g[f"{p}wm"] or g[f"{p}em"]
        return y if y in _YEARS or (y and month_written and y >= 1000) else None
    if g[f"{p}yy"]:
        yy = int(g[f"{p}yy"])  # type: ignore[arg-type]
        return (2000 if yy < 50 else 1900) + yy
    return None


def _granularity(g: dict[str, str | None], p: str) -> str:
    if any(g[f"{p}{k}"] for k in ("d", "bd", "rd", "id", "wd", "ed")):
        return "day"
    if g[f"{p}mp"]:
        return MONTH_PARTS[g[f"{p}mp"]]  # type: ignore[index]
    if g[f"{p}ki"]:
        return "fiscal_period"
    if g[f"{p}fy"]:
        return "fiscal_year"
    if g[f"{p}m"] or g[f"{p}rm"] or g[f"{p}mn"]:
        return "month"
    return "end_of_year" if g[f"{p}ye"] else "year"


def _parts(g: dict[str, str | None], p: str) -> _Parts | None:
    """The written pieces of one date head, or None when a number is out of range."""
    rel_word = g[f"{p}ry"] or g[f"{p}rm"] or g[f"{p}rd"]
    year = _year(g, p)
    if year is None and any(g[f"{p}{k}"] for k in ("y", "iy", "wy", "euy", "era", "iera")):
        return None  # a year was written but is not a plausible one
    month = _MONTH_NAMES.get(g[f"{p}mn"] or "") or _int(
        g[f"{p}m"] or g[f"{p}im"] or g[f"{p}wm"] or g[f"{p}em"]
    )
    day = _int(g[f"{p}d"] or g[f"{p}bd"] or g[f"{p}id"] or g[f"{p}wd"] or g[f"{p}ed"])
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    if g[f"{p}ki"] and year is None and not g[f"{p}ry"]:
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
# Words after a date, in its sentence, that say it lies ahead of publication (予定, 方針, 〜へ).
_FUTURE_RE = re.compile(
    "|".join([*map(re.escape, (r["marker"] for r in _rows("dates_future.tsv"))), r"へ(?=[。、\n]|$)"])
)
# …する方針を明らかにした, …の予定だった: a sentence that ends in the past reports, whatever it plans.
_PAST_END_RE = re.compile(r"た[」』)]*[。!?]?\s*$")


def _speaks_ahead(text: str, start: int, end: int) -> bool:
    return _FUTURE_RE.search(text, start, end) is not None and not _PAST_END_RE.search(text[start:end])


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
        if not m["b"] and _DURATION_RANGE_RE.match(text, m.end("a")):
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
        if tail and m["sep"] != "~":
            # から is a particle, - and ・ list or span two dates: two mentions either way.
            yield _Found(m.start(), m.end("a"), head, None, None, False, boundary=m["sep"] == "から")
            yield _Found(m.start("b"), end, tail, None, time, time_point, boundary, joined=True)
        else:
            yield _Found(m.start(), end, head, tail, time, time_point, boundary)


_WEEKDAYS = "月火水木金土日"
_WEEK_WORDS = {
    "先々週": -2,
    "先週": -1,
    "前週": -1,
    "今週": 0,
    "この": 0,
    "来週": 1,
    "翌週": 1,
    "次週": 1,
    "次の": 1,
    "再来週": 2,
}
_HOLIDAYS = {
    r["name"]: (int(r["month"]), int(r["day"]) if r["day"] else None, r["weekday"], int(r["nth"] or 0))
    for r in _rows("dates_holidays.tsv")
}
_SOLAR = {r["name"]: float(r["solar"]) for r in _rows("dates_holidays.tsv") if r["solar"]}
_NTH = {"最初": 1, "最後": -1}
_DURATION_UNITS = {
    "年": "y",
    "か月": "m",
    "カ月": "m",
    "ヶ月": "m",
    "ヵ月": "m",
    "ケ月": "m",
    "箇月": "m",
    "週間": "w",
    "日": "d",
}
_OFFSET_BASES = {
    "今": "今日",
    **{w: w for w, r in RELATIVE.items() if r.unit == "day" and r.base == "published"},
}
_N3 = r"(?:\d{1,3}|[〇一二三四五六七八九十百]{1,4})"
_PIECE = rf"(?:(?:{_N3})(?:{_alt(_DURATION_UNITS)})|(?:ひと|ふた|一|二)月)"
_PIECE_RE = re.compile(rf"(?P<n>{_N3}|ひと|ふた|一|二)(?P<u>{_alt(_DURATION_UNITS)}|月)")
_YEAR_PREFIX = rf"(?:(?P<hy>\d{{4}})年|(?P<hry>{_rel_words('year')}))の?"
_MONTH_PREFIX = rf"(?:(?P<wm>{_N2})月|(?P<wrm>{_rel_words('month')}))の?"
_EXTRA_RE = re.compile(
    r"(?<![\d〇一二三四五六七八九十百千万億.,約数第~・-])(?:"
    # 先週の日曜日, 今月の第1金曜日, 来月の最初の金曜日, 金曜日
    rf"(?:(?P<week>{_alt(_WEEK_WORDS)})の?|(?:{_MONTH_PREFIX})?(?:第(?P<nth>[1-5一二三四五])の?|(?P<nthw>最初|最後)の))?"
    rf"(?P<wday>[{_WEEKDAYS}])曜日?"
    # 2015年の父の日, 来年の元旦, クリスマスの日
    rf"|(?:{_YEAR_PREFIX})?(?P<hol>{_alt(_HOLIDAYS)})(?:の日)?"
    # 2週間後, 1か月と21日前, 昨日の2日前, 今日から二日で
    rf"|(?:(?P<obase>{_alt(_OFFSET_BASES)})(?P<ojoin>から|の))?"
    rf"(?P<dur>{_PIECE}(?:と?{_PIECE}){{0,3}})(?P<dir>前|後|(?(ojoin)で|(?!)))"
    r")"
)
_EXTRA_START_RE = re.compile(
    rf"[\d〇一二三四五六七八九十百ひふ{_WEEKDAYS}"
    rf"{first_chars([*_WEEK_WORDS, *_HOLIDAYS, *_OFFSET_BASES, *RELATIVE, '最初', '最後', '第'])}]"
)


def _offset(duration: str, sign: int) -> tuple[int, int, int] | None:
    years = months = days = 0
    for piece in _PIECE_RE.finditer(duration):
        n = {"ひと": 1, "ふた": 2}.get(piece["n"]) or _int(piece["n"])
        if n is None:
            return None
        unit = "m" if piece["u"] == "月" else _DURATION_UNITS[piece["u"]]
        if unit == "y":
            years += n
        elif unit == "m":
            months += n
        else:
            days += n * (7 if unit == "w" else 1)
    return sign * years, sign * months, sign * days


def _extra_parts(m: re.Match[str]) -> _Parts | None:
    g = m.groupdict()
    if g["wday"]:
        nth = _NTH.get(g["nthw"] or "") or _int(g["nth"])
        rel_month = RELATIVE.get(g["wrm"] or "")
        return _Parts(
            "day",
            month=_int(g["wm"]),
            rel=rel_month,
            weekday=_WEEKDAYS.index(g["wday"]),
            week=_WEEK_WORDS.get(g["week"] or ""),
            nth=nth if (nth or g["wm"] or g["wrm"]) else None,
        )
    if g["hol"]:
        month, day, weekday, nth = _HOLIDAYS[g["hol"]]
        return _Parts(
            "day",
            year=_int(g["hy"]),
            month=month,
            day=day,
            rel=RELATIVE.get(g["hry"] or ""),
            weekday=_WEEKDAYS.index(weekday) if weekday else None,
            nth=nth or None,
            solar=_SOLAR.get(g["hol"]),
        )
    offset = _offset(g["dur"], -1 if g["dir"] == "前" else 1)
    if offset is None:
        return None
    base = RELATIVE[_OFFSET_BASES[g["obase"]]] if g["obase"] else None
    return _Parts("day", offset=offset, base=base)


def _scan_extra(text: str) -> Iterator[tuple[re.Match[str], _Parts]]:
    """Weekdays, holidays and offsets from a day: the dates that name no month and day."""
    pos = 0
    while (s := _EXTRA_START_RE.search(text, pos)) is not None:
        m = _EXTRA_RE.match(text, s.start())
        if m is None:
            pos = s.start() + 1
            continue
        pos = m.end()
        parts = _extra_parts(m)
        if parts is not None:
            yield m, parts


def _scan_all(text: str) -> list[_Found]:
    """`_scan` and `_scan_extra` merged; where two overlap, the longer wins (今日から2日後)."""
    found = [*_scan(text)]
    found += [_Found(m.start(), m.end(), p, None, None, False) for m, p in _scan_extra(text)]
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[_Found] = []
    for f in found:
        if kept and f.start < kept[-1].end:
            if f.end - f.start > kept[-1].end - kept[-1].start and not kept[-1].joined:
                kept[-1] = f
            continue
        kept.append(f)
    return kept


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
    # 前日 with no date before it in the text: the day before publication.
    fallback = ctx.anchor or ctx.published
    return (fallback, "day") if fallback else None


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
    fiscal = parts.granularity == "fiscal_year" and ref_gran != "year"
    return (_fiscal_year(ref) if fiscal else ref.year) + rel.offset, parts.month, parts.day


def _nearest_month(day: int, around: date) -> tuple[int, int] | None:
    options = []
    for offset in (-1, 0, 1):
        y, m = _shift_month(around.year, around.month, offset)
        if day <= _last_day(y, m):
            options.append((abs((date(y, m, day) - around).days), offset, y, m))  # ties go to the past
    return min(options)[2:] if options else None


def _around_published(day: int, published: date, future: bool) -> tuple[int, int] | None:
    """The month that puts `day` nearest `published`, or on or after it when the text speaks of
    what is to come (予定, 〜へ)."""
    if not future:
        return _nearest_month(day, published)
    for offset in (0, 1):
        y, m = _shift_month(published.year, published.month, offset)
        if day <= _last_day(y, m) and date(y, m, day) >= published:
            return y, m
    return None


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> tuple[int, int, int] | None:
    if nth < 0:
        last = date(year, month, _last_day(year, month))
        d = last - timedelta(days=(last.weekday() - weekday) % 7)
    else:
        first = date(year, month, 1)
        d = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return (d.year, d.month, d.day) if d.month == month else None


def _resolve_weekday(
    parts: _Parts, ctx: _Context, sentence: int, future: bool
) -> tuple[int, int, int] | None:
    assert parts.weekday is not None
    if parts.nth is not None and parts.month is None and parts.rel is None:  # 第1日曜日: this month's
        if ctx.published is None:
            return None
        return _nth_weekday(ctx.published.year, ctx.published.month, parts.weekday, parts.nth)
    if parts.nth is not None:  # 今月の第1金曜日, 母の日: the nth weekday of a month
        month = _resolve(replace(parts, granularity="month", weekday=None, nth=None), ctx, sentence, future)
        if month is None or month[1] is None:
            return None
        return _nth_weekday(month[0], month[1], parts.weekday, parts.nth)
    ref = ctx.published
    if ref is None:
        return None
    if parts.week is not None:  # weeks run Monday to Sunday
        d = ref + timedelta(days=parts.weekday - ref.weekday(), weeks=parts.week)
    else:  # a bare weekday is the latest one, or the next one when the text looks ahead
        back = (ref.weekday() - parts.weekday) % 7
        d = ref - timedelta(days=back) + timedelta(days=7 if future and back else 0)
    return d.year, d.month, d.day


def _resolve_solar(parts: _Parts, ctx: _Context, sentence: int, future: bool) -> tuple[int, int, int] | None:
    """A solar term's day (春分の日), by the usual approximation valid for 2000-2099."""
    assert parts.solar is not None and parts.month is not None
    month = _resolve(replace(parts, granularity="month", solar=None, day=None), ctx, sentence, future)
    if month is None or not 2000 <= month[0] <= 2099:
        return None
    yy = month[0] % 100
    return month[0], parts.month, int(yy * 0.2422 + parts.solar) - yy // 4


def _resolve_offset(parts: _Parts, ctx: _Context, sentence: int) -> tuple[int, int, int] | None:
    """2日前, 昨日の2日前: from the base word, else from a day earlier in the sentence (21日に搬送され、
    2日後に死亡), else from publication."""
    assert parts.offset is not None
    if parts.base:
        ymd = _resolve_relative(_Parts("day", rel=parts.base), ctx)
        base = date(*ymd) if ymd and ymd[1] and ymd[2] else None  # type: ignore[arg-type]
    else:
        local = [s.day for s in ctx.history if s.sentence == sentence and s.granularity == "day"]
        base = local[-1] if local else ctx.published
    if base is None:
        return None
    years, months, days = parts.offset
    y, m = _shift_month(base.year, base.month, years * 12 + months)
    d = date(y, m, min(base.day, _last_day(y, m))) + timedelta(days=days)
    return d.year, d.month, d.day


def _resolve(
    parts: _Parts, ctx: _Context, sentence: int = -1, future: bool = False
) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a date head, or None when its context does not place it."""
    if parts.offset is not None:
        return _resolve_offset(parts, ctx, sentence)
    if parts.weekday is not None:
        return _resolve_weekday(parts, ctx, sentence, future)
    if parts.solar is not None:
        return _resolve_solar(parts, ctx, sentence, future)
    if parts.rel:
        return _resolve_relative(parts, ctx)
    if parts.year is not None:
        return parts.year, parts.month, parts.day
    if parts.month is not None:
        if ctx.published:
            late = parts.month - ctx.published.month > 6
            return ctx.published.year - late, parts.month, parts.day
        return (ctx.reference_year, parts.month, parts.day) if ctx.reference_year else None
    if parts.day is None:
        return None
    month_level = [s for s in ctx.history if s.granularity in _MONTH_LEVEL]
    local = [s for s in month_level if s.sentence == sentence]
    if local and local[-1].granularity != "day":  # 12月から…19日: the month written before it
        return local[-1].day.year, local[-1].day.month, parts.day
    if not local and ctx.published:
        ym = _around_published(parts.day, ctx.published, future)
        return (*ym, parts.day) if ym else None
    earlier = [s.day for s in month_level]
    around = next((d for d in (*[s.day for s in local[-1:]], *earlier[-1:], ctx.anchor) if d), None)
    ym = _nearest_month(parts.day, around) if around else None
    return (*ym, parts.day) if ym else None


def _value(parts: _Parts, ymd: tuple[int, int | None, int | None]) -> tuple[str, str | None, date] | None:
    """(ISO value, fiscal-year end, representative day) or None for an impossible date."""
    year, month, day = ymd
    gran = parts.granularity
    if gran == "fiscal_year":
        ey, em = _shift_month(year, 4, 11)
        return str(year), date(ey, em, _last_day(ey, em)).isoformat(), date(year, 4, 1)
    if gran == "fiscal_period" and month is not None:
        # 2009年3月期 is the twelve months ending in March 2009, named by its last month.
        sy, sm = _shift_month(year, month, -11)
        last = date(year, month, _last_day(year, month))
        return f"{year:04d}-{month:02d}", last.isoformat(), date(sy, sm, 1)
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
    for found in _scan_all(text):
        head = found.head
        if not _day_fits(head):
            continue
        sentence = bisect_right(sentence_ends, found.start)
        if found.joined and previous:
            ymd, resolved = previous[0], _tail(*previous, head, ctx)
        else:
            sentence_end = sentence_ends[sentence] if sentence < len(sentence_ends) else len(text)
            future = _speaks_ahead(text, found.end, sentence_end)
            ymd = _resolve(head, ctx, sentence, future)
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
                relative=value is None or any(x is not None for x in (head.rel, head.offset, head.weekday)),
                value_end=value_end,
            )
        )
    return mentions


def reference_year(text: str) -> int | None:
    """The year of the first date in `text` that writes a year plus a month or day (not 2019年 alone)."""
    for found in _scan(text):
        head = found.head
        if head.year is not None and head.month is not None and not head.granularity.startswith("fiscal"):
            return head.year
    return None


def last_date(mentions: list[Mention]) -> date | None:
    """The last mention that names a single day: the `anchor` for the next field's 同日."""
    for m in reversed(mentions):
        if m.value and m.granularity == "day":
            return date.fromisoformat(m.value)
    return None
