"""Organizations: banks, payment services, companies and public bodies.

Candidates come from four sources, strongest first: the gazetteer, suffix and legal-form rules
(〜銀行, 〜ホールディングス, 株式会社〜), news patterns that introduce an unknown company
(「…を手掛けるX」, 「X(本社・…)」, サービス「X」), and the trained recognizer's spans (accurate
profile), whose type the gazetteer and the suffix rules correct (`pipeline.names.statistical`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import chain, compress, count
from operator import attrgetter

from pipeline.names.gazetteer import (
    ABBREVIATIONS,
    NAMES_DIR,
    load_gazetteer,
    on_word_edge,
    read_column,
    read_tsv,
    short_forms,
)
from pipeline.names.official import is_police, official_name, section_end, with_special_investigation
from pipeline.names.statistical import MODEL, honorifics, name_tokens, org_proposals
from pipeline.spans import Occupied
from pipeline.tokens import Token, per_token_list, tokenize
from pipeline.types import ORG_TYPES, Mention

# Source ranks: lower wins when candidates overlap.
# Candidates' sources and mentions' (`_source`: the recognizer's mentions say "ner").
_RANK = {"gazetteer": 0, "rule": 1, "pattern": 2, MODEL: 3, "ner": 3}
# Anaphoric prefixes: 同社, 当行, 自社, 両行 refer back and are never names.
_ANAPHORA = "同当自弊他各両本"
_ANAPHORIC_HEADS = frozenset({"社", "行", "庫", "グループ"})

# Katakana (without the ・ separator, which joins lists of names) and Latin.
_KATA_LATIN = re.compile(r"^[\u30a1-\u30fa\u30fcA-Za-z0-9&.\-]+$")
_HAS_KATA_LATIN = re.compile(r"[\u30a1-\u30faA-Za-z]")
_HAS_NAME_START = re.compile(r"^[\u30a1-\u30faA-Za-z\u4e00-\u9fff]")
_KANJI = re.compile(r"^[\u4e00-\u9fff々]+$")
# Verbs that introduce a company by what it does: 「…を手掛けるX」「…を提供するX」.
_INTRO_VERB = re.compile(r"(?:手掛け|手がけ|提供す|運営す|展開す|開発す|販売す|発行す|運用す)る$")
_FACILITY_AFTER = re.compile(r"(?:附属|付属)?(?:病院|医院|記念館|会館|球場|競技場)")
_OBJECT_OF_BUSINESS = re.compile(r"を(?:手掛け|手がけ|提供す|運営す|展開す|開発す|販売す|発行す|運用す)る")
# What may follow an introduced name: a topic/subject particle, a comma, or (本社…).
_AFTER_NAME = re.compile(r"(?:は|が|も|、|,|\()")
# Where a company is based, in brackets after its name: (本社・大阪), (東京・千代田), (福岡市).
_HEAD_OFFICE = re.compile(
    r"\((?:本社|本店|[^()、。]{1,8}・[^()、。]{1,8}\)|[^()、。]{1,6}[都道府県市区町村]\))"
)
_ANNOUNCE = re.compile(r"(?:発表|公表|明らかに)")
# A survey credited to its author: 「…　X調べ」.
_SURVEY = re.compile(r"の?調べ")
# ボッシュ製のブレーキ, ZF製: the maker of a thing, a firm (unless a country: ドイツ製).
_MAKER = re.compile(r"製(?!造|作|法)")
# A name in brackets right after a service word is that service: 決済サービス「X」.
_SERVICE_BRACKET = re.compile(r"(?:サービス|アプリ|電子マネー|カード)「([^「」。、]{1,20})」")
# A service in brackets is a payment service only when the words before it are about money
# (決済サービス「X」, 現金を引き出せるサービス「X」), not mail, video or parcels (配達サービス「X」).
_PAYMENT_WORDS = re.compile(
    r"決済|送金|支払|払い|電子マネー|プリペイド|デビット|クレジット|ポイント|チャージ|現金|入金|出金|"
    r"引き出|振込|振り込|口座|ウォレット|乗車"
)
_PAYMENT_REACH = 12
# An abbreviation in brackets right after a name: 宇宙航空研究開発機構(JAXA), 日本経済団体連合会(経団連).
_PAREN_ALIAS = re.compile(r"\(([A-Z][A-Za-z0-9&.\-]{1,9}|[\u30a1-\u30fa\u30fc\u4e00-\u9fff々]{2,8})\)")
# A foreign body's own name and its acronym in brackets: (Metropolitan Transportation Authority:MTA).
_PAREN_NAME_ACRONYM = re.compile(
    r"\((?P<name>[A-Z][A-Za-z&.\- ]{5,60}):(?P<acronym>[A-Z][A-Za-z0-9&]{1,9})\)"
)
# Joiners of a coordinated list of names (トヨタとデンソー, 野村やSBI), and what may follow a member.
# `_INTRO_VERB` and `_JOINER_BEFORE` match at most this many characters before the end of what
# they test, so they are searched in that window, not in everything before it.
_REACH_BEFORE = 8
_JOINER_BEFORE = re.compile(r"(?:と|や|、|,|・|および|及び)$")
_JOINER_AFTER = re.compile(r"(?:と|や|、|,|・|および|及び)")
_MEMBER_END = re.compile(r"(?:と|や|、|,|・|は|が|も|の|を|に|で|など|および|及び|\()")


# A branch after its company's name: 松江支店, 本店, 大阪工場.
_BRANCH = re.compile(
    r"[\u4e00-\u9fff\u30a1-\u30fa\u30fc]{0,8}(?:支店|支社|本店|本社|営業所|出張所|事業所|工場)"
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    type: str
    value: str
    source: str
    promoted: bool = False  # a rule name that extends a gazetteer match ranks with the gazetteer


@dataclass(frozen=True, slots=True)
class _Suffix:
    text: str
    type: str
    position: str
    plain_min: int


@lru_cache(maxsize=1)
def _legal_marks() -> tuple[_Suffix, ...]:
    """Legal forms (株式会社, (株)) that may stand on either side of a name and are not part of it."""
    return tuple(s for s in _suffixes() if s.position == "prefix")


@lru_cache(maxsize=1)
def _descriptors() -> dict[str, frozenset[str]]:
    """Words before a name that describe rather than name it: 大手, 子会社 and country prefixes (米, 韓国)."""
    rows = read_tsv(NAMES_DIR / "org_descriptors.tsv")
    return {
        kind: frozenset(r["word"] for r in rows if r["kind"] == kind)
        for kind in ("descriptor", "country", "business", "part")
    }


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    return frozenset(read_column(NAMES_DIR / "generic.tsv"))


@lru_cache(maxsize=1)
def _suffixes() -> tuple[_Suffix, ...]:
    rows = read_tsv(NAMES_DIR / "org_suffixes.tsv")
    items = [_Suffix(r["suffix"], r["type"], r["position"], int(r["plain_min"] or 0)) for r in rows]
    return tuple(sorted(items, key=lambda s: -len(s.text)))


@lru_cache(maxsize=1)
def _suffix_texts() -> frozenset[str]:
    return frozenset(s.text for s in _suffixes())


@lru_cache(maxsize=1)
def _business_suffixes() -> tuple[str, ...]:
    """Suffixes that name a line of business (証券, 銀行), not an organization, longest first."""
    return tuple(s.text for s in _suffixes() if s.position == "suffix" and s.type != "ORGANIZATION")


@cache
def _suffixes_ending_in(ch: str) -> tuple[_Suffix, ...]:
    """The name suffixes that end in `ch`, longest first: a run is checked only against those."""
    return tuple(s for s in _suffixes() if s.position == "suffix" and s.text.endswith(ch))


@lru_cache(maxsize=1)
def _suffix_last_chars() -> frozenset[str]:
    """The characters name suffixes end in: most prefixes of a run end in none of them."""
    return frozenset(s.text[-1:] for s in _suffixes() if s.position == "suffix")


def is_generic(surface: str) -> bool:
    """Generic words (銀行, 地銀, 同社, キャッシュレス決済サービス) that are never entities."""
    if surface in _generic():
        return True
    head = surface[1:]
    return surface[:1] in _ANAPHORA and (head in _ANAPHORIC_HEADS or head in _suffix_texts())


def _is_kata_latin(tok: Token | None) -> bool:
    return tok is not None and _is_kata_latin_word(tok.surface)


@lru_cache(maxsize=1 << 16)
def _is_kata_latin_word(word: str) -> bool:
    """Katakana/Latin only. Cached: the rules ask it of every token, and news repeats its words
    (3,463 Wikinews articles hold about 41,000 distinct ones, within the bound)."""
    return bool(_KATA_LATIN.match(word))


@per_token_list
def _kata_latin_flags(tokens: Sequence[Token]) -> list[bool]:
    """`_is_kata_latin` of each token."""
    return list(map(_is_kata_latin_word, map(attrgetter("surface"), tokens)))


# 名詞 is `Token.is_noun`'s common case: asked first, it spares most tokens the property call.
_NAME_POS = ("名詞", "接頭辞")


@per_token_list
def _name_flags(tokens: Sequence[Token]) -> list[bool]:
    """Per token, whether a name may hold it: a noun, a prefix, or a katakana/Latin word.

    UniDic splits unknown katakana names into odd pieces (ミライ+ノ(particle)+ベート); keep them whole."""
    kata = _kata_latin_flags(tokens)
    return [k or t.pos[0] in _NAME_POS or t.is_noun for t, k in zip(tokens, kata, strict=True)]


def _indices_of(tokens: Sequence[Token], surfaces: Container[str]) -> Iterator[int]:
    """Indices of the tokens spelled as one of `surfaces`, in order: a pass in C, for the rules
    that look for a few words among all the tokens."""
    return compress(count(), map(surfaces.__contains__, map(attrgetter("surface"), tokens)))


def _is_inner_dot(tokens: Sequence[Token], i: int) -> bool:
    """A ・ inside one name: between two katakana/Latin words (マルチ・スズキ, カゼミチ・ロボティクス),
    or after a common noun that shares the next word's head (海洋・気象研究機構); a ・ after a
    place or a name lists them (埼玉・千葉, 静岡県警・静岡地検)."""
    if tokens[i].surface != "・" or i == 0 or i + 1 >= len(tokens):
        return False  # most tokens asked about are no ・
    prev, nxt = tokens[i - 1], tokens[i + 1]
    if prev.end != tokens[i].start or nxt.start != tokens[i].end:
        return False
    shared_head = prev.pos[1] == "普通名詞" and nxt.pos[1] == "普通名詞" and _KANJI.match(prev.surface)
    return (_is_kata_latin(prev) and _is_kata_latin(nxt)) or bool(shared_head)


def _runs(text: str, tokens: Sequence[Token]) -> list[list[Token]]:
    """Maximal runs of adjacent noun-like tokens; Latin words may be joined by one space, kana ones by ・."""
    names = _name_flags(tokens)
    runs: list[list[Token]] = []
    current: list[Token] = []
    for i, tok in enumerate(tokens):
        # The ・ test first spares most tokens that end a run the call.
        if not (names[i] or (current and tok.surface == "・" and _is_inner_dot(tokens, i))):
            current = []
            continue
        if current and (gap := text[current[-1].end : tok.start]):
            latin_pair = current[-1].surface[-1:].isascii() and tok.surface[:1].isascii()
            if not (gap == " " and latin_pair):
                current = []
        if not current:
            runs.append(current)
        current.append(tok)
    return runs


def _is_proper(tok: Token) -> bool:
    return tok.pos[1] == "固有名詞"


def _is_place(tok: Token) -> bool:
    return tok.pos[1] == "固有名詞" and tok.pos[2] == "地名"


def _is_filler(tok: Token) -> bool:
    """Leading tokens that are not part of a following name: numbers, counters, time words."""
    return tok.pos[1] in {"数詞", "助数詞"} or tok.pos[2] in {"副詞可能", "助数詞可能"}


def _is_country_prefix(toks: Sequence[Token], i: int) -> bool:
    """米 in 米グーグル, 韓国 in 韓国サムスン電子: a foreign country named before a kana or Latin name."""
    return i + 1 < len(toks) and toks[i].surface in _descriptors()["country"] and _is_kata_latin(toks[i + 1])


# 同庁, 同県, 同社: the body last named, written before the name of one of its units.
_ANAPHORIC_BODIES = frozenset(f"同{head}" for head in "庁省県府都道市区町村社行署局党国大校")


def _is_anaphor_before_name(toks: Sequence[Token], i: int) -> bool:
    """同庁 in 同庁荻窪署, 同県 in 同県浜松市: not part of the name after it."""
    return toks[i].surface in _ANAPHORIC_BODIES


def _name_start(toks: Sequence[Token]) -> int:
    """Index where a name begins in a run: after fillers, describing words (子会社, 大手) and a country."""
    i = 0
    while i < len(toks) - 1 and (_is_filler(toks[i]) or _is_anaphor_before_name(toks, i)):
        i += 1
    descriptors = _descriptors()["descriptor"]
    described = [j for j in range(i, len(toks) - 1) if toks[j].surface in descriptors]
    if described:
        i = described[-1] + 1
    # Headlines run words together (社員逮捕兵庫県警): a verbal noun before a place ends what precedes.
    acts = [j for j in range(i, len(toks) - 1) if toks[j].pos[2] == "サ変可能" and _is_place(toks[j + 1])]
    if acts:
        i = acts[-1] + 1
    return i + 1 if _is_country_prefix(toks, i) else i


def _suffix_candidate(text: str, toks: list[Token], edges: frozenset[int]) -> _Candidate | None:
    """The name `toks` spell when it ends in an organization suffix (伊予銀行, 日本電子決済推進機構)."""
    start, end = toks[0].start, toks[-1].end
    surface = text[start:end]
    for suffix in _suffixes_ending_in(surface[-1:]):
        if not surface.endswith(suffix.text) or surface == suffix.text:
            continue
        cut = end - len(suffix.text)
        # UniDic keeps some names whole (ウエルシアホールディングス): a kana suffix may end a kana token.
        in_compound = bool(_KATA_LATIN.match(text[cut - 1 : end])) and cut - 1 >= start
        holder = next((t for t in toks if t.start < cut < t.end), None)
        if in_compound and holder is not None and holder.pos[2] in ("人名", "地名"):
            continue  # エンペイ: a person's or a place's name that only ends like a suffix
        if not (in_compound or on_word_edge(text, cut, end, edges)):
            continue
        prefix = [t for t in toks if t.end <= cut] or ([toks[-1]] if in_compound else [])
        if not prefix or (prefix[-1].end != cut and not in_compound) or is_generic(surface):
            return None
        proper = any(_is_proper(t) for t in prefix) or bool(_HAS_KATA_LATIN.search(text[start:cut]))
        if suffix.text in dict(ABBREVIATIONS).values():
            # 静岡銀 -> 静岡銀行 only after a place name; 大手銀 and 地銀 are generic.
            if suffix.text == "銀" and not all(_is_place(t) for t in prefix):
                return None
            long = next(lg for lg, sh in ABBREVIATIONS if sh == suffix.text)
            return _Candidate(start, end, suffix.type, text[start:cut] + long, "rule")
        # 港湾・空港事故調査委員会: a ・ the run kept joins two heads of one kanji name.
        plain = text[start:cut].replace("・", "")
        plain_ok = suffix.plain_min and _KANJI.match(plain) and len(plain) >= suffix.plain_min
        if proper or plain_ok:
            legal = any(m.text == suffix.text for m in _legal_marks())
            return _Candidate(start, end, suffix.type, text[start:cut] if legal else surface, "rule")
        return None
    return None


def _suffix_candidates(text: str, tokens: Sequence[Token], edges: frozenset[int]) -> list[_Candidate]:
    """Per run, the longest prefix ending in an organization suffix."""
    found = []
    last_chars = _suffix_last_chars()
    for run in _runs(text, tokens):
        if not any(text[t.end - 1] in last_chars for t in run):
            continue  # as in most runs, no prefix can end in a suffix: where the name starts is moot
        toks = run[_name_start(run) :]
        for k in range(len(toks), 0, -1):
            if text[toks[k - 1].end - 1] not in last_chars:
                continue
            cand = _suffix_candidate(text, toks[:k], edges)
            if cand:
                if not _FACILITY_AFTER.match(text, cand.end):  # 北陸大学病院: a hospital's name
                    found.append(cand)
                break
    return found


_LATIN_SPACE_LATIN = re.compile(r"[A-Za-z] [A-Za-z]")


def _legal_prefix_candidates(text: str, tokens: Sequence[Token]) -> list[_Candidate]:
    """株式会社X / (株)X: the name is the noun run after the legal form; value drops the form."""
    found = []
    names = _name_flags(tokens)
    for mark in _legal_marks():
        for m in re.finditer(re.escape(mark.text), text):
            pos = m.end()
            for i, tok in enumerate(tokens):
                if tok.start < m.end():
                    continue
                # アオバ・トレーディング, BLUE HARBOR: the name goes on past ・ or a space.
                latin_pair = bool(_LATIN_SPACE_LATIN.match(text, pos - 1)) and tok.surface.isascii()
                if not (tok.start == pos or (latin_pair and tok.start == pos + 1)):
                    break
                if not (names[i] or _is_inner_dot(tokens, i)):
                    break
                if pos > m.end() and text.startswith((*_person_titles(), "創業"), tok.start):
                    break  # 株式会社X代表取締役, 株式会社X創業者: the firm, then a person's role in it
                pos = tok.end
            if text[pos - 1 : pos] == "・":
                pos -= 1
            if pos > m.end() and not is_generic(text[m.end() : pos]):
                found.append(_Candidate(m.start(), pos, mark.type, text[m.end() : pos], "rule"))
    return found


def _looks_like_name(toks: list[Token]) -> bool:
    """An unknown name: a proper noun, Latin letters, or katakana UniDic must split (ウェル+ネット)."""
    surface = "".join(t.surface for t in toks)
    if is_generic(surface):
        return False
    split_katakana = len(toks) > 1 and bool(_KATA_LATIN.match(surface.replace("・", "")))
    return split_katakana or any(_is_proper(t) for t in toks) or bool(re.search(r"[A-Za-z]", surface))


def _ends_with(pattern: re.Pattern[str], text: str, pos: int) -> re.Match[str] | None:
    """`pattern.search(text[:pos])` for a `$`-anchored pattern, in offsets of `text`."""
    return pattern.search(text, max(0, pos - _REACH_BEFORE), pos)


def _kata_latin_run_from(text: str, tokens: Sequence[Token], i: int) -> list[Token]:
    """Katakana/Latin tokens starting at token index i (a company name written in kana or Latin)."""
    kata = _kata_latin_flags(tokens)
    run: list[Token] = []
    for k in range(i, len(tokens)):
        tok = tokens[k]
        if not (kata[k] or (run and _is_inner_dot(tokens, k))):
            break
        if run and tok.start != run[-1].end and text[run[-1].end : tok.start] != " ":
            break
        run.append(tok)
    return run


def _starts_run(tokens: Sequence[Token], i: int) -> bool:
    """Token i is not glued to a katakana/Latin word on its left (the run would start mid-name)."""
    return i == 0 or tokens[i - 1].end != tokens[i].start or not _kata_latin_flags(tokens)[i - 1]


# A prefecture, city, ward, town or village that acts or publishes is a public body (岡山県によると,
# 横浜市に対し, 東京都は発表, 広州市の当局, 深圳市が…に指示); one written as a place (大阪府で,
# 福岡県内, 静岡県が全国最多) is not. Each occurrence is judged on its own: the same name elsewhere in the
# article is usually the place.
_LOCAL_BODY = frozenset("都道府県市区町村")
# A citation credits its publisher before the title or the date (岡山県『…について』, 岡山県、2018年7月9日).
_ACTS_AFTER = re.compile(
    r"によると|によれば|に対して|に対し|を相手取|を提訴|の?当局"
    r"|(は|が|も)(\d+日、?)?[^、。]{0,12}(発表|公表|通知|要請|命じ|提訴|訴え|決め|認め|指示|要求|禁じ|求め)"
    r"|『|、\d{4}年\d{1,2}月\d{1,2}日。"
)


def _acting_places(text: str, tokens: Sequence[Token]) -> list[_Candidate]:
    found = []
    for i in _indices_of(tokens, _LOCAL_BODY):
        place, kind = tokens[i - 1], tokens[i]
        adjacent_place = i > 0 and place.pos[1:3] == ("固有名詞", "地名") and kind.start == place.end
        if adjacent_place and _ACTS_AFTER.match(text, kind.end):
            name = text[place.start : kind.end]
            found.append(_Candidate(place.start, kind.end, "ORGANIZATION", name, "rule"))
    return found


def _is_local_body(m: Mention) -> bool:
    return m.source == "rule" and m.value == m.text and m.text[-1] in _LOCAL_BODY


# Public transport written by what it runs (都営地下鉄, 大阪市営バス) names its operator, the city's
# transportation bureau.
_MUNICIPAL_TRANSIT = re.compile(r"(?P<city>[一-龥]{1,4}市|都)営(?:地下鉄|バス|交通|電車|路面電車)")


def _municipal_transit(text: str) -> list[_Candidate]:
    return [
        _Candidate(m.start(), m.end(), "ORGANIZATION", _transit_operator(m["city"]), "rule")
        for m in _MUNICIPAL_TRANSIT.finditer(text)
    ]


def _transit_operator(city: str) -> str:
    return ("東京都" if city == "都" else city) + "交通局"


def _introduced_by_business(text: str, tokens: Sequence[Token]) -> list[_Candidate]:
    """A firm named after what it is: ラーメンチェーンの大黒屋は, 老舗旅館・鶴亀楼は, 卸売会社・『X』(…).

    After ・ the name stands in apposition and may be any noun run; after の it must hold a proper
    noun, or katakana or Latin, and not be a part of a firm (食品会社の社員, チェーンの店舗)."""
    kinds = _descriptors()
    names = _name_flags(tokens)
    found = []
    for i in _indices_of(tokens, ("の", "・")):
        if i == 0 or i >= len(tokens) - 1:
            continue
        head, joint = tokens[i - 1], tokens[i]
        if not _names_a_business(head.surface):
            continue
        j = i + 1 + (tokens[i + 1].surface in "『「")
        run: list[Token] = []
        for k in range(j, len(tokens)):
            tok = tokens[k]
            if tok.start != (run[-1].end if run else tokens[j - 1].end) or not names[k]:
                break
            run.append(tok)
        if not run or not _BUSINESS_NAME_END.match(text, run[-1].end):
            continue
        surface = text[run[0].start : run[-1].end]
        if len(surface) < 2 or is_generic(surface) or run[-1].surface in kinds["part"] | kinds["business"]:
            continue
        if joint.surface == "の" and not (any(_is_proper(t) for t in run) or _HAS_KATA_LATIN.search(surface)):
            continue
        one_word = len(run) == 1 and run[0].pos[1] == "普通名詞" and not _is_kata_latin(run[0])
        if joint.surface == "・" and one_word:
            continue  # 会社・団体: a list of kinds
        found.append(_Candidate(run[0].start, run[-1].end, "COMPANY", surface, "pattern"))
    return found


_BUSINESS_NAME_END = re.compile(r"[』」]?(?:は|が|も|、|,|\(|を|の)")


# A newspaper cited by its name without 新聞 (毎日によると, 日経の報道では): only as a source, since
# the bare word often means something else (毎日 = every day, 中日 = Japan-China).
_CITED = re.compile(r"によると|によれば|の報道|の取材|が報じ")


@cache
def _papers_by_short_name() -> dict[str, str]:
    return {
        e.canonical[: -len("新聞")]: e.canonical
        for e in load_gazetteer().entries
        if e.type == "COMPANY" and e.canonical.endswith("新聞") and len(e.canonical) >= 4
    }


def _cited_papers(text: str) -> list[_Candidate]:
    papers = _papers_by_short_name()
    lengths = sorted({len(s) for s in papers}, reverse=True)
    found = []
    for m in _CITED.finditer(text):
        for n in lengths:
            short = text[max(0, m.start() - n) : m.start()]
            if len(short) == n and short in papers:
                found.append(_Candidate(m.start() - n, m.start(), "COMPANY", papers[short], "pattern"))
                break
    return found


def _pattern_candidates(text: str, tokens: Sequence[Token]) -> list[_Candidate]:
    """News patterns that introduce a company: 「…を手掛けるX」「X(東京・千代田)」「Xは…と発表」「X調べ」."""
    found = []
    # A run starts at a katakana or Latin word (most are not).
    for i in compress(range(len(tokens)), _kata_latin_flags(tokens)):
        if not _starts_run(tokens, i):
            continue
        run = _kata_latin_run_from(text, tokens, i)
        if not run:
            continue
        end = run[-1].end
        name = text[run[0].start : end]
        if _names_a_business(name):
            continue  # カフェチェーン・X: what the firm is, not its name
        # A head office or a survey credit vouches even for one plain katakana word (ハヤブサネット調べ).
        head_office = _HEAD_OFFICE.match(text, end) or _SURVEY.match(text, end)
        credited = head_office and len(name) >= 4 and not is_generic(name)
        if credited or (_introduced(text, run) and _looks_like_name(run)):
            found.append(_Candidate(run[0].start, end, "COMPANY", name, "pattern"))
    return found


def _introduced(text: str, run: list[Token]) -> bool:
    """The run is a name the text introduces: 「…を手掛けるX」は, Xは…と発表 (opening a clause), X製.

    Each test is tried only when the ones before fail, since most kana or Latin words pass none."""
    start, end = run[0].start, run[-1].end
    if _AFTER_NAME.match(text, end) and _ends_with(_INTRO_VERB, text, start):
        return True
    clause_start = start == 0 or text[start - 1] in "。、,「」 \n"
    if clause_start and text.startswith("は", end) and _ANNOUNCE.search(text, end, _sentence_end(text, end)):
        return True
    return bool(_MAKER.match(text, end)) and not any(_is_place(t) for t in run)


def _sentence_end(text: str, pos: int) -> int:
    """Where the sentence going on at `pos` ends: its 。 or line break, else the end of the text."""
    return min((i for i in (text.find("。", pos), text.find("\n", pos)) if i >= 0), default=len(text))


def _bracket_candidates(text: str) -> list[_Candidate]:
    found = []
    for m in _SERVICE_BRACKET.finditer(text):
        name = m.group(1).strip()
        clause = re.split(r"[。、\n]", text[max(0, m.start() - _PAYMENT_REACH) : m.start(1)])[-1]
        if name and not is_generic(name) and _PAYMENT_WORDS.search(clause):
            found.append(_Candidate(m.start(1), m.start(1) + len(name), "PAYMENT_SERVICE", name, "pattern"))
    return found


def _ner_candidates(
    text: str, tokens: Sequence[Token], ner: Iterable[tuple[int, int, str]], edges: frozenset[int]
) -> list[_Candidate]:
    """Statistical spans as candidates, typed by the policy of `pipeline.names.statistical`."""
    found = []
    for start, end, type_, source in org_proposals(ner):
        name = name_tokens(text, tokens, start, end)
        # One common noun in kanji or kana (発生, 政府) is a word, whatever the context suggested.
        common = len(name) == 1 and name[0].pos[1] == "普通名詞" and not _is_kata_latin(name[0])
        span = (name[0].start, name[-1].end) if name and not common else None
        if span is None or is_generic(surface := text[span[0] : span[1]]) or _honorific_at(text, span[1]):
            continue
        if (cut := _firm_before_branch(surface)) is not None:
            span, surface = (span[0], span[0] + cut), surface[:cut]  # AB社工場: the firm, not its plant
        toks = [t for t in tokens if t.start >= span[0] and t.end <= span[1]]
        known = load_gazetteer().get(surface)
        by_rule = _suffix_candidate(text, toks, edges) if toks else None
        if surface.endswith(_person_titles()) or _title_runs_on(text, toks) or _titled_person(text, toks):
            continue  # 村瀬船長, 東山艦長, 高市総務(大臣): a person and a title, left to the person rules
        if surface.endswith(_NOT_ORG_HEADS):
            continue  # 常磐線, 湊川駅, 123便, 日本勢, X大学病院: no body, whatever the context suggested
        if _OBJECT_OF_BUSINESS.match(text, span[1]):
            continue  # フィッシング対策を手掛けるX: what a firm does, not a firm
        if _FACILITY_AFTER.match(text, span[1]):
            continue  # 北陸大学病院で: the name of a place of care or a hall, not the body itself
        if len(toks) > 1 and all(_is_place(t) or t.surface == "・" for t in toks):
            continue  # 奈良・京都・滋賀(の各府県警): a list of places
        if known is None and by_rule is None and _names_an_activity(toks):
            continue  # 個人情報保護, 情報漏えい対策: what is done, not who does it
        if stem := _kana_firm(surface):
            # アオバミート社: 社 says a company whatever the context suggested, and is no part of its name.
            found.append(_Candidate(span[0], span[1], "COMPANY", stem, "pattern"))
            continue
        if known is not None:
            found.append(_Candidate(span[0], span[1], known.type, known.canonical, source))
        elif by_rule and (by_rule.start, by_rule.end) == span:
            found.append(by_rule)
        else:
            found.append(_Candidate(span[0], span[1], type_, _without_branch(text, toks) or surface, source))
    return found


def _names_an_activity(toks: Sequence[Token]) -> bool:
    """Common nouns only, the last a verbal noun (保護, 調査): an activity, not an organization."""
    return all(t.pos[1] == "普通名詞" for t in toks) and toks[-1].pos[2] == "サ変可能"


_NOT_ORG_HEADS = ("線", "駅", "便", "号", "勢", "病院", "医院", "記念館", "会館", "球場", "競技場")


def _title_runs_on(text: str, toks: Sequence[Token]) -> bool:
    """The span's last word is a common noun that begins a title going on past it (総務 of 総務相)."""
    last = toks[-1] if len(toks) > 1 else None
    if last is None or last.pos[1] != "普通名詞":
        return False
    for k in range(1, 5):
        run = text[last.start : last.end + k]
        # A title only a person holds runs on from the word (総務 + 大臣, 総務 + 相); a firm's title
        # after a firm's word (北斗興業 + 社長) leaves the firm its name.
        if _KANJI.match(run) and any(
            run.endswith(t) and (len(t) > k or t in _public_titles()) for t in _person_titles()
        ):
            return True
    return False


def _firm_before_branch(surface: str) -> int | None:
    """Length of X社 in X社工場 / X社支店: a firm written with 社, then one of its sites."""
    for word in _BRANCH_WORDS:
        if surface.endswith("社" + word) and len(surface) > len(word) + 2:
            return len(surface) - len(word)
    return None


def _kana_firm(surface: str) -> str | None:
    """アオバミート for アオバミート社: a kana or Latin name with 社 after it."""
    stem = surface[:-1]
    return stem if surface.endswith("社") and len(stem) >= 2 and _KATA_LATIN.match(stem) else None


@lru_cache(maxsize=1)
def _public_titles() -> frozenset[str]:
    """Titles only a person holds (大臣, 長官, 知事), unlike a firm's (社長) after a firm's name."""
    return frozenset(r["title"] for r in read_tsv(NAMES_DIR / "titles.tsv") if r["person_only"] == "yes")


@lru_cache(maxsize=1)
def _person_titles() -> tuple[str, ...]:
    return tuple(r["title"] for r in read_tsv(NAMES_DIR / "titles.tsv") if r["kind"] == "title")


_TITLE_PREFIX = re.compile(r"[新元前現]?副?")


def _titled_person(text: str, toks: Sequence[Token]) -> bool:
    """One word UniDic tags as a person's or a place's name with a title after it (恵美子新社長,
    長崎元副部長: UniDic reads some surnames as places): a person, or a place's officer (広島市長)."""
    if len(toks) != 1 or toks[0].pos[1:3] not in (("固有名詞", "人名"), ("固有名詞", "地名")):
        return False
    pos = _TITLE_PREFIX.match(text, toks[0].end).end()
    return any(text.startswith(t, pos) for t in _person_titles())


def _honorific_at(text: str, pos: int) -> bool:
    """さん, 氏, 容疑者 right after a span: whoever it names is a person (湊川さん), not an organization."""
    return any(text.startswith(h, pos) for h in honorifics())


def _known_candidates(
    text: str, known: Mapping[str, tuple[str, str]], edges: frozenset[int]
) -> list[_Candidate]:
    """Names learned elsewhere in the same article (the lead introduces X, the headline repeats it).

    A bare stem (大和 for 大和証券) is too often a surname or a place, so it counts only in a list.
    """
    found = []
    for surface, (type_, value) in known.items():
        stem = _business_stem(value) == surface
        for m in re.finditer(re.escape(surface), text):
            listed = _JOINER_AFTER.match(text, m.end()) or (
                _ends_with(_JOINER_BEFORE, text, m.start()) and _MEMBER_END.match(text, m.end())
            )
            if on_word_edge(text, m.start(), m.end(), edges) and (listed or not stem):
                found.append(_Candidate(m.start(), m.end(), type_, value, "pattern"))
    return found


def _business_stem(name: str) -> str | None:
    """大和 for 大和証券, SBI for SBI証券: a name without the business word that ends it."""
    if not name.endswith(_business_suffixes()):
        return None  # most names end in none: one test for all
    for suffix in _business_suffixes():
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            ok = (
                len(stem) >= 2
                and not is_generic(stem)
                and _HAS_NAME_START.match(stem)
                and not _is_place_name(stem)
            )
            return stem if ok else None
    return None


@lru_cache(maxsize=4096)
def _is_place_name(word: str) -> bool:
    """日本, 千葉, 北海道: a stem that names a place (日本銀行, 千葉銀行) stands for the place in a list."""
    toks = tokenize(word)
    return len(toks) == 1 and _is_place(toks[0])


def _is_abbreviation(short: str, long: str) -> bool:
    """経団連 for 日本経済団体連合会: every character of `short` occurs in `long`, in order."""
    rest = iter(long)
    return all(ch in rest for ch in short)


def _aliases_of(text: str, c: _Candidate) -> list[_Candidate]:
    """An abbreviation in brackets after a name is the same organization: 日本航空(JAL)."""
    if pair := _PAREN_NAME_ACRONYM.match(text, c.end):
        spans = (pair.span("name"), pair.span("acronym"))
        return [_Candidate(start, end, c.type, c.value, "pattern") for start, end in spans]
    m = _PAREN_ALIAS.match(text, c.end)
    if m is None or is_generic(alias := m.group(1)):
        return []
    if alias.isascii() or _is_abbreviation(alias, text[c.start : c.end]):
        return [_Candidate(m.start(1), m.end(1), c.type, c.value, "pattern")]
    return []


def _member(text: str, tokens: Sequence[Token], run: list[Token], partner: _Candidate) -> list[_Candidate]:
    if not run or not _looks_like_name(run) or not _MEMBER_END.match(text, run[-1].end):
        return []
    # A bank's or a service's neighbour is most often the company behind something else.
    type_ = partner.type if partner.type in ("COMPANY", "ORGANIZATION") else "COMPANY"
    surface = text[run[0].start : run[-1].end]
    if _names_a_business(surface):
        return []  # カフェチェーン・湊屋: the kind of firm before its name, not a second firm
    return [_Candidate(run[0].start, run[-1].end, type_, surface, "pattern")]


def _names_a_business(surface: str) -> bool:
    return surface.endswith(_business_heads())


@cache
def _business_heads() -> tuple[str, ...]:
    return tuple(_descriptors()["business"])


def _neighbours_of(text: str, tokens: Sequence[Token], c: _Candidate) -> list[_Candidate]:
    """Unknown kana or Latin names listed with a found one: トヨタとデンソーは, …と米オープンAIは."""
    found = []
    if (m := _JOINER_AFTER.match(text, c.end)) and (i := _token_at(tokens, m.end(), "start")) is not None:
        i += 1 if _is_country_prefix(tokens, i) else 0
        found += _member(text, tokens, _kata_latin_run_from(text, tokens, i), c)
    before = _ends_with(_JOINER_BEFORE, text, c.start)
    if before and (j := _token_at(tokens, before.start(), "end")) is not None:
        k = j
        while k > 0 and _is_kata_latin(tokens[k - 1]) and tokens[k - 1].end == tokens[k].start:
            k -= 1
        run = _kata_latin_run_from(text, tokens, k)
        found += _member(text, tokens, run, c) if run and run[-1].end == before.start() else []
    return found


def _vouched(
    text: str,
    tokens: Sequence[Token],
    chosen: Iterable[_Candidate],
    memo: dict[_Candidate, tuple[list[_Candidate], list[_Candidate]]],
) -> list[_Candidate]:
    """The aliases of the chosen names (`_aliases_of`), then their list neighbours (`_neighbours_of`).

    Each name's are kept in `memo`: a second round asks again of most names the first one asked of."""
    for c in chosen:
        if c not in memo:
            memo[c] = (_aliases_of(text, c), _neighbours_of(text, tokens, c))
    return [
        *chain.from_iterable(memo[c][0] for c in chosen),
        *chain.from_iterable(memo[c][1] for c in chosen),
    ]


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates, strongest source first, then longest."""

    def rank(c: _Candidate) -> tuple[int, int, int]:
        return (0 if c.promoted else _RANK[c.source], c.start - c.end, c.start)

    occupied = Occupied()
    return sorted(
        (c for c in sorted(candidates, key=rank) if occupied.claim(c.start, c.end)), key=lambda c: c.start
    )


def _promote_extensions(text: str, gazetteer: list[_Candidate], rules: list[_Candidate]) -> list[_Candidate]:
    """A rule name that extends a known one (楽天 -> 楽天損害保険) outranks the shorter match.

    Not across ・, which more often lists names (LINE Pay・Kyash・メルペイ) than joins one.
    """
    known_at: dict[int, list[_Candidate]] = {}
    for g in gazetteer:
        known_at.setdefault(g.start, []).append(g)
    out = []
    for rule in rules:
        extends = any(g.end < rule.end and text[g.end] != "・" for g in known_at.get(rule.start, ()))
        out.append(_Candidate(rule.start, rule.end, rule.type, rule.value, rule.source, extends))
    return out


def org_candidates(
    text: str, tokens: list[Token], ner: Sequence[tuple[int, int, str]] = ()
) -> list[_Candidate]:
    """Every name the gazetteer, the suffix and pattern rules and the trained recognizer propose in `text`.

    They depend only on the text, so a caller tagging one text twice (before and after learning the
    article's names) computes them once and passes them to `tag_orgs`.
    """
    edges = _edges(tokens)
    gaz = [
        _Candidate(m.start, m.end, m.entry.type, m.entry.canonical, "gazetteer")
        for m in load_gazetteer().find_all(text, edges)
    ]
    rules = _suffix_candidates(text, tokens, edges) + _legal_prefix_candidates(text, tokens)
    return [
        *gaz,
        *_promote_extensions(text, gaz, rules),
        *_pattern_candidates(text, tokens),
        *_acting_places(text, tokens),
        *_municipal_transit(text),
        *_cited_papers(text),
        *_introduced_by_business(text, tokens),
        *_bracket_candidates(text),
        *_promote_learnt(text, [*gaz, *rules], _ner_candidates(text, tokens, ner, edges)),
    ]


_BRANCH_WORDS = frozenset({"支店", "支社", "本店", "営業所", "出張所", "事業所", "工場"})


def _without_branch(text: str, toks: Sequence[Token]) -> str | None:
    """郵便事業 for 郵便事業高松支店: a company name, a place and a branch word."""
    if len(toks) >= 3 and toks[-1].surface in _BRANCH_WORDS and _is_place(toks[-2]):
        return text[toks[0].start : toks[-2].start]
    return None


def _promote_learnt(text: str, known: list[_Candidate], found: list[_Candidate]) -> list[_Candidate]:
    """A learnt name that holds a known one and more (東京電力パワーグリッド, 横浜京急バス) outranks it.

    A branch written with its company (郵便事業高松支店) is one mention valued as the company; a
    police name with its section is left to the rules (`pipeline.names.official`).
    """
    out = []
    for c in found:
        inner = [
            k for k in known if c.start <= k.start and k.end <= c.end and k.end - k.start < c.end - c.start
        ]
        if c.source != MODEL or not inner or any(is_police(k.value) for k in inner):
            out.append(c)
            continue
        head = min(inner, key=lambda k: k.start)
        if head.start == c.start and _BRANCH.fullmatch(text, head.end, c.end):
            out.append(replace(c, type=head.type, value=head.value, promoted=True))
        else:
            out.append(replace(c, promoted=_names_more(text, inner, c)))
    return out


def _names_more(text: str, inner: list[_Candidate], c: _Candidate) -> bool:
    """What the learnt span adds to the known names in it reads as part of a name: it ends in a word
    that heads organization names (公社, バス, 労働組合) or adds only kana or Latin, and before them
    at most kanji or kana (羽田, 新).

    Not 住友化学工場火災, 関西電力管内, 鹿島アントラーズ対: there the known name is the name.
    """
    tail = text[max(k.end for k in inner) : c.end]
    lead = text[c.start : min(k.start for k in inner)]
    tail_ok = not tail or tail.endswith(_org_heads()) or bool(_KATA_LATIN.match(tail))
    lead_ok = not lead or bool(_KATA_LATIN.match(lead)) or _KANJI.match(lead) is not None
    return tail_ok and lead_ok and not re.search(r"[0-9・、,\s]", text[c.start : c.end])


@lru_cache(maxsize=1)
def _org_heads() -> tuple[str, ...]:
    return tuple(read_column(NAMES_DIR / "org_heads.tsv")) + tuple(s.text for s in _suffixes())


def _token_at(tokens: Sequence[Token], offset: int, side: str) -> int | None:
    """Index of the last token whose `side` ("start" or "end") is at `offset`, if any.

    Bisected in the tokens, which are in text order: only a few offsets per text are asked, so an
    index of every token's offsets would cost more than it saves."""
    i = bisect_right(tokens, offset, key=attrgetter(side)) - 1
    return i if i >= 0 and getattr(tokens[i], side) == offset else None


@per_token_list
def _edges(tokens: Sequence[Token]) -> frozenset[int]:
    return frozenset(map(attrgetter("start"), tokens)).union(map(attrgetter("end"), tokens))


def tag_orgs(
    text: str,
    tokens: list[Token],
    ner: Sequence[tuple[int, int, str]] = (),
    known: Mapping[str, tuple[str, str]] | None = None,
    candidates: list[_Candidate] | None = None,
) -> list[Mention]:
    """BANK / PAYMENT_SERVICE / COMPANY / ORGANIZATION mentions with canonical `value`.

    `ner` holds the trained recognizer's spans (char start, end, label) over `text`, or nothing in
    the fast profile. `known` maps surfaces learned elsewhere in the article to (type, canonical).
    `candidates` are this text's `org_candidates`, when the caller has them already.
    """
    base = org_candidates(text, tokens, ner) if candidates is None else candidates
    chosen = _select([*base, *_known_candidates(text, known or {}, _edges(tokens))])
    # Names the first selection fixes vouch for their bracketed abbreviations and list neighbours.
    memo: dict[_Candidate, tuple[list[_Candidate], list[_Candidate]]] = {}
    for _ in range(2):
        if not (vouched := _vouched(text, tokens, chosen, memo)):
            break  # nothing to add: selecting again would give `chosen` itself
        chosen = _select([*chosen, *vouched])
    return [_mention(text, c) for c in chosen if not is_generic(text[c.start : c.end])]


def _mention(text: str, c: _Candidate) -> Mention:
    """The mention of a chosen name: its official value, and a police section written with it."""
    end = section_end(text, c.end) if c.type == "ORGANIZATION" and is_police(c.value) else c.end
    end, value = with_special_investigation(text, end, official_name(c.value))
    return Mention(c.start, end, text[c.start : end], c.type, value=value, source=_source(c.source))


def _source(internal: str) -> str:
    """Output sources: gazetteer, rule (suffix rules and news patterns) or ner (the trained recognizer)."""
    return {"pattern": "rule", MODEL: "ner"}.get(internal, internal)


def learned_orgs(mentions: Iterable[Mention]) -> dict[str, tuple[str, str]]:
    """Surfaces to look for again in the rest of the article, mapped to (type, canonical).

    Names found by rules or NER (the gazetteer finds its own anywhere), with their value when the
    surface carries a legal form (株式会社X -> X) and their fixed headline abbreviation (北陸みらい銀);
    and, for every firm named by its business, the stem (大和証券 -> 大和), which counts only in lists.
    """
    known: dict[str, tuple[str, str]] = {}
    # Strongest source first, so that a rule's reading of a surface beats the recognizer's label for it.
    for m in sorted(mentions, key=lambda m: _RANK.get(m.source, len(_RANK))):
        if m.type not in ORG_TYPES or len(m.text) < 2 or m.source == "ner" or _is_local_body(m):
            continue
        value = m.value or m.text
        forms = [m.text, value, *short_forms(value, m.type)] if m.source != "gazetteer" else []
        for surface in (*forms, _business_stem(value)):
            if surface and len(surface) >= 2:
                known.setdefault(surface, (m.type, value))
    return known


def resolve_orgs(mentions: list[Mention]) -> list[Mention]:
    """Within one article, every mention of the same surface gets the type and value of its best source.

    Deliberately conservative: no guessing that a short form means a longer name.
    """
    best: dict[str, Mention] = {}
    for m in mentions:
        if m.type not in ORG_TYPES:
            continue
        if m.text not in best or _RANK[m.source] < _RANK[best[m.text].source]:
            best[m.text] = m
    for m in mentions:
        ref = best.get(m.text)
        if ref is not None and m.type in ORG_TYPES:
            m.type, m.value = ref.type, ref.value
    return mentions
