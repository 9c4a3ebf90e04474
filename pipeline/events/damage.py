"""Damage: a figure the text says was lost, stolen, defrauded, hidden or leaked; its role, its reporter."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from pipeline.events.article import (
    _CLAUSE_END,
    _Article,
    _base,
    _clause,
    _evidence_span,
    _Sentence,
    _sentence_index,
)
from pipeline.events.rules import _media, _not_harm, _rules
from pipeline.events.slots import _ANAPHOR, _dates, _org_name, _org_of, _sentence_date, _services, _source_org
from pipeline.types import ORG_TYPES, Event, Mention

# Counted things that are not cases or accounts hit: questions, and the fraudsters' own sites and messages.
_NOT_HIT = ("問い合わせ", "迷惑メール", "相談", "偽サイト", "フィッシングSMS", "フィッシングメール")


def _not_hit(counted: str | None) -> bool:
    """訴え・問い合わせ: a count of questions or of the fraudsters' own tools, whatever else it names."""
    return counted is not None and any(word in counted for word in _NOT_HIT)


_DAMAGE_UNITS = {"件", "口座", "人", "名", "回", "万件", "万人"}


_PERSON_UNITS = ("人", "名", "万人")


_PART_OF = re.compile(r"(この|その)?うち|残り|残る")


# A damage word that is the subject or topic of the figure's predicate: 不正送金の被害が…5,578件.
_HARM_TOPIC = re.compile(r"[^、。]{0,12}?(は|が|も)")


# People counted are victims only when the text says so; records of people (52万人分) are leaked data.
_VICTIMS = re.compile(r"被害者|被害に遭|被害にあ|被害を受け|被害は|だまされ|奪われ|失っ")


# Counts that are not victims: suspects arrested, recipients of compensation.
_NOT_VICTIMS = re.compile(r"^(を逮捕|を書類送検|に対し|と合意)")


_PAIRED = re.compile(r"^[、,・\s]*(計|合計|総額)?$")


def _assign_roles(art: _Article) -> None:
    """Set `role` on MONEY mentions: damage, suspected, prevented or possible_damage (in place).

    Only a figure the text says was lost, stolen, defrauded, hidden or leaked has one."""
    for sent, m in _in_sentences(art, "MONEY"):
        if m.per_unit:
            continue
        role = _role_words(art, sent, m) if _harmed(art, sent, m) else None
        m.role = None if role == "none" else (role or ("damage" if _harmed(art, sent, m) else None))


def _in_sentences(art: _Article, kind: str) -> Iterator[tuple[_Sentence, Mention]]:
    """The mentions of `kind` that lie within a sentence (as `_Article.within` reads them), each
    with its sentence, in the order of the text: a look-up per mention, not a search per sentence."""
    starts = [s.start for s in art.sentences]
    for m in art.mentions:
        if m.type != kind:
            continue
        sent = art.sentences[bisect_right(starts, m.start) - 1]
        if sent.start <= m.start < sent.end and m.end <= sent.end:
            yield sent, m


def _harm_words(art: _Article, start: int, end: int) -> list[re.Match[str]]:
    """Damage words in [start, end), less physical harms (痴漢被害, 地震の被害)."""
    damage = next(p for t, p in _rules()[0] if t == "damage")
    physical = _not_harm()["harm"]
    return [
        h for h in damage.finditer(art.text, start, end) if not physical.search(art.text, start, h.start())
    ]


def _harmed(art: _Article, sent: _Sentence, m: Mention) -> bool:
    """Whether the text says the figure `m` was lost, stolen, defrauded or leaked: a damage word in
    its own clause (500万円を着服, 被害額は…), or in the sentence's subject or topic before it
    (不正出金された金額が、…109件1811万円), or anywhere in a headline; and no word in its clause that
    makes it a casualty, a business figure or a repayment."""
    start, end = _clause(art, sent, m.start)
    if _not_harm()["clause"].search(art.text, start, end):
        return False
    if _harm_words(art, start, end) or (sent.field == "headline" and _harm_words(art, sent.start, sent.end)):
        return True
    if any(_HARM_TOPIC.match(art.text, h.end()) for h in _harm_words(art, sent.start, m.start)):
        return True
    # このうち940万円は…阻止: a part of the harmed whole of the sentence before.
    i = _sentence_index(art, sent.start)
    return bool(_PART_OF.match(art.text, sent.start)) and i > 1 and _harm_sentence(art, art.sentences[i - 1])


def _harm_sentence(art: _Article, sent: _Sentence) -> bool:
    return any(m.role for m in art.within(sent.start, sent.end, "MONEY"))


def _role_words(art: _Article, sent: _Sentence, m: Mention) -> str | None:
    """The role the words around a figure give it (疑われる, 阻止, 可能性, 補償), or None."""
    end = _CLAUSE_END.search(art.text, m.end, sent.end)
    text = {
        "after": art.text[m.end : end.start() if end else sent.end],
        "before": art.text[sent.start : m.start],
    }
    return next((r for r, where, p in _rules()[2] if p.search(text[where])), None)


def _damage_org(
    art: _Article, sent: _Sentence, near: int, prior: tuple[str | None, str | None]
) -> tuple[str | None, str | None]:
    """Who reports a figure: the sentence's credited source, else the actor found as for any event.
    A sentence that names no org and points back to none (同社) continues the previous figure's
    reporter (警察庁によると…。11月も…の被害が確認された)."""
    source = _source_org(art, sent)
    if source is not None:
        return _org_name(art, source)
    names = [m for m in art.within(sent.start, sent.end, ORG_TYPES) if not _media().search(m.value or m.text)]
    if not names and prior[0] is not None and not _ANAPHOR.search(art.text, sent.start, sent.end):
        return prior
    if not names and (owner := _harm_owner(art, sent.start)) is not None:
        return _org_name(art, owner)
    if not names and art.text.rfind("『", sent.start, near) > art.text.rfind("』", sent.start, near):
        return None, None  # a citation title names its own parties: the article's main actor is not one
    return _org_of(art, sent, near)


def _harm_owner(art: _Article, before: int) -> Mention | None:
    """The last org written as the owner of a harm before `before` (アオバ電機の粉飾決算, X社の損失):
    a figure in a sentence that names no one is that harm's."""
    owners = [
        m
        for m in art.mentions[: bisect_left(art.starts, before)]
        if m.type in ORG_TYPES
        and art.text[m.end : m.end + 1] == "の"
        and any(h.start() == m.end + 1 for h in _harm_words(art, m.end + 1, m.end + 12))
    ]
    return owners[-1] if owners else None


def _damage_events(
    art: _Article, sent: _Sentence, article_id: str, prior: tuple[str | None, str | None] = (None, None)
) -> list[Event]:
    triggers = _rules()[0]
    damage = next(p for t, p in triggers if t == "damage")
    if not damage.search(art.text, sent.start, sent.end):
        return []
    amounts = [
        m
        for m in art.within(sent.start, sent.end, "MONEY")
        if m.role and not m.per_unit and (m.unit in (None, "JPY"))
    ]
    counts = [m for m in art.within(sent.start, sent.end, "COUNT") if m.unit in _DAMAGE_UNITS]
    counts = [c for c in counts if not _not_hit(c.counted) and not _NOT_VICTIMS.match(art.after(c, 5))]
    pairs: list[tuple[Mention | None, Mention | None]] = []
    used: set[int] = set()
    for c in counts:
        # 計1811万円、109件: an amount right before the count, joined by a comma, is its pair.
        preceding = [a for a in amounts if a.end <= c.start and id(a) not in used]
        following = [a for a in amounts if a.start >= c.end and id(a) not in used]
        between = following and any(c.end <= o.start < following[0].start for o in counts if o is not c)
        if preceding and _PAIRED.match(art.text[preceding[-1].end : c.start]):
            used.add(id(preceding[-1]))
            pairs.append((preceding[-1], c))
        elif following and not between and not re.search("うち", art.text[c.end : following[0].start]):
            used.add(id(following[0]))
            pairs.append((following[0], c))
        else:
            pairs.append((None, c))
    pairs.extend((a, None) for a in amounts if id(a) not in used)
    # A count joined to a lost amount (6口座…計9864万円を引き出した) is hit by the same harm.
    pairs = [(a, c) for a, c in pairs if a is not None or _counted_harm(art, sent, c)]
    as_of = next((m.value for m in _dates(art, sent.start, sent.end) if m.time_point), None)
    events = []
    for amount, count in pairs:
        first = min((m for m in (amount, count) if m), key=lambda m: m.start)
        last = max((m for m in (amount, count) if m), key=lambda m: m.end)
        ev = _base(art, sent, "damage", article_id, *_evidence_span(art, sent, first.start, last.end))
        ev.role = amount.role if amount else _count_role(art, sent, count)
        ev.org, ev.org_type = _damage_org(art, sent, first.start, prior)
        ev.services = _damage_services(art, sent)
        ev.date = _sentence_date(art, sent)
        ev.as_of = as_of
        if amount:
            ev.amount_jpy = amount.value_int
            ev.amount_min_jpy, ev.amount_max_jpy = amount.min_int, amount.max_int
            ev.amount_qualifier = amount.qualifier
        if count:
            ev.count, ev.count_unit, ev.count_qualifier = count.value_int, count.unit, count.qualifier
            ev.counted = _records_of(art, count) or count.counted
        events.append(ev)
    # Within one sentence, the whole (suspected) figure comes first, then its parts.
    return events


def _counted_harm(art: _Article, sent: _Sentence, c: Mention) -> bool:
    """A count of cases, accounts or records hit; people count only as victims or as records of them."""
    if c.unit not in _PERSON_UNITS:
        return _harmed(art, sent, c)
    if art.after(c, 1) == "分":
        return _harmed(art, sent, c)
    start, end = _clause(art, sent, c.start)
    return (
        bool(_VICTIMS.search(art.text, start, end))
        and not _not_harm()["clause"].search(art.text, start, end)
        and _named_harm(art, sent)
    )


def _named_harm(art: _Article, sent: _Sentence) -> bool:
    """Victims are a damage count only where the sentence or the headline names a harm to money or
    data (詐欺, 不正送金, 流出): 80万人が被害を受けた in a storm, or in a shooting, counts casualties."""
    head = art.sentences[0]
    return any(
        not h.group(0).startswith("被害") for s in (sent, head) for h in _harm_words(art, s.start, s.end)
    )


# 52万人分の個人情報: the records of so many people are what is counted, not the people.
_RECORDS = re.compile(r"^分の(?P<noun>[^、。をがはにでも「」『』]{2,8}?)(?:が|を|は|も|に|、|流出|漏)")


def _records_of(art: _Article, count: Mention) -> str | None:
    found = _RECORDS.match(art.after(count, 14))
    return found.group("noun") if found else None


def _count_role(art: _Article, sent: _Sentence, count: Mention | None) -> str:
    """A count alone is damage unless its words say otherwise (疑いのある口座が120口座)."""
    role = _role_words(art, sent, count) if count is not None else None
    return role if role not in (None, "none") else "damage"


def _damage_services(art: _Article, sent: _Sentence) -> list[str]:
    """Services taking part in a loss, as for any event, less those the item names only as
    what is stopped (「X」の新規登録を停止): a stop is a response, not the channel of the loss."""
    if "stopped" not in art.memo:
        services = [m for m in art.mentions if m.type == "PAYMENT_SERVICE"]
        art.memo["stopped"] = frozenset(
            {m.value for m in services if _stopped_object(art, m)}
            - {m.value for m in services if not _stopped_object(art, m)}
        )
    return _services(art, sent, art.memo["stopped"])


def _stopped_object(art: _Article, m: Mention) -> bool:
    end = _CLAUSE_END.search(art.text, m.end)
    rest = art.text[m.end : end.start() if end else len(art.text)]
    triggers = dict(_rules()[0])
    return bool(triggers["suspension"].search(rest)) and not triggers["damage"].search(rest)
