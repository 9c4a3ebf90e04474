"""Successive reported figures per organization, across articles, and their chart.

A damage figure grows as an incident unfolds (109件 → 約380件); the timeline lines the reports up
in date order so the growth can be read, and every row keeps the article and evidence it came from.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import matplotlib_fontja
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from pipeline.tables import TIMELINE_SCHEMA, coerce

# The bundled IPAex Gothic font: CJK glyphs without relying on system fonts.
matplotlib_fontja.japanize()

# A series is one organization's reports of one kind; the damage roles (suspected, prevented, ...)
# are separate series because a prevented amount is not the next figure of the damage.
SERIES = ["org", "event_type", "role"]
_FIGURES = ("amount_jpy", "amount_min_jpy", "amount_max_jpy", "count")

_LOG_SPAN = 100
MAX_ORGS = 10
MAX_LABELS = 60
_YEN_UNITS = ((10**12, "兆"), (10**8, "億"), (10**4, "万"))
_PREFIX = {"approx": "約"}
_SUFFIX = {"over": "超", "under": "未満", "at_least": "以上", "at_most": "以下"}


def build_timeline(events: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per reported figure or dated event, numbered by `step` in date order per series.

    The date is the event's own date, else the article's published date (`date_source` says
    which); undated reports sort after the dated ones of their series. Damage rows are kept only
    when they carry a figure; events without an organization have no series and are left out.
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
    ev = ev.sort_values([*SERIES, "date", "as_of", "article_id", "start"], na_position="last", kind="stable")
    # The same figure reported again (a wire story and its follow-up) is not a new step.
    repeated = ev.duplicated([*SERIES, "date", "as_of", *_FIGURES, "amount_qualifier", "count_unit"])
    ev = ev[~(repeated & (ev["event_type"] == "damage"))]
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


def _damage_points(timeline: pd.DataFrame) -> pd.DataFrame:
    """Actual damage in yen; a vague amount is drawn at the middle of its bounds."""
    t = actual_damage(timeline)
    mid = (t["amount_min_jpy"] + t["amount_max_jpy"]) // 2
    t = t.assign(yen=t["amount_jpy"].fillna(mid))
    t = t[t["yen"].notna()]
    cols = ["amount_jpy", "amount_qualifier", "amount_min_jpy", "amount_max_jpy"]
    labels = [yen_label(*r) for r in t[cols].itertuples(index=False)]
    return t.assign(label=labels, x=pd.to_datetime(t["date"].astype("datetime64[ms]")))


def chart_points(timeline: pd.DataFrame, max_orgs: int = MAX_ORGS) -> pd.DataFrame:
    """What the chart draws: per organization and date, the largest damage reported that day.

    One point per organization and date (one undated point per organization), for the
    `max_orgs` organizations with the largest damage, so that the chart costs the same for a year of
    news as for a week; `labelled` marks the points that get a text label: all of them while they
    stay legible, else each organization's largest.
    """
    points = _damage_points(timeline)
    largest = points.groupby("org")["yen"].max().nlargest(max_orgs).index
    points = points[points["org"].isin(largest)]
    points = points.loc[points.groupby(["org", "x"], dropna=False)["yen"].idxmax()]
    largest_each = points.groupby(["org", points["x"].isna()])["yen"].idxmax()
    labelled = points.index.isin(largest_each) | (len(points) <= MAX_LABELS)
    return points.assign(labelled=labelled).sort_values(["org", "x"], na_position="last")


def _annotate(ax, x, y, label: str, color) -> None:
    ax.annotate(label, (x, y), textcoords="offset points", xytext=(0, 8), ha="center", fontsize=8.5, c=color)


def _scale_yen(ax, yen: pd.Series) -> None:
    """Linear from zero, unless the figures span orders of magnitude (1万円 next to 1000億円)."""
    low, high = (int(yen.min()), int(yen.max())) if len(yen) else (0, 1)
    if low > 0 and high / low > _LOG_SPAN:
        ax.set_yscale("log")
        ax.set_ylim(low / 2, high * 3)
    else:
        ax.set_ylim(0, max(high * 1.15, 1))
    # Set after the scale: changing the scale resets the tick formatters.
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_yen(int(v)) if v >= 0 else ""))
    ax.yaxis.set_minor_formatter(NullFormatter())


def timeline_figure(timeline: pd.DataFrame, max_orgs: int = MAX_ORGS) -> Figure:
    """Damage in yen over time per organization; undated reports in a side panel of their own.

    An archive can name hundreds of organizations and thousands of reports: the chart draws
    `chart_points` (the table keeps every report).
    """
    points = chart_points(timeline, max_orgs)
    undated_orgs = list(dict.fromkeys(points.loc[points["x"].isna(), "org"]))
    # A bare Figure renders with Agg and leaves the pyplot backend of a notebook alone.
    fig = Figure(figsize=(11, 5.5))
    if undated_orgs:
        ax, side = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [4, 1.6], "wspace": 0.05})
    else:
        ax, side = fig.subplots(), None
    groups = list(points.groupby("org", sort=True))
    palette = matplotlib.colormaps["tab10" if len(groups) <= 10 else "tab20"]
    for i, (org, series) in enumerate(groups):
        color = palette(i % palette.N)
        dated = series[series["x"].notna()]
        ax.plot(dated["x"], dated["yen"], drawstyle="steps-post", marker="o", color=color, label=org)
        for r in dated[dated["labelled"]].itertuples():
            _annotate(ax, r.x, r.yen, r.label, color)
        for r in series[series["x"].isna()].itertuples():
            pos = undated_orgs.index(org)
            side.plot([pos], [r.yen], marker="o", markerfacecolor="white", color=color, linestyle="none")
            _annotate(side, pos, r.yen, r.label, color)
    ax.set_title("被害額の推移（組織別・報道順）")
    ax.set_xlabel("日付")
    ax.set_ylabel("被害額")
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    ax.margins(x=0.08)
    _scale_yen(ax, points["yen"])
    ax.grid(True, alpha=0.3)
    if groups:
        last = side if side is not None else ax
        last.legend(*ax.get_legend_handles_labels(), loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=9)
    fig.autofmt_xdate()
    if side is not None:
        side.set_title("日付不明")
        side.set_xticks(range(len(undated_orgs)), undated_orgs, rotation=30, ha="right")
        side.set_xlim(-0.8, len(undated_orgs) - 0.2)
        side.grid(True, axis="y", alpha=0.3)
    return fig


def plot_timeline(timeline: pd.DataFrame, path: Path) -> Path:
    """Write the damage chart as a PNG and return its path."""
    path = Path(path)
    path.write_bytes(timeline_png(timeline))
    return path


def timeline_png(timeline: pd.DataFrame) -> bytes:
    buf = BytesIO()
    timeline_figure(timeline).savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return buf.getvalue()
