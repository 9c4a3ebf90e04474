"""Where statistical spans meet the rules: the one policy for combining name sources.

`doc._.ner` holds (start, end, label) spans of the trained recognizer (models/ner,
`jnews_trained_ner`, on all text): our own labels COMPANY, ORGANIZATION, PERSON, and the auxiliary
LOCATION, FACILITY, PRODUCT, EVENT it learnt so as to know what a name is not (never output).
GiNZA's own NER is not a source: with the trained recognizer beside the rules it added no name
that measured (wikinews-dev and stockmark-dev) and read most of real news's text at twenty times
the rules' cost per character.

Policy, strongest source first; a weaker candidate overlapping a stronger one is dropped
(`pipeline.names.orgs._select`, then `pipeline.mentions.resolve_overlaps` across types, longest first):
1. the gazetteer: its type and canonical name always win for a surface it knows;
2. suffix and legal-form rules (〜銀行, 〜信用金庫 -> BANK, 株式会社〜, 〜府警 -> ORGANIZATION);
3. news patterns (「…を手掛けるX」, 「X(本社・…)」);
4. the trained recognizer: its boundaries are kept (they follow annotated text), its type is
   corrected by the gazetteer (a span the gazetteer knows as a bank or a payment service takes that
   type and canonical name) and by the suffix rules over the same span (〜銀行, 〜信用金庫 -> BANK);
   otherwise its label stands.
People (`pipeline.names.people`): a trained PERSON span is a name by itself, without a title or
UniDic's 人名 tag, and wins over UniDic's shorter reading where they overlap (村瀬千尋彦, not
村瀬千尋; ロザリア・メンドーサ as one name); UniDic's 姓+名 pairs and titled surnames come next.
Canonical values follow from the name's shape whichever source found it (`pipeline.names.official`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from pipeline.names.gazetteer import NAMES_DIR, read_tsv
from pipeline.tokens import Token

# The trained recognizer's output labels, and the ones it learns only to tell names apart.
TRAINED_ORG_LABELS = ("COMPANY", "ORGANIZATION")
TRAINED_PERSON = "PERSON"
AUXILIARY_LABELS = ("LOCATION", "FACILITY", "PRODUCT", "EVENT")

# The source name ranked in `pipeline.names.orgs` (lower wins).
MODEL = "model"


class Proposal(NamedTuple):
    start: int
    end: int
    type: str
    source: str


# Word classes that never begin or end a name; 元/前 before a title (元社長) belong to the title.
_NOT_AT_EDGE = frozenset({"補助記号", "助詞", "助動詞", "接続詞", "動詞", "形容詞", "副詞", "感動詞"})
_TITLE_PREFIXES = frozenset({"元", "前", "現", "故", "新"})

# Inside a learnt span these end a clause: only the piece after the last of them can be the name.
_BREAK = re.compile(r"[。…「」『』\n]")


@lru_cache(maxsize=1)
def honorifics() -> frozenset[str]:
    """さん, 氏, 容疑者: they end a person's name, and show that a span names no organization (湊川さん)."""
    return frozenset(r["title"] for r in read_tsv(NAMES_DIR / "titles.tsv") if r["kind"] == "honorific")


def name_tokens(text: str, tokens: Sequence[Token], start: int, end: int) -> list[Token]:
    """The tokens of a learnt span without what cannot start or end a name.

    The recognizer learnt from Wikipedia, whose sentences have spaces and full stops where news
    headlines have none: 「2人逮捕静岡県警」「…村瀬会長」. A span keeps the piece after its last clause
    break, loses punctuation, particles and verbs at either edge, a 元/前 or an honorific (さん,
    容疑者) at its end.
    """
    inside = [t for t in tokens if t.start >= start and t.end <= end]
    breaks = [i for i, t in enumerate(inside) if _BREAK.search(t.surface)]
    if breaks:
        inside = inside[breaks[-1] + 1 :]
    while inside and inside[0].pos[0] in _NOT_AT_EDGE:
        inside.pop(0)
    while inside and (
        (inside[-1].pos[0] in _NOT_AT_EDGE and inside[-1].surface not in ")）")
        or inside[-1].surface in _TITLE_PREFIXES
        or (inside[-1].surface in honorifics() and len(inside) > 1)
    ):
        inside.pop()
    return inside


def org_proposals(ner: Iterable[tuple[int, int, str]]) -> list[Proposal]:
    """The recognizer's organization spans, typed as it suggests."""
    return [Proposal(s, e, label, MODEL) for s, e, label in ner if label in TRAINED_ORG_LABELS]


def person_proposals(ner: Iterable[tuple[int, int, str]]) -> list[Proposal]:
    """The recognizer's person spans."""
    return [Proposal(s, e, "PERSON", MODEL) for s, e, label in ner if label == TRAINED_PERSON]
