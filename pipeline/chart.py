"""The damage chart: actual damage in yen over time per organization, from the timeline table
(what it draws, `chart_points`, is chosen in `pipeline.timeline`).

Its own module because matplotlib takes two thirds of a second to import: a run pays for it only
when it draws, and `pipeline.job` draws in a process of its own.
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

from pipeline.timeline import MAX_ORGS, chart_points, format_yen

# The bundled IPAex Gothic font: CJK glyphs without relying on system fonts.
matplotlib_fontja.japanize()

_LOG_SPAN = 100


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
    return points_figure(chart_points(timeline, max_orgs))


def points_figure(points: pd.DataFrame) -> Figure:
    """The chart of `chart_points` (or `select_points`)."""
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
    return points_png(chart_points(timeline))


def points_png(points: pd.DataFrame) -> bytes:
    buf = BytesIO()
    points_figure(points).savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return buf.getvalue()
