"""Successive reported figures per organization, across articles, and the points their chart draws
(drawn by `pipeline.chart`).

A damage figure grows as an incident unfolds (109件 → 約380件); the timeline lines the reports up
in date order so the growth can be read, and every row keeps the article and evidence it came from.
"""

from __future__ import annotations

import pandas as pd

from pipeline.tables import TIMELINE_SCHEMA, coerce

# A series is one organization's reports of one kind; the damage roles (suspected, prevented, ...)
# are separate series because a prevented amount is not the next figure of the damage.
SERIES = ["org", "event_type", "role"]
_FIGURES = ("amount_jpy", "amount_min_jpy", "amount_max_jpy", "count")
# A report: a timeline row before its step, with the offset that orders reports of one article.
REPORT_SCHEMA = {**{c: t for c, t in TIMELINE_SCHEMA.items() if c != "step"}, "start": "Int64"}
REPORT_COLUMNS = tuple(REPORT_SCHEMA)
# The columns of the events that `reports` reads.
EVENT_COLUMNS = (*(c for c in REPORT_COLUMNS if c != "date_source"),)

_YEN_UNITS = ((10**12, "兆"), (10**8, "億"), (10**4, "万"))
_PREFIX = {"approx": "約"}
_SUFFIX = {"over": "超", "under": "未満", "at_least": "以上", "at_most": "以下"}


def build_timeline(events: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per reported figure or dated event, numbered by `step` in date order per series.

    The date is the event's own date, else the article's published date (`date_source` says
    which); undated reports sort after the dated ones of their series. Damage rows are kept only
    when they carry a figure; events without an organization have no series and are left out.
    """
    return number_steps(reports(events, articles))


def reports(events: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The events that enter the timeline, dated (`date_source`), in `REPORT_COLUMNS`.

    Row by row: the reports of all articles are those of each batch of articles put together.
    """
    published = articles.set_index("article_id")["published"]
    ev = events[events["org"].notna()].copy()
    has_figure = ev[list(_FIGURES)].notna().any(axis=1)
    ev = ev[(ev["event_type"] != "damage") | has_figure]
    reported = ev["article_id"].map(published).astype(ev["date"].dtype)
    ev["date_source"] = "none"
    ev.loc[reported.notna(), "date_source"] = "published"
    ev.loc[ev["date"].notna(), "date_source"] = "event"
    ev["date"] = ev["date"].fillna(reported)
    return coerce(ev[list(REPORT_COLUMNS)].reset_index(drop=True), REPORT_SCHEMA)


def number_steps(reports: pd.DataFrame) -> pd.DataFrame:
    """The timeline of some organizations' whole `reports`: in date order per series, repeats of a
    damage figure dropped, `step` numbered. Organizations are independent: the timelines of groups
    of organizations, taken in the order of their names, put together are the timeline of all."""
    ev = reports.sort_values(
        [*SERIES, "date", "as_of", "article_id", "start"], na_position="last", kind="stable"
    )
    # The same figure reported again (a wire story and its follow-up) is not a new step.
    repeated = ev.duplicated([*SERIES, "date", "as_of", *_FIGURES, "amount_qualifier", "count_unit"])
    ev = ev[~(repeated & (ev["event_type"] == "damage"))].copy()
    ev["step"] = ev.groupby(SERIES, dropna=False, observed=True).cumcount() + 1
    return coerce(ev[list(TIMELINE_SCHEMA)].reset_index(drop=True), TIMELINE_SCHEMA)


def format_yen(amount: int) -> str:
    """18110000 → 1811万円, 120000000 → 1億2000万円: the way a Japanese reader writes yen."""
    parts, rest = [], int(amount)
    for size, name in _YEN_UNITS:
        whole, rest = divmod(rest, size)
        if whole:
            parts.append(f"{whole}{name}")
    if rest or not parts:
        parts.append(str(rest))
    return "".join(parts) + "円"


def yen_label(amount: object, qualifier: object = None, low: object = None, high: object = None) -> str:
    """The figure as a reader would write it: 約6000万円, 2200万円超, 10万円～99万円."""
    if pd.isna(amount):
        if pd.isna(low) or pd.isna(high):
            return ""
        return f"{format_yen(low)}～{format_yen(high)}"
    q = "" if pd.isna(qualifier) else str(qualifier)
    return f"{_PREFIX.get(q, '')}{format_yen(amount)}{_SUFFIX.get(q, '')}"


def actual_damage(timeline: pd.DataFrame) -> pd.DataFrame:
    """The damage series proper: not the suspected, prevented or possible amounts."""
    return timeline[(timeline["event_type"] == "damage") & (timeline["role"].fillna("damage") == "damage")]


# What the chart draws: the few organizations with the largest damage, labels while they stay legible.
MAX_ORGS = 10
MAX_LABELS = 60
_POINT_COLUMNS = ["org", "x", "yen", "label"]  # what is drawn, all a daily point keeps


def _damage_points(timeline: pd.DataFrame) -> pd.DataFrame:
    """Actual damage in yen; a vague amount is drawn at the middle of its bounds."""
    t = actual_damage(timeline)
    mid = (t["amount_min_jpy"] + t["amount_max_jpy"]) // 2
    t = t.assign(yen=t["amount_jpy"].fillna(mid))
    t = t[t["yen"].notna()]
    cols = ["amount_jpy", "amount_qualifier", "amount_min_jpy", "amount_max_jpy"]
    labels = [yen_label(*r) for r in t[cols].itertuples(index=False)]
    return t.assign(label=labels, x=pd.to_datetime(t["date"].astype("datetime64[ms]")))


def daily_damage(timeline: pd.DataFrame) -> pd.DataFrame:
    """Per organization and date (one undated point per organization), the largest damage reported
    that day, with its label. Organizations are independent: the points of groups of organizations
    put together are the points of all, so an archive's timeline can be reduced a group at a time."""
    points = _damage_points(timeline)
    return points.loc[points.groupby(["org", "x"], dropna=False)["yen"].idxmax(), _POINT_COLUMNS]


def chart_points(timeline: pd.DataFrame, max_orgs: int = MAX_ORGS) -> pd.DataFrame:
    """What the chart draws: `daily_damage` for the `max_orgs` organizations with the largest damage,
    so that the chart costs the same for a year of news as for a week; `labelled` marks the points
    that get a text label: all of them while they stay legible, else each organization's largest.
    """
    return select_points(daily_damage(timeline), max_orgs)


def select_points(daily: pd.DataFrame, max_orgs: int = MAX_ORGS) -> pd.DataFrame:
    """`chart_points` from the `daily_damage` points of every organization."""
    daily = daily.reset_index(drop=True)
    largest = daily.groupby("org")["yen"].max().nlargest(max_orgs).index
    points = daily[daily["org"].isin(largest)]
    largest_each = points.groupby(["org", points["x"].isna()])["yen"].idxmax()
    labelled = points.index.isin(largest_each) | (len(points) <= MAX_LABELS)
    return points.assign(labelled=labelled).sort_values(["org", "x"], na_position="last")
