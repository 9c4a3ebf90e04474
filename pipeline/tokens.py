"""The morpheme layer the rules read: fugashi (MeCab) with the UniDic-lite dictionary.

UniDic's fine-grained POS (名詞-固有名詞-人名-姓, 名詞-数詞, 接尾辞-名詞的-助数詞) is what the
person, count and name rules key on. It runs at hundreds of thousands of characters a second, so
both profiles share this one token layer (it is their spaCy tokenizer too, and the trained
recognizer's input).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from typing import NamedTuple

import fugashi


class Token(NamedTuple):
    """One morpheme; a tuple because an article has thousands and building them must be cheap."""

    surface: str
    start: int
    end: int
    pos: tuple[str, str, str, str]  # UniDic pos1..pos4, "*" when unset
    lemma: str

    @property
    def is_noun(self) -> bool:
        return self.pos[0] == "名詞" or (self.pos[0] == "接尾辞" and self.pos[1] == "名詞的")


@lru_cache(maxsize=1)
def _tagger() -> fugashi.Tagger:
    return fugashi.Tagger()


def _head_fields(raw: str) -> list[str]:
    """pos1..pos4, cType, cForm, lForm, lemma and the unsplit rest of a raw UniDic feature line.

    fugashi's named-tuple `feature` splits all 26 fields and costs more than the parse itself;
    a field holding a comma is quoted, so only a quote among the first eight needs a CSV reader.
    """
    fields = raw.split(",", 8)
    rest = len(fields[8]) if len(fields) > 8 else 0
    if 0 <= raw.find('"') < len(raw) - rest:
        return next(csv.reader([raw]))
    return fields


def tokenize(text: str) -> list[Token]:
    """Tokens with character offsets into `text` (MeCab drops white space; offsets skip it)."""
    tokens: list[Token] = []
    pos = 0
    for word in _tagger()(text):
        surface = word.surface
        # MeCab skips only white space, so a token nearly always starts where the last one ended.
        start = pos if text.startswith(surface, pos) else text.find(surface, pos)
        if start < 0:  # MeCab never rewrites surfaces, but stay total on odd input
            continue
        end = start + len(surface)
        f = _head_fields(word.feature_raw)
        # Unknown words carry only the six POS and conjugation fields, no lemma.
        lemma = f[7] if len(f) > 7 else None
        tokens.append(Token(surface, start, end, (f[0], f[1], f[2], f[3]), lemma or surface))
        pos = end
    return tokens
