import re
import unicodedata

import pytest

from pipeline.textnorm import _FOLD, STABLE, normalize


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("約６，０００万円", "約6,000万円"),
        ("９月１０日～１４日", "9月10日~14日"),
        ("９月１０日〜１４日", "9月10日~14日"),
        ("ｶﾞｲﾄﾞ", "ガイド"),
        ("㈱ドコモ", "(株)ドコモ"),
        ("ＬＩＮＥ　Ｐａｙ", "LINE Pay"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_folds(raw, folded):
    assert normalize(raw).text == folded


@pytest.mark.parametrize(
    ("raw", "needle", "original"),
    [
        ("被害は約６，０００万円に", "約6,000万円", "約６，０００万円"),
        ("ｶﾞｲﾄﾞ社は", "ガイド社", "ｶﾞｲﾄﾞ社"),
        ("㈱ドコモが", "(株)ドコモ", "㈱ドコモ"),
        ("上限は1億円", "1億円", "1億円"),
    ],
)
def test_spans_map_back_to_original_characters(raw, needle, original):
    n = normalize(raw)
    i = n.text.index(needle)
    s, e = n.span(i, i + len(needle))
    assert raw[s:e] == original


def test_stable_characters_are_left_alone_by_nfkc():
    chars = [chr(c) for c in range(0x20, 0xA000) if re.fullmatch(f"[{STABLE}]", chr(c))]
    assert len(chars) > 20_000
    moved = [
        c for c in chars if unicodedata.normalize("NFKC", c) != c or c in _FOLD or unicodedata.combining(c)
    ]
    assert moved == []


@pytest.mark.parametrize(
    ("raw", "folded", "origin"),
    [
        ("か\u3099ん", "がん", (0, 2, 3)),  # a combining voiced mark joins the run's last kana
        ("cafe\u0301", "caf\u00e9", (0, 1, 2, 3, 5)),  # so does a combining accent after ASCII
        ("銀行ｶﾞ", "銀行ガ", (0, 1, 2, 4)),
        ("被害１件", "被害1件", (0, 1, 2, 3, 4)),
    ],
)
def test_runs_and_clusters_keep_the_origin_map(raw, folded, origin):
    assert (normalize(raw).text, normalize(raw).origin) == (folded, origin)
