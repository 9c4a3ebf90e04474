"""Which sentences the accurate profile hands to GiNZA's NER, and what that NER adds."""

import pytest

from pipeline.annotator import annotate
from pipeline.mentions import find_mentions
from pipeline.names.unexplained import name_like, unexplained_sentences
from pipeline.tokens import tokenize


def _token(text: str, surface: str):
    return next(t for t in tokenize(text) if t.surface == surface)


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("ドコモの口座", "ドコモ", True),  # UniDic proper noun
        ("佐藤社長", "佐藤", True),
        ("ゾゾタウンが発表", "ゾゾタウン", True),  # katakana UniDic does not know
        ("サービスを停止", "サービス", False),  # a known loanword (lemma サービス-service)
        ("ATMで出金", "ATM", False),  # a common acronym (models/names/common_acronyms.tsv)
        ("SMSで通知", "SMS", False),
        ("銀行が発表", "銀行", False),
    ],
)
def test_name_like(text, surface, expected):
    assert name_like(_token(text, surface)) is expected


def _gated(text: str) -> list[str]:
    tokens = tokenize(text)
    return [text[s:e] for s, e in unexplained_sentences(text, tokens, find_mentions(text, tokens))]


def test_only_sentences_with_an_unexplained_name_are_gated():
    text = "ゆうちょ銀行は8日、サービスを停止した。\n森永製菓は9日、被害を公表した。ATMは使える。"
    assert _gated(text) == ["森永製菓は9日、被害を公表した。"]


def test_names_the_rules_explain_send_nothing_to_ginza():
    assert _gated("三菱UFJ銀行の佐藤健一頭取は、約6000万円の被害を明らかにした。") == []
    assert _gated("") == []


@pytest.mark.parametrize("name", ["森永製菓", "江崎グリコ", "吉野家"])
def test_accurate_adds_ginza_companies_the_rules_cannot_know(name):
    text = f"{name}は8日、通販サイトで顧客のカード情報が流出したと発表した。"
    company = (0, len(name), "COMPANY", name)
    accurate = [(m.start, m.end, m.type, m.value) for m in annotate(text, profile="accurate")]
    fast = [(m.start, m.end, m.type, m.value) for m in annotate(text, profile="fast")]
    assert company in accurate and company not in fast
