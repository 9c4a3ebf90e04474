"""COUNT mentions: a numeral with a counter (件, 口座, 行, 社 ...) and the noun it counts.

Counters come from `counters.tsv` (what each counts) and, beyond it, from UniDic: a word it tags as a
counter (助数詞, 助数詞可能: 棟, 戸, 両), a suffix noun (軒), a common noun after ASCII digits (3容疑者,
2駅) or after の (18の自治体); the words of `counters_not.tsv` (durations, measures, ages, ordinals)
never count. The counted noun comes from the morpheme layer, not from fixed windows: `N件の問い合わせ`
names it after の, `被害件数は120件` before the topic or subject particle, and counters that name their own
noun (口座, 行 → 銀行) need no context. 社 counts companies, so only company-like nouns qualify
and a service noun names its providers (決済サービス → 決済事業者). People and machine counters
(人, 台) take a noun of their class from the sentence. The chosen noun is then normalized by the
aliases in `counted_aliases.tsv` (相談 → 問い合わせ, 不正送金被害 → 被害, 被害に遭った顧客 → 被害者).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from operator import attrgetter

from pipeline.tokens import Token, tokenize
from pipeline.types import Mention
from pipeline.values.numbers import (
    QUANTITY_START,
    alternation,
    finditer_at,
    glued_to_word,
    numerals_before,
    quantity_pattern,
    read_tsv,
    resolve,
)


@dataclass(frozen=True, slots=True)
class Counter:
    unit: str
    counted: str
    mode: str  # fixed | context | company | compound
    noun_class: str = ""  # the class a noun from beyond the numeral's own phrase must have


@dataclass(frozen=True, slots=True)
class _Alias:
    noun: str  # a suffix of the chosen noun
    units: frozenset[str]  # counters it applies to; empty = all
    cues: tuple[str, ...]  # words one of which must occur in the sentence; empty = none needed
    counted: str


@dataclass(frozen=True, slots=True)
class _Scope:
    """What every candidate noun is read against: the text, its runs and the count's sentence."""

    text: str
    tokens: list[Token]
    runs: list[tuple[int, int]]  # all of the text's, or at least those `_context_noun` reads
    lo: int  # sentence bounds in tokens
    hi: int
    sentence: str
    unit: str


_ROWS = read_tsv("counters.tsv")
_COUNTERS = {
    r["surface"]: Counter(r["unit"], r["counted"], r["mode"], r["class"])
    for r in _ROWS
    if r["mode"] != "compound"
}
_HEADS = [r["surface"] for r in _ROWS if r["mode"] == "compound"]
# Words after a numeral that never make it a count of things (6時間, 5km, 2位, 3号).
_NOT_ROWS = read_tsv("counters_not.tsv")
_NOT_COUNTERS = frozenset(r["surface"] for r in _NOT_ROWS)
# Those that also end a count when UniDic glues more onto them (年度, 月末, 階建て, 番目).
_NOT_PREFIXES = tuple(r["surface"] for r in _NOT_ROWS if r["prefix"] == "yes")
_WORD = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]+")
_NAME_WORD = re.compile(r"[\u30a0-\u30ff\u4e00-\u9fff]+")
# 週1回, 年3回: a count per period is a rate (今年3人 is not: 今, 昨, 来 make the period a date).
_RATE_BEFORE = re.compile(r"(?<![今昨来同本前翌先\d])(?:週|月|年)$")
_NOUNS = {r["head"]: (r["class"], r["counted"]) for r in read_tsv("counted_nouns.tsv")}
# The heads' lengths, longest first: a noun's head is one dict lookup per length, not a test per head.
_HEAD_LENGTHS = sorted({len(h) for h in _NOUNS}, reverse=True)
_ALIASES = sorted(
    (
        _Alias(
            r["noun"],
            frozenset(filter(None, r["units"].split("|"))),
            tuple(filter(None, r["cue"].split("|"))),
            r["counted"],
        )
        for r in read_tsv("counted_aliases.tsv")
    ),
    # A row that needs a cue or a counter is more specific than one that does not.
    key=lambda a: (not a.cues, not a.units, -len(a.noun)),
)

# Ordinals (2回目), rates (1件あたり, 1口座最大) and spans (3日間) are not counts of things.
_NOT_AFTER = r"(?!目|番|位|間|あたり|当たり|当り|につき|ごと|毎|最大|上限|乗り)"
# A compound counter is a kanji/katakana noun ending in a head: 6決済サービス, 3地方銀行.
_COMPOUND = rf"[\u30a0-\u30ff\u4e00-\u9fff]{{0,8}}?(?:{alternation(_HEADS)})"
_COUNTER = rf"(?:{alternation(list(_COUNTERS))}|{_COMPOUND}){_NOT_AFTER}"
_COUNT_RE = re.compile(quantity_pattern(_COUNTER))
_COUNT_ENDS = numerals_before(_COUNTER)
# Topic, subject, object and list marks: the noun they follow is what the sentence goes on to
# count (被害は120件, 偽サイトを6000件検知).
_SUBJECT_MARKS = frozenset({"は", "が", "も", "を", "、"})
_SENTENCE_END = re.compile(r"[。!?\n]")
_CLAUSE_END = frozenset({"、", "。", "!", "?"})
_COORDINATORS = frozenset({"や", "と", "・"})
# 島田頭取ら役員: a plural suffix closes a list of names; the noun after it is the head.
_PLURAL = frozenset({"ら", "たち", "達", "等"})
# うち, 年間, 一時: adverbial nouns that open a run but name nothing counted.
_ADVERBIAL = frozenset({"副詞可能", "助数詞可能"})
_SERVICE_SUFFIX = "事業者"
_NOT_COUNTED = frozenset({"org", "service", "anaphor", "aggregate"})


def _head(noun: str) -> tuple[str, str] | None:
    """(class, canonical noun) of the longest listed head that ends `noun`."""
    # A length beyond the noun's takes the whole noun, which is then the longest head there can be.
    return next((_NOUNS[end] for n in _HEAD_LENGTHS if (end := noun[-n:]) in _NOUNS), None)


def _class(noun: str) -> str | None:
    head = _head(noun)
    return head[0] if head else None


def _is_counter(tokens: list[Token], i: int) -> bool:
    # 機 is a noun in 券売機 but a counter in 2機: only a numeral before it makes it one.
    return tokens[i].pos[2] in ("助数詞可能", "助数詞") and i > 0 and tokens[i - 1].pos[1] == "数詞"


def _noun_like(tokens: list[Token], i: int) -> bool:
    tok = tokens[i]
    return tok.is_noun and tok.pos[1] not in ("数詞", "代名詞") and not _is_counter(tokens, i)


def _chunks(tokens: list[Token], start: int = 0, stop: int | None = None) -> list[tuple[int, int]]:
    """Maximal runs [i, j) of noun tokens, the compound nouns a counted noun is chosen from: those
    that begin in [start, stop), which are the runs of the whole list there when `start` is one
    `_fresh_start` gives."""
    n = len(tokens)
    runs, i = [], start
    while i < (n if stop is None else stop):
        noun = _noun_like(tokens, i)
        if noun or (tokens[i].pos[0] == "接頭辞" and i + 1 < n):
            j = i + 1
            # A gap is white space MeCab dropped (the headline/body newline): it ends the noun.
            while j < n and tokens[j].start == tokens[j - 1].end and _noun_like(tokens, j):
                j += 1
            if noun or j > i + 1:  # a prefix counts only with a noun after it
                runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _fresh_start(tokens: list[Token], i: int) -> int:
    """The nearest index at or before `i` where `_chunks` over the whole list starts afresh: the
    first token, or one after a token that is neither a noun nor a prefix (no run holds one)."""
    while i > 0 and (_noun_like(tokens, i - 1) or tokens[i - 1].pos[0] == "接頭辞"):
        i -= 1
    return i


def _alias(noun: str, unit: str, sentence: str) -> str:
    for a in _ALIASES:
        if (
            noun.endswith(a.noun)
            and (not a.units or unit in a.units)
            and (not a.cues or any(c in sentence for c in a.cues))
        ):
            return a.counted
    return noun


def _listed(noun: str) -> bool:
    return _class(noun) is not None or any(noun.endswith(a.noun) for a in _ALIASES)


def _company_noun(text: str, tokens: list[Token], run: tuple[int, int]) -> str | None:
    noun = text[tokens[run[0]].start : tokens[run[1] - 1].end]
    head = _head(noun)
    if head is None:
        return None
    cls, canonical = head
    if cls == "org":
        return canonical or noun
    if cls == "service" and run[1] - run[0] >= 2:
        return tokens[run[1] - 2].surface + _SERVICE_SUFFIX
    return None


def _head_tokens(toks: list[Token]) -> list[Token]:
    cut = max((k + 1 for k, t in enumerate(toks) if t.surface in _PLURAL), default=0)
    toks = toks[cut:]
    while toks and toks[0].pos[2] in _ADVERBIAL:
        toks = toks[1:]
    return toks


def _simple_noun(s: _Scope, run: tuple[int, int]) -> tuple[str | None, bool]:
    """(noun, measured): the noun a run names, None for names and organizations; `measured` when a
    measure word was dropped (被害件数 → 被害), which says outright that this noun is counted.
    A bare measure word (件数, ケース) is returned as "" for the caller to resolve."""
    toks = _head_tokens(s.tokens[run[0] : run[1]])
    if not toks:
        return None, False
    measured = _NOUNS.get(toks[-1].surface, ("", ""))[0] == "measure"
    if measured:
        toks = toks[:-1]
    noun = s.text[toks[0].start : toks[-1].end] if toks else ""
    # Names are not counted, except words UniDic may tag as names that the tables list (SMS, ATM).
    named = any(t.pos[1] == "固有名詞" for t in toks) and not _listed(noun)
    return (None, False) if named or _class(noun) in _NOT_COUNTED else (noun, measured)


def _run_ending(s: _Scope, end: int) -> tuple[int, int] | None:
    return next((r for r in s.runs if r[1] == end and r[0] >= s.lo), None)


def _named(s: _Scope, run: tuple[int, int]) -> tuple[str | None, bool]:
    """The normalized counted noun of a run, with the members of `AやB` joined (通帳・カード)."""
    noun, measured = _simple_noun(s, run)
    if noun == "":
        return _measure_target(s, run[0]), True
    if noun is None:
        return None, False
    members = [_alias(noun, s.unit, s.sentence)]
    first = run[0]
    while first > 0 and s.tokens[first - 1].surface in _COORDINATORS and (prev := _run_ending(s, first - 1)):
        other, _ = _simple_noun(s, prev)
        if not other:
            break
        members.append(_alias(other, s.unit, s.sentence))
        first = prev[0]
    # The same things named in either order give one key: shortest first, then by code point.
    return "・".join(sorted(set(members), key=lambda m: (len(m), m))), measured


def _measure_target(s: _Scope, i: int) -> str | None:
    """What a bare measure word measures: `Xの件数` → X, else the sentence's subject before it
    (カードや通帳が取り込まれたケース → 通帳・カード)."""
    if i > 0 and s.tokens[i - 1].surface == "の" and (run := _run_ending(s, i - 1)):
        return _named(s, run)[0]
    subjects = [r for r in reversed(s.runs) if s.lo <= r[0] and r[1] < i and s.tokens[r[1]].surface == "が"]
    return next((n for r in subjects if (n := _named(s, r)[0])), None)


def _adjacent(s: _Scope, i0: int) -> tuple[int, int] | None:
    run = _run_ending(s, i0)
    # 顧客のうち1人: the noun before のうち is the set the count is taken from.
    set_of = run and run[1] - run[0] == 1 and s.tokens[run[0]].surface in ("うち", "中")
    if set_of and run[0] >= 2 and s.tokens[run[0] - 1].surface == "の":
        return _run_ending(s, run[0] - 1)
    return run


def _after_particle(tokens: list[Token], i1: int, particles: tuple[str, ...]) -> int | None:
    """Start of what follows `N件の` / `N件で` (skipping a figure glued on, as in 109件1811万円の被害)."""
    j = i1
    while j < len(tokens) and (tokens[j].pos[1] == "数詞" or _is_counter(tokens, j)):
        j += 1
    return j + 1 if j + 1 < len(tokens) and tokens[j].surface in particles else None


def _fits(counter: Counter, noun: str, *, measured: bool = False) -> bool:
    return measured or not counter.noun_class or _class(noun) == counter.noun_class


def _context_span(tokens: list[Token], lo: int, hi: int, i1: int) -> tuple[int, int]:
    """[start, stop) of `_chunks` for the runs `_context_noun` reads for a count in the sentence
    [lo, hi) that ends before token `i1`: those in the sentence, and the one after `N件の` (which a
    line break may put past it). Scanning the sentence, not the text, keeps long texts linear."""
    follow = _after_particle(tokens, i1, ("の",))
    return _fresh_start(tokens, lo), hi if follow is None else max(hi, follow + 1)


def _context_noun(s: _Scope, counter: Counter, i0: int, i1: int) -> str:
    candidates: list[tuple[str | None, bool]] = []
    # 容疑者3人: the noun written right before the numeral is taken as written.
    if run := _adjacent(s, i0):
        candidates.append((_named(s, run)[0], True))
    follow = _after_particle(s.tokens, i1, ("の",))
    # 3人の従業員 but not 2万人の個人情報: what follows の must fit a classed counter.
    candidates += [
        (n, n is not None and _fits(counter, n)) for r in s.runs if r[0] == follow for n in (_named(s, r)[0],)
    ]
    # 十数件で不正送金 / 120カ所でATM: after で, a noun the tables know names the things counted.
    de = _after_particle(s.tokens, i1, ("で",))
    if de is not None:
        stop = next((k for k in range(de, s.hi) if s.tokens[k].surface in _CLAUSE_END), s.hi)
        for r in (r for r in s.runs if de <= r[0] and r[1] <= stop):
            noun, _ = _simple_noun(s, r)
            if noun and (
                _alias(noun, s.unit, s.sentence) != noun or (counter.noun_class and _fits(counter, noun))
            ):
                candidates.append((_named(s, r)[0], True))
    before = [r for r in reversed(s.runs) if s.lo <= r[0] and r[1] <= i0]
    for r in before:
        if r[1] < len(s.tokens) and s.tokens[r[1]].surface in _SUBJECT_MARKS:
            noun, measured = _named(s, r)
            candidates.append((noun, noun is not None and _fits(counter, noun, measured=measured)))
    if counter.noun_class:
        candidates += [(n, n is not None and _fits(counter, n)) for r in before for n in (_named(s, r)[0],)]
    return next((n for n, ok in candidates if n and ok), _alias(counter.counted, s.unit, s.sentence))


def _company(s: _Scope, counter: Counter, i0: int, i1: int, context: list[Token], ctx: str) -> str:
    follow = _after_particle(s.tokens, i1, ("の",))
    ahead = [r for r in s.runs if r[0] == follow]
    before = [r for r in reversed(s.runs) if s.lo <= r[0] and r[1] <= i0]
    later = [r for r in s.runs if r[0] >= i1 and r[1] <= s.hi]
    rest = [r for r in reversed(s.runs) if r[1] <= s.lo] + [r for r in s.runs if r[0] >= s.hi]
    candidates = [(s.text, s.tokens, r) for r in (*ahead, *before, *later, *rest)]
    candidates += [(ctx, context, r) for r in _chunks(context)]
    found = next((n for src, toks, r in candidates if (n := _company_noun(src, toks, r))), None)
    return found or _alias(counter.counted, s.unit, s.sentence)


_START, _END = attrgetter("start"), attrgetter("end")


@dataclass(frozen=True, slots=True)
class _Index:
    """Token and sentence positions of one text, so each lookup is a bisect: long texts stay linear.
    The tokens are bisected by their offsets in place, as lists of the offsets would cost a pass
    over every token of a text with only a few counts in it."""

    tokens: list[Token]
    sentence_ends: list[int]  # offsets just after each 。!? or newline

    @classmethod
    def of(cls, text: str, tokens: list[Token]) -> _Index:
        return cls(tokens, [m.end() for m in _SENTENCE_END.finditer(text)])

    def aligned(self, start: int, end: int) -> bool:
        tokens = self.tokens
        i, j = bisect_left(tokens, start, key=_START), bisect_left(tokens, end, key=_END)
        return i < len(tokens) and tokens[i].start == start and j < len(tokens) and tokens[j].end == end

    def first_ending_after(self, pos: int) -> int:
        return bisect_right(self.tokens, pos, key=_END)

    def first_starting_at(self, pos: int) -> int:
        return bisect_left(self.tokens, pos, key=_START)

    def sentence(self, text: str, start: int, end: int) -> tuple[int, int, str]:
        """Token bounds and text of the sentence holding [start, end); MeCab drops the newline
        between headline and body, so the bounds come from the characters."""
        k = bisect_right(self.sentence_ends, start)
        begin = self.sentence_ends[k - 1] if k else 0
        j = bisect_right(self.sentence_ends, end)
        finish = self.sentence_ends[j] - 1 if j < len(self.sentence_ends) else len(text)
        return self.first_starting_at(begin), self.first_starting_at(finish), text[begin:finish]


def _compound_ok(tokens: list[Token], index: _Index, start: int, end: int) -> bool:
    inner = []
    for i in range(index.first_starting_at(start), len(tokens)):
        if tokens[i].end > end:
            break
        inner.append(i)
    return bool(inner) and all(_noun_like(tokens, i) and tokens[i].pos[1] != "固有名詞" for i in inner)


def _generic_unit(tokens: list[Token], j: int, ascii_numeral: bool) -> tuple[int, int, str] | None:
    """(start, end, unit) of a counter the tables do not list, read from the morphemes at `j`
    right after a numeral: a word UniDic marks as a counter (棟, 戸, 両, つ), a suffix noun (軒), or,
    after ASCII digits, a common noun counted by its own name (3容疑者, 2駅, 122物件). A noun after
    の counts too (18の自治体, unit 自治体). Durations, measures, ages and ordinals are kept out."""
    if j >= len(tokens) or tokens[j].start != tokens[j - 1].end:
        return None
    first = j + 1 if tokens[j].surface == "の" and ascii_numeral else j
    if first >= len(tokens) or tokens[first].start != tokens[first - 1].end:
        return None
    tok = tokens[first]
    counter_like = tok.pos[2] in ("助数詞", "助数詞可能") or tok.pos[:2] == ("接尾辞", "名詞的")
    common = tok.pos[0] == "名詞" and tok.pos[1] == "普通名詞" and ascii_numeral
    if not (counter_like or common) or tok.pos[1] == "数詞":
        return None
    end = first + 1
    # 9の自治体: after の the whole compound noun is the unit.
    while (
        first > j
        and end < len(tokens)
        and tokens[end].start == tokens[end - 1].end
        and (tokens[end].is_noun and tokens[end].pos[1] != "数詞")
    ):
        end += 1
    # 容疑 + 者: a suffix that makes the noun a person is part of it.
    while (
        common
        and end < len(tokens)
        and tokens[end].pos[:2] == ("接尾辞", "名詞的")
        and (tokens[end].surface not in _NOT_COUNTERS)
    ):
        end += 1
    unit = "".join(t.surface for t in tokens[first:end])
    # 2回目, 2020年度, 3階建て: a listed word that begins the unit decides, not the longer token.
    prefixes = _NOT_PREFIXES if first > j else (*_NOT_PREFIXES, *_COUNTERS)
    if unit in _NOT_COUNTERS or unit.startswith(prefixes) or not _WORD.fullmatch(unit) or unit.endswith("目"):
        return None
    # 2ちゃんねる, 2010参院選, 2009夏: a hiragana word or a year before a noun is a name.
    year_like = len(tokens[j - 1].surface) == 4 and tokens[j - 1].surface[:2] in ("19", "20")
    if common and (not _NAME_WORD.fullmatch(unit) or year_like):
        return None
    # 震度6の揺れ, マグニチュード6の地震: after a word, 6の is a measure, not a count.
    if first > j and j >= 2 and tokens[j - 2].end == tokens[j - 1].start and tokens[j - 2].is_noun:
        return None
    # 2要素認証, 3メガバンク, 三陸わかめ: a noun the compound goes on with names a kind, not a
    # count; after a counter word, a verbal noun is the predicate of a headline (50万個限定).
    if end < len(tokens) and tokens[end].start == tokens[end - 1].end:
        after = tokens[end]
        if after.pos[0] == "接頭辞" or (
            after.is_noun and after.pos[1] != "数詞" and (common or after.pos[2] != "サ変可能")
        ):
            return None
    return tokens[j].start, tokens[end - 1].end, unit


# A counter read from UniDic (棟, 軒, 3容疑者) is matched as a literal, as listed ones are. Compiling
# the quantity grammar around each new counter took about 10 ms, more than tagging a whole article,
# so one pattern serves them all: the counter is written before the text searched, with a NUL
# between, and the grammar refers back to it.
_ANY_UNIT_RE = re.compile(
    rf"(?P<counter>[^\0]+)\0(?s:.*?)(?P<quantity>{quantity_pattern(rf'(?:(?P=counter)){_NOT_AFTER}')})"
)


@dataclass(frozen=True, slots=True)
class _Quantity:
    """The quantity of an `_ANY_UNIT_RE` match, with the offsets and groups of a match in the text."""

    match: re.Match[str]
    shift: int  # text offset = match offset + shift

    re = _ANY_UNIT_RE  # as on re.Match: `tag_counts` tells the listed counters' matches by it

    def start(self, group: str = "quantity") -> int:
        pos = self.match.start(group)
        return pos if pos < 0 else pos + self.shift

    def end(self, group: str = "quantity") -> int:
        pos = self.match.end(group)
        return pos if pos < 0 else pos + self.shift

    def __getitem__(self, group: str | int) -> str | None:
        return self.match["quantity" if group == 0 else group]

    def groupdict(self) -> dict[str, str | None]:
        return self.match.groupdict()


def _unit_quantity(text: str, unit: str, pos: int, unit_end: int) -> _Quantity | None:
    """The quantity counted in `unit` whose unit ends at `unit_end`, as `re.finditer` of the quantity
    pattern of `unit` over `text` from `pos` finds it (matches are taken left to right, none
    overlapping the one before; a match past `unit_end` means there is none)."""
    head = f"{unit}\0"
    while pos < len(text):
        m = _ANY_UNIT_RE.match(f"{head}{text[pos:]}")
        if m is None:
            return None
        found = _Quantity(m, pos - len(head))
        if found.end("unit") >= unit_end:
            return found if found.end("unit") == unit_end else None
        pos = found.end()
    return None


def _generic_matches(text: str, tokens: list[Token], taken: list[tuple[int, int]]) -> list[_Quantity]:
    """Quantity matches whose counter `_generic_unit` finds, outside the spans in `taken`."""
    found = []
    # The numerals are picked out in one comprehension: the loop body below is for the few tokens
    # that are one, out of every token of the text.
    numerals = [i for i, tok in enumerate(tokens) if tok.pos[1] == "数詞"]
    for i in numerals:
        if i + 1 < len(tokens) and tokens[i + 1].pos[1] == "数詞":
            continue
        tok = tokens[i]
        # G7の首脳, A320, 東京23区: digits glued to letters or to a name are part of the name.
        letter_before = tok.start > 0 and text[tok.start - 1].isascii() and text[tok.start - 1].isalpha()
        letter_before |= i > 0 and tokens[i - 1].end == tok.start and tokens[i - 1].pos[1] == "固有名詞"
        unit = None if letter_before else _generic_unit(tokens, i + 1, tok.surface[-1].isascii())
        if unit is None:
            continue
        start, end, _ = unit
        # From a few morphemes back, so that a prefix qualifier and a range's low end are read.
        window = tokens[max(0, i - 6)].start
        m = _unit_quantity(text, text[start:end], window, end)
        if m is not None and not any(a < m.end() and m.start() < b for a, b in taken):
            found.append(m)
            taken.append((m.start(), m.end()))
    return found


def tag_counts(text: str, tokens: list[Token], *, context: str = "") -> list[Mention]:
    """COUNT mentions in NFKC-normalized `text`, whose fugashi `tokens` are given.

    `context` is optional surrounding text (the rest of the article) consulted only when the text
    itself names nothing a 社 count could refer to.
    """
    listed = list(finditer_at(_COUNT_RE, QUANTITY_START, text, numeral_ends=_COUNT_ENDS))
    generic = _generic_matches(text, tokens, [(m.start(), m.end()) for m in listed])
    # Noun runs and other text are read only for a count whose counter takes its noun from context.
    ctx_tokens: list[Token] | None = None
    all_runs: list[tuple[int, int]] | None = None
    sentence_runs: dict[tuple[int, int], list[tuple[int, int]]] = {}  # by `_context_span`
    index = _Index.of(text, tokens)
    mentions = []
    for m in sorted([*listed, *generic], key=lambda m: m.start()):
        q = resolve(m)
        surface = m["unit"]
        if m.re is _COUNT_RE:
            counter = _COUNTERS.get(surface) or Counter(surface, surface, "compound")
        else:  # 18の自治体 counts 自治体; a counter read from UniDic names what it counts
            unit = surface.removeprefix("の")
            counter = Counter(unit, unit, "fixed" if surface.startswith("の") else "context")
        if _RATE_BEFORE.search(text, max(0, m.start() - 3), m.start()):
            continue
        num_start = m.start("lo") if m["lo"] else m.start("num")
        lone_one = m["num"] == "一" and not m["lo"]  # 一人, 一件: idioms far more often than counts
        if q is None or lone_one or glued_to_word(text, m):
            continue
        # The numeral and the counter are whole morphemes: 千葉銀行 holds no 千, 3行政 no 行.
        if not (index.aligned(num_start, m.end("unit")) and index.aligned(num_start, m.end("num"))):
            continue
        # Kanji numeral + noun is how banks are named (八十二銀行, 百五銀行), not how news counts.
        compound_ok = m["num"][0].isascii() and _compound_ok(tokens, index, m.start("unit"), m.end("unit"))
        if counter.mode == "compound" and not compound_ok:
            continue
        if q.value is not None and q.value != int(q.value):
            continue
        if counter.mode in ("fixed", "compound"):
            counted = counter.counted
        else:
            i0 = index.first_ending_after(m.start())
            i1 = index.first_starting_at(m.end())
            lo, hi, sentence = index.sentence(text, m.start(), m.end())
            if counter.mode == "company":  # reads every run of the text
                if all_runs is None:
                    all_runs = _chunks(tokens)
                runs = all_runs
            elif (runs := sentence_runs.get(span := _context_span(tokens, lo, hi, i1))) is None:
                runs = sentence_runs[span] = _chunks(tokens, *span)
            scope = _Scope(text, tokens, runs, lo, hi, sentence, counter.unit)
            if counter.mode == "company":
                if ctx_tokens is None:
                    ctx_tokens = tokenize(context) if context else []
                counted = _company(scope, counter, i0, i1, ctx_tokens, context)
            else:
                counted = _context_noun(scope, counter, i0, i1)
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
