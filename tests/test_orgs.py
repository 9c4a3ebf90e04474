"""Organization tagger: a hand-written corpus, boundaries, and F1 against the seed gold (fast and NER)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from pipeline.names import orgs
from pipeline.names.official import official_name
from pipeline.names.orgs import is_generic, learned_orgs, resolve_orgs, tag_orgs
from pipeline.names.people import full_names, resolve_people, tag_people
from pipeline.textnorm import normalize
from pipeline.tokens import tokenize
from pipeline.types import Mention

CORPUS = Path(__file__).parent / "corpus" / "orgs.tsv"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "gold" / "seed_gold.jsonl"
NAME_TYPES = ("BANK", "PAYMENT_SERVICE", "COMPANY", "ORGANIZATION", "PERSON")
# GiNZA ENE labels mapped onto our types, for the raw-GiNZA baseline.
GINZA_TYPES = {
    "Company": "COMPANY",
    "Organization_Other": "ORGANIZATION",
    "Government": "ORGANIZATION",
    "International_Organization": "ORGANIZATION",
    "Person": "PERSON",
}


def _corpus() -> list[tuple[str, str]]:
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        return [(r["text"], r["expected"] or "") for r in csv.DictReader(fh, delimiter="\t")]


def _expected(spec: str) -> list[tuple[str, str, str]]:
    out = []
    for item in filter(None, (s.strip() for s in spec.split(";"))):
        surface, rest = item.split("=", 1)
        type_, value = rest.split(":", 1)
        out.append((surface, type_, value))
    return out


@pytest.mark.parametrize(("text", "spec"), _corpus(), ids=lambda v: v[:16])
def test_corpus(text, spec):
    found = [(m.text, m.type, m.value) for m in tag_orgs(text, tokenize(text))]
    assert found == _expected(spec)


def test_mentions_match_text_and_never_overlap():
    for text, _ in _corpus():
        mentions = tag_orgs(text, tokenize(text))
        assert all(
            text[m.start : m.end] == m.text and m.source in {"gazetteer", "rule", "ner"} for m in mentions
        )
        assert all(a.end <= b.start for a, b in pairwise(mentions))


_AFTER = {
    "恵美子": "新社長が確認した。",
    "長崎": "元副部長が確認した。",
    "北斗興業": "社長が確認した。",
    "不正検知サービス": "を手掛けるミツバが確認した。",
}


@pytest.mark.parametrize(
    ("label", "span", "expected"),
    [
        ("COMPANY", "東急電鉄の自動券売機", [("東急電鉄", "COMPANY")]),  # the gazetteer's name wins
        ("COMPANY", "LINE Pay", [("LINE Pay", "PAYMENT_SERVICE")]),  # retyped by the gazetteer
        ("COMPANY", "北陸みらい銀行", [("北陸みらい銀行", "BANK")]),  # retyped by the suffix
        ("ORGANIZATION", "アオバミート社", [("アオバミート社", "COMPANY")]),  # 社 says a company
        ("COMPANY", "ミライノベート", [("ミライノベート", "COMPANY")]),  # unknown, typed by the label
        ("ORGANIZATION", "北陸電子協会の", [("北陸電子協会", "ORGANIZATION")]),  # particle trimmed
        ("COMPANY", "常磐線", []),  # a line, not its operator
        ("COMPANY", "発生", []),  # one common noun is a word
        ("ORGANIZATION", "奈良・京都・滋賀", []),  # a list of places
        ("COMPANY", "北斗興業", [("北斗興業", "COMPANY")]),
        ("COMPANY", "不正検知サービス", []),  # what a firm does
        ("COMPANY", "北陸大学病院", []),  # a facility, not its operator
        ("ORGANIZATION", "海洋・気象研究機構", [("海洋・気象研究機構", "ORGANIZATION")]),
        ("ORGANIZATION", "恵美子", []),  # a given name before a title (恵美子新社長) is a person
        ("ORGANIZATION", "長崎", []),  # UniDic reads this surname as a place; 元副部長 says a person
    ],
)
def test_learnt_spans_are_retyped_and_trimmed(label, span, expected):
    text = f"今回、{span}{_AFTER.get(span, 'で確認した。')}"
    start = text.index(span)
    found = tag_orgs(text, tokenize(text), [(start, start + len(span), label)])
    assert [(m.text, m.type) for m in found] == expected


def test_known_names_from_elsewhere_in_the_article():
    lead = "会計ソフトを提供するミライノベートは新機能を発表した。"
    known = learned_orgs(tag_orgs(lead, tokenize(lead)))
    headline = "ミライノベート、新機能"
    assert known == {"ミライノベート": ("COMPANY", "ミライノベート")}
    assert [(m.text, m.value) for m in tag_orgs(headline, tokenize(headline), known=known)] == [
        ("ミライノベート", "ミライノベート")
    ]


def test_resolve_orgs_unifies_same_surface():
    a = Mention(0, 3, "ABC", "ORGANIZATION", value="ABC", source="ner")
    b = Mention(10, 13, "ABC", "COMPANY", value="ABC", source="rule")
    assert [(m.type, m.source) for m in resolve_orgs([a, b])] == [("COMPANY", "ner"), ("COMPANY", "rule")]


@pytest.mark.parametrize(
    "word", ["地銀", "大手行", "銀行", "会員銀行", "同行", "同社", "自社", "当社", "同協会", "SMS"]
)
def test_generic_words(word):
    assert is_generic(word)


# --- seed gold ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def gold_items() -> list[dict]:
    if not GOLD.exists():
        pytest.skip("shared seed gold not available")
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def ginza():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("ja_ginza")
    except OSError:
        pytest.skip("ja_ginza not installed")


def _tag_item(item: dict, ner_of) -> list[tuple[str, Mention]]:
    """Both passes over headline and lead: learn names, look again, then resolve across the item."""
    fields = {}
    for name in ("headline", "lead"):
        norm = normalize(item[name])
        fields[name] = (norm, tokenize(norm.text), ner_of(norm.text))
    first = [
        m for n, t, ner in fields.values() for m in tag_orgs(n.text, t, ner) + tag_people(n.text, t, ner)
    ]
    known_orgs, known_people = learned_orgs(first), full_names(first)
    tagged = []
    for name, (norm, toks, ner) in fields.items():
        for m in tag_orgs(norm.text, toks, ner, known_orgs) + tag_people(norm.text, toks, ner, known_people):
            m.field = name
            tagged.append(m)
    resolve_people(resolve_orgs(tagged))
    return [(m.field, m) for m in tagged]


def _key(item: dict, field: str, norm_span: tuple[int, int], type_: str, value, title) -> tuple:
    return (item["id"], field, item[field][norm_span[0] : norm_span[1]], type_, value, title)


def _scores(items: list[dict], predict) -> dict[str, float]:
    gold, pred = Counter(), Counter()
    for item in items:
        for e in item["entities"]:
            if e["type"] in NAME_TYPES:
                gold[
                    _key(item, e["field"], (e["start"], e["end"]), e["type"], e.get("value"), e.get("title"))
                ] += 1
        for key in predict(item):
            pred[key] += 1
    f1 = {}
    for t in NAME_TYPES:
        g = Counter({k: v for k, v in gold.items() if k[3] == t})
        p = Counter({k: v for k, v in pred.items() if k[3] == t})
        tp = sum((g & p).values())
        f1[t] = 2 * tp / (sum(g.values()) + sum(p.values())) if g or p else 1.0
    return f1


def _ours(ner_of):
    def predict(item):
        for field, m in _tag_item(item, ner_of):
            span = normalize(item[field]).span(m.start, m.end)
            yield _key(item, field, span, m.type, m.value, m.title if m.type == "PERSON" else None)

    return predict


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_seed_gold_f1(gold_items, request, mode):
    ner_of = request.getfixturevalue("trained_ner") if mode == "accurate" else lambda _text: []
    f1 = _scores(gold_items, _ours(ner_of))
    print(mode, {t: round(v, 3) for t, v in f1.items()})
    assert all(v >= 0.95 for v in f1.values()), f1


def test_raw_ginza_baseline_is_far_below(gold_items, ginza):
    """Raw GiNZA (labels mapped, surface as value) for comparison; ours must beat it on every type."""

    def predict(item):
        for field in ("headline", "lead"):
            norm = normalize(item[field])
            for e in ginza(norm.text).ents:
                if e.label_ in GINZA_TYPES:
                    span = norm.span(e.start_char, e.end_char)
                    yield _key(item, field, span, GINZA_TYPES[e.label_], item[field][span[0] : span[1]], None)

    raw = _scores(gold_items, predict)
    print("raw ginza", {t: round(v, 3) for t, v in raw.items()})
    assert raw["BANK"] < 0.5 and raw["PAYMENT_SERVICE"] < 0.5


def test_learned_forms_legal_mark_abbreviation_and_listed_stems():
    lead = "株式会社ミツバチセキュリティと北陸みらい銀行、岡三証券やSBI証券は対策を急ぐ。岡三社長は謝罪した。"
    known = learned_orgs(tag_orgs(lead, tokenize(lead)))
    headline = "ミツバチセキュリティ調べ 北陸みらい銀、岡三やSBIなど 岡三社長が陳謝"
    found = [(m.text, m.value) for m in tag_orgs(headline, tokenize(headline), known=known)]
    assert found == [
        ("ミツバチセキュリティ", "ミツバチセキュリティ"),
        ("北陸みらい銀", "北陸みらい銀行"),
        ("岡三", "岡三証券"),
        ("SBI", "SBI証券"),
    ]


def test_official_names_by_shape():
    assert official_name("大阪府警") == "大阪府警察" and official_name("東京地裁") == "東京地方裁判所"
    assert official_name("兵庫県警西宮署") == "兵庫県警察" and official_name("松江署") == "松江警察署"
    assert official_name("中国政府") == "中華人民共和国政府"
    assert official_name("米国政府") == "アメリカ合衆国政府"
    assert official_name("在パリ日本大使館") == "在パリ日本国大使館" and official_name("政府") == "政府"


def test_the_recognizer_reads_each_line_as_the_sentences_it_learnt_from(trained_ner):
    body = "サンライズは設立当初から劇場作品に力を入れていた。"
    alone = trained_ner(body)
    after_headline = trained_ner("アニメ制作会社の歩み\n" + body)
    shift = len("アニメ制作会社の歩み\n")
    assert ("サンライズ", "COMPANY") in [(body[s:e], label) for s, e, label in alone]
    assert [(s - shift, e - shift, label) for s, e, label in after_headline if s >= shift] == alone


def test_firm_written_with_its_site() -> None:
    assert [orgs._firm_before_branch(s) for s in ("AB社工場", "青葉社支店", "社工場", "青葉工場")] == [
        3,
        3,
        None,
        None,
    ]
