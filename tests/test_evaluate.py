"""The scorer itself: multisets per type, event tuples per slot, misses and false hits listed."""

import json
from datetime import date

import pytest

from pipeline.annotator import Annotated
from pipeline.evaluate import evaluate, format_report
from pipeline.tables import build_tables, write_tables
from pipeline.types import Article, Event, Mention

GOLD = {
    "id": "a:01",
    "kind": "article",
    "headline": "H",
    "lead": "ゆうちょ銀行は約6000万円と発表",
    "reference_year": 2020,
    "entities": [
        {
            "field": "lead",
            "text": "ゆうちょ銀行",
            "start": 0,
            "end": 6,
            "type": "BANK",
            "value": "ゆうちょ銀行",
        },
        {
            "field": "lead",
            "text": "約6000万円",
            "start": 7,
            "end": 14,
            "type": "MONEY",
            "value": 60000000,
            "qualifier": "approx",
            "min": None,
            "max": None,
            "role": "damage",
        },
    ],
    "events": [
        {
            "type": "damage",
            "org": "ゆうちょ銀行",
            "date": "2020-09-24",
            "role": "damage",
            "services": [],
            "amount_jpy": 60000000,
            "amount_qualifier": "approx",
            "amount_min": None,
            "amount_max": None,
            "count": None,
            "count_unit": None,
            "count_qualifier": None,
            "as_of": None,
            "evidence": "約6000万円",
            "evidence_field": "lead",
        }
    ],
}


@pytest.fixture()
def run(tmp_path):
    def score(mentions, events):
        article = Article("a:01", "x.txt", "H", GOLD["lead"], None)
        write_tables(build_tables([Annotated(article, 2020, mentions, events)], []), tmp_path)
        gold = tmp_path / "gold.jsonl"
        gold.write_text(json.dumps(GOLD, ensure_ascii=False) + "\n", encoding="utf-8")
        return evaluate([gold], tmp_path)

    return score


BANK = Mention(0, 6, "ゆうちょ銀行", "BANK", value="ゆうちょ銀行", field="body")
MONEY = Mention(
    7, 14, "約6000万円", "MONEY", value="60000000", value_int=60_000_000, qualifier="approx", field="body"
)
EVENT = Event(
    "a:01",
    "damage",
    role="damage",
    org="ゆうちょ銀行",
    date=str(date(2020, 9, 24)),
    amount_jpy=60_000_000,
    amount_qualifier="approx",
)


def test_perfect_prediction_scores_one(run):
    report = run([BANK, MONEY], [EVENT])
    assert report["mentions"]["BANK"]["f1"] == 1.0 and report["mentions"]["MONEY"]["f1"] == 1.0
    assert report["events"]["f1"] == 1.0 and report["errors"] == []


def test_wrong_qualifier_is_a_miss_and_a_false_hit(run):
    exact = Mention(7, 14, "約6000万円", "MONEY", value="60000000", value_int=60_000_000, qualifier="exact")
    report = run([BANK, exact], [EVENT])
    assert report["mentions"]["MONEY"]["f1"] == 0.0
    assert report["mentions_surface"]["MONEY"]["f1"] == 1.0  # right span, wrong value
    assert report["spacy_scorer"]["mentions_f"] == 1.0
    kinds = sorted(e[0] for e in report["errors"])
    assert kinds == ["false", "miss"]


def test_event_slots_scored_separately(run):
    wrong_org = Event(
        "a:01",
        "damage",
        role="damage",
        org="NTTドコモ",
        date="2020-09-24",
        amount_jpy=60_000_000,
        amount_qualifier="approx",
    )
    report = run([BANK, MONEY], [wrong_org])
    assert report["event_slots"]["org"]["f1"] == 0.0
    assert report["event_slots"]["amount_jpy"]["f1"] == 1.0
    assert report["events"]["precision"] == pytest.approx(4 / 5)


def test_spacy_scorer_sees_a_missed_span(run):
    report = run([BANK], [EVENT])
    assert report["spacy_scorer"]["mentions_p"] == 1.0
    assert report["spacy_scorer"]["mentions_r"] == 0.5
    assert report["spacy_scorer"]["mentions_per_type"]["MONEY"]["r"] == 0.0


def test_empty_gold_scores_nothing_and_does_not_crash(tmp_path, run):
    run([BANK], [EVENT])
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    report = evaluate([empty], tmp_path)
    assert report["articles"] == 0 and report["events"]["gold"] == 0
    assert "0 articles" in format_report(report, "empty")
