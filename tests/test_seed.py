"""The real topic page the project started from, scored against its gold (skipped without ../shared)."""

from pathlib import Path

import pytest

from pipeline.evaluation.news import evaluate
from pipeline.job import extract

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "000_ca0cd79583425037.txt"
GOLD = SHARED / "gold" / "seed_gold.jsonl"

pytestmark = pytest.mark.skipif(not GOLD.exists(), reason="../shared (seed and gold) is not present")

# Normalized-value F1 each type must reach on the seed, per profile.
FLOORS = {
    "accurate": {
        "MONEY": 0.98,
        "COUNT": 0.98,
        "DATE": 0.98,
        "BANK": 0.95,
        "PAYMENT_SERVICE": 0.95,
        "COMPANY": 0.95,
        "ORGANIZATION": 0.95,
        "PERSON": 0.95,
    },
    "fast": {
        "MONEY": 0.98,
        "COUNT": 0.98,
        "DATE": 0.98,
        "BANK": 0.95,
        "PAYMENT_SERVICE": 0.95,
        "COMPANY": 0.9,
        "ORGANIZATION": 0.95,
        "PERSON": 0.95,
    },
}
EVENT_FLOOR = 0.60


@pytest.fixture(scope="module", params=["accurate", "fast"])
def seed_run(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"seed-{request.param}")
    tables = extract([SEED], out=out, profile=request.param)
    return request.param, out, tables


def test_reads_all_21_items(seed_run):
    _, _, tables = seed_run
    ids = list(tables.articles["article_id"])
    assert len(ids) == 21 and ids[0] == "000_ca0cd79583425037:00" and ids[-1] == "000_ca0cd79583425037:20"
    assert tables.rejects.empty


def test_mention_f1_floors(seed_run):
    profile, out, _ = seed_run
    report = evaluate([GOLD], out)
    scores = {t: m["f1"] for t, m in report["mentions"].items()}
    low = {t: scores.get(t, 0.0) for t, floor in FLOORS[profile].items() if scores.get(t, 0.0) < floor}
    assert not low, f"{profile}: below floor {low}"
    assert report["events"]["f1"] >= EVENT_FLOOR


def test_yucho_damage_figures(seed_run):
    _, _, tables = seed_run
    m = tables.mentions
    body = m[(m.article_id == "000_ca0cd79583425037:02") & (m.field == "body")]
    money = body[body.type == "MONEY"].iloc[0]
    assert (money.text, money.value_int, money.qualifier, money.role) == (
        "約6000万円",
        60_000_000,
        "approx",
        "damage",
    )
    as_of = body[(body.type == "DATE") & body.time_point].iloc[0]
    assert (as_of.text, as_of.value) == ("9月22日時点", "2020-09-22")
    ev = tables.events
    damage = ev[(ev.article_id == "000_ca0cd79583425037:02") & (ev.event_type == "damage")]
    assert len(damage) == 1
    row = damage.iloc[0]
    assert (row.org, row.amount_jpy, row["count"], str(row.as_of), str(row.date)) == (
        "ゆうちょ銀行",
        60_000_000,
        380,
        "2020-09-22",
        "2020-09-24",
    )


def test_offsets_point_at_the_source(seed_run):
    _, _, tables = seed_run
    articles = tables.articles.set_index("article_id")
    for row in tables.mentions.itertuples():
        text = articles.at[row.article_id, "headline" if row.field == "headline" else "body"]
        assert text[row.start : row.end] == row.text
