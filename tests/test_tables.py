from datetime import date, datetime

import pytest

from pipeline.tables import as_day, granularity_of


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2020-09-24", date(2020, 9, 24)),
        ("2024-06", date(2024, 6, 1)),
        (date(2020, 10, 31), date(2020, 10, 31)),
        (datetime(2020, 9, 14, 19, 0), date(2020, 9, 14)),
        ("not a date", None),
        (None, None),
    ],
)
def test_as_day(value, day):
    assert as_day(value) == day


def test_granularity_of():
    assert [granularity_of(v) for v in ("2020-09-24", "2024-06", "2020", None)] == [
        "day",
        "month",
        "year",
        None,
    ]


def test_extract_writes_timeline_table_and_chart(tmp_path):
    import json

    import pipeline

    src = tmp_path / "news.jsonl"
    rows = [
        {
            "id": "t1",
            "headline": "A銀行で被害",
            "body": "みなと銀行は9月8日、不正出金の被害が12件、300万円と発表した。",
            "published": "2021-09-09",
        },
        {
            "id": "t2",
            "headline": "被害拡大",
            "body": "みなと銀行は9月20日、不正出金の被害が約30件、約800万円に拡大したと発表した。",
            "published": "2021-09-21",
        },
    ]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    pipeline.extract([src], out=out, profile="fast")
    timeline = pipeline.load_timeline(out)
    damage = timeline[(timeline.org == "みなと銀行") & (timeline.event_type == "damage")]
    assert list(damage.amount_jpy) == [3_000_000, 8_000_000] and list(damage.step) == [1, 2]
    assert [d.isoformat() for d in damage.date] == ["2021-09-08", "2021-09-20"]
    assert (out / "timeline.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_table_writer_appends_row_groups_that_load_as_one_table(tmp_path):
    import pandas as pd
    import pyarrow.parquet as pq

    from pipeline.tables import TableWriter, frame_of, load_table

    rows = [
        {"article_id": f"w{i}", "event_type": kind, "org": "みなと銀行", "amount_jpy": 3_000_000 * i}
        | {"services": ["口座連携"] * (i % 2), "orgs": []}
        for i, kind in enumerate(["damage", "suspension", "damage", "warning", "resumption"])
    ]
    with TableWriter("events", tmp_path) as writer:
        for batch in (rows[:2], rows[2:3], rows[3:]):
            writer.write(frame_of("events", batch))
    assert writer.rows == 5 and pq.ParquetFile(tmp_path / "events.parquet").num_row_groups == 3
    pd.testing.assert_frame_equal(load_table("events", tmp_path), frame_of("events", rows))
    csv = (tmp_path / "events.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbfarticle_id,") and csv.count(b"\xef\xbb\xbf") == 1
    assert csv.count(b"article_id") == 1 and csv.count("みなと銀行".encode()) == 5

    (tmp_path / "empty").mkdir()
    with TableWriter("mentions", tmp_path / "empty", csv=False):
        pass  # no batch at all: the file still has the table's columns
    assert load_table("mentions", tmp_path / "empty").empty
    assert [p.name for p in (tmp_path / "empty").iterdir()] == ["mentions.parquet"]


def test_table_writer_leaves_nothing_when_interrupted(tmp_path):
    from pipeline.tables import TableWriter, frame_of

    with pytest.raises(KeyboardInterrupt), TableWriter("articles", tmp_path) as writer:
        writer.write(frame_of("articles", [{"article_id": "x", "headline": "見出し", "body": "本文"}]))
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
