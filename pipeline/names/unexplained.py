"""Where statistical NER can still add a name: sentences holding a name-like word no rule explains.

The rules already type every gazetteer name, suffix name (…ホールディングス, …信用金庫), person
with a title, figure and date. GiNZA's NER (tok2vec + a transition-based tagger over ~190 labels)
costs about twenty times the rules per character, and its spans are used only as name candidates
(`pipeline.names.orgs`, `pipeline.names.people`), so the accurate profile runs it only on the
sentences where a word looks like a name and no mention covers it:
- a UniDic proper noun (固有名詞), or
- a katakana or Latin word that UniDic does not know (its lemma is its surface: known loanwords
  carry a gloss, サービス-service), unless it is a common acronym (ATM, SMS: models/names).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from pipeline.names.gazetteer import NAMES_DIR, read_column
from pipeline.tokens import Token
from pipeline.types import Mention

_FOREIGN = re.compile(r"[ァ-ヺー・]{2,}|[A-Za-z][A-Za-z0-9&.\-]+")
_SENTENCE = re.compile(r"[^。!?\n]*(?:[。!?]+|\n|$)")  # text is NFKC: ！ is !


@lru_cache(maxsize=1)
def _common_acronyms() -> frozenset[str]:
    return frozenset(a.upper() for a in read_column(NAMES_DIR / "common_acronyms.tsv"))


def name_like(token: Token) -> bool:
    if token.pos[1] == "固有名詞":
        return True
    return (
        token.lemma == token.surface
        and _FOREIGN.fullmatch(token.surface) is not None
        and token.surface.upper() not in _common_acronyms()
    )


def unexplained_sentences(
    text: str, tokens: Sequence[Token], mentions: Sequence[Mention]
) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text` holding a name-like token that no mention covers."""
    covered = bytearray(len(text))
    for m in mentions:
        covered[m.start : m.end] = b"\x01" * (m.end - m.start)
    open_at = sorted(t.start for t in tokens if name_like(t) and not all(covered[t.start : t.end]))
    spans: list[tuple[int, int]] = []
    i = 0
    for sent in _SENTENCE.finditer(text):
        if sent.start() == sent.end():
            continue
        while i < len(open_at) and open_at[i] < sent.start():
            i += 1
        if i < len(open_at) and open_at[i] < sent.end():
            spans.append((sent.start(), sent.end()))
    return spans
