"""The token layer reads MeCab's text output; it must agree with fugashi's own parse of the features."""

from __future__ import annotations

import fugashi
import pytest

from pipeline.tokens import tokenize

TEXTS = [
    "東京都の株式会社テストは1,000円の「新サービス」を発表した。",
    "ｶﾞｲﾄﾞと𠮷野家、そして”引用符,入り”の語。",  # unknown words carry no lemma
    'Ａ,Ｂ "x,y" は、よ。',  # commas and quotes inside fields
]


@pytest.mark.parametrize("text", TEXTS)
def test_tokens_agree_with_fugashi_features(text: str) -> None:
    expected = [
        (
            w.surface,
            (w.feature.pos1, w.feature.pos2, w.feature.pos3, w.feature.pos4),
            w.feature.lemma or w.surface,
        )
        for w in fugashi.Tagger()(text)
    ]
    assert [(t.surface, t.pos, t.lemma) for t in tokenize(text)] == expected


def test_offsets_skip_white_space() -> None:
    tokens = tokenize("銀行 は\n発表")
    assert [(t.surface, t.start, t.end) for t in tokens] == [("銀行", 0, 2), ("は", 3, 4), ("発表", 5, 7)]


def test_text_after_a_nul_is_tokenized() -> None:
    tokens = tokenize("銀行\0発表")
    assert [(t.surface, t.start, t.end) for t in tokens] == [("銀行", 0, 2), ("発表", 3, 5)]
