"""Responses to an incident: compensation, warnings, apologies, press conferences, inquiries."""

from __future__ import annotations

import re

from pipeline.events.article import _CLAUSE_END, _Article, _base, _evidence_span, _Sentence
from pipeline.events.damage import _DAMAGE_UNITS
from pipeline.events.rules import _addressee, _scopes
from pipeline.events.slots import _UNTIL, _dates, _main_org, _org_of, _sentence_date, _sentence_org
from pipeline.events.stops import _GROUP_COUNT, _GROUP_MEMBERS, _GROUP_UNITS
from pipeline.types import ORG_TYPES, Event, Mention

_INQUIRED = re.compile(r"^(には|に|へ)")


_INQUIRED_WORD = re.compile(r"([^\s、。「」()]{2,12}?)(?:に|には|へ)(?:は)?[^、。]{0,20}問い合わせ")


_COMP_COUNT = re.compile(r"^(に対し|には|に|へ|と)")


_GOVERNMENT_TITLE = re.compile(r"(大臣|相|長官|知事|首相)$")


def _group_actor(art: _Article, start: int, end: int) -> bool:
    """A group acts: 大手証券10社は / 14行で / 千葉銀行や横浜銀行などは."""
    groups = [c for c in art.within(start, end, "COUNT") if c.unit in _GROUP_UNITS]
    if any(
        _GROUP_COUNT.match(art.after(c, 2)) and "など" in art.text[max(start, c.start - 12) : c.start]
        for c in groups
    ):
        return True
    return any(_GROUP_MEMBERS.match(art.after(m, 3)) for m in art.within(start, end, ORG_TYPES))


def _compensation(art: _Article, sent: _Sentence, trig: re.Match[str], article_id: str) -> Event:
    ev = _base(art, sent, "compensation", article_id, *_evidence_span(art, sent, sent.start, trig.end()))
    if not _group_actor(art, sent.start, trig.start()):
        ev.org, ev.org_type = _org_of(art, sent, trig.start())
    deadline = [d for d in _dates(art, sent.start, trig.start()) if _UNTIL.match(art.after(d, 3))]
    ev.deadline = deadline[0].value if deadline else None
    ev.date = _sentence_date(art, sent, until_too=False)
    scope_text = art.text[sent.start : trig.end()]
    ev.scope = next((name for name, p in _scopes() if p.search(scope_text)), None)
    # Only the people or accounts compensated count (顧客23人に対し), not the damage figures nearby.
    counts = [
        c
        for c in art.within(sent.start, trig.start(), "COUNT")
        if c.unit in _DAMAGE_UNITS and _COMP_COUNT.match(art.after(c, 3))
    ]
    if counts:
        c = counts[-1]
        ev.count, ev.count_unit, ev.count_qualifier, ev.counted = c.value_int, c.unit, c.qualifier, c.counted
    return ev


# A person marked as the one speaking (X氏は, Xさんが): a personal appeal, not a body's warning.
_PERSON_SUBJECT = re.compile(r"^(氏|さん|容疑者|被告|[一-龥]{1,6})?(は|が)")


def _warning(art: _Article, sent: _Sentence, trig: re.Match[str], article_id: str) -> Event | None:
    """A request or caution by an authority or an association (NEWS.md); one a person makes in a
    sentence that names no organization is no warning."""
    people = art.within(sent.start, trig.start(), "PERSON")
    if _sentence_org(art, sent, trig.start()) is None and any(
        _PERSON_SUBJECT.match(art.after(p, 8)) for p in people
    ):
        return None
    ev = _base(art, sent, "warning", article_id, *_evidence_span(art, sent, sent.start, trig.end()))
    ev.org, ev.org_type = _org_of(art, sent, trig.start())
    ev.date = _sentence_date(art, sent)
    m = _addressee().search(art.text, sent.start, trig.start())
    ev.to = m.group(1) if m else None
    return ev


def _person_near(art: _Article, sent: _Sentence) -> Mention | None:
    people = art.within(sent.start, sent.end, "PERSON")
    return people[0] if people else None


def _org_of_person(art: _Article, person: Mention) -> Mention | None:
    """The organization written right before a person (ゆうちょ銀行の田中進, NTT澤田社長)."""
    before = [m for m in art.mentions if m.type in ORG_TYPES and 0 <= person.start - m.end <= 1]
    return before[-1] if before else None


def _speaker_event(etype: str):
    def fill(art: _Article, sent: _Sentence, trig: re.Match[str], article_id: str) -> Event:
        ev = _base(art, sent, etype, article_id, *_evidence_span(art, sent, trig.start(), trig.end()))
        person = _person_near(art, sent)
        org = _org_of_person(art, person) if person is not None else None
        if person is not None:
            ev.person = person.value
        if org is not None:
            ev.org, ev.org_type = org.value, org.type
        elif person is None or not _GOVERNMENT_TITLE.search(person.title or ""):
            # A company's officer speaks for the company the article is about; a minister's
            # ministry is left null unless it is written next to the name.
            ev.org, ev.org_type = _org_of(art, sent, trig.start())
        ev.date = _sentence_date(art, sent)
        return ev

    return fill


def _inquiries(art: _Article, sent: _Sentence, trig: re.Match[str], article_id: str) -> Event:
    ev = _base(art, sent, "inquiries", article_id, *_evidence_span(art, sent, sent.start, trig.end()))
    ev.date = _sentence_date(art, sent) if sent.field == "body" else None
    end = _CLAUSE_END.search(art.text, trig.end(), sent.end)
    counts = [
        c
        for c in art.within(sent.start, end.start() if end else sent.end, "COUNT")
        if c.counted == "問い合わせ" or c.unit == "件"
    ]
    if counts:
        c = min(counts, key=lambda c: abs(c.start - trig.start()))
        ev.count, ev.count_unit, ev.count_qualifier, ev.counted = c.value_int, c.unit, c.qualifier, c.counted
    ev.to = _recipient(art, sent, trig.start())
    return ev


def _recipient(art: _Article, sent: _Sentence, end: int) -> str | None:
    """Who receives the questions: an org marked に/には before the trigger; 同行には is the main actor."""
    named = [m for m in art.within(sent.start, end, ORG_TYPES) if _INQUIRED.match(art.after(m, 2))]
    if named:
        return named[0].value
    if re.search(r"同(行|社|庁)(には|に|へ)", art.text[sent.start : end]):
        main = _main_org(art)
        return main.value if main else None
    # Recipients may be written descriptively (地方銀行には…問い合わせ).
    m = _INQUIRED_WORD.search(art.text, sent.start, end + 8)
    return m.group(1) if m else None
