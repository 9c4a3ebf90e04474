"""DATE mentions: corpus files, context resolution (anaphora, deixis, reference year), seed gold."""

from __future__ import annotations

import csv
import json
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.textnorm import normalize
from pipeline.values.dates import last_date, reference_year, tag_dates

CORPUS = Path(__file__).resolve().parent / "corpus"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PUBLISHED = date(2020, 9, 25)


def _rows(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _key(m) -> tuple:
    return (m.text, m.value, m.granularity, m.time, m.time_point, m.value_end)


@pytest.mark.parametrize("row", _rows("dates.tsv"), ids=lambda r: r["surface"])
def test_corpus(row: dict[str, str]) -> None:
    text = normalize(row["surface"]).text
    published = date.fromisoformat(row["published"]) if row["published"] else None
    ref = int(row["reference_year"]) if row["reference_year"] else None
    found = tag_dates(text, published=published, reference_year=ref)
    expected = (
        row["text"],
        row["value"] or None,
        row["granularity"],
        row["time"] or None,
        row["time_point"] == "true",
        row["value_end"] or None,
    )
    assert [_key(m) for m in found] == [expected]
    assert all(text[m.start : m.end] == m.text and m.type == "DATE" for m in found)


@pytest.mark.parametrize("row", _rows("dates_negative.tsv"), ids=lambda r: r["surface"])
def test_negative(row: dict[str, str]) -> None:
    text = normalize(row["surface"]).text
    assert tag_dates(text, published=PUBLISHED, reference_year=2020) == []


def test_corpus_sizes() -> None:
    assert len(_rows("dates.tsv")) >= 150 and len(_rows("dates_negative.tsv")) >= 40


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        # Anaphora takes the latest preceding date of its granularity in the text...
        (
            "9月14日に説明会を開き、同日午前0時時点の件数を示した",
            None,
            [("9月14日", "2020-09-14"), ("同日午前0時時点", "2020-09-14")],
        ),
        (
            "2020年9月16日に公表し、翌日に会見した",
            None,
            [("2020年9月16日", "2020-09-16"), ("翌日", "2020-09-17")],
        ),
        (
            "2020年9月16日に公表し、前日に判明",
            None,
            [("2020年9月16日", "2020-09-16"), ("前日", "2020-09-15")],
        ),
        ("2020年9月に始め、同月末に終えた", None, [("2020年9月", "2020-09"), ("同月末", "2020-09-30")]),
        (
            "2020年9月1日に始め、翌月10日に終えた",
            None,
            [("2020年9月1日", "2020-09-01"), ("翌月10日", "2020-10-10")],
        ),
        ("2019年4月に発生し、同年9月に再発", None, [("2019年4月", "2019-04"), ("同年9月", "2019-09")]),
        ("2019年に発生し、翌年3月に再発", None, [("2019年", "2019"), ("翌年3月", "2020-03")]),
        ("2019年に始まり、前年度の残高", None, [("2019年", "2019"), ("前年度", "2018")]),
        # ...skipping coarser dates for 同日, and falling back on the anchor when none precedes.
        (
            "2020年9月に始め、同日公表した",
            date(2020, 9, 3),
            [("2020年9月", "2020-09"), ("同日", "2020-09-03")],
        ),
        ("同日開いた会見で", date(2020, 9, 16), [("同日", "2020-09-16")]),
        ("当日の午後に", date(2020, 9, 16), [("当日", "2020-09-16")]),
        ("翌日に再開した", date(2020, 9, 30), [("翌日", "2020-10-01")]),
        ("同月中に", date(2020, 12, 31), [("同月", "2020-12")]),
        # Deixis ignores the anchor: it is read against the published date (2020-09-25).
        ("昨日に判明", date(2019, 1, 1), [("昨日", "2020-09-24")]),
        # A bare day takes the month of the date before it.
        ("9月30日に受け付け、2日に締め切った", None, [("9月30日", "2020-09-30"), ("2日", "2020-10-02")]),
        ("8月10日に始め、14日に終えた", None, [("8月10日", "2020-08-10"), ("14日", "2020-08-14")]),
        # ...but a bare day in a later sentence is a day around publication (2020-09-25).
        ("6月の統計をまとめた。\n14日に公表した", None, [("6月", "2020-06"), ("14日", "2020-09-14")]),
        # から is a particle: two mentions, the second borrowing the first one's year and month.
        ("9月10日から14日まで", None, [("9月10日", "2020-09-10"), ("14日", "2020-09-14")]),
        ("1月から4月中旬までに", None, [("1月", "2020-01"), ("4月中旬", "2020-04")]),
        ("2018年から昨年12月にかけて", None, [("2018年", "2018"), ("昨年12月", "2019-12")]),
        # 同日 names the day of an event, not a bound of a period (25日から).
        (
            "24日に発表した。25日から停止し、社長は同日陳謝した",
            None,
            [("24日", "2020-09-24"), ("25日", "2020-09-25"), ("同日", "2020-09-24")],
        ),
    ],
)
def test_context(text: str, anchor: date | None, expected: list[tuple[str, str]]) -> None:
    found = tag_dates(text, published=PUBLISHED, anchor=anchor)
    assert [(m.text, m.value) for m in found] == expected
    assert all(m.relative for m in found if m.text.startswith(("同", "当", "翌", "前", "昨")))


def test_fiscal_anaphora_and_deixis_in_spring() -> None:
    spring = date(2021, 2, 10)
    assert [m.value for m in tag_dates("今年度と来年度、昨年4月", published=spring)] == [
        "2020",
        "2021",
        "2020-04",
    ]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2019年に発生した。2020年9月24日に公表", 2020),
        ("令和2年9月24日に通知", 2020),
        ("2019年の事件を受けて", None),
        ("2020年度の予算と2021年3月期の決算", None),
        ("9月24日に公表", None),
        ("昨年9月に公表", None),
        ("平成31年4月に始め、2020年9月に終えた", 2019),
        ("2020/9/24に更新", 2020),
    ],
)
def test_reference_year(text: str, year: int | None) -> None:
    assert reference_year(text) == year


def test_last_date() -> None:
    found = tag_dates("2020年9月14日と9月、10月末", reference_year=2020)
    assert last_date(found) == date(2020, 9, 14) and last_date([]) is None


@given(
    st.text(
        alphabet="0123456789〇一二十年月日度末上旬時分半午前後点同翌昨今令和元~から(火)/.-:、", max_size=30
    )
)
def test_spans_are_exact_and_disjoint(text: str) -> None:
    found = tag_dates(text, published=PUBLISHED, anchor=date(2020, 2, 29))
    assert all(text[m.start : m.end] == m.text and m.start < m.end for m in found)
    assert all(a.end <= b.start for a, b in pairwise(found))


def _gold_items() -> list[dict]:
    path = SHARED / "gold" / "seed_gold.jsonl"
    if not path.exists():
        pytest.skip("shared seed gold not available")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_seed_gold_dates() -> None:
    gold: set[tuple] = set()
    predicted: set[tuple] = set()
    for item in _gold_items():
        head, lead = normalize(item["headline"]), normalize(item["lead"])
        ref = reference_year(head.text + "\n" + lead.text)
        assert ref == item["reference_year"], item["id"]
        in_head = tag_dates(head.text, reference_year=ref)
        in_lead = tag_dates(lead.text, reference_year=ref, anchor=last_date(in_head))
        for field, norm, original, found in (
            ("headline", head, item["headline"], in_head),
            ("lead", lead, item["lead"], in_lead),
        ):
            for m in found:
                start, end = norm.span(m.start, m.end)
                predicted.add(
                    (item["id"], field, original[start:end], m.value, m.granularity, m.time, m.time_point)
                )
        gold |= {
            (item["id"], e["field"], e["text"], e["value"], e["granularity"], e["time"], e["time_point"])
            for e in item["entities"]
            if e["type"] == "DATE"
        }
    hits = len(gold & predicted)
    precision, recall = hits / len(predicted), hits / len(gold)
    f1 = 2 * precision * recall / (precision + recall)
    print(
        f"seed DATE: gold {len(gold)} predicted {len(predicted)} P {precision:.3f} R {recall:.3f} F1 {f1:.3f}"
    )
    assert (gold - predicted, predicted - gold) == (set(), set())
