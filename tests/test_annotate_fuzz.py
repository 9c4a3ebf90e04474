"""Fuzzing `annotate`: arbitrary Unicode never raises, and every mention's text is its span."""

from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.annotator import annotate

# Pieces the taggers react to, so that generated text reaches their rules instead of only the
# "nothing here" path: numerals in every script, units, counters, eras, ranges, brackets, names.
NEWSY = st.sampled_from(
    [
        *"0123456789０１２３４５６７８９〇一二三四五六七八九十百千万億兆",
        *"円ドル件人口座台社行月日年時分約超余以上下未満数前後同翌昨今〜～~-－‐・、。,.()（）「」『』\n 　",
        "令和", "平成", "昭和", "元年", "第", "上旬", "中旬", "下旬", "年度", "四半期", "午前", "午後",
        "銀行", "信用金庫", "株式会社", "ペイペイ", "PayPay", "ゆうちょ", "金融庁", "社長", "氏", "さん",
        "停止", "再開", "被害", "不正", "発表", "数十", "数百万", "ヵ月", "カ月", "ケ月", "%", "％", "割",
    ]
)  # fmt: skip
NEWSY_TEXT = st.lists(st.one_of(NEWSY, st.characters()), max_size=60).map("".join)
DATES = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str, reference: date | None) -> None:
    mentions = annotate(text, reference_date=reference, profile="fast")
    bad = [(m.start, m.end, m.text, m.type) for m in mentions if text[m.start : m.end] != m.text]
    assert not bad, bad
    assert all(0 <= m.start < m.end <= len(text) for m in mentions)


@FUZZ
@given(st.text(max_size=200), DATES)
@example("", None)
@example("\u3000\ufeff\u200b\x00", None)
@example("\ud800被害100万円", None)
@example("令和元年１２月３１日〜翌年１月", date(2019, 12, 1))
def test_any_unicode(text, reference):
    _check(text, reference)


@FUZZ
@given(NEWSY_TEXT, DATES)
def test_news_like_noise(text, reference):
    _check(text, reference)
