"""The morpheme layer the rules read: fugashi (MeCab) with the UniDic-lite dictionary.

UniDic's fine-grained POS (名詞-固有名詞-人名-姓, 名詞-数詞, 接尾辞-名詞的-助数詞) is what the
person, count and name rules key on. It runs at hundreds of thousands of characters a second, so
both profiles share this one token layer (it is their spaCy tokenizer too, and the trained
recognizer's input).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from operator import is_
from typing import NamedTuple, TypeVar

import fugashi

R = TypeVar("R")


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


# MeCab writes each morpheme as one line of just the fields the rules read (surface, pos1..pos4,
# lemma); splitting that string costs a fraction of fugashi's per-node objects and their 26-field
# features. MeCab prints an unset field ("*") as empty, and unknown words have no lemma. fugashi
# strips the string, so a last line (EOS) keeps the last morpheme's empty fields.
_FORMAT = (
    r'-O "" --node-format="%m\t%f[0]\t%f[1]\t%f[2]\t%f[3]\t%f[7]\n"'
    r' --unk-format="%m\t%f[0]\t%f[1]\t%f[2]\t%f[3]\t\n" --eos-format="EOS"'
)


@lru_cache(maxsize=1)
def _tagger() -> fugashi.Tagger:
    return fugashi.Tagger(_FORMAT)


def tokenize(text: str) -> list[Token]:
    """Tokens with character offsets into `text` (MeCab drops white space; offsets skip it)."""
    tokens: list[Token] = []
    pos = 0
    # MeCab reads a C string: at a NUL it would stop, so it sees white space there instead.
    for line in _tagger().parse(text.replace("\0", " ")).split("\n")[:-1]:
        surface, pos1, pos2, pos3, pos4, lemma = line.split("\t")
        # MeCab skips only white space, so a token nearly always starts where the last one ended.
        start = pos if text.startswith(surface, pos) else text.find(surface, pos)
        if start < 0:  # MeCab never rewrites surfaces, but stay total on odd input
            continue
        end = start + len(surface)
        tags = (pos1 or "*", pos2 or "*", pos3 or "*", pos4 or "*")
        tokens.append(Token(surface, start, end, tags, lemma or surface))
        pos = end
    return tokens


def per_token_list(fn: Callable[..., R]) -> Callable[..., R]:
    """`fn(tokens, ...)` computed once for the arguments last passed (the token list, and the text
    or spans it goes with), which the name taggers read twice per text (`pipeline.mentions`). They
    are compared by identity and held, so no other object can take their identity; the result is
    shared, so callers must not change it."""
    last: list = [(), None]

    @wraps(fn)
    def cached(*args: object) -> R:
        held = last[0]
        if len(held) != len(args) or not all(map(is_, held, args)):
            last[:] = [args, fn(*args)]
        return last[1]

    return cached
