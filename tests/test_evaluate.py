"""The news scorer itself: multisets per type, spans, event tuples per slot, errors listed with their text."""

import json
from datetime import date

import pytest

from pipeline.annotator import Annotated
from pipeline.evaluation.news import evaluate, format_report
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
    assert report["mentions_surface"]["BANK"]["f1"] == 1.0


def test_wrong_qualifier_is_a_miss_and_a_false_hit(run):
    exact = Mention(7, 14, "約6000万円", "MONEY", value="60000000", value_int=60_000_000, qualifier="exact")
    report = run([BANK, exact], [EVENT])
    assert report["mentions"]["MONEY"]["f1"] == 0.0
    assert report["mentions_surface"]["MONEY"]["f1"] == 1.0  # right span, wrong value
    assert report["spacy_scorer"]["mentions_f"] == 1.0
    (row,) = [e for e in report["errors"] if e.type == "MONEY"]
    assert (row.error, row.text, row.expected, row.got) == (
        "wrong",
        "約6000万円",
        "60000000 JPY approx",
        "60000000 JPY exact",
    )
    assert row.context == "ゆうちょ銀行は【約6000万円】と発表"


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


def test_surface_is_the_span_not_the_text(run):
    elsewhere = Mention(1, 7, "ゆうちょ銀行", "BANK", value="ゆうちょ銀行", field="body")
    report = run([elsewhere, MONEY], [EVENT])
    assert report["mentions"]["BANK"]["f1"] == 1.0  # the value is right wherever it is found
    assert report["mentions_surface"]["BANK"]["f1"] == 0.0


def test_count_value_ignores_the_counted_noun_but_keeps_unit_and_qualifier(tmp_path):
    gold = {
        **GOLD,
        "lead": "被害は35口座",
        "entities": [
            {
                "field": "lead",
                "text": "35口座",
                "start": 3,
                "end": 7,
                "type": "COUNT",
                "value": 35,
                "unit": "口座",
                "qualifier": "exact",
                "counted": "被害口座",
            }
        ],
        "events": [],
    }
    article = Article("a:01", "x.txt", "H", gold["lead"], None)

    def score(mention: Mention) -> dict:
        write_tables(build_tables([Annotated(article, 2020, [mention], [])], []), tmp_path)
        path = tmp_path / "gold.jsonl"
        path.write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")
        return evaluate([path], tmp_path)

    same = score(
        Mention(
            3, 7, "35口座", "COUNT", value="35", value_int=35, unit="口座", qualifier="exact", counted="口座"
        )
    )
    assert same["mentions"]["COUNT"]["f1"] == 1.0 and same["count_counted"]["f1"] == 0.0
    other_unit = score(
        Mention(3, 7, "35口座", "COUNT", value="35", value_int=35, unit="件", qualifier="exact")
    )
    assert other_unit["mentions"]["COUNT"]["f1"] == 0.0


def test_yen_only_leaves_other_currencies_unscored(tmp_path):
    article = Article("a:01", "x.txt", "H", GOLD["lead"] + "、120万ドル", None)
    dollars = Mention(
        18, 23, "120万ドル", "MONEY", value="1200000", value_int=1_200_000, unit="USD", qualifier="exact"
    )
    yen = Mention(
        7, 14, "約6000万円", "MONEY", value="60000000", value_int=60_000_000, unit="JPY", qualifier="approx"
    )
    write_tables(build_tables([Annotated(article, 2020, [BANK, yen, dollars], [EVENT])], []), tmp_path)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({**GOLD, "lead": article.body}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert evaluate([gold], tmp_path)["mentions"]["MONEY"]["precision"] == 0.5
    assert evaluate([gold], tmp_path, yen_only=True)["mentions"]["MONEY"]["precision"] == 1.0


def test_missed_event_tuple_names_the_gold_evidence_and_what_we_gave(run):
    late = Event(
        "a:01",
        "damage",
        role="damage",
        org="ゆうちょ銀行",
        date="2020-09-25",
        amount_jpy=60_000_000,
        amount_qualifier="approx",
        evidence="6000万円",
    )
    report = run([BANK, MONEY], [late])
    rows = {(e.error, e.type): e for e in report["errors"]}
    assert (rows["miss", "damage.date"].text, rows["miss", "damage.date"].got) == ("約6000万円", "2020-09-25")
    assert (rows["false", "damage.date"].expected, rows["false", "damage.date"].got) == (
        "2020-09-24",
        "2020-09-25",
    )
    assert report["event_types"]["damage"]["precision"] == pytest.approx(4 / 5)
