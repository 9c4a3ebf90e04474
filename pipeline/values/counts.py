"""COUNT mentions: a numeral with a counter (件, 口座, 行, 社 ...) and the noun it counts.

The counted noun comes from the morpheme layer, not from fixed windows: `N件の問い合わせ` names it
after の, `被害件数は120件` before the topic or subject particle, and counters that name their own
noun (口座, 行 → 銀行) need no context. 社 counts companies, so only company-like nouns qualify
and a service noun names its providers (決済サービス → 決済事業者).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.tokens import Token, tokenize
from pipeline.types import Mention
from pipeline.values.numbers import alternation, glued_to_word, quantity_pattern, read_tsv, resolve


@dataclass(frozen=True, slots=True)
class Counter:
    unit: str
    counted: str
    mode: str  # fixed | context | company | compound


_ROWS = read_tsv("counters.tsv")
_COUNTERS = {
    r["surface"]: Counter(r["unit"], r["counted"], r["mode"]) for r in _ROWS if r["mode"] != "compound"
}
_HEADS = [r["surface"] for r in _ROWS if r["mode"] == "compound"]
_NOUN_CLASS = {r["head"]: r["class"] for r in read_tsv("counted_nouns.tsv")}
_BY_LENGTH = sorted(_NOUN_CLASS, key=len, reverse=True)

# Ordinals (2回目), rates (1件あたり) and spans (3日間) are not counts of things.
_NOT_AFTER = r"(?!目|番|位|間|あたり|当たり|当り|につき|ごと|毎)"
# A compound counter is a kanji/katakana noun ending in a head: 6決済サービス, 3地方銀行.
_COMPOUND = rf"[\u30a0-\u30ff\u4e00-\u9fff]{{0,8}}?(?:{alternation(_HEADS)})"
_COUNTER = rf"(?:{alternation(list(_COUNTERS))}|{_COMPOUND}){_NOT_AFTER}"
_COUNT_RE = re.compile(quantity_pattern(_COUNTER))
# Topic, subject and list marks: the noun they follow is what the sentence goes on to count.
_SUBJECT_MARKS = frozenset({"は", "が", "も", "、"})
_SENTENCE_END = frozenset({"。", "!", "?", "\n"})
_SERVICE_SUFFIX = "事業者"


def _head_class(noun: str) -> str | None:
    return next((_NOUN_CLASS[h] for h in _BY_LENGTH if noun.endswith(h)), None)


def _is_counter(tokens: list[Token], i: int) -> bool:
    # 機 is a noun in 券売機 but a counter in 2機: only a numeral before it makes it one.
    return tokens[i].pos[2] in ("助数詞可能", "助数詞") and i > 0 and tokens[i - 1].pos[1] == "数詞"


def _noun_like(tokens: list[Token], i: int) -> bool:
    tok = tokens[i]
    return tok.is_noun and tok.pos[1] not in ("数詞", "代名詞") and not _is_counter(tokens, i)


def _chunks(tokens: list[Token]) -> list[tuple[int, int]]:
    """Maximal runs [i, j) of noun tokens: the compound nouns a counted noun is chosen from."""
    runs, i = [], 0
    while i < len(tokens):
        if _noun_like(tokens, i) or (tokens[i].pos[0] == "接頭辞" and i + 1 < len(tokens)):
            j = i + 1
            while j < len(tokens) and _noun_like(tokens, j):
                j += 1
            if any(_noun_like(tokens, k) for k in range(i, j)):
                runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _without_measure(toks: list[Token]) -> list[Token]:
    # 被害件数 → 被害, 銀行数 → 銀行; a bare measure word (金額) leaves nothing.
    return toks[:-1] if _NOUN_CLASS.get(toks[-1].surface) == "measure" else toks


def _company_noun(text: str, tokens: list[Token], run: tuple[int, int]) -> str | None:
    noun = text[tokens[run[0]].start : tokens[run[1] - 1].end]
    cls = _head_class(noun)
    if cls == "org":
        return noun
    if cls == "service" and run[1] - run[0] >= 2:
        return tokens[run[1] - 2].surface + _SERVICE_SUFFIX
    return None


def _generic_noun(text: str, tokens: list[Token], run: tuple[int, int]) -> str | None:
    toks = tokens[run[0] : run[1]]
    if any(t.pos[1] == "固有名詞" for t in toks) or (len(toks) == 1 and toks[0].pos[2] == "副詞可能"):
        return None
    toks = _without_measure(toks)
    noun = text[toks[0].start : toks[-1].end] if toks else ""
    # Organizations report counts; they are not what is counted (銀行は10件).
    return noun if noun and _head_class(noun) not in ("org", "service") else None


def _sentence(tokens: list[Token], i0: int, i1: int) -> tuple[int, int]:
    lo = i0
    while lo > 0 and tokens[lo - 1].surface not in _SENTENCE_END:
        lo -= 1
    hi = i1
    while hi < len(tokens) and tokens[hi].surface not in _SENTENCE_END:
        hi += 1
    return lo, hi


def _after_no(tokens: list[Token], i1: int) -> int | None:
    """Start of the noun after `N件の` (skipping a figure glued on, as in 109件1811万円の被害)."""
    j = i1
    while j < len(tokens) and (tokens[j].pos[1] == "数詞" or _is_counter(tokens, j)):
        j += 1
    return j + 1 if j + 1 < len(tokens) and tokens[j].surface == "の" else None


def _counted(
    text: str, tokens: list[Token], span: tuple[int, int], counter: Counter, context: list[Token], ctx: str
) -> str:
    i0 = next((i for i, t in enumerate(tokens) if t.end > span[0]), len(tokens))
    i1 = next((i for i, t in enumerate(tokens) if t.start >= span[1]), len(tokens))
    runs = _chunks(tokens)
    lo, hi = _sentence(tokens, i0, i1)
    follow = _after_no(tokens, i1)
    ahead = [r for r in runs if r[0] == follow]
    before = [r for r in reversed(runs) if lo <= r[0] and r[1] <= i0]
    if counter.mode == "company":
        later = [r for r in runs if r[0] >= i1 and r[1] <= hi]
        rest = [r for r in reversed(runs) if r[1] <= lo] + [r for r in runs if r[0] >= hi]
        candidates = [(text, tokens, r) for r in (*ahead, *before, *later, *rest)]
        candidates += [(ctx, context, r) for r in _chunks(context)]
        for src, toks, r in candidates:
            noun = _company_noun(src, toks, r)
            if noun:
                return noun
        return counter.counted
    # 容疑者3人: a noun written right before the numeral says what is counted.
    adjacent = [r for r in before if r[1] == i0]
    marked = [r for r in before if r[1] < len(tokens) and tokens[r[1]].surface in _SUBJECT_MARKS]
    for r in (*adjacent, *ahead, *marked):
        noun = _generic_noun(text, tokens, r)
        if noun:
            return noun
    return counter.counted


def _aligned(tokens: list[Token], start: int, end: int) -> bool:
    return any(t.start == start for t in tokens) and any(t.end == end for t in tokens)


def _compound_ok(tokens: list[Token], start: int, end: int) -> bool:
    inner = [i for i, t in enumerate(tokens) if start <= t.start and t.end <= end]
    return bool(inner) and all(_noun_like(tokens, i) and tokens[i].pos[1] != "固有名詞" for i in inner)


def tag_counts(text: str, tokens: list[Token], *, context: str = "") -> list[Mention]:
    """COUNT mentions in NFKC-normalized `text`, whose fugashi `tokens` are given.

    `context` is optional surrounding text (the rest of the article) consulted only when the text
    itself names nothing a 社 count could refer to.
    """
    ctx_tokens: list[Token] | None = None
    mentions = []
    for m in _COUNT_RE.finditer(text):
        q = resolve(m)
        surface = m["unit"]
        counter = _COUNTERS.get(surface) or Counter(surface, surface, "compound")
        num_start = m.start("lo") if m["lo"] else m.start("num")
        lone_one = m["num"] == "一" and not m["lo"]  # 一人, 一件: idioms far more often than counts
        if q is None or lone_one or glued_to_word(text, m):
            continue
        # The numeral and the counter are whole morphemes: 千葉銀行 holds no 千, 3行政 no 行.
        if not (_aligned(tokens, num_start, m.end("unit")) and _aligned(tokens, num_start, m.end("num"))):
            continue
        # Kanji numeral + noun is how banks are named (八十二銀行, 百五銀行), not how news counts.
        compound_ok = m["num"][0].isascii() and _compound_ok(tokens, m.start("unit"), m.end("unit"))
        if counter.mode == "compound" and not compound_ok:
            continue
        if q.value is not None and q.value != int(q.value):
            continue
        if counter.mode == "fixed" or counter.mode == "compound":
            counted = counter.counted
        else:
            if ctx_tokens is None:
                ctx_tokens = tokenize(context) if context else []
            counted = _counted(text, tokens, m.span(), counter, ctx_tokens, context)
        mentions.append(
            Mention(
                m.start(),
                m.end(),
                m[0],
                "COUNT",
                value=None if q.value is None else str(int(q.value)),
                value_int=None if q.value is None else int(q.value),
                min_int=None if q.low is None else int(q.low),
                max_int=None if q.high is None else int(q.high),
                qualifier=q.qualifier,
                unit=counter.unit,
                counted=counted,
            )
        )
    return mentions
