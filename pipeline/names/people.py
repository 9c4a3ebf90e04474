"""People: names from the trained recognizer and UniDic's 人名 tags, with the job title beside them.

UniDic tags most surnames as 名詞-固有名詞-人名-姓, but tags some as place names (高市, 澤田) when they
stand alone, as in headlines. Such a word is accepted as a name only when a title follows it and
the article spells the full name elsewhere (`known`), or when the recognizer marks it as a person.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from pipeline.names.gazetteer import NAMES_DIR, read_tsv
from pipeline.names.orgs import is_generic
from pipeline.names.statistical import name_tokens, person_proposals
from pipeline.tokens import Token, per_token_list
from pipeline.types import Mention

_NAME_CHARS = re.compile(r"^[\u3040-\u30ff\u4e00-\u9fff々ヶ]+$")
_KANJI_END = re.compile(r"[\u4e00-\u9fff々]$")
_KANJI_START = re.compile(r"^[\u4e00-\u9fff々]")
_KATAKANA = re.compile(r"^[ァ-ヺー]{2,}$")
# The characters of `_KATAKANA`'s class.
_KATAKANA_CHARS = frozenset(map(chr, range(ord("ァ"), ord("ヺ") + 1))) | {"ー"}
_KATAKANA_PIECE = re.compile(r"^[ァ-ヺー]+$")
_SMALL_KANA = re.compile(r"^[ァィゥェォッャュョヮー]")
_KANJI_ONLY = re.compile(r"^[\u4e00-\u9fff々]+$")
_TITLE_CHARS = re.compile(r"^[\u4e00-\u9fff々A-Z]+$")


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    rows = read_tsv(NAMES_DIR / "titles.tsv")
    kinds = ("title", "honorific")
    words = {kind: frozenset(r["title"] for r in rows if r["kind"] == kind) for kind in kinds}
    return {**words, "person_only": frozenset(r["title"] for r in rows if r["person_only"] == "yes")}


def _person_only(title: str) -> bool:
    """Titles only a person holds (大統領, 市長, 選手, 容疑者), unlike 社長 after a firm's name."""
    return title.endswith(tuple(_words()["person_only"]))


def _is_surname(tok: Token) -> bool:
    return tok.pos[1:3] == ("固有名詞", "人名") and tok.pos[3] == "姓"


def _is_person(tok: Token) -> bool:
    return tok.pos[1:3] == ("固有名詞", "人名")


def _is_place(tok: Token) -> bool:
    return tok.pos[1:3] == ("固有名詞", "地名")


def _is_given(tok: Token) -> bool:
    return tok.pos[1:3] == ("固有名詞", "人名") and tok.pos[3] == "名"


def _is_title_token(tok: Token) -> bool:
    """Parts of a title: common nouns and affixes in kanji (総務, 大臣, 副, 社長) or CEO-like caps."""
    return (
        tok.pos[1] != "固有名詞"
        and tok.pos[0] in ("名詞", "接頭辞", "接尾辞")
        and bool(_TITLE_CHARS.match(tok.surface))
    )


@lru_cache(maxsize=1)
def _titles() -> tuple[str, ...]:
    return tuple(_words()["title"])


def _ends_in_title(surface: str) -> bool:
    return surface.endswith(_titles())


def _starts_title(tok: Token) -> bool:
    """元 and 前 before a title, or the first word of one (官房 of 官房長官, 裁判 of 裁判長)."""
    return tok.surface in ("元", "前", "現") or any(t.startswith(tok.surface) for t in _titles())


def _title_after(text: str, tokens: Sequence[Token], i: int) -> str | None:
    """The longest title written right after the name that ends at token index i-1 (総務大臣)."""
    run: list[Token] = []
    for j in range(i, len(tokens)):  # by index: a slice would copy the rest of the text's tokens
        tok = tokens[j]
        if tok.start != (run[-1].end if run else tokens[i - 1].end) or not _is_title_token(tok):
            break
        run.append(tok)
    for k in range(len(run), 0, -1):
        surface = text[run[0].start : run[k - 1].end]
        if _ends_in_title(surface):
            return surface
    return None


def _title_before(text: str, tokens: Sequence[Token], i: int) -> str | None:
    """A title that ends right before the name at token index i (社長の山田太郎, 社長 山田太郎)."""
    j, start = i - 1, tokens[i].start
    if j >= 0 and text[tokens[j].end : start] in ("", " ") and tokens[j].surface == "の":
        j, start = j - 1, tokens[j].start
    run: list[Token] = []
    while j >= 0 and text[tokens[j].end : start] in ("", " ") and _is_title_token(tokens[j]):
        run.insert(0, tokens[j])
        start = tokens[j].start
        j -= 1
    surface = text[run[0].start : run[-1].end] if run else ""
    return surface if surface and _ends_in_title(surface) else None


def _honorific_after(text: str, tokens: Sequence[Token], i: int) -> bool:
    """さん, 氏, 容疑者 right after the name that ends at token index i-1 (UniDic splits 容疑+者)."""
    end = tokens[i - 1].end
    return i < len(tokens) and tokens[i].start == end and text.startswith(_honorifics(), end)


@lru_cache(maxsize=1)
def _honorifics() -> tuple[str, ...]:
    return tuple(_words()["honorific"])


def _model_spans(
    text: str, tokens: Sequence[Token], ner: Iterable[tuple[int, int, str]]
) -> list[tuple[int, int]]:
    """The trained recognizer's PERSON spans as token index ranges, each cut to the name itself:
    without a title inside (村瀬元部長 -> 村瀬, 北条晴彦官房 before 長官 -> 北条晴彦), a place before it
    (広島森下千鶴子 -> 森下千鶴子) or a figure after it (東山一郎80), split where ・ joins two kanji names
    (西村・高田 is two people; ロザリア・メンドーサ is one), and none that is only a place (北京共同)."""
    proposals = person_proposals(ner)
    if not proposals:  # the fast profile has no recognizer: spare it the index
        return []
    out = []
    index = {t.start: i for i, t in enumerate(tokens)}
    for start, end, _, _ in proposals:
        name = name_tokens(text, tokens, start, end)
        while len(name) > 1 and name[-1].pos[1] == "数詞":
            name.pop()
        while len(name) > 1 and _is_place(name[0]) and _is_person(name[1]):
            name.pop(0)
        if not name or (any(_is_place(t) for t in name) and not any(_is_person(t) for t in name)):
            continue
        if (k := index[name[-1].start] + 1) < len(tokens) and _splits_given_name(name, tokens, k):
            name.append(tokens[k])
        surface = text[name[0].start : name[-1].end]
        if all(_common_word(t) for t in name) or is_generic(surface) or surface in _titles():
            continue  # エスカレーター, レフリー, 煙, 県警, 天皇: words and titles, not names
        for piece in _kanji_list_pieces(name):
            a, b = index[piece[0].start], index[piece[-1].start] + 1
            b = next(
                (k for k in range(a + 1, b) if _starts_title(tokens[k]) and _title_after(text, tokens, k)), b
            )
            out.append((a, b))
    return out


# One-kanji nouns written onto a person's name that are no part of it (村瀬宅, 北条家, 浜辺派).
_ATTACHED_TO_NAMES = frozenset("宅邸家派側組陣像賞杯号丸流式館殿様君氏軍隊団党夫妻")


def _splits_given_name(name: list[Token], tokens: Sequence[Token], k: int) -> bool:
    """村瀬成|格, 北条英|木: a surname and a one-kanji piece, then a one-kanji common noun glued on
    and closing the word: the given name UniDic cut in two, which the recognizer's span stops inside."""
    last, nxt = name[-1], tokens[k]
    closes = k + 1 == len(tokens) or not tokens[k + 1].is_noun
    return (
        len(name) == 2
        and _is_surname(name[0])
        and len(last.surface) == 1
        and nxt.start == last.end
        and len(nxt.surface) == 1
        and nxt.pos[1] == "普通名詞"
        and _KANJI_ONLY.match(last.surface + nxt.surface) is not None
        and nxt.surface not in _titles()
        and nxt.surface not in _ATTACHED_TO_NAMES
        and closes
    )


def _common_word(tok: Token) -> bool:
    """A common noun UniDic knows: a loanword with its gloss (レフェリー-referee) or one kanji (煙)."""
    return tok.pos[1] == "普通名詞" and ("-" in tok.lemma or len(tok.surface) == 1)


def _kanji_list_pieces(name: list[Token]) -> list[list[Token]]:
    """`name` cut at each ・ that stands between two kanji words: Japanese names are listed so."""
    pieces: list[list[Token]] = [[]]
    for i, tok in enumerate(name):
        between_kanji = (
            0 < i < len(name) - 1
            and tok.surface == "・"
            and _KANJI_END.search(name[i - 1].surface) is not None
            and _KANJI_START.match(name[i + 1].surface) is not None
        )
        if between_kanji:
            pieces.append([])
        else:
            pieces[-1].append(tok)
    return [p for p in pieces if p]


def _unknown_katakana(tok: Token) -> bool:
    """A katakana word UniDic does not know (its lemma is its surface; known loanwords carry a gloss,
    コースター-coaster): most often a foreign name."""
    return tok.pos[0] == "名詞" and tok.lemma == tok.surface and _KATAKANA.match(tok.surface) is not None


def _candidate_spans(tokens: Sequence[Token]) -> list[tuple[int, int, bool]]:
    """(start token, end token, strong) for 姓(+名) sequences, lone proper nouns and person names
    (アダムス, 恵美子), and katakana words UniDic does not know (マクロン)."""
    out = []
    paired = -1  # the given name of the last 姓+名 pair: no span starts at it
    for k, tok in enumerate(tokens):
        pos = tok.pos
        if pos[0] != "名詞" or k == paired:  # every name word is a noun; most tokens are not
            continue
        if pos[1] != "固有名詞":  # most nouns are common: one is a name only as unknown katakana
            # The first character tells most common nouns from katakana without a call.
            if (
                tok.surface[:1] in _KATAKANA_CHARS
                and _unknown_katakana(tok)
                and _NAME_CHARS.match(tok.surface)
            ):
                out.append((k, k + 1, False))
            continue
        if _is_surname(tok):
            given = k + 1 < len(tokens) and _is_given(tokens[k + 1]) and tokens[k + 1].start == tok.end
            out.append((k, k + 2 if given else k + 1, given))
            if given:
                paired = k + 1
            continue
        if _is_given(tok) and k > 0 and _unlisted_surname(tokens[k - 1], tok):
            out.append((k - 1, k + 1, False))  # 浜辺一雄: UniDic knows the given name, not the surname
        short_proper = len(tok.surface) <= 3
        if _NAME_CHARS.match(tok.surface) and (short_proper or _is_person(tok) or _unknown_katakana(tok)):
            out.append((k, k + 1, False))
    return out


def _unlisted_surname(tok: Token, given: Token) -> bool:
    """A kanji noun of one to three characters written right before a given name."""
    return (
        tok.end == given.start
        and tok.pos[0] == "名詞"
        and 1 <= len(tok.surface) <= 3
        and _KANJI_ONLY.match(tok.surface) is not None
    )


def _titled_name(tokens: Sequence[Token], a: int, b: int, title: str | None, honorific: bool) -> bool:
    """A name UniDic tags 人名 (恵美子新社長, 浜辺一雄大臣, アダムス市長) with a title or honorific, or a
    katakana word before an honorific or a title only a person holds (マクロン大統領, not アオバ社長 or
    ミライノベート社長: a firm's name comes before 社長 as often)."""
    last = tokens[b - 1]
    if not (honorific or title) or not (_is_person(last) or _unknown_katakana(last)):
        return False
    if b - a == 2 and not _is_given(last):
        return False
    katakana = _KATAKANA.match(last.surface) is not None
    return not katakana or honorific or (title is not None and _person_only(title))


class _Candidate(NamedTuple):
    """A span that may be a name, with all that decides it but the names known from the article."""

    start: int
    end: int
    title: str | None
    strong: bool  # a trained span or a 姓+名 pair: a name by itself
    from_ner: bool
    surname: bool  # a lone surname
    cued: bool  # a title or an honorific beside it
    titled: bool  # `_titled_name`


# `pipeline.mentions` tags each text twice, the second time knowing more full names: the candidates
# do not depend on those, so the last text's are kept.
@per_token_list
def _find_candidates(
    text: str, tokens: Sequence[Token], ner: Sequence[tuple[int, int, str]]
) -> list[_Candidate]:
    """Every span that may name a person, with its title and cues, strongest source first."""
    # Order is precedence (`pipeline.names.statistical`): the trained recognizer, then UniDic.
    spans = [(a, b, True, True) for a, b in _model_spans(text, tokens, ner)]
    spans += [(a, b, strong, False) for a, b, strong in _candidate_spans(tokens)]
    out = []
    for a, b, strong, from_ner in spans:
        a = _foreign_name_start(tokens, a)
        title = _title_after(text, tokens, b) or _title_before(text, tokens, a)
        honorific = _honorific_after(text, tokens, b)
        out.append(
            _Candidate(
                start=tokens[a].start,
                end=tokens[b - 1].end,
                title=title,
                strong=strong,
                from_ner=from_ner,
                surname=_is_surname(tokens[a]) and b - a == 1,
                cued=title is not None or honorific,
                titled=_titled_name(tokens, a, b, title, honorific),
            )
        )
    return out


def tag_people(
    text: str, tokens: list[Token], ner: Sequence[tuple[int, int, str]] = (), known: Collection[str] = ()
) -> list[Mention]:
    """PERSON mentions with the adjacent job title; `known` are full names seen elsewhere in the article."""
    found: dict[tuple[int, int], Mention] = {}
    for c in _find_candidates(text, tokens, ner):
        start, end, title = c.start, c.end, c.title
        surface = text[start:end]
        # Only a cued name or a lone surname needs a fuller form known from the article.
        needs_known = c.cued or c.surname
        keep = c.strong or c.titled or (needs_known and _confirmed(surface, known)) or (c.surname and c.cued)
        if keep and not any(s < end and start < e for s, e in found):
            source = "ner" if c.from_ner else "rule"
            found[(start, end)] = Mention(
                start, end, surface, "PERSON", value=surface, title=title, source=source
            )
    return sorted(found.values(), key=lambda m: m.start)


def _confirmed(surface: str, known: Collection[str]) -> bool:
    """The article spells the name more fully elsewhere (高市 of 高市早苗)."""
    return any(k.startswith(surface) and len(k) > len(surface) for k in known)


def _foreign_name_start(tokens: Sequence[Token], a: int) -> int:
    """Where a katakana name starts when its given names come before it joined by ・ or =
    (ロザリア・メンドーサ, ジャン=ポール); a place before ・ is not one (フランス・パリ)."""
    while (
        a >= 2
        and tokens[a - 1].surface in ("・", "=")
        and tokens[a - 2].end == tokens[a - 1].start
        and tokens[a - 1].end == tokens[a].start
        and _KATAKANA.match(tokens[a].surface)
    ):
        j = a - 2  # UniDic may cut an unknown name in pieces (ロザ+リア): take the whole katakana run
        while j > 0 and tokens[j - 1].end == tokens[j].start and _KATAKANA_PIECE.match(tokens[j - 1].surface):
            j -= 1
        run = tokens[j : a - 1]
        katakana = all(_KATAKANA_PIECE.match(t.surface) for t in run)
        if not katakana or any(_is_place(t) for t in run) or _SMALL_KANA.match(run[0].surface):
            break
        a = j
    return a


def full_names(mentions: Iterable[Mention]) -> set[str]:
    """Names of more than one token's worth, to confirm bare surnames in the rest of the article."""
    return {m.text for m in mentions if m.type == "PERSON" and len(m.text) >= 3}


def resolve_people(mentions: list[Mention]) -> list[Mention]:
    """Within one article: value = the fullest form of each name (高市 -> 高市早苗); titles are shared."""
    people = [m for m in mentions if m.type == "PERSON"]
    for m in people:
        fuller = [p.text for p in people if p.text.startswith(m.text)]
        m.value = max(fuller, key=len)
    titles: dict[str, str] = {}
    for m in people:
        if m.title and m.value:
            titles.setdefault(m.value, m.title)
    for m in people:
        if m.title is None and m.value in titles:
            m.title = titles[m.value]
    return mentions
