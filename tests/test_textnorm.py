import pytest

from pipeline.textnorm import normalize


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
