"""People: UniDic 人名 tags and the trained recognizer's spans, titles beside them, article resolution."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.names.people import full_names, resolve_people, tag_people
from pipeline.tokens import tokenize
from pipeline.types import Mention

CORPUS = Path(__file__).parent / "corpus" / "people.tsv"


def _corpus() -> list[tuple[str, str]]:
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        return [(r["text"], r["expected"] or "") for r in csv.DictReader(fh, delimiter="\t")]


def _expected(spec: str) -> list[tuple[str, str, str | None]]:
    out = []
    for item in filter(None, (s.strip() for s in spec.split(";"))):
        surface, rest = item.split("=", 1)
        value, _, title = rest.partition("/")
        out.append((surface, value, title or None))
    return out


@pytest.mark.parametrize(("text", "spec"), _corpus(), ids=lambda v: v[:16])
def test_corpus(text, spec):
    found = resolve_people(tag_people(text, tokenize(text)))
    assert [(m.text, m.value, m.title) for m in found] == _expected(spec)


def test_bare_surname_needs_the_article_to_confirm_it():
    # UniDic reads 高市 alone as a place name; the full name elsewhere in the article confirms it.
    headline, lead = "高市総務相が言及", "高市早苗総務相は会見で述べた。"
    assert tag_people(headline, tokenize(headline)) == []
    known = full_names(tag_people(lead, tokenize(lead)))
    assert [(m.text, m.title) for m in tag_people(headline, tokenize(headline), known=known)] == [
        ("高市", "総務相")
    ]


@pytest.mark.parametrize(
    ("text", "span", "found"),
    [
        ("ケビン・オルソン社長は会見で述べた。", "ケビン・オルソン", [("ケビン・オルソン", "社長")]),
        ("広島森下千鶴子さんが受賞", "広島森下千鶴子", [("森下千鶴子", None)]),  # the place before it goes
        ("西村・高田両氏が出席", "西村・高田", [("西村", None), ("高田", None)]),  # two kanji names
        ("県警は同日、書類送検した。", "県警", []),  # a bare kind is no name
        ("ロザリア・メンドーサ選手が優勝した。", "メンドーサ", [("ロザリア・メンドーサ", None)]),
        ("フランス・パリ市長が訪れた。", "パリ", []),  # a country before ・ is no given name
        ("村瀬成格が述べた。", "村瀬成", [("村瀬成格", None)]),  # UniDic cut the given name in two
        ("村瀬成宅が燃えた。", "村瀬成", [("村瀬成", None)]),  # a house is no part of the name
    ],
)
def test_learnt_person_span_is_cut_to_the_name(text, span, found):
    start = text.index(span)
    people = tag_people(text, tokenize(text), [(start, start + len(span), "PERSON")])
    assert [(m.text, m.title) for m in people] == found and all(m.source == "ner" for m in people)


def test_resolve_people_shares_value_and_title():
    short = Mention(0, 2, "澤田", "PERSON", value="澤田", title="社長", field="headline")
    full = Mention(5, 8, "澤田純", "PERSON", value="澤田純", field="body")
    org = Mention(9, 12, "NTT", "COMPANY", value="日本電信電話")
    out = resolve_people([short, full, org])
    assert [(m.value, m.title) for m in out] == [
        ("澤田純", "社長"),
        ("澤田純", "社長"),
        ("日本電信電話", None),
    ]
