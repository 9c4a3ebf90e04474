"""Timeline of reported figures: order, date provenance, steps, dtypes, labels and the chart."""

from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pipeline.chart import plot_timeline, timeline_figure
from pipeline.tables import ARTICLE_SCHEMA, EVENT_SCHEMA, coerce
from pipeline.timeline import (
    TIMELINE_SCHEMA,
    actual_damage,
    build_timeline,
    chart_points,
    format_yen,
    yen_label,
)
from pipeline.types import Event

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "000_ca0cd79583425037.txt"


def _events(*events: Event) -> pd.DataFrame:
    return coerce(pd.DataFrame([asdict(e) for e in events], columns=list(EVENT_SCHEMA)), EVENT_SCHEMA)


def _articles(published: dict[str, str | None]) -> pd.DataFrame:
    return coerce(
        pd.DataFrame({"article_id": list(published), "published": list(published.values())}), ARTICLE_SCHEMA
    )


LATEST = Event(
    "c",
    "damage",
    role="damage",
    org="みなと銀行",
    org_type="BANK",
    amount_jpy=90_000_000,
    amount_qualifier="approx",
    count=400,
    count_unit="件",
    date="2021-03-05",
    as_of="2021-03-04",
)


@pytest.fixture()
def timeline() -> pd.DataFrame:
    events = _events(
        LATEST,
        Event(
            "a",
            "damage",
            role="damage",
            org="みなと銀行",
            org_type="BANK",
            amount_jpy=12_340_000,
            amount_qualifier="exact",
            count=50,
            count_unit="件",
            date="2021-03-01",
        ),
        Event(
            "x",
            "damage",
            role="damage",
            org="みなと銀行",
            org_type="BANK",
            amount_jpy=30_000_000,
            amount_qualifier="over",
        ),
        Event("b", "damage", role="damage", org="みなと銀行", org_type="BANK", count=120, count_unit="件"),
        Event("b", "damage", role="prevented", org="みなと銀行", org_type="BANK", amount_jpy=5_000_000),
        Event("b", "damage", role="damage", org="みなと銀行", org_type="BANK"),  # no figure: not a step
        Event("b", "suspension", org="みなと銀行", org_type="BANK", date="2021-03-02"),
        Event("a", "damage", role="damage", amount_jpy=1_000_000),  # no organization: no series
        replace(LATEST, article_id="d"),  # the same figure reported again
    )
    return build_timeline(
        events, _articles({"a": "2021-03-01", "b": "2021-03-03", "c": None, "d": None, "x": None})
    )


def test_damage_steps_in_date_order(timeline):
    dmg = actual_damage(timeline)
    got = [
        (s, str(d), src, a, c)
        for s, d, src, a, c in zip(
            dmg.step,
            dmg.date,
            dmg.date_source,
            dmg.amount_jpy.astype(object),
            dmg["count"].astype(object),
            strict=True,
        )
    ]
    assert got == [
        (1, "2021-03-01", "event", 12_340_000, 50),
        (2, "2021-03-03", "published", pd.NA, 120),
        (3, "2021-03-05", "event", 90_000_000, 400),  # the repeat from article d is dropped
        (4, "<NA>", "none", 30_000_000, pd.NA),
    ]
    assert dmg.article_id.tolist() == ["a", "b", "c", "x"] and dmg.as_of.iloc[2] == date(2021, 3, 4)


def test_roles_and_types_are_separate_series(timeline):
    prevented = timeline[timeline.role == "prevented"]
    assert (prevented.step.tolist(), prevented.amount_jpy.tolist()) == ([1], [5_000_000])
    stop = timeline[timeline.event_type == "suspension"]
    assert (stop.step.tolist(), [str(d) for d in stop.date]) == ([1], ["2021-03-02"])
    assert timeline.org.notna().all() and len(timeline) == 6


def test_schema(timeline):
    assert list(timeline.columns) == list(TIMELINE_SCHEMA)
    assert (
        str(timeline.date.dtype) == "date32[day][pyarrow]"
        and str(timeline.as_of.dtype) == "date32[day][pyarrow]"
    )
    assert {timeline[c].dtype for c in ("amount_jpy", "count", "step")} == {pd.Int64Dtype()}
    assert build_timeline(_events(), _articles({})).columns.tolist() == list(TIMELINE_SCHEMA)


@pytest.mark.parametrize(
    ("args", "label"),
    [
        ((18_110_000,), "1811万円"),
        ((60_000_000, "approx"), "約6000万円"),
        ((22_000_000, "over"), "2200万円超"),
        ((20_000_000, "under"), "2000万円未満"),
        ((120_000_000, "exact"), "1億2000万円"),
        ((12_345, "at_least"), "1万2345円以上"),
        ((pd.NA, "vague", 100_000, 990_000), "10万円～99万円"),
        ((pd.NA, None, pd.NA, pd.NA), ""),
    ],
)
def test_yen_label(args, label):
    assert yen_label(*args) == label


def test_format_yen_round_numbers():
    assert [format_yen(n) for n in (0, 500, 10**8, 10**12 + 3)] == ["0円", "500円", "1億円", "1兆3円"]


def test_plot_writes_png(timeline, tmp_path):
    png = plot_timeline(timeline, tmp_path / "t.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert plot_timeline(timeline[timeline.date.notna()], tmp_path / "dated.png").stat().st_size > 10_000


@pytest.mark.skipif(not SEED.exists(), reason="../shared seed not present")
def test_seed_timeline(tmp_path):
    import pipeline

    tables = pipeline.extract([SEED], out=tmp_path, profile="fast")
    t = build_timeline(tables.events, tables.articles)
    series = actual_damage(t)
    yucho = series[series.org == "ゆうちょ銀行"]
    assert yucho.amount_jpy.tolist() == [18_110_000, 60_000_000, 22_000_000]
    assert [str(d) for d in yucho.date] == ["2020-09-16", "2020-09-24", "<NA>"]
    assert yucho.date_source.tolist() == ["event", "event", "none"] and yucho.step.tolist() == [1, 2, 3]
    docomo = series[(series.org == "NTTドコモ") & series.date.notna()]
    assert docomo.amount_jpy.tolist() == [18_000_000, 25_420_000]


def test_chart_draws_one_point_per_organization_and_date():
    day = [f"2021-03-{d:02d}" for d in range(1, 29)]
    many = [
        Event(
            f"a{i}",
            "damage",
            role="damage",
            org="みなと銀行",
            amount_jpy=1_000_000 * (i % 7 + 1),
            date=day[i % 28],
        )
        for i in range(2_000)
    ]
    undated = [
        Event(f"u{i}", "damage", role="damage", org="みなと銀行", amount_jpy=10_000 * i)
        for i in range(1, 500)
    ]
    published = {e.article_id: None for e in many + undated}
    points = chart_points(build_timeline(_events(*many, *undated), _articles(published)))
    assert len(points) == 29 and points["x"].isna().sum() == 1
    assert points["yen"].max() == 7_000_000 and points.loc[points["x"].isna(), "yen"].item() == 4_990_000
    # 29 points are legible: each gets its label; an archive's hundreds get one per organization
    assert points["labelled"].all()
    fig = timeline_figure(build_timeline(_events(*many, *undated), _articles(published)))
    assert sum(len(ax.texts) for ax in fig.axes) == 29


def test_chart_labels_only_the_largest_when_points_are_many():
    events = [
        Event(
            f"a{i}",
            "damage",
            role="damage",
            org="みなと銀行",
            amount_jpy=1_000 * (i + 1),
            date=str(date(2020, 1, 1) + pd.Timedelta(days=i).to_pytimedelta()),
        )
        for i in range(300)
    ]
    points = chart_points(build_timeline(_events(*events), _articles({e.article_id: None for e in events})))
    assert len(points) == 300
    assert points.loc[points["labelled"], "yen"].tolist() == [300_000]
