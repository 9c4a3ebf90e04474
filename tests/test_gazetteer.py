"""The gazetteer data files: well-formed rows, unambiguous aliases, and longest-match lookup."""

from __future__ import annotations

import re

import pytest

from pipeline.names.gazetteer import GAZETTEER_DIR, NAMES_DIR, Entry, Gazetteer, load_gazetteer, read_tsv
from pipeline.types import ORG_TYPES

FILES = sorted(GAZETTEER_DIR.glob("*.tsv"))
ROWS = [(path.name, row) for path in FILES for row in read_tsv(path)]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_header(path):
    assert path.read_text(encoding="utf-8").splitlines()[0].split("\t") == [
        "canonical",
        "type",
        "aliases",
        "code",
        "operator",
    ]


def test_rows_well_formed():
    bad = [
        (name, row)
        for name, row in ROWS
        if not row["canonical"]
        or row["type"] not in ORG_TYPES
        or (row["code"] and not re.fullmatch(r"\d{4}", row["code"]))
        or (row["code"] and row["type"] != "BANK")
        or (row["operator"] and row["type"] != "PAYMENT_SERVICE")
        or any(not a.strip() for a in row["aliases"].split("|") if row["aliases"])
    ]
    assert bad == []


def test_no_alias_claimed_by_two_types():
    claims: dict[str, set[tuple[str, str]]] = {}
    for _, row in ROWS:
        for surface in [row["canonical"], *filter(None, row["aliases"].split("|"))]:
            claims.setdefault(surface, set()).add((row["canonical"], row["type"]))
    assert {s: c for s, c in claims.items() if len({t for _, t in c}) > 1} == {}
    assert {s: c for s, c in claims.items() if len(c) > 1} == {}


def test_coverage():
    gaz = load_gazetteer()
    counts = {t: sum(1 for e in gaz.entries if e.type == t) for t in ORG_TYPES}
    assert counts["BANK"] >= 300 and counts["PAYMENT_SERVICE"] >= 30
    assert counts["COMPANY"] >= 100 and counts["ORGANIZATION"] >= 40


@pytest.mark.parametrize(
    ("surface", "canonical", "type_", "code"),
    [
        ("横浜銀", "横浜銀行", "BANK", "0138"),
        ("ゆうちょ", "ゆうちょ銀行", "BANK", "9900"),
        ("三菱UFJ", "三菱UFJ銀行", "BANK", "0005"),
        ("城南信金", "城南信用金庫", "BANK", ""),
        ("ドコモ", "NTTドコモ", "COMPANY", ""),
        ("NTT", "日本電信電話", "COMPANY", ""),
        ("MUFG", "三菱UFJフィナンシャル・グループ", "COMPANY", ""),
        ("全銀協", "全国銀行協会", "ORGANIZATION", ""),
        ("日銀", "日本銀行", "ORGANIZATION", ""),
        ("d払い", "d払い", "PAYMENT_SERVICE", ""),
    ],
)
def test_lookup(surface, canonical, type_, code):
    entry = load_gazetteer().get(surface)
    assert (entry.canonical, entry.type, entry.code) == (canonical, type_, code)


def test_operator():
    assert load_gazetteer().get("ドコモ口座").operator == "NTTドコモ"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("NTTドコモの決済", ["NTTドコモ"]),
        ("ドコモ口座で", ["ドコモ口座"]),
        ("ライオンの株", []),
        ("auto-payとau PAY", ["au PAY"]),
        ("横浜銀行と横浜銀", ["横浜銀行", "横浜銀"]),
    ],
)
def test_find_all_longest_on_word_edges(text, found):
    assert [text[m.start : m.end] for m in load_gazetteer().find_all(text)] == found


def test_find_all_one_character_names_and_empty_gazetteer():
    # The start prefilter looks for a first and second character; a one-character name has none.
    gazetteer = Gazetteer([Entry("鶴丸工業", "COMPANY", ("鶴",))])
    text = "鶴と鶴丸工業"
    assert [text[m.start : m.end] for m in gazetteer.find_all(text)] == ["鶴", "鶴丸工業"]
    assert list(Gazetteer([]).find_all(text)) == []


@pytest.mark.parametrize("name", ["generic.tsv", "org_suffixes.tsv", "titles.tsv"])
def test_name_tables_have_headers_and_rows(name):
    rows = read_tsv(NAMES_DIR / name)
    assert rows and all(all(v for v in row.values()) for row in rows)


def test_every_payment_service_names_its_operator():
    assert [
        e.canonical for e in load_gazetteer().entries if e.type == "PAYMENT_SERVICE" and not e.operator
    ] == []


@pytest.mark.parametrize(
    ("short", "canonical"),
    [
        ("ソニーG", "ソニーグループ"),
        ("りそなHD", "りそなホールディングス"),
        ("ふくおかFG", "ふくおかフィナンシャルグループ"),
    ],
)
def test_group_short_forms(short, canonical):
    assert load_gazetteer().get(short).canonical == canonical
